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
var heapMetrics = []string{
	"/memory/classes/heap/objects:bytes",
	"/memory/classes/heap/unused:bytes",
	"/gc/heap/allocs:bytes",
}

type heapReading struct {
	inuse, allocs uint64
}

func readHeap(samples []metrics.Sample) heapReading {
	metrics.Read(samples)
	return heapReading{
		inuse:  samples[0].Value.Uint64() + samples[1].Value.Uint64(),
		allocs: samples[2].Value.Uint64(),
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
	peak  uint64
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
	h.done.Add(1)
	go func() {
		defer h.done.Done()
		samples := newSamples()
		t := time.NewTicker(sampleEvery)
		defer t.Stop()
		for {
			select {
			case <-h.stop:
				return
			case <-t.C:
				h.peak = max(h.peak, readHeap(samples).inuse)
			}
		}
	}()
	return h
}

// finish stops sampling and returns the peak heap in use above the heap
// live at the start, and the bytes allocated since the start. Subtracting
// the start leaves out what earlier strategies and scales keep alive (pools,
// caches), so the peak is this run's own.
func (h *heapSampler) finish() (peak, allocated uint64) {
	close(h.stop)
	h.done.Wait()
	h.end = readHeap(newSamples())
	peak = max(h.peak, h.end.inuse)
	return peak - min(peak, h.start.inuse), h.end.allocs - h.start.allocs
}
