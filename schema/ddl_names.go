package schema

import (
	"fmt"
	"slices"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// An objName is the name of a table or type as the DDL wrote it. The parser
// has already folded unquoted identifiers to lower case and unquoted the
// quoted ones.
type objName struct {
	schema, name string
	qualified    bool  // the DDL named the schema
	loc          int32 // byte offset in the file, -1 if unknown
}

func rangeVarName(rv *pg.RangeVar) objName {
	n := objName{schema: rv.GetSchemaname(), name: rv.GetRelname(), qualified: rv.GetSchemaname() != "", loc: rv.GetLocation()}
	if n.schema == "" {
		n.schema = "public"
	}
	return n
}

// listName reads a possibly qualified name given as a list of strings
// ([catalog.][schema.]name), as DROP and CREATE TYPE give it. Such lists
// carry no location, so the name is looked up in the statement's text.
func (a *applier) listName(items []*pg.Node) objName {
	parts := strs(items)
	n := objName{schema: "public", loc: -1}
	switch len(parts) {
	case 0:
		return n
	case 1:
		n.name = parts[0]
	default:
		n.schema, n.name, n.qualified = parts[len(parts)-2], parts[len(parts)-1], true
	}
	n.loc = a.locate(n.name, -1)
	if n.qualified {
		n.loc = a.locate(n.schema, -1)
	}
	return n
}

// key is the qualified name the catalog's maps use.
func (n objName) key() string { return n.schema + "." + n.name }

// String is the name as written, for messages.
func (n objName) String() string {
	if n.qualified {
		return n.key()
	}
	return n.name
}

// displayName is how messages name a table: without the schema when it is
// public, as users mostly write it.
func displayName(schema, name string) string {
	if schema == "public" {
		return name
	}
	return schema + "." + name
}

func (t *Table) displayName() string { return displayName(t.Schema, t.Name) }

// strs returns the string values of a list of String nodes.
func strs(nodes []*pg.Node) []string {
	out := make([]string, 0, len(nodes))
	for _, n := range nodes {
		out = append(out, n.GetString_().GetSval())
	}
	return out
}

// didYouMean returns "; did you mean X?" for the candidate closest to name,
// or "".
func didYouMean(name string, candidates []string) string {
	if s := Suggest(name, candidates); s != "" {
		return fmt.Sprintf("; did you mean %q?", s)
	}
	return ""
}

// table returns the named table, reporting an error when it does not exist
// unless missingOK (IF EXISTS).
func (a *applier) table(n objName, missingOK bool) *Table {
	if t := a.c.Tables[n.key()]; t != nil {
		return t
	}
	if !missingOK {
		var names []string
		for _, t := range a.c.Tables {
			if n.qualified {
				names = append(names, t.QualifiedName())
			} else {
				names = append(names, t.displayName())
			}
		}
		a.errorf(n.loc, "table %q does not exist%s", n, didYouMean(n.String(), names))
	}
	return nil
}

// column returns the named column of t, reporting an error at loc when it
// does not exist unless missingOK.
func (a *applier) column(t *Table, name string, loc int32, missingOK bool) *Column {
	if c := t.Column(name); c != nil {
		return c
	}
	if !missingOK {
		a.errorf(loc, "column %q of table %q does not exist%s", name, t.displayName(), didYouMean(name, columnNames(t)))
	}
	return nil
}

// columnsExist reports whether every one of names is a column of t, reporting
// the ones that are not at loc.
func (a *applier) columnsExist(t *Table, names []string, loc int32) bool {
	ok := true
	for _, name := range names {
		if a.column(t, name, loc, false) == nil {
			ok = false
		}
	}
	return ok
}

func columnNames(t *Table) []string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return names
}

// sortedKeys returns the keys of m in order, so that walks over the catalog
// report errors and apply cascades deterministically.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
