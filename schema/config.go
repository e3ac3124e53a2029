package schema

// The config as written in denorm.yaml, before any name is checked against
// the catalog. Every value keeps its position so that resolution errors can
// point at it.

// Config is a parsed denorm.yaml.
type Config struct {
	Path        string
	Version     Int
	Schema      []Str // files or folders, relative to the config's folder
	Package     PackageConfig
	Overrides   []*OverrideConfig
	Collections []*CollectionConfig
}

// PackageConfig is the package: section.
type PackageConfig struct {
	Name, Out Str
	Pos       Pos
}

// OverrideConfig is one entry of overrides:.
type OverrideConfig struct {
	DBType, Column, GoType Str
	Nullable               bool
	Pos                    Pos
}

// CollectionConfig is one entry of collections:.
type CollectionConfig struct {
	Name, Table, Type, Where Str
	Fields                   []*FieldConfig
	Relations                []*RelationConfig
	Pos                      Pos
}

// RelationConfig is one entry of a relations: mapping.
type RelationConfig struct {
	Name       Str // the mapping key
	Table      Str
	Through    Str
	ForeignKey []Str
	References Str // "table(column, ...)"
	Kind       Str // "one" or "many": only needed for an ambiguous self reference
	Fields     []*FieldConfig
	OrderBy    []Str // column, or -column for descending
	Limit      Int
	Flatten    bool
	Relations  []*RelationConfig
	Pos        Pos
}

// FieldConfig is one entry of fields: a column, optionally renamed.
type FieldConfig struct {
	Column, As Str
	Pos        Pos
}

// Str is a string value and where it was written; Pos is zero when the key
// was absent.
type Str struct {
	Value string
	Pos   Pos
}

// Set reports whether the key was present.
func (s Str) Set() bool { return s.Pos.Line != 0 }

// Int is an integer value and where it was written.
type Int struct {
	Value int
	Pos   Pos
}

// Set reports whether the key was present.
func (i Int) Set() bool { return i.Pos.Line != 0 }
