package schema

// A Catalog is the database schema as the DDL leaves it after every migration
// has been applied in order.
type Catalog struct {
	// Tables by qualified name ("public.book"). Unqualified names in DDL and
	// config resolve against the public schema.
	Tables map[string]*Table
	// Enums by qualified name, with their labels in declaration order.
	Enums map[string]*Enum
	// Domains by qualified name.
	Domains map[string]*Domain
	// Views by qualified name: views, materialized views and tables created
	// AS a query. Their columns are unknown, so collections cannot use them;
	// they are known so that later migrations can alter, rename and drop
	// them, and so that their names count when PostgreSQL picks a name.
	Views map[string]*View
}

// NewCatalog returns an empty catalog.
func NewCatalog() *Catalog {
	return &Catalog{
		Tables:  map[string]*Table{},
		Enums:   map[string]*Enum{},
		Domains: map[string]*Domain{},
		Views:   map[string]*View{},
	}
}

// Table returns the table with the given name; an unqualified name means the
// public schema.
func (c *Catalog) Table(name string) *Table {
	return c.Tables[Qualify(name)]
}

// A Table is one relation of the catalog.
type Table struct {
	Schema string // "public" unless qualified
	Name   string // as PostgreSQL stores it (folded to lower case unless quoted)
	Pos    Pos    // where it was created

	Columns    []*Column
	PrimaryKey []string // column names, in key order; empty if none
	// PrimaryKeyName is the name of the primary key constraint (and of its
	// index), as written or as PostgreSQL chose it; empty if none.
	PrimaryKeyName string
	Uniques        []*Unique // UNIQUE constraints and unique indexes
	ForeignKeys    []*ForeignKey
	// Inherits are the qualified names of the tables t inherits from
	// (INHERITS), or of the partitioned table t is a partition of.
	Inherits []string
	// Partition is set when t is a partition of Inherits[0].
	Partition bool

	// checks are t's CHECK constraints, which the catalog knows nothing
	// else about: DROP CONSTRAINT can tell them from a typo, and PostgreSQL
	// skips their names when it picks one.
	checks []check
	// indexes are t's indexes that make no column unique (plain, partial,
	// expression, EXCLUDE), known by name for the same reasons.
	indexes []otherIndex
}

// A check is a CHECK constraint: its name, and the columns it uses, whose
// drop drops it.
type check struct {
	name string
	cols []string
}

// An otherIndex is an index that makes no column unique. elems are the
// names its elements had when it was created, after which a copy is named
// (LIKE INCLUDING INDEXES and partitions copy indexes under new names);
// cols are the columns it uses, whose drop drops it.
type otherIndex struct {
	name  string
	elems []string
	cols  []string
	// unique is set for a partial or expression unique index.
	unique bool
	// constraint is set for the index of an EXCLUDE constraint, which has
	// the constraint's name.
	constraint bool
}

// A Unique is a UNIQUE constraint, or a unique index on plain columns
// without a WHERE clause: either makes its columns unique across all rows.
type Unique struct {
	// Name is the constraint's name (and its index's), or the index's.
	Name    string
	Columns []string
	// Index is set for a unique index created by CREATE UNIQUE INDEX: DROP
	// INDEX removes it, DROP CONSTRAINT does not know it.
	Index bool
	// elems are the names of the index's columns (INCLUDE ones too) as they
	// were when it was created: a copy for a new partition is named after
	// them, not after the columns' current names.
	elems []string
}

// QualifiedName is schema.name, unquoted ("public.book").
func (t *Table) QualifiedName() string { return t.Schema + "." + t.Name }

// Column returns the named column or nil.
func (t *Table) Column(name string) *Column {
	for _, c := range t.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// IsUnique reports whether cols (in any order) are the primary key or a
// unique constraint of t.
func (t *Table) IsUnique(cols []string) bool {
	if sameSet(t.PrimaryKey, cols) {
		return true
	}
	for _, u := range t.Uniques {
		if sameSet(u.Columns, cols) {
			return true
		}
	}
	return false
}

// A Column of a table.
type Column struct {
	Name    string
	Type    Type
	NotNull bool // NOT NULL, or part of the primary key
	Pos     Pos
	// inherited is set for a column that a table has only from its
	// parents: it goes when they drop it.
	inherited bool
}

// A Type is a column's PostgreSQL type, resolved through domains.
type Type struct {
	// Name is the canonical base type name as pg_catalog spells it ("int8",
	// "text", "numeric", "timestamptz", "bool", "uuid", "jsonb", ...), or the
	// qualified name of an enum ("public.mood").
	Name string
	// ArrayDims is the number of array dimensions; 0 for a scalar.
	ArrayDims int
	// Enum is set when the (element) type is an enum.
	Enum *Enum
	// Domain is the qualified domain name when the column was declared with a
	// domain; Name is then the domain's base type.
	Domain string
}

// IsArray reports whether the type is an array.
func (t Type) IsArray() bool { return t.ArrayDims > 0 }

// An Enum type created with CREATE TYPE ... AS ENUM.
type Enum struct {
	Schema, Name string
	Labels       []string
}

// A Domain created with CREATE DOMAIN.
type Domain struct {
	Schema, Name string
	Base         Type
	NotNull      bool
}

// A ForeignKey says Columns of its table reference RefColumns of RefTable.
type ForeignKey struct {
	// Name is the constraint's name, as written or as PostgreSQL chose it;
	// empty only for a key that exists only in denorm.yaml.
	Name       string
	Columns    []string
	RefTable   string   // qualified
	RefColumns []string // the referenced table's primary key when omitted in DDL
	Pos        Pos
	// Declared is false for a key that exists only in denorm.yaml
	// (foreign_key + references), not as a constraint.
	Declared bool
}

// A View is a relation whose columns come from a query: a view, a
// materialized view or a table created AS a query.
type View struct {
	Schema, Name string
	Kind         string // "view", "materialized view" or "table"
	Pos          Pos
	// indexes are those of a materialized view or table, known by name only.
	indexes []otherIndex
}

// Qualify returns name with the public schema added when it has none.
func Qualify(name string) string {
	for i := 0; i < len(name); i++ {
		if name[i] == '.' {
			return name
		}
	}
	return "public." + name
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) || len(a) == 0 {
		return false
	}
	for _, x := range a {
		found := false
		for _, y := range b {
			if x == y {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
