package schema

import (
	"slices"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// catalogActions are the ALTER TABLE actions that change the catalog. Only
// they need the table to be known: ALTER TABLE also applies to views and
// sequences (pg_dump writes "ALTER TABLE view OWNER TO ..."), which the
// catalog does not track.
var catalogActions = map[pg.AlterTableType]bool{
	pg.AlterTableType_AT_AddColumn:       true,
	pg.AlterTableType_AT_DropColumn:      true,
	pg.AlterTableType_AT_AddConstraint:   true,
	pg.AlterTableType_AT_DropConstraint:  true,
	pg.AlterTableType_AT_AlterColumnType: true,
	pg.AlterTableType_AT_SetNotNull:      true,
	pg.AlterTableType_AT_DropNotNull:     true,
}

func (a *applier) alterTable(s *pg.AlterTableStmt) {
	if s.GetObjtype() != pg.ObjectType_OBJECT_TABLE {
		return // ALTER INDEX, SEQUENCE, VIEW, ... share the statement
	}
	if !slices.ContainsFunc(s.GetCmds(), func(c *pg.Node) bool { return catalogActions[c.GetAlterTableCmd().GetSubtype()] }) {
		return
	}
	n := rangeVarName(s.GetRelation())
	t := a.table(n, s.GetMissingOk())
	if t == nil {
		return
	}
	for _, c := range s.GetCmds() {
		a.alterTableCmd(t, c.GetAlterTableCmd(), n.loc+1)
	}
}

// alterTableCmd applies one action of an ALTER TABLE. The actions carry no
// location: errors point at the first mention of the column after the
// table's name (from).
func (a *applier) alterTableCmd(t *Table, cmd *pg.AlterTableCmd, from int32) {
	cascade := cmd.GetBehavior() == pg.DropBehavior_DROP_CASCADE
	at := int32(-1) // where the column named by the action is
	if cmd.GetName() != "" {
		at = a.locate(cmd.GetName(), from)
	}
	switch cmd.GetSubtype() {
	case pg.AlterTableType_AT_AddColumn:
		cd := cmd.GetDef().GetColumnDef()
		if t.Column(cd.GetColname()) != nil {
			if !cmd.GetMissingOk() { // ADD COLUMN IF NOT EXISTS
				a.errorf(cd.GetLocation(), "column %q of table %q already exists", cd.GetColname(), t.displayName())
			}
			return
		}
		a.addConstraints(t, a.addColumn(t, cd))
	case pg.AlterTableType_AT_DropColumn:
		a.dropColumn(t, cmd.GetName(), at, cmd.GetMissingOk(), cascade)
	case pg.AlterTableType_AT_AddConstraint:
		a.addConstraints(t, []pendingConstraint{{con: cmd.GetDef().GetConstraint()}})
	case pg.AlterTableType_AT_DropConstraint:
		a.dropConstraint(t, cmd.GetName(), at, cascade)
	case pg.AlterTableType_AT_AlterColumnType:
		cd := cmd.GetDef().GetColumnDef()
		if col := a.column(t, cmd.GetName(), at, false); col != nil {
			var notNull bool
			col.Type, notNull = a.resolveType(cd.GetTypeName())
			col.NotNull = col.NotNull || notNull
		}
	case pg.AlterTableType_AT_SetNotNull:
		if col := a.column(t, cmd.GetName(), at, false); col != nil {
			col.NotNull = true
		}
	case pg.AlterTableType_AT_DropNotNull:
		col := a.column(t, cmd.GetName(), at, false)
		switch {
		case col == nil:
		case slices.Contains(t.PrimaryKey, col.Name):
			a.errorf(at, "column %q of table %q is in the primary key, so it cannot be null", col.Name, t.displayName())
		default:
			col.NotNull = false
		}
	}
}

// rename applies ALTER TABLE ... RENAME [COLUMN | CONSTRAINT] and ALTER TYPE
// | DOMAIN ... RENAME.
func (a *applier) rename(s *pg.RenameStmt) {
	switch s.GetRenameType() {
	case pg.ObjectType_OBJECT_TABLE:
		if t := a.table(rangeVarName(s.GetRelation()), s.GetMissingOk()); t != nil {
			a.moveTable(t, t.Schema, s.GetNewname(), a.locate(s.GetNewname(), -1))
		}
	case pg.ObjectType_OBJECT_COLUMN:
		if s.GetRelationType() != pg.ObjectType_OBJECT_TABLE {
			return
		}
		n := rangeVarName(s.GetRelation())
		if t := a.table(n, s.GetMissingOk()); t != nil {
			a.renameColumn(t, s.GetSubname(), s.GetNewname(), n.loc+1)
		}
	case pg.ObjectType_OBJECT_TABCONSTRAINT:
		t := a.table(rangeVarName(s.GetRelation()), s.GetMissingOk())
		if t == nil {
			return
		}
		for _, fk := range t.ForeignKeys {
			if foreignKeyName(t, fk) == s.GetSubname() {
				fk.Name = s.GetNewname()
			}
		}
	case pg.ObjectType_OBJECT_TYPE, pg.ObjectType_OBJECT_DOMAIN:
		a.renameType(a.listName(s.GetObject().GetList().GetItems()), s.GetNewname())
	}
}

// setSchema applies ALTER TABLE ... SET SCHEMA.
func (a *applier) setSchema(s *pg.AlterObjectSchemaStmt) {
	if s.GetObjectType() != pg.ObjectType_OBJECT_TABLE {
		return
	}
	if t := a.table(rangeVarName(s.GetRelation()), s.GetMissingOk()); t != nil {
		a.moveTable(t, s.GetNewschema(), t.Name, a.locate(s.GetNewschema(), -1))
	}
}

// moveTable renames t, and with it the foreign keys that reference it. loc
// is the new name's.
func (a *applier) moveTable(t *Table, schema, name string, loc int32) {
	to := objName{schema: schema, name: name}
	if a.c.Tables[to.key()] != nil {
		a.errorf(loc, "table %q already exists", displayName(schema, name))
		return
	}
	from := t.QualifiedName()
	delete(a.c.Tables, from)
	t.Schema, t.Name = schema, name
	a.c.Tables[to.key()] = t
	for _, other := range a.c.Tables {
		for _, fk := range other.ForeignKeys {
			if fk.RefTable == from {
				fk.RefTable = to.key()
			}
		}
	}
}

// renameColumn renames a column of t and every key that names it, its own
// and those of the foreign keys that reference it.
func (a *applier) renameColumn(t *Table, from, to string, after int32) {
	col := a.column(t, from, a.locate(from, after), false)
	if col == nil {
		return
	}
	if t.Column(to) != nil {
		a.errorf(a.locate(to, a.locate(from, after)+1), "column %q of table %q already exists", to, t.displayName())
		return
	}
	col.Name = to
	rename := func(cols []string) {
		for i, c := range cols {
			if c == from {
				cols[i] = to
			}
		}
	}
	rename(t.PrimaryKey)
	for _, u := range t.Uniques {
		rename(u)
	}
	for _, fk := range t.ForeignKeys {
		rename(fk.Columns)
	}
	for _, other := range a.c.Tables {
		for _, fk := range other.ForeignKeys {
			if fk.RefTable == t.QualifiedName() {
				rename(fk.RefColumns)
			}
		}
	}
	for _, idx := range a.indexes {
		if idx.table == t {
			rename(idx.cols)
		}
	}
}
