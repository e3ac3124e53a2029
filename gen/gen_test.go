package gen

import (
	"os"
	"path/filepath"
	"testing"
)

func TestGenerateHandGraph(t *testing.T) {
	dir := os.Getenv("GEN_OUT")
	if dir == "" {
		dir = t.TempDir()
	}
	files, err := Generate(bookstoreGraph(dir))
	if err != nil {
		t.Fatal(err)
	}
	for path, src := range files {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
