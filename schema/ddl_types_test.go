package schema

import "testing"

func TestCanonicalType(t *testing.T) {
	tests := []struct{ in, want string }{
		{"integer", "int4"},
		{"INT", "int4"},
		{"int4", "int4"},
		{"bigint", "int8"},
		{"smallint", "int2"},
		{"serial", "int4"},
		{"bigserial", "int8"},
		{"double precision", "float8"},
		{"Double  Precision", "float8"},
		{"real", "float4"},
		{"boolean", "bool"},
		{"character varying", "varchar"},
		{"varchar(20)", "varchar"},
		{"numeric(10, 2)", "numeric"},
		{"decimal", "numeric"},
		{"timestamp with time zone", "timestamptz"},
		{"timestamp without time zone", "timestamp"},
		{"time with time zone", "timetz"},
		{"pg_catalog.bool", "bool"},
		{" uuid ", "uuid"},
		{"text[]", "text[]"},
		{"integer[][]", "int4[][]"},
		{"integer ARRAY", "int4[]"},
		{"bigint []", "int8[]"},
		// Not built in: only the catalog knows; kept, lower-cased.
		{"public.mood", "public.mood"},
		{"CITEXT", "citext"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := CanonicalType(tt.in); got != tt.want {
			t.Errorf("CanonicalType(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Every canonical name maps to itself, so canonicalizing twice is harmless.
func TestCanonicalTypeIdempotent(t *testing.T) {
	for alias, canon := range builtinTypes {
		if got := CanonicalType(canon); got != canon {
			t.Errorf("CanonicalType(%q) (from %q) = %q", canon, alias, got)
		}
	}
}
