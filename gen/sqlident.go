package gen

import "strings"

// quoteIdent quotes a PostgreSQL identifier only when it needs it, so the
// generated SQL stays readable: names that are lower case, plain and not
// reserved are written as they are.
func quoteIdent(name string) string {
	if plainIdent(name) && !reserved[name] {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// quoteQualified quotes "schema.name", dropping the public schema; names
// without a schema (built-in types) are quoted as one identifier.
func quoteQualified(name string) string {
	schemaName, rel, ok := strings.Cut(name, ".")
	if !ok {
		return quoteIdent(name)
	}
	if schemaName == "public" {
		return quoteIdent(rel)
	}
	return quoteIdent(schemaName) + "." + quoteIdent(rel)
}

func plainIdent(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || 'a' <= c && c <= 'z' || i > 0 && '0' <= c && c <= '9') {
			return false
		}
	}
	return s != ""
}

// reserved are PostgreSQL's reserved key words and those that cannot be a
// column name (the "reserved" and "type_func_name" categories of
// src/include/parser/kwlist.h); quoting them is always safe.
var reserved = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`all analyse analyze and any array as asc asymmetric
		authorization binary both case cast check collate collation column concurrently
		constraint create cross current_catalog current_date current_role current_schema
		current_time current_timestamp current_user default deferrable desc distinct do
		else end except false fetch for foreign freeze from full grant group having ilike
		in initially inner intersect into is isnull join lateral leading left like limit
		localtime localtimestamp natural not notnull null offset on only or order outer
		overlaps placing primary references returning right select session_user similar
		some symmetric system_user table tablesample then to trailing true union unique
		user using variadic verbose when where window with`) {
		m[w] = true
	}
	return m
}()
