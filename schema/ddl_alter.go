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
	pg.AlterTableType_AT_AttachPartition: true,
	pg.AlterTableType_AT_DetachPartition: true,
	pg.AlterTableType_AT_AddInherit:      true,
	pg.AlterTableType_AT_DropInherit:     true,
}

func (a *applier) alterTable(s *pg.AlterTableStmt) {
	if s.GetObjtype() != pg.ObjectType_OBJECT_TABLE {
		return // ALTER INDEX, SEQUENCE, VIEW, ... share the statement
	}
	if !slices.ContainsFunc(s.GetCmds(), func(c *pg.Node) bool { return catalogActions[c.GetAlterTableCmd().GetSubtype()] }) {
		return
	}
	n := rangeVarName(s.GetRelation())
	if a.c.Views[n.key()] != nil {
		return // a table created AS a query: its columns are unknown
	}
	t := a.table(n, s.GetMissingOk())
	if t == nil {
		return
	}
	for _, c := range s.GetCmds() {
		a.alterTableCmd(t, c.GetAlterTableCmd(), n.loc+1, s.GetRelation().GetInh())
	}
}

// alterTableCmd applies one action of an ALTER TABLE, to the tables that
// inherit from t too unless ONLY (recurse false). The actions carry no
// location: errors point at the first mention of the column after the
// table's name (from).
func (a *applier) alterTableCmd(t *Table, cmd *pg.AlterTableCmd, from int32, recurse bool) {
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
		if !recurse && len(a.children(t)) > 0 {
			a.errorf(cd.GetLocation(), "column %q must be added to the tables that inherit from %q too (no ONLY)", cd.GetColname(), t.displayName())
			return
		}
		pending := a.addColumn(t, cd)
		if recurse {
			a.inheritColumn(t, t.Column(cd.GetColname()))
		}
		a.addConstraints(t, pending, recurse)
	case pg.AlterTableType_AT_DropColumn:
		if !recurse && len(a.partitions(t)) > 0 {
			a.errorf(at, "cannot drop column %q from only table %q: its partitions have it too (no ONLY)", cmd.GetName(), t.displayName())
			return
		}
		a.dropColumn(t, cmd.GetName(), at, cmd.GetMissingOk(), cascade, recurse)
	case pg.AlterTableType_AT_AddConstraint:
		a.addConstraints(t, []pendingConstraint{{con: cmd.GetDef().GetConstraint()}}, recurse)
	case pg.AlterTableType_AT_AttachPartition:
		if part := a.table(rangeVarName(cmd.GetDef().GetPartitionCmd().GetName()), false); part != nil {
			a.attachPartition(t, part)
		}
	case pg.AlterTableType_AT_DetachPartition:
		if part := a.table(rangeVarName(cmd.GetDef().GetPartitionCmd().GetName()), false); part != nil {
			a.detach(t, part)
		}
	case pg.AlterTableType_AT_AddInherit:
		if parent := a.table(rangeVarName(cmd.GetDef().GetRangeVar()), false); parent != nil && parent != t &&
			!containsStr(t.Inherits, parent.QualifiedName()) && !slices.Contains(a.descendants(t), parent) {
			t.Inherits = append(t.Inherits, parent.QualifiedName())
		}
	case pg.AlterTableType_AT_DropInherit:
		if parent := a.table(rangeVarName(cmd.GetDef().GetRangeVar()), false); parent != nil {
			a.detach(parent, t)
		}
	case pg.AlterTableType_AT_DropConstraint:
		a.dropConstraint(t, cmd.GetName(), at, cmd.GetMissingOk(), cascade, recurse)
	case pg.AlterTableType_AT_AlterColumnType:
		cd := cmd.GetDef().GetColumnDef()
		if col := a.column(t, cmd.GetName(), at, false); col != nil {
			typ, notNull := a.resolveType(cd.GetTypeName())
			for _, c := range a.inheritedColumns(t, col, recurse) {
				c.Type, c.NotNull = typ, c.NotNull || notNull
			}
		}
	case pg.AlterTableType_AT_SetNotNull:
		if col := a.column(t, cmd.GetName(), at, false); col != nil {
			for _, c := range a.inheritedColumns(t, col, recurse) {
				c.NotNull = true
			}
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

// inheritedColumns returns col of t and, with recurse, the columns of the
// same name of the tables that inherit from t: PostgreSQL changes them
// together.
func (a *applier) inheritedColumns(t *Table, col *Column, recurse bool) []*Column {
	cols := []*Column{col}
	if recurse {
		for _, d := range a.descendants(t) {
			if c := d.Column(col.Name); c != nil {
				cols = append(cols, c)
			}
		}
	}
	return cols
}

// inheritColumn gives the tables that inherit from t the column just added
// to t; one that has a column of the name already keeps it.
func (a *applier) inheritColumn(t *Table, col *Column) {
	if col == nil {
		return
	}
	for _, d := range a.descendants(t) {
		if d.Column(col.Name) == nil {
			c := *col
			c.inherited = true
			d.Columns = append(d.Columns, &c)
		}
	}
}

// rename applies ALTER TABLE | VIEW | INDEX ... RENAME [COLUMN |
// CONSTRAINT] and ALTER TYPE | DOMAIN ... RENAME. ALTER TABLE renames any
// relation, views and indexes too.
func (a *applier) rename(s *pg.RenameStmt) {
	switch s.GetRenameType() {
	case pg.ObjectType_OBJECT_TABLE, pg.ObjectType_OBJECT_VIEW, pg.ObjectType_OBJECT_MATVIEW, pg.ObjectType_OBJECT_INDEX:
		n := rangeVarName(s.GetRelation())
		to := a.locate(s.GetNewname(), n.loc+1)
		if v := a.c.Views[n.key()]; v != nil {
			a.moveView(v, v.Schema, s.GetNewname(), to)
			return
		}
		if a.renameIndex(n, s.GetNewname()) || s.GetRenameType() != pg.ObjectType_OBJECT_TABLE {
			return // views and indexes the catalog does not know are no error
		}
		if t := a.table(n, s.GetMissingOk()); t != nil {
			a.moveTable(t, t.Schema, s.GetNewname(), to)
		}
	case pg.ObjectType_OBJECT_COLUMN:
		n := rangeVarName(s.GetRelation())
		if s.GetRelationType() != pg.ObjectType_OBJECT_TABLE || a.c.Views[n.key()] != nil {
			return
		}
		t := a.table(n, s.GetMissingOk())
		switch {
		case t == nil:
		case !s.GetRelation().GetInh() && len(a.children(t)) > 0 && t.Column(s.GetSubname()) != nil:
			a.errorf(a.locate(s.GetSubname(), n.loc+1), "column %q must be renamed in the tables that inherit from %q too (no ONLY)", s.GetSubname(), t.displayName())
		default:
			a.renameColumn(t, s.GetSubname(), s.GetNewname(), n.loc+1)
		}
	case pg.ObjectType_OBJECT_TABCONSTRAINT:
		n := rangeVarName(s.GetRelation())
		if t := a.table(n, s.GetMissingOk()); t != nil {
			a.renameConstraint(t, s.GetSubname(), s.GetNewname(), n.loc+1)
		}
	case pg.ObjectType_OBJECT_TYPE, pg.ObjectType_OBJECT_DOMAIN:
		a.renameType(a.listName(s.GetObject().GetList().GetItems()), s.GetNewname())
	}
}

// renameConstraint applies ALTER TABLE ... RENAME CONSTRAINT. A primary key
// or unique constraint shares its name with its index, which is renamed
// too.
func (a *applier) renameConstraint(t *Table, from, to string, after int32) {
	at := a.locate(from, after)
	if !t.hasConstraint(from) {
		a.errorf(at, "constraint %q of table %q does not exist", from, t.displayName())
		return
	}
	index := t.PrimaryKeyName == from || slices.ContainsFunc(t.Uniques, func(u *Unique) bool { return u.Name == from })
	if i := t.otherIndex(from); i >= 0 {
		index = true
	}
	if a.nameTaken(t, to, index, a.locate(to, at+1)) {
		return
	}
	if t.PrimaryKeyName == from {
		t.PrimaryKeyName = to
	}
	for _, u := range t.Uniques {
		if u.Name == from {
			u.Name = to
		}
	}
	for _, fk := range t.ForeignKeys {
		if fk.Name == from {
			fk.Name = to
		}
	}
	if i := t.check(from); i >= 0 {
		// Inherited checks keep the name of their parent's; copies of keys
		// and foreign keys in partitions keep theirs.
		t.checks[i].name = to
		for _, d := range a.descendants(t) {
			if j := d.check(from); j >= 0 && d.check(to) < 0 {
				d.checks[j].name = to
			}
		}
	}
	if i := t.otherIndex(from); i >= 0 {
		t.indexes[i].name = to
	}
}

// setSchema applies ALTER TABLE | VIEW ... SET SCHEMA. A table's indexes
// and constraints go with it.
func (a *applier) setSchema(s *pg.AlterObjectSchemaStmt) {
	switch s.GetObjectType() {
	case pg.ObjectType_OBJECT_TABLE, pg.ObjectType_OBJECT_VIEW, pg.ObjectType_OBJECT_MATVIEW:
	default:
		return
	}
	n := rangeVarName(s.GetRelation())
	to := a.locate(s.GetNewschema(), -1)
	if v := a.c.Views[n.key()]; v != nil {
		a.moveView(v, s.GetNewschema(), v.Name, to)
		return
	}
	if s.GetObjectType() != pg.ObjectType_OBJECT_TABLE {
		return
	}
	if t := a.table(n, s.GetMissingOk()); t != nil {
		a.moveTable(t, s.GetNewschema(), t.Name, to)
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
	if a.c.relationExists(schema, name) {
		a.errorf(loc, "relation %q already exists", displayName(schema, name))
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
		for i, p := range other.Inherits {
			if p == from {
				other.Inherits[i] = to.key()
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
		rename(u.Columns)
	}
	for _, x := range t.indexes {
		rename(x.cols)
	}
	for _, c := range t.checks {
		rename(c.cols)
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
	// The column of the tables that inherit from t is the same column.
	for _, child := range a.children(t) {
		if child.Column(from) != nil {
			a.renameColumn(child, from, to, after)
		}
	}
}
