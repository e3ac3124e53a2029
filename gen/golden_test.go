package gen

import (
	"bytes"
	"flag"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/denormgen/denormgen/schema"
)

var update = flag.Bool("update", false, "rewrite the expected output of the golden cases in ../testdata")

// TestGolden generates every case of ../testdata and compares the result with
// the committed package (or, with -update, rewrites it). A case whose config
// must fail holds the expected error in error.txt instead.
func TestGolden(t *testing.T) {
	cases, err := filepath.Glob("../testdata/*/denorm.yaml")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, config := range cases {
		dir := filepath.Dir(config)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			files, genErr := generate(config)
			errFile := filepath.Join(dir, "error.txt")
			want, readErr := os.ReadFile(errFile)
			if readErr == nil || genErr != nil {
				var got string
				if genErr != nil {
					got = genErr.Error() + "\n"
				}
				if *update {
					if err := os.WriteFile(errFile, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				if diff := cmp.Diff(string(want), got); diff != "" {
					t.Fatalf("error (-%s +got):\n%s", errFile, diff)
				}
				return
			}

			again, err := generate(config)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(files, again); diff != "" {
				t.Fatalf("two runs differ:\n%s", diff)
			}
			for path, src := range files {
				if !strings.HasSuffix(path, ".go") {
					continue
				}
				formatted, err := format.Source(src)
				if err != nil {
					t.Fatalf("%s does not parse: %v", path, err)
				}
				if !bytes.Equal(formatted, src) {
					t.Errorf("%s is not gofmt-stable", path)
				}
			}
			if *update {
				if err := Write(files); err != nil {
					t.Fatal(err)
				}
				return
			}
			if diff, changed, err := Diff(files); err != nil || changed {
				t.Errorf("generated code differs from the committed package (run go test ./gen -update): %v\n%s", err, diff)
			}
		})
	}
}

func generate(config string) (map[string][]byte, error) {
	g, err := schema.Load(config)
	if err != nil {
		return nil, err
	}
	return Generate(g)
}

// TestGoldenCompiles vets and tests the testdata module: every generated
// package compiles against this tree's runtime, and the bookstore's
// hand-written tests run its loaders on a real database.
func TestGoldenCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests a second module")
	}
	for _, args := range [][]string{{"vet", "./..."}, {"test", "-count=1", "./..."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = "../testdata"
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("go %s in testdata: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}
