package denorm_test

import (
	"context"
	"testing"
	"time"

	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/prometheus/client_golang/prometheus"
)

// gatherValue scrapes reg and sums the series of the named family: the
// values of counters and gauges, the sample counts of histograms.
func gatherValue(t *testing.T, reg prometheus.Gatherer, name string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			switch {
			case m.Counter != nil:
				sum += m.Counter.GetValue()
			case m.Gauge != nil:
				sum += m.Gauge.GetValue()
			case m.Histogram != nil:
				sum += float64(m.Histogram.GetSampleCount())
			}
		}
	}
	return sum
}

func TestMetrics(t *testing.T) {
	ctx := context.Background()
	pool, _ := newBlog(t)
	blogSeed(t, pool, 5)
	reg := prometheus.NewRegistry()
	b := denorm.NewMemoryBackend()
	s := denorm.NewSyncer(pool, b, blogPosts{}).With(denorm.WithRegistry(reg))
	// A second syncer on the same registry shares the metrics.
	other := denorm.NewSyncer(pool, b, blogPosts{}).With(denorm.WithRegistry(reg))

	changes := blogOutboxChanges(t, pool)
	if _, err := s.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	blogExec(t, pool, `DELETE FROM post WHERE id = 5`)
	if _, err := other.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]float64{
		// The delete cascades to 2 comments and 1 post_tag row.
		"denorm_changes_processed_total": float64(changes + 4),
		"denorm_documents_rebuilt_total": 5,
		"denorm_documents_deleted_total": 1,
		"denorm_backend_errors_total":    0,
		"denorm_build_duration_seconds":  2,
	} {
		if got := gatherValue(t, reg, name); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "collection" && l.GetValue() != "posts" {
					t.Errorf("%s has a series for collection %q", f.GetName(), l.GetValue())
				}
			}
		}
	}
}

// TestLagWhileBackendIsDown points the syncer at a Redis server that is not
// there yet: the changes wait, the lag shows them and the errors count up,
// and once the server starts everything is written.
func TestLagWhileBackendIsDown(t *testing.T) {
	ctx := context.Background()
	pool, _ := newBlog(t)
	blogExec(t, pool, `INSERT INTO post VALUES (1, 'one'), (2, 'two')`)
	server := newRedisServer(t)
	b := server.backend()
	reg := prometheus.NewRegistry()
	startRun(t, denorm.NewSyncer(pool, b, blogPosts{}).With(
		denorm.WithRegistry(reg),
		denorm.WithPollInterval(20*time.Millisecond),
		denorm.WithBackoff(10*time.Millisecond, 100*time.Millisecond),
		denorm.WithLogger(blogLogger(t)),
	))
	waitFor(t, "backend errors", func() bool { return gatherValue(t, reg, "denorm_backend_errors_total") >= 2 })
	waitFor(t, "the lag gauges", func() bool {
		return gatherValue(t, reg, "denorm_outbox_changes") == 2 && gatherValue(t, reg, "denorm_outbox_lag_seconds") > 0
	})
	rows, oldest, err := denorm.Lag(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if rows != 2 || oldest <= 0 {
		t.Errorf("Lag = %d rows, oldest %v; want 2 rows of some age", rows, oldest)
	}

	server.start()
	waitFor(t, "the outbox to empty", func() bool { return blogOutboxChanges(t, pool) == 0 })
	waitFor(t, "the lag gauges to drop", func() bool { return gatherValue(t, reg, "denorm_outbox_changes") == 0 })
	blogCheck(t, pool, b)
	rows, oldest, err = denorm.Lag(ctx, pool)
	if err != nil || rows != 0 || oldest != 0 {
		t.Errorf("Lag of an empty outbox = %d, %v, %v; want 0, 0, nil", rows, oldest, err)
	}
}
