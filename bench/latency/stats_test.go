package latency

import (
	"math"
	"testing"
	"time"
)

func TestSummarize(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- { // unsorted on purpose
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	s := summarize(ds)
	want := Summary{N: 100, P50: 50 * time.Millisecond, P90: 90 * time.Millisecond, P99: 99 * time.Millisecond,
		Max: 100 * time.Millisecond, Mean: 50500 * time.Microsecond}
	if s != want {
		t.Errorf("summarize(1..100 ms) = %+v, want %+v", s, want)
	}
	if s := summarize([]time.Duration{7}); s.P50 != 7 || s.P99 != 7 || s.Max != 7 {
		t.Errorf("summarize of one value = %+v", s)
	}
	if s := summarize(nil); s.N != 0 {
		t.Errorf("summarize(nil) = %+v", s)
	}
}

func TestSlope(t *testing.T) {
	var grow, flat []lagSample
	for i := range 20 {
		at := time.Duration(i) * 250 * time.Millisecond
		grow = append(grow, lagSample{at: at, rows: int64(10 + 40*at.Seconds())})
		flat = append(flat, lagSample{at: at, rows: int64(5 + i%2*10)}) // oscillates, does not grow
	}
	if b := slope(grow); math.Abs(b-40) > 0.5 {
		t.Errorf("slope of a backlog growing 40 rows/s = %v", b)
	}
	if b := slope(flat); math.Abs(b) > 1 {
		t.Errorf("slope of an oscillating backlog = %v, want about 0", b)
	}
	if b := slope(grow[:1]); b != 0 {
		t.Errorf("slope of one sample = %v, want 0", b)
	}
}

func TestClassify(t *testing.T) {
	for sql, want := range map[string]phase{
		`SELECT COALESCE(max(id), 0) FROM denorm.outbox`:                               phaseDrain,
		`begin isolation level repeatable read read only`:                              phaseBegin,
		"SELECT id, table_name, op FROM denorm.outbox LIMIT $2 FOR UPDATE SKIP LOCKED": phaseClaim,
		`DELETE FROM denorm.outbox WHERE id = ANY($1)`:                                 phaseDelete,
		`commit`: phaseEnd,
		`SELECT t.id FROM book t WHERE t.id = ANY($1)`: phaseOther,
	} {
		if got := classify(sql); got != want {
			t.Errorf("classify(%q) = %s, want %s", sql, got, want)
		}
	}
}
