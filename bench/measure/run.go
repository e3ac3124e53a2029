package measure

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"slices"
	"time"

	"github.com/denormgen/denormgen/bench/strategy"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Workloads of the benchmark.
const (
	// Full builds every document once: a full sync.
	Full = "full"
	// Incremental rebuilds rounds of random roots: the Syncer after a burst
	// of changes.
	Incremental = "incremental"
)

// A Result is one strategy's measurement on one workload.
type Result struct {
	Strategy string
	Workload string
	Docs     int           // documents built (for the lower bound: books read)
	Bytes    int64         // JSON bytes produced
	Elapsed  time.Duration // wall time of the measured part
	PeakHeap uint64        // peak HeapInuse while it ran (garbage included), above the heap at its start
	PeakLive uint64        // peak live heap found by a collection while it ran, above the live heap at its start
	Alloc    uint64        // bytes allocated while it ran
	Capped   bool          // stopped early (N+1 on the full workload)
	// Lives are the live heaps the collections found, in order.
	Lives []LiveSample
}

func (r *Result) setHeap(h heapUse) {
	r.PeakHeap, r.PeakLive, r.Alloc, r.Lives = h.peakInuse, h.peakLive, h.allocated, h.lives
}

// Add adds o, a measurement of the same strategy and workload made right
// after r, to r: the incremental workload measures round by round, each
// round for every strategy in turn, and adds the rounds up.
func (r *Result) Add(o Result) {
	for _, l := range o.Lives {
		l.At += r.Elapsed
		r.Lives = append(r.Lives, l)
	}
	r.Strategy, r.Workload = o.Strategy, o.Workload
	r.Docs += o.Docs
	r.Bytes += o.Bytes
	r.Elapsed += o.Elapsed
	r.PeakHeap = max(r.PeakHeap, o.PeakHeap)
	r.PeakLive = max(r.PeakLive, o.PeakLive)
	r.Alloc += o.Alloc
	r.Capped = r.Capped || o.Capped
}

// PeakLiveSpans is the peak live heap of a run cut into n spans of equal
// time: the highest live heap in each span, and the median of those (the
// upper one of an even count). A run three times as long has three times
// as many collections, and its plain maximum would be higher by chance
// alone; per span, it is compared with a run as long as one span. Memory
// that grows with the work done still shows: the later spans' peaks rise.
func (r Result) PeakLiveSpans(n int) uint64 {
	if n <= 1 || r.Elapsed <= 0 {
		return r.PeakLive
	}
	peaks := make([]uint64, n)
	seen := make([]bool, n)
	for _, l := range r.Lives {
		i := min(n-1, int(int64(n)*int64(l.At)/int64(r.Elapsed)))
		peaks[i], seen[i] = max(peaks[i], l.Bytes), true
	}
	var found []uint64
	for i, p := range peaks {
		if seen[i] {
			found = append(found, p)
		}
	}
	if len(found) == 0 {
		return r.PeakLive
	}
	slices.Sort(found)
	return found[len(found)/2]
}

// DocsPerSec is the throughput.
func (r Result) DocsPerSec() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Docs) / r.Elapsed.Seconds()
}

// AllocPerDoc is the bytes allocated per document.
func (r Result) AllocPerDoc() float64 {
	if r.Docs == 0 {
		return 0
	}
	return float64(r.Alloc) / float64(r.Docs)
}

// MemoryGOGC is the collector's percentage for the untimed run that
// measures a strategy's peak live heap. The live heap is only known when a
// collection ends; with GOGC=100 a collection comes every time the heap has
// doubled, so a run that allocates three times as much (scale 3) gets three
// times as many looks at its live heap, and a higher maximum by chance
// alone. At 20 both scales get enough looks that the maximum is the working
// set, not the luck of when the collector ran.
const MemoryGOGC = 20

// WithGOGC runs f with the collector's percentage at gogc, restoring the
// previous one afterwards.
func WithGOGC(gogc int, f func() (Result, error)) (Result, error) {
	defer debug.SetGCPercent(debug.SetGCPercent(gogc))
	return f()
}

// RunFull builds every document with s, stopping after limit documents when
// limit is positive.
func RunFull(ctx context.Context, pool *pgxpool.Pool, s strategy.Strategy, limit int) (Result, error) {
	r := Result{Strategy: s.Name(), Workload: Full}
	heap := startHeap()
	start := time.Now()
	err := s.BuildAll(ctx, pool, func(_ int64, doc []byte) error {
		r.Docs++
		r.Bytes += int64(len(doc))
		if limit > 0 && r.Docs >= limit {
			r.Capped = true
			return strategy.ErrStop
		}
		return nil
	})
	r.Elapsed = time.Since(start)
	r.setHeap(heap.finish())
	if err != nil {
		return r, fmt.Errorf("%s, full build: %w", s.Name(), err)
	}
	return r, checkRendered(s, r)
}

// RunIncremental rebuilds each round of ids with s.
func RunIncremental(ctx context.Context, pool *pgxpool.Pool, s strategy.Strategy, rounds [][]int64) (Result, error) {
	r := Result{Strategy: s.Name(), Workload: Incremental}
	heap := startHeap()
	start := time.Now()
	var err error
	for _, ids := range rounds {
		var docs map[int64][]byte
		if docs, err = s.Build(ctx, pool, ids); err != nil {
			break
		}
		r.count(docs)
	}
	r.Elapsed = time.Since(start)
	r.setHeap(heap.finish())
	if err != nil {
		return r, fmt.Errorf("%s, incremental: %w", s.Name(), err)
	}
	return r, checkRendered(s, r)
}

// RunRound rebuilds one round of ids with s, for a measurement that goes
// round by round over several strategies: without the collection that
// starts RunIncremental, which would take each round's garbage out of the
// time of the next strategy's round instead of leaving it to the collector,
// paced on all of them. Its PeakHeap is the whole process's HeapInuse when
// the round ends; Alloc is the round's own.
func RunRound(ctx context.Context, pool *pgxpool.Pool, s strategy.Strategy, ids []int64) (Result, error) {
	r := Result{Strategy: s.Name(), Workload: Incremental}
	samples := newSamples()
	before := readHeap(samples)
	start := time.Now()
	docs, err := s.Build(ctx, pool, ids)
	r.Elapsed = time.Since(start)
	after := readHeap(samples)
	r.PeakHeap, r.Alloc = after.inuse, after.allocs-before.allocs
	if err != nil {
		return r, fmt.Errorf("%s, incremental: %w", s.Name(), err)
	}
	r.count(docs)
	return r, checkRendered(s, r)
}

// count adds docs to the documents and bytes built.
func (r *Result) count(docs map[int64][]byte) {
	r.Docs += len(docs)
	for _, doc := range docs {
		r.Bytes += int64(len(doc))
	}
}

// checkRendered guards the numbers against a strategy that got faster by
// building nothing.
func checkRendered(s strategy.Strategy, r Result) error {
	switch {
	case r.Docs == 0:
		return fmt.Errorf("%s, %s: built no documents", s.Name(), r.Workload)
	case strategy.Renders(s) && r.Bytes < int64(r.Docs)*20:
		return fmt.Errorf("%s, %s: %d documents in %d bytes is too little JSON", s.Name(), r.Workload, r.Docs, r.Bytes)
	}
	return nil
}

// Rounds draws n rounds of size distinct random ids in [1, books] from a
// seeded generator: every strategy, and every rerun with the same seed,
// rebuilds the same roots.
func Rounds(seed uint64, n, size, books int) ([][]int64, error) {
	if size > books {
		return nil, errors.New("incremental rounds: more roots per round than books")
	}
	rng := rand.New(rand.NewPCG(seed, 0x6465_6e6f_726d)) // "denorm"
	rounds := make([][]int64, n)
	for i := range rounds {
		seen := make(map[int64]bool, size)
		ids := make([]int64, 0, size)
		for len(ids) < size {
			id := 1 + rng.Int64N(int64(books))
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		rounds[i] = ids
	}
	return rounds, nil
}
