package denorm

import (
	"context"
	"math/rand/v2"
	"time"
)

// backoff is capped exponential backoff with jitter. The jitter keeps several
// syncers that failed together (a shared outage) from retrying in lockstep.
type backoff struct {
	min, max time.Duration
}

// delay is the wait before retry number failures (counting from 1): a random
// duration in [d/2, d] with d = min·2^(failures-1), capped at max.
func (b backoff) delay(failures int) time.Duration {
	d := b.min
	for i := 1; i < failures && d < b.max; i++ {
		d *= 2
	}
	d = min(d, b.max)
	half := d / 2
	return half + rand.N(d-half+1)
}

// sleep waits for d or until ctx is done, and reports whether the wait ran to
// its end.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
