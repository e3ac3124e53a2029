package denorm

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestBackoffDelay(t *testing.T) {
	b := backoff{min: 100 * time.Millisecond, max: time.Second}
	for _, tc := range []struct {
		failures int
		ceiling  time.Duration
	}{
		{1, 100 * time.Millisecond},
		{2, 200 * time.Millisecond},
		{4, 800 * time.Millisecond},
		{5, time.Second},
		{1000, time.Second}, // no overflow however long the outage
	} {
		for range 100 {
			d := b.delay(tc.failures)
			if d < tc.ceiling/2 || d > tc.ceiling {
				t.Fatalf("delay(%d) = %v, want within [%v, %v]", tc.failures, d, tc.ceiling/2, tc.ceiling)
			}
		}
	}
}

func TestTooLargeKeys(t *testing.T) {
	tooLarge := &TooLargeError{Collection: "posts", Key: "1", Size: 10, Limit: 5}
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"one", tooLarge, true},
		{"joined", errors.Join(tooLarge, tooLarge), true},
		{"wrapped join", fmt.Errorf("redis: %w", errors.Join(tooLarge, tooLarge)), true},
		{"with another error", errors.Join(tooLarge, errors.New("connection refused")), false},
		{"other", errors.New("connection refused"), false},
		{"empty wrapper", fmt.Errorf("nothing"), false},
	} {
		keys := tooLargeKeys(tc.err)
		if got := keys != nil; got != tc.want {
			t.Errorf("%s: tooLargeKeys(%v) = %v, want keys: %v", tc.name, tc.err, keys, tc.want)
		}
		if keys != nil && (len(keys) != 1 || !keys["1"]) {
			t.Errorf("%s: tooLargeKeys(%v) = %v, want key 1", tc.name, tc.err, keys)
		}
	}
}
