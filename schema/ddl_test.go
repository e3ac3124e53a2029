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
}
