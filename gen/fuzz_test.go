package gen

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/denormgen/denormgen/schema"
)

// FuzzGenerate feeds configs mutated from the golden cases (against their
// schemas) to the loader and the generator: whatever the loader accepts,
// Generate returns an error or Go that parses, and never panics.
//
//	go test -fuzz=FuzzGenerate ./gen
func FuzzGenerate(f *testing.F) {
	configs, _ := filepath.Glob("../testdata/*/denorm.yaml")
	for _, c := range configs {
		src, err := os.ReadFile(c)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(filepath.Base(filepath.Dir(c)), src)
	}
	f.Fuzz(func(t *testing.T, dir string, src []byte) {
		if strings.ContainsAny(dir, `/\.`) {
			return
		}
		config := filepath.Join("..", "testdata", dir, "denorm.yaml")
		if _, err := os.Stat(config); err != nil {
			return
		}
		g, err := schema.LoadBytes(config, src)
		if err != nil {
			return
		}
		g.Package.Out = t.TempDir() // never the golden folder
		files, err := Generate(g)
		if err != nil {
			return
		}
		for path, code := range files {
			if !strings.HasSuffix(path, ".go") {
				continue
			}
			if _, err := parser.ParseFile(token.NewFileSet(), path, code, parser.AllErrors); err != nil {
				t.Fatalf("%s does not parse: %v\n%s", path, err, code)
			}
		}
	})
}
