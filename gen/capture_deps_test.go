package gen

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/denormgen/denormgen/schema"
)

// deepDDL reaches every relation kind at depth 1, 2 and 3 from book:
//
//	to-one:       publisher, publisher.country, country.continent
//	one-to-many:  review, review.comment, comment.vote
//	many-to-many: author (book_author), author.award (author_award),
//	              comment.tag (comment_tag)
//	to-one below a many-to-many: author.agent, agent.agency
const deepDDL = `
CREATE TABLE continent (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE country (code text PRIMARY KEY, name text NOT NULL, continent_id integer REFERENCES continent (id));
CREATE TABLE publisher (id integer PRIMARY KEY, name text NOT NULL, bio text,
    country_code text REFERENCES country (code));
CREATE TABLE book (id integer PRIMARY KEY, title text NOT NULL,
    publisher_id integer REFERENCES publisher (id));
CREATE TABLE review (id integer PRIMARY KEY, stars integer NOT NULL,
    book_id integer NOT NULL REFERENCES book (id) ON DELETE CASCADE ON UPDATE CASCADE);
CREATE TABLE comment (id integer PRIMARY KEY, body text NOT NULL,
    review_id integer NOT NULL REFERENCES review (id) ON DELETE CASCADE);
CREATE TABLE vote (id integer PRIMARY KEY, up boolean NOT NULL,
    comment_id integer NOT NULL REFERENCES comment (id) ON DELETE CASCADE);
CREATE TABLE tag (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE comment_tag (comment_id integer NOT NULL REFERENCES comment (id) ON DELETE CASCADE,
    tag_id integer NOT NULL REFERENCES tag (id), PRIMARY KEY (comment_id, tag_id));
CREATE TABLE agency (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE agent (id integer PRIMARY KEY, name text NOT NULL, agency_id integer REFERENCES agency (id));
CREATE TABLE author (id integer PRIMARY KEY, name text NOT NULL, agent_id integer REFERENCES agent (id));
CREATE TABLE book_author (book_id integer NOT NULL REFERENCES book (id) ON UPDATE CASCADE,
    author_id integer NOT NULL REFERENCES author (id), PRIMARY KEY (book_id, author_id));
CREATE TABLE award (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE author_award (author_id integer NOT NULL REFERENCES author (id),
    award_id integer NOT NULL REFERENCES award (id), PRIMARY KEY (author_id, award_id));
`

const deepConfig = `
version: 1
schema: schema.sql
package: { name: deepdocs, out: deepdocs }
collections:
  - name: books
    table: book
    fields: [id, title]
    relations:
      publisher:
        fields: [name]
        relations:
          country:
            fields: [name]
            relations:
              continent: { fields: [name] }
      reviews:
        table: review
        fields: [stars]
        relations:
          comments:
            table: comment
            fields: [body]
            relations:
              votes: { table: vote, fields: [up] }
              tags: { table: tag, through: comment_tag, fields: [name] }
      authors:
        table: author
        through: book_author
        fields: [name]
        relations:
          agent:
            fields: [name]
            relations:
              agency: { fields: [name] }
          awards: { table: award, through: author_award, fields: [name] }
`

const deepData = `
INSERT INTO continent VALUES (1, 'Europe'), (2, 'Asia');
INSERT INTO country VALUES ('fr', 'France', 1), ('jp', 'Japan', 2), ('de', 'Germany', 1);
INSERT INTO publisher VALUES (10, 'P10', '', 'fr'), (11, 'P11', '', 'jp'), (12, 'P12', '', 'de');
INSERT INTO book VALUES (100, 'a', 10), (101, 'b', 11), (102, 'c', 10), (103, 'd', NULL), (104, 'e', 12);
INSERT INTO review VALUES (1000, 5, 100), (1001, 4, 101), (1002, 3, 101);
INSERT INTO comment VALUES (5000, 'x', 1000), (5001, 'y', 1001);
INSERT INTO vote VALUES (7000, true, 5000), (7001, false, 5001);
INSERT INTO tag VALUES (1, 't1'), (2, 't2');
INSERT INTO comment_tag VALUES (5000, 1), (5001, 1), (5001, 2);
INSERT INTO agency VALUES (1, 'A1'), (2, 'A2');
INSERT INTO agent VALUES (20, 'G20', 1), (21, 'G21', 2);
INSERT INTO author VALUES (30, 'W30', 20), (31, 'W31', 21), (32, 'W32', NULL);
INSERT INTO book_author VALUES (100, 30), (101, 31), (102, 30), (104, 32);
INSERT INTO award VALUES (40, 'R40'), (41, 'R41');
INSERT INTO author_award VALUES (30, 40), (31, 41);
`

// depCase is one change and the exact set of roots its resolution yields.
type depCase struct {
	name string
	sql  []string
	want []string
}

// runDepCases runs each case in a transaction of its own, resolves what it
// recorded inside that transaction (so the walk sees the changed rows) and
// rolls back, leaving the data as it was for the next case.
func runDepCases(t *testing.T, pool *pgxpool.Pool, c *schema.Collection, cases []depCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			tx, err := pool.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback(ctx)
			mustExec(t, tx, tt.sql...)
			recorded := readOutbox(t, tx)
			got := resolveRoots(t, tx, c, recorded)
			want := tt.want
			if want == nil {
				want = []string{}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("roots (-want +got):\n%s\nrecorded: %q", diff, changes(recorded))
			}
		})
	}
}

func TestDependenciesDeep(t *testing.T) {
	pool, g := captureDB(t, deepDDL, deepConfig)
	mustExec(t, pool, deepData)
	takeOutbox(t, pool)
	runDepCases(t, pool, collection(t, g, "books"), []depCase{
		{"root update", []string{`UPDATE book SET title = 'z' WHERE id = 100`}, []string{"100"}},
		{"root insert", []string{`INSERT INTO book VALUES (105, 'f', 10)`}, []string{"105"}},
		{"root delete", []string{`DELETE FROM book WHERE id = 103`}, []string{"103"}},
		// The key change cascades to review and book_author: the old and new
		// key are both reached.
		{"root key change", []string{`UPDATE book SET id = 199 WHERE id = 101`}, []string{"101", "199"}},
		{"root unused column", []string{`UPDATE publisher SET bio = 'long'`}, nil},

		{"to-one depth 1", []string{`UPDATE publisher SET name = 'n' WHERE id = 10`}, []string{"100", "102"}},
		{"to-one depth 1 key move", []string{`UPDATE book SET publisher_id = 11 WHERE id = 100`}, []string{"100"}},
		{"to-one depth 2", []string{`UPDATE country SET name = 'n' WHERE code = 'fr'`}, []string{"100", "102"}},
		{"to-one depth 2 move", []string{`UPDATE publisher SET country_code = 'de' WHERE id = 11`}, []string{"101"}},
		{"to-one depth 3", []string{`UPDATE continent SET name = 'n' WHERE id = 1`}, []string{"100", "102", "104"}},
		{"to-one depth 3 move", []string{`UPDATE country SET continent_id = 2 WHERE code = 'de'`}, []string{"104"}},
		{"to-one deleted", []string{`UPDATE book SET publisher_id = NULL WHERE publisher_id = 12`, `DELETE FROM publisher WHERE id = 12`}, []string{"104"}},

		{"one-to-many depth 1", []string{`UPDATE review SET stars = 1 WHERE id = 1000`}, []string{"100"}},
		{"one-to-many depth 1 insert", []string{`INSERT INTO review VALUES (1003, 2, 103)`}, []string{"103"}},
		{"one-to-many depth 1 delete", []string{`DELETE FROM review WHERE id = 1002`}, []string{"101"}},
		{"one-to-many depth 1 move", []string{`UPDATE review SET book_id = 102 WHERE id = 1000`}, []string{"100", "102"}},
		{"one-to-many depth 2", []string{`UPDATE comment SET body = 'n' WHERE id = 5000`}, []string{"100"}},
		{"one-to-many depth 2 move", []string{`UPDATE comment SET review_id = 1000 WHERE id = 5001`}, []string{"100", "101"}},
		{"one-to-many depth 2 cascade", []string{`DELETE FROM review WHERE id = 1001`}, []string{"101"}},
		{"one-to-many depth 3", []string{`UPDATE vote SET up = true WHERE id = 7001`}, []string{"101"}},
		{"one-to-many depth 3 move", []string{`UPDATE vote SET comment_id = 5001 WHERE id = 7000`}, []string{"100", "101"}},
		{"one-to-many depth 3 insert", []string{`INSERT INTO vote VALUES (7002, true, 5000)`}, []string{"100"}},

		{"many-to-many depth 1", []string{`UPDATE author SET name = 'n' WHERE id = 30`}, []string{"100", "102"}},
		{"many-to-many depth 1 add", []string{`INSERT INTO book_author VALUES (103, 31)`}, []string{"103"}},
		{"many-to-many depth 1 remove", []string{`DELETE FROM book_author WHERE book_id = 100`}, []string{"100"}},
		{"many-to-many depth 1 move", []string{`UPDATE book_author SET book_id = 103 WHERE book_id = 101`}, []string{"101", "103"}},
		{"many-to-many depth 2", []string{`UPDATE award SET name = 'n' WHERE id = 40`}, []string{"100", "102"}},
		{"many-to-many depth 2 add", []string{`INSERT INTO author_award VALUES (32, 41)`}, []string{"104"}},
		{"many-to-many depth 2 remove", []string{`DELETE FROM author_award WHERE author_id = 31`}, []string{"101"}},
		{"many-to-many depth 3", []string{`UPDATE tag SET name = 'n' WHERE id = 2`}, []string{"101"}},
		{"many-to-many depth 3 shared", []string{`UPDATE tag SET name = 'n' WHERE id = 1`}, []string{"100", "101"}},
		{"many-to-many depth 3 add", []string{`INSERT INTO comment_tag VALUES (5000, 2)`}, []string{"100"}},

		{"to-one below many-to-many depth 2", []string{`UPDATE agent SET name = 'n' WHERE id = 21`}, []string{"101"}},
		{"to-one below many-to-many depth 3", []string{`UPDATE agency SET name = 'n' WHERE id = 1`}, []string{"100", "102"}},
		{"to-one below many-to-many move", []string{`UPDATE author SET agent_id = 20 WHERE id = 32`}, []string{"104"}},

		{"unrelated rows", []string{`INSERT INTO tag VALUES (3, 't3')`, `INSERT INTO award VALUES (42, 'R42')`, `INSERT INTO continent VALUES (3, 'x')`}, nil},
		{"truncate records no rows to walk", []string{`TRUNCATE vote`}, nil},
	})
}

const selfDDL = `
CREATE TABLE category (id integer PRIMARY KEY, name text NOT NULL,
    parent_id integer REFERENCES category (id));
INSERT INTO category VALUES (1, 'root', NULL), (2, 'a', 1), (3, 'b', 1), (4, 'a1', 2), (5, 'a1x', 4);
`

const selfConfig = `
version: 1
schema: schema.sql
package: { name: catdocs, out: catdocs }
collections:
  - name: categories
    table: category
    fields: [id, name]
    relations:
      parent:
        table: category
        fields: [name]
        relations:
          parent: { table: category, fields: [name] }
      children: { table: category, fields: [name] }
`

func TestDependenciesSelfReference(t *testing.T) {
	pool, g := captureDB(t, selfDDL, selfConfig)
	takeOutbox(t, pool)
	runDepCases(t, pool, collection(t, g, "categories"), []depCase{
		// 2 itself; 4 has it as parent; 5 as grandparent; 1 as a child.
		{"rename", []string{`UPDATE category SET name = 'n' WHERE id = 2`}, []string{"1", "2", "4", "5"}},
		// 4 itself, its children and grandchildren (none past 5), the old
		// parent 2 and the new parent 3 (their children lists).
		{"move", []string{`UPDATE category SET parent_id = 3 WHERE id = 4`}, []string{"2", "3", "4", "5"}},
		{"new leaf", []string{`INSERT INTO category VALUES (6, 'c', 5)`}, []string{"5", "6"}},
	})
}

const photoDDL = `
CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE photo (id integer PRIMARY KEY, url text NOT NULL,
    owner_id integer NOT NULL REFERENCES person (id),
    editor_id integer REFERENCES person (id));
INSERT INTO person VALUES (1, 'ann'), (2, 'bob'), (3, 'cy');
INSERT INTO photo VALUES (10, 'u10', 1, 2), (11, 'u11', 2, NULL), (12, 'u12', 3, 1);
`

const photoConfig = `
version: 1
schema: schema.sql
package: { name: photodocs, out: photodocs }
collections:
  - name: photos
    table: photo
    fields: [id, url]
    relations:
      owner: { table: person, foreign_key: owner_id, fields: [name] }
      editor: { table: person, foreign_key: editor_id, fields: [name] }
  - name: people
    table: person
    fields: [id, name]
    relations:
      owned: { table: photo, foreign_key: owner_id, fields: [url] }
      edited: { table: photo, foreign_key: editor_id, fields: [url] }
`

func TestDependenciesSeveralForeignKeys(t *testing.T) {
	pool, g := captureDB(t, photoDDL, photoConfig)
	takeOutbox(t, pool)
	runDepCases(t, pool, collection(t, g, "photos"), []depCase{
		{"person as owner or editor", []string{`UPDATE person SET name = 'n' WHERE id = 1`}, []string{"10", "12"}},
		{"person as owner only", []string{`UPDATE person SET name = 'n' WHERE id = 3`}, []string{"12"}},
		{"editor change", []string{`UPDATE photo SET editor_id = 3 WHERE id = 11`}, []string{"11"}},
	})
	runDepCases(t, pool, collection(t, g, "people"), []depCase{
		{"photo url", []string{`UPDATE photo SET url = 'n' WHERE id = 12`}, []string{"1", "3"}},
		// Both editors' lists change; the owner is reached too, through the
		// owned path, because the photo row changed: a harmless rebuild.
		{"editor move", []string{`UPDATE photo SET editor_id = 3 WHERE id = 10`}, []string{"1", "2", "3"}},
		{"new photo", []string{`INSERT INTO photo VALUES (13, 'u13', 2, NULL)`}, []string{"2"}},
	})
}

// A child keyed by two columns, referenced by a composite foreign key, with a
// composite-keyed list below it and a composite-keyed join table.
const compositeDDL = `
CREATE TABLE course (id integer PRIMARY KEY, title text NOT NULL);
CREATE TABLE lesson (course_id integer NOT NULL REFERENCES course (id), n integer NOT NULL,
    title text NOT NULL, PRIMARY KEY (course_id, n));
CREATE TABLE note (id integer PRIMARY KEY, body text NOT NULL,
    course_id integer NOT NULL, lesson_n integer NOT NULL,
    FOREIGN KEY (course_id, lesson_n) REFERENCES lesson (course_id, n));
CREATE TABLE skill (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE lesson_skill (course_id integer NOT NULL, lesson_n integer NOT NULL,
    skill_id integer NOT NULL REFERENCES skill (id),
    FOREIGN KEY (course_id, lesson_n) REFERENCES lesson (course_id, n));
INSERT INTO course VALUES (1, 'c1'), (2, 'c2');
INSERT INTO lesson VALUES (1, 1, 'l11'), (1, 2, 'l12'), (2, 1, 'l21');
INSERT INTO note VALUES (100, 'x', 1, 2), (101, 'm', 2, 1);
INSERT INTO skill VALUES (7, 's7'), (8, 's8');
INSERT INTO lesson_skill VALUES (1, 2, 7), (2, 1, 7), (2, 1, 8);
`

const compositeConfig = `
version: 1
schema: schema.sql
package: { name: coursedocs, out: coursedocs }
collections:
  - name: courses
    table: course
    fields: [id, title]
    relations:
      lessons:
        table: lesson
        fields: [n, title]
        relations:
          notes: { table: note, fields: [body] }
          skills: { table: skill, through: lesson_skill, fields: [name] }
  - name: notes
    table: note
    fields: [id, body]
    relations:
      lesson:
        fields: [title]
        relations:
          course: { fields: [title] }
`

func TestDependenciesCompositeKeys(t *testing.T) {
	pool, g := captureDB(t, compositeDDL, compositeConfig)
	takeOutbox(t, pool)
	runDepCases(t, pool, collection(t, g, "courses"), []depCase{
		{"lesson", []string{`UPDATE lesson SET title = 'n' WHERE course_id = 2 AND n = 1`}, []string{"2"}},
		{"note below lesson", []string{`UPDATE note SET body = 'n' WHERE id = 100`}, []string{"1"}},
		{"note moves course", []string{`UPDATE note SET course_id = 2, lesson_n = 1 WHERE id = 100`}, []string{"1", "2"}},
		{"skill through composite join table", []string{`UPDATE skill SET name = 'n' WHERE id = 8`}, []string{"2"}},
		{"skill shared", []string{`UPDATE skill SET name = 'n' WHERE id = 7`}, []string{"1", "2"}},
		{"join row without primary key", []string{`DELETE FROM lesson_skill WHERE skill_id = 8`}, []string{"2"}},
	})
	runDepCases(t, pool, collection(t, g, "notes"), []depCase{
		// The lesson is matched on both columns: lesson (1, 1) has no note.
		{"lesson by composite key", []string{`UPDATE lesson SET title = 'n' WHERE course_id = 1 AND n = 1`}, nil},
		{"lesson with a note", []string{`UPDATE lesson SET title = 'n' WHERE course_id = 1 AND n = 2`}, []string{"100"}},
		{"course at depth 2", []string{`UPDATE course SET title = 'n' WHERE id = 2`}, []string{"101"}},
	})
}

func TestDependenciesTables(t *testing.T) {
	g := captureGraph(t, deepDDL, deepConfig)
	var got []string
	for _, d := range Dependencies(collection(t, g, "books")) {
		got = append(got, d.Table)
		if !strings.Contains(d.SQL, "$1") {
			t.Errorf("%s: SQL does not read $1", d.Table)
		}
	}
	want := []string{
		"public.book", "public.publisher", "public.country", "public.continent",
		"public.review", "public.comment", "public.vote", "public.comment_tag", "public.tag",
		"public.book_author", "public.author", "public.agent", "public.agency",
		"public.author_award", "public.award",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
	if Dependencies(nil) != nil {
		t.Error("nil collection: want no dependencies")
	}
}

// Keys of other types than integers, in a schema and tables that need
// quoting: the recorded values must cast back to the columns' types.
const typedKeysDDL = `
CREATE SCHEMA "Shop";
CREATE TABLE "Shop"."Customer" (id uuid PRIMARY KEY, name text NOT NULL);
CREATE TABLE "Shop"."order" (code text PRIMARY KEY, placed date NOT NULL,
    customer_id uuid REFERENCES "Shop"."Customer" (id));
CREATE TABLE "Shop".line (id bigint PRIMARY KEY, qty integer NOT NULL,
    order_code text NOT NULL REFERENCES "Shop"."order" (code));
INSERT INTO "Shop"."Customer" VALUES ('00000000-0000-0000-0000-00000000000a', 'ann'),
    ('00000000-0000-0000-0000-00000000000b', 'bob');
INSERT INTO "Shop"."order" VALUES ('o''1', '2026-01-01', '00000000-0000-0000-0000-00000000000a'),
    ('o2', '2026-01-02', '00000000-0000-0000-0000-00000000000b');
INSERT INTO "Shop".line VALUES (1, 1, 'o''1'), (2, 2, 'o2');
`

const typedKeysConfig = `
version: 1
schema: schema.sql
package: { name: shopdocs, out: shopdocs }
collections:
  - name: customers
    table: Shop.Customer
    fields: [id, name]
    relations:
      orders:
        table: Shop.order
        fields: [code]
        relations:
          lines: { table: Shop.line, fields: [qty] }
  - name: orders
    table: Shop.order
    fields: [code, placed]
    relations:
      customer: { table: Shop.Customer, fields: [name] }
`

func TestDependenciesKeyTypes(t *testing.T) {
	pool, g := captureDB(t, typedKeysDDL, typedKeysConfig)
	takeOutbox(t, pool)
	runDepCases(t, pool, collection(t, g, "customers"), []depCase{
		{"uuid root", []string{`UPDATE "Shop"."Customer" SET name = 'n' WHERE name = 'bob'`}, []string{"00000000-0000-0000-0000-00000000000b"}},
		{"text key at depth 2", []string{`UPDATE "Shop".line SET qty = 9 WHERE id = 1`}, []string{"00000000-0000-0000-0000-00000000000a"}},
		{"order changes customer", []string{`UPDATE "Shop"."order" SET customer_id = '00000000-0000-0000-0000-00000000000b' WHERE code = 'o''1'`},
			[]string{"00000000-0000-0000-0000-00000000000a", "00000000-0000-0000-0000-00000000000b"}},
	})
	runDepCases(t, pool, collection(t, g, "orders"), []depCase{
		{"text root with a quote", []string{`UPDATE "Shop"."order" SET placed = '2026-02-02' WHERE code = 'o''1'`}, []string{"o'1"}},
		{"uuid parent", []string{`UPDATE "Shop"."Customer" SET name = 'n' WHERE name = 'ann'`}, []string{"o'1"}},
	})
}
