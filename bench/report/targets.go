package report

import (
	"fmt"

	"github.com/denormgen/denormgen/bench/measure"
)

// The targets of the issue, on a 2-core machine.
const (
	targetFullDocsPerSec   = 100_000
	targetFullVsPrefetch   = 3.0  // times the hand-written batched prefetch
	targetFullVsGorm       = 6.0  // times gorm's default Preload
	targetFullVsLowerBound = 3.0  // at most this many times slower than the lower bound
	targetIncrVsPrefetch   = 1.5  // times the hand-written batched prefetch, per document
	targetHeapGrowth       = 1.25 // peak live heap at the largest scale over the smallest: "flat"
)

type target struct {
	name, measured string
	met            bool
}

// targets checks the targets on the smallest scale measured (the
// heap target compares the smallest and the largest).
func (r *Report) targets() []target {
	out := r.readTargets()
	for _, w := range r.Writes {
		out = append(out, target{
			name:     "writes: " + w.Case.Name,
			measured: fmt.Sprintf("time with triggers %.2f× (target ≤ %.2f×; empty triggers %.2f×), %d changes recorded", w.Slowdown(), w.Case.MaxSlowdown, w.EmptySlowdown(), w.Outbox),
			met:      w.Met(),
		})
	}
	return out
}

func (r *Report) readTargets() []target {
	if len(r.Scales) == 0 {
		return nil
	}
	var out []target
	first := r.Scales[0]
	full := byName(first.Full)
	if gen, ok := full["generated"]; ok {
		out = append(out, target{
			name:     fmt.Sprintf("full build ≥ %s docs/s (scale %d)", thousands(targetFullDocsPerSec), first.Scale),
			measured: thousands(gen.DocsPerSec()) + " docs/s",
			met:      gen.DocsPerSec() >= targetFullDocsPerSec,
		})
		if base, ok := full["pgx-prefetch"]; ok {
			out = append(out, faster("full build", gen, base, targetFullVsPrefetch))
		}
		if base, ok := full["gorm-preload"]; ok {
			out = append(out, faster("full build", gen, base, targetFullVsGorm))
		}
		if lb, ok := full["lower-bound"]; ok {
			ratio := lb.DocsPerSec() / gen.DocsPerSec()
			out = append(out, target{
				name:     fmt.Sprintf("full build within %.0f× of lower-bound", targetFullVsLowerBound),
				measured: fmt.Sprintf("lower-bound is %.2f× faster", ratio),
				met:      ratio <= targetFullVsLowerBound,
			})
		}
	}
	incr := byName(first.Incremental)
	if gen, ok := incr["generated"]; ok {
		if base, ok := incr["pgx-prefetch"]; ok {
			out = append(out, faster("incremental rebuild", gen, base, targetIncrVsPrefetch))
		}
	}
	if last := r.Scales[len(r.Scales)-1]; last.Scale != first.Scale {
		small, okSmall := byName(first.Full)["generated"]
		large, okLarge := byName(last.Full)["generated"]
		if okSmall && okLarge {
			growth := float64(large.PeakLive) / float64(max(small.PeakLive, 1))
			out = append(out, target{
				name: fmt.Sprintf("full build peak live heap flat from scale %d to %d (≤ %.2f×)",
					first.Scale, last.Scale, targetHeapGrowth),
				measured: fmt.Sprintf("%s → %s (%.2f×; peak in use %s → %s)", mib(small.PeakLive), mib(large.PeakLive), growth,
					mib(small.PeakHeap), mib(large.PeakHeap)),
				met: growth <= targetHeapGrowth,
			})
		}
	}
	return out
}

func faster(workload string, gen, base measure.Result, want float64) target {
	ratio := gen.DocsPerSec() / base.DocsPerSec()
	return target{
		name:     fmt.Sprintf("%s ≥ %.1f× %s", workload, want, base.Strategy),
		measured: fmt.Sprintf("%.2f× (%s vs %s docs/s)", ratio, thousands(gen.DocsPerSec()), thousands(base.DocsPerSec())),
		met:      ratio >= want,
	}
}

func byName(results []measure.Result) map[string]measure.Result {
	m := make(map[string]measure.Result, len(results))
	for _, r := range results {
		m[r.Strategy] = r
	}
	return m
}
