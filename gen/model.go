package gen

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/denormgen/denormgen/schema"
)

// The view model: everything the emitters need, derived and checked once
// from the graph, so that rendering never fails and never decides.

type collectionModel struct {
	c      *schema.Collection
	GoName string // "Books": LoadBooks, AllBooks
	File   string // "books.go"
	Root   *nodeModel
	// Levels holds the non-root nodes by depth: Levels[0] the relations of
	// the root, and so on. Each level is one round trip per chunk.
	Levels [][]*nodeModel
	Tables []string
	KeyCol *schema.Column
	Key    goType // the root primary key's Go type
	KeyRef string // Go field of the root holding the key
}

type nodeModel struct {
	n      *schema.Node
	Type   string // Go type of the struct
	lower  string // prefix of its unexported helpers: "bookPublisher"
	Path   string // relation path from the root, for errors: "publisher.country"
	Fields []*fieldModel
	Rels   []*relModel
	Parent *relModel
	// Indexes are the columns this node's rows are looked up by when its
	// relations' rows are attached, one per distinct join column.
	Indexes []*indexModel
	// Selects is the SELECT list, in Scan order.
	Selects []*selectModel
	// ParentKey is the select holding the key of the parent row (child nodes).
	ParentKey *selectModel
	// Streamed is set when a full build reads the rows as one stream sorted
	// by root key (streamSQL): a to-many relation of the root without a
	// limit, on its integer, uuid or text key.
	Streamed bool
	// TextStream is set when the stream is by a text key, which Go cannot
	// order as PostgreSQL does: its rows are joined to the roots and sorted
	// by the roots' key column, and a chunk takes them by membership
	// (denorm.Stream.UntilIn). The parent key is not a field of the
	// document then, since the stream reads the root's key in its place,
	// and the collection's filter, if any, selects the same roots in every
	// transaction of the snapshot (no now(), no subquery).
	TextStream bool
	// Ranged is set when the rows can also be read by a range of root keys
	// (rangeSQL): a Streamed relation on an integer key.
	Ranged bool
	// RootKeyed is set when the relation joins on the root key: loading by
	// key, its parents are the keys asked for, and it is read in the round
	// trip of the roots.
	RootKeyed bool
}

type fieldModel struct {
	f    *schema.Field
	Type goType
	Key  string // JSON key
}

type relModel struct {
	r    *schema.Relation
	From *nodeModel
	To   *nodeModel
	// Index is the parent's index this relation's rows are attached through.
	Index  *indexModel
	GoName string
	Key    string // JSON key
	// Flat is the single field of a flattened relation.
	Flat *fieldModel
}

type indexModel struct {
	Col  *schema.Column
	Key  goType // key type: comparable, no pointer
	Name string // map field: "byPublisherID"
	// Field is the node's field holding the value, when there is one of a
	// usable type; otherwise Select is scanned into a local variable.
	Field    *fieldModel
	Select   *selectModel
	Nullable bool
	// Valid names the value field of the pgtype a nullable key is scanned
	// into ("Int64" of pgtype.Int8).
	Valid string
	// Parts are the columns of a key of several columns (a composite
	// foreign key), each read as a one-column key is; Col is then nil and
	// Key the struct holding them, named Key.Name, its fields named Part.
	Parts []*indexModel
	Part  string
}

// columns are the key's columns.
func (ix *indexModel) columns() []*schema.Column {
	if len(ix.Parts) == 0 {
		return []*schema.Column{ix.Col}
	}
	cols := make([]*schema.Column, len(ix.Parts))
	for i, p := range ix.Parts {
		cols[i] = p.Col
	}
	return cols
}

// columnsFunc names the function turning keys of a composite index into
// one slice per column.
func (ix *indexModel) columnsFunc() string { return strings.TrimSuffix(ix.Key.Name, "Key") + "Columns" }

// nullKey maps a key type to the pgtype holding it nullable, and its value field.
var nullKey = map[string]struct {
	typ   goType
	field string
}{
	"int16":  {goType{Path: pgtypePath, Name: "Int2"}, "Int16"},
	"int32":  {goType{Path: pgtypePath, Name: "Int4"}, "Int32"},
	"int64":  {goType{Path: pgtypePath, Name: "Int8"}, "Int64"},
	"string": {goType{Path: pgtypePath, Name: "Text"}, "String"},
}

// A selectModel is one column of a node's SELECT list.
type selectModel struct {
	Expr  string // SQL
	Field *fieldModel
	// Local is the variable the column is scanned into when it is no field;
	// Part its field, for the parent key of a relation on several columns.
	Local string
	Part  string
	Type  goType
}

func buildCollection(g *schema.Graph, c *schema.Collection) (*collectionModel, error) {
	root := c.Root
	if root == nil || root.Table == nil {
		return nil, fmt.Errorf("collection %q has no root table", c.Name)
	}
	if len(root.Table.PrimaryKey) != 1 {
		return nil, fmt.Errorf("collection %q: root table %s must have a one-column primary key", c.Name, root.Table.QualifiedName())
	}
	m := &collectionModel{c: c, GoName: exported(c.Name), File: fileName(c.Name) + ".go"}
	m.KeyCol = c.Key()
	if m.KeyCol == nil {
		return nil, fmt.Errorf("collection %q: primary key column %s not found", c.Name, root.Table.PrimaryKey[0])
	}
	key, err := keyType(m.KeyCol)
	if err != nil {
		return nil, fmt.Errorf("collection %q: root key: %w", c.Name, err)
	}
	m.Key = key
	b := &modelBuilder{g: g, c: c}
	m.Root, err = b.node(root, nil, "")
	if err != nil {
		return nil, err
	}
	for _, f := range m.Root.Fields {
		if f.f.Column == m.KeyCol {
			if f.Type != key {
				return nil, fmt.Errorf("collection %q: the primary key %s must keep Go type %s, not %s", c.Name, m.KeyCol.Name, key, f.Type)
			}
			m.KeyRef = f.f.GoName
		}
	}
	if m.KeyRef == "" {
		return nil, fmt.Errorf("collection %q: the primary key %s is not among the root's fields", c.Name, m.KeyCol.Name)
	}
	var walk func(n *nodeModel, depth int)
	walk = func(n *nodeModel, depth int) {
		addTable(&m.Tables, n.n.Table.QualifiedName())
		if n.Parent != nil && n.Parent.r.Through != nil {
			addTable(&m.Tables, n.Parent.r.Through.QualifiedName())
		}
		if depth > 0 {
			for len(m.Levels) < depth {
				m.Levels = append(m.Levels, nil)
			}
			m.Levels[depth-1] = append(m.Levels[depth-1], n)
		}
		for _, r := range n.Rels {
			walk(r.To, depth+1)
		}
	}
	walk(m.Root, 0)
	if err := checkNames(m); err != nil {
		return nil, err
	}
	return m, nil
}

func addTable(tables *[]string, name string) {
	if !slices.Contains(*tables, name) {
		*tables = append(*tables, name)
	}
}

type modelBuilder struct {
	g *schema.Graph
	c *schema.Collection
}

func (b *modelBuilder) errorf(path, format string, args ...any) error {
	where := fmt.Sprintf("collection %q", b.c.Name)
	if path != "" {
		where += fmt.Sprintf(": relation %q", path)
	}
	return fmt.Errorf("%s: %s", where, fmt.Sprintf(format, args...))
}

func (b *modelBuilder) node(n *schema.Node, parent *relModel, path string) (*nodeModel, error) {
	nm := &nodeModel{n: n, Type: n.Type, lower: unexported(n.Type), Path: path, Parent: parent}
	if !isIdent(n.Type) || !unicode.IsUpper(rune(n.Type[0])) {
		return nil, b.errorf(path, "Go type name %q is not an exported identifier", n.Type)
	}
	t := n.Table
	for _, f := range n.Fields {
		typ, err := columnType(b.g, t, f.Column)
		if err != nil {
			return nil, err
		}
		if err := checkJSONKey(f.Key); err != nil {
			return nil, b.errorf(path, "field %s: %v", f.Column.Name, err)
		}
		fm := &fieldModel{f: f, Type: typ, Key: f.Key}
		nm.Fields = append(nm.Fields, fm)
		nm.Selects = append(nm.Selects, &selectModel{Expr: selectExpr(typ, "t."+quoteIdent(f.Column.Name)), Field: fm, Type: typ})
	}
	if parent != nil {
		// The parent's key comes first: the join table's column for a
		// many-to-many relation, the related table's otherwise. A field
		// holding it as it is saves selecting the column twice.
		r := parent.r
		alias, cols := "t", r.ToCols
		switch {
		case r.Kind == schema.ManyToMany && r.Limit > 0 && len(r.ThroughFromCols) > 1:
			alias, cols = "p", keyColumns(len(r.ThroughFromCols)) // the LATERAL subquery returns t.* alone
		case r.Kind == schema.ManyToMany && r.Limit > 0:
			alias, cols = "p", []string{"key"}
		case r.Kind == schema.ManyToMany:
			alias, cols = "j", r.ThroughFromCols
		}
		if parts := parent.Index.Parts; len(parts) > 0 {
			// Scanned into the fields of one key struct.
			nm.ParentKey = &selectModel{Local: "key", Type: parent.Index.Key}
			keys := make([]*selectModel, len(parts))
			for i, p := range parts {
				keys[i] = &selectModel{Expr: alias + "." + quoteIdent(cols[i]), Local: "key", Part: p.Part, Type: p.Key}
			}
			nm.Selects = append(keys, nm.Selects...)
		} else {
			col := cols[0]
			nm.ParentKey = &selectModel{Expr: alias + "." + quoteIdent(col), Local: "key", Type: parent.Index.Key}
			for _, f := range nm.Fields {
				if alias == "t" && !r.Flatten && f.f.Column.Name == col && f.Type == parent.Index.Key {
					nm.ParentKey = &selectModel{Field: f, Type: f.Type}
				}
			}
			if nm.ParentKey.Field == nil {
				nm.Selects = append([]*selectModel{nm.ParentKey}, nm.Selects...)
			}
		}
	}
	for _, r := range n.Relations {
		rm, err := b.relation(nm, r, path)
		if err != nil {
			return nil, err
		}
		nm.Rels = append(nm.Rels, rm)
	}
	return nm, nil
}

// isUUID reports whether col is a uuid, which PostgreSQL orders as bytes.
func isUUID(col *schema.Column) bool { return col.Type.Name == "uuid" && col.Type.ArrayDims == 0 }

// textKey reports whether a key of Go type t read from col is text sent as
// its bytes (text, varchar, char, citext, name), not a uuid nor another
// type read through its text form.
func textKey(t goType, col *schema.Column) bool {
	return t == goType{Name: "string", Enc: encString} && !isUUID(col)
}

// keyColumns are the columns of unnest($1, $2, ...) AS p(k1, k2, ...).
func keyColumns(n int) []string {
	cols := make([]string, n)
	for i := range cols {
		cols[i] = fmt.Sprintf("k%d", i+1)
	}
	return cols
}

func selectExpr(t goType, col string) string {
	if t.Select == "" {
		return col
	}
	return fmt.Sprintf(t.Select, col)
}

func (b *modelBuilder) relation(from *nodeModel, r *schema.Relation, parentPath string) (*relModel, error) {
	path := r.Name
	if parentPath != "" {
		path = parentPath + "." + r.Name
	}
	uneven := func(from, to []string) error {
		return b.errorf(path, "joins (%s) to (%s): not as many columns on each side", strings.Join(from, ", "), strings.Join(to, ", "))
	}
	switch {
	case len(r.FromCols) == 0 || len(r.ToCols) == 0:
		return nil, b.errorf(path, "joins on no column")
	case r.Kind != schema.ManyToMany && len(r.FromCols) != len(r.ToCols):
		return nil, uneven(r.FromCols, r.ToCols)
	case r.Kind == schema.ManyToMany && len(r.FromCols) != len(r.ThroughFromCols):
		return nil, uneven(r.FromCols, r.ThroughFromCols)
	case r.Kind == schema.ManyToMany && len(r.ThroughToCols) != len(r.ToCols):
		return nil, uneven(r.ThroughToCols, r.ToCols)
	}
	if r.Kind == schema.ManyToMany && r.Through == nil {
		return nil, b.errorf(path, "many-to-many relation without a join table")
	}
	if err := checkJSONKey(r.Name); err != nil {
		return nil, b.errorf(path, "%v", err)
	}
	rm := &relModel{r: r, From: from, GoName: r.GoName, Key: r.Name}
	var fromCols []*schema.Column
	for _, name := range r.FromCols {
		col := from.n.Table.Column(name)
		if col == nil {
			return nil, b.errorf(path, "column %s not found in %s", name, from.n.Table.QualifiedName())
		}
		fromCols = append(fromCols, col)
	}
	idx, err := b.index(from, fromCols)
	if err != nil {
		return nil, b.errorf(path, "%v", err)
	}
	rm.Index = idx
	to, err := b.node(r.To, rm, path)
	if err != nil {
		return nil, err
	}
	rm.To = to
	to.RootKeyed = from.Parent == nil && len(fromCols) == 1 && fromCols[0] == b.c.Key()
	text := textKey(idx.Key, fromCols[0]) && to.ParentKey.Field == nil &&
		(b.c.Where == "" || schema.SameInEveryTransaction(b.c.Where))
	to.Streamed = to.RootKeyed && r.Many() && r.Limit == 0 && (idx.Key.Enc == encInt || isUUID(fromCols[0]) || text)
	to.TextStream = to.Streamed && text
	to.Ranged = to.Streamed && idx.Key.Enc == encInt
	if r.Flatten {
		if len(to.Fields) != 1 || len(to.Rels) != 0 || r.Kind == schema.ToOne {
			return nil, b.errorf(path, "flatten needs a to-many relation with exactly one field and no relations")
		}
		rm.Flat = to.Fields[0]
	}
	return rm, nil
}

// index returns n's index on cols, adding it (and the columns it reads)
// once.
func (b *modelBuilder) index(n *nodeModel, cols []*schema.Column) (*indexModel, error) {
	for _, ix := range n.Indexes {
		if slices.Equal(ix.columns(), cols) {
			return ix, nil
		}
	}
	var names []string
	for _, col := range cols {
		names = append(names, exported(col.Name))
	}
	if len(cols) == 1 {
		ix, err := b.keyPart(n, cols[0])
		if err != nil {
			return nil, err
		}
		n.Indexes = append(n.Indexes, ix)
		return ix, nil
	}
	name := "by" + strings.Join(names, "")
	ix := &indexModel{Key: goType{Name: n.lower + exported(name) + "Key"}, Name: name}
	for i, col := range cols {
		part, err := b.keyPart(n, col)
		if err != nil {
			return nil, err
		}
		part.Part = names[i]
		ix.Parts = append(ix.Parts, part)
	}
	n.Indexes = append(n.Indexes, ix)
	return ix, nil
}

// keyPart reads col of n's rows as a key: a field of n holding it, or a
// column selected for it, once.
func (b *modelBuilder) keyPart(n *nodeModel, col *schema.Column) (*indexModel, error) {
	for _, ix := range n.Indexes {
		for _, p := range append([]*indexModel{ix}, ix.Parts...) {
			if p.Col == col && p.Select != nil {
				return &indexModel{Col: col, Key: p.Key, Name: p.Name, Select: p.Select, Nullable: p.Nullable, Valid: p.Valid}, nil
			}
		}
	}
	key, err := keyType(col)
	if err != nil {
		return nil, err
	}
	if pk := n.ParentKey; pk != nil && pk.Field == nil && pk.Part == "" && pk.Expr == "t."+quoteIdent(col.Name) && pk.Type == key {
		// The row's key to its parent, never NULL, as it matched one.
		return &indexModel{Col: col, Key: key, Name: "by" + exported(col.Name), Select: pk}, nil
	}
	ix := &indexModel{Col: col, Key: key, Name: "by" + exported(col.Name), Nullable: !col.NotNull}
	for _, f := range n.Fields {
		if f.f.Column == col && (f.Type == key || f.Type == goType{Name: key.Name, Path: key.Path, Enc: key.Enc, Ptr: true}) {
			ix.Field = f
		}
	}
	if ix.Field == nil {
		typ := key
		if ix.Nullable {
			// A pgtype value, not a pointer: no allocation per row.
			typ, ix.Valid = nullKey[key.Name].typ, nullKey[key.Name].field
		}
		ix.Select = &selectModel{Expr: "t." + quoteIdent(col.Name), Local: "col" + exported(col.Name), Type: typ}
		n.Selects = append(n.Selects, ix.Select)
	}
	return ix, nil
}
