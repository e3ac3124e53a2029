package schema

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
