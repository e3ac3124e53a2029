package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/denormgen/denormgen/internal/pgtest"
	"github.com/denormgen/denormgen/runtime/denorm"
)

// TestDemo runs the whole example (-once) on its own database and checks
// what it prints: the rename reached the document.
func TestDemo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	name := fmt.Sprintf("denorm_example_test_%d", time.Now().UnixNano())
	t.Cleanup(func() { dropDatabase(t, name) })

	var out bytes.Buffer
	err := run(ctx, options{databaseURL: pgtest.URL(), dbName: name, backend: "memory", books: 300, once: true}, &out)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		`300 sample books, then the install SQL`,
		`full sync: 300 documents`,
		`UPDATE author SET name = ".* \(renamed\)" WHERE id = \d+;`,
		`book 42, [0-9.]+[µnm]?s after the commit:`,
		`"name": ".* \(renamed\)"`,
	} {
		if !regexp.MustCompile(want).MatchString(out.String()) {
			t.Errorf("output does not match %q:\n%s", want, out.String())
		}
	}
}

// TestHandler serves documents from a backend filled by a full sync.
func TestHandler(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	if err := migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	if err := loadSampleData(ctx, pool, 50); err != nil {
		t.Fatal(err)
	}
	if err := install(ctx, pool); err != nil {
		t.Fatal(err)
	}
	b := denorm.NewMemoryBackend()
	if _, err := denorm.NewSyncer(pool, b, collection("books")).FullSync(ctx, "books"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(handler(pool, b))
	defer srv.Close()

	get := func(path string, v any) int {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
				t.Fatalf("GET %s: %v", path, err)
			}
		}
		return resp.StatusCode
	}

	var book struct {
		ID    int64  `json:"id"`
		Title string `json:"title"`
	}
	if code := get("/books/7", &book); code != http.StatusOK || book.ID != 7 || book.Title != "Book 7" {
		t.Errorf("GET /books/7 = %d %+v", code, book)
	}
	if code := get("/books/9999", &book); code != http.StatusNotFound {
		t.Errorf("GET /books/9999 = %d, want 404", code)
	}

	// Walk every page: each book once, in key order.
	var seen []int64
	after := ""
	for pages := 0; pages < 10; pages++ {
		var page struct {
			Books []struct {
				ID int64 `json:"id"`
			} `json:"books"`
			Next *string `json:"next"`
		}
		if code := get("/books?limit=20&after="+after, &page); code != http.StatusOK {
			t.Fatalf("page %d: status %d", pages, code)
		}
		for _, b := range page.Books {
			seen = append(seen, b.ID)
		}
		if page.Next == nil {
			break
		}
		after = *page.Next
	}
	if len(seen) != 50 {
		t.Fatalf("paged through %d books, want 50", len(seen))
	}
	for i, id := range seen {
		if id != int64(i+1) {
			t.Fatalf("book %d of the walk is %d, want %d", i, id, i+1)
		}
	}
}

func dropDatabase(t *testing.T, name string) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgtest.URL())
	if err != nil {
		t.Errorf("drop %s: %v", name, err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		t.Errorf("drop %s: %v", name, err)
	}
}
