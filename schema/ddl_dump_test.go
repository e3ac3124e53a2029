package schema

import (
	"fmt"
	"slices"
	"strings"
)

// dumpCatalog renders c as text, one fact per line, so that tests compare
// catalogs with a readable diff. withPos adds line:col positions; the dump
// of a real database has none. Unique constraints and foreign keys are
// sorted since PostgreSQL does not keep their declaration order.
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
	for _, k := range sortedKeys(c.Tables) {
		t := c.Tables[k]
		fmt.Fprintf(&b, "table %s%s\n", k, at(t.Pos))
		for _, col := range t.Columns {
			fmt.Fprintf(&b, "  %s %s%s%s\n", col.Name, dumpType(col.Type), dumpNotNull(col.NotNull), at(col.Pos))
		}
		if len(t.PrimaryKey) > 0 {
			fmt.Fprintf(&b, "  primary key (%s)\n", strings.Join(t.PrimaryKey, ", "))
		}
		var lines []string
		for _, u := range t.Uniques {
			lines = append(lines, fmt.Sprintf("  unique (%s)\n", strings.Join(u, ", ")))
		}
		for _, fk := range t.ForeignKeys {
			name := ""
			if withPos && fk.Name != "" {
				name = " " + fk.Name
			}
			lines = append(lines, fmt.Sprintf("  foreign key%s (%s) references %s (%s)%s\n", name,
				strings.Join(fk.Columns, ", "), fk.RefTable, strings.Join(fk.RefColumns, ", "), at(fk.Pos)))
		}
		slices.Sort(lines)
		b.WriteString(strings.Join(lines, ""))
	}
	return b.String()
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
