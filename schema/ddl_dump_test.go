package schema

import (
	"fmt"
	"slices"
	"strings"
)

// dumpCatalog renders c as text, one fact per line, so that tests compare
// catalogs with a readable diff. withPos adds line:col positions; the dump
// of a real database has none. Constraints and indexes are sorted since
// PostgreSQL does not keep their declaration order.
func dumpCatalog(c *Catalog, withPos bool) string {
	var b strings.Builder
	at := func(p Pos) string {
		if !withPos {
			return ""
		}
		return " @" + p.String()
	}
	for _, k := range sortedKeys(c.Enums) {
		e := c.Enums[k]
		fmt.Fprintf(&b, "enum %s.%s (%s)\n", e.Schema, e.Name, strings.Join(e.Labels, ", "))
	}
	for _, k := range sortedKeys(c.Domains) {
		d := c.Domains[k]
		fmt.Fprintf(&b, "domain %s.%s %s%s\n", d.Schema, d.Name, dumpType(d.Base), dumpNotNull(d.NotNull))
	}
	for _, k := range sortedKeys(c.Views) {
		v := c.Views[k]
		fmt.Fprintf(&b, "%s %s%s\n", v.Kind, k, at(v.Pos))
		var lines []string
		for _, x := range v.indexes {
			lines = append(lines, dumpOtherIndex(x))
		}
		slices.Sort(lines)
		b.WriteString(strings.Join(lines, ""))
	}
	for _, k := range sortedKeys(c.Tables) {
		t := c.Tables[k]
		fmt.Fprintf(&b, "table %s%s\n", k, at(t.Pos))
		for _, p := range t.Inherits {
			if t.Partition {
				fmt.Fprintf(&b, "  partition of %s\n", p)
			} else {
				fmt.Fprintf(&b, "  inherits %s\n", p)
			}
		}
		for _, col := range t.Columns {
			fmt.Fprintf(&b, "  %s %s%s%s\n", col.Name, dumpType(col.Type), dumpNotNull(col.NotNull), at(col.Pos))
		}
		if len(t.PrimaryKey) > 0 {
			fmt.Fprintf(&b, "  primary key %s (%s)\n", t.PrimaryKeyName, strings.Join(t.PrimaryKey, ", "))
		}
		var lines []string
		for _, u := range t.Uniques {
			kind := "unique"
			if u.Index {
				kind = "unique index"
			}
			lines = append(lines, fmt.Sprintf("  %s %s (%s)\n", kind, u.Name, strings.Join(u.Columns, ", ")))
		}
		for _, fk := range t.ForeignKeys {
			lines = append(lines, fmt.Sprintf("  foreign key %s (%s) references %s (%s)%s\n", fk.Name,
				strings.Join(fk.Columns, ", "), fk.RefTable, strings.Join(fk.RefColumns, ", "), at(fk.Pos)))
		}
		for _, c := range t.checks {
			lines = append(lines, fmt.Sprintf("  check %s\n", c.name))
		}
		for _, x := range t.indexes {
			lines = append(lines, dumpOtherIndex(x))
		}
		slices.Sort(lines)
		b.WriteString(strings.Join(lines, ""))
	}
	return b.String()
}

// dumpOtherIndex names an index that makes no columns unique; PostgreSQL
// does not keep the names its elements gave it.
func dumpOtherIndex(x otherIndex) string {
	switch {
	case x.constraint:
		return fmt.Sprintf("  exclude %s\n", x.name)
	case x.unique:
		return fmt.Sprintf("  partial or expression unique index %s\n", x.name)
	}
	return fmt.Sprintf("  index %s\n", x.name)
}

func dumpType(t Type) string {
	s := t.Name + strings.Repeat("[]", t.ArrayDims)
	if t.Enum != nil {
		s += " enum"
	}
	if t.Domain != "" {
		s += " domain " + t.Domain
	}
	return s
}

func dumpNotNull(b bool) string {
	if b {
		return " not null"
	}
	return ""
}
