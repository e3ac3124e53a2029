package gen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/denormgen/denormgen/schema"
)

const (
	pgxPath    = "github.com/jackc/pgx/v5"
	pgtypePath = "github.com/jackc/pgx/v5/pgtype"
	denormPath = "github.com/denormgen/denormgen/runtime/denorm"
)

// An encoding says how the generated AppendJSON writes a value.
type encoding int

const (
	encMarshal encoding = iota // json.Marshal: types the generator does not know
	encInt
	encFloat32
	encFloat64
	encBool
	encString
	encNumber // json.Number holding a numeric's exact text
	encTime
	encDate // pgtype.Date: nullable by itself
	encBytes
	encRaw // json.RawMessage: nullable by itself
)

// A goType is the Go type of a document field or a scanned join key.
type goType struct {
	Path string // import path; "" for predeclared types
	Name string // "int64", "Time", "Number"
	Ptr  bool   // *T: the column is nullable and T has no null of its own
	// Slice is []T, the Go form of a one-dimensional array.
	Slice bool
	Enc   encoding
	// Select is a format for the column in the SELECT list ("%s::text"), for
	// types read in another form; empty reads the column as it is.
	Select string
}

// code renders the type for jennifer.
func (t goType) code() *jen.Statement {
	s := jen.Empty()
	if t.Ptr {
		s = s.Op("*")
	}
	if t.Slice {
		s = s.Index()
	}
	if t.Path == "" {
		return s.Id(t.Name)
	}
	return s.Qual(t.Path, t.Name)
}

// String is the type as written in Go with package names, for errors and
// comparisons.
func (t goType) String() string {
	var b strings.Builder
	if t.Ptr {
		b.WriteByte('*')
	}
	if t.Slice {
		b.WriteString("[]")
	}
	if t.Path != "" {
		b.WriteString(t.Path[strings.LastIndexByte(t.Path, '/')+1:])
		b.WriteByte('.')
	}
	b.WriteString(t.Name)
	return b.String()
}

// nullSelf reports whether the type represents NULL without a pointer.
func (t goType) nullSelf() bool {
	return t.Slice || t.Enc == encDate || t.Enc == encRaw || t.Enc == encBytes
}

// scalar maps PostgreSQL base type names to the Go type of a NOT NULL value.
var scalar = map[string]goType{
	"int2":        {Name: "int16", Enc: encInt},
	"int4":        {Name: "int32", Enc: encInt},
	"int8":        {Name: "int64", Enc: encInt},
	"float4":      {Name: "float32", Enc: encFloat32},
	"float8":      {Name: "float64", Enc: encFloat64},
	"numeric":     {Path: "encoding/json", Name: "Number", Enc: encNumber, Select: "%s::text"},
	"bool":        {Name: "bool", Enc: encBool},
	"text":        {Name: "string", Enc: encString},
	"varchar":     {Name: "string", Enc: encString},
	"bpchar":      {Name: "string", Enc: encString},
	"char":        {Name: "string", Enc: encString},
	"name":        {Name: "string", Enc: encString},
	"citext":      {Name: "string", Enc: encString},
	"uuid":        {Name: "string", Enc: encString},
	"date":        {Path: pgtypePath, Name: "Date", Enc: encDate},
	"timestamp":   {Path: "time", Name: "Time", Enc: encTime},
	"timestamptz": {Path: "time", Name: "Time", Enc: encTime},
	"bytea":       {Name: "byte", Slice: true, Enc: encBytes},
	"json":        {Path: "encoding/json", Name: "RawMessage", Enc: encRaw},
	"jsonb":       {Path: "encoding/json", Name: "RawMessage", Enc: encRaw},
}

// arrayElem maps the element types whose one-dimensional arrays become Go
// slices; other arrays are embedded as JSON through to_json.
var arrayElem = map[string]bool{
	"int2": true, "int4": true, "int8": true, "float4": true, "float8": true, "bool": true,
	"text": true, "varchar": true, "bpchar": true, "name": true, "citext": true, "uuid": true,
}

// textType is the Go form of every other type (time, interval, inet, money,
// enums, extension types): the string PostgreSQL prints for it.
var textType = goType{Name: "string", Enc: encString, Select: "%s::text"}

// columnType picks the Go type of column col of table t: an override when one
// applies, else the built-in mapping.
func columnType(g *schema.Graph, t *schema.Table, col *schema.Column) (goType, error) {
	nullable := !col.NotNull
	for _, o := range g.Overrides {
		if o.Column == t.QualifiedName()+"."+col.Name {
			return overrideType(o)
		}
	}
	for _, o := range g.Overrides {
		if o.DBType != "" && o.DBType == col.Type.Name && col.Type.ArrayDims == 0 && o.Nullable == nullable {
			return overrideType(o)
		}
	}
	typ := builtinType(col.Type)
	if nullable && !typ.nullSelf() {
		typ.Ptr = true
	}
	return typ, nil
}

func builtinType(pt schema.Type) goType {
	if pt.ArrayDims == 1 && arrayElem[pt.Name] {
		elem := scalar[pt.Name]
		elem.Slice = true
		return elem
	}
	if pt.ArrayDims > 0 {
		return goType{Path: "encoding/json", Name: "RawMessage", Enc: encRaw, Select: "to_json(%s)"}
	}
	if typ, ok := scalar[pt.Name]; ok {
		return typ
	}
	if pt.Name == "inet" {
		// inet::text always adds the mask ("10.0.0.1/32"); abbrev prints
		// what the output function does, as psql shows it.
		return goType{Name: "string", Enc: encString, Select: "abbrev(%s)"}
	}
	return textType
}

// known maps the Go types an override may name to the encoder the generator
// has for them, so that an override like "string" stays reflection-free.
var known = map[string]encoding{
	"int": encInt, "int8": encInt, "int16": encInt, "int32": encInt, "int64": encInt,
	"float32": encFloat32, "float64": encFloat64, "bool": encBool, "string": encString,
	"encoding/json.Number": encNumber, "encoding/json.RawMessage": encRaw,
	"time.Time": encTime, pgtypePath + ".Date": encDate,
}

// overrideType parses an override's "[*][import/path.]Name".
func overrideType(o *schema.Override) (goType, error) {
	s := o.GoType
	var typ goType
	if strings.HasPrefix(s, "*") {
		typ.Ptr = true
		s = s[1:]
	}
	if strings.HasPrefix(s, "[]") {
		typ.Slice = true
		s = s[2:]
	}
	if dot := strings.LastIndexByte(s, '.'); dot > strings.LastIndexByte(s, '/') {
		typ.Path, typ.Name = s[:dot], s[dot+1:]
	} else {
		typ.Name = s
	}
	if typ.Name == "" || !isIdent(typ.Name) || strings.ContainsAny(typ.Path, " \t\"`") {
		return goType{}, &schema.Error{Pos: o.Pos, Msg: fmt.Sprintf("override: go_type %q is not [*][import/path.]Name", o.GoType)}
	}
	full := typ.Name
	if typ.Path != "" {
		full = typ.Path + "." + typ.Name
	}
	typ.Enc = encMarshal
	if enc, ok := known[full]; ok && !typ.Slice {
		typ.Enc = enc
	}
	if typ.Slice && full == "byte" {
		typ.Enc = encBytes
	}
	if full == "string" {
		// PostgreSQL's text form fits a string whatever the column's type.
		typ.Select = "%s::text"
	}
	return typ, nil
}

func isIdent(s string) bool {
	for i, r := range s {
		if !(r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || i > 0 && '0' <= r && r <= '9') {
			return false
		}
	}
	return s != ""
}

// keyType is the Go type join keys and root ids of a column are held in:
// comparable, never a pointer, and encodable by pgx as an array parameter.
func keyType(col *schema.Column) (goType, error) {
	if col.Type.ArrayDims == 0 {
		switch col.Type.Name {
		case "int2", "int4", "int8", "text", "varchar", "bpchar", "citext", "uuid", "name":
			return scalar[col.Type.Name], nil
		}
	}
	return goType{}, fmt.Errorf("column %s of type %s cannot be a key: keys and join columns must be integers, text or uuid", col.Name, typeString(col.Type))
}

func typeString(t schema.Type) string {
	return t.Name + strings.Repeat("[]", t.ArrayDims)
}

// sqlType is the type name for casting an array parameter ("int8[]").
func sqlType(t schema.Type) string {
	return quoteQualified(t.Name) + "[]"
}
