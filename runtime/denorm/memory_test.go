package denorm_test

import (
	"testing"

	"github.com/denormgen/denormgen/runtime/backendtest"
	"github.com/denormgen/denormgen/runtime/denorm"
)

func TestMemoryBackendConformance(t *testing.T) {
	backendtest.RunWithOptions(t, backendtest.Options{MaxDocSize: 1 << 20, KeysSnapshot: true}, func(t *testing.T) denorm.Backend {
		return denorm.NewMemoryBackend(denorm.WithMemoryMaxDocSize(1 << 20))
	})
}

func TestMemoryBackendUnlimited(t *testing.T) {
	opts := backendtest.Options{ManyKeys: 20000, KeysSnapshot: true}
	backendtest.RunWithOptions(t, opts, func(t *testing.T) denorm.Backend { return denorm.NewMemoryBackend() })
}

func BenchmarkMemoryBackend(b *testing.B) {
	backendtest.Bench(b, func(testing.TB) denorm.Backend { return denorm.NewMemoryBackend() })
}

func TestMemoryBackendZeroValue(t *testing.T) {
	backendtest.RunWithOptions(t, backendtest.Options{ManyKeys: -1}, func(t *testing.T) denorm.Backend {
		return new(denorm.MemoryBackend)
	})
}
