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
}

// NewCatalog returns an empty catalog.
func NewCatalog() *Catalog {
	return &Catalog{
		Tables:  map[string]*Table{},
		Enums:   map[string]*Enum{},
		Domains: map[string]*Domain{},
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

	Columns     []*Column
	PrimaryKey  []string   // column names, in key order; empty if none
	Uniques     [][]string // UNIQUE constraints and unique indexes
	ForeignKeys []*ForeignKey
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
		if sameSet(u, cols) {
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
	Name       string // constraint name, empty if unnamed
	Columns    []string
	RefTable   string   // qualified
	RefColumns []string // the referenced table's primary key when omitted in DDL
	Pos        Pos
	// Declared is false for a key that exists only in denorm.yaml
	// (foreign_key + references), not as a constraint.
	Declared bool
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
