// Command bookstore is denormgen end to end: it creates a database, applies
// the schema and the install SQL, loads sample data, fills a backend with a
// full sync, keeps it fresh with the Syncer, shows a change propagating, and
// serves the documents over HTTP.
//
//	go run ./example/bookstore            # demo, then serve on :8080
//	go run ./example/bookstore -once      # demo only (CI)
//	go run ./example/bookstore -backend redis
package main

//go:generate go run github.com/denormgen/denormgen/cmd/denormgen generate -f denorm.yaml

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"time"

	"github.com/denormgen/denormgen/example/bookstore/bookdocs"
	"github.com/denormgen/denormgen/runtime/denorm"
)

type options struct {
	databaseURL string // the server to create the example database on
	dbName      string
	backend     string // memory, redis or postgres
	redisURL    string
	addr        string
	books       int
	once        bool
}

func main() {
	var o options
	flag.StringVar(&o.databaseURL, "database-url", envOr("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"), "PostgreSQL server to create the example database on")
	flag.StringVar(&o.dbName, "db", "denorm_example", "name of the example database (dropped and created anew)")
	flag.StringVar(&o.backend, "backend", "memory", "where documents live: memory, redis or postgres (a JSONB table)")
	flag.StringVar(&o.redisURL, "redis-url", envOr("REDIS_URL", "redis://127.0.0.1:6379/0"), "Redis server for -backend redis")
	flag.StringVar(&o.addr, "addr", "127.0.0.1:8080", "HTTP address to serve documents on")
	flag.IntVar(&o.books, "books", 5000, "number of sample books")
	flag.BoolVar(&o.once, "once", false, "exit after the demo instead of serving")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bookstore:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options, out io.Writer) error {
	pool, err := createDatabase(ctx, o.databaseURL, o.dbName)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := migrate(ctx, pool); err != nil {
		return err
	}
	// The sample data comes first, as in a database that adopts denormgen:
	// the full sync below builds its documents, and the outbox only holds
	// what changes from then on.
	if err := loadSampleData(ctx, pool, o.books); err != nil {
		return err
	}
	if err := install(ctx, pool); err != nil {
		return err
	}
	fmt.Fprintf(out, "database %s: schema, %d sample books, then the install SQL\n", o.dbName, o.books)

	backend, closeBackend, err := openBackend(ctx, o, pool)
	if err != nil {
		return err
	}
	defer closeBackend()

	syncer := denorm.NewSyncer(pool, backend, bookdocs.Collections()...).With(
		denorm.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))),
		denorm.WithProgress(progressBar(out)),
		denorm.WithPollInterval(500*time.Millisecond),
	)
	start := time.Now()
	st, err := syncer.FullSync(ctx, "books")
	if err != nil {
		return fmt.Errorf("full sync: %w", err)
	}
	fmt.Fprintf(out, "\nfull sync: %d documents in %s (%s backend)\n", st.Rebuilt, time.Since(start).Round(time.Millisecond), o.backend)

	runCtx, stopSyncer := context.WithCancel(ctx)
	syncDone := make(chan error, 1)
	go func() { syncDone <- syncer.Run(runCtx) }()
	defer func() {
		stopSyncer()
		if err := <-syncDone; err != nil && !errors.Is(err, context.Canceled) {
			fmt.Fprintln(os.Stderr, "syncer:", err)
		}
	}()

	// Measure propagation as the syncer normally runs: woken by NOTIFY.
	select {
	case <-syncer.Listening():
	case <-ctx.Done():
		return ctx.Err()
	}
	if err := demo(ctx, pool, backend, out); err != nil {
		return err
	}
	if o.once {
		return nil
	}
	return serve(ctx, o.addr, pool, backend, out)
}

// demo prints a book, renames one of its authors with plain SQL, and waits
// for the Syncer to bring the document up to date.
func demo(ctx context.Context, pool denorm.DB, b denorm.Backend, out io.Writer) error {
	const key = "42"
	before, err := getDoc(ctx, b, key)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nbook %s:\n%s\n", key, indent(before.JSON))

	var doc bookdocs.Book
	if err := json.Unmarshal(before.JSON, &doc); err != nil {
		return fmt.Errorf("decode book %s: %w", key, err)
	}
	if len(doc.Authors) == 0 {
		return fmt.Errorf("book %s has no authors to rename", key)
	}
	author := doc.Authors[0]
	newName := author.Name + " (renamed)"
	fmt.Fprintf(out, "\nUPDATE author SET name = %q WHERE id = %d;  -- plain SQL, no ORM\n", newName, author.ID)
	if _, err := pool.Exec(ctx, "UPDATE author SET name = $1 WHERE id = $2", newName, author.ID); err != nil {
		return fmt.Errorf("rename author: %w", err)
	}
	committed := time.Now()

	deadline := time.After(10 * time.Second)
	for {
		after, err := getDoc(ctx, b, key)
		if err != nil {
			return err
		}
		if after.Version > before.Version {
			var got bookdocs.Book
			if err := json.Unmarshal(after.JSON, &got); err != nil {
				return fmt.Errorf("decode book %s: %w", key, err)
			}
			if hasAuthor(got, newName) {
				fmt.Fprintf(out, "\nbook %s, %s after the commit:\n%s\n", key, time.Since(committed).Round(100*time.Microsecond), indent(after.JSON))
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline:
			return fmt.Errorf("book %s was not updated within 10s of the rename", key)
		case <-time.After(200 * time.Microsecond):
		}
	}
}

func hasAuthor(b bookdocs.Book, name string) bool {
	for _, a := range b.Authors {
		if a.Name == name {
			return true
		}
	}
	return false
}

func getDoc(ctx context.Context, b denorm.Backend, key string) (denorm.Doc, error) {
	docs, err := b.Get(ctx, "books", []string{key})
	if err != nil {
		return denorm.Doc{}, fmt.Errorf("get book %s: %w", key, err)
	}
	d, ok := docs[key]
	if !ok {
		return denorm.Doc{}, fmt.Errorf("book %s is not in the backend", key)
	}
	return d, nil
}

// indent pretty-prints a document, keeping its key order.
func indent(doc []byte) string {
	var b bytes.Buffer
	if err := json.Indent(&b, doc, "  ", "  "); err != nil {
		return string(doc)
	}
	return "  " + b.String()
}

// progressBar draws the full sync's progress on one terminal line.
func progressBar(out io.Writer) func(collection string, done, total int) {
	return func(collection string, done, total int) {
		const width = 30
		filled := width
		if total > 0 && done < total {
			filled = done * width / total
		}
		bar := make([]byte, width)
		for i := range bar {
			bar[i] = ' '
			if i < filled {
				bar[i] = '='
			}
		}
		fmt.Fprintf(out, "\rfull sync %s [%s] %d/%d", collection, bar, done, total)
	}
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
