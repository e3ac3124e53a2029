package latency

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// SteadyResult is what a run at one write rate measured.
type SteadyResult struct {
	Rate     float64       // writes per second asked for
	Run      int           // 1-based, among the runs of the report
	Duration time.Duration // of the write phase as asked
	Writes   int           // committed
	Skipped  int           // scheduled but not issued by the end: the writers could not keep pace
	Achieved float64       // committed writes per second of the write phase
	Schedule Summary       // how late writes were issued against the open-loop schedule
	Commit   Summary       // the write statement itself, sent to acknowledged

	Latency Summary           // commit to readable in Redis, every write
	ByKind  [numKinds]Summary // the same by kind of write
	Wake    Summary           // commit to the next Drain's start
	Syncer  Summary           // commit to the return of the put that carried it
	Observe Summary           // that put's return to the reader seeing it
	Unseen  int               // writes never seen within the grace period
	Missing []string          // what the first unseen writes expected and what Redis held instead
	NoDocs  int               // writes that changed no document (authors without books)

	LagEnd   int64   // outbox changes when the last write committed
	LagMax   int64   // the most seen during the write phase
	LagSlope float64 // rows per second, fitted over the second half of the write phase
	KeptUp   bool

	Phases [numPhases]phaseTotal // the Syncer's time, write phase and tail
}

// grace bounds the wait, after the last write, for the Syncer to catch up.
const grace = 30 * time.Second

// lagEvery is how often the outbox backlog is sampled; each sample is a
// sum over the outbox, cheap while the Syncer keeps up.
const lagEvery = 250 * time.Millisecond

// RunSteady issues rate single-row writes per second for d, open loop, and
// measures when each becomes readable.
func (e *Env) RunSteady(ctx context.Context, rate float64, d time.Duration, tag string) (SteadyResult, error) {
	res := SteadyResult{Rate: rate, Duration: d}
	total := int(rate * d.Seconds())
	if total < 1 {
		return res, fmt.Errorf("rate %v for %v is not one write", rate, d)
	}
	if err := e.waitDrained(ctx, grace); err != nil {
		return res, err
	}
	e.prof.reset()
	e.timed.trackKeys(true)
	defer e.timed.trackKeys(false)
	w := newWatcher(e.reader, e.timed, e.cfg.Poll)
	stmts := statements{pool: e.DB, books: int64(e.Sizes.Books), authors: int64(e.Sizes.Authors),
		reviews: 5 * int64(e.Sizes.Books), tag: tag}

	watchCtx, stopWatch := context.WithCancel(ctx)
	var watchErr error
	var bg sync.WaitGroup
	bg.Go(func() { watchErr = w.run(watchCtx) })
	defer func() { stopWatch(); bg.Wait() }()

	start := time.Now()
	lagCtx, stopLag := context.WithCancel(ctx)
	var lags []lagSample
	var lagErr error
	bg.Go(func() { lags, lagErr = e.sampleLag(lagCtx, start) })

	writes := make([]*write, total)
	jobs := make(chan *write, total)
	end := start.Add(d)
	g, gctx := errgroup.WithContext(ctx)
	for i := range e.cfg.Writers {
		rng := rand.New(rand.NewPCG(e.cfg.Seed, uint64(i)))
		g.Go(func() error {
			for wr := range jobs {
				// The phase lasts d whatever the writers manage; what they
				// could not issue in time is reported, not issued late.
				if time.Now().After(end) {
					continue
				}
				if err := stmts.do(gctx, wr, rng, w.reserve); err != nil {
					return err
				}
				w.add(wr)
			}
			return nil
		})
	}
	g.Go(func() error {
		defer close(jobs)
		return pace(gctx, start, rate, writes, jobs)
	})
	err := g.Wait()
	writeEnd := time.Now()
	stopLag()
	if err != nil {
		return res, err
	}
	lagEnd, _, lerr := e.Lag(ctx)
	if lerr != nil {
		return res, lerr
	}
	for deadline := time.Now().Add(grace); w.waiting() > 0 && time.Now().Before(deadline); {
		if err := sleep(ctx, 10*time.Millisecond); err != nil {
			return res, err
		}
	}
	stopWatch()
	bg.Wait()
	if watchErr != nil || lagErr != nil {
		return res, fmt.Errorf("rate %v: %w %w", rate, watchErr, lagErr)
	}

	if res.Missing, err = e.explainUnseen(ctx, w, 5); err != nil {
		return res, err
	}
	res.LagEnd = lagEnd
	res.Phases = e.prof.snapshot()
	e.summarizeWrites(&res, writes, w.finished())
	res.Achieved = float64(res.Writes) / writeEnd.Sub(start).Seconds()
	var second []lagSample
	for _, s := range lags {
		res.LagMax = max(res.LagMax, s.rows)
		if s.at >= d/2 {
			second = append(second, s)
		}
	}
	res.LagSlope = slope(second)
	// Keeping up: every write reached Redis, and the backlog did not grow
	// by more than one row per hundred writes over the second half.
	res.KeptUp = res.Unseen == 0 && res.LagSlope <= res.Achieved/100
	return res, nil
}

// pace schedules writes[i] at start + i/rate, open loop: a slow write delays
// no other, since writers take jobs from a queue deep enough for the run
// (unless all writers are busy, which the schedule lag shows).
// The ticker only sets the granularity; every write due by a tick is queued.
func pace(ctx context.Context, start time.Time, rate float64, writes []*write, jobs chan<- *write) error {
	interval := time.Duration(float64(time.Second) / rate)
	t := time.NewTicker(min(interval, time.Millisecond))
	defer t.Stop()
	next := 0
	for next < len(writes) {
		select {
		case <-ctx.Done():
			return nil
		case now := <-t.C:
			due := min(len(writes), int(now.Sub(start).Seconds()*rate)+1)
			for ; next < due; next++ {
				wr := &write{seq: next, kind: kindOf(next), due: start.Add(time.Duration(next) * interval)}
				writes[next] = wr
				jobs <- wr
			}
		}
	}
	return nil
}

func (e *Env) sampleLag(ctx context.Context, start time.Time) ([]lagSample, error) {
	t := time.NewTicker(lagEvery)
	defer t.Stop()
	var out []lagSample
	for {
		select {
		case <-ctx.Done():
			return out, nil
		case <-t.C:
		}
		rows, _, err := e.Lag(ctx)
		if ctx.Err() != nil {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, lagSample{at: time.Since(start), rows: rows})
	}
}

// summarizeWrites fills the latency distributions from the writes seen.
func (e *Env) summarizeWrites(res *SteadyResult, all, seen []*write) {
	var lat, sched, commit, wake, syncer, observe []time.Duration
	var byKind [numKinds][]time.Duration
	for _, wr := range all {
		if wr == nil || wr.ack.IsZero() {
			res.Skipped++
			continue
		}
		res.Writes++
		sched = append(sched, max(0, wr.sent.Sub(wr.due)))
		commit = append(commit, wr.ack.Sub(wr.sent))
	}
	for _, wr := range seen {
		if len(wr.keys) == 0 {
			res.NoDocs++
			continue
		}
		l := wr.seenAt.Sub(wr.ack)
		lat = append(lat, l)
		byKind[wr.kind] = append(byKind[wr.kind], l)
		if d, ok := e.prof.nextDrain(wr.ack); ok {
			wake = append(wake, d.Sub(wr.ack))
		}
		if !wr.putAt.IsZero() {
			syncer = append(syncer, wr.putAt.Sub(wr.ack))
			observe = append(observe, wr.seenAt.Sub(wr.putAt))
		}
	}
	res.Unseen = res.Writes - len(seen)
	res.Schedule = summarize(sched)
	res.Commit = summarize(commit)
	res.Latency = summarize(lat)
	for k := range byKind {
		res.ByKind[k] = summarize(byKind[k])
	}
	res.Wake = summarize(wake)
	res.Syncer = summarize(syncer)
	res.Observe = summarize(observe)
}
