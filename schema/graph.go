package schema

// A Graph is the resolved input of the generator: the catalog and, for every
// collection, the tree of document levels it reads. Templates and emitters only
// read it; every name in it has been checked against the catalog.
type Graph struct {
	// ConfigPath is the denorm.yaml the graph was loaded from; Dir its folder.
	ConfigPath, Dir string
	Package         Package
	Catalog         *Catalog
	Collections     []*Collection
	// Overrides of the Go type chosen for a PostgreSQL type or a column.
	Overrides []*Override
	// SchemaFiles are the DDL files read, in the order they were applied.
	SchemaFiles []string
}

// Package is where generated code goes.
type Package struct {
	Name string // Go package name
	Out  string // output folder, absolute or relative to the working directory
	// OutRel is Out as written in the config, relative to the config's folder.
	OutRel string
}

// A Collection is a named set of documents, one per row of its root table.
type Collection struct {
	Name  string // backend collection name
	Type  string // Go type name of the root document
	Root  *Node
	Where string // optional SQL predicate on the root table (later wave)
	Pos   Pos
}

// Key is the root's single primary-key column.
func (c *Collection) Key() *Column { return c.Root.Table.Column(c.Root.Table.PrimaryKey[0]) }

// A Node is one level of a document: a table and the fields and relations
// read from it. The root node is the collection's table.
type Node struct {
	Table  *Table
	Type   string // Go type name of the struct for this level ("Book", "BookPublisher")
	Fields []*Field
	// Relations in config order.
	Relations []*Relation
	// Parent is the relation that leads here; nil at the root.
	Parent *Relation
}

// Depth is 0 at the root, 1 for a relation of the root, and so on.
func (n *Node) Depth() int {
	d := 0
	for r := n.Parent; r != nil; r = r.From.Parent {
		d++
	}
	return d
}

// A Field is a column that appears in the document.
type Field struct {
	Column *Column
	Key    string // JSON key: the column name, or its "as" rename
	GoName string // exported Go field name
	Pos    Pos
}

// RelationKind says how a relation joins.
type RelationKind int

const (
	// ToOne: the parent row holds a foreign key to the child (book.publisher_id
	// -> publisher). The document holds an object or null.
	ToOne RelationKind = iota + 1
	// OneToMany: the child rows hold a foreign key to the parent (review.book_id
	// -> book). The document holds a list.
	OneToMany
	// ManyToMany: a join table holds foreign keys to both (book_author). The
	// document holds a list.
	ManyToMany
)

func (k RelationKind) String() string {
	switch k {
	case ToOne:
		return "to-one"
	case OneToMany:
		return "one-to-many"
	case ManyToMany:
		return "many-to-many"
	}
	return "unknown"
}

// A Relation joins a parent level (From) to a child level (To).
//
// Join columns, always pairwise in the same order:
//
//	ToOne:      From.Table.FromCols = To.Table.ToCols
//	OneToMany:  From.Table.FromCols = To.Table.ToCols
//	ManyToMany: From.Table.FromCols = Through.ThroughFromCols and
//	            Through.ThroughToCols = To.Table.ToCols
type Relation struct {
	Name string // JSON key and Go field name source
	Kind RelationKind
	From *Node
	To   *Node
	Pos  Pos

	FromCols []string
	ToCols   []string

	Through         *Table // ManyToMany only
	ThroughFromCols []string
	ThroughToCols   []string

	// FK is the foreign key that defines the join (for ManyToMany, the join
	// table's key to From); ThroughFK the join table's key to To.
	FK, ThroughFK *ForeignKey

	OrderBy []Order // to-many only; defaults to To's primary key ascending
	Limit   int     // to-many only; 0 = no limit
	Flatten bool    // to-many with one field: a list of values, not objects
	GoName  string  // exported Go field name
}

// Many reports whether the relation yields a list.
func (r *Relation) Many() bool { return r.Kind != ToOne }

// An Order is one key of a to-many relation's order.
type Order struct {
	Column *Column // a column of the relation's table
	Desc   bool
}

// An Override replaces the Go type the generator picks, for a PostgreSQL type
// or for one column (as sqlc's overrides do). Exactly one of DBType and
// Column is set.
type Override struct {
	DBType string // canonical type name ("uuid", "numeric", "public.mood")
	Column string // qualified "schema.table.column"
	// GoType is "[import/path.]Name", e.g. "github.com/shopspring/decimal.Decimal",
	// "string", "*string".
	GoType   string
	Nullable bool // a db_type override for nullable columns of that type
	Pos      Pos
}
