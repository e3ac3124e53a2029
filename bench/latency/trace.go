package latency

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// A phase is a step of the Syncer's work that the report breaks time into.
type phase int

const (
	phaseDrain    phase = iota // Drain's first look: SELECT max(id) FROM denorm.outbox
	phaseBegin                 // BEGIN of the claim and of the snapshot transactions
	phaseClaim                 // SELECT … FOR UPDATE SKIP LOCKED
	phaseSnapshot              // the snapshot version query
	phaseResolve               // the Dependencies' SQL
	phaseBuild                 // Collection.Build (timed by timedCollection)
	phasePut                   // Backend.Put and Delete (timed by timedBackend)
	phaseDelete                // DELETE FROM denorm.outbox
	phaseEnd                   // COMMIT and ROLLBACK
	phaseOther                 // in practice Build's root query, so also inside phaseBuild
	numPhases
)

var phaseNames = [numPhases]string{"drain start", "begin", "claim", "snapshot", "resolve", "build", "put", "delete outbox", "commit", "other (build's root query)"}

func (p phase) String() string { return phaseNames[p] }

// classify names the phase of a statement the Syncer sends. It keys on the
// runtime's SQL text, which this benchmark does not own: a statement it does
// not recognise lands in "other" rather than failing the run.
func classify(sql string) phase {
	s := strings.ToLower(strings.TrimSpace(sql))
	switch {
	case strings.Contains(s, "max(id)") && strings.Contains(s, "denorm.outbox"):
		return phaseDrain
	case strings.HasPrefix(s, "begin"):
		return phaseBegin
	case strings.Contains(s, "for update skip locked"):
		return phaseClaim
	case strings.Contains(s, "pg_current_snapshot"):
		return phaseSnapshot
	case strings.Contains(s, "from denorm.outbox o"):
		return phaseResolve
	case strings.HasPrefix(s, "delete from denorm.outbox"):
		return phaseDelete
	case s == "commit", s == "rollback":
		return phaseEnd
	}
	return phaseOther
}

// phaseTotal is the time spent in one phase and how often it ran.
type phaseTotal struct {
	Count int
	Time  time.Duration
}

// A profile accumulates the Syncer's time per phase and remembers when each
// Drain started, so that a write's wait for the wake-up can be told apart
// from the work done for it. It is the pgx tracer of the Syncer's pool.
type profile struct {
	mu          sync.Mutex
	totals      [numPhases]phaseTotal
	drainStarts []time.Time
}

type traceKey struct{}

type traceStart struct {
	at    time.Time
	phase phase
}

var _ pgx.QueryTracer = (*profile)(nil)

func (p *profile) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	st := traceStart{at: time.Now(), phase: classify(data.SQL)}
	if st.phase == phaseDrain {
		p.mu.Lock()
		p.drainStarts = append(p.drainStarts, st.at)
		p.mu.Unlock()
	}
	return context.WithValue(ctx, traceKey{}, st)
}

func (p *profile) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryEndData) {
	if st, ok := ctx.Value(traceKey{}).(traceStart); ok {
		p.add(st.phase, time.Since(st.at))
	}
}

func (p *profile) add(ph phase, d time.Duration) {
	p.mu.Lock()
	p.totals[ph].Count++
	p.totals[ph].Time += d
	p.mu.Unlock()
}

// reset starts a new measurement.
func (p *profile) reset() {
	p.mu.Lock()
	p.totals = [numPhases]phaseTotal{}
	p.drainStarts = p.drainStarts[:0]
	p.mu.Unlock()
}

// snapshot returns the totals so far.
func (p *profile) snapshot() [numPhases]phaseTotal {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.totals
}

// nextDrain returns the first Drain start at or after t, if any.
func (p *profile) nextDrain(t time.Time) (time.Time, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	// Starts are appended in time order by one Run loop; search from the end,
	// where recent writes find theirs.
	i := len(p.drainStarts)
	for i > 0 && !p.drainStarts[i-1].Before(t) {
		i--
	}
	if i == len(p.drainStarts) {
		return time.Time{}, false
	}
	return p.drainStarts[i], true
}
