package schema

import (
	"slices"
	"strconv"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// createIndex records an index under its name, which later migrations use
// to drop it, rename it or turn it into a constraint. A unique index on
// plain columns without WHERE makes them unique like a UNIQUE constraint;
// other indexes (partial or expression ones do not make columns unique
// across all rows) are known by name only.
func (a *applier) createIndex(s *pg.IndexStmt) {
	n := rangeVarName(s.GetRelation())
	var elems []string
	plain := s.GetWhereClause() == nil
	cols := columnRefs(s.GetWhereClause())
	for _, p := range append(slices.Clone(s.GetIndexParams()), s.GetIndexIncludingParams()...) {
		e := p.GetIndexElem()
		elems = append(elems, elemName(e))
		plain = plain && e.GetName() != ""
		if e.GetName() != "" {
			cols = append(cols, e.GetName())
		} else {
			cols = append(cols, columnRefs(e.GetExpr())...)
		}
	}
	key := slices.Clone(elems[:min(len(elems), len(s.GetIndexParams()))])
	elems = indexColumnNames(elems)
	if v := a.c.Views[n.key()]; v != nil {
		// Materialized views have indexes, unique ones for REFRESH
		// CONCURRENTLY; only their names concern the catalog.
		if name, ok := a.indexName(s, v.Schema, v.Name, elems); ok {
			v.indexes = append(v.indexes, otherIndex{name: name, elems: elems, cols: cols, unique: s.GetUnique()})
		}
		return
	}
	t := a.table(n, false)
	if t == nil || plain && !a.columnsExist(t, key, n.loc) {
		return
	}
	name, ok := a.indexName(s, t.Schema, t.Name, elems)
	if !ok {
		return
	}
	x := otherIndex{name: name, elems: elems, cols: cols, unique: s.GetUnique()}
	a.addIndex(t, x, key, s.GetUnique() && plain)
	if !s.GetRelation().GetInh() {
		return // ON ONLY: the partitions get theirs when attached
	}
	var clone func(t *Table)
	clone = func(t *Table) {
		for _, part := range a.partitions(t) {
			name := a.c.chooseIndexName(part.Schema, part.Name, nameAddition(elems), true, "idx", false)
			x.name, x.elems, x.cols = name, slices.Clone(elems), slices.Clone(cols)
			a.addIndex(part, x, key, s.GetUnique() && plain)
			clone(part)
		}
	}
	clone(t)
}

// addIndex adds index x to t: as a unique one on the plain columns key
// with uniqueCols, else as one known by name only.
func (a *applier) addIndex(t *Table, x otherIndex, key []string, uniqueCols bool) {
	if uniqueCols {
		t.Uniques = append(t.Uniques, &Unique{Name: x.name, Columns: slices.Clone(key), Index: true, elems: x.elems})
	} else {
		t.indexes = append(t.indexes, x)
	}
}

// indexName returns the name of the index s creates on relation schema.rel,
// as written or as PostgreSQL picks it, and false when the name is taken
// (an error unless IF NOT EXISTS).
func (a *applier) indexName(s *pg.IndexStmt, schema, rel string, elems []string) (string, bool) {
	name := s.GetIdxname()
	if name == "" {
		return a.c.chooseIndexName(schema, rel, nameAddition(elems), true, "idx", false), true
	}
	if a.c.relationExists(schema, name) {
		if !s.GetIfNotExists() {
			a.errorf(a.locate(name, -1), "relation %q already exists", name)
		}
		return "", false
	}
	return name, true
}

// An indexRef is where an index name of a schema leads: the unique
// constraint or index of a table, its primary key, one of its other
// indexes, or an index of a view.
type indexRef struct {
	table  *Table
	unique *Unique
	pk     bool
	other  int // index in table.indexes or view.indexes; -1 if neither
	view   *View
}

// findIndex looks up an index by name in a schema.
func (a *applier) findIndex(schema, name string) (indexRef, bool) {
	for _, k := range sortedKeys(a.c.Tables) {
		t := a.c.Tables[k]
		if t.Schema != schema {
			continue
		}
		if t.PrimaryKeyName == name && name != "" {
			return indexRef{table: t, pk: true, other: -1}, true
		}
		for _, u := range t.Uniques {
			if u.Name == name {
				return indexRef{table: t, unique: u, other: -1}, true
			}
		}
		if i := t.otherIndex(name); i >= 0 {
			return indexRef{table: t, other: i}, true
		}
	}
	for _, k := range sortedKeys(a.c.Views) {
		v := a.c.Views[k]
		for i, x := range v.indexes {
			if v.Schema == schema && x.name == name {
				return indexRef{view: v, other: i}, true
			}
		}
	}
	return indexRef{}, false
}

// constraint is the name of the constraint that owns the index, or "".
func (r indexRef) constraint() string {
	switch {
	case r.pk:
		return r.table.PrimaryKeyName
	case r.unique != nil && !r.unique.Index:
		return r.unique.Name
	case r.table != nil && r.other >= 0 && r.table.indexes[r.other].constraint:
		return r.table.indexes[r.other].name
	}
	return ""
}

// uniqueIndex returns the unique index of t that ADD CONSTRAINT ... USING
// INDEX names, or nil after reporting why it cannot back a constraint.
func (a *applier) uniqueIndex(t *Table, name string, loc int32) *Unique {
	r, ok := a.findIndex(t.Schema, name)
	switch {
	case !ok:
		a.errorf(loc, "index %q does not exist", name)
	case r.table != t:
		a.errorf(loc, "index %q does not belong to table %q", name, t.displayName())
	case r.constraint() != "":
		a.errorf(loc, "index %q is already associated with a constraint", name)
	case r.unique == nil:
		a.errorf(loc, "index %q of table %q is not a unique index on plain columns without WHERE, so it cannot back a constraint", name, t.displayName())
	default:
		return r.unique
	}
	return nil
}

// dropIndexes applies DROP INDEX. Dropping a unique index that foreign keys
// rely on needs CASCADE, which drops them. An unknown index is no error: it
// may belong to a relation the catalog skips (a temporary table, or one
// created inside a function or DO block).
func (a *applier) dropIndexes(s *pg.DropStmt, cascade bool) {
	for _, o := range s.GetObjects() {
		n := a.listName(o.GetList().GetItems())
		r, ok := a.findIndex(n.schema, n.name)
		switch {
		case !ok:
		case r.view != nil:
			r.view.indexes = slices.Delete(r.view.indexes, r.other, r.other+1)
		case r.constraint() != "":
			a.errorf(n.loc, "cannot drop index %q because constraint %q of table %q requires it; drop the constraint instead",
				n, r.constraint(), r.table.displayName())
		case r.unique != nil:
			t, u := r.table, r.unique
			i := slices.Index(t.Uniques, u)
			if a.blocked("index "+strconv.Quote(n.String()), n.loc, a.keyDependents(t, u.Columns, i), cascade) {
				return
			}
			t.Uniques = slices.Delete(t.Uniques, i, i+1)
		default:
			r.table.indexes = slices.Delete(r.table.indexes, r.other, r.other+1)
		}
	}
}

// renameIndex applies ALTER INDEX ... RENAME, which renames the constraint
// that owns the index too. It reports false when n is no known index.
func (a *applier) renameIndex(n objName, to string) bool {
	r, ok := a.findIndex(n.schema, n.name)
	if !ok {
		return false
	}
	if a.c.relationExists(n.schema, to) {
		a.errorf(a.locate(to, n.loc+1), "relation %q already exists", to)
		return true
	}
	switch {
	case r.view != nil:
		r.view.indexes[r.other].name = to
	case r.pk:
		r.table.PrimaryKeyName = to
	case r.unique != nil:
		r.unique.Name = to
	default:
		r.table.indexes[r.other].name = to
	}
	return true
}
