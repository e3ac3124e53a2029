package schema

import (
	"slices"
	"strconv"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// A dependent is a foreign key that stops a drop without CASCADE.
type dependent struct {
	table *Table
	fk    *ForeignKey
}

// dependents returns the foreign keys, of any table but those in skip, that
// reference t on a set of columns for which match is true; in table order,
// so that errors and cascades are deterministic.
func (a *applier) dependents(t *Table, skip map[*Table]bool, match func(refCols []string) bool) []dependent {
	var deps []dependent
	for _, k := range sortedKeys(a.c.Tables) {
		other := a.c.Tables[k]
		if skip[other] {
			continue
		}
		for _, fk := range other.ForeignKeys {
			if fk.RefTable == t.QualifiedName() && match(fk.RefColumns) {
				deps = append(deps, dependent{other, fk})
			}
		}
	}
	return deps
}

// blocked reports an error and returns true when deps stop dropping what
// (a "table ..." or "column ..." phrase) without CASCADE; with CASCADE it
// drops the dependent foreign keys and returns false.
func (a *applier) blocked(what string, loc int32, deps []dependent, cascade bool) bool {
	if len(deps) == 0 {
		return false
	}
	if !cascade {
		d := deps[0]
		a.errorf(loc, "cannot drop %s: foreign key %q of table %q depends on it; use CASCADE to drop it too",
			what, d.fk.Name, d.table.displayName())
		return true
	}
	for _, d := range deps {
		d.table.ForeignKeys = slices.DeleteFunc(d.table.ForeignKeys, func(fk *ForeignKey) bool { return fk == d.fk })
	}
	return false
}

func (a *applier) drop(s *pg.DropStmt) {
	cascade := s.GetBehavior() == pg.DropBehavior_DROP_CASCADE
	switch s.GetRemoveType() {
	case pg.ObjectType_OBJECT_TABLE:
		a.dropTables(s, cascade)
	case pg.ObjectType_OBJECT_INDEX:
		a.dropIndexes(s, cascade)
	case pg.ObjectType_OBJECT_VIEW, pg.ObjectType_OBJECT_MATVIEW:
		a.dropViews(s)
	case pg.ObjectType_OBJECT_TYPE, pg.ObjectType_OBJECT_DOMAIN:
		for _, o := range s.GetObjects() {
			tn := o.GetTypeName()
			n := a.listName(tn.GetNames())
			n.loc = tn.GetLocation()
			a.dropType(n, cascade)
		}
	}
}

// dropTables applies DROP TABLE. Foreign keys between the dropped tables do
// not stop the drop; those of other tables need CASCADE, which drops them.
// Partitions go with their table; tables that inherit from a dropped one
// need CASCADE.
func (a *applier) dropTables(s *pg.DropStmt, cascade bool) {
	drop := map[*Table]bool{}
	var order []*Table
	var locs []int32
	for _, o := range s.GetObjects() {
		n := a.listName(o.GetList().GetItems())
		if v := a.c.Views[n.key()]; v != nil && v.Kind == "table" {
			delete(a.c.Views, n.key())
			continue
		}
		if t := a.table(n, s.GetMissingOk()); t != nil && !drop[t] {
			drop[t] = true
			order = append(order, t)
			locs = append(locs, n.loc)
		}
	}
	for i := 0; i < len(order); i++ {
		for _, c := range a.children(order[i]) {
			if drop[c] {
				continue
			}
			if !c.Partition && !cascade {
				a.errorf(locs[i], "cannot drop table %q: table %q inherits from it; use CASCADE to drop it too", order[i].displayName(), c.displayName())
				return
			}
			drop[c] = true
			order = append(order, c)
			locs = append(locs, locs[i])
		}
	}
	for i, t := range order {
		all := func([]string) bool { return true }
		if a.blocked("table "+strconv.Quote(t.displayName()), locs[i], a.dependents(t, drop, all), cascade) {
			return
		}
	}
	for _, t := range order {
		delete(a.c.Tables, t.QualifiedName())
	}
}

// dropColumn applies ALTER TABLE ... DROP COLUMN. The table's own keys that
// use the column go with it, as in PostgreSQL; foreign keys of other tables
// that reference it need CASCADE. Child tables lose the column too unless
// they define it themselves or have it from another parent, or the drop is
// ONLY (recurse false).
func (a *applier) dropColumn(t *Table, name string, loc int32, missingOK, cascade, recurse bool) {
	if a.column(t, name, loc, missingOK) == nil {
		return
	}
	uses := func(cols []string) bool { return slices.Contains(cols, name) }
	// A self-reference (category.parent_id -> category.id) is a dependent
	// like any other when the referenced column goes.
	if a.blocked("column "+strconv.Quote(name)+" of table "+strconv.Quote(t.displayName()), loc, a.dependents(t, nil, uses), cascade) {
		return
	}
	t.Columns = slices.DeleteFunc(t.Columns, func(c *Column) bool { return c.Name == name })
	if uses(t.PrimaryKey) {
		t.PrimaryKey, t.PrimaryKeyName = nil, ""
	}
	t.Uniques = slices.DeleteFunc(t.Uniques, func(u *Unique) bool { return uses(u.Columns) })
	t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(fk *ForeignKey) bool { return uses(fk.Columns) })
	t.indexes = slices.DeleteFunc(t.indexes, func(x otherIndex) bool { return uses(x.cols) })
	t.checks = slices.DeleteFunc(t.checks, func(x check) bool { return uses(x.cols) })
	for _, child := range a.children(t) {
		c := child.Column(name)
		switch {
		case c == nil || a.inheritsColumn(child, name):
		case recurse && c.inherited:
			a.dropColumn(child, name, loc, true, cascade, true)
		default:
			c.inherited = false // ONLY: the child keeps the column, now its own
		}
	}
}

// inheritsColumn reports whether a parent of t still has the column.
func (a *applier) inheritsColumn(t *Table, name string) bool {
	for _, p := range t.Inherits {
		if parent := a.c.Tables[p]; parent != nil && parent.Column(name) != nil {
			return true
		}
	}
	return false
}

// dropConstraint applies ALTER TABLE ... DROP CONSTRAINT, to t and to the
// copies its partitions and children have; with ONLY (recurse false) the
// children keep their inherited checks. An unknown name is an error unless
// missingOK (IF EXISTS).
func (a *applier) dropConstraint(t *Table, name string, loc int32, missingOK, cascade, recurse bool) {
	what := "constraint " + strconv.Quote(name) + " of table " + strconv.Quote(t.displayName())
	if !recurse && t.hasConstraint(name) && len(a.partitions(t)) > 0 {
		a.errorf(loc, "cannot drop %s from it only: its partitions have it too (no ONLY)", what)
		return
	}
	if i := slices.IndexFunc(t.ForeignKeys, func(fk *ForeignKey) bool { return fk.Name == name }); i >= 0 {
		fk := t.ForeignKeys[i]
		t.ForeignKeys = slices.Delete(t.ForeignKeys, i, i+1)
		a.dropClones(t, func(c *Table) {
			c.ForeignKeys = slices.DeleteFunc(c.ForeignKeys, func(x *ForeignKey) bool {
				return slices.Equal(x.Columns, fk.Columns) && x.RefTable == fk.RefTable && slices.Equal(x.RefColumns, fk.RefColumns)
			})
		})
		return
	}
	if len(t.PrimaryKey) > 0 && name == t.PrimaryKeyName {
		if !a.blocked(what, loc, a.keyDependents(t, t.PrimaryKey, -1), cascade) {
			t.PrimaryKey, t.PrimaryKeyName = nil, ""
			a.dropClones(t, func(c *Table) { c.PrimaryKey, c.PrimaryKeyName = nil, "" })
		}
		return
	}
	if i := slices.IndexFunc(t.Uniques, func(u *Unique) bool { return !u.Index && u.Name == name }); i >= 0 {
		cols := t.Uniques[i].Columns
		if !a.blocked(what, loc, a.keyDependents(t, cols, i), cascade) {
			t.Uniques = slices.Delete(t.Uniques, i, i+1)
			a.dropClones(t, func(c *Table) {
				if j := slices.IndexFunc(c.Uniques, func(u *Unique) bool { return !u.Index && slices.Equal(u.Columns, cols) }); j >= 0 {
					c.Uniques = slices.Delete(c.Uniques, j, j+1)
				}
			})
		}
		return
	}
	if i := t.check(name); i >= 0 {
		t.checks = slices.Delete(t.checks, i, i+1)
		for _, c := range a.descendants(t) {
			if !recurse {
				break
			}
			c.checks = slices.DeleteFunc(c.checks, func(x check) bool { return x.name == name })
		}
		return
	}
	if i := t.otherIndex(name); i >= 0 && t.indexes[i].constraint {
		t.indexes = slices.Delete(t.indexes, i, i+1)
		return
	}
	if !missingOK {
		a.errorf(loc, "constraint %q of table %q does not exist", name, t.displayName())
	}
}

// dropClones applies drop to the partitions of t, which have copies of its
// keys and foreign keys.
func (a *applier) dropClones(t *Table, drop func(*Table)) {
	for _, p := range a.partitions(t) {
		drop(p)
		a.dropClones(p, drop)
	}
}

// keyDependents returns the foreign keys that reference exactly the columns
// of a key of t that is about to go (the unique constraint at index unique,
// or the primary key for -1), unless another key of t still covers them.
func (a *applier) keyDependents(t *Table, cols []string, unique int) []dependent {
	if unique >= 0 && sameSet(t.PrimaryKey, cols) {
		return nil
	}
	for i, u := range t.Uniques {
		if i != unique && sameSet(u.Columns, cols) {
			return nil
		}
	}
	return a.dependents(t, nil, func(ref []string) bool { return sameSet(ref, cols) })
}

// dropType applies DROP TYPE and DROP DOMAIN to enums and domains. Columns of
// the type need CASCADE, which drops them. Other types (composite, range) are
// not in the catalog, so dropping an unknown type is not an error.
func (a *applier) dropType(n objName, cascade bool) {
	key := n.key()
	if a.c.Enums[key] == nil && a.c.Domains[key] == nil {
		return
	}
	uses := func(typ Type) bool { return typ.Name == key || typ.Domain == key }
	for _, dk := range sortedKeys(a.c.Domains) {
		if d := a.c.Domains[dk]; uses(d.Base) {
			if !cascade {
				a.errorf(n.loc, "cannot drop type %q: domain %q uses it; use CASCADE to drop it too", n, displayName(d.Schema, d.Name))
				return
			}
			a.dropType(objName{schema: d.Schema, name: d.Name, loc: n.loc}, true)
		}
	}
	for _, tk := range sortedKeys(a.c.Tables) {
		t := a.c.Tables[tk]
		for _, c := range slices.Clone(t.Columns) {
			if !uses(c.Type) {
				continue
			}
			if !cascade {
				a.errorf(n.loc, "cannot drop type %q: column %q of table %q uses it; use CASCADE to drop it too", n, c.Name, t.displayName())
				return
			}
			a.dropColumn(t, c.Name, n.loc, false, true, true)
		}
	}
	delete(a.c.Enums, key)
	delete(a.c.Domains, key)
}
