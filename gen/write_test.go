package gen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWriteAndDiff(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "docs")
	files := map[string][]byte{
		filepath.Join(out, "books.go"):       []byte(Header + "\n\npackage docs\n\nvar A = 1\n"),
		filepath.Join(out, "collections.go"): []byte(Header + "\n\npackage docs\n"),
		filepath.Join(out, "install.sql"):    []byte(SQLHeader + "\nSELECT 1;\n"),
	}
	d, changed, err := Diff(files)
	if err != nil || !changed || !strings.Contains(d, "+++ "+filepath.Join(out, "books.go")) || !strings.Contains(d, "--- /dev/null") {
		t.Fatalf("Diff before Write = %q, %v, %v; want every file added", d, changed, err)
	}
	if err := Write(files); err != nil {
		t.Fatal(err)
	}
	if d, changed, err := Diff(files); d != "" || changed || err != nil {
		t.Fatalf("Diff after Write = %q, %v, %v; want nothing", d, changed, err)
	}

	// An unchanged file keeps its modification time.
	past := time.Now().Add(-time.Hour).Truncate(time.Second)
	books := filepath.Join(out, "books.go")
	if err := os.Chtimes(books, past, past); err != nil {
		t.Fatal(err)
	}
	// A stale generated file goes, a hand-written one and a test stay.
	stale := filepath.Join(out, "authors.go")
	hand := filepath.Join(out, "extra.go")
	test := filepath.Join(out, "books_test.go")
	for path, src := range map[string]string{stale: Header + "\npackage docs\n", hand: "package docs\n", test: Header + "\npackage docs\n"} {
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files[filepath.Join(out, "collections.go")] = []byte(Header + "\n\npackage docs\n\nvar B = 2\n")
	d, changed, err = Diff(files)
	if err != nil || !changed {
		t.Fatalf("Diff = %v, %v; want a change", changed, err)
	}
	for _, want := range []string{"+var B = 2", "--- " + stale, "+++ /dev/null"} {
		if !strings.Contains(d, want) {
			t.Errorf("diff lacks %q:\n%s", want, d)
		}
	}
	if strings.Contains(d, hand) || strings.Contains(d, "books_test.go") || strings.Contains(d, "books.go\n") {
		t.Errorf("diff mentions a file it must leave alone:\n%s", d)
	}
	if err := Write(files); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale generated file survived: %v", err)
	}
	for _, path := range []string{hand, test} {
		if _, err := os.Stat(path); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
	if fi, err := os.Stat(books); err != nil || !fi.ModTime().Equal(past) {
		t.Errorf("unchanged books.go was rewritten: %v %v", fi.ModTime(), err)
	}
	if d, changed, _ := Diff(files); changed {
		t.Errorf("Diff after second Write:\n%s", d)
	}
}
