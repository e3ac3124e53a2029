package schema

import "slices"

// children returns the tables that inherit from t directly, partitions
// included, in name order.
func (a *applier) children(t *Table) []*Table {
	var out []*Table
	for _, k := range sortedKeys(a.c.Tables) {
		if c := a.c.Tables[k]; containsStr(c.Inherits, t.QualifiedName()) && c != t {
			out = append(out, c)
		}
	}
	return out
}

// partitions returns the direct partitions of t.
func (a *applier) partitions(t *Table) []*Table {
	var out []*Table
	for _, c := range a.children(t) {
		if c.Partition {
			out = append(out, c)
		}
	}
	return out
}

// partitionsIf returns the direct partitions of t with recurse, else none
// (ALTER TABLE ONLY).
func (a *applier) partitionsIf(t *Table, recurse bool) []*Table {
	if !recurse {
		return nil
	}
	return a.partitions(t)
}

// descendants returns the tables that inherit from t, directly or not, each
// once, parents before their children.
func (a *applier) descendants(t *Table) []*Table {
	seen := map[*Table]bool{t: true}
	var out []*Table
	for queue := []*Table{t}; len(queue) > 0; queue = queue[1:] {
		for _, c := range a.children(queue[0]) {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
				queue = append(queue, c)
			}
		}
	}
	return out
}

// attachPartition applies ALTER TABLE t ATTACH PARTITION part: part gets
// the keys, indexes and foreign keys of t it lacks (those it has are
// attached under their own names), and its columns become inherited.
func (a *applier) attachPartition(t, part *Table) {
	if part == t || len(part.Inherits) > 0 || slices.Contains(a.descendants(part), t) {
		return // PostgreSQL refuses: part is a partition or a parent already
	}
	part.Inherits, part.Partition = []string{t.QualifiedName()}, true
	for _, c := range part.Columns {
		c.inherited = t.Column(c.Name) != nil
	}
	if len(t.PrimaryKey) > 0 {
		a.cloneKey(part, &Unique{Columns: t.PrimaryKey}, true)
	}
	for _, u := range t.Uniques {
		switch {
		case slices.ContainsFunc(part.Uniques, func(x *Unique) bool { return slices.Equal(x.Columns, u.Columns) }):
		case u.Index:
			a.addUnique(part, u, true)
		default:
			a.cloneKey(part, u, false)
		}
	}
	for _, x := range t.indexes {
		if !slices.ContainsFunc(part.indexes, func(y otherIndex) bool { return slices.Equal(x.cols, y.cols) }) {
			y := x
			y.name = a.c.chooseIndexName(part.Schema, part.Name, nameAddition(x.elems), true, "idx", false)
			y.elems, y.cols = slices.Clone(x.elems), slices.Clone(x.cols)
			part.indexes = append(part.indexes, y)
		}
	}
	for _, fk := range t.ForeignKeys {
		if !slices.ContainsFunc(part.ForeignKeys, func(x *ForeignKey) bool {
			return slices.Equal(x.Columns, fk.Columns) && x.RefTable == fk.RefTable && slices.Equal(x.RefColumns, fk.RefColumns)
		}) {
			a.cloneForeignKey(part, fk)
		}
	}
}

// detach applies DETACH PARTITION and NO INHERIT: child keeps what it has,
// its own now, columns included.
func (a *applier) detach(parent, child *Table) {
	i := slices.Index(child.Inherits, parent.QualifiedName())
	if i < 0 {
		return
	}
	child.Inherits = slices.Delete(child.Inherits, i, i+1)
	child.Partition = child.Partition && len(child.Inherits) > 0
	for _, c := range child.Columns {
		if c.inherited && !a.inheritsColumn(child, c.Name) {
			c.inherited = false
		}
	}
}
