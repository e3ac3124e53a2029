package report

import (
	"strings"
	"testing"
	"time"

	"github.com/denormgen/denormgen/bench/measure"
)

func result(name string, docsPerSec float64, heap uint64) measure.Result {
	return measure.Result{Strategy: name, Docs: int(docsPerSec), Elapsed: time.Second, PeakLive: heap, PeakHeap: 2 * heap}
}

func TestTargets(t *testing.T) {
	r := &Report{Scales: []Scale{
		{Scale: 1, Full: []measure.Result{
			result("generated", 120_000, 10<<20),
			result("pgx-prefetch", 30_000, 10<<20),
			result("gorm-preload", 25_000, 10<<20),
			result("lower-bound", 400_000, 10<<20),
		}, Incremental: []measure.Result{
			result("generated", 20_000, 0),
			result("pgx-prefetch", 15_000, 0),
		}},
		{Scale: 3, Full: []measure.Result{result("generated", 120_000, 11<<20)}},
	}}
	got := map[string]bool{}
	for _, tg := range r.targets() {
		got[tg.name] = tg.met
	}
	want := map[string]bool{
		"full build ≥ 100,000 docs/s (scale 1)":                      true,
		"full build ≥ 3.0× pgx-prefetch":                             true,  // 4×
		"full build ≥ 6.0× gorm-preload":                             false, // 4.8×
		"full build within 3× of lower-bound":                        false, // 3.33×
		"incremental rebuild ≥ 1.5× pgx-prefetch":                    false, // 1.33×
		"full build peak live heap flat from scale 1 to 3 (≤ 1.25×)": true,  // 1.1×
	}
	for name, met := range want {
		if m, ok := got[name]; !ok || m != met {
			t.Errorf("target %q: met=%v present=%v, want met=%v", name, m, ok, met)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d targets, want %d: %v", len(got), len(want), got)
	}
}

func TestWriteShowsRatiosToEachBaseline(t *testing.T) {
	r := &Report{Scales: []Scale{{Scale: 1, Full: []measure.Result{
		result("generated", 90_000, 1<<20),
		result("pgx-prefetch", 30_000, 1<<20),
	}}}}
	var b strings.Builder
	if err := r.Write(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| generated | 90000 | 1.00s | 90,000 | 1.0 MiB | 2.0 MiB | 0.0 KiB | — | 3.00 |",
		"| pgx-prefetch | 30000 | 1.00s | 30,000 | 1.0 MiB | 2.0 MiB | 0.0 KiB | 0.33 | — |",
		"| full build ≥ 100,000 docs/s (scale 1) | 90,000 docs/s | **no** |",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
}

func TestIncrementalTargetEveryScaleAndRun(t *testing.T) {
	runs := func(docsPerSec ...float64) []measure.Result {
		var out []measure.Result
		for _, d := range docsPerSec {
			out = append(out, result("", d, 0))
		}
		return out
	}
	scale := func(n int, gen, base float64, genRuns, baseRuns []measure.Result) Scale {
		return Scale{Scale: n, Incremental: []measure.Result{
			result("generated", gen, 0), result("pgx-prefetch", base, 0),
		}, IncrementalRuns: map[string][]measure.Result{"generated": genRuns, "pgx-prefetch": baseRuns}}
	}
	r := &Report{Scales: []Scale{
		scale(1, 32_000, 20_000, runs(30_000, 32_000, 33_000), runs(20_000, 20_000, 20_000)),
		scale(3, 29_000, 20_000, runs(29_000, 28_000, 31_000), runs(20_000, 20_000, 20_000)),
	}}
	tg, ok := r.incrementalTarget()
	if !ok {
		t.Fatal("no incremental target")
	}
	want := "scale 1: 1.60× (32,000 vs 20,000 docs/s), runs 1.50× 1.60× 1.65×; scale 3: 1.45× (29,000 vs 20,000 docs/s), runs 1.45× 1.40× 1.55×"
	if tg.measured != want {
		t.Errorf("measured %q\nwant     %q", tg.measured, want)
	}
	if tg.met {
		t.Error("met with scale 3 at 1.45×")
	}
	r.Scales = r.Scales[:1]
	if tg, _ := r.incrementalTarget(); !tg.met {
		t.Errorf("not met at 1.60×: %+v", tg)
	}
}
