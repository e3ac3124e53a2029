package schema

import "testing"

func TestApplyViews(t *testing.T) { runDDLCases(t, viewCases) }

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
