package denorm_test

import (
	"testing"

	"github.com/denormgen/denormgen/runtime/backendtest"
	"github.com/denormgen/denormgen/runtime/denorm"
)

func TestMemoryBackendConformance(t *testing.T) {
	backendtest.RunWithOptions(t, backendtest.Options{MaxDocSize: 1 << 20}, func(t *testing.T) denorm.Backend {
		return denorm.NewMemoryBackend(denorm.WithMemoryMaxDocSize(1 << 20))
	})
}

func TestMemoryBackendUnlimited(t *testing.T) {
	backendtest.Run(t, func(t *testing.T) denorm.Backend { return denorm.NewMemoryBackend() })
}

func BenchmarkMemoryBackend(b *testing.B) {
	backendtest.Bench(b, func(testing.TB) denorm.Backend { return denorm.NewMemoryBackend() })
}
