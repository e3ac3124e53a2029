package schema

import (
	"fmt"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
)

// resolver checks a Config against the Catalog and builds the Graph.
type resolver struct {
	g    *Graph
	cfg  *Config
	errs *ErrorList
}

func (r *resolver) errorf(pos Pos, format string, args ...any) {
	r.errs.Add(pos, format, args...)
}

func (r *resolver) resolve() {
	r.resolvePackage()
	r.resolveOverrides()
	names := map[string]*CollectionConfig{}
	types := map[string]Pos{}
	for _, cc := range r.cfg.Collections {
		if cc.Name.Value == "" {
			continue
		}
		if prev, dup := names[cc.Name.Value]; dup {
			r.errorf(cc.Name.Pos, "collection %q: name already used at line %d", cc.Name.Value, prev.Name.Pos.Line)
			continue
		}
		names[cc.Name.Value] = cc
		c := r.collection(cc)
		if c == nil {
			continue
		}
		if prev, dup := types[c.Type]; dup {
			r.errorf(cc.Pos, "collection %q: Go type %s already used at line %d; set type:", cc.Name.Value, c.Type, prev.Line)
			continue
		}
		types[c.Type] = cc.Pos
		r.g.Collections = append(r.g.Collections, c)
	}
}

func (r *resolver) resolvePackage() {
	p := r.cfg.Package
	if p.Name.Set() && !token.IsIdentifier(p.Name.Value) {
		r.errorf(p.Name.Pos, "package: name %q is not a Go identifier", p.Name.Value)
	}
	r.g.Package = Package{Name: p.Name.Value, OutRel: p.Out.Value}
	if p.Out.Value != "" {
		out := p.Out.Value
		if !filepath.IsAbs(out) {
			out = filepath.Join(r.g.Dir, out)
		}
		r.g.Package.Out = out
	}
}

func (r *resolver) resolveOverrides() {
	for _, oc := range r.cfg.Overrides {
		o := &Override{GoType: oc.GoType.Value, Nullable: oc.Nullable, Pos: oc.Pos}
		if oc.GoType.Set() && !validGoType(oc.GoType.Value) {
			r.errorf(oc.GoType.Pos, "override: go_type %q is not a Go type (want e.g. string, *int64 or github.com/shopspring/decimal.Decimal)", oc.GoType.Value)
		}
		switch {
		case oc.DBType.Set():
			o.DBType = CanonicalType(oc.DBType.Value)
		case oc.Column.Set():
			parts := strings.Split(oc.Column.Value, ".")
			if len(parts) < 2 || len(parts) > 3 {
				r.errorf(oc.Column.Pos, "override: column %q: want table.column or schema.table.column", oc.Column.Value)
				continue
			}
			tname := strings.Join(parts[:len(parts)-1], ".")
			t := r.table(tname, oc.Column.Pos, "override")
			if t == nil {
				continue
			}
			col := r.column(t, parts[len(parts)-1], oc.Column.Pos, "override")
			if col == nil {
				continue
			}
			o.Column = t.QualifiedName() + "." + col.Name
		}
		r.g.Overrides = append(r.g.Overrides, o)
	}
}

// validGoType accepts "[*][]...[import/path.]Name".
func validGoType(s string) bool {
	s = strings.TrimLeft(s, "*")
	s = strings.TrimPrefix(s, "[]")
	s = strings.TrimLeft(s, "*")
	if i := strings.LastIndex(s, "."); i >= 0 {
		pkg, name := s[:i], s[i+1:]
		return pkg != "" && !strings.ContainsAny(pkg, " \t") && token.IsIdentifier(name)
	}
	return token.IsIdentifier(s)
}

func (r *resolver) collection(cc *CollectionConfig) *Collection {
	what := fmt.Sprintf("collection %q", cc.Name.Value)
	if !cc.Table.Set() {
		return nil
	}
	t := r.table(cc.Table.Value, cc.Table.Pos, what)
	if t == nil {
		return nil
	}
	if len(t.PrimaryKey) != 1 {
		if len(t.PrimaryKey) == 0 {
			r.errorf(cc.Table.Pos, "%s: root table %s has no primary key; a root needs a one-column primary key", what, t.Name)
		} else {
			r.errorf(cc.Table.Pos, "%s: root table %s has a %d-column primary key (%s); a root needs a one-column primary key", what, t.Name, len(t.PrimaryKey), strings.Join(t.PrimaryKey, ", "))
		}
		return nil
	}
	typ := cc.Type.Value
	if typ == "" {
		typ = GoName(Singular(t.Name))
	} else if !token.IsIdentifier(typ) || !token.IsExported(typ) {
		r.errorf(cc.Type.Pos, "%s: type %q is not an exported Go identifier", what, typ)
	}
	c := &Collection{Name: cc.Name.Value, Type: typ, Where: cc.Where.Value, Pos: cc.Pos}
	c.Root = &Node{Table: t, Type: typ}
	r.fields(c.Root, cc.Fields, cc.Pos, what, true)
	r.relations(c.Root, cc.Relations, what)
	r.checkNames(c.Root, what, cc.Pos)
	return c
}

// table finds a table by its config name, or reports it with a suggestion.
func (r *resolver) table(name string, pos Pos, what string) *Table {
	if t := r.lookupTable(name); t != nil {
		return t
	}
	if v := r.lookupView(name); v != nil {
		if v.Kind == "table" {
			r.errs.Add(pos, "%s: %q is created by CREATE TABLE AS (%s): its columns come from a query, which denormgen does not analyze; create it with CREATE TABLE", what, name, v.Pos)
		} else {
			// Its rows come from a query: no trigger sees them change.
			r.errs.Add(pos, "%s: %q is a %s (%s), not a table: documents read tables, whose writes triggers capture", what, name, v.Kind, v.Pos)
		}
		return nil
	}
	msg := fmt.Sprintf("%s: unknown table %q", what, name)
	if s := Suggest(name, r.tableNames()); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	r.errs.Add(pos, "%s", msg)
	return nil
}

// lookupTable tries the name as written, then folded to lower case, the way
// an unquoted identifier would be.
func (r *resolver) lookupTable(name string) *Table {
	if t := r.g.Catalog.Table(name); t != nil {
		return t
	}
	return r.g.Catalog.Table(strings.ToLower(name))
}

// lookupView is lookupTable for views, materialized views and tables
// created AS a query, which the catalog knows by name only.
func (r *resolver) lookupView(name string) *View {
	if v := r.g.Catalog.Views[Qualify(name)]; v != nil {
		return v
	}
	return r.g.Catalog.Views[Qualify(strings.ToLower(name))]
}

func (r *resolver) tableNames() []string {
	var names []string
	for _, t := range r.g.Catalog.Tables {
		if t.Schema == "public" {
			names = append(names, t.Name)
		} else {
			names = append(names, t.QualifiedName())
		}
	}
	slices.Sort(names)
	return names
}

func (r *resolver) column(t *Table, name string, pos Pos, what string) *Column {
	if c := t.Column(name); c != nil {
		return c
	}
	if c := t.Column(strings.ToLower(name)); c != nil {
		return c
	}
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	msg := fmt.Sprintf("%s: table %s has no column %q", what, t.Name, name)
	if s := Suggest(name, names); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	r.errs.Add(pos, "%s", msg)
	return nil
}

// fields resolves a level's fields. Without a fields: list every column is
// used. The root's primary key is always present.
func (r *resolver) fields(n *Node, fcs []*FieldConfig, pos Pos, what string, root bool) {
	t := n.Table
	if len(fcs) == 0 {
		for _, c := range t.Columns {
			n.Fields = append(n.Fields, &Field{Column: c, Key: c.Name, GoName: GoName(c.Name), Pos: pos})
		}
		return
	}
	for _, fc := range fcs {
		col := r.column(t, fc.Column.Value, fc.Column.Pos, what)
		if col == nil {
			continue
		}
		key := col.Name
		if fc.As.Set() {
			key = fc.As.Value
			if key == "" {
				r.errorf(fc.As.Pos, "%s: as: empty name", what)
				continue
			}
		}
		n.Fields = append(n.Fields, &Field{Column: col, Key: key, GoName: GoName(key), Pos: fc.Pos})
	}
	if root {
		pk := t.PrimaryKey[0]
		for _, f := range n.Fields {
			if f.Column.Name == pk {
				return
			}
		}
		col := t.Column(pk)
		n.Fields = append([]*Field{{Column: col, Key: col.Name, GoName: GoName(col.Name), Pos: pos}}, n.Fields...)
	}
}

// checkNames reports JSON keys and Go names used twice within one level.
func (r *resolver) checkNames(n *Node, what string, pos Pos) {
	keys := map[string]Pos{}
	gonames := map[string]string{}
	add := func(key, goName string, p Pos) {
		if p.Line == 0 {
			p = pos
		}
		if prev, dup := keys[key]; dup {
			r.errorf(p, "%s: key %q is used twice in one document level (first at line %d); rename one with as:", what, key, prev.Line)
			return
		}
		keys[key] = p
		if prev, dup := gonames[goName]; dup {
			r.errorf(p, "%s: keys %q and %q both become the Go field %s; rename one with as:", what, prev, key, goName)
			return
		}
		gonames[goName] = key
	}
	for _, f := range n.Fields {
		add(f.Key, f.GoName, f.Pos)
	}
	for _, rel := range n.Relations {
		add(rel.Name, rel.GoName, rel.Pos)
	}
}
