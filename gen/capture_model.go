package gen

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/denormgen/denormgen/schema"
)

// A captureTable is one table some collection reads, as its trigger sees it:
// which columns an outbox row records (Keys) and which columns an UPDATE must
// have changed to be recorded at all (Compared).
type captureTable struct {
	Table *schema.Table
	// Keys are the primary key and every column a relation joins on, in the
	// table's column order: what resolution needs to walk up to the roots.
	Keys []*schema.Column
	// Compared are Keys plus every column a document shows or orders by.
	Compared []*schema.Column
	// PK is the primary key, empty when the table has none.
	PK []*schema.Column
}

// captureTables gathers the tracked tables of every collection, sorted by
// qualified name so the install script is the same for the same graph.
func captureTables(cols []*schema.Collection) ([]*captureTable, error) {
	b := captureBuilder{tables: map[string]*captureUse{}}
	for _, c := range cols {
		if c == nil || c.Root == nil || c.Root.Table == nil {
			return nil, fmt.Errorf("collection %q has no root table", collectionName(c))
		}
		if len(c.Root.Table.PrimaryKey) != 1 {
			return nil, fmt.Errorf("collection %q: root table %s needs a primary key of one column", c.Name, c.Root.Table.QualifiedName())
		}
		if c.Where != "" {
			// The predicate is opaque SQL: any column of the root may decide
			// whether a row belongs, so every column counts.
			b.use(c.Root.Table, false, columnNames(c.Root.Table)...)
		}
		if err := b.node(c.Root); err != nil {
			return nil, fmt.Errorf("collection %q: %w", c.Name, err)
		}
	}
	names := slices.Sorted(maps.Keys(b.tables))
	out := make([]*captureTable, 0, len(names))
	for _, name := range names {
		ct, err := b.tables[name].resolve()
		if err != nil {
			return nil, err
		}
		out = append(out, ct)
	}
	return out, nil
}

func collectionName(c *schema.Collection) string {
	if c == nil {
		return ""
	}
	return c.Name
}

type captureBuilder struct {
	tables map[string]*captureUse
}

// captureUse collects, by name, the columns a table is used with.
type captureUse struct {
	table          *schema.Table
	keys, compared map[string]bool
}

func (b *captureBuilder) use(t *schema.Table, key bool, cols ...string) {
	u := b.tables[t.QualifiedName()]
	if u == nil {
		u = &captureUse{table: t, keys: map[string]bool{}, compared: map[string]bool{}}
		for _, c := range t.PrimaryKey {
			u.keys[c] = true
		}
		b.tables[t.QualifiedName()] = u
	}
	for _, c := range cols {
		if key {
			u.keys[c] = true
		}
		u.compared[c] = true
	}
}

func (b *captureBuilder) node(n *schema.Node) error {
	if n.Table == nil {
		return fmt.Errorf("a level without a table")
	}
	b.use(n.Table, false)
	for _, f := range n.Fields {
		if f.Column == nil {
			return fmt.Errorf("table %s: field %q without a column", n.Table.QualifiedName(), f.Key)
		}
		b.use(n.Table, false, f.Column.Name)
	}
	for _, r := range n.Relations {
		if r.To == nil || r.To.Table == nil {
			return fmt.Errorf("relation %q: no target table", r.Name)
		}
		if err := checkJoin(r); err != nil {
			return fmt.Errorf("relation %q: %w", r.Name, err)
		}
		b.use(n.Table, true, r.FromCols...)
		b.use(r.To.Table, true, r.ToCols...)
		if r.Kind == schema.ManyToMany {
			if r.Through == nil {
				return fmt.Errorf("relation %q: many-to-many without a join table", r.Name)
			}
			b.use(r.Through, true, r.ThroughFromCols...)
			b.use(r.Through, true, r.ThroughToCols...)
		}
		for _, o := range r.OrderBy {
			if o.Column != nil {
				b.use(r.To.Table, false, o.Column.Name)
			}
		}
		if err := b.node(r.To); err != nil {
			return fmt.Errorf("relation %q: %w", r.Name, err)
		}
	}
	return nil
}

// checkJoin makes sure the join columns pair up, as schema.Relation
// promises; the resolution SQL pairs them by position.
func checkJoin(r *schema.Relation) error {
	if r.Kind == schema.ManyToMany {
		if len(r.FromCols) == 0 || len(r.FromCols) != len(r.ThroughFromCols) ||
			len(r.ToCols) == 0 || len(r.ToCols) != len(r.ThroughToCols) {
			return fmt.Errorf("join columns %v = %v and %v = %v do not pair up",
				r.FromCols, r.ThroughFromCols, r.ThroughToCols, r.ToCols)
		}
		return nil
	}
	if len(r.FromCols) == 0 || len(r.FromCols) != len(r.ToCols) {
		return fmt.Errorf("join columns %v and %v do not pair up", r.FromCols, r.ToCols)
	}
	return nil
}

// resolve turns the column names into columns in the table's order and
// checks that each exists: a graph that names a missing column would give an
// install script PostgreSQL refuses with a far less helpful message.
func (u *captureUse) resolve() (*captureTable, error) {
	t := u.table
	for name := range u.compared {
		if t.Column(name) == nil {
			return nil, fmt.Errorf("table %s has no column %q", t.QualifiedName(), name)
		}
	}
	ct := &captureTable{Table: t}
	for _, name := range t.PrimaryKey {
		c := t.Column(name)
		if c == nil {
			return nil, fmt.Errorf("table %s: primary key column %q does not exist", t.QualifiedName(), name)
		}
		ct.PK = append(ct.PK, c)
	}
	for _, c := range t.Columns {
		if u.keys[c.Name] {
			ct.Keys = append(ct.Keys, c)
		}
		if u.keys[c.Name] || u.compared[c.Name] {
			ct.Compared = append(ct.Compared, c)
		}
	}
	return ct, nil
}

func columnNames(t *schema.Table) []string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return names
}

// Name is the table as denorm.outbox records it ("public.book").
func (ct *captureTable) Name() string { return ct.Table.QualifiedName() }

// Ident is the table's SQL name, always schema-qualified: the trigger and the
// resolution queries must not depend on anyone's search_path.
func (ct *captureTable) Ident() string { return tableIdent(ct.Table) }

// Literal is Name as an SQL string literal.
func (ct *captureTable) Literal() string { return sqlString(ct.Name()) }

// Func is the trigger function's qualified SQL name.
func (ct *captureTable) Func() string { return "denorm." + quoteIdentAlways(captureFuncName(ct.Table)) }

// KeyList and ComparedList name the columns for the script's comments.
func (ct *captureTable) KeyList() string      { return columnList(ct.Keys) }
func (ct *captureTable) ComparedList() string { return columnList(ct.Compared) }

// PKFirst is a primary key column: NOT NULL, so it is NULL in a FULL JOIN
// exactly when the row found no partner.
func (ct *captureTable) PKFirst() string { return quoteIdent(ct.PK[0].Name) }

// PKJoin pairs old and new rows by primary key.
func (ct *captureTable) PKJoin(o, n string) string {
	var conds []string
	for _, c := range ct.PK {
		id := quoteIdent(c.Name)
		conds = append(conds, n+"."+id+" = "+o+"."+id)
	}
	return strings.Join(conds, " AND ")
}

// captureGroup is the most changes one outbox row holds (docs/DESIGN.md): a
// statement writes one row per group, and a claim stays bounded.
const captureGroup = 1000

// GroupSize is captureGroup, for the template.
func (ct *captureTable) GroupSize() int { return captureGroup }

// Select projects the recorded columns of the row aliased a under the
// positional names prefix1, prefix2, ... (column names may need quoting;
// these never do).
func (ct *captureTable) Select(a, prefix string) string {
	var cols []string
	for i, c := range ct.Keys {
		cols = append(cols, fmt.Sprintf("%s.%s AS %s%d", a, quoteIdent(c.Name), prefix, i+1))
	}
	return strings.Join(cols, ", ")
}

// Images aggregates the columns Select named with prefix into the outbox's
// image object: each recorded column and the array of its values, in one
// order for all columns. filter, if set, limits the rows aggregated.
func (ct *captureTable) Images(prefix, filter string) string {
	if filter != "" {
		filter = " FILTER (WHERE " + filter + ")"
	}
	var args []string
	for i, c := range ct.Keys {
		v := fmt.Sprintf("c.%s%d", prefix, i+1)
		agg := "to_jsonb(array_agg(" + v + ")" + filter + ")"
		if c.Type.IsArray() || c.Type.Domain != "" {
			// array_agg refuses arrays of different dimensions.
			agg = "jsonb_agg(" + v + ")" + filter
		}
		args = append(args, sqlString(c.Name), agg)
	}
	return "jsonb_build_object(" + strings.Join(args, ", ") + ")"
}

// Image is the image object of the one row aliased a: each recorded column
// and a one-element array of its value.
func (ct *captureTable) Image(a string) string {
	var args []string
	for _, c := range ct.Keys {
		args = append(args, sqlString(c.Name), "jsonb_build_array("+a+"."+quoteIdent(c.Name)+")")
	}
	return "jsonb_build_object(" + strings.Join(args, ", ") + ")"
}

// KeysDiffer tells whether the recorded columns of rows o and n differ.
func (ct *captureTable) KeysDiffer(o, n string) string {
	return distinctRows(ct.Keys, o, n)
}

// OneChanged lists the tests of an UPDATE of one row, any of which records
// it: its primary key or a compared column changed. Without a primary key
// every compared column is tested.
func (ct *captureTable) OneChanged(o, n string) []string {
	out := ct.Changed(o, n)
	if len(ct.PK) > 0 {
		out = append([]string{distinctRows(ct.PK, o, n)}, out...)
	}
	return out
}

// OneChanges counts the changes of an UPDATE of one row: a row whose primary
// key changed, or any row without one, is a delete plus an insert.
func (ct *captureTable) OneChanges(o, n string) string {
	if len(ct.PK) == 0 {
		return "2"
	}
	return "CASE WHEN " + distinctRows(ct.PK, o, n) + " THEN 2 ELSE 1 END"
}

// distinctRows compares cols of rows o and n with IS DISTINCT FROM.
func distinctRows(cols []*schema.Column, o, n string) string {
	var ov, nv []string
	for _, c := range cols {
		ov = append(ov, o+"."+quoteIdent(c.Name))
		nv = append(nv, n+"."+quoteIdent(c.Name))
	}
	if len(cols) == 1 {
		return ov[0] + " IS DISTINCT FROM " + nv[0]
	}
	return "(" + strings.Join(ov, ", ") + ") IS DISTINCT FROM (" + strings.Join(nv, ", ") + ")"
}

// NewImages are the images after an UPDATE: every row the new side of the
// FULL JOIN has (its primary key is not NULL), NULL if it has none.
func (ct *captureTable) NewImages() string {
	pk := fmt.Sprintf("c.n%d", slices.Index(ct.Keys, ct.PK[0])+1)
	return "CASE WHEN count(" + pk + ") > 0 THEN " + ct.Images("n", pk+" IS NOT NULL") + " END"
}

// OldImages are the images before an UPDATE, of the rows KeepOld picked,
// NULL if there are none.
func (ct *captureTable) OldImages() string {
	return "CASE WHEN bool_or(c.keep_old) THEN " + ct.Images("o", "c.keep_old") + " END"
}

// KeepOld tells, for rows of the FULL JOIN of an UPDATE, whether the image
// before is needed: the old side has the row and its recorded columns differ
// from the new side's. A row that kept them resolves to the same roots from
// its image after.
func (ct *captureTable) KeepOld(o, n string) string {
	return "(" + o + "." + quoteIdent(ct.PK[0].Name) + " IS NOT NULL AND " + distinctRows(ct.Keys, o, n) + ")"
}

// Changed gives one IS DISTINCT FROM test per compared column that is not
// part of the primary key (paired rows have equal keys).
func (ct *captureTable) Changed(o, n string) []string {
	var out []string
	for _, c := range ct.Compared {
		if slices.Contains(ct.PK, c) {
			continue
		}
		ov, nv := o+"."+quoteIdent(c.Name), n+"."+quoteIdent(c.Name)
		if !equalMeansSame(c.Type) {
			ov, nv = ov+"::text", nv+"::text"
		}
		out = append(out, ov+" IS DISTINCT FROM "+nv)
	}
	return out
}

// Projection selects the compared columns for EXCEPT ALL, under their own
// names so Row can read them; see equalMeansSame for those read as text.
// Keys stay as they are: Row records their values, and a join needs "=".
func (ct *captureTable) Projection(a string) string {
	var cols []string
	for _, c := range ct.Compared {
		id := quoteIdent(c.Name)
		if equalMeansSame(c.Type) || slices.Contains(ct.Keys, c) {
			cols = append(cols, a+"."+id)
		} else {
			cols = append(cols, a+"."+id+"::text AS "+id)
		}
	}
	return strings.Join(cols, ", ")
}

// equalMeansSame reports whether "=" on t holds only for values that render
// the same. Some types have no "=" at all (json, xml, most geometric types);
// for others it is looser than the document: box and circle compare areas,
// numeric 1.0 = 1.00, float -0 = 0, interval '1 day' = '24 hours', citext
// ignores case. Those are compared by their text form instead.
func equalMeansSame(t schema.Type) bool {
	switch t.Name {
	case "json", "xml", "jsonpath", "point", "line", "lseg", "box", "path", "polygon", "circle",
		"numeric", "float4", "float8", "interval", "citext":
		return false
	}
	return true
}

func columnList(cols []*schema.Column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

// captureFuncName names a table's trigger function after the table, so a
// reinstall replaces it and the cleanup can tell current from stale ones.
// Names longer than PostgreSQL's 63 bytes would be truncated, possibly onto
// another table's; they keep a prefix and end in a hash of the full name.
func captureFuncName(t *schema.Table) string {
	const maxIdent = 63
	name := "capture:" + t.QualifiedName()
	if len(name) <= maxIdent {
		return name
	}
	sum := sha256.Sum256([]byte(name))
	suffix := "~" + hex.EncodeToString(sum[:8])
	prefix := name[:maxIdent-len(suffix)]
	for !utf8.ValidString(prefix) {
		prefix = prefix[:len(prefix)-1]
	}
	return prefix + suffix
}

// tableIdent is a table's schema-qualified SQL name.
func tableIdent(t *schema.Table) string {
	return quoteIdent(t.Schema) + "." + quoteIdent(t.Name)
}

// quoteIdentAlways quotes an identifier that is never plain (it holds ':').
func quoteIdentAlways(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// sqlString is s as a standard-conforming SQL string literal.
func sqlString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
