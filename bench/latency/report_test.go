package latency

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// Several runs of one rate each get a row of their own, named by run.
func TestReportRuns(t *testing.T) {
	r := &Report{Date: time.Unix(0, 0), Runs: 2}
	for run := 1; run <= 2; run++ {
		r.Steady = append(r.Steady, SteadyResult{Rate: 200, Run: run, Latency: Summary{P50: time.Millisecond, P99: time.Duration(run) * 40 * time.Millisecond}})
	}
	var b bytes.Buffer
	r.Write(&b)
	md := b.String()
	for _, want := range []string{"Each rate ran 2 times", "| 200/s, run 1 |", "| 200/s, run 2 |", "40.0 ms", "80.0 ms"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
	r.Runs = 1
	r.Steady = r.Steady[:1]
	b.Reset()
	r.Write(&b)
	if md := b.String(); strings.Contains(md, "run 1") || !strings.Contains(md, "| 200/s |") {
		t.Errorf("one run: want rows named by rate alone:\n%s", md)
	}
}
