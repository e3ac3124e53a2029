package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/denormgen/denormgen/example/bookstore/bookdocs"
	"github.com/denormgen/denormgen/runtime/denorm"
)

// serve answers GET /books/{id} and GET /books?after=&limit= from the
// backend until ctx ends. Pages are keyset-paginated in key order: a page's
// keys come from the root table, its documents from the backend.
func serve(ctx context.Context, addr string, db denorm.DB, b denorm.Backend, out io.Writer) error {
	srv := &http.Server{Addr: addr, Handler: handler(db, b), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	fmt.Fprintf(out, "\nserving http://%s/books/42 and http://%s/books?limit=10 (Ctrl-C to stop)\n", addr, addr)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}

// handler routes the two endpoints.
func handler(db denorm.DB, b denorm.Backend) http.Handler {
	books := collection("books")
	mux := http.NewServeMux()
	mux.HandleFunc("GET /books/{id}", func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		docs, err := b.Get(r.Context(), "books", []string{id})
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		d, ok := docs[id]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("ETag", strconv.Quote(strconv.FormatInt(d.Version, 10)))
		_, _ = w.Write(d.JSON)
	})
	mux.HandleFunc("GET /books", func(w http.ResponseWriter, r *http.Request) {
		limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
		if err != nil || limit <= 0 {
			limit = 20
		}
		limit = min(limit, 1000)
		keys, err := books.ScanKeys(r.Context(), db, r.URL.Query().Get("after"), limit)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		docs, err := b.Get(r.Context(), "books", keys)
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		// Assemble the page by hand: the documents are JSON already.
		page := []byte(`{"books":[`)
		n := 0
		for _, k := range keys {
			if d, ok := docs[k]; ok {
				if n > 0 {
					page = append(page, ',')
				}
				page = append(page, d.JSON...)
				n++
			}
		}
		page = append(page, `],"next":`...)
		if len(keys) == limit {
			page = strconv.AppendQuote(page, keys[len(keys)-1])
		} else {
			page = append(page, "null"...)
		}
		page = append(page, '}')
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(page)
	})
	return mux
}

func collection(name string) denorm.Collection {
	for _, c := range bookdocs.Collections() {
		if c.Name() == name {
			return c
		}
	}
	panic("bookdocs has no collection " + name) // generated from denorm.yaml above: a build-time fact
}
