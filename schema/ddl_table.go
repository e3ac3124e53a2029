package schema

import (
	"slices"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// LIKE options (PostgreSQL's TableLikeOption): INCLUDING CONSTRAINTS copies
// CHECK constraints, INCLUDING INDEXES the primary key, unique constraints
// and indexes; INCLUDING ALL both.
const (
	likeIncludingConstraints = 1 << 2
	likeIncludingIndexes     = 1 << 6
)

// A pendingConstraint is a constraint waiting for every column of its
// table to exist. column is set for one written inline in a column
// definition, where the constraint names no columns itself. name, when
// set, overrides the constraint's own (PostgreSQL gives a duplicate UNIQUE's
// name to the key it merges into).
type pendingConstraint struct {
	con    *pg.Constraint
	column string
	name   string
}

func (a *applier) createTable(s *pg.CreateStmt) {
	rv := s.GetRelation()
	if rv.GetRelpersistence() == "t" {
		return // a temporary table is gone when the migration's session ends
	}
	n := rangeVarName(rv)
	if a.c.Tables[n.key()] != nil {
		if !s.GetIfNotExists() {
			a.errorf(n.loc, "table %q already exists", n)
		}
		return
	}
	if a.c.relationExists(n.schema, n.name) {
		if !s.GetIfNotExists() {
			a.errorf(n.loc, "relation %q already exists", n)
		}
		return
	}
	t := &Table{Schema: n.schema, Name: n.name, Pos: a.pos(a.stmt)}
	// Parents are looked up before the table exists: it cannot inherit from
	// itself.
	var parents []*Table
	for _, p := range s.GetInhRelations() {
		if parent := a.table(rangeVarName(p.GetRangeVar()), false); parent != nil && !slices.Contains(parents, parent) {
			parents = append(parents, parent)
		}
	}
	// The table exists before its constraints so that a foreign key can
	// reference the table itself (category.parent_id -> category), and so
	// that the names chosen for its constraints do not clash.
	a.c.Tables[n.key()] = t
	for _, parent := range parents {
		t.Inherits = append(t.Inherits, parent.QualifiedName())
		t.Partition = s.GetPartbound() != nil
		a.copyColumns(t, parent, true)
		a.copyChecks(t, parent)
		if t.Partition {
			// A partition also gets its parent's keys and foreign keys; an
			// INHERITS child only the columns and checks.
			a.copyKeys(t, parent)
			for _, fk := range parent.ForeignKeys {
				a.cloneForeignKey(t, fk)
			}
		}
	}
	var pending []pendingConstraint
	var likes []*pg.TableLikeClause
	local := map[string]bool{}
	for _, e := range s.GetTableElts() {
		switch e := e.GetNode().(type) {
		case *pg.Node_ColumnDef:
			cd := e.ColumnDef
			if local[cd.GetColname()] {
				a.errorf(cd.GetLocation(), "column %q specified more than once", cd.GetColname())
				continue
			}
			local[cd.GetColname()] = true
			pending = append(pending, a.addColumn(t, cd)...)
		case *pg.Node_Constraint:
			pending = append(pending, pendingConstraint{con: e.Constraint})
		case *pg.Node_TableLikeClause:
			like := e.TableLikeClause
			if src := a.table(rangeVarName(like.GetRelation()), false); src != nil {
				a.copyColumns(t, src, false)
				likes = append(likes, like)
			}
		}
	}
	a.addConstraints(t, pending, true)
	// PostgreSQL copies what LIKE includes after the table's own
	// constraints exist, which matters when their default names clash.
	for _, like := range likes {
		if src := a.table(rangeVarName(like.GetRelation()), true); src != nil {
			if like.GetOptions()&likeIncludingConstraints != 0 {
				a.copyChecks(t, src)
			}
			if like.GetOptions()&likeIncludingIndexes != 0 {
				a.copyKeys(t, src)
			}
		}
	}
}

// copyColumns adds to t the columns of src it does not have yet, inherited
// ones marked as such.
func (a *applier) copyColumns(t, src *Table, inherited bool) {
	for _, c := range src.Columns {
		if t.Column(c.Name) == nil {
			cc := *c
			cc.inherited = inherited
			t.Columns = append(t.Columns, &cc)
		}
	}
}

// copyChecks gives t the CHECK constraints of src, under their names.
func (a *applier) copyChecks(t, src *Table) {
	for _, c := range src.checks {
		if t.check(c.name) < 0 {
			t.checks = append(t.checks, check{name: c.name, cols: slices.Clone(c.cols)})
		}
	}
}

// copyKeys gives t copies of the primary key, unique constraints and
// indexes of src, named after t as PostgreSQL names them.
func (a *applier) copyKeys(t, src *Table) {
	if len(src.PrimaryKey) > 0 && len(t.PrimaryKey) == 0 {
		t.PrimaryKey = slices.Clone(src.PrimaryKey)
		t.PrimaryKeyName = a.c.chooseIndexName(t.Schema, t.Name, "", false, "pkey", true)
	}
	for _, u := range src.Uniques {
		a.addUnique(t, u, u.Index)
	}
	for _, x := range src.indexes {
		label := "idx"
		if x.constraint {
			label = "excl"
		}
		name := a.c.chooseIndexName(t.Schema, t.Name, nameAddition(x.elems), true, label, x.constraint)
		t.indexes = append(t.indexes, otherIndex{name: name, elems: slices.Clone(x.elems), cols: slices.Clone(x.cols), unique: x.unique, constraint: x.constraint})
	}
}

// addUnique gives t a copy of the unique constraint or index of another
// table, under the name PostgreSQL would choose; index says which t gets.
func (a *applier) addUnique(t *Table, src *Unique, index bool) {
	label := "key"
	if index {
		label = "idx"
	}
	elems := src.elems
	if elems == nil {
		elems = indexColumnNames(src.Columns)
	}
	name := a.c.chooseIndexName(t.Schema, t.Name, nameAddition(elems), true, label, !index)
	t.Uniques = append(t.Uniques, &Unique{Name: name, Columns: slices.Clone(src.Columns), Index: index, elems: slices.Clone(elems)})
}

// addColumn adds the column cd defines to t and returns its constraints,
// to be added once every column exists. A definition without a type (in a
// partition: "id WITH OPTIONS PRIMARY KEY") adds constraints to an
// inherited column.
func (a *applier) addColumn(t *Table, cd *pg.ColumnDef) []pendingConstraint {
	col := t.Column(cd.GetColname())
	switch {
	case cd.GetTypeName() == nil:
		if col == nil {
			a.column(t, cd.GetColname(), cd.GetLocation(), false)
			return nil
		}
	case col != nil:
		// A local definition of an inherited column merges with it, and
		// keeps it when the parent drops it.
		col.Type, _ = a.resolveType(cd.GetTypeName())
		col.inherited = false
	default:
		col = &Column{Name: cd.GetColname(), Pos: a.at(cd.GetLocation())}
		col.Type, col.NotNull = a.resolveType(cd.GetTypeName())
		t.Columns = append(t.Columns, col)
	}
	if cd.GetIsNotNull() {
		col.NotNull = true
	}
	var pending []pendingConstraint
	for _, n := range cd.GetConstraints() {
		con := n.GetConstraint()
		switch con.GetContype() {
		case pg.ConstrType_CONSTR_NOTNULL, pg.ConstrType_CONSTR_IDENTITY:
			// Identity columns are NOT NULL implicitly.
			col.NotNull = true
		case pg.ConstrType_CONSTR_PRIMARY, pg.ConstrType_CONSTR_UNIQUE, pg.ConstrType_CONSTR_FOREIGN, pg.ConstrType_CONSTR_CHECK:
			pending = append(pending, pendingConstraint{con: con, column: col.Name})
		}
	}
	return pending
}
