package denorm

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// notifyChannel is the channel the install SQL's triggers notify after each
// captured statement.
const notifyChannel = "denorm_outbox"

// Run keeps the backends in sync until ctx is canceled, then returns nil. It
// wakes on the triggers' notifications (LISTEN on a dedicated connection) and
// also polls every poll interval, since notifications are lost while that
// connection is down. Failures of PostgreSQL or of a backend are logged and
// retried with capped exponential backoff; the changes wait in the outbox.
// A batch in flight at cancellation is rolled back and stays in the outbox.
func (s *Syncer) Run(ctx context.Context) error {
	if s.err != nil {
		return s.err
	}
	wake := make(chan struct{}, 1)
	listenCtx, stopListening := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { s.listen(listenCtx, wake) })
	defer func() {
		stopListening()
		wg.Wait()
	}()

	poll := time.NewTicker(s.pollInterval)
	defer poll.Stop()
	failures := 0
	var lagAt time.Time
	for {
		// Each pass ends at the rows present when it started, so that the
		// lag gauges stay current under a constant stream of writes.
		st, err := s.Drain(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if time.Since(lagAt) >= s.pollInterval {
			s.recordLag(ctx)
			lagAt = time.Now()
		}
		if err != nil {
			failures++
			d := s.backoff.delay(failures)
			s.log.Warn("denorm: sync failed; the changes stay in the outbox",
				"err", err, "failures", failures, "retry_in", d)
			if !sleep(ctx, d) {
				return nil
			}
			continue
		}
		if failures > 0 {
			s.log.Info("denorm: sync recovered", "failures", failures)
			failures = 0
		}
		if st.Changes > 0 {
			s.log.Debug("denorm: synced", "changes", st.Changes, "rebuilt", st.Rebuilt, "deleted", st.Deleted, "took", st.Duration)
		}
		// More may have come in meanwhile. While LISTEN is up, their
		// notifications have left a wake-up pending; otherwise look again at
		// once, unless all the pass did was put refused roots back, which
		// only a later pass (or a change that shrinks them) can help.
		if st.Changes > st.Requeued && !s.listenUp.Load() {
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-wake:
		case <-poll.C:
		}
	}
}

// recordLag refreshes the lag gauges. It costs a scan of the outbox, so Run
// calls it at most once per poll interval.
func (s *Syncer) recordLag(ctx context.Context) {
	if s.metrics == nil {
		return
	}
	changes, oldest, err := Lag(ctx, s.pool)
	if err != nil {
		s.log.Warn("denorm: cannot read outbox lag", "err", err)
		return
	}
	s.metrics.lag(changes, oldest)
}

// listen forwards notifications to wake until ctx ends, reconnecting with
// backoff whenever its connection is lost (a PostgreSQL restart, a killed
// backend, a network cut).
func (s *Syncer) listen(ctx context.Context, wake chan<- struct{}) {
	failures := 0
	for {
		err := s.listenOnce(ctx, wake, &failures)
		if ctx.Err() != nil {
			return
		}
		failures++
		d := s.backoff.delay(failures)
		s.log.Warn("denorm: lost the LISTEN connection; polling until it is back",
			"err", err, "failures", failures, "retry_in", d)
		if !sleep(ctx, d) {
			return
		}
	}
}

func (s *Syncer) listenOnce(ctx context.Context, wake chan<- struct{}, failures *int) error {
	// A connection of its own: a pooled one would go back to the pool still
	// listening, and a long wait would hold a pool slot.
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		conn.Close(ctx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	*failures = 0
	s.listenUp.Store(true)
	defer s.listenUp.Store(false)
	s.listeningOnce.Do(func() { close(s.listening) })
	// Changes may have arrived unannounced while we were not listening.
	signal(wake)
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return fmt.Errorf("wait for notification: %w", err)
		}
		signal(wake)
	}
}

// signal wakes Run without blocking: one pending wake-up covers any number
// of notifications, since a pass drains everything.
func signal(wake chan<- struct{}) {
	select {
	case wake <- struct{}{}:
	default:
	}
}
