package gen

import (
	"fmt"
	"slices"
	"strings"

	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/denormgen/denormgen/schema"
)

// Dependencies returns, for each table c reads, the SQL that maps outbox rows
// of that table to affected root keys (see runtime/denorm.Dependency and
// docs/DESIGN.md). Tables come in the order the tree first reaches them, root
// first.
//
// A changed row affects the roots it hangs under before and after the change,
// so each statement reads every image of old_rows and new_rows and walks from the row's
// join columns up to the root through the current rows of the levels in
// between. That is enough: a level in between that changed too is recorded
// itself, and its own walk starts from where it hung before and after.
//
// A collection the install SQL cannot capture (see InstallSQL, which reports
// why) has no dependencies.
func Dependencies(c *schema.Collection) []denorm.Dependency {
	if _, err := captureTables([]*schema.Collection{c}); err != nil {
		return nil
	}
	d := depBuilder{byTable: map[string]*depTable{}}
	d.node(c.Root)
	out := make([]denorm.Dependency, 0, len(d.order))
	for _, t := range d.order {
		out = append(out, denorm.Dependency{Table: t.table.QualifiedName(), SQL: t.sql()})
	}
	return out
}

// depTable gathers the resolution paths of one table: one SELECT per place
// the table holds in the tree, all reading the same changed rows.
type depTable struct {
	table    *schema.Table
	cols     []string // columns of the changed rows the paths read
	branches []string
}

type depBuilder struct {
	byTable map[string]*depTable
	order   []*depTable
}

func (d *depBuilder) table(t *schema.Table) *depTable {
	dt := d.byTable[t.QualifiedName()]
	if dt == nil {
		dt = &depTable{table: t}
		d.byTable[t.QualifiedName()] = dt
		d.order = append(d.order, dt)
	}
	return dt
}

// changedAlias names the changed rows in every branch.
const changedAlias = "v"

func (d *depBuilder) node(n *schema.Node) {
	dt := d.table(n.Table)
	if r := n.Parent; r == nil {
		key := n.Table.PrimaryKey[0]
		dt.addBranch(nil, changedAlias+"."+quoteIdent(key), key)
	} else {
		var w depWalk
		from := w.values(changedAlias, r.ToCols)
		if r.Kind == schema.ManyToMany {
			from = w.join(r.Through, r.ThroughToCols, from, r.ThroughFromCols)
		}
		key := w.up(r.From, r.FromCols, from)
		dt.addBranch(w.joins, key, r.ToCols...)
	}
	for _, r := range n.Relations {
		if r.Kind == schema.ManyToMany {
			var w depWalk
			key := w.up(r.From, r.FromCols, w.values(changedAlias, r.ThroughFromCols))
			d.table(r.Through).addBranch(w.joins, key, r.ThroughFromCols...)
		}
		d.node(r.To)
	}
}

func (dt *depTable) addBranch(joins []string, key string, cols ...string) {
	for _, c := range cols {
		if !slices.Contains(dt.cols, c) {
			dt.cols = append(dt.cols, c)
		}
	}
	var b strings.Builder
	b.WriteString("SELECT " + key + "::text FROM changed " + changedAlias)
	for _, j := range joins {
		b.WriteString("\n    " + j)
	}
	if len(joins) == 0 {
		// A join drops rows whose key is NULL; a NULL foreign key read
		// straight from the change must be dropped here.
		b.WriteString(" WHERE " + key + " IS NOT NULL")
	}
	dt.branches = append(dt.branches, b.String())
}

// depWalk builds the joins of one path from a changed row up to the root.
type depWalk struct {
	joins []string
	n     int // aliases used
}

// values are the expressions of cols on the rows aliased a.
func (w *depWalk) values(a string, cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = a + "." + quoteIdent(c)
	}
	return out
}

// join adds the rows of t whose on columns equal vals and returns their
// out columns.
func (w *depWalk) join(t *schema.Table, on []string, vals []string, out []string) []string {
	w.n++
	a := fmt.Sprintf("p%d", w.n)
	conds := make([]string, len(on))
	for i, c := range on {
		conds[i] = a + "." + quoteIdent(c) + " = " + vals[i]
	}
	w.joins = append(w.joins, "JOIN "+tableIdent(t)+" "+a+" ON "+strings.Join(conds, " AND "))
	return w.values(a, out)
}

// up climbs from values of n's cols to the root and returns the root key
// expression. When the values already are the root's key no join is needed:
// a key whose root is gone is harmless, Build just leaves it out.
func (w *depWalk) up(n *schema.Node, cols []string, vals []string) string {
	if n.Parent == nil {
		pk := n.Table.PrimaryKey[0]
		if len(cols) == 1 && cols[0] == pk {
			return vals[0]
		}
		return w.join(n.Table, cols, vals, []string{pk})[0]
	}
	r := n.Parent
	from := w.join(n.Table, cols, vals, r.ToCols)
	if r.Kind == schema.ManyToMany {
		from = w.join(r.Through, r.ThroughToCols, from, r.ThroughFromCols)
	}
	return w.up(r.From, r.FromCols, from)
}

// sql reads the recorded columns of the changed rows, typed as the table
// declares them (jsonb_to_record, so indexes on the joined columns apply),
// from every image of both sides, and unions every path. An outbox row holds
// a side's images as arrays by column; ROWS FROM zips them back into rows.
func (dt *depTable) sql() string {
	var defs, elems, names, pairs []string
	for _, t := range dt.table.Columns {
		if slices.Contains(dt.cols, t.Name) {
			n := len(defs) + 1
			defs = append(defs, quoteIdent(t.Name)+" "+recordType(t.Type))
			elems = append(elems, "jsonb_array_elements(s.j->"+sqlString(t.Name)+")")
			names = append(names, fmt.Sprintf("e%d", n))
			pairs = append(pairs, sqlString(t.Name), fmt.Sprintf("e.e%d", n))
		}
	}
	var b strings.Builder
	b.WriteString("WITH changed AS (\n")
	b.WriteString("    SELECT r.*\n")
	b.WriteString("    FROM denorm.outbox o\n")
	b.WriteString("    CROSS JOIN LATERAL (VALUES (o.old_rows), (o.new_rows)) AS s(j)\n")
	b.WriteString("    CROSS JOIN LATERAL ROWS FROM (" + strings.Join(elems, ", ") + ") AS e(" + strings.Join(names, ", ") + ")\n")
	b.WriteString("    CROSS JOIN LATERAL jsonb_to_record(jsonb_build_object(" + strings.Join(pairs, ", ") + ")) AS r(" + strings.Join(defs, ", ") + ")\n")
	b.WriteString("    WHERE o.id = ANY ($1) AND o.table_name = " + sqlString(dt.table.QualifiedName()) + " AND s.j IS NOT NULL\n")
	b.WriteString(")\n")
	b.WriteString(strings.Join(dt.branches, "\nUNION ALL\n"))
	return b.String()
}

// recordType spells a column type for a column definition list. Built-in types
// are qualified with pg_catalog so that no user type can shadow them.
func recordType(t schema.Type) string {
	name := t.Name
	if t.Enum != nil {
		name = t.Enum.Schema + "." + t.Enum.Name
	}
	var s string
	if schemaName, typ, ok := strings.Cut(name, "."); ok {
		s = quoteIdent(schemaName) + "." + quoteIdent(typ)
	} else {
		s = "pg_catalog." + quoteIdent(name)
	}
	return s + strings.Repeat("[]", t.ArrayDims)
}
