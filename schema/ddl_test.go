package schema

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A ddlFile is one input file of a test case.
type ddlFile struct{ name, src string }

// A ddlCase applies files in order to an empty catalog and expects the
// catalog dump (with positions) and the errors, formatted file:line:col: msg.
type ddlCase struct {
	name   string
	files  []ddlFile
	want   string   // dumpCatalog(c, true)
	errors []string // nil when the DDL is valid
	// notInPostgres says why TestApplyMatchesPostgres skips the case: Apply
	// is deliberately more lenient, or the DDL needs an extension.
	notInPostgres string
}

// allDDLCases are the cases of every table-driven test of Apply; they also
// seed FuzzApply and are checked against PostgreSQL.
func allDDLCases() []ddlCase {
	var all []ddlCase
	for _, cases := range [][]ddlCase{createTableCases} {
		all = append(all, cases...)
	}
	return all
}

// sql is the common case of a single schema.sql; the leading newline of the
// raw string is dropped so that positions read naturally.
func sql(src string) []ddlFile {
	return []ddlFile{{"schema.sql", strings.TrimPrefix(src, "\n")}}
}

func applyFiles(files []ddlFile) (*Catalog, ErrorList) {
	c := NewCatalog()
	var errs ErrorList
	for _, f := range files {
		errs = append(errs, c.Apply(f.name, []byte(f.src))...)
	}
	return c, errs
}

func runDDLCases(t *testing.T, cases []ddlCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, errs := applyFiles(tc.files)
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tc.errors, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			want := strings.TrimPrefix(tc.want, "\n")
			if diff := cmp.Diff(want, dumpCatalog(c, true)); diff != "" {
				t.Errorf("catalog (-want +got):\n%s", diff)
			}
		})
	}
}

func TestApplyCreateTable(t *testing.T) {
	runDDLCases(t, createTableCases)
}

var createTableCases = []ddlCase{
	{
		name: "inline keys",
		files: sql(`
CREATE TABLE publisher (
  id bigserial PRIMARY KEY,
  name text NOT NULL UNIQUE
);
-- a comment before the statement
CREATE TABLE book (
  id integer PRIMARY KEY,
  title varchar(200),
  publisher_id bigint REFERENCES publisher
);
`),
		want: `
table public.book @6:1
  id int4 not null @7:3
  title varchar @8:3
  publisher_id int8 @9:3
  primary key (id)
  foreign key (publisher_id) references public.publisher (id) @9:23
table public.publisher @1:1
  id int8 not null @2:3
  name text not null @3:3
  primary key (id)
  unique (name)
`,
	},
	{
		name: "table constraints and composite keys",
		files: sql(`
CREATE TABLE edition (
  book_id int NOT NULL,
  number smallint,
  isbn text,
  CONSTRAINT edition_pk PRIMARY KEY (book_id, number),
  UNIQUE (isbn)
);
CREATE TABLE printing (
  id int PRIMARY KEY,
  book_id int,
  edition_no int2,
  CONSTRAINT printing_edition_fk FOREIGN KEY (book_id, edition_no) REFERENCES edition (book_id, number) ON DELETE CASCADE,
  CHECK (id > 0)
);
`),
		want: `
table public.edition @1:1
  book_id int4 not null @2:3
  number int2 not null @3:3
  isbn text @4:3
  primary key (book_id, number)
  unique (isbn)
table public.printing @8:1
  id int4 not null @9:3
  book_id int4 @10:3
  edition_no int2 @11:3
  primary key (id)
  foreign key printing_edition_fk (book_id, edition_no) references public.edition (book_id, number) @12:3
`,
	},
	{
		name: "foreign key to the primary key of a composite key",
		files: sql(`
CREATE TABLE a (x int, y int, PRIMARY KEY (x, y));
CREATE TABLE b (x int, y int, FOREIGN KEY (x, y) REFERENCES a);
`),
		want: `
table public.a @1:1
  x int4 not null @1:17
  y int4 not null @1:24
  primary key (x, y)
table public.b @2:1
  x int4 @2:17
  y int4 @2:24
  foreign key (x, y) references public.a (x, y) @2:31
`,
	},
	{
		name: "self reference and a key declared after it",
		files: sql(`
CREATE TABLE category (
  parent_id int REFERENCES category,
  id int,
  PRIMARY KEY (id)
);
`),
		want: `
table public.category @1:1
  parent_id int4 @2:3
  id int4 not null @3:3
  primary key (id)
  foreign key (parent_id) references public.category (id) @2:17
`,
	},
	{
		name: "if not exists keeps the first definition",
		files: sql(`
CREATE TABLE IF NOT EXISTS tag (name text PRIMARY KEY);
CREATE TABLE IF NOT EXISTS tag (id int);
`),
		want: `
table public.tag @1:1
  name text not null @1:33
  primary key (name)
`,
	},
	{
		name: "quoted identifiers keep their case, unquoted ones fold",
		files: sql(`
CREATE TABLE "Order" ("ID" int PRIMARY KEY, "group" text, Total NUMERIC);
CREATE TABLE Line (order_id int REFERENCES "Order" ("ID"));
`),
		want: `
table public.Order @1:1
  ID int4 not null @1:23
  group text @1:45
  total numeric @1:59
  primary key (ID)
table public.line @2:1
  order_id int4 @2:20
  foreign key (order_id) references public.Order (ID) @2:33
`,
	},
	{
		name: "schema-qualified names",
		files: sql(`
CREATE SCHEMA shop;
CREATE TABLE shop.customer (id uuid PRIMARY KEY);
CREATE TABLE public.customer (id int PRIMARY KEY);
CREATE TABLE shop."order" (
  id int PRIMARY KEY,
  customer_id uuid REFERENCES shop.customer,
  legacy_customer_id int REFERENCES customer (id)
);
`),
		want: `
table public.customer @3:1
  id int4 not null @3:31
  primary key (id)
table shop.customer @2:1
  id uuid not null @2:29
  primary key (id)
table shop.order @4:1
  id int4 not null @5:3
  customer_id uuid @6:3
  legacy_customer_id int4 @7:3
  primary key (id)
  foreign key (customer_id) references shop.customer (id) @6:20
  foreign key (legacy_customer_id) references public.customer (id) @7:26
`,
	},
	{
		name: "types",
		files: sql(`
CREATE TABLE t (
  a smallint, b integer, c int, d bigint, e real, f double precision, g float,
  h numeric(10, 2), i decimal, j boolean, k text, l character varying(3),
  m varchar, n char(2), o character, p "char", q uuid, r date, s time,
  t time with time zone, u timestamp, v timestamp with time zone, w timestamptz,
  x interval, y bytea, z json, aa jsonb, ab inet, ac cidr, ad macaddr,
  ae money, af xml, ag bit(3), ah bit varying, ai tsvector, aj oid,
  ak pg_catalog.int4, al int4, am bool, an float4, ao float8, ap float(10)
);
`),
		want: `
table public.t @1:1
  a int2 @2:3
  b int4 @2:15
  c int4 @2:26
  d int8 @2:33
  e float4 @2:43
  f float8 @2:51
  g float8 @2:71
  h numeric @3:3
  i numeric @3:21
  j bool @3:32
  k text @3:43
  l varchar @3:51
  m varchar @4:3
  n bpchar @4:14
  o bpchar @4:25
  p char @4:38
  q uuid @4:48
  r date @4:56
  s time @4:64
  t timetz @5:3
  u timestamp @5:26
  v timestamptz @5:39
  w timestamptz @5:67
  x interval @6:3
  y bytea @6:15
  z json @6:24
  aa jsonb @6:32
  ab inet @6:42
  ac cidr @6:51
  ad macaddr @6:60
  ae money @7:3
  af xml @7:13
  ag bit @7:21
  ah varbit @7:32
  ai tsvector @7:48
  aj oid @7:61
  ak int4 @8:3
  al int4 @8:23
  am bool @8:32
  an float4 @8:41
  ao float8 @8:52
  ap float4 @8:63
`,
	},
	{
		name: "arrays, serials and identity columns",
		files: sql(`
CREATE TABLE t (
  id serial,
  small smallserial,
  big bigserial,
  ident bigint GENERATED ALWAYS AS IDENTITY,
  tags text[],
  grid int[][],
  sized int[3],
  sql_std integer ARRAY,
  nullable_by_default int NULL
);
`),
		want: `
table public.t @1:1
  id int4 not null @2:3
  small int2 not null @3:3
  big int8 not null @4:3
  ident int8 not null @5:3
  tags text[] @6:3
  grid int4[][] @7:3
  sized int4[] @8:3
  sql_std int4[] @9:3
  nullable_by_default int4 @10:3
`,
	},
	{
		name:          "unknown types are kept by name",
		notInPostgres: "needs the citext, hstore and postgis extensions",
		files: sql(`
CREATE TABLE place (name citext, attrs hstore, geom public.geometry, tags citext[]);
`),
		want: `
table public.place @1:1
  name citext @1:21
  attrs hstore @1:34
  geom public.geometry @1:48
  tags citext[] @1:70
`,
	},
	{
		name: "LIKE, INHERITS and PARTITION OF",
		files: sql(`
CREATE TABLE base (id int PRIMARY KEY, code text UNIQUE, note text NOT NULL);
CREATE TABLE copy (LIKE base, extra int);
CREATE TABLE copy_keys (LIKE base INCLUDING ALL);
CREATE TABLE child (extra int) INHERITS (base);
CREATE TABLE event (id int, at date, PRIMARY KEY (id, at), ref int REFERENCES base) PARTITION BY RANGE (at);
CREATE TABLE event_2024 PARTITION OF event FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
`),
		want: `
table public.base @1:1
  id int4 not null @1:20
  code text @1:40
  note text not null @1:58
  primary key (id)
  unique (code)
table public.child @4:1
  id int4 not null @1:20
  code text @1:40
  note text not null @1:58
  extra int4 @4:21
table public.copy @2:1
  id int4 not null @1:20
  code text @1:40
  note text not null @1:58
  extra int4 @2:31
table public.copy_keys @3:1
  id int4 not null @1:20
  code text @1:40
  note text not null @1:58
  primary key (id)
  unique (code)
table public.event @5:1
  id int4 not null @5:21
  at date not null @5:29
  ref int4 @5:60
  primary key (id, at)
  foreign key (ref) references public.base (id) @5:68
table public.event_2024 @6:1
  id int4 not null @5:21
  at date not null @5:29
  ref int4 @5:60
  primary key (id, at)
  foreign key (ref) references public.base (id) @5:68
`,
	},
	{
		name: "statements the catalog does not need are skipped",
		files: sql(`
SET statement_timeout = 0;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TABLE book (id int PRIMARY KEY, title text);
CREATE INDEX book_title_idx ON book (title);
CREATE SEQUENCE seq;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  CREATE TABLE not_a_table (id int);
  RETURN NEW;
END;
$$;
CREATE TRIGGER book_touch BEFORE UPDATE ON book FOR EACH ROW EXECUTE FUNCTION touch();
CREATE VIEW titles AS SELECT title FROM book;
CREATE MATERIALIZED VIEW titles_mv AS SELECT title FROM book;
COMMENT ON TABLE book IS 'books; with a semicolon';
GRANT SELECT ON book TO PUBLIC;
INSERT INTO book VALUES (1, 'Dune');
DELETE FROM book WHERE false;
DO $$ BEGIN PERFORM 1; END $$;
ALTER TABLE book ENABLE ROW LEVEL SECURITY;
CREATE POLICY p ON book USING (true);
CREATE TEMP TABLE scratch (id int);
ALTER SEQUENCE seq RESTART;
ALTER INDEX book_title_idx RENAME TO book_title;
BEGIN;
COMMIT;
`),
		want: `
table public.book @3:1
  id int4 not null @3:20
  title text @3:40
  primary key (id)
`,
	},
}
