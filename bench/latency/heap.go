package latency

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"time"
)

// heapInuseMetrics sum to runtime.MemStats.HeapInuse. They are read through
// runtime/metrics because ReadMemStats stops the world, which a sampler
// running every millisecond must not do to the Syncer it measures.
var heapInuseMetrics = []string{
	"/memory/classes/heap/objects:bytes",
	"/memory/classes/heap/unused:bytes",
}

func heapInuse(samples []metrics.Sample) uint64 {
	metrics.Read(samples)
	return samples[0].Value.Uint64() + samples[1].Value.Uint64()
}

func newHeapSamples() []metrics.Sample {
	s := make([]metrics.Sample, len(heapInuseMetrics))
	for i, name := range heapInuseMetrics {
		s[i].Name = name
	}
	return s
}

// A heapPeak samples the process's heap in use every millisecond and keeps
// the highest value.
type heapPeak struct {
	stop  chan struct{}
	done  sync.WaitGroup
	base  uint64
	peak  uint64
	count int
}

// startHeapPeak collects garbage first, so that runs start from the same
// heap and the base is what the process holds between runs.
func startHeapPeak() *heapPeak {
	runtime.GC()
	h := &heapPeak{stop: make(chan struct{})}
	h.base = heapInuse(newHeapSamples())
	h.peak = h.base
	h.done.Go(func() {
		samples := newHeapSamples()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-h.stop:
				return
			case <-t.C:
				h.peak = max(h.peak, heapInuse(samples))
				h.count++
			}
		}
	})
	return h
}

// finish stops sampling and returns the heap in use at the start and the
// peak.
func (h *heapPeak) finish() (base, peak uint64) {
	close(h.stop)
	h.done.Wait()
	return h.base, max(h.peak, heapInuse(newHeapSamples()))
}
