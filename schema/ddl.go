package schema

import (
	"errors"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/pganalyze/pg_query_go/v6/parser"
)

// Apply parses src (the contents of file) and applies its statements, in
// order, to c. Errors carry file:line:col of the offending statement or node.
//
// Constraints and indexes get the names PostgreSQL gives them, so that
// later migrations can drop and rename them; indexes and views are known by
// name only. Statements the catalog has no use for (functions, triggers,
// grants, data, ...) are skipped. A statement with an error is applied
// as far as it can be (a CREATE TABLE with a bad foreign key still creates the
// table) so that one mistake does not cascade into errors about everything
// that uses the table. After a syntax error, only the statements before it
// are applied.
func (c *Catalog) Apply(file string, src []byte) ErrorList {
	a := &applier{c: c, file: file, sql: string(src), lines: lineStarts(src)}
	a.run()
	a.errs.Sort()
	return a.errs
}

// An applier applies the statements of one file to a catalog.
type applier struct {
	c     *Catalog
	file  string
	sql   string // the file, goose down sections and psql commands blanked out
	lines []int  // byte offsets at which lines start
	errs  ErrorList
	// stmt is the byte offset of the current statement's first token; errors
	// about nodes without a location of their own point there. stmtEnd is
	// the offset of its end, and tokens its tokens, scanned on demand.
	stmt, stmtEnd int
	tokens        []*pg.ScanToken
}

func (a *applier) run() {
	// cgo hands the parser a C string, which would end at the first NUL and
	// silently drop the rest of the file.
	if i := strings.IndexByte(a.sql, 0); i >= 0 {
		a.errorAt(i, "file contains a NUL byte")
		return
	}
	a.sql = blankPsqlCommands(blankGooseDown(a.sql))
	sql := a.sql
	if off := tooDeep(sql); off >= 0 {
		a.errorAt(off, "expression nested too deeply (more than %d levels)", maxExprDepth)
		return
	}
	tree, err := pg.Parse(sql)
	if err != nil {
		off := syntaxErrorOffset(sql, err)
		var perr *parser.Error
		if errors.As(err, &perr) {
			a.errorAt(off, "%s", perr.Message)
		} else {
			a.errorAt(off, "cannot parse SQL: %v", err)
		}
		if tree = parsePrefix(sql, off); tree == nil {
			return
		}
	}
	for _, raw := range tree.GetStmts() {
		a.stmt = skipSpaceAndComments(sql, int(raw.GetStmtLocation()))
		a.stmtEnd = len(sql)
		if raw.GetStmtLen() > 0 {
			a.stmtEnd = int(raw.GetStmtLocation() + raw.GetStmtLen())
		}
		a.tokens = nil
		a.apply(raw.GetStmt())
	}
}

// parsePrefix parses the complete statements before the byte offset of a
// syntax error, so that their tables exist for the files that follow. It
// returns nil when there are none or they cannot be told apart.
func parsePrefix(sql string, errOff int) *pg.ParseResult {
	toks, err := pg.Scan(sql[:errOff])
	if err != nil {
		return nil
	}
	end := -1
	for _, t := range toks.GetTokens() {
		if t.GetToken() == pg.Token_ASCII_59 { // ';'
			end = int(t.GetEnd())
		}
	}
	if end < 0 {
		return nil
	}
	tree, err := pg.Parse(sql[:end])
	if err != nil {
		return nil
	}
	return tree
}

// apply applies one statement. Statement kinds that are not listed do not
// change the catalog.
func (a *applier) apply(n *pg.Node) {
	switch n := n.GetNode().(type) {
	case *pg.Node_CreateStmt:
		a.createTable(n.CreateStmt)
	case *pg.Node_CreateForeignTableStmt:
		// A foreign table has columns like any other; its data lives elsewhere.
		a.createTable(n.CreateForeignTableStmt.GetBaseStmt())
	case *pg.Node_AlterTableStmt:
		a.alterTable(n.AlterTableStmt)
	case *pg.Node_RenameStmt:
		a.rename(n.RenameStmt)
	case *pg.Node_AlterObjectSchemaStmt:
		a.setSchema(n.AlterObjectSchemaStmt)
	case *pg.Node_DropStmt:
		a.drop(n.DropStmt)
	case *pg.Node_IndexStmt:
		a.createIndex(n.IndexStmt)
	case *pg.Node_ViewStmt:
		a.createView(n.ViewStmt)
	case *pg.Node_CreateTableAsStmt:
		a.createTableAs(n.CreateTableAsStmt)
	case *pg.Node_CreateEnumStmt:
		a.createEnum(n.CreateEnumStmt)
	case *pg.Node_AlterEnumStmt:
		a.alterEnum(n.AlterEnumStmt)
	case *pg.Node_CreateDomainStmt:
		a.createDomain(n.CreateDomainStmt)
	}
}

// errorf reports an error at a node location (a byte offset, -1 when the
// node has none: then the statement's position is used).
func (a *applier) errorf(loc int32, format string, args ...any) {
	a.errs.Add(a.at(loc), format, args...)
}

// at is the position of a node location, or of the statement for -1.
func (a *applier) at(loc int32) Pos {
	if loc < 0 {
		return a.pos(a.stmt)
	}
	return a.pos(int(loc))
}

func (a *applier) errorAt(off int, format string, args ...any) {
	a.errs.Add(a.pos(off), format, args...)
}
