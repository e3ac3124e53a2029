package schema

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const bookstoreSQL = `
CREATE TABLE country (code text PRIMARY KEY, name text NOT NULL);
CREATE TABLE publisher (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    bio text,
    country_code text REFERENCES country(code)
);
CREATE TABLE book (
    id bigserial PRIMARY KEY,
    title text NOT NULL,
    year int,
    archived bool NOT NULL DEFAULT false,
    publisher_id bigint REFERENCES publisher,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE author (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE book_author (
    book_id bigint NOT NULL REFERENCES book ON DELETE CASCADE,
    author_id bigint NOT NULL REFERENCES author,
    PRIMARY KEY (book_id, author_id)
);
CREATE TABLE review (
    id bigint PRIMARY KEY,
    book_id bigint NOT NULL,
    stars int NOT NULL,
    created_at timestamptz NOT NULL
);
ALTER TABLE review ADD CONSTRAINT review_book_fk FOREIGN KEY (book_id) REFERENCES book(id);
CREATE TABLE tag (id int PRIMARY KEY, name text NOT NULL UNIQUE);
CREATE TABLE book_tag (book_id bigint REFERENCES book, tag_id int REFERENCES tag, PRIMARY KEY (book_id, tag_id));
CREATE TABLE category (id int PRIMARY KEY, name text, parent_id int REFERENCES category(id));
CREATE TABLE person (id int PRIMARY KEY, name text);
CREATE TABLE photo (
    id int PRIMARY KEY,
    url text,
    owner_id int REFERENCES person,
    editor_id int REFERENCES person
);
CREATE TABLE note (id int PRIMARY KEY, body text, book_ref bigint);
CREATE TABLE edition (book_id bigint REFERENCES book, no int, PRIMARY KEY (book_id, no));
`

const bookstoreYAML = `version: 1
schema: schema.sql
package:
  name: bookdocs
  out: internal/bookdocs
collections:
  - name: books
    table: book
    type: Book
    fields: [id, title, year]
    where: "NOT archived"
    relations:
      publisher:
        fields: [id, name]
        relations:
          country: { fields: [code, name] }
      authors:
        table: author
        through: book_author
        fields: [id, name]
        order_by: [name, id]
      reviews:
        table: review
        fields: [id, stars]
        order_by: [-created_at]
        limit: 5
      tags:
        table: tag
        through: book_tag
        fields: [name]
        flatten: true
`

// load writes files into a temporary folder and loads its denorm.yaml.
func load(t *testing.T, files map[string]string) (*Graph, error) {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	return Load("denorm.yaml")
}

func mustLoad(t *testing.T, yaml string) *Graph {
	t.Helper()
	g, err := load(t, map[string]string{"denorm.yaml": yaml, "schema.sql": bookstoreSQL})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return g
}

func TestLoadBookstore(t *testing.T) {
	g := mustLoad(t, bookstoreYAML)
	if g.Package.Name != "bookdocs" || g.Package.OutRel != "internal/bookdocs" || g.Package.Out != filepath.Join(".", "internal/bookdocs") {
		t.Errorf("package = %+v", g.Package)
	}
	if len(g.Collections) != 1 {
		t.Fatalf("collections = %d", len(g.Collections))
	}
	c := g.Collections[0]
	if c.Name != "books" || c.Type != "Book" || c.Where != "NOT archived" || c.Key().Name != "id" {
		t.Errorf("collection = %+v", c)
	}
	got := describeNode(c.Root, "")
	want := strings.TrimSpace(`
Book book [id title year]
  publisher to-one Book.publisher_id = publisher.id order=[] limit=0 flatten=false
  BookPublisher publisher [id name]
    country to-one BookPublisher.country_code = country.code order=[] limit=0 flatten=false
    BookPublisherCountry country [code name]
  authors many-to-many Book.id = book_author.book_id, book_author.author_id = author.id order=[name id] limit=0 flatten=false
  BookAuthor author [id name]
  reviews one-to-many Book.id = review.book_id order=[-created_at] limit=5 flatten=false
  BookReview review [id stars]
  tags many-to-many Book.id = book_tag.book_id, book_tag.tag_id = tag.id order=[id] limit=0 flatten=true
  BookTag tag [name]`)
	if diff := cmp.Diff(want, strings.TrimSpace(got)); diff != "" {
		t.Errorf("graph (-want +got):\n%s", diff)
	}
	if d := c.Root.Relations[0].To.Relations[0].To.Depth(); d != 2 {
		t.Errorf("country depth = %d, want 2", d)
	}
}

// describeNode renders a level and its relations compactly for comparison.
func describeNode(n *Node, indent string) string {
	var b strings.Builder
	keys := make([]string, len(n.Fields))
	for i, f := range n.Fields {
		keys[i] = f.Key
	}
	b.WriteString(indent + n.Type + " " + n.Table.Name + " [" + strings.Join(keys, " ") + "]\n")
	for _, r := range n.Relations {
		var join string
		if r.Kind == ManyToMany {
			join = n.Type + "." + strings.Join(r.FromCols, ",") + " = " + r.Through.Name + "." + strings.Join(r.ThroughFromCols, ",") +
				", " + r.Through.Name + "." + strings.Join(r.ThroughToCols, ",") + " = " + r.To.Table.Name + "." + strings.Join(r.ToCols, ",")
		} else {
			join = n.Type + "." + strings.Join(r.FromCols, ",") + " = " + r.To.Table.Name + "." + strings.Join(r.ToCols, ",")
		}
		var order []string
		for _, o := range r.OrderBy {
			s := o.Column.Name
			if o.Desc {
				s = "-" + s
			}
			order = append(order, s)
		}
		b.WriteString(indent + "  " + r.Name + " " + r.Kind.String() + " " + join +
			" order=[" + strings.Join(order, " ") + "] limit=" + strconv.Itoa(r.Limit) + " flatten=" + strconv.FormatBool(r.Flatten) + "\n")
		b.WriteString(describeNode(r.To, indent+"  "))
	}
	return b.String()
}

func TestLoadRelationForms(t *testing.T) {
	g := mustLoad(t, `version: 1
schema: [schema.sql]
package: {name: docs, out: out}
collections:
  - name: categories
    table: category
    relations:
      parent: { table: category, fields: [id, name] }
      children: { table: category, fields: [id] }
  - name: photos
    table: photo
    fields: [id, {column: url, as: href}]
    relations:
      owner: { table: person, foreign_key: owner_id, fields: [name] }
      editor: { table: person, foreign_key: [editor_id], fields: [name] }
  - name: people
    table: person
    fields: [id]
    relations:
      owned: { table: photo, foreign_key: owner_id, fields: [id] }
  - name: notes
    table: note
    relations:
      book: { foreign_key: book_ref, references: "book(id)", fields: [title] }
  - name: books
    table: book
    fields: [title]
    relations:
      notes: { foreign_key: book_ref, references: book(id), fields: [body] }
      editions: { fields: [no] }
`)
	var got strings.Builder
	for _, c := range g.Collections {
		got.WriteString(c.Name + ": " + describeNode(c.Root, ""))
	}
	want := `categories: Category category [id name parent_id]
  parent to-one Category.parent_id = category.id order=[] limit=0 flatten=false
  CategoryParent category [id name]
  children one-to-many Category.id = category.parent_id order=[id] limit=0 flatten=false
  CategoryChild category [id]
photos: Photo photo [id href]
  owner to-one Photo.owner_id = person.id order=[] limit=0 flatten=false
  PhotoOwner person [name]
  editor to-one Photo.editor_id = person.id order=[] limit=0 flatten=false
  PhotoEditor person [name]
people: Person person [id]
  owned one-to-many Person.id = photo.owner_id order=[id] limit=0 flatten=false
  PersonOwned photo [id]
notes: Note note [id body book_ref]
  book to-one Note.book_ref = book.id order=[] limit=0 flatten=false
  NoteBook book [title]
books: Book book [id title]
  notes one-to-many Book.id = note.book_ref order=[id] limit=0 flatten=false
  BookNote note [body]
  editions one-to-many Book.id = edition.book_id order=[book_id no] limit=0 flatten=false
  BookEdition edition [no]
`
	if diff := cmp.Diff(want, got.String()); diff != "" {
		t.Errorf("graph (-want +got):\n%s", diff)
	}
	if f := g.Collections[1].Root.Fields[1]; f.Column.Name != "url" || f.GoName != "Href" {
		t.Errorf("renamed field = %+v", f)
	}
}

func TestLoadErrors(t *testing.T) {
	head := "version: 1\nschema: schema.sql\npackage: {name: docs, out: out}\n"
	tests := []struct {
		name string
		yaml string
		sql  string // default bookstoreSQL
		want []string
	}{{
		name: "yaml syntax",
		yaml: head + "collections:\n  - name: books\n    table: [book\n",
		want: []string{"denorm.yaml:6:12: YAML syntax error: sequence end token ']' not found"},
	}, {
		name: "unknown key with suggestion",
		yaml: head + "collections:\n  - name: books\n    table: book\n    feilds: [id]\n",
		want: []string{`denorm.yaml:7:5: collection "books": unknown key "feilds"; did you mean "fields"?`},
	}, {
		name: "missing required keys",
		yaml: "version: 1\nschema: schema.sql\ncollections:\n  - name: books\n",
		want: []string{
			`denorm.yaml:1:1: config: missing required key "package"`,
			`denorm.yaml:4:5: collection "books": missing required key "table"`,
		},
	}, {
		name: "unknown table",
		yaml: head + "collections:\n  - name: books\n    table: bok\n",
		want: []string{`denorm.yaml:6:12: collection "books": unknown table "bok"; did you mean "book"?`},
	}, {
		name: "a view",
		yaml: head + "collections:\n  - name: books\n    table: recent_book\n  - name: b\n    table: book_copy\n",
		sql:  bookstoreSQL + "\nCREATE VIEW recent_book AS SELECT * FROM book;\nCREATE TABLE book_copy AS SELECT * FROM book;\n",
		want: []string{
			`denorm.yaml:6:12: collection "books": "recent_book" is a view (schema.sql:`,
			`denorm.yaml:8:12: collection "b": "book_copy" is created by CREATE TABLE AS (schema.sql:`,
		},
	}, {
		name: "unknown column",
		yaml: head + "collections:\n  - name: books\n    table: book\n    fields: [id, titel]\n",
		want: []string{`denorm.yaml:7:18: collection "books": table book has no column "titel"; did you mean "title"?`},
	}, {
		name: "no connecting foreign key",
		yaml: head + "collections:\n  - name: books\n    table: book\n    relations:\n      authors: {fields: [id]}\n",
		want: []string{`denorm.yaml:8:7: collection "books": relation "authors": no foreign key connects book and author; add foreign_key (with references: table(column) if the key is not declared)`},
	}, {
		name: "ambiguous foreign key",
		yaml: head + "collections:\n  - name: photos\n    table: photo\n    relations:\n      person: {fields: [id]}\n",
		want: []string{`denorm.yaml:8:7: collection "photos": relation "person": several foreign keys connect photo and person: photo(owner_id), photo(editor_id); add foreign_key to choose one`},
	}, {
		name: "root key not one column",
		yaml: head + "collections:\n  - name: links\n    table: book_author\n",
		want: []string{`denorm.yaml:6:12: collection "links": root table book_author has a 2-column primary key (book_id, author_id); a root needs a one-column primary key`},
	}, {
		name: "duplicate collection",
		yaml: head + "collections:\n  - name: books\n    table: book\n  - name: books\n    table: author\n",
		want: []string{`denorm.yaml:7:11: collection "books": name already used at line 5`},
	}, {
		name: "duplicate relation",
		yaml: head + "collections:\n  - name: books\n    table: book\n    relations:\n      reviews: {fields: [id]}\n      reviews: {fields: [stars]}\n",
		want: []string{`denorm.yaml:9:7: YAML syntax error: mapping key "reviews" already defined at [8:7]`},
	}, {
		name: "limit without order_by",
		yaml: head + "collections:\n  - name: books\n    table: book\n    relations:\n      reviews: {fields: [id], limit: 3}\n",
		want: []string{`denorm.yaml:8:38: collection "books": relation "reviews": limit needs order_by, to say which 3 rows to keep`},
	}, {
		name: "schema path missing",
		yaml: "version: 1\nschema: db/missing\npackage: {name: docs, out: out}\ncollections: []\n",
		want: []string{`denorm.yaml:2:9: schema path "db/missing" does not exist (looked for db/missing)`},
	}, {
		name: "ddl syntax error",
		yaml: head + "collections: []\n",
		sql:  "CREATE TABLE a (id int PRIMARY KEY);\n\nCREATE TABLE b (id int PRIMARY KEY,, x int);\n",
		want: []string{"schema.sql:3:"},
	}, {
		name: "several errors sorted",
		yaml: head + "collections:\n  - name: books\n    table: book\n    fields: [nope]\n  - name: x\n    table: nothere\n",
		want: []string{
			`denorm.yaml:7:14: collection "books": table book has no column "nope"`,
			`denorm.yaml:9:12: collection "x": unknown table "nothere"`,
		},
	}, {
		name: "self reference needs kind",
		yaml: head + "collections:\n  - name: c\n    table: category\n    relations:\n      up: {table: category}\n",
		want: []string{`denorm.yaml:8:7: collection "c": relation "up": public.category references itself through (parent_id); add kind: one (the referenced row) or kind: many (the referencing rows)`},
	}, {
		name: "to-one with order_by",
		yaml: head + "collections:\n  - name: books\n    table: book\n    relations:\n      publisher: {order_by: [name]}\n",
		want: []string{`denorm.yaml:8:30: collection "books": relation "publisher": order_by applies to to-many relations only; publisher is to-one`},
	}, {
		name: "flatten with two fields",
		yaml: head + "collections:\n  - name: books\n    table: book\n    relations:\n      tags: {through: book_tag, fields: [id, name], flatten: true}\n",
		want: []string{`denorm.yaml:8:7: collection "books": relation "tags": flatten needs exactly one field and no relations, got 2 field(s)`},
	}, {
		name: "wrong value types",
		yaml: "version: two\nschema: schema.sql\npackage: {name: docs, out: out}\ncollections: {}\n",
		want: []string{
			`denorm.yaml:1:10: want an integer, got a string`,
			`denorm.yaml:4:14: collections: want a list, got a mapping`,
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sql := tt.sql
			if sql == "" {
				sql = bookstoreSQL
			}
			_, err := load(t, map[string]string{"denorm.yaml": tt.yaml, "schema.sql": sql})
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("err = %v, want an ErrorList", err)
			}
			if len(list) != len(tt.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(list), len(tt.want), err)
			}
			for i, e := range list {
				if !strings.HasPrefix(e.Error(), tt.want[i]) {
					t.Errorf("error %d:\n got %s\nwant %s", i, e.Error(), tt.want[i])
				}
			}
		})
	}
}

func TestLoadMigrationsFolder(t *testing.T) {
	g, err := load(t, map[string]string{
		"denorm.yaml":          "version: 1\nschema: db\npackage: {name: docs, out: out}\ncollections:\n  - {name: books, table: book, fields: [id, heading]}\n",
		"db/001_init.up.sql":   "CREATE TABLE book (id int PRIMARY KEY, title text);\n",
		"db/001_init.down.sql": "DROP TABLE book;\n",
		"db/002_rename.up.sql": "ALTER TABLE book RENAME COLUMN title TO heading;\n",
		"db/README.md":         "not sql",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join("db", "001_init.up.sql"), filepath.Join("db", "002_rename.up.sql")}
	if diff := cmp.Diff(want, g.SchemaFiles); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if f := g.Collections[0].Root.Fields[1]; f.Column.Name != "heading" {
		t.Errorf("field = %s", f.Column.Name)
	}
}

func TestConfigNotFound(t *testing.T) {
	t.Chdir(t.TempDir())
	_, err := Load("denorm.yaml")
	if err == nil || err.Error() != "denorm.yaml: config file not found (use -f to name another)" {
		t.Errorf("err = %v", err)
	}
}
