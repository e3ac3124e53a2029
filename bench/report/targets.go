package report

import (
	"fmt"
	"strings"

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
	if t, ok := r.incrementalTarget(); ok {
		out = append(out, t)
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

// incrementalTarget checks the incremental rebuild against the prefetch at
// every scale measured: the ratio of the medians, met only if it is at every
// scale, and the ratio of each run, whose spread shows how far one report
// can be trusted.
func (r *Report) incrementalTarget() (target, bool) {
	var parts []string
	met, found := true, false
	for _, sc := range r.Scales {
		incr := byName(sc.Incremental)
		gen, okGen := incr["generated"]
		base, okBase := incr["pgx-prefetch"]
		if !okGen || !okBase {
			continue
		}
		found = true
		ratio := gen.DocsPerSec() / base.DocsPerSec()
		met = met && ratio >= targetIncrVsPrefetch
		part := fmt.Sprintf("scale %d: %.2f× (%s vs %s docs/s)", sc.Scale, ratio, thousands(gen.DocsPerSec()), thousands(base.DocsPerSec()))
		genRuns, baseRuns := sc.IncrementalRuns["generated"], sc.IncrementalRuns["pgx-prefetch"]
		if len(genRuns) > 1 && len(genRuns) == len(baseRuns) {
			runs := make([]string, len(genRuns))
			for i := range genRuns {
				runs[i] = fmt.Sprintf("%.2f×", genRuns[i].DocsPerSec()/baseRuns[i].DocsPerSec())
			}
			part += ", runs " + strings.Join(runs, " ")
		}
		parts = append(parts, part)
	}
	return target{
		name:     fmt.Sprintf("incremental rebuild ≥ %.1f× pgx-prefetch", targetIncrVsPrefetch),
		measured: strings.Join(parts, "; "),
		met:      met,
	}, found
}

func byName(results []measure.Result) map[string]measure.Result {
	m := make(map[string]measure.Result, len(results))
	for _, r := range results {
		m[r.Strategy] = r
	}
	return m
}
