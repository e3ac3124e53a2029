package denorm

import (
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the Syncer's Prometheus collectors. A nil *metrics keeps
// nothing, so the Syncer records unconditionally and pays nothing without a
// registry.
type metrics struct {
	changes       prometheus.Counter
	rebuilt       *prometheus.CounterVec
	deleted       *prometheus.CounterVec
	backendErrors *prometheus.CounterVec
	build         *prometheus.HistogramVec
	lagChanges    prometheus.Gauge
	lagSeconds    prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		changes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "denorm_changes_processed_total",
			Help: "Changes processed and removed from the outbox.",
		}),
		rebuilt: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "denorm_documents_rebuilt_total",
			Help: "Documents built and written to every backend.",
		}, []string{"collection"}),
		deleted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "denorm_documents_deleted_total",
			Help: "Documents deleted from every backend because their root is gone.",
		}, []string{"collection"}),
		backendErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "denorm_backend_errors_total",
			Help: "Failed backend writes (each is retried unless the document can never be stored).",
		}, []string{"collection"}),
		build: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "denorm_build_duration_seconds",
			Help:    "Time of one Build call (one chunk of roots).",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
		}, []string{"collection"}),
		lagChanges: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "denorm_outbox_changes",
			Help: "Changes waiting in the outbox, as last seen by the syncer.",
		}),
		lagSeconds: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "denorm_outbox_lag_seconds",
			Help: "Age of the oldest change waiting in the outbox, as last seen by the syncer.",
		}),
	}
	var err error
	if m.changes, err = register(reg, m.changes); err != nil {
		return nil, err
	}
	if m.rebuilt, err = register(reg, m.rebuilt); err != nil {
		return nil, err
	}
	if m.deleted, err = register(reg, m.deleted); err != nil {
		return nil, err
	}
	if m.backendErrors, err = register(reg, m.backendErrors); err != nil {
		return nil, err
	}
	if m.build, err = register(reg, m.build); err != nil {
		return nil, err
	}
	if m.lagChanges, err = register(reg, m.lagChanges); err != nil {
		return nil, err
	}
	if m.lagSeconds, err = register(reg, m.lagSeconds); err != nil {
		return nil, err
	}
	return m, nil
}

// register adopts an identical collector already registered, so that several
// syncers of one process (one per shard, or a test's pair) can share a
// registry.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) (C, error) {
	err := reg.Register(c)
	if err == nil {
		return c, nil
	}
	if are, ok := errors.AsType[prometheus.AlreadyRegisteredError](err); ok {
		if existing, ok := are.ExistingCollector.(C); ok {
			return existing, nil
		}
	}
	return c, err
}

func (m *metrics) processed(changes int) {
	if m != nil {
		m.changes.Add(float64(changes))
	}
}

func (m *metrics) wrote(collection string, rebuilt, deleted int) {
	if m != nil {
		m.rebuilt.WithLabelValues(collection).Add(float64(rebuilt))
		m.deleted.WithLabelValues(collection).Add(float64(deleted))
	}
}

func (m *metrics) backendError(collection string) {
	if m != nil {
		m.backendErrors.WithLabelValues(collection).Inc()
	}
}

func (m *metrics) built(collection string, d time.Duration) {
	if m != nil {
		m.build.WithLabelValues(collection).Observe(d.Seconds())
	}
}

func (m *metrics) lag(changes int64, oldest time.Duration) {
	if m != nil {
		m.lagChanges.Set(float64(changes))
		m.lagSeconds.Set(oldest.Seconds())
	}
}
