package schema

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// FuzzParseConfig feeds arbitrary bytes through the whole config path
// (parse, then resolve against the bookstore schema). It must never panic,
// and every error must point into the input.
func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(bookstoreYAML))
	f.Add([]byte("version: 1\ncollections:\n  - name: a\n    table: book\n    relations:\n      x: {through: book_tag, foreign_key: [a, b], references: 'x(y)'}\n"))
	f.Add([]byte("collections: [{name: books, table: book, fields: [{column: id, as: key}], relations: {reviews: {limit: -1, order_by: -id}}}]"))
	f.Add([]byte("&a {x: *a}\n"))
	f.Add([]byte("--- \n---\n"))
	f.Add([]byte("version: !!int 1\nschema: [schema.sql, schema.sql]\n"))
	f.Add([]byte("overrides:\n  - {db_type: uuid, go_type: 'github.com/google/uuid.UUID', nullable: true}\n  - {column: book.id, go_type: '*int'}\n"))
	dir := f.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(bookstoreSQL), 0o644); err != nil {
		f.Fatal(err)
	}
	path := filepath.Join(dir, "denorm.yaml")
	f.Fuzz(func(t *testing.T, src []byte) {
		// A config must load quickly whatever it says: report a hang with
		// every goroutine's stack instead of stalling the fuzzer.
		done := make(chan error, 1)
		go func() {
			_, err := LoadBytes(path, src)
			done <- err
		}()
		var err error
		select {
		case err = <-done:
		case <-time.After(5 * time.Second):
			buf := make([]byte, 1<<20)
			t.Fatalf("LoadBytes(%q) still running after 5s:\n%s", src, buf[:runtime.Stack(buf, true)])
		}
		if err == nil {
			return
		}
		var list ErrorList
		if !errors.As(err, &list) {
			t.Fatalf("error is not an ErrorList: %v", err)
		}
		// YAML counts \r\n, \n and a lone \r as line breaks.
		lines := bytes.Count(bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n")), []byte("\n")) +
			bytes.Count(src, []byte("\r")) - bytes.Count(src, []byte("\r\n")) + 1
		for _, e := range list {
			if e.Pos.File != path {
				continue // a schema file's error
			}
			if e.Pos.Line < 1 || e.Pos.Line > lines+1 {
				t.Errorf("error outside the input (%d lines): %v", lines, e)
			}
		}
	})
}
