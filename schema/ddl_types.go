package schema

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// builtinTypes maps the names a type can be written with to the name
// pg_catalog gives it. The parser already turns SQL keywords (integer, double
// precision, character varying, timestamp with time zone, ...) into
// pg_catalog names; the spelled-out aliases are here for names that reach us
// as plain identifiers, such as a quoted "integer" or a config's db_type.
var builtinTypes = map[string]string{
	"int2": "int2", "smallint": "int2",
	"int4": "int4", "int": "int4", "integer": "int4",
	"int8": "int8", "bigint": "int8",
	"float4": "float4", "real": "float4",
	"float8": "float8", "double precision": "float8", "float": "float8",
	"numeric": "numeric", "decimal": "numeric",
	"bool": "bool", "boolean": "bool",
	"text":    "text",
	"varchar": "varchar", "character varying": "varchar",
	"bpchar": "bpchar", "character": "bpchar",
	// "char" (quoted) is the one-byte internal type; char(n) is bpchar.
	"char": "char",
	"name": "name",
	"uuid": "uuid",
	"date": "date",
	"time": "time", "time without time zone": "time",
	"timetz": "timetz", "time with time zone": "timetz",
	"timestamp": "timestamp", "timestamp without time zone": "timestamp",
	"timestamptz": "timestamptz", "timestamp with time zone": "timestamptz",
	"interval": "interval",
	"bytea":    "bytea",
	"json":     "json",
	"jsonb":    "jsonb",
	"jsonpath": "jsonpath",
	"inet":     "inet",
	"cidr":     "cidr",
	"macaddr":  "macaddr",
	"macaddr8": "macaddr8",
	"money":    "money",
	"xml":      "xml",
	"bit":      "bit",
	"varbit":   "varbit", "bit varying": "varbit",
	"tsvector": "tsvector",
	"tsquery":  "tsquery",
	"oid":      "oid",
}

// serialTypes are the pseudo-types that create an integer column with a
// sequence default. Such a column is never null.
var serialTypes = map[string]string{
	"smallserial": "int2", "serial2": "int2",
	"serial": "int4", "serial4": "int4",
	"bigserial": "int8", "serial8": "int8",
}

// CanonicalType returns the canonical name of a type written by a user (in
// denorm.yaml, for instance): "integer" and "int" become "int4", "timestamp
// with time zone" becomes "timestamptz", "pg_catalog.bool" becomes "bool",
// and each array dimension adds "[]" ("text[]"). Other names (enums,
// extension types) come back lower-cased and trimmed, since only the catalog
// knows what they are; enums are named by their qualified name there
// ("public.mood").
func CanonicalType(name string) string {
	name = strings.Join(strings.Fields(strings.ToLower(name)), " ")
	dims := 0
	for {
		base, ok := strings.CutSuffix(name, "[]")
		if !ok {
			break
		}
		name, dims = strings.TrimSpace(base), dims+1
	}
	if base, ok := strings.CutSuffix(name, " array"); ok {
		name, dims = base, dims+1
	}
	// A type modifier ("varchar(20)", "numeric(10, 2)") does not change the type.
	if i := strings.IndexByte(name, '('); i > 0 && strings.HasSuffix(name, ")") {
		name = strings.TrimSpace(name[:i])
	}
	name = strings.TrimPrefix(name, "pg_catalog.")
	if c, ok := builtinTypes[name]; ok {
		name = c
	} else if c, ok := serialTypes[name]; ok {
		name = c
	}
	return name + strings.Repeat("[]", dims)
}

// resolveType turns a type as written in DDL into a Type: pg_catalog names,
// then enums and domains of the catalog; any other name (an extension's
// citext, hstore or geometry, a composite type) is kept as written. notNull
// reports whether the type itself rules out NULL (a serial, a NOT NULL
// domain), which makes a column of it NOT NULL.
func (a *applier) resolveType(tn *pg.TypeName) (typ Type, notNull bool) {
	names := strs(tn.GetNames())
	dims := len(tn.GetArrayBounds())
	if len(names) == 0 {
		return Type{ArrayDims: dims}, false
	}
	name := names[len(names)-1]
	schema := ""
	if len(names) > 1 {
		schema = names[len(names)-2]
	}
	// pg_catalog comes first in every search path, so a built-in name wins
	// over a user type of the same name in public.
	if schema == "" || schema == "pg_catalog" {
		if c, ok := builtinTypes[name]; ok {
			return Type{Name: c, ArrayDims: dims}, false
		}
		if c, ok := serialTypes[name]; ok && dims == 0 {
			return Type{Name: c}, true
		}
	}
	if schema == "" {
		schema = "public"
	}
	key := schema + "." + name
	if e := a.c.Enums[key]; e != nil {
		return Type{Name: key, ArrayDims: dims, Enum: e}, false
	}
	if d := a.c.Domains[key]; d != nil {
		typ = d.Base
		typ.ArrayDims += dims
		typ.Domain = key
		// NOT NULL applies to the domain's values, not to an array of them.
		return typ, d.NotNull && dims == 0
	}
	if len(names) > 1 && names[len(names)-2] == "pg_catalog" {
		names = names[len(names)-1:] // int4range, not pg_catalog.int4range
	}
	return Type{Name: strings.Join(names, "."), ArrayDims: dims}, false
}
