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
	for _, cases := range [][]ddlCase{createTableCases, alterTableCases, dropCases, typeCases, indexCases, gooseCases, errorCases, nameCases, inheritCases, viewCases} {
		all = append(all, cases...)
	}
	return all
}

// schemaFile is the common case of a single schema.sql; the leading newline of the
// raw string is dropped so that positions read naturally.
func schemaFile(src string) []ddlFile {
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

func TestApplyCreateTable(t *testing.T) { runDDLCases(t, createTableCases) }
func TestApplyAlterTable(t *testing.T)  { runDDLCases(t, alterTableCases) }
func TestApplyDrop(t *testing.T)        { runDDLCases(t, dropCases) }
func TestApplyTypes(t *testing.T)       { runDDLCases(t, typeCases) }
func TestApplyIndexes(t *testing.T)     { runDDLCases(t, indexCases) }
func TestApplyGoose(t *testing.T)       { runDDLCases(t, gooseCases) }
func TestApplyErrors(t *testing.T)      { runDDLCases(t, errorCases) }

var createTableCases = []ddlCase{
	{
		name: "inline keys",
		files: schemaFile(`
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
table public.book @schema.sql:6:1
  id int4 not null @schema.sql:7:3
  title varchar @schema.sql:8:3
  publisher_id int8 @schema.sql:9:3
  primary key book_pkey (id)
  foreign key book_publisher_id_fkey (publisher_id) references public.publisher (id) @schema.sql:9:23
table public.publisher @schema.sql:1:1
  id int8 not null @schema.sql:2:3
  name text not null @schema.sql:3:3
  primary key publisher_pkey (id)
  unique publisher_name_key (name)
`,
	},
	{
		name: "table constraints and composite keys",
		files: schemaFile(`
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
table public.edition @schema.sql:1:1
  book_id int4 not null @schema.sql:2:3
  number int2 not null @schema.sql:3:3
  isbn text @schema.sql:4:3
  primary key edition_pk (book_id, number)
  unique edition_isbn_key (isbn)
table public.printing @schema.sql:8:1
  id int4 not null @schema.sql:9:3
  book_id int4 @schema.sql:10:3
  edition_no int2 @schema.sql:11:3
  primary key printing_pkey (id)
  check printing_id_check
  foreign key printing_edition_fk (book_id, edition_no) references public.edition (book_id, number) @schema.sql:12:3
`,
	},
	{
		name: "foreign key to the primary key of a composite key",
		files: schemaFile(`
CREATE TABLE a (x int, y int, PRIMARY KEY (x, y));
CREATE TABLE b (x int, y int, FOREIGN KEY (x, y) REFERENCES a);
`),
		want: `
table public.a @schema.sql:1:1
  x int4 not null @schema.sql:1:17
  y int4 not null @schema.sql:1:24
  primary key a_pkey (x, y)
table public.b @schema.sql:2:1
  x int4 @schema.sql:2:17
  y int4 @schema.sql:2:24
  foreign key b_x_y_fkey (x, y) references public.a (x, y) @schema.sql:2:31
`,
	},
	{
		name: "self reference and a key declared after it",
		files: schemaFile(`
CREATE TABLE category (
  parent_id int REFERENCES category,
  id int,
  PRIMARY KEY (id)
);
`),
		want: `
table public.category @schema.sql:1:1
  parent_id int4 @schema.sql:2:3
  id int4 not null @schema.sql:3:3
  primary key category_pkey (id)
  foreign key category_parent_id_fkey (parent_id) references public.category (id) @schema.sql:2:17
`,
	},
	{
		name: "if not exists keeps the first definition",
		files: schemaFile(`
CREATE TABLE IF NOT EXISTS tag (name text PRIMARY KEY);
CREATE TABLE IF NOT EXISTS tag (id int);
`),
		want: `
table public.tag @schema.sql:1:1
  name text not null @schema.sql:1:33
  primary key tag_pkey (name)
`,
	},
	{
		name: "quoted identifiers keep their case, unquoted ones fold",
		files: schemaFile(`
CREATE TABLE "Order" ("ID" int PRIMARY KEY, "group" text, Total NUMERIC);
CREATE TABLE Line (order_id int REFERENCES "Order" ("ID"));
`),
		want: `
table public.Order @schema.sql:1:1
  ID int4 not null @schema.sql:1:23
  group text @schema.sql:1:45
  total numeric @schema.sql:1:59
  primary key Order_pkey (ID)
table public.line @schema.sql:2:1
  order_id int4 @schema.sql:2:20
  foreign key line_order_id_fkey (order_id) references public.Order (ID) @schema.sql:2:33
`,
	},
	{
		name: "schema-qualified names",
		files: schemaFile(`
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
table public.customer @schema.sql:3:1
  id int4 not null @schema.sql:3:31
  primary key customer_pkey (id)
table shop.customer @schema.sql:2:1
  id uuid not null @schema.sql:2:29
  primary key customer_pkey (id)
table shop.order @schema.sql:4:1
  id int4 not null @schema.sql:5:3
  customer_id uuid @schema.sql:6:3
  legacy_customer_id int4 @schema.sql:7:3
  primary key order_pkey (id)
  foreign key order_customer_id_fkey (customer_id) references shop.customer (id) @schema.sql:6:20
  foreign key order_legacy_customer_id_fkey (legacy_customer_id) references public.customer (id) @schema.sql:7:26
`,
	},
	{
		name: "types",
		files: schemaFile(`
CREATE TABLE t (
  a smallint, b integer, c int, d bigint, e real, f double precision, g float,
  h numeric(10, 2), i decimal, j boolean, k text, l character varying(3),
  m varchar, n char(2), o character, p "char", q uuid, r date, s time,
  t time with time zone, u timestamp, v timestamp with time zone, w timestamptz,
  x interval, y bytea, z json, aa jsonb, ab inet, ac cidr, ad macaddr,
  ae money, af xml, ag bit(3), ah bit varying, ai tsvector, aj oid,
  ak pg_catalog.int4, al int4, am bool, an float4, ao float8, ap float(10),
  aq int4range, ar pg_catalog.tstzrange
);
`),
		want: `
table public.t @schema.sql:1:1
  a int2 @schema.sql:2:3
  b int4 @schema.sql:2:15
  c int4 @schema.sql:2:26
  d int8 @schema.sql:2:33
  e float4 @schema.sql:2:43
  f float8 @schema.sql:2:51
  g float8 @schema.sql:2:71
  h numeric @schema.sql:3:3
  i numeric @schema.sql:3:21
  j bool @schema.sql:3:32
  k text @schema.sql:3:43
  l varchar @schema.sql:3:51
  m varchar @schema.sql:4:3
  n bpchar @schema.sql:4:14
  o bpchar @schema.sql:4:25
  p char @schema.sql:4:38
  q uuid @schema.sql:4:48
  r date @schema.sql:4:56
  s time @schema.sql:4:64
  t timetz @schema.sql:5:3
  u timestamp @schema.sql:5:26
  v timestamptz @schema.sql:5:39
  w timestamptz @schema.sql:5:67
  x interval @schema.sql:6:3
  y bytea @schema.sql:6:15
  z json @schema.sql:6:24
  aa jsonb @schema.sql:6:32
  ab inet @schema.sql:6:42
  ac cidr @schema.sql:6:51
  ad macaddr @schema.sql:6:60
  ae money @schema.sql:7:3
  af xml @schema.sql:7:13
  ag bit @schema.sql:7:21
  ah varbit @schema.sql:7:32
  ai tsvector @schema.sql:7:48
  aj oid @schema.sql:7:61
  ak int4 @schema.sql:8:3
  al int4 @schema.sql:8:23
  am bool @schema.sql:8:32
  an float4 @schema.sql:8:41
  ao float8 @schema.sql:8:52
  ap float4 @schema.sql:8:63
  aq int4range @schema.sql:9:3
  ar tstzrange @schema.sql:9:17
`,
	},
	{
		name: "arrays, serials and identity columns",
		files: schemaFile(`
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
table public.t @schema.sql:1:1
  id int4 not null @schema.sql:2:3
  small int2 not null @schema.sql:3:3
  big int8 not null @schema.sql:4:3
  ident int8 not null @schema.sql:5:3
  tags text[] @schema.sql:6:3
  grid int4[][] @schema.sql:7:3
  sized int4[] @schema.sql:8:3
  sql_std int4[] @schema.sql:9:3
  nullable_by_default int4 @schema.sql:10:3
`,
	},
	{
		name:          "unknown types are kept by name",
		notInPostgres: "needs the citext, hstore and postgis extensions",
		files: schemaFile(`
CREATE TABLE place (name citext, attrs hstore, geom public.geometry, tags citext[]);
`),
		want: `
table public.place @schema.sql:1:1
  name citext @schema.sql:1:21
  attrs hstore @schema.sql:1:34
  geom public.geometry @schema.sql:1:48
  tags citext[] @schema.sql:1:70
`,
	},
	{
		name: "LIKE, INHERITS and PARTITION OF",
		files: schemaFile(`
CREATE TABLE base (id int PRIMARY KEY, code text UNIQUE, note text NOT NULL);
CREATE TABLE copy (LIKE base, extra int);
CREATE TABLE copy_keys (LIKE base INCLUDING ALL);
CREATE TABLE child (extra int) INHERITS (base);
CREATE TABLE event (id int, at date, PRIMARY KEY (id, at), ref int REFERENCES base) PARTITION BY RANGE (at);
CREATE TABLE event_2024 PARTITION OF event FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
`),
		want: `
table public.base @schema.sql:1:1
  id int4 not null @schema.sql:1:20
  code text @schema.sql:1:40
  note text not null @schema.sql:1:58
  primary key base_pkey (id)
  unique base_code_key (code)
table public.child @schema.sql:4:1
  inherits public.base
  id int4 not null @schema.sql:1:20
  code text @schema.sql:1:40
  note text not null @schema.sql:1:58
  extra int4 @schema.sql:4:21
table public.copy @schema.sql:2:1
  id int4 not null @schema.sql:1:20
  code text @schema.sql:1:40
  note text not null @schema.sql:1:58
  extra int4 @schema.sql:2:31
table public.copy_keys @schema.sql:3:1
  id int4 not null @schema.sql:1:20
  code text @schema.sql:1:40
  note text not null @schema.sql:1:58
  primary key copy_keys_pkey (id)
  unique copy_keys_code_key (code)
table public.event @schema.sql:5:1
  id int4 not null @schema.sql:5:21
  at date not null @schema.sql:5:29
  ref int4 @schema.sql:5:60
  primary key event_pkey (id, at)
  foreign key event_ref_fkey (ref) references public.base (id) @schema.sql:5:68
table public.event_2024 @schema.sql:6:1
  partition of public.event
  id int4 not null @schema.sql:5:21
  at date not null @schema.sql:5:29
  ref int4 @schema.sql:5:60
  primary key event_2024_pkey (id, at)
  foreign key event_ref_fkey (ref) references public.base (id) @schema.sql:5:68
`,
	},
	{
		name:          "foreign tables",
		notInPostgres: "needs a foreign server",
		files: schemaFile(`
CREATE FOREIGN TABLE remote_book (id int NOT NULL, author_id int) SERVER archive;
`),
		want: `
table public.remote_book @schema.sql:1:1
  id int4 not null @schema.sql:1:35
  author_id int4 @schema.sql:1:52
`,
	},
	{
		name: "statements the catalog does not need are skipped",
		files: schemaFile(`
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
ALTER TABLE titles OWNER TO CURRENT_USER;
ALTER TABLE titles_mv OWNER TO CURRENT_USER;
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
`),
		want: `
view public.titles @schema.sql:13:1
materialized view public.titles_mv @schema.sql:14:1
table public.book @schema.sql:3:1
  id int4 not null @schema.sql:3:20
  title text @schema.sql:3:40
  primary key book_pkey (id)
  index book_title
`,
	},
}

// ddlLibrary is the schema most alter and drop cases start from.
const ddlLibrary = `CREATE TABLE author (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE book (id int PRIMARY KEY, title text, author_id int REFERENCES author);
CREATE TABLE review (id int PRIMARY KEY, book_id int NOT NULL, stars int,
  CONSTRAINT review_book FOREIGN KEY (book_id) REFERENCES book (id));
`

// ddlLibraryDump is the catalog of ddlLibrary.
const ddlLibraryDump = `
table public.author @001_init.sql:1:1
  id int4 not null @001_init.sql:1:22
  name text not null @001_init.sql:1:42
  primary key author_pkey (id)
table public.book @001_init.sql:2:1
  id int4 not null @001_init.sql:2:20
  title text @001_init.sql:2:40
  author_id int4 @001_init.sql:2:52
  primary key book_pkey (id)
  foreign key book_author_id_fkey (author_id) references public.author (id) @001_init.sql:2:66
table public.review @001_init.sql:3:1
  id int4 not null @001_init.sql:3:22
  book_id int4 not null @001_init.sql:3:42
  stars int4 @001_init.sql:3:64
  primary key review_pkey (id)
  foreign key review_book (book_id) references public.book (id) @001_init.sql:4:3
`

// ddlMigration is ddlLibrary as 001_init.sql followed by src as 002_change.sql.
func ddlMigration(src string) []ddlFile {
	return []ddlFile{{"001_init.sql", ddlLibrary}, {"002_change.sql", strings.TrimPrefix(src, "\n")}}
}

var alterTableCases = []ddlCase{
	{
		name: "add column with inline constraints",
		files: ddlMigration(`
ALTER TABLE book ADD COLUMN isbn text UNIQUE NOT NULL, ADD COLUMN editor_id int REFERENCES author (id);
ALTER TABLE book ADD COLUMN IF NOT EXISTS title text;
ALTER TABLE IF EXISTS missing ADD COLUMN x int;
`),
		want: `
table public.author @001_init.sql:1:1
  id int4 not null @001_init.sql:1:22
  name text not null @001_init.sql:1:42
  primary key author_pkey (id)
table public.book @001_init.sql:2:1
  id int4 not null @001_init.sql:2:20
  title text @001_init.sql:2:40
  author_id int4 @001_init.sql:2:52
  isbn text not null @002_change.sql:1:29
  editor_id int4 @002_change.sql:1:67
  primary key book_pkey (id)
  foreign key book_author_id_fkey (author_id) references public.author (id) @001_init.sql:2:66
  foreign key book_editor_id_fkey (editor_id) references public.author (id) @002_change.sql:1:81
  unique book_isbn_key (isbn)
table public.review @001_init.sql:3:1
  id int4 not null @001_init.sql:3:22
  book_id int4 not null @001_init.sql:3:42
  stars int4 @001_init.sql:3:64
  primary key review_pkey (id)
  foreign key review_book (book_id) references public.book (id) @001_init.sql:4:3
`,
	},
	{
		name: "drop column drops the keys that use it",
		files: ddlMigration(`
ALTER TABLE book ADD CONSTRAINT book_title_author UNIQUE (title, author_id);
ALTER TABLE book DROP COLUMN author_id;
ALTER TABLE review DROP COLUMN IF EXISTS nope, DROP COLUMN stars;
`),
		want: `
table public.author @001_init.sql:1:1
  id int4 not null @001_init.sql:1:22
  name text not null @001_init.sql:1:42
  primary key author_pkey (id)
table public.book @001_init.sql:2:1
  id int4 not null @001_init.sql:2:20
  title text @001_init.sql:2:40
  primary key book_pkey (id)
table public.review @001_init.sql:3:1
  id int4 not null @001_init.sql:3:22
  book_id int4 not null @001_init.sql:3:42
  primary key review_pkey (id)
  foreign key review_book (book_id) references public.book (id) @001_init.sql:4:3
`,
	},
	{
		name: "drop column cascade drops foreign keys that reference it",
		files: ddlMigration(`
ALTER TABLE book DROP COLUMN id CASCADE;
`),
		want: `
table public.author @001_init.sql:1:1
  id int4 not null @001_init.sql:1:22
  name text not null @001_init.sql:1:42
  primary key author_pkey (id)
table public.book @001_init.sql:2:1
  title text @001_init.sql:2:40
  author_id int4 @001_init.sql:2:52
  foreign key book_author_id_fkey (author_id) references public.author (id) @001_init.sql:2:66
table public.review @001_init.sql:3:1
  id int4 not null @001_init.sql:3:22
  book_id int4 not null @001_init.sql:3:42
  stars int4 @001_init.sql:3:64
  primary key review_pkey (id)
`,
	},
	{
		name: "add and drop constraints",
		files: ddlMigration(`
CREATE TABLE tag (name text);
ALTER TABLE tag ADD PRIMARY KEY (name);
CREATE TABLE book_tag (book_id int, tag text);
ALTER TABLE book_tag
  ADD CONSTRAINT book_tag_pk PRIMARY KEY (book_id, tag),
  ADD FOREIGN KEY (book_id) REFERENCES book,
  ADD CONSTRAINT book_tag_tag_fk FOREIGN KEY (tag) REFERENCES tag (name);
ALTER TABLE review DROP CONSTRAINT review_book;
ALTER TABLE book DROP CONSTRAINT book_author_id_fkey;
ALTER TABLE author ADD UNIQUE (name);
ALTER TABLE author DROP CONSTRAINT author_name_key;
ALTER TABLE book_tag DROP CONSTRAINT book_tag_book_id_fkey, DROP CONSTRAINT IF EXISTS nope;
`),
		want: `
table public.author @001_init.sql:1:1
  id int4 not null @001_init.sql:1:22
  name text not null @001_init.sql:1:42
  primary key author_pkey (id)
table public.book @001_init.sql:2:1
  id int4 not null @001_init.sql:2:20
  title text @001_init.sql:2:40
  author_id int4 @001_init.sql:2:52
  primary key book_pkey (id)
table public.book_tag @002_change.sql:3:1
  book_id int4 not null @002_change.sql:3:24
  tag text not null @002_change.sql:3:37
  primary key book_tag_pk (book_id, tag)
  foreign key book_tag_tag_fk (tag) references public.tag (name) @002_change.sql:7:7
table public.review @001_init.sql:3:1
  id int4 not null @001_init.sql:3:22
  book_id int4 not null @001_init.sql:3:42
  stars int4 @001_init.sql:3:64
  primary key review_pkey (id)
table public.tag @002_change.sql:1:1
  name text not null @002_change.sql:1:19
  primary key tag_pkey (name)
`,
	},
	{
		name: "drop primary key by its default name",
		files: ddlMigration(`
ALTER TABLE review DROP CONSTRAINT review_pkey;
ALTER TABLE review ADD PRIMARY KEY (book_id, id);
`),
		want: `
table public.author @001_init.sql:1:1
  id int4 not null @001_init.sql:1:22
  name text not null @001_init.sql:1:42
  primary key author_pkey (id)
table public.book @001_init.sql:2:1
  id int4 not null @001_init.sql:2:20
  title text @001_init.sql:2:40
  author_id int4 @001_init.sql:2:52
  primary key book_pkey (id)
  foreign key book_author_id_fkey (author_id) references public.author (id) @001_init.sql:2:66
table public.review @001_init.sql:3:1
  id int4 not null @001_init.sql:3:22
  book_id int4 not null @001_init.sql:3:42
  stars int4 @001_init.sql:3:64
  primary key review_pkey (book_id, id)
  foreign key review_book (book_id) references public.book (id) @001_init.sql:4:3
`,
	},
	{
		name: "rename column updates keys and foreign keys elsewhere",
		files: ddlMigration(`
ALTER TABLE book RENAME COLUMN id TO book_id;
ALTER TABLE book RENAME author_id TO writer_id;
ALTER TABLE review RENAME CONSTRAINT review_book TO review_book_fk;
`),
		want: `
table public.author @001_init.sql:1:1
  id int4 not null @001_init.sql:1:22
  name text not null @001_init.sql:1:42
  primary key author_pkey (id)
table public.book @001_init.sql:2:1
  book_id int4 not null @001_init.sql:2:20
  title text @001_init.sql:2:40
  writer_id int4 @001_init.sql:2:52
  primary key book_pkey (book_id)
  foreign key book_author_id_fkey (writer_id) references public.author (id) @001_init.sql:2:66
table public.review @001_init.sql:3:1
  id int4 not null @001_init.sql:3:22
  book_id int4 not null @001_init.sql:3:42
  stars int4 @001_init.sql:3:64
  primary key review_pkey (id)
  foreign key review_book_fk (book_id) references public.book (book_id) @001_init.sql:4:3
`,
	},
	{
		name: "rename table updates foreign keys that reference it",
		files: ddlMigration(`
ALTER TABLE book RENAME TO books;
ALTER TABLE IF EXISTS nope RENAME TO nothing;
`),
		want: `
table public.author @001_init.sql:1:1
  id int4 not null @001_init.sql:1:22
  name text not null @001_init.sql:1:42
  primary key author_pkey (id)
table public.books @001_init.sql:2:1
  id int4 not null @001_init.sql:2:20
  title text @001_init.sql:2:40
  author_id int4 @001_init.sql:2:52
  primary key book_pkey (id)
  foreign key book_author_id_fkey (author_id) references public.author (id) @001_init.sql:2:66
table public.review @001_init.sql:3:1
  id int4 not null @001_init.sql:3:22
  book_id int4 not null @001_init.sql:3:42
  stars int4 @001_init.sql:3:64
  primary key review_pkey (id)
  foreign key review_book (book_id) references public.books (id) @001_init.sql:4:3
`,
	},
	{
		name: "set schema moves the table and its references",
		files: ddlMigration(`
CREATE SCHEMA archive;
ALTER TABLE review SET SCHEMA archive;
ALTER TABLE book SET SCHEMA archive;
`),
		want: `
table archive.book @001_init.sql:2:1
  id int4 not null @001_init.sql:2:20
  title text @001_init.sql:2:40
  author_id int4 @001_init.sql:2:52
  primary key book_pkey (id)
  foreign key book_author_id_fkey (author_id) references public.author (id) @001_init.sql:2:66
table archive.review @001_init.sql:3:1
  id int4 not null @001_init.sql:3:22
  book_id int4 not null @001_init.sql:3:42
  stars int4 @001_init.sql:3:64
  primary key review_pkey (id)
  foreign key review_book (book_id) references archive.book (id) @001_init.sql:4:3
table public.author @001_init.sql:1:1
  id int4 not null @001_init.sql:1:22
  name text not null @001_init.sql:1:42
  primary key author_pkey (id)
`,
	},
	{
		name: "alter column type and nullability",
		files: ddlMigration(`
ALTER TABLE book ALTER COLUMN title TYPE varchar(100), ALTER COLUMN title SET NOT NULL;
ALTER TABLE review ALTER stars TYPE numeric USING stars::numeric, ALTER COLUMN book_id DROP NOT NULL;
`),
		want: `
table public.author @001_init.sql:1:1
  id int4 not null @001_init.sql:1:22
  name text not null @001_init.sql:1:42
  primary key author_pkey (id)
table public.book @001_init.sql:2:1
  id int4 not null @001_init.sql:2:20
  title varchar not null @001_init.sql:2:40
  author_id int4 @001_init.sql:2:52
  primary key book_pkey (id)
  foreign key book_author_id_fkey (author_id) references public.author (id) @001_init.sql:2:66
table public.review @001_init.sql:3:1
  id int4 not null @001_init.sql:3:22
  book_id int4 @001_init.sql:3:42
  stars numeric @001_init.sql:3:64
  primary key review_pkey (id)
  foreign key review_book (book_id) references public.book (id) @001_init.sql:4:3
`,
	},
}

var dropCases = []ddlCase{
	{
		name: "drop table",
		files: ddlMigration(`
DROP TABLE review;
DROP TABLE IF EXISTS review, nope;
`),
		want: `
table public.author @001_init.sql:1:1
  id int4 not null @001_init.sql:1:22
  name text not null @001_init.sql:1:42
  primary key author_pkey (id)
table public.book @001_init.sql:2:1
  id int4 not null @001_init.sql:2:20
  title text @001_init.sql:2:40
  author_id int4 @001_init.sql:2:52
  primary key book_pkey (id)
  foreign key book_author_id_fkey (author_id) references public.author (id) @001_init.sql:2:66
`,
	},
	{
		name: "drop tables that reference each other together",
		files: ddlMigration(`
DROP TABLE book, review;
`),
		want: `
table public.author @001_init.sql:1:1
  id int4 not null @001_init.sql:1:22
  name text not null @001_init.sql:1:42
  primary key author_pkey (id)
`,
	},
	{
		name: "drop table cascade drops the foreign keys to it",
		files: ddlMigration(`
DROP TABLE author CASCADE;
`),
		want: `
table public.book @001_init.sql:2:1
  id int4 not null @001_init.sql:2:20
  title text @001_init.sql:2:40
  author_id int4 @001_init.sql:2:52
  primary key book_pkey (id)
table public.review @001_init.sql:3:1
  id int4 not null @001_init.sql:3:22
  book_id int4 not null @001_init.sql:3:42
  stars int4 @001_init.sql:3:64
  primary key review_pkey (id)
  foreign key review_book (book_id) references public.book (id) @001_init.sql:4:3
`,
	},
}

var typeCases = []ddlCase{
	{
		name: "enums",
		files: schemaFile(`
CREATE TYPE mood AS ENUM ('sad', 'ok');
ALTER TYPE mood ADD VALUE 'happy';
ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok';
ALTER TYPE mood ADD VALUE 'glad' AFTER 'ok';
ALTER TYPE mood ADD VALUE IF NOT EXISTS 'sad';
ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';
CREATE SCHEMA s;
CREATE TYPE s.level AS ENUM ('low', 'high');
CREATE TABLE person (id int PRIMARY KEY, mood mood NOT NULL, moods mood[], level s.level);
`),
		want: `
enum public.mood (blue, meh, ok, glad, happy)
enum s.level (low, high)
table public.person @schema.sql:9:1
  id int4 not null @schema.sql:9:22
  mood public.mood enum not null @schema.sql:9:42
  moods public.mood[] enum @schema.sql:9:62
  level s.level enum @schema.sql:9:76
  primary key person_pkey (id)
`,
	},
	{
		name: "domains",
		files: schemaFile(`
CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
CREATE DOMAIN email AS text NOT NULL;
CREATE DOMAIN work_email AS email;
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE DOMAIN feeling AS mood;
CREATE DOMAIN scores AS int[];
CREATE TABLE person (id posint PRIMARY KEY, mail email, work work_email, f feeling, s scores, mails email[]);
`),
		want: `
enum public.mood (sad, ok)
domain public.email text not null
domain public.feeling public.mood enum
domain public.posint int4
domain public.scores int4[]
domain public.work_email text domain public.email not null
table public.person @schema.sql:7:1
  id int4 domain public.posint not null @schema.sql:7:22
  mail text domain public.email not null @schema.sql:7:45
  work text domain public.work_email not null @schema.sql:7:57
  f public.mood enum domain public.feeling @schema.sql:7:74
  s int4[] domain public.scores @schema.sql:7:85
  mails text[] domain public.email @schema.sql:7:95
  primary key person_pkey (id)
`,
	},
	{
		name: "rename and drop types",
		files: schemaFile(`
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE DOMAIN email AS text;
CREATE TABLE person (id int PRIMARY KEY, mood mood, mail email);
ALTER TYPE mood RENAME TO feeling;
ALTER DOMAIN email RENAME TO mail_address;
CREATE TYPE gone AS ENUM ('x');
DROP TYPE gone;
CREATE TYPE address AS (street text, city text);
DROP TYPE address;
DROP TYPE mail_address CASCADE;
`),
		want: `
enum public.feeling (sad, ok)
table public.person @schema.sql:3:1
  id int4 not null @schema.sql:3:22
  mood public.feeling enum @schema.sql:3:42
  primary key person_pkey (id)
`,
	},
}

var indexCases = []ddlCase{
	{
		name: "unique indexes are unique constraints",
		files: schemaFile(`
CREATE TABLE account (id int, email text, tenant int, name text, deleted boolean);
CREATE UNIQUE INDEX account_id ON account (id);
CREATE UNIQUE INDEX IF NOT EXISTS account_tenant_email ON account USING btree (tenant, email DESC);
CREATE UNIQUE INDEX account_lower_name ON account (lower(name));
CREATE UNIQUE INDEX account_live_name ON account (name) WHERE NOT deleted;
CREATE INDEX account_name ON account (name);
ALTER TABLE account ADD CONSTRAINT account_pkey PRIMARY KEY USING INDEX account_id;
CREATE UNIQUE INDEX account_name_unique ON account (name);
ALTER TABLE account RENAME name TO full_name;
DROP INDEX account_name_unique;
`),
		want: `
table public.account @schema.sql:1:1
  id int4 not null @schema.sql:1:23
  email text @schema.sql:1:31
  tenant int4 @schema.sql:1:43
  full_name text @schema.sql:1:55
  deleted bool @schema.sql:1:66
  primary key account_pkey (id)
  index account_name
  partial or expression unique index account_live_name
  partial or expression unique index account_lower_name
  unique index account_tenant_email (tenant, email)
`,
	},
}

var gooseCases = []ddlCase{
	{
		name: "goose up and down sections",
		files: []ddlFile{{"00001_init.sql", `-- +goose Up
CREATE TABLE author (id int PRIMARY KEY);

-- +goose StatementBegin
CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  RETURN 1;
END;
$$;
-- +goose StatementEnd

-- +goose Down
DROP TABLE author;
DROP FUNCTION f();

-- +goose Up
CREATE TABLE book (id int PRIMARY KEY, author_id int REFERENCES author);

-- +goose Down
DROP TABLE book;
`}},
		want: `
table public.author @00001_init.sql:2:1
  id int4 not null @00001_init.sql:2:22
  primary key author_pkey (id)
table public.book @00001_init.sql:17:1
  id int4 not null @00001_init.sql:17:20
  author_id int4 @00001_init.sql:17:40
  primary key book_pkey (id)
  foreign key book_author_id_fkey (author_id) references public.author (id) @00001_init.sql:17:54
`,
	},
}

var errorCases = []ddlCase{
	{
		name: "syntax error keeps the statements before it",
		files: schemaFile(`
CREATE TABLE a (id int);
CREATE TABL b (id int);
CREATE TABLE c (id int);
`),
		want: `
table public.a @schema.sql:1:1
  id int4 @schema.sql:1:17
`,
		errors: []string{`schema.sql:2:8: syntax error at or near "TABL"`},
	},
	{
		name: "syntax error position counts bytes after multibyte characters",
		files: schemaFile(`
CREATE TABLE café (naïve text); CREATE TABLE x (id int,);
`),
		want: `
table public.café @schema.sql:1:1
  naïve text @schema.sql:1:21
`,
		errors: []string{`schema.sql:1:58: syntax error at or near ")"`},
	},
	{
		name: "syntax error at end of input",
		files: schemaFile(`
CREATE TABLE a (id int

`),
		errors: []string{`schema.sql:1:23: syntax error at end of input`},
	},
	{
		name:   "unterminated string",
		files:  schemaFile("COMMENT ON TABLE a IS 'oops;\n"),
		errors: []string{`schema.sql:1:23: unterminated quoted string at or near "'oops;` + "\n" + `"`},
	},
	{
		name:          "NUL byte",
		notInPostgres: "pgx refuses to send it",
		files:         schemaFile("CREATE TABLE a (id int);\x00\n"),
		errors:        []string{`schema.sql:1:25: file contains a NUL byte`},
	},
	{
		name: "table already exists",
		files: ddlMigration(`
CREATE TABLE IF NOT EXISTS book (id int);
CREATE TABLE  book (id int);
`),
		want:   ddlLibraryDump,
		errors: []string{`002_change.sql:2:15: table "book" already exists`},
	},
	{
		name: "unknown tables",
		files: ddlMigration(`
ALTER TABLE bok ADD COLUMN x int;
DROP TABLE reviews;
ALTER TABLE public.boo RENAME TO x;
CREATE UNIQUE INDEX ON autor (name);
DROP TABLE IF EXISTS nope;
`),
		want: ddlLibraryDump,
		errors: []string{
			`002_change.sql:1:13: table "bok" does not exist; did you mean "book"?`,
			`002_change.sql:2:12: table "reviews" does not exist; did you mean "review"?`,
			`002_change.sql:3:13: table "public.boo" does not exist; did you mean "public.book"?`,
			`002_change.sql:4:24: table "autor" does not exist; did you mean "author"?`,
		},
	},
	{
		name: "unknown columns",
		files: ddlMigration(`
ALTER TABLE book DROP COLUMN titel, DROP COLUMN IF EXISTS nope;
ALTER TABLE book
  ALTER COLUMN titl SET NOT NULL;
ALTER TABLE book RENAME COLUMN author TO writer;
ALTER TABLE review ALTER COLUMN star TYPE bigint;
ALTER TABLE review ADD UNIQUE (book, stars);
`),
		want: ddlLibraryDump,
		errors: []string{
			`002_change.sql:1:30: column "titel" of table "book" does not exist; did you mean "title"?`,
			`002_change.sql:3:16: column "titl" of table "book" does not exist; did you mean "title"?`,
			`002_change.sql:4:32: column "author" of table "book" does not exist`,
			`002_change.sql:5:33: column "star" of table "review" does not exist; did you mean "stars"?`,
			`002_change.sql:6:24: column "book" of table "review" does not exist`,
		},
	},
	{
		name: "bad foreign keys",
		files: ddlMigration(`
CREATE TABLE loan (
  id int PRIMARY KEY,
  book_id int REFERENCES bok,
  reader_id int REFERENCES author (idd),
  review_id int REFERENCES review (stars),
  FOREIGN KEY (bookid) REFERENCES book,
  FOREIGN KEY (id, book_id) REFERENCES book
);
CREATE TABLE keyless (id int);
ALTER TABLE loan ADD FOREIGN KEY (id) REFERENCES keyless;
`),
		want: `
table public.author @001_init.sql:1:1
  id int4 not null @001_init.sql:1:22
  name text not null @001_init.sql:1:42
  primary key author_pkey (id)
table public.book @001_init.sql:2:1
  id int4 not null @001_init.sql:2:20
  title text @001_init.sql:2:40
  author_id int4 @001_init.sql:2:52
  primary key book_pkey (id)
  foreign key book_author_id_fkey (author_id) references public.author (id) @001_init.sql:2:66
table public.keyless @002_change.sql:9:1
  id int4 @002_change.sql:9:23
table public.loan @002_change.sql:1:1
  id int4 not null @002_change.sql:2:3
  book_id int4 @002_change.sql:3:3
  reader_id int4 @002_change.sql:4:3
  review_id int4 @002_change.sql:5:3
  primary key loan_pkey (id)
table public.review @001_init.sql:3:1
  id int4 not null @001_init.sql:3:22
  book_id int4 not null @001_init.sql:3:42
  stars int4 @001_init.sql:3:64
  primary key review_pkey (id)
  foreign key review_book (book_id) references public.book (id) @001_init.sql:4:3
`,
		errors: []string{
			`002_change.sql:3:26: table "bok" does not exist; did you mean "book"?`,
			`002_change.sql:4:28: column "idd" of table "author" does not exist; did you mean "id"?`,
			`002_change.sql:5:28: columns (stars) of table "review" are neither its primary key nor unique, so a foreign key cannot reference them`,
			`002_change.sql:6:3: column "bookid" of table "loan" does not exist; did you mean "book_id"?`,
			`002_change.sql:7:3: foreign key has 2 columns but references 1`,
			`002_change.sql:10:50: referenced table "keyless" has no primary key`,
		},
	},
	{
		name: "duplicate columns and keys",
		files: schemaFile(`
CREATE TABLE a (id int PRIMARY KEY, name text, name text, PRIMARY KEY (name));
ALTER TABLE a ADD COLUMN id bigint;
ALTER TABLE a ADD UNIQUE (name, name);
`),
		want: `
table public.a @schema.sql:1:1
  id int4 not null @schema.sql:1:17
  name text @schema.sql:1:37
  primary key a_pkey (id)
`,
		errors: []string{
			`schema.sql:1:48: column "name" specified more than once`,
			`schema.sql:1:59: multiple primary keys for table "a" are not allowed`,
			`schema.sql:2:26: column "id" of table "a" already exists`,
			`schema.sql:3:19: column "name" appears twice in a key of table "a"`,
		},
	},
	{
		name: "drops that need CASCADE",
		files: ddlMigration(`
ALTER TABLE author DROP COLUMN id;
DROP TABLE book;
ALTER TABLE book DROP CONSTRAINT book_pkey;
`),
		want: ddlLibraryDump,
		errors: []string{
			`002_change.sql:1:32: cannot drop column "id" of table "author": foreign key "book_author_id_fkey" of table "book" depends on it; use CASCADE to drop it too`,
			`002_change.sql:2:12: cannot drop table "book": foreign key "review_book" of table "review" depends on it; use CASCADE to drop it too`,
			`002_change.sql:3:34: cannot drop constraint "book_pkey" of table "book": foreign key "review_book" of table "review" depends on it; use CASCADE to drop it too`,
		},
	},
	{
		name: "renames onto existing names",
		files: ddlMigration(`
ALTER TABLE book RENAME COLUMN title TO author_id;
ALTER TABLE book RENAME TO author;
ALTER TABLE review ALTER COLUMN id DROP NOT NULL;
`),
		want: ddlLibraryDump,
		errors: []string{
			`002_change.sql:1:41: column "author_id" of table "book" already exists`,
			`002_change.sql:2:28: table "author" already exists`,
			`002_change.sql:3:33: column "id" of table "review" is in the primary key, so it cannot be null`,
		},
	},
	{
		name: "enum errors",
		files: schemaFile(`
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TYPE mood AS ENUM ('x');
ALTER TYPE mod ADD VALUE 'happy';
ALTER TYPE mood ADD VALUE 'ok';
ALTER TYPE mood ADD VALUE 'glad' AFTER 'okay';
ALTER TYPE mood RENAME VALUE 'sadd' TO 'blue';
CREATE TABLE person (m mood);
DROP TYPE mood;
`),
		want: `
enum public.mood (sad, ok)
table public.person @schema.sql:7:1
  m public.mood enum @schema.sql:7:22
`,
		errors: []string{
			`schema.sql:2:13: type "mood" already exists`,
			`schema.sql:3:12: enum type "mod" does not exist; did you mean "mood"?`,
			`schema.sql:4:27: enum label "ok" already exists`,
			`schema.sql:5:40: "okay" is not a label of enum "mood"`,
			`schema.sql:6:30: "sadd" is not a label of enum "mood"; did you mean "sad"?`,
			`schema.sql:8:11: cannot drop type "mood": column "m" of table "person" uses it; use CASCADE to drop it too`,
		},
	},
	{
		name: "USING INDEX takes an index of an earlier file",
		files: []ddlFile{
			{"001.sql", "CREATE TABLE a (id int NOT NULL, code text);\nCREATE UNIQUE INDEX a_id ON a (id);\nCREATE UNIQUE INDEX ON a (code);\n"},
			{"002.sql", "ALTER TABLE a ADD CONSTRAINT a_pkey PRIMARY KEY USING INDEX a_id;\nALTER TABLE a ADD UNIQUE USING INDEX a_code_idx;\n"},
		},
		want: `
table public.a @001.sql:1:1
  id int4 not null @001.sql:1:17
  code text @001.sql:1:34
  primary key a_pkey (id)
  unique a_code_idx (code)
`,
	},
	{
		name:  "CRLF line endings",
		files: schemaFile("CREATE TABLE a (id int PRIMARY KEY);\r\n\r\nALTER TABLE a\r\n  DROP COLUMN nope;\r\n"),
		want: `
table public.a @schema.sql:1:1
  id int4 not null @schema.sql:1:17
  primary key a_pkey (id)
`,
		errors: []string{`schema.sql:4:15: column "nope" of table "a" does not exist`},
	},
	{
		name: "positions in a goose file stay those of the file",
		files: []ddlFile{{"00002_bad.sql", `-- +goose Up
CREATE TABLE a (id int PRIMARY KEY);
-- +goose Down
DROP TABLE a;
-- +goose Up
ALTER TABLE a ADD COLUMN b_id int REFERENCES b;
`}},
		want: `
table public.a @00002_bad.sql:2:1
  id int4 not null @00002_bad.sql:2:17
  b_id int4 @00002_bad.sql:6:26
  primary key a_pkey (id)
`,
		errors: []string{`00002_bad.sql:6:46: table "b" does not exist; did you mean "a"?`},
	},
}
