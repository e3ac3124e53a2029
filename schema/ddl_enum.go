package schema

import (
	"slices"

	pg "github.com/pganalyze/pg_query_go/v6"
)

func (a *applier) createEnum(s *pg.CreateEnumStmt) {
	n := a.listName(s.GetTypeName())
	if a.typeExists(n) {
		return
	}
	a.c.Enums[n.key()] = &Enum{Schema: n.schema, Name: n.name, Labels: strs(s.GetVals())}
}

func (a *applier) createDomain(s *pg.CreateDomainStmt) {
	n := a.listName(s.GetDomainname())
	if a.typeExists(n) {
		return
	}
	d := &Domain{Schema: n.schema, Name: n.name}
	d.Base, d.NotNull = a.resolveType(s.GetTypeName())
	for _, c := range s.GetConstraints() {
		if c.GetConstraint().GetContype() == pg.ConstrType_CONSTR_NOTNULL {
			d.NotNull = true
		}
	}
	a.c.Domains[n.key()] = d
}

// typeExists reports an error and returns true when n names an enum or a
// domain already. (Other types are not tracked.)
func (a *applier) typeExists(n objName) bool {
	if a.c.Enums[n.key()] != nil || a.c.Domains[n.key()] != nil {
		a.errorf(n.loc, "type %q already exists", n)
		return true
	}
	return false
}

// alterEnum applies ALTER TYPE ... ADD VALUE and RENAME VALUE.
func (a *applier) alterEnum(s *pg.AlterEnumStmt) {
	n := a.listName(s.GetTypeName())
	e := a.c.Enums[n.key()]
	if e == nil {
		var names []string
		for _, e := range a.c.Enums {
			names = append(names, displayName(e.Schema, e.Name))
		}
		a.errorf(n.loc, "enum type %q does not exist%s", n, didYouMean(n.String(), names))
		return
	}
	if old := s.GetOldVal(); old != "" {
		i := a.label(e, old)
		switch {
		case i < 0:
		case slices.Contains(e.Labels, s.GetNewVal()):
			a.errorf(a.locateString(s.GetNewVal(), n.loc), "enum label %q already exists", s.GetNewVal())
		default:
			e.Labels[i] = s.GetNewVal()
		}
		return
	}
	if slices.Contains(e.Labels, s.GetNewVal()) {
		if !s.GetSkipIfNewValExists() {
			a.errorf(a.locateString(s.GetNewVal(), n.loc), "enum label %q already exists", s.GetNewVal())
		}
		return
	}
	at := len(e.Labels)
	if nb := s.GetNewValNeighbor(); nb != "" {
		if at = a.label(e, nb); at < 0 {
			return
		}
		if s.GetNewValIsAfter() {
			at++
		}
	}
	e.Labels = slices.Insert(e.Labels, at, s.GetNewVal())
}

// label returns the index of an existing label of e, or reports an error and
// returns -1.
func (a *applier) label(e *Enum, l string) int {
	i := slices.Index(e.Labels, l)
	if i < 0 {
		a.errorf(a.locateString(l, -1), "%q is not a label of enum %q%s", l, displayName(e.Schema, e.Name), didYouMean(l, e.Labels))
	}
	return i
}

// renameType renames an enum or a domain, and the column and domain types
// that name it. Other types are not tracked: renaming them changes nothing.
func (a *applier) renameType(n objName, name string) {
	from, to := n.key(), objName{schema: n.schema, name: name}.key()
	e, d := a.c.Enums[from], a.c.Domains[from]
	if e == nil && d == nil {
		return
	}
	if a.c.Enums[to] != nil || a.c.Domains[to] != nil {
		a.errorf(a.locate(name, n.loc+1), "type %q already exists", displayName(n.schema, name))
		return
	}
	if e != nil {
		delete(a.c.Enums, from)
		e.Name = name
		a.c.Enums[to] = e
	} else {
		delete(a.c.Domains, from)
		d.Name = name
		a.c.Domains[to] = d
	}
	rename := func(t *Type) {
		if t.Name == from {
			t.Name = to
		}
		if t.Domain == from {
			t.Domain = to
		}
	}
	for _, d := range a.c.Domains {
		rename(&d.Base)
	}
	for _, t := range a.c.Tables {
		for _, c := range t.Columns {
			rename(&c.Type)
		}
	}
}
