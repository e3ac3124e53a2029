package denorm

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// An Option configures a Syncer; pass options to Syncer.With.
type Option func(*Syncer) error

// WithBackends adds backends written next to the one given to NewSyncer. A
// change leaves the outbox only after every backend acknowledged it.
func WithBackends(bs ...Backend) Option {
	return func(s *Syncer) error {
		for i, b := range bs {
			if b == nil {
				return fmt.Errorf("WithBackends: backend %d is nil", i)
			}
		}
		s.backends = append(s.backends, bs...)
		return nil
	}
}

// WithBatchSize sets how many changes one transaction claims (whole outbox
// rows until they hold n; a row holds at most 1,000, so a batch may hold up
// to 999 more), and how many roots one Build call renders. The default is 500.
func WithBatchSize(n int) Option {
	return func(s *Syncer) error {
		if n <= 0 {
			return fmt.Errorf("WithBatchSize: size must be positive, got %d", n)
		}
		s.batchSize = n
		return nil
	}
}

// WithPollInterval sets how often Run looks at the outbox when no
// notification arrives. The default is one second.
func WithPollInterval(d time.Duration) Option {
	return func(s *Syncer) error {
		if d <= 0 {
			return fmt.Errorf("WithPollInterval: interval must be positive, got %v", d)
		}
		s.pollInterval = d
		return nil
	}
}

// WithLogger sets the logger of retries, reconnects and dropped documents.
// The default is slog.Default().
func WithLogger(l *slog.Logger) Option {
	return func(s *Syncer) error {
		if l == nil {
			return fmt.Errorf("WithLogger: logger is nil")
		}
		s.log = l
		return nil
	}
}

// WithRegistry registers the Syncer's metrics with reg. Without it no metric
// is kept. Syncers sharing a registry share their metrics.
func WithRegistry(reg prometheus.Registerer) Option {
	return func(s *Syncer) error {
		if reg == nil {
			return fmt.Errorf("WithRegistry: registry is nil")
		}
		m, err := newMetrics(reg)
		if err != nil {
			return fmt.Errorf("WithRegistry: %w", err)
		}
		s.metrics = m
		return nil
	}
}

// WithProgress makes FullSync report its progress after every chunk: roots
// done so far and an estimate of the total (from the planner's statistics;
// never below done).
func WithProgress(f func(collection string, done, total int)) Option {
	return func(s *Syncer) error {
		s.progress = f
		return nil
	}
}

// WithBackoff bounds the wait between retries after a failure (a backend or
// PostgreSQL outage): it starts at min, doubles per failure up to max, and is
// jittered. The default is 100ms to 30s.
func WithBackoff(min, max time.Duration) Option {
	return func(s *Syncer) error {
		if min <= 0 || max < min {
			return fmt.Errorf("WithBackoff: need 0 < min <= max, got min %v, max %v", min, max)
		}
		s.backoff = backoff{min: min, max: max}
		return nil
	}
}
