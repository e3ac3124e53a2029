package schema

import (
	"fmt"
	"slices"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// addConstraints adds constraints to t in the order PostgreSQL creates
// them, which decides the names it picks: checks, then the primary key, then
// unique and exclusion constraints, then foreign keys (which may reference
// the keys before them). With recurse (no ONLY), the tables that inherit
// from t get them too, as far as PostgreSQL gives them.
func (a *applier) addConstraints(t *Table, pending []pendingConstraint, recurse bool) {
	var checks, pks, keys, fks []pendingConstraint
	for _, p := range pending {
		switch p.con.GetContype() {
		case pg.ConstrType_CONSTR_CHECK:
			checks = append(checks, p)
		case pg.ConstrType_CONSTR_PRIMARY:
			pks = append(pks, p)
		case pg.ConstrType_CONSTR_UNIQUE, pg.ConstrType_CONSTR_EXCLUSION:
			keys = append(keys, p)
		case pg.ConstrType_CONSTR_FOREIGN:
			fks = append(fks, p)
		}
	}
	for _, p := range checks {
		a.addCheck(t, p, recurse)
	}
	for _, p := range mergeDuplicateKeys(append(pks, keys...)) {
		a.addIndexConstraint(t, p, recurse)
	}
	for _, p := range fks {
		if fk := a.foreignKey(t, p); fk != nil {
			t.ForeignKeys = append(t.ForeignKeys, fk)
			for _, part := range a.partitionsIf(t, recurse) {
				a.cloneForeignKey(part, fk)
			}
		}
	}
}

// mergeDuplicateKeys drops a UNIQUE or EXCLUDE constraint that repeats the
// primary key or an earlier one of the same statement ("id int PRIMARY KEY
// UNIQUE"), as PostgreSQL does; a name it has goes to the key it repeats if
// that has none.
func mergeDuplicateKeys(keys []pendingConstraint) []pendingConstraint {
	var out []pendingConstraint
	var specs []string
	for _, p := range keys {
		con := p.con
		spec := ""
		switch {
		case con.GetContype() == pg.ConstrType_CONSTR_EXCLUSION:
			var elems []string
			for _, x := range con.GetExclusions() {
				if items := x.GetList().GetItems(); len(items) == 2 {
					elems = append(elems, elemName(items[0].GetIndexElem()), strings.Join(strs(items[1].GetList().GetItems()), "."))
				}
			}
			spec = fmt.Sprint("exclude", con.GetAccessMethod(), elems, con.GetWhereClause() != nil, con.GetDeferrable(), con.GetInitdeferred())
		case con.GetIndexname() == "":
			cols := strs(con.GetKeys())
			if len(cols) == 0 {
				cols = []string{p.column}
			}
			spec = fmt.Sprint(cols, strs(con.GetIncluding()), con.GetDeferrable(), con.GetInitdeferred(), con.GetNullsNotDistinct())
		}
		if i := slices.Index(specs, spec); spec != "" && i >= 0 && con.GetContype() != pg.ConstrType_CONSTR_PRIMARY {
			if out[i].constraintName() == "" {
				out[i].name = con.GetConname()
			}
			continue
		}
		out = append(out, p)
		specs = append(specs, spec)
	}
	return out
}

// constraintName is the name the DDL gives the constraint, or "".
func (p pendingConstraint) constraintName() string {
	if p.name != "" {
		return p.name
	}
	return p.con.GetConname()
}

// nameTaken reports an error and returns true when an explicit constraint
// name is already used: by a constraint of t, or (for a constraint with an
// index) by a relation of t's schema.
func (a *applier) nameTaken(t *Table, name string, index bool, loc int32) bool {
	switch {
	case t.hasConstraint(name):
		a.errorf(loc, "constraint %q for relation %q already exists", name, t.displayName())
	case index && a.c.relationExists(t.Schema, name):
		a.errorf(loc, "relation %q already exists", name)
	default:
		return false
	}
	return true
}

// addCheck records the name of a CHECK constraint. PostgreSQL names an
// unnamed one after the column its expression uses, if just one.
func (a *applier) addCheck(t *Table, p pendingConstraint, recurse bool) {
	name := p.constraintName()
	refs := columnRefs(p.con.GetRawExpr())
	if name != "" {
		if a.nameTaken(t, name, false, p.con.GetLocation()) {
			return
		}
	} else {
		name = a.c.chooseConstraintName(t, strings.Join(refs, ""), len(refs) == 1, "check")
	}
	c := check{name: name, cols: refs}
	t.checks = append(t.checks, c)
	if recurse && !p.con.GetIsNoInherit() {
		for _, child := range a.descendants(t) {
			if child.check(name) < 0 {
				child.checks = append(child.checks, check{name: name, cols: slices.Clone(refs)})
			}
		}
	}
}

// addIndexConstraint adds a PRIMARY KEY, UNIQUE or EXCLUDE constraint to t,
// and with recurse the keys to t's partitions, which get them too.
func (a *applier) addIndexConstraint(t *Table, p pendingConstraint, recurse bool) {
	con := p.con
	name := p.constraintName()
	// USING INDEX under the index's own name keeps the name it takes.
	if name != "" && name != con.GetIndexname() && a.nameTaken(t, name, true, con.GetLocation()) {
		return
	}
	switch con.GetContype() {
	case pg.ConstrType_CONSTR_EXCLUSION:
		var elems, cols []string
		for _, x := range con.GetExclusions() {
			if items := x.GetList().GetItems(); len(items) > 0 {
				e := items[0].GetIndexElem()
				elems = append(elems, elemName(e))
				if e.GetName() != "" {
					cols = append(cols, e.GetName())
				} else {
					cols = append(cols, columnRefs(e.GetExpr())...)
				}
			}
		}
		elems = indexColumnNames(elems)
		if name == "" {
			name = a.c.chooseIndexName(t.Schema, t.Name, nameAddition(elems), true, "excl", true)
		}
		t.indexes = append(t.indexes, otherIndex{name: name, elems: elems, cols: cols, constraint: true})
		return
	case pg.ConstrType_CONSTR_PRIMARY:
		if len(t.PrimaryKey) > 0 {
			a.errorf(con.GetLocation(), "multiple primary keys for table %q are not allowed", t.displayName())
			return
		}
	}
	cols, taken, ok := a.keyColumns(t, p)
	if !ok {
		return
	}
	if name == "" && taken != nil {
		name = taken.Name
	}
	if con.GetContype() == pg.ConstrType_CONSTR_UNIQUE {
		u := &Unique{Name: name, Columns: cols, elems: indexColumnNames(append(slices.Clone(cols), strs(con.GetIncluding())...))}
		if taken != nil {
			u.elems = taken.elems
		}
		if name == "" {
			u.Name = a.c.chooseIndexName(t.Schema, t.Name, nameAddition(u.elems), true, "key", true)
		}
		t.Uniques = append(t.Uniques, u)
		for _, part := range a.partitionsIf(t, recurse) {
			a.cloneKey(part, u, false)
		}
		return
	}
	if name == "" {
		name = a.c.chooseIndexName(t.Schema, t.Name, "", false, "pkey", true)
	}
	t.PrimaryKey, t.PrimaryKeyName = cols, name
	for _, c := range cols {
		t.Column(c).NotNull = true
	}
	for _, part := range a.partitionsIf(t, recurse) {
		a.cloneKey(part, &Unique{Columns: cols}, true)
	}
}

// cloneKey gives partition t, and its own partitions, the primary key (pk)
// or the unique constraint key that its parent just got.
func (a *applier) cloneKey(t *Table, key *Unique, pk bool) {
	cols := key.Columns
	if !a.columnsExist(t, cols, -1) {
		return
	}
	if !pk {
		a.addUnique(t, key, false)
	} else if len(t.PrimaryKey) == 0 {
		t.PrimaryKey = slices.Clone(cols)
		t.PrimaryKeyName = a.c.chooseIndexName(t.Schema, t.Name, "", false, "pkey", true)
		for _, c := range cols {
			t.Column(c).NotNull = true
		}
	}
	for _, part := range a.partitions(t) {
		a.cloneKey(part, key, pk)
	}
}

// keyColumns returns the columns of a PRIMARY KEY or UNIQUE constraint,
// the unique index it takes over (USING INDEX), if any, and whether they
// are all columns of t, each named once.
func (a *applier) keyColumns(t *Table, p pendingConstraint) (cols []string, taken *Unique, ok bool) {
	con := p.con
	cols = strs(con.GetKeys())
	switch {
	case con.GetIndexname() != "":
		taken = a.uniqueIndex(t, con.GetIndexname(), con.GetLocation())
		if taken == nil {
			return nil, nil, false
		}
		// The index becomes the constraint's: it is no longer a unique
		// index of its own, nor can it be dropped as an index.
		t.Uniques = slices.DeleteFunc(t.Uniques, func(x *Unique) bool { return x == taken })
		cols = taken.Columns
	case len(cols) == 0:
		cols = []string{p.column}
	}
	if !a.columnsExist(t, cols, con.GetLocation()) {
		return nil, nil, false
	}
	for i, c := range cols {
		if slices.Contains(cols[:i], c) {
			a.errorf(con.GetLocation(), "column %q appears twice in a key of table %q", c, t.displayName())
			return nil, nil, false
		}
	}
	return cols, taken, true
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
	name := p.constraintName()
	if name == "" {
		name = a.c.chooseConstraintName(t, nameAddition(cols), true, "fkey")
	} else if a.nameTaken(t, name, false, con.GetLocation()) {
		return nil
	}
	return &ForeignKey{
		Name:       name,
		Columns:    cols,
		RefTable:   ref.QualifiedName(),
		RefColumns: refCols,
		Pos:        a.at(con.GetLocation()),
		Declared:   true,
	}
}

// cloneForeignKey gives partition t, and its own partitions, a copy of its
// parent's foreign key fk, under fk's name unless t has a constraint of
// that name already.
func (a *applier) cloneForeignKey(t *Table, fk *ForeignKey) {
	if !a.columnsExist(t, fk.Columns, -1) {
		return
	}
	c := *fk
	c.Columns, c.RefColumns = slices.Clone(fk.Columns), slices.Clone(fk.RefColumns)
	if t.hasConstraint(c.Name) {
		c.Name = a.c.chooseConstraintName(t, nameAddition(c.Columns), true, "fkey")
	}
	t.ForeignKeys = append(t.ForeignKeys, &c)
	for _, part := range a.partitions(t) {
		a.cloneForeignKey(part, &c)
	}
}
