package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/denormgen/denormgen/bench"
	"github.com/denormgen/denormgen/bench/internal/benchdocs"
	"github.com/denormgen/denormgen/bench/measure"
	"github.com/denormgen/denormgen/bench/report"
	"github.com/denormgen/denormgen/bench/strategy"
	"github.com/denormgen/denormgen/bench/writes"
	"github.com/jackc/pgx/v5/pgxpool"
)

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "denormbench: %v\n", err)
		return 2
	}
	if o.probe != "" {
		if err := runProbe(ctx, o, stdout); err != nil {
			fmt.Fprintf(stderr, "denormbench: %v\n", err)
			return 1
		}
		return 0
	}
	if err := benchmark(ctx, o, args, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "denormbench: %v\n", err)
		return 1
	}
	return 0
}

func benchmark(ctx context.Context, o *options, args []string, stdout, stderr io.Writer) error {
	logf := func(format string, a ...any) { fmt.Fprintf(stderr, format+"\n", a...) }
	gogc := os.Getenv("GOGC")
	if gogc == "" {
		gogc = "100 (default)"
	}
	rep := &report.Report{
		Strategies: pick(o.strategies),
		Settings: report.Settings{
			Command:       commandLine(args),
			Date:          time.Now(),
			Note:          o.note,
			Workloads:     o.workloads,
			Rounds:        o.rounds,
			RoundSize:     o.roundSize,
			Seed:          o.seed,
			NPlusOneLimit: o.nPlusOneLimit,
			Runs:          o.runs,
			GOGC:          gogc,
		},
	}
	o.writes.Seed = o.seed
	for i, scale := range o.scales {
		sizes := bench.ScaleSizes(scale)
		pool, err := bench.Ensure(ctx, o.db, bench.DatabaseName(scale), sizes, logf)
		if err != nil {
			return err
		}
		if i == 0 {
			rep.Machine = report.ReadMachine(ctx, pool)
		}
		sc, err := measureScale(ctx, o, pool, scale, sizes, logf)
		pool.Close()
		if err != nil {
			return err
		}
		rep.Scales = append(rep.Scales, sc)
	}
	if slices.Contains(o.workloads, workloadWrites) {
		results, err := measureWrites(ctx, o, logf)
		if err != nil {
			return err
		}
		rep.Writes = results
	}

	var md bytes.Buffer
	if err := rep.Write(&md); err != nil {
		return err
	}
	if o.out == "-" {
		_, err := stdout.Write(md.Bytes())
		return err
	}
	if err := os.WriteFile(o.out, md.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	logf("wrote %s", o.out)
	return nil
}

// nPlusOneRounds is how many incremental rounds n-plus-1 builds: enough for
// its limit of documents.
func nPlusOneRounds(o *options) int {
	return (o.nPlusOneLimit + o.roundSize - 1) / o.roundSize
}

// runOnce measures s once on workload w.
func runOnce(ctx context.Context, o *options, pool *pgxpool.Pool, s strategy.Strategy, w string, rounds [][]int64) (measure.Result, error) {
	_, nPlusOne := s.(strategy.NPlusOne)
	if w == measure.Full {
		limit := 0
		if nPlusOne {
			limit = o.nPlusOneLimit
		}
		return measure.RunFull(ctx, pool, s, limit)
	}
	if nPlusOne {
		rounds = rounds[:min(len(rounds), nPlusOneRounds(o))]
	}
	return measure.RunIncremental(ctx, pool, s, rounds)
}

func measureScale(ctx context.Context, o *options, pool *pgxpool.Pool, scale int, sizes bench.Sizes, logf func(string, ...any)) (report.Scale, error) {
	sc := report.Scale{Scale: scale, Sizes: sizes}
	var err error
	if sc.Counts, err = bench.CountRows(ctx, pool); err != nil {
		return sc, err
	}
	if !slices.ContainsFunc(o.workloads, func(w string) bool { return w != workloadWrites }) {
		return sc, nil
	}
	if o.warm {
		start := time.Now()
		if err := warm(ctx, pool); err != nil {
			return sc, err
		}
		logf("scale %d: read every table in %s", scale, time.Since(start).Round(time.Millisecond))
	}
	rounds, err := measure.Rounds(o.seed, o.rounds, o.roundSize, sizes.Books)
	if err != nil {
		return sc, err
	}

	strategies := pick(o.strategies)
	for _, w := range o.workloads {
		if w == workloadWrites {
			continue
		}
		// Warm-up, on the workload's own path: prepared statements, gorm's
		// schema cache, first-use allocations, and the connections a
		// snapshot adds to the pool, which would otherwise count in the
		// first run's peak heap. Not measured.
		for _, s := range strategies {
			if err := warmUp(ctx, pool, s, w, rounds[0]); err != nil {
				return sc, fmt.Errorf("scale %d: warm up %s: %w", scale, s.Name(), err)
			}
		}
		results := make([][]measure.Result, len(strategies))
		run := roundRobin
		if w == measure.Incremental {
			run = interleave
		}
		if err := run(ctx, o, pool, scale, strategies, rounds, results, logf); err != nil {
			return sc, err
		}
		for i, s := range strategies {
			m := median(results[i])
			// Peak live heap comes from more runs, untimed, each in a process
			// of its own (probe.go), with the collector looking at the live
			// heap often (measure.MemoryGOGC): one per strategy, and -runs
			// for the generated full build, the flatness target's, whose
			// median is shown.
			memoryRuns := 1
			if w == measure.Full && s.Name() == (strategy.Generated{}).Name() {
				memoryRuns = o.runs
			}
			var lives []uint64
			for range memoryRuns {
				live, err := probeMemory(ctx, o, s, w, scale)
				if err != nil {
					return sc, fmt.Errorf("scale %d: %w", scale, err)
				}
				logf("scale %d %-11s %-21s memory probe (own process, GOGC=%d): peak live %6.1f MiB",
					scale, w, s.Name(), measure.MemoryGOGC, float64(live)/(1<<20))
				lives = append(lives, live)
			}
			slices.Sort(lives)
			m.PeakLive = lives[len(lives)/2]
			if w == measure.Full {
				sc.Full = append(sc.Full, m)
			} else {
				sc.Incremental = append(sc.Incremental, m)
				if sc.IncrementalRuns == nil {
					sc.IncrementalRuns = map[string][]measure.Result{}
				}
				sc.IncrementalRuns[s.Name()] = results[i]
			}
		}
	}
	return sc, nil
}

// roundRobin measures full builds: runs go round-robin over the
// strategies, so that a burst of other load on the machine spreads over all
// of them instead of sinking one. Each run starts one strategy later: what
// a strategy leaves behind (PostgreSQL's buffers, the heap) then falls on a
// different one each run, not always on the strategy after it.
func roundRobin(ctx context.Context, o *options, pool *pgxpool.Pool, scale int, strategies []strategy.Strategy, rounds [][]int64, results [][]measure.Result, logf func(string, ...any)) error {
	for run := range o.runs {
		for j := range strategies {
			i := (run + j) % len(strategies)
			r, err := runOnce(ctx, o, pool, strategies[i], measure.Full, rounds)
			if err != nil {
				return fmt.Errorf("scale %d: %w", scale, err)
			}
			logRun(logf, scale, run, r)
			results[i] = append(results[i], r)
		}
	}
	return nil
}

// logRun logs one run's measurement.
func logRun(logf func(string, ...any), scale, run int, r measure.Result) {
	logf("scale %d %-11s %-21s run %d: %8d docs %8.2fs %10.0f docs/s  peak in use %6.1f MiB  %6.1f KiB/doc",
		scale, r.Workload, r.Strategy, run+1, r.Docs, r.Elapsed.Seconds(), r.DocsPerSec(), float64(r.PeakHeap)/(1<<20), r.AllocPerDoc()/1024)
}

// interleave measures the incremental workload round by round: each round
// goes to every strategy in turn, in an order drawn afresh for each round
// (seeded), and a run of a strategy is the sum of its rounds. A round takes
// a few tens of milliseconds, so a change in the machine's speed (this VM
// drifts by 10-20% within minutes) falls on every strategy alike, where
// whole runs of one strategy after another would each catch it or not; and
// no strategy always follows the same one. No collection is forced between
// rounds: the collector runs when the allocations of all call for it, and
// its assists fall on the strategy allocating. n-plus-1 takes part in as
// many rounds as its limit allows.
func interleave(ctx context.Context, o *options, pool *pgxpool.Pool, scale int, strategies []strategy.Strategy, rounds [][]int64, results [][]measure.Result, logf func(string, ...any)) error {
	for run := range o.runs {
		order := rand.New(rand.NewPCG(o.seed, uint64(run)))
		sums := make([]measure.Result, len(strategies))
		for ri, round := range rounds {
			for _, i := range order.Perm(len(strategies)) {
				s := strategies[i]
				if _, nPlusOne := s.(strategy.NPlusOne); nPlusOne && ri >= nPlusOneRounds(o) {
					continue
				}
				r, err := measure.RunRound(ctx, pool, s, round)
				if err != nil {
					return fmt.Errorf("scale %d: %w", scale, err)
				}
				sums[i].Add(r)
			}
		}
		for i, r := range sums {
			logRun(logf, scale, run, r)
			results[i] = append(results[i], r)
		}
	}
	return nil
}

// warmUp runs s briefly on workload w: a few chunks of the full build, or
// part of a round.
func warmUp(ctx context.Context, pool *pgxpool.Pool, s strategy.Strategy, w string, round []int64) error {
	if w != measure.Full {
		_, err := s.Build(ctx, pool, round[:min(100, len(round))])
		return err
	}
	n := 0
	return s.BuildAll(ctx, pool, func(int64, []byte) error {
		if n++; n >= 2*strategy.FullChunkSize {
			return strategy.ErrStop
		}
		return nil
	})
}

// measureWrites runs the trigger overhead cases on a copy of the smallest
// scale's database, dropped afterwards.
func measureWrites(ctx context.Context, o *options, logf func(string, ...any)) ([]writes.Result, error) {
	scale := o.scales[0]
	sizes := bench.ScaleSizes(scale)
	if sizes.Books < o.writes.BulkRows {
		return nil, fmt.Errorf("writes: -bulk-rows %d exceeds the %d books of scale %d", o.writes.BulkRows, sizes.Books, scale)
	}
	name := bench.DatabaseName(scale) + "_writes"
	pool, err := bench.Clone(ctx, o.db, bench.DatabaseName(scale), name)
	if err != nil {
		return nil, err
	}
	defer func() {
		pool.Close()
		if err := bench.Drop(context.WithoutCancel(ctx), o.db, name); err != nil {
			logf("%v", err)
		}
	}()
	return writes.Run(ctx, pool, benchdocs.InstallSQL, int64(sizes.Books), o.writes, logf)
}

// commandLine is the command that reruns this benchmark, arguments quoted
// for a POSIX shell where they need it.
func commandLine(args []string) string {
	parts := []string{"go run ./cmd/denormbench"}
	for _, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\$`*?[]{}()<>|&;#~") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

// median returns the result with the median docs/s, reporting the highest
// peak heap in use of all runs: a peak is a peak.
func median(results []measure.Result) measure.Result {
	sorted := slices.Clone(results)
	slices.SortFunc(sorted, func(a, b measure.Result) int {
		switch {
		case a.DocsPerSec() < b.DocsPerSec():
			return -1
		case a.DocsPerSec() > b.DocsPerSec():
			return 1
		}
		return 0
	})
	m := sorted[len(sorted)/2]
	for _, r := range results {
		m.PeakHeap = max(m.PeakHeap, r.PeakHeap)
	}
	return m
}

// warm reads every column of every table, TOAST included, so that the page
// cache holds the dataset before the first strategy runs.
func warm(ctx context.Context, pool *pgxpool.Pool) error {
	for _, t := range bench.Tables {
		var n int64
		// Table names come from the fixed list, never from input.
		if err := pool.QueryRow(ctx, "SELECT sum(length(t::text)) FROM "+t+" t").Scan(&n); err != nil {
			return fmt.Errorf("warm %s: %w", t, err)
		}
	}
	return nil
}
