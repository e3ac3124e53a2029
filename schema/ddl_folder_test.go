package schema

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The flag is not plain -update: other tests of the package may want that.
var updateDDL = flag.Bool("update-ddl", false, "rewrite testdata/ddl/*.golden")

// folderCases reads each folder of testdata/ddl as a migrations folder: its
// .sql files in lexical order, golang-migrate *.down.sql files left out, as
// the schema loader reads them.
func folderCases(t testing.TB) []ddlCase {
	t.Helper()
	dirs, err := filepath.Glob("testdata/ddl/*")
	if err != nil {
		t.Fatal(err)
	}
	var cases []ddlCase
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		names, err := filepath.Glob(filepath.Join(dir, "*.sql"))
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(names)
		tc := ddlCase{name: filepath.Base(dir)}
		for _, name := range names {
			if strings.HasSuffix(name, ".down.sql") {
				continue
			}
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			tc.files = append(tc.files, ddlFile{filepath.ToSlash(name), string(src)})
		}
		cases = append(cases, tc)
	}
	if len(cases) == 0 {
		t.Fatal("no migrations folders in testdata/ddl")
	}
	return cases
}

// TestApplyMigrationsFolder applies each folder of testdata/ddl and compares
// the catalog with <folder>.golden (go test ./schema -run Folder -update-ddl
// rewrites it). The folders are also checked against PostgreSQL by
// TestApplyMatchesPostgres.
func TestApplyMigrationsFolder(t *testing.T) {
	for _, tc := range folderCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			c, errs := applyFiles(tc.files)
			if len(errs) > 0 {
				t.Fatalf("errors:\n%v", errs)
			}
			got := dumpCatalog(c, true)
			golden := filepath.Join("testdata", "ddl", tc.name+".golden")
			if *updateDDL {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update-ddl to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("catalog (-%s +got):\n%s", golden, diff)
			}
		})
	}
}
