package gen

import (
	"fmt"
	"slices"
	"strings"

	"github.com/denormgen/denormgen/schema"
)

// The loaders' SQL. Every query reads only the listed columns and the join
// keys, and takes the keys of one chunk's parents as a single array ($1), so a
// chunk costs one query per relation whatever its size.

func selectList(n *nodeModel) string {
	exprs := make([]string, len(n.Selects))
	for i, s := range n.Selects {
		exprs[i] = s.Expr
	}
	return strings.Join(exprs, ", ")
}

func tableRef(t *schema.Table) string { return quoteQualified(t.QualifiedName()) }

// rootSQL selects roots by key: rest is the WHERE/ORDER/LIMIT tail after the
// collection's own filter has been merged in.
func rootSQL(m *collectionModel, cond, tail string) string {
	where := cond
	if m.c.Where != "" {
		if where != "" {
			where += " AND "
		}
		where += "(" + m.c.Where + ")"
	}
	q := "SELECT " + selectList(m.Root) + " FROM " + tableRef(m.Root.n.Table) + " t"
	if where != "" {
		q += " WHERE " + where
	}
	return q + " ORDER BY t." + quoteIdent(m.KeyCol.Name) + tail
}

// keysSQL selects the text form of root keys, for ScanKeys.
func keysSQL(m *collectionModel, cond, tail string) string {
	key := "t." + quoteIdent(m.KeyCol.Name)
	q := "SELECT " + key + "::text FROM " + tableRef(m.Root.n.Table) + " t"
	where := cond
	if m.c.Where != "" {
		if where != "" {
			where += " AND "
		}
		where += "(" + m.c.Where + ")"
	}
	if where != "" {
		q += " WHERE " + where
	}
	return q + " ORDER BY " + key + tail
}

// relationSQL selects the rows of a non-root node for the parent keys in $1.
//
// To-one rows are found by primary (or unique) key with = ANY($1). So are
// the rows of a join table, whose key (parent, related) leads with the
// parent's column: = ANY walks it in one scan, in key order. Other to-many
// rows are joined to unnest($1): the planner then walks the join column's
// index once per parent key, where = ANY on a non-unique column often tips
// it into a sequential scan of the whole table. A limit applies per parent,
// as a LATERAL subquery per key that the index (join column, order) answers
// without reading the rest.
//
// Where Go sorts the lists (goOrder), there is no ORDER BY: both plans
// bring a key's rows together, as denorm.Lists wants them, and PostgreSQL
// spares a sort (about a third of a lookup of 500 books' reviews).
// Otherwise rows come grouped by parent, in the relation's order within
// each.
func relationSQL(n *nodeModel) string {
	r := n.Parent.r
	// rows are the related rows; match, their columns matching the parent key.
	rows, match := tableRef(r.To.Table)+" t", qualified("t", r.ToCols)
	var keyCols []*schema.Column
	if r.Kind == schema.ManyToMany {
		rows = tableRef(r.Through) + " j JOIN " + tableRef(r.To.Table) + " t ON " + equal(qualified("t", r.ToCols), qualified("j", r.ThroughToCols))
		match = qualified("j", r.ThroughFromCols)
		for _, c := range r.ThroughFromCols {
			keyCols = append(keyCols, r.Through.Column(c))
		}
	} else {
		for _, c := range r.ToCols {
			keyCols = append(keyCols, r.To.Table.Column(c))
		}
	}
	if len(keyCols) > 1 {
		return compositeSQL(n, rows, match, keyCols)
	}
	if r.Kind == schema.ToOne {
		return "SELECT " + selectList(n) + " FROM " + rows + " WHERE " + match[0] + " = ANY($1)"
	}
	keys := "unnest($1::" + sqlType(keyCols[0].Type) + ") AS p(key)"
	switch {
	case r.Limit != 0:
		return "SELECT " + selectList(n) + " FROM " + keys + " CROSS JOIN LATERAL (" + limited(r, rows, match[0]+" = p.key") + ") t" + groupBy(n, "p.key")
	case r.Kind == schema.ManyToMany:
		return "SELECT " + selectList(n) + " FROM " + rows + " WHERE " + match[0] + " = ANY($1)" + groupBy(n, match[0])
	default:
		return "SELECT " + selectList(n) + " FROM " + keys + " JOIN " + rows + " ON " + match[0] + " = p.key" + groupBy(n, "p.key")
	}
}

// compositeSQL is relationSQL for a relation joining on several columns
// (keyCols of the related rows, or of the join table): the parents' keys
// are one array per column, $1, $2, ..., unnested together and joined on
// every column, which a multicolumn index answers.
func compositeSQL(n *nodeModel, rows string, match []string, keyCols []*schema.Column) string {
	r := n.Parent.r
	var args []string
	for i, c := range keyCols {
		args = append(args, fmt.Sprintf("$%d::%s", i+1, sqlType(c.Type)))
	}
	pcols := keyColumns(len(keyCols))
	keys := "unnest(" + strings.Join(args, ", ") + ") AS p(" + strings.Join(pcols, ", ") + ")"
	on := equal(match, qualified("p", pcols))
	parent := strings.Join(qualified("p", pcols), ", ")
	switch {
	case r.Limit != 0:
		return "SELECT " + selectList(n) + " FROM " + keys + " CROSS JOIN LATERAL (" + limited(r, rows, on) + ") t" + groupBy(n, parent)
	case r.Kind == schema.ToOne:
		return "SELECT " + selectList(n) + " FROM " + keys + " JOIN " + rows + " ON " + on
	case r.Kind == schema.ManyToMany:
		return "SELECT " + selectList(n) + " FROM " + keys + " JOIN " + tableRef(r.Through) + " j ON " + on +
			" JOIN " + tableRef(r.To.Table) + " t ON " + equal(qualified("t", r.ToCols), qualified("j", r.ThroughToCols)) + groupBy(n, parent)
	default:
		return "SELECT " + selectList(n) + " FROM " + keys + " JOIN " + rows + " ON " + on + groupBy(n, parent)
	}
}

// limited selects the first rows of rows matching where, in the relation's
// order: the LATERAL subquery of a relation with a limit.
func limited(r *schema.Relation, rows, where string) string {
	inner := "SELECT t.* FROM " + rows + " WHERE " + where
	if order := orderBy(r); order != "" {
		inner += " ORDER BY " + order
	}
	return inner + fmt.Sprintf(" LIMIT %d", r.Limit)
}

// groupBy orders rows by the parent key key, then in the relation's order,
// unless Go sorts the lists.
func groupBy(n *nodeModel, key string) string {
	if goOrder(n) != nil {
		return ""
	}
	return " ORDER BY " + key + listOrder(n, key)
}

// qualified is cols, quoted, each prefixed with alias.
func qualified(alias string, cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = alias + "." + quoteIdent(c)
	}
	return out
}

// equal is a = b, column by column, joined by AND.
func equal(a, b []string) string {
	eqs := make([]string, len(a))
	for i := range a {
		eqs[i] = a[i] + " = " + b[i]
	}
	return strings.Join(eqs, " AND ")
}

// rangeSQL selects the rows of a Ranged node for root keys from $1 to $2:
// one index range scan, for the dense chunks of a full build.
func rangeSQL(n *nodeModel) string {
	from, match := rootChildFrom(n)
	return "SELECT " + selectList(n) + " FROM " + from + " WHERE " + match + " BETWEEN $1 AND $2 ORDER BY " + match + listOrder(n, match)
}

// streamSQL selects the rows of a Streamed node for every root, sorted by root
// key and then in the relation's order: one sequential scan and sort of the
// table for a whole full build, merged with the roots chunk by chunk
// (denorm.Stream), where chunks of range scans would visit most pages of a
// large child table once per chunk.
//
// A text key is ordered by a collation Go cannot reproduce: there the rows
// are joined to the roots (the collection's filter included) and sorted by
// the roots' own key column, as the roots' keyset pagination is, with that
// column in place of the parent key, so that every row has a root of the
// full build, in the roots' order (denorm.Stream.UntilIn). The join
// compares the keys' bytes: rows whose foreign key equals its root's key
// only in a nondeterministic collation (case-insensitive, say) are dropped
// here as Go drops them when loading by key.
func streamSQL(m *collectionModel, n *nodeModel) string {
	from, match := rootChildFrom(n)
	if !n.TextStream {
		return "SELECT " + selectList(n) + " FROM " + from + " WHERE " + match + " IS NOT NULL ORDER BY " + match + listOrder(n, match)
	}
	key := quoteIdent(m.KeyCol.Name)
	roots := tableRef(m.Root.n.Table) + " r"
	if m.c.Where != "" {
		roots = "(SELECT t." + key + " FROM " + tableRef(m.Root.n.Table) + " t WHERE (" + m.c.Where + ")) r"
	}
	exprs := make([]string, len(n.Selects))
	for i, s := range n.Selects {
		exprs[i] = s.Expr
	}
	exprs[parentKeyColumn(n)] = "r." + key
	// COLLATE "C": the key and the foreign key may have collations of their
	// own, which PostgreSQL would refuse to choose between.
	return "SELECT " + strings.Join(exprs, ", ") + " FROM " + from + " JOIN " + roots + " ON r." + key + " = " + match +
		` COLLATE "C" ORDER BY r.` + key + listOrder(n, match)
}

// rootChildFrom is the FROM clause of a Streamed node's rows and the column
// matching the root key.
func rootChildFrom(n *nodeModel) (from, match string) {
	r := n.Parent.r
	if r.Kind == schema.ManyToMany {
		return tableRef(r.Through) + " j JOIN " + tableRef(r.To.Table) + " t ON " + equal(qualified("t", r.ToCols), qualified("j", r.ThroughToCols)),
			"j." + quoteIdent(r.ThroughFromCols[0])
	}
	return tableRef(r.To.Table) + " t", "t." + quoteIdent(r.ToCols[0])
}

// parentKeyColumn is the position of a node's parent key in its SELECT list.
func parentKeyColumn(n *nodeModel) int {
	for i, s := range n.Selects {
		if s == n.ParentKey || (n.ParentKey.Field != nil && s.Field == n.ParentKey.Field) {
			return i
		}
	}
	panic("gen: " + n.Path + ": parent key not selected")
}

// orderBy is the relation's order, made total with the related table's
// primary key so that equal sort keys still give the same list every time.
func orderBy(r *schema.Relation) string { return strings.Join(orderItems(r), ", ") }

// orderItems are orderBy's items.
func orderItems(r *schema.Relation) []string {
	if r.Kind == schema.ToOne {
		return nil
	}
	var parts []string
	seen := map[string]bool{}
	for _, o := range r.OrderBy {
		s := "t." + quoteIdent(o.Column.Name)
		if o.Desc {
			s += " DESC"
		}
		parts = append(parts, s)
		seen[o.Column.Name] = true
	}
	for _, c := range r.To.Table.PrimaryKey {
		if !seen[c] {
			parts = append(parts, "t."+quoteIdent(c))
		}
	}
	return parts
}

// An orderKey is a field a to-many list is sorted by in Go.
type orderKey struct {
	GoName string
	Desc   bool
}

// goOrder is the order of n's list (orderBy) as fields of n that Go compares
// exactly as PostgreSQL does: integers that are never NULL. Then the lists
// are sorted in Go as they are read, and the queries only group rows by
// parent, which spares PostgreSQL a sort on several keys per query (about a
// sixth of a warm lookup of 500 books' reviews). nil means PostgreSQL orders
// the rows: text (its collation), numbers with NaN, NULLs, a limit per
// parent (the limit picks the first rows), and flattened lists, whose values
// carry no order column.
func goOrder(n *nodeModel) []orderKey {
	p := n.Parent
	if p == nil || !p.r.Many() || p.r.Limit != 0 || p.Flat != nil {
		return nil
	}
	cols := slices.Clone(p.r.OrderBy)
	for _, c := range p.r.To.Table.PrimaryKey {
		if !slices.ContainsFunc(cols, func(o schema.Order) bool { return o.Column.Name == c }) {
			cols = append(cols, schema.Order{Column: p.r.To.Table.Column(c)})
		}
	}
	var keys []orderKey
	for _, o := range cols {
		if o.Column == nil {
			return nil
		}
		i := slices.IndexFunc(n.Fields, func(f *fieldModel) bool { return f.f.Column.Name == o.Column.Name })
		if i < 0 || !goInteger(n.Fields[i].Type) {
			return nil
		}
		keys = append(keys, orderKey{GoName: n.Fields[i].f.GoName, Desc: o.Desc})
	}
	return keys
}

// goInteger reports whether t is a Go integer read as it is, never nil.
func goInteger(t goType) bool {
	if t.Path != "" || t.Ptr || t.Slice || t.Select != "" {
		return false
	}
	switch t.Name {
	case "int16", "int32", "int64":
		return true
	}
	return false
}

// listOrder is the tail of a to-many query's ORDER BY after key, the
// column grouping its rows by parent: the relation's order, unless Go sorts
// it.
func listOrder(n *nodeModel, key string) string {
	if goOrder(n) != nil {
		return ""
	}
	var out strings.Builder
	for _, o := range orderItems(n.Parent.r) {
		if o != key { // the key the rows are grouped by comes first already
			out.WriteString(", " + o)
		}
	}
	return out.String()
}
