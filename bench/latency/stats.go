package latency

import (
	"slices"
	"time"
)

// A Summary is the distribution of one duration over many writes.
type Summary struct {
	N                  int
	P50, P90, P99, Max time.Duration
	Mean               time.Duration
}

// summarize sorts ds in place.
func summarize(ds []time.Duration) Summary {
	if len(ds) == 0 {
		return Summary{}
	}
	slices.Sort(ds)
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return Summary{
		N:    len(ds),
		P50:  quantile(ds, 0.50),
		P90:  quantile(ds, 0.90),
		P99:  quantile(ds, 0.99),
		Max:  ds[len(ds)-1],
		Mean: sum / time.Duration(len(ds)),
	}
}

// quantile is the nearest-rank quantile of sorted ds: the smallest value
// with at least q of the values at or below it.
func quantile(ds []time.Duration, q float64) time.Duration {
	i := int(float64(len(ds))*q+0.999999) - 1
	return ds[max(0, min(i, len(ds)-1))]
}

// A lagSample is the outbox backlog at one moment of a run.
type lagSample struct {
	at   time.Duration // since the run started
	rows int64
}

// slope fits rows = a + b*t by least squares and returns b in rows per
// second: how fast the backlog grows.
func slope(samples []lagSample) float64 {
	n := float64(len(samples))
	if n < 2 {
		return 0
	}
	var st, sr, stt, str float64
	for _, s := range samples {
		t, r := s.at.Seconds(), float64(s.rows)
		st += t
		sr += r
		stt += t * t
		str += t * r
	}
	den := n*stt - st*st
	if den == 0 {
		return 0
	}
	return (n*str - st*sr) / den
}
