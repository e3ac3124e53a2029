package pgbackend_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/denormgen/denormgen/internal/pgtest"
	"github.com/denormgen/denormgen/runtime/backend/pgbackend"
	"github.com/denormgen/denormgen/runtime/backendtest"
	"github.com/denormgen/denormgen/runtime/denorm"
)

// newBackends returns a constructor of empty backends, each on its own table
// of one database: creating a database per subtest is slow.
func newBackends(t *testing.T, opts ...pgbackend.Option) func(t *testing.T) denorm.Backend {
	pool := pgtest.New(t)
	n := 0
	return func(t *testing.T) denorm.Backend {
		n++
		opts := append([]pgbackend.Option{pgbackend.WithTable("conformance", fmt.Sprintf("docs_%d", n))}, opts...)
		b, err := pgbackend.New(context.Background(), pool, opts...)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
}

func TestConformance(t *testing.T) {
	opts := backendtest.Options{SemanticJSON: true, MaxDocSize: 1 << 20}
	backendtest.RunWithOptions(t, opts, newBackends(t, pgbackend.WithMaxDocSize(1<<20), pgbackend.WithPageSize(300)))
}

// TestConformanceDefaults runs the suite on denorm.documents with default
// options, a database per subtest.
func TestConformanceDefaults(t *testing.T) {
	opts := backendtest.Options{SemanticJSON: true, ManyKeys: -1}
	backendtest.RunWithOptions(t, opts, func(t *testing.T) denorm.Backend {
		b, err := pgbackend.New(context.Background(), pgtest.New(t))
		if err != nil {
			t.Fatal(err)
		}
		return b
	})
}

func TestOwnTable(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	b, err := pgbackend.New(ctx, pool, pgbackend.WithTable("My Docs", "store"))
	if err != nil {
		t.Fatal(err)
	}
	// A second New on an existing table is fine.
	if _, err := pgbackend.New(ctx, pool, pgbackend.WithTable("My Docs", "store")); err != nil {
		t.Fatalf("New on an existing table: %v", err)
	}
	if err := b.Put(ctx, "books", []denorm.Doc{{Key: "1", Version: 3, JSON: []byte(`{"b": 2, "a": 1}`)}}); err != nil {
		t.Fatal(err)
	}
	if err := b.Delete(ctx, "books", []string{"2"}, 4); err != nil {
		t.Fatal(err)
	}
	// The table is plain SQL, usable by the application.
	var doc string
	var tombstones int
	err = pool.QueryRow(ctx, `SELECT (SELECT doc->>'a' FROM "My Docs".store WHERE collection = 'books' AND key = '1'),
		(SELECT count(*) FROM "My Docs".store WHERE doc IS NULL AND version = 4)`).Scan(&doc, &tombstones)
	if err != nil {
		t.Fatal(err)
	}
	if doc != "1" || tombstones != 1 {
		t.Errorf("got doc->>'a' = %q and %d tombstones, want 1 and 1", doc, tombstones)
	}
	var exists bool
	if err := pool.QueryRow(ctx, `SELECT to_regclass('denorm.documents') IS NOT NULL`).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if exists {
		t.Errorf("denorm.documents created although WithTable named another table")
	}
}

func TestInvalidJSON(t *testing.T) {
	ctx := context.Background()
	b, err := pgbackend.New(ctx, pgtest.New(t))
	if err != nil {
		t.Fatal(err)
	}
	err = b.Put(ctx, "books", []denorm.Doc{{Key: "1", Version: 1, JSON: []byte(`{"a": `)}})
	if err == nil || !strings.Contains(err.Error(), `collection "books"`) || !strings.Contains(err.Error(), "json") {
		t.Fatalf("Put of invalid JSON: got %v, want an error naming the collection and JSON", err)
	}
}

func TestNewBadOptions(t *testing.T) {
	_, err := pgbackend.New(context.Background(), pgtest.New(t), pgbackend.WithPageSize(0))
	if err == nil {
		t.Fatal("New with page size 0: no error")
	}
	if _, err := pgbackend.New(context.Background(), nil); err == nil {
		t.Fatal("New(nil): no error")
	}
}

func BenchmarkBackend(b *testing.B) {
	backendtest.Bench(b, func(tb testing.TB) denorm.Backend {
		be, err := pgbackend.New(context.Background(), pgtest.New(tb))
		if err != nil {
			tb.Fatal(err)
		}
		return be
	})
}
