package schema

import "testing"

func TestApplyInheritance(t *testing.T) { runDDLCases(t, inheritCases) }

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
ALTER TABLE base RENAME CONSTRAINT base_code_check TO base_label_set;
ALTER TABLE base DROP COLUMN note;
ALTER TABLE base ALTER COLUMN label TYPE varchar, ALTER COLUMN label SET NOT NULL;
ALTER TABLE base DROP CONSTRAINT base_id_check;
ALTER TABLE ONLY base DROP CONSTRAINT base_label_set;
`),
		want: `
table public.base @schema.sql:1:1
  id int4 not null @schema.sql:1:20
  label varchar not null @schema.sql:6:29
  primary key base_pkey (id)
table public.both_ @schema.sql:5:1
  inherits public.base
  inherits public.other
  id int4 not null @schema.sql:1:20
  note text @schema.sql:1:40
  label varchar not null @schema.sql:6:29
  check base_label_set
  check base_note
table public.child @schema.sql:3:1
  inherits public.base
  id int4 not null @schema.sql:1:20
  note text @schema.sql:1:40
  extra int4 @schema.sql:3:21
  label varchar not null @schema.sql:6:29
  check base_label_set
  check base_note
table public.grandchild @schema.sql:4:1
  inherits public.child
  id int4 not null @schema.sql:1:20
  note text @schema.sql:1:40
  extra int4 @schema.sql:3:21
  label varchar not null @schema.sql:6:29
  check base_label_set
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
ALTER TABLE event RENAME CONSTRAINT event_book TO event_volume;
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
  foreign key event_volume (volume_id) references public.book (id) @002_change.sql:6:23
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
table public.event_2026 @002_change.sql:11:1
  partition of public.event
  id int4 not null @002_change.sql:1:21
  at date not null @002_change.sql:1:29
  volume_id int4 @002_change.sql:1:38
  primary key event_2026_pkey (id, at)
  foreign key event_volume (volume_id) references public.book (id) @002_change.sql:6:23
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
ALTER TABLE event ADD CHECK (id > 0);
ALTER TABLE ONLY event DROP CONSTRAINT event_id_check;
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
  check event_id_check
table public.event_2024 @schema.sql:8:1
  partition of public.event
  id int4 @schema.sql:7:21
  at date @schema.sql:7:29
  check event_id_check
`,
		errors: []string{
			`schema.sql:3:12: cannot drop table "base": table "child" inherits from it; use CASCADE to drop it too`,
			`schema.sql:4:34: column "only_base" must be added to the tables that inherit from "base" too (no ONLY)`,
			`schema.sql:6:37: column "id" must be renamed in the tables that inherit from "base" too (no ONLY)`,
			`schema.sql:9:36: cannot drop column "id" from only table "event": its partitions have it too (no ONLY)`,
			`schema.sql:11:40: cannot drop constraint "event_id_check" of table "event" from it only: its partitions have it too (no ONLY)`,
		},
	},
}
