package schema

import (
	"strings"
	"testing"
)

func TestApplyConstraintNames(t *testing.T) { runDDLCases(t, nameCases) }

// long is a name of n bytes, to test how PostgreSQL shortens the names it
// derives from long table and column names.
func long(prefix string, n int) string {
	return prefix + strings.Repeat("x", n-len(prefix))
}

// nameCases check that the catalog names constraints and indexes as
// PostgreSQL does, so that later migrations can drop and rename them.
var nameCases = []ddlCase{
	{
		name: "custom names of keys are kept and dropped",
		files: ddlMigration(`
CREATE TABLE loan (
  id int CONSTRAINT loan_id PRIMARY KEY,
  code text CONSTRAINT loan_code UNIQUE,
  book_id int CONSTRAINT loan_book REFERENCES book,
  reader_id int,
  CONSTRAINT loan_reader UNIQUE (reader_id, book_id)
);
ALTER TABLE loan DROP CONSTRAINT loan_code, DROP CONSTRAINT loan_book;
ALTER TABLE loan DROP CONSTRAINT loan_id, DROP CONSTRAINT loan_reader;
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
table public.loan @002_change.sql:1:1
  id int4 not null @002_change.sql:2:3
  code text @002_change.sql:3:3
  book_id int4 @002_change.sql:4:3
  reader_id int4 @002_change.sql:5:3
table public.review @001_init.sql:3:1
  id int4 not null @001_init.sql:3:22
  book_id int4 not null @001_init.sql:3:42
  stars int4 @001_init.sql:3:64
  primary key review_pkey (id)
  foreign key review_book (book_id) references public.book (id) @001_init.sql:4:3
`,
	},
	{
		name: "default names get a number when taken",
		files: ddlMigration(`
ALTER TABLE author ADD UNIQUE (name);
ALTER TABLE author ADD UNIQUE (name);
ALTER TABLE book ADD FOREIGN KEY (author_id) REFERENCES author;
CREATE TABLE a_b (c int REFERENCES author);
CREATE TABLE a (b_c int REFERENCES author);
CREATE TABLE x_pkey (id int);
CREATE TABLE x (id int PRIMARY KEY, y int);
CREATE INDEX x_y_key ON x (y);
ALTER TABLE x ADD UNIQUE (y);
CREATE TABLE t (a int CHECK (a > 0), b int, CHECK (a > b), CHECK (b > 0), CHECK (b < 10), CHECK (true));
ALTER TABLE author DROP CONSTRAINT author_name_key;
ALTER TABLE t DROP CONSTRAINT t_b_check1, DROP CONSTRAINT t_check1;
`),
		want: `
table public.a @002_change.sql:5:1
  b_c int4 @002_change.sql:5:17
  foreign key a_b_c_fkey1 (b_c) references public.author (id) @002_change.sql:5:25
table public.a_b @002_change.sql:4:1
  c int4 @002_change.sql:4:19
  foreign key a_b_c_fkey (c) references public.author (id) @002_change.sql:4:25
table public.author @001_init.sql:1:1
  id int4 not null @001_init.sql:1:22
  name text not null @001_init.sql:1:42
  primary key author_pkey (id)
  unique author_name_key1 (name)
table public.book @001_init.sql:2:1
  id int4 not null @001_init.sql:2:20
  title text @001_init.sql:2:40
  author_id int4 @001_init.sql:2:52
  primary key book_pkey (id)
  foreign key book_author_id_fkey (author_id) references public.author (id) @001_init.sql:2:66
  foreign key book_author_id_fkey1 (author_id) references public.author (id) @002_change.sql:3:22
table public.review @001_init.sql:3:1
  id int4 not null @001_init.sql:3:22
  book_id int4 not null @001_init.sql:3:42
  stars int4 @001_init.sql:3:64
  primary key review_pkey (id)
  foreign key review_book (book_id) references public.book (id) @001_init.sql:4:3
table public.t @002_change.sql:10:1
  a int4 @002_change.sql:10:17
  b int4 @002_change.sql:10:38
  check t_a_check
  check t_b_check
  check t_check
table public.x @002_change.sql:7:1
  id int4 not null @002_change.sql:7:17
  y int4 @002_change.sql:7:37
  primary key x_pkey1 (id)
  index x_y_key
  unique x_y_key1 (y)
table public.x_pkey @002_change.sql:6:1
  id int4 @002_change.sql:6:22
`,
	},
	{
		name: "default names are shortened to 63 bytes",
		files: schemaFile(`
CREATE TABLE ` + long("tab", 60) + ` (
  ` + long("col", 40) + ` int PRIMARY KEY,
  ` + long("other", 50) + ` int UNIQUE,
  ` + long("ref", 30) + ` int REFERENCES ` + long("tab", 60) + `,
  UNIQUE (` + long("col", 40) + `, ` + long("other", 50) + `)
);
CREATE TABLE "` + strings.Repeat("é", 31) + `" (` + strings.Repeat("ü", 20) + ` int PRIMARY KEY, b int UNIQUE);
CREATE TABLE ` + long("p", 63) + ` (id int PRIMARY KEY);
`),
		want: `
table public.pxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx @schema.sql:8:1
  id int4 not null @schema.sql:8:79
  primary key pxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx_pkey (id)
table public.tabxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx @schema.sql:1:1
  colxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx int4 not null @schema.sql:2:3
  otherxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx int4 @schema.sql:3:3
  refxxxxxxxxxxxxxxxxxxxxxxxxxxx int4 @schema.sql:4:3
  primary key tabxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx_pkey (colxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx)
  foreign key tabxxxxxxxxxxxxxxxxxxxxxxxxxx_refxxxxxxxxxxxxxxxxxxxxxxxxx_fkey (refxxxxxxxxxxxxxxxxxxxxxxxxxxx) references public.tabxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx (colxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx) @schema.sql:4:38
  unique tabxxxxxxxxxxxxxxxxxxxxxxxxxx_colxxxxxxxxxxxxxxxxxxxxxxxxxx_key (colxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx, otherxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx)
  unique tabxxxxxxxxxxxxxxxxxxxxxxxxxx_otherxxxxxxxxxxxxxxxxxxxxxxxx_key (otherxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx)
table public.ééééééééééééééééééééééééééééééé @schema.sql:7:1
  üüüüüüüüüüüüüüüüüüüü int4 not null @schema.sql:7:80
  b int4 @schema.sql:7:138
  primary key ééééééééééééééééééééééééééééé_pkey (üüüüüüüüüüüüüüüüüüüü)
  unique éééééééééééééééééééééééééééé_b_key (b)
`,
	},
	{
		name: "a unique key that repeats another is merged into it",
		files: schemaFile(`
CREATE TABLE t (id int PRIMARY KEY UNIQUE, a int UNIQUE, b int, UNIQUE (b), CONSTRAINT t_b UNIQUE (b), UNIQUE (a, b), UNIQUE (b, a));
CREATE TABLE u (a int CONSTRAINT u_a UNIQUE, b int, c int, UNIQUE (a), UNIQUE (b) INCLUDE (c));
`),
		want: `
table public.t @schema.sql:1:1
  id int4 not null @schema.sql:1:17
  a int4 @schema.sql:1:44
  b int4 @schema.sql:1:58
  primary key t_pkey (id)
  unique t_a_b_key (a, b)
  unique t_a_key (a)
  unique t_b (b)
  unique t_b_a_key (b, a)
table public.u @schema.sql:2:1
  a int4 @schema.sql:2:17
  b int4 @schema.sql:2:46
  c int4 @schema.sql:2:53
  unique u_a (a)
  unique u_b_c_key (b)
`,
	},
	{
		name: "LIKE copies keys after the table's own",
		files: schemaFile(`
CREATE TABLE base (id int PRIMARY KEY, code text UNIQUE, note text CHECK (note <> ''), CONSTRAINT x EXCLUDE USING gist (int4range(id, id) WITH &&));
CREATE INDEX ON base (note);
CREATE UNIQUE INDEX ON base (note, code);
CREATE TABLE c (LIKE base INCLUDING ALL, other int, UNIQUE (code), CHECK (other > 0), CHECK (note <> 'x'));
`),
		want: `
table public.base @schema.sql:1:1
  id int4 not null @schema.sql:1:20
  code text @schema.sql:1:40
  note text @schema.sql:1:58
  primary key base_pkey (id)
  check base_note_check
  exclude x
  index base_note_idx
  unique base_code_key (code)
  unique index base_note_code_idx (note, code)
table public.c @schema.sql:4:1
  id int4 not null @schema.sql:1:20
  code text @schema.sql:1:40
  note text @schema.sql:1:58
  other int4 @schema.sql:4:42
  primary key c_pkey (id)
  check base_note_check
  check c_note_check
  check c_other_check
  exclude c_int4range_excl
  index c_note_idx
  unique c_code_key (code)
  unique c_code_key1 (code)
  unique index c_note_code_idx (note, code)
`,
	},
	{
		name: "renaming a table keeps the names of its constraints",
		files: ddlMigration(`
ALTER TABLE book RENAME TO volume;
ALTER TABLE volume DROP CONSTRAINT book_author_id_fkey;
ALTER TABLE volume ADD UNIQUE (title);
ALTER TABLE review DROP CONSTRAINT review_book;
ALTER TABLE volume DROP CONSTRAINT book_pkey;
`),
		want: `
table public.author @001_init.sql:1:1
  id int4 not null @001_init.sql:1:22
  name text not null @001_init.sql:1:42
  primary key author_pkey (id)
table public.review @001_init.sql:3:1
  id int4 not null @001_init.sql:3:22
  book_id int4 not null @001_init.sql:3:42
  stars int4 @001_init.sql:3:64
  primary key review_pkey (id)
table public.volume @001_init.sql:2:1
  id int4 not null @001_init.sql:2:20
  title text @001_init.sql:2:40
  author_id int4 @001_init.sql:2:52
  unique volume_title_key (title)
`,
	},
	{
		name: "rename constraints and indexes",
		files: ddlMigration(`
ALTER TABLE book ADD CONSTRAINT book_title_check CHECK (title <> ''), ADD UNIQUE (title);
ALTER TABLE book RENAME CONSTRAINT book_pkey TO book_pk;
ALTER TABLE book RENAME CONSTRAINT book_author_id_fkey TO book_author;
ALTER TABLE book RENAME CONSTRAINT book_title_check TO book_title_not_empty;
ALTER INDEX book_title_key RENAME TO book_title_unique;
ALTER TABLE review RENAME CONSTRAINT review_book TO review_book_fk;
CREATE UNIQUE INDEX ON author (name);
ALTER INDEX author_name_idx RENAME TO author_name;
`),
		want: `
table public.author @001_init.sql:1:1
  id int4 not null @001_init.sql:1:22
  name text not null @001_init.sql:1:42
  primary key author_pkey (id)
  unique index author_name (name)
table public.book @001_init.sql:2:1
  id int4 not null @001_init.sql:2:20
  title text @001_init.sql:2:40
  author_id int4 @001_init.sql:2:52
  primary key book_pk (id)
  check book_title_not_empty
  foreign key book_author (author_id) references public.author (id) @001_init.sql:2:66
  unique book_title_unique (title)
table public.review @001_init.sql:3:1
  id int4 not null @001_init.sql:3:22
  book_id int4 not null @001_init.sql:3:42
  stars int4 @001_init.sql:3:64
  primary key review_pkey (id)
  foreign key review_book_fk (book_id) references public.book (id) @001_init.sql:4:3
`,
	},
	{
		name: "exclusion constraints and checks are named",
		files: schemaFile(`
CREATE TABLE booking (
  room int4range,
  during int4range,
  EXCLUDE USING gist (during WITH &&),
  CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&),
  EXCLUDE USING gist (room WITH =, during WITH &&),
  EXCLUDE USING gist (int4range(lower(during), 3) WITH &&)
);
ALTER TABLE booking ADD CHECK (room <> 'empty'), ADD CONSTRAINT room_small CHECK (room <> '[1,2)');
ALTER TABLE booking DROP CONSTRAINT no_overlap, DROP CONSTRAINT booking_room_check;
`),
		want: `
table public.booking @schema.sql:1:1
  room int4range @schema.sql:2:3
  during int4range @schema.sql:3:3
  check room_small
  exclude booking_int4range_excl
  exclude booking_room_during_excl
`,
	},
	{
		name: "unique indexes of earlier files are dropped by name",
		files: []ddlFile{
			{"001.sql", `CREATE TABLE account (id int PRIMARY KEY, email text, tenant int, name text);
CREATE UNIQUE INDEX account_email ON account (email);
CREATE UNIQUE INDEX ON account (tenant, name);
CREATE UNIQUE INDEX ON account (lower(name));
CREATE UNIQUE INDEX ON account (tenant, tenant);
CREATE INDEX ON account (name) INCLUDE (email);
CREATE TABLE login (email text REFERENCES account (email));
`},
			{"002.sql", `DROP INDEX account_tenant_name_idx, account_lower_idx;
DROP INDEX account_email CASCADE;
ALTER INDEX account_name_email_idx RENAME TO account_name;
`},
			{"003.sql", `DROP INDEX account_name;
DROP INDEX IF EXISTS nope;
`},
		},
		want: `
table public.account @001.sql:1:1
  id int4 not null @001.sql:1:23
  email text @001.sql:1:43
  tenant int4 @001.sql:1:55
  name text @001.sql:1:67
  primary key account_pkey (id)
  unique index account_tenant_tenant1_idx (tenant, tenant)
table public.login @001.sql:7:1
  email text @001.sql:7:21
`,
	},
	{
		name: "USING INDEX keeps or renames the index",
		files: schemaFile(`
CREATE TABLE a (id int, code text, label text);
CREATE UNIQUE INDEX a_id ON a (id);
CREATE UNIQUE INDEX a_code ON a (code);
CREATE UNIQUE INDEX a_label ON a (label);
ALTER TABLE a ADD CONSTRAINT a_id PRIMARY KEY USING INDEX a_id, ADD CONSTRAINT a_code UNIQUE USING INDEX a_code;
ALTER TABLE a ADD CONSTRAINT a_label_unique UNIQUE USING INDEX a_label;
ALTER TABLE a DROP CONSTRAINT a_code;
`),
		want: `
table public.a @schema.sql:1:1
  id int4 not null @schema.sql:1:17
  code text @schema.sql:1:25
  label text @schema.sql:1:36
  primary key a_id (id)
  unique a_label_unique (label)
`,
	},
	{
		name: "constraint name errors",
		files: ddlMigration(`
ALTER TABLE book DROP CONSTRAINT book_title_key;
ALTER TABLE book DROP CONSTRAINT IF EXISTS book_title_key;
ALTER TABLE book ADD CONSTRAINT book_pkey UNIQUE (title);
ALTER TABLE book ADD CONSTRAINT review_pkey UNIQUE (title);
ALTER TABLE review ADD CONSTRAINT review_book CHECK (stars > 0);
ALTER TABLE book RENAME CONSTRAINT nope TO nope2;
ALTER TABLE book RENAME CONSTRAINT book_pkey TO author_pkey;
DROP INDEX book_pkey;
ALTER TABLE book ADD PRIMARY KEY USING INDEX review_pkey;
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
  primary key review_pkey (id)
  foreign key review_book (book_id) references public.book (id) @001_init.sql:4:3
`,
		errors: []string{
			`002_change.sql:1:34: constraint "book_title_key" of table "book" does not exist`,
			`002_change.sql:3:22: constraint "book_pkey" for relation "book" already exists`,
			`002_change.sql:4:22: relation "review_pkey" already exists`,
			`002_change.sql:5:24: constraint "review_book" for relation "review" already exists`,
			`002_change.sql:6:36: constraint "nope" of table "book" does not exist`,
			`002_change.sql:7:49: relation "author_pkey" already exists`,
			`002_change.sql:8:12: cannot drop index "book_pkey" because constraint "book_pkey" of table "book" requires it; drop the constraint instead`,
			`002_change.sql:9:22: multiple primary keys for table "book" are not allowed`,
		},
	},
}
