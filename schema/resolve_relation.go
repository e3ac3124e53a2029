package schema

import (
	"fmt"
	"regexp"
	"strings"
)

// relations resolves the relations of level n, then their own levels.
func (r *resolver) relations(n *Node, rcs []*RelationConfig, what string) {
	seen := map[string]Pos{}
	for _, rc := range rcs {
		if prev, dup := seen[rc.Name.Value]; dup {
			r.errorf(rc.Name.Pos, "%s: relation %q is defined twice (first at line %d)", what, rc.Name.Value, prev.Line)
			continue
		}
		seen[rc.Name.Value] = rc.Name.Pos
		if rel := r.relation(n, rc, fmt.Sprintf("%s: relation %q", what, rc.Name.Value)); rel != nil {
			n.Relations = append(n.Relations, rel)
		}
	}
}

func (r *resolver) relation(from *Node, rc *RelationConfig, what string) *Relation {
	to := r.relationTable(rc, what)
	if to == nil {
		return nil
	}
	rel := &Relation{Name: rc.Name.Value, From: from, Pos: rc.Pos, GoName: GoName(rc.Name.Value)}
	var ok bool
	if rc.Through.Set() {
		ok = r.manyToMany(rel, from.Table, to, rc, what)
	} else {
		ok = r.direct(rel, from.Table, to, rc, what)
	}
	if !ok {
		return nil
	}
	rel.To = &Node{Table: to, Type: from.Type + GoName(Singular(rc.Name.Value)), Parent: rel}
	r.fields(rel.To, rc.Fields, rc.Pos, what, false)
	r.shape(rel, rc, what)
	r.relations(rel.To, rc.Relations, what)
	r.checkNames(rel.To, what, rc.Pos)
	return rel
}

// relationTable is table:, or else the relation's name as a table name, in
// singular or plural form.
func (r *resolver) relationTable(rc *RelationConfig, what string) *Table {
	if rc.Table.Set() {
		return r.table(rc.Table.Value, rc.Table.Pos, what)
	}
	name := rc.Name.Value
	for _, cand := range []string{name, Singular(name), Plural(name)} {
		if t := r.lookupTable(cand); t != nil {
			return t
		}
	}
	msg := fmt.Sprintf("%s: no table named %q or %q; add table:", what, name, Singular(name))
	if s := Suggest(Singular(name), r.tableNames()); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	r.errs.Add(rc.Name.Pos, "%s", msg)
	return nil
}

type candidate struct {
	kind RelationKind
	fk   *ForeignKey
	on   *Table // the table holding fk
}

func (c candidate) String() string {
	return c.on.Name + "(" + strings.Join(c.fk.Columns, ", ") + ")"
}

// direct resolves a to-one or one-to-many relation from the one foreign key
// that connects the two tables, narrowed by foreign_key, references and kind.
func (r *resolver) direct(rel *Relation, from, to *Table, rc *RelationConfig, what string) bool {
	var cands []candidate
	if rc.References.Set() {
		c, ok := r.declaredKey(from, to, rc, what)
		if !ok {
			return false
		}
		cands = c
	} else {
		for _, fk := range from.ForeignKeys {
			if fk.RefTable == to.QualifiedName() {
				cands = append(cands, candidate{ToOne, fk, from})
			}
		}
		for _, fk := range to.ForeignKeys {
			if fk.RefTable == from.QualifiedName() {
				cands = append(cands, candidate{OneToMany, fk, to})
			}
		}
		if len(rc.ForeignKey) > 0 {
			cols := strValues(rc.ForeignKey)
			var kept []candidate
			for _, c := range cands {
				if sameColumns(c.fk.Columns, cols) {
					kept = append(kept, c)
				}
			}
			if len(kept) == 0 {
				r.errorf(rc.ForeignKey[0].Pos, "%s: no foreign key on (%s) connects %s and %s; declare it in the schema or add references: table(column)",
					what, strings.Join(cols, ", "), from.Name, to.Name)
				return false
			}
			cands = kept
		}
	}
	if rc.Kind.Set() {
		want := map[string]RelationKind{"one": ToOne, "many": OneToMany}[rc.Kind.Value]
		if want == 0 {
			r.errorf(rc.Kind.Pos, "%s: kind %q: want one or many", what, rc.Kind.Value)
			return false
		}
		var kept []candidate
		for _, c := range cands {
			if c.kind == want {
				kept = append(kept, c)
			}
		}
		cands = kept
	}
	if len(cands) == 2 && cands[0].fk == cands[1].fk {
		// A self reference: the same key read both ways (category.parent_id
		// gives a parent and children).
		c, ok := r.selfDirection(cands, rc, what)
		if !ok {
			return false
		}
		cands = []candidate{c}
	}
	switch len(cands) {
	case 0:
		r.errorf(rc.Pos, "%s: no foreign key connects %s and %s; add foreign_key (with references: table(column) if the key is not declared)", what, from.Name, to.Name)
		return false
	case 1:
	default:
		names := make([]string, len(cands))
		for i, c := range cands {
			names[i] = c.String()
		}
		r.errorf(rc.Pos, "%s: several foreign keys connect %s and %s: %s; add foreign_key to choose one",
			what, from.Name, to.Name, strings.Join(names, ", "))
		return false
	}
	c := cands[0]
	rel.Kind, rel.FK = c.kind, c.fk
	if c.kind == ToOne {
		rel.FromCols, rel.ToCols = c.fk.Columns, c.fk.RefColumns
	} else {
		rel.FromCols, rel.ToCols = c.fk.RefColumns, c.fk.Columns
	}
	return true
}

// selfDirection picks parent (to-one) or children (one-to-many) for a self
// reference without kind: from the name when it says which.
func (r *resolver) selfDirection(cands []candidate, rc *RelationConfig, what string) (candidate, bool) {
	fk := cands[0].fk
	name := rc.Name.Value
	byKind := func(k RelationKind) candidate {
		if cands[0].kind == k {
			return cands[0]
		}
		return cands[1]
	}
	if len(fk.Columns) == 1 && (fk.Columns[0] == name+"_id" || fk.Columns[0] == Singular(name)+"_id" && Singular(name) == name) {
		return byKind(ToOne), true
	}
	if Singular(name) != name || len(rc.OrderBy) > 0 || rc.Limit.Set() {
		return byKind(OneToMany), true
	}
	r.errorf(rc.Pos, "%s: %s references itself through (%s); add kind: one (the referenced row) or kind: many (the referencing rows)",
		what, fk.RefTable, strings.Join(fk.Columns, ", "))
	return candidate{}, false
}

var referencesRE = regexp.MustCompile(`^\s*([^\s(]+)\s*\(([^)]*)\)\s*$`)

// declaredKey builds the foreign key that foreign_key + references declare
// for tables whose schema has no constraint.
func (r *resolver) declaredKey(from, to *Table, rc *RelationConfig, what string) ([]candidate, bool) {
	m := referencesRE.FindStringSubmatch(rc.References.Value)
	if m == nil {
		r.errorf(rc.References.Pos, "%s: references %q: want table(column, ...)", what, rc.References.Value)
		return nil, false
	}
	if len(rc.ForeignKey) == 0 {
		r.errorf(rc.References.Pos, "%s: references needs foreign_key: the referencing column(s)", what)
		return nil, false
	}
	ref := r.table(m[1], rc.References.Pos, what)
	if ref == nil {
		return nil, false
	}
	var refCols []string
	for _, c := range strings.Split(m[2], ",") {
		col := r.column(ref, strings.TrimSpace(c), rc.References.Pos, what)
		if col == nil {
			return nil, false
		}
		refCols = append(refCols, col.Name)
	}
	if len(refCols) != len(rc.ForeignKey) {
		r.errorf(rc.References.Pos, "%s: foreign_key has %d column(s) but references names %d", what, len(rc.ForeignKey), len(refCols))
		return nil, false
	}
	if !ref.IsUnique(refCols) {
		r.errorf(rc.References.Pos, "%s: %s(%s) is not a primary key or unique constraint", what, ref.Name, strings.Join(refCols, ", "))
		return nil, false
	}
	var owner *Table
	var kinds []RelationKind
	switch {
	case ref == to && ref == from:
		owner, kinds = from, []RelationKind{ToOne, OneToMany}
	case ref == to:
		owner, kinds = from, []RelationKind{ToOne}
	case ref == from:
		owner, kinds = to, []RelationKind{OneToMany}
	default:
		r.errorf(rc.References.Pos, "%s: references %s, but the relation joins %s and %s", what, ref.Name, from.Name, to.Name)
		return nil, false
	}
	var cols []string
	for _, s := range rc.ForeignKey {
		col := r.column(owner, s.Value, s.Pos, what)
		if col == nil {
			return nil, false
		}
		cols = append(cols, col.Name)
	}
	fk := &ForeignKey{Columns: cols, RefTable: ref.QualifiedName(), RefColumns: refCols, Pos: rc.References.Pos}
	var out []candidate
	for _, k := range kinds {
		out = append(out, candidate{k, fk, owner})
	}
	return out, true
}

// manyToMany resolves a relation through a join table holding a foreign key
// to each side. foreign_key names the join table's columns that point at
// the parent, when that is ambiguous.
func (r *resolver) manyToMany(rel *Relation, from, to *Table, rc *RelationConfig, what string) bool {
	through := r.table(rc.Through.Value, rc.Through.Pos, what)
	if through == nil {
		return false
	}
	if rc.References.Set() {
		r.errorf(rc.References.Pos, "%s: references cannot be used with through; declare the foreign keys of %s", what, through.Name)
		return false
	}
	if rc.Kind.Set() && rc.Kind.Value != "many" {
		r.errorf(rc.Kind.Pos, "%s: a relation through a join table is always kind: many", what)
		return false
	}
	var toFrom, toTo []*ForeignKey
	for _, fk := range through.ForeignKeys {
		if fk.RefTable == from.QualifiedName() {
			toFrom = append(toFrom, fk)
		}
		if fk.RefTable == to.QualifiedName() {
			toTo = append(toTo, fk)
		}
	}
	if len(rc.ForeignKey) > 0 {
		cols := strValues(rc.ForeignKey)
		var kept []*ForeignKey
		for _, fk := range toFrom {
			if sameColumns(fk.Columns, cols) {
				kept = append(kept, fk)
			}
		}
		if len(kept) == 0 {
			r.errorf(rc.ForeignKey[0].Pos, "%s: join table %s has no foreign key on (%s) to %s", what, through.Name, strings.Join(cols, ", "), from.Name)
			return false
		}
		toFrom = kept
	}
	if len(toFrom) == 1 {
		// In a self join (friend(user_id, friend_id)) the other key is the child side.
		toTo = removeFK(toTo, toFrom[0])
	}
	one := func(fks []*ForeignKey, side *Table) *ForeignKey {
		switch len(fks) {
		case 0:
			r.errorf(rc.Through.Pos, "%s: join table %s has no foreign key to %s", what, through.Name, side.Name)
		case 1:
			return fks[0]
		default:
			names := make([]string, len(fks))
			for i, fk := range fks {
				names[i] = through.Name + "(" + strings.Join(fk.Columns, ", ") + ")"
			}
			r.errorf(rc.Through.Pos, "%s: several foreign keys connect %s and %s: %s; add foreign_key (the join table's columns that reference %s)",
				what, through.Name, side.Name, strings.Join(names, ", "), from.Name)
		}
		return nil
	}
	fkFrom, fkTo := one(toFrom, from), one(toTo, to)
	if fkFrom == nil || fkTo == nil {
		return false
	}
	rel.Kind = ManyToMany
	rel.Through, rel.FK, rel.ThroughFK = through, fkFrom, fkTo
	rel.FromCols, rel.ThroughFromCols = fkFrom.RefColumns, fkFrom.Columns
	rel.ThroughToCols, rel.ToCols = fkTo.Columns, fkTo.RefColumns
	return true
}

// shape checks and sets order_by, limit and flatten.
func (r *resolver) shape(rel *Relation, rc *RelationConfig, what string) {
	to := rel.To.Table
	if !rel.Many() {
		switch {
		case len(rc.OrderBy) > 0:
			r.errorf(rc.OrderBy[0].Pos, "%s: order_by applies to to-many relations only; %s is to-one", what, rel.Name)
		case rc.Limit.Set():
			r.errorf(rc.Limit.Pos, "%s: limit applies to to-many relations only; %s is to-one", what, rel.Name)
		case rc.Flatten:
			r.errorf(rc.Pos, "%s: flatten applies to to-many relations only; %s is to-one", what, rel.Name)
		}
		return
	}
	for _, o := range rc.OrderBy {
		name, desc := strings.CutPrefix(o.Value, "-")
		if col := r.column(to, name, o.Pos, what+": order_by"); col != nil {
			rel.OrderBy = append(rel.OrderBy, Order{Column: col, Desc: desc})
		}
	}
	if len(rc.OrderBy) == 0 {
		for _, k := range to.PrimaryKey {
			rel.OrderBy = append(rel.OrderBy, Order{Column: to.Column(k)})
		}
		if len(to.PrimaryKey) == 0 {
			for _, f := range rel.To.Fields {
				rel.OrderBy = append(rel.OrderBy, Order{Column: f.Column})
			}
		}
	}
	if rc.Limit.Set() {
		switch {
		case rc.Limit.Value <= 0:
			r.errorf(rc.Limit.Pos, "%s: limit must be positive, got %d", what, rc.Limit.Value)
		case len(rc.OrderBy) == 0:
			r.errorf(rc.Limit.Pos, "%s: limit needs order_by, to say which %d rows to keep", what, rc.Limit.Value)
		default:
			rel.Limit = rc.Limit.Value
		}
	}
	if rc.Flatten {
		if len(rel.To.Fields) != 1 || len(rc.Relations) > 0 {
			r.errorf(rc.Pos, "%s: flatten needs exactly one field and no relations, got %d field(s)", what, len(rel.To.Fields))
		} else {
			rel.Flatten = true
		}
	}
}

func strValues(ss []Str) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Value
	}
	return out
}

// sameColumns compares column lists in order, also as an unquoted
// (lower-cased) spelling would name them.
func sameColumns(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && a[i] != strings.ToLower(b[i]) {
			return false
		}
	}
	return true
}

func removeFK(fks []*ForeignKey, drop *ForeignKey) []*ForeignKey {
	var out []*ForeignKey
	for _, fk := range fks {
		if fk != drop {
			out = append(out, fk)
		}
	}
	return out
}
