package schema

import (
	"slices"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// likeIncludingIndexes is CREATE_TABLE_LIKE_INDEXES of PostgreSQL's
// TableLikeOption: LIKE ... INCLUDING INDEXES (or ALL) copies the primary key
// and unique constraints.
const likeIncludingIndexes = 1 << 6

// A pendingConstraint is a key constraint waiting for every column of its
// table to exist. column is set for one written inline in a column
// definition, where the constraint names no columns itself.
type pendingConstraint struct {
	con    *pg.Constraint
	column string
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
	t := &Table{Schema: n.schema, Name: n.name, Pos: a.pos(a.stmt)}
	for _, p := range s.GetInhRelations() {
		if parent := a.table(rangeVarName(p.GetRangeVar()), false); parent != nil {
			// A partition also gets its parent's keys; an INHERITS child
			// only the columns.
			part := s.GetPartbound() != nil
			a.copyColumns(t, parent, part, part)
		}
	}
	var pending []pendingConstraint
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
				a.copyColumns(t, src, like.GetOptions()&likeIncludingIndexes != 0, false)
			}
		}
	}
	// The table exists before its constraints so that a foreign key can
	// reference the table itself (category.parent_id -> category).
	a.c.Tables[n.key()] = t
	a.addConstraints(t, pending)
}

// copyColumns adds to t the columns of src it does not have yet; with keys
// also src's primary key and unique constraints, with fks its foreign keys.
func (a *applier) copyColumns(t, src *Table, keys, fks bool) {
	for _, c := range src.Columns {
		if t.Column(c.Name) == nil {
			cc := *c
			t.Columns = append(t.Columns, &cc)
		}
	}
	if keys {
		if len(t.PrimaryKey) == 0 {
			t.PrimaryKey = slices.Clone(src.PrimaryKey)
		}
		for _, u := range src.Uniques {
			t.Uniques = append(t.Uniques, slices.Clone(u))
		}
	}
	if fks {
		for _, fk := range src.ForeignKeys {
			c := *fk
			c.Columns, c.RefColumns = slices.Clone(fk.Columns), slices.Clone(fk.RefColumns)
			t.ForeignKeys = append(t.ForeignKeys, &c)
		}
	}
}

// addColumn adds the column cd defines to t and returns its key constraints,
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
		// A local definition of an inherited column merges with it.
		col.Type, _ = a.resolveType(cd.GetTypeName())
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
		case pg.ConstrType_CONSTR_PRIMARY, pg.ConstrType_CONSTR_UNIQUE, pg.ConstrType_CONSTR_FOREIGN:
			pending = append(pending, pendingConstraint{con: con, column: col.Name})
		}
	}
	return pending
}

// addConstraints adds key constraints to t: the primary key and unique
// constraints first, since a foreign key to t itself may reference them.
func (a *applier) addConstraints(t *Table, pending []pendingConstraint) {
	for _, p := range pending {
		if p.con.GetContype() != pg.ConstrType_CONSTR_FOREIGN {
			a.addConstraint(t, p)
		}
	}
	for _, p := range pending {
		if p.con.GetContype() == pg.ConstrType_CONSTR_FOREIGN {
			a.addConstraint(t, p)
		}
	}
}

// addConstraint adds one constraint to t. CHECK, EXCLUDE and the like do not
// concern the catalog.
func (a *applier) addConstraint(t *Table, p pendingConstraint) {
	con := p.con
	switch con.GetContype() {
	case pg.ConstrType_CONSTR_PRIMARY, pg.ConstrType_CONSTR_UNIQUE:
		cols, ok := a.keyColumns(t, p)
		if !ok {
			return
		}
		if con.GetContype() == pg.ConstrType_CONSTR_UNIQUE {
			t.Uniques = append(t.Uniques, cols)
			return
		}
		if len(t.PrimaryKey) > 0 {
			a.errorf(con.GetLocation(), "multiple primary keys for table %q are not allowed", t.displayName())
			return
		}
		t.PrimaryKey = cols
		for _, name := range cols {
			t.Column(name).NotNull = true
		}
	case pg.ConstrType_CONSTR_FOREIGN:
		if fk := a.foreignKey(t, p); fk != nil {
			t.ForeignKeys = append(t.ForeignKeys, fk)
		}
	}
}

// keyColumns returns the columns of a PRIMARY KEY or UNIQUE constraint and
// whether they are all columns of t, each named once.
func (a *applier) keyColumns(t *Table, p pendingConstraint) ([]string, bool) {
	con := p.con
	cols := strs(con.GetKeys())
	switch {
	case con.GetIndexname() != "":
		// ADD CONSTRAINT ... USING INDEX turns an existing unique index into
		// the constraint; its columns are only known if it was created here.
		key := objName{schema: t.Schema, name: con.GetIndexname()}.key()
		idx, ok := a.indexes[key]
		if !ok || idx.table != t {
			a.errorf(con.GetLocation(), "unique index %q of table %q must be created in the same file to be used by a constraint", con.GetIndexname(), t.displayName())
			return nil, false
		}
		// The index becomes the constraint's: it is no longer a unique
		// constraint of its own, nor can it be dropped as an index.
		idx.drop()
		delete(a.indexes, key)
		cols = slices.Clone(idx.cols)
	case len(cols) == 0:
		cols = []string{p.column}
	}
	if !a.columnsExist(t, cols, con.GetLocation()) {
		return nil, false
	}
	for i, c := range cols {
		if slices.Contains(cols[:i], c) {
			a.errorf(con.GetLocation(), "column %q appears twice in a key of table %q", c, t.displayName())
			return nil, false
		}
	}
	return cols, true
}

// foreignKey checks a FOREIGN KEY or REFERENCES constraint of t and returns
// it, or nil after reporting why it is wrong. Without a column list, it
// references the referenced table's primary key.
func (a *applier) foreignKey(t *Table, p pendingConstraint) *ForeignKey {
	con := p.con
	cols := strs(con.GetFkAttrs())
	if len(cols) == 0 {
		cols = []string{p.column}
	}
	ok := a.columnsExist(t, cols, con.GetLocation())
	refName := rangeVarName(con.GetPktable())
	ref := a.table(refName, false)
	if ref == nil || !ok {
		return nil
	}
	refCols := strs(con.GetPkAttrs())
	if len(refCols) == 0 {
		if len(ref.PrimaryKey) == 0 {
			a.errorf(refName.loc, "referenced table %q has no primary key", ref.displayName())
			return nil
		}
		refCols = slices.Clone(ref.PrimaryKey)
	} else if !a.columnsExist(ref, refCols, refName.loc) {
		return nil
	}
	if len(cols) != len(refCols) {
		a.errorf(con.GetLocation(), "foreign key has %d columns but references %d", len(cols), len(refCols))
		return nil
	}
	if !ref.IsUnique(refCols) {
		a.errorf(refName.loc, "columns (%s) of table %q are neither its primary key nor unique, so a foreign key cannot reference them",
			strings.Join(refCols, ", "), ref.displayName())
		return nil
	}
	return &ForeignKey{
		Name:       con.GetConname(),
		Columns:    cols,
		RefTable:   ref.QualifiedName(),
		RefColumns: refCols,
		Pos:        a.at(con.GetLocation()),
		Declared:   true,
	}
}

// createIndex records a unique index on plain columns as a unique
// constraint. Other indexes, and partial or expression unique indexes (they
// do not make the columns unique across all rows), do not concern the
// catalog.
func (a *applier) createIndex(s *pg.IndexStmt) {
	if !s.GetUnique() || s.GetWhereClause() != nil {
		return
	}
	var cols []string
	for _, p := range s.GetIndexParams() {
		e := p.GetIndexElem()
		if e.GetName() == "" {
			return
		}
		cols = append(cols, e.GetName())
	}
	n := rangeVarName(s.GetRelation())
	t := a.table(n, false)
	if t == nil || !a.columnsExist(t, cols, n.loc) {
		return
	}
	if s.GetIdxname() != "" {
		a.indexes[objName{schema: t.Schema, name: s.GetIdxname()}.key()] = uniqueIndex{t, cols}
	}
	t.Uniques = append(t.Uniques, slices.Clone(cols))
}
