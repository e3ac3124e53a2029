// Package measure runs a strategy on a workload and measures what the
// report shows: documents per second, peak heap and allocation.
package measure

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"time"
)

// heapInuse is HeapInuse of runtime.MemStats, read through runtime/metrics:
// ReadMemStats stops the world, which a sampler running every millisecond
// must not do to the code it measures.
//
// /gc/heap/live:bytes is the heap the last garbage collection found live.
// Its peak is the memory a build keeps, free of the collector's pacing:
// HeapInuse also holds the garbage allowed to pile up until the next
// collection, which with GOGC=100 is as large as the whole live heap of the
// process, so it grows with whatever else the process keeps alive.
var heapMetrics = []string{
	"/memory/classes/heap/objects:bytes",
	"/memory/classes/heap/unused:bytes",
	"/gc/heap/allocs:bytes",
	"/gc/heap/live:bytes",
}

type heapReading struct {
	inuse, allocs, live uint64
}

func readHeap(samples []metrics.Sample) heapReading {
	metrics.Read(samples)
	return heapReading{
		inuse:  samples[0].Value.Uint64() + samples[1].Value.Uint64(),
		allocs: samples[2].Value.Uint64(),
		live:   samples[3].Value.Uint64(),
	}
}

func newSamples() []metrics.Sample {
	s := make([]metrics.Sample, len(heapMetrics))
	for i, name := range heapMetrics {
		s[i].Name = name
	}
	return s
}

// A heapSampler records the peak heap in use while it runs.
type heapSampler struct {
	stop  chan struct{}
	done  sync.WaitGroup
	peak  uint64 // HeapInuse
	live  uint64 // live heap found by a collection
	lives []LiveSample
	began time.Time
	start heapReading
	end   heapReading
}

// sampleEvery is often enough to catch the peak of a chunk's allocations
// (a chunk of 1,000 documents takes several milliseconds to build) and rare
// enough to cost nothing measurable.
const sampleEvery = time.Millisecond

// startHeap collects garbage, so that every strategy starts from the same
// heap, and starts sampling.
func startHeap() *heapSampler {
	runtime.GC()
	h := &heapSampler{stop: make(chan struct{})}
	samples := newSamples()
	h.start = readHeap(samples)
	h.peak = h.start.inuse
	h.live = h.start.live
	h.began = time.Now()
	h.done.Add(1)
	go func() {
		defer h.done.Done()
		samples := newSamples()
		last := h.start.live
		t := time.NewTicker(sampleEvery)
		defer t.Stop()
		for {
			select {
			case <-h.stop:
				return
			case <-t.C:
				r := readHeap(samples)
				h.peak = max(h.peak, r.inuse)
				h.live = max(h.live, r.live)
				if r.live != last {
					// A collection ended since the last look.
					last = r.live
					h.lives = append(h.lives, LiveSample{At: time.Since(h.began), Bytes: r.live - min(r.live, h.start.live)})
				}
			}
		}
	}()
	return h
}

// heapUse is what a run used of the heap, above what was live at its start.
type heapUse struct {
	peakInuse uint64 // highest HeapInuse, garbage included
	peakLive  uint64 // highest live heap a collection found
	lives     []LiveSample
	allocated uint64 // bytes allocated
}

// A LiveSample is the live heap a collection found, above the live heap at
// the start of the run, and when it was seen.
type LiveSample struct {
	At    time.Duration // since the start of the run
	Bytes uint64
}

// finish stops sampling and returns the run's heap use. Subtracting the
// start leaves out what earlier strategies and scales keep alive (pools,
// caches), so the peaks are this run's own.
func (h *heapSampler) finish() heapUse {
	close(h.stop)
	h.done.Wait()
	h.end = readHeap(newSamples())
	peak := max(h.peak, h.end.inuse)
	live := max(h.live, h.end.live)
	return heapUse{
		peakInuse: peak - min(peak, h.start.inuse),
		peakLive:  live - min(live, h.start.live),
		lives:     h.lives,
		allocated: h.end.allocs - h.start.allocs,
	}
}
