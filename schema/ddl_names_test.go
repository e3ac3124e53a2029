package schema

import (
	"strings"
	"testing"
)

func TestApplyConstraintNames(t *testing.T) { runDDLCases(t, nameCases) }
func TestApplyInheritance(t *testing.T)     { runDDLCases(t, inheritCases) }
func TestApplyViews(t *testing.T)           { runDDLCases(t, viewCases) }

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

// inheritCases check that changes to a parent table reach the tables that
// inherit from it, as in PostgreSQL.
var inheritCases = []ddlCase{
	{
		name: "INHERITS children follow their parent's columns and checks",
		files: schemaFile(`
CREATE TABLE base (id int PRIMARY KEY, note text, CHECK (id > 0));
CREATE TABLE other (note text);
CREATE TABLE child (extra int, note text) INHERITS (base);
CREATE TABLE grandchild () INHERITS (child);
CREATE TABLE both_ () INHERITS (base, other);
ALTER TABLE base ADD COLUMN code text CHECK (code <> ''), ADD CONSTRAINT base_note CHECK (note <> '');
ALTER TABLE base RENAME COLUMN code TO label;
ALTER TABLE base DROP COLUMN note;
ALTER TABLE base ALTER COLUMN label TYPE varchar, ALTER COLUMN label SET NOT NULL;
ALTER TABLE base DROP CONSTRAINT base_id_check;
`),
		want: `
table public.base @schema.sql:1:1
  id int4 not null @schema.sql:1:20
  label varchar not null @schema.sql:6:29
  primary key base_pkey (id)
  check base_code_check
table public.both_ @schema.sql:5:1
  inherits public.base
  inherits public.other
  id int4 not null @schema.sql:1:20
  note text @schema.sql:1:40
  label varchar not null @schema.sql:6:29
  check base_code_check
  check base_note
table public.child @schema.sql:3:1
  inherits public.base
  id int4 not null @schema.sql:1:20
  note text @schema.sql:1:40
  extra int4 @schema.sql:3:21
  label varchar not null @schema.sql:6:29
  check base_code_check
  check base_note
table public.grandchild @schema.sql:4:1
  inherits public.child
  id int4 not null @schema.sql:1:20
  note text @schema.sql:1:40
  extra int4 @schema.sql:3:21
  label varchar not null @schema.sql:6:29
  check base_code_check
  check base_note
table public.other @schema.sql:2:1
  note text @schema.sql:2:21
`,
	},
	{
		name: "partitions follow their table's columns, keys and foreign keys",
		files: ddlMigration(`
CREATE TABLE event (id int, at date, book_id int) PARTITION BY RANGE (at);
CREATE TABLE event_2024 PARTITION OF event FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY RANGE (id);
CREATE TABLE event_2024_low PARTITION OF event_2024 FOR VALUES FROM (0) TO (100);
CREATE TABLE event_2025 PARTITION OF event FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
ALTER TABLE event ADD PRIMARY KEY (id, at), ADD COLUMN author_id int REFERENCES author;
ALTER TABLE event ADD CONSTRAINT event_book FOREIGN KEY (book_id) REFERENCES book, ADD UNIQUE (at, id);
CREATE UNIQUE INDEX ON event (book_id, at, id);
CREATE INDEX ON event (at);
ALTER TABLE event RENAME COLUMN book_id TO volume_id;
CREATE TABLE event_2026 PARTITION OF event FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
ALTER TABLE event DROP CONSTRAINT event_author_id_fkey;
ALTER TABLE event DROP CONSTRAINT event_at_id_key;
ALTER TABLE event DROP COLUMN author_id;
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
table public.event @002_change.sql:1:1
  id int4 not null @002_change.sql:1:21
  at date not null @002_change.sql:1:29
  volume_id int4 @002_change.sql:1:38
  primary key event_pkey (id, at)
  foreign key event_book (volume_id) references public.book (id) @002_change.sql:6:23
  index event_at_idx
  unique index event_book_id_at_id_idx (volume_id, at, id)
table public.event_2024 @002_change.sql:2:1
  partition of public.event
  id int4 not null @002_change.sql:1:21
  at date not null @002_change.sql:1:29
  volume_id int4 @002_change.sql:1:38
  primary key event_2024_pkey (id, at)
  foreign key event_book (volume_id) references public.book (id) @002_change.sql:6:23
  index event_2024_at_idx
  unique index event_2024_book_id_at_id_idx (volume_id, at, id)
table public.event_2024_low @002_change.sql:3:1
  partition of public.event_2024
  id int4 not null @002_change.sql:1:21
  at date not null @002_change.sql:1:29
  volume_id int4 @002_change.sql:1:38
  primary key event_2024_low_pkey (id, at)
  foreign key event_book (volume_id) references public.book (id) @002_change.sql:6:23
  index event_2024_low_at_idx
  unique index event_2024_low_book_id_at_id_idx (volume_id, at, id)
table public.event_2025 @002_change.sql:4:1
  partition of public.event
  id int4 not null @002_change.sql:1:21
  at date not null @002_change.sql:1:29
  volume_id int4 @002_change.sql:1:38
  primary key event_2025_pkey (id, at)
  foreign key event_book (volume_id) references public.book (id) @002_change.sql:6:23
  index event_2025_at_idx
  unique index event_2025_book_id_at_id_idx (volume_id, at, id)
table public.event_2026 @002_change.sql:10:1
  partition of public.event
  id int4 not null @002_change.sql:1:21
  at date not null @002_change.sql:1:29
  volume_id int4 @002_change.sql:1:38
  primary key event_2026_pkey (id, at)
  foreign key event_book (volume_id) references public.book (id) @002_change.sql:6:23
  index event_2026_at_idx
  unique index event_2026_book_id_at_id_idx (volume_id, at, id)
table public.review @001_init.sql:3:1
  id int4 not null @001_init.sql:3:22
  book_id int4 not null @001_init.sql:3:42
  stars int4 @001_init.sql:3:64
  primary key review_pkey (id)
  foreign key review_book (book_id) references public.book (id) @001_init.sql:4:3
`,
	},
	{
		name: "attach and detach partitions, as pg_dump writes them",
		files: ddlMigration(`
CREATE TABLE event (id int NOT NULL, at date NOT NULL, book_id int) PARTITION BY RANGE (at);
CREATE TABLE event_2024 (id int NOT NULL, at date NOT NULL, book_id int);
ALTER TABLE ONLY event ATTACH PARTITION event_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
ALTER TABLE ONLY event ADD CONSTRAINT event_pkey PRIMARY KEY (id, at);
ALTER TABLE ONLY event_2024 ADD CONSTRAINT event_2024_pkey PRIMARY KEY (id, at);
ALTER INDEX event_pkey ATTACH PARTITION event_2024_pkey;
CREATE INDEX event_at ON ONLY event (at);
CREATE INDEX event_2024_at ON event_2024 (at);
ALTER INDEX event_at ATTACH PARTITION event_2024_at;
ALTER TABLE event ADD CONSTRAINT event_book FOREIGN KEY (book_id) REFERENCES book;
CREATE TABLE event_2025 (id int NOT NULL, at date NOT NULL, book_id int);
ALTER TABLE event ADD UNIQUE (book_id, at);
CREATE UNIQUE INDEX event_id_at_book ON event (id, at, book_id);
ALTER TABLE event ATTACH PARTITION event_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
ALTER TABLE event DETACH PARTITION event_2024;
ALTER TABLE event DROP COLUMN book_id;
CREATE TABLE base (id int, note text);
CREATE TABLE child (id int, note text, extra int);
ALTER TABLE child INHERIT base;
ALTER TABLE base DROP COLUMN note;
ALTER TABLE base RENAME COLUMN id TO base_id;
CREATE TABLE stray (id int);
CREATE TABLE loose () INHERITS (stray);
ALTER TABLE loose NO INHERIT stray;
ALTER TABLE stray DROP COLUMN id;
CREATE TABLE parent (a int, b int);
CREATE TABLE kid () INHERITS (parent);
ALTER TABLE ONLY parent DROP COLUMN a;
ALTER TABLE parent DROP COLUMN b;
`),
		want: `
table public.author @001_init.sql:1:1
  id int4 not null @001_init.sql:1:22
  name text not null @001_init.sql:1:42
  primary key author_pkey (id)
table public.base @002_change.sql:17:1
  base_id int4 @002_change.sql:17:20
table public.book @001_init.sql:2:1
  id int4 not null @001_init.sql:2:20
  title text @001_init.sql:2:40
  author_id int4 @001_init.sql:2:52
  primary key book_pkey (id)
  foreign key book_author_id_fkey (author_id) references public.author (id) @001_init.sql:2:66
table public.child @002_change.sql:18:1
  inherits public.base
  base_id int4 @002_change.sql:18:21
  note text @002_change.sql:18:29
  extra int4 @002_change.sql:18:40
table public.event @002_change.sql:1:1
  id int4 not null @002_change.sql:1:21
  at date not null @002_change.sql:1:38
  primary key event_pkey (id, at)
  index event_at
table public.event_2024 @002_change.sql:2:1
  id int4 not null @002_change.sql:2:26
  at date not null @002_change.sql:2:43
  book_id int4 @002_change.sql:2:61
  primary key event_2024_pkey (id, at)
  foreign key event_book (book_id) references public.book (id) @002_change.sql:10:23
  index event_2024_at
  unique event_2024_book_id_at_key (book_id, at)
  unique index event_2024_id_at_book_id_idx (id, at, book_id)
table public.event_2025 @002_change.sql:11:1
  partition of public.event
  id int4 not null @002_change.sql:11:26
  at date not null @002_change.sql:11:43
  primary key event_2025_pkey (id, at)
  index event_2025_at_idx
table public.kid @002_change.sql:27:1
  inherits public.parent
  a int4 @002_change.sql:26:22
table public.loose @002_change.sql:23:1
  id int4 @002_change.sql:22:21
table public.parent @002_change.sql:26:1
table public.review @001_init.sql:3:1
  id int4 not null @001_init.sql:3:22
  book_id int4 not null @001_init.sql:3:42
  stars int4 @001_init.sql:3:64
  primary key review_pkey (id)
  foreign key review_book (book_id) references public.book (id) @001_init.sql:4:3
table public.stray @002_change.sql:22:1
`,
	},
	{
		name: "dropping a parent table",
		files: schemaFile(`
CREATE TABLE event (id int, at date) PARTITION BY RANGE (at);
CREATE TABLE event_2024 PARTITION OF event FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE base (id int);
CREATE TABLE child () INHERITS (base);
CREATE TABLE keep (id int);
DROP TABLE event;
DROP TABLE base CASCADE;
`),
		want: `
table public.keep @schema.sql:5:1
  id int4 @schema.sql:5:20
`,
	},
	{
		name: "ONLY where PostgreSQL needs the children too, and dropping a parent",
		files: schemaFile(`
CREATE TABLE base (id int);
CREATE TABLE child () INHERITS (base);
DROP TABLE base;
ALTER TABLE ONLY base ADD COLUMN only_base int;
ALTER TABLE ONLY child ADD COLUMN only_child int;
ALTER TABLE ONLY base RENAME COLUMN id TO base_id;
CREATE TABLE event (id int, at date) PARTITION BY RANGE (at);
CREATE TABLE event_2024 PARTITION OF event FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
ALTER TABLE ONLY event DROP COLUMN id;
`),
		want: `
table public.base @schema.sql:1:1
  id int4 @schema.sql:1:20
table public.child @schema.sql:2:1
  inherits public.base
  id int4 @schema.sql:1:20
  only_child int4 @schema.sql:5:35
table public.event @schema.sql:7:1
  id int4 @schema.sql:7:21
  at date @schema.sql:7:29
table public.event_2024 @schema.sql:8:1
  partition of public.event
  id int4 @schema.sql:7:21
  at date @schema.sql:7:29
`,
		errors: []string{
			`schema.sql:3:12: cannot drop table "base": table "child" inherits from it; use CASCADE to drop it too`,
			`schema.sql:4:34: column "only_base" must be added to the tables that inherit from "base" too (no ONLY)`,
			`schema.sql:6:37: column "id" must be renamed in the tables that inherit from "base" too (no ONLY)`,
			`schema.sql:9:36: cannot drop column "id" from only table "event": its partitions have it too (no ONLY)`,
		},
	},
}

// viewCases check that views and tables created AS a query are known by
// name, so that later migrations can alter, rename and drop them.
var viewCases = []ddlCase{
	{
		name: "views and materialized views",
		files: []ddlFile{
			{"001.sql", `CREATE TABLE book (id int PRIMARY KEY, title text);
CREATE VIEW titles AS SELECT title FROM book;
CREATE MATERIALIZED VIEW title_count AS SELECT title, count(*) FROM book GROUP BY title;
CREATE UNIQUE INDEX ON title_count (title);
CREATE SCHEMA archive;
`},
			{"002.sql", `ALTER TABLE titles OWNER TO CURRENT_USER;
ALTER TABLE titles RENAME TO book_titles;
ALTER VIEW book_titles RENAME TO all_titles;
ALTER VIEW all_titles SET SCHEMA archive;
CREATE OR REPLACE VIEW archive.all_titles AS SELECT title FROM book;
ALTER MATERIALIZED VIEW title_count RENAME TO titles_counted;
ALTER INDEX title_count_title_idx RENAME TO titles_counted_title;
ALTER TABLE titles_counted OWNER TO CURRENT_USER;
CREATE VIEW gone AS SELECT 1;
DROP VIEW gone;
DROP VIEW IF EXISTS nope;
`},
		},
		want: `
view archive.all_titles @001.sql:2:1
materialized view public.titles_counted @001.sql:3:1
  partial or expression unique index titles_counted_title
table public.book @001.sql:1:1
  id int4 not null @001.sql:1:20
  title text @001.sql:1:40
  primary key book_pkey (id)
`,
	},
	{
		name:          "tables created AS a query",
		notInPostgres: "PostgreSQL knows the columns of such a table; the catalog only its name",
		files: schemaFile(`
CREATE TABLE book (id int PRIMARY KEY, title text);
CREATE TABLE book_copy AS SELECT * FROM book;
CREATE TABLE IF NOT EXISTS book_copy AS SELECT * FROM book;
ALTER TABLE book_copy OWNER TO CURRENT_USER;
ALTER TABLE book_copy ADD COLUMN extra int;
ALTER TABLE book_copy RENAME TO old_books;
CREATE TABLE titles AS SELECT title FROM book;
DROP TABLE titles;
`),
		want: `
table public.old_books @schema.sql:2:1
table public.book @schema.sql:1:1
  id int4 not null @schema.sql:1:20
  title text @schema.sql:1:40
  primary key book_pkey (id)
`,
	},
	{
		name: "views share the namespace of tables",
		files: schemaFile(`
CREATE TABLE book (id int PRIMARY KEY);
CREATE VIEW v AS SELECT id FROM book;
CREATE TABLE v (id int);
CREATE VIEW book AS SELECT 1;
ALTER TABLE book RENAME TO v;
`),
		want: `
view public.v @schema.sql:2:1
table public.book @schema.sql:1:1
  id int4 not null @schema.sql:1:20
  primary key book_pkey (id)
`,
		errors: []string{
			`schema.sql:3:14: relation "v" already exists`,
			`schema.sql:4:13: relation "book" already exists`,
			`schema.sql:5:28: relation "v" already exists`,
		},
	},
}
