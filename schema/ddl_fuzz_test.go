package schema

import (
	"strings"
	"testing"
)

// FuzzApply applies arbitrary text on top of a small schema, twice (the
// second time every CREATE meets an existing object), and checks that Apply
// never panics, that every error has a position inside the input, and that
// the catalog stays consistent: every key is named and names columns that
// exist.
func FuzzApply(f *testing.F) {
	for _, tc := range append(allDDLCases(), folderCases(f)...) {
		for _, file := range tc.files {
			f.Add(file.src)
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		c := NewCatalog()
		if errs := c.Apply("library.sql", []byte(ddlLibrary)); len(errs) > 0 {
			t.Fatalf("ddlLibrary: %v", errs)
		}
		for range 2 {
			for _, e := range c.Apply("fuzz.sql", []byte(src)) {
				checkErrorPos(t, src, e)
			}
			checkCatalogKeys(t, c)
		}
	})
}

// checkErrorPos fails unless e points into src: a line of it, and a column
// of that line or just past its end.
func checkErrorPos(t *testing.T, src string, e *Error) {
	t.Helper()
	lines := strings.Split(src, "\n")
	p := e.Pos
	if p.File != "fuzz.sql" || p.Line < 1 || p.Line > len(lines) || p.Col < 1 || p.Col > len(lines[p.Line-1])+1 {
		t.Fatalf("error %q: position outside the input (%d lines)", e, len(lines))
	}
	if e.Msg == "" {
		t.Fatalf("error at %s without a message", p)
	}
}

// checkCatalogKeys fails when a key or foreign key of c names a table or column
// that does not exist.
func checkCatalogKeys(t *testing.T, c *Catalog) {
	t.Helper()
	for key, tb := range c.Tables {
		if key != tb.QualifiedName() {
			t.Fatalf("table %s is filed as %s", tb.QualifiedName(), key)
		}
		has := func(tb *Table, what string, cols []string) {
			t.Helper()
			for _, col := range cols {
				if tb.Column(col) == nil {
					t.Fatalf("%s of %s names missing column %q", what, tb.QualifiedName(), col)
				}
			}
		}
		has(tb, "primary key", tb.PrimaryKey)
		if (len(tb.PrimaryKey) > 0) != (tb.PrimaryKeyName != "") {
			t.Fatalf("primary key %v of %s is named %q", tb.PrimaryKey, tb.QualifiedName(), tb.PrimaryKeyName)
		}
		for _, u := range tb.Uniques {
			has(tb, "unique constraint", u.Columns)
			if u.Name == "" {
				t.Fatalf("unique constraint %v of %s has no name", u.Columns, tb.QualifiedName())
			}
		}
		for _, p := range tb.Inherits {
			if c.Tables[p] == nil {
				t.Fatalf("%s inherits from missing table %s", tb.QualifiedName(), p)
			}
		}
		for _, fk := range tb.ForeignKeys {
			if fk.Name == "" {
				t.Fatalf("foreign key %v of %s has no name", fk.Columns, tb.QualifiedName())
			}
			has(tb, "foreign key", fk.Columns)
			ref := c.Tables[fk.RefTable]
			if ref == nil {
				t.Fatalf("foreign key of %s references missing table %s", tb.QualifiedName(), fk.RefTable)
			}
			has(ref, "foreign key to "+ref.QualifiedName(), fk.RefColumns)
			if len(fk.Columns) != len(fk.RefColumns) {
				t.Fatalf("foreign key of %s: %v references %v", tb.QualifiedName(), fk.Columns, fk.RefColumns)
			}
		}
	}
}
