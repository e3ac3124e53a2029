package gen

// Change capture, the SQL half of the generator (docs/DESIGN.md, "The
// outbox"). Choices a reviewer may wonder about:
//
//   - Statement-level triggers with transition tables: one set-based INSERT
//     per statement, however many rows it touched, and no per-row plpgsql.
//   - One plpgsql function per table, static SQL generated for that table:
//     plans are cached per trigger and no format()/EXECUTE runs per write.
//   - UPDATE pairs old and new rows with a FULL JOIN on the primary key, so
//     an unchanged row costs a comparison, and a key change shows up as an
//     unpaired row on each side (delete + insert). Tables without a primary
//     key compare whole rows with EXCEPT ALL.
//   - A statement writes one outbox row per 1,000 changes, the images of a
//     side as arrays by column: a bulk UPDATE pays for a few compact rows
//     instead of one row per changed row. Grouping (a window and an
//     aggregate) costs a single-row write more than it saves, so a look at
//     the transition table (OFFSET 1 LIMIT 1) sends statements of one row
//     to a plain INSERT ... SELECT instead; an UPDATE of one row needs no
//     join either.
//   - Resolution (Dependencies) expands the arrays and reads the recorded
//     keys with jsonb_to_record and the columns' own types, so joins up to
//     the root use the indexes.

import (
	"bytes"
	"fmt"
	"strings"
	"text/template"

	"github.com/denormgen/denormgen/schema"
	"github.com/denormgen/denormgen/templates"
)

// installTemplate is parsed once; the templates are part of the binary, so a
// parse error is a bug caught by every test that renders them.
var installTemplate = template.Must(template.New("install").ParseFS(templates.FS, "*.sql.tmpl"))

// installModel is what install.sql.tmpl reads.
type installModel struct {
	Tables []*captureTable
}

// GroupSize is the most changes one outbox row holds.
func (m *installModel) GroupSize() int { return captureGroup }

// Relations is the SQL array of the tracked tables, for the cleanup.
func (m *installModel) Relations() string {
	if len(m.Tables) == 0 {
		return "'{}'::regclass[]"
	}
	var items []string
	for _, t := range m.Tables {
		items = append(items, sqlString(t.Ident())+"::regclass")
	}
	return "ARRAY[" + strings.Join(items, ", ") + "]"
}

// Functions is the SQL array of the current trigger function names.
func (m *installModel) Functions() string {
	var items []string
	for _, t := range m.Tables {
		items = append(items, sqlString(captureFuncName(t.Table)))
	}
	return "ARRAY[" + strings.Join(items, ", ") + "]::text[]"
}

// InstallSQL returns the idempotent install script for every collection of g:
// schema denorm, the outbox table, one trigger function per table any
// collection reads and its statement-level triggers, and the removal of
// triggers and functions left over from earlier configurations.
func InstallSQL(g *schema.Graph) ([]byte, error) {
	if g == nil {
		return nil, fmt.Errorf("install sql: no graph")
	}
	tables, err := captureTables(g.Collections)
	if err != nil {
		return nil, fmt.Errorf("install sql: %w", err)
	}
	for _, t := range tables {
		// Function bodies are dollar-quoted with $denorm$; a name holding
		// that tag would end the body early.
		for _, c := range t.Table.Columns {
			if strings.Contains(c.Name, "$denorm$") {
				return nil, fmt.Errorf("install sql: table %s: column name %q contains $denorm$", t.Name(), c.Name)
			}
		}
		if strings.Contains(t.Name(), "$denorm$") {
			return nil, fmt.Errorf("install sql: table name %q contains $denorm$", t.Name())
		}
	}
	var buf bytes.Buffer
	if err := installTemplate.ExecuteTemplate(&buf, "install.sql.tmpl", &installModel{Tables: tables}); err != nil {
		return nil, fmt.Errorf("install sql: %w", err)
	}
	// Templates end in newlines of their own; the file ends in exactly one.
	return append(bytes.TrimRight(buf.Bytes(), "\n"), '\n'), nil
}
