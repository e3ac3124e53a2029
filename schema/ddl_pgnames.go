package schema

import (
	"strconv"
	"strings"
	"unicode/utf8"

	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// maxIdentLen is NAMEDATALEN-1: PostgreSQL keeps at most 63 bytes of a name.
const maxIdentLen = 63

// The names PostgreSQL gives unnamed constraints and indexes follow its
// rules (makeObjectName, ChooseRelationName, ChooseConstraintName in
// src/backend/commands/indexcmds.c and catalog/pg_constraint.c), so that a
// later migration can drop or rename them by the name the database has.

// objectName is makeObjectName: name1_name2_label, the longer of name1 and
// name2 shortened first so that the whole fits in 63 bytes, never cutting a
// UTF-8 character in two. name2 may be empty only when it is not used
// (hasName2 false).
func objectName(name1, name2 string, hasName2 bool, label string) string {
	overhead := len(label) + 1
	if hasName2 {
		overhead++
	}
	avail := maxIdentLen - overhead
	n1, n2 := len(name1), 0
	if hasName2 {
		n2 = len(name2)
	}
	for n1+n2 > avail {
		if n1 > n2 {
			n1--
		} else {
			n2--
		}
	}
	s := clipUTF8(name1, n1)
	if hasName2 {
		s += "_" + clipUTF8(name2, n2)
	}
	return s + "_" + label
}

// clipUTF8 is s cut to at most n bytes at a character boundary.
func clipUTF8(s string, n int) string {
	if n >= len(s) {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// nameAddition is ChooseIndexNameAddition (and its foreign key twin): the
// column names joined by "_", stopping once 63 bytes are reached.
func nameAddition(cols []string) string {
	var b strings.Builder
	for _, c := range cols {
		if b.Len() > 0 {
			b.WriteByte('_')
		}
		b.WriteString(clipUTF8(c, maxIdentLen))
		if b.Len() >= maxIdentLen+1 {
			break
		}
	}
	return b.String()
}

// indexColumnNames is ChooseIndexColumnNames: a name per index element,
// numbered when it repeats an earlier one.
func indexColumnNames(names []string) []string {
	out := make([]string, 0, len(names))
	for _, orig := range names {
		cur := orig
		for i := 1; containsStr(out, cur); i++ {
			suffix := strconv.Itoa(i)
			cur = clipUTF8(orig, maxIdentLen-len(suffix)) + suffix
		}
		out = append(out, cur)
	}
	return out
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// elemName is the name an index element contributes to the index's name:
// the column's, or FigureIndexColname's guess for an expression (a
// function's name, a cast's type), "expr" when there is none.
func elemName(e *pg.IndexElem) string {
	if e.GetIndexcolname() != "" {
		return e.GetIndexcolname()
	}
	if e.GetName() != "" {
		return e.GetName()
	}
	if s := exprName(e.GetExpr()); s != "" {
		return s
	}
	return "expr"
}

func exprName(n *pg.Node) string {
	switch n := n.GetNode().(type) {
	case *pg.Node_ColumnRef:
		f := n.ColumnRef.GetFields()
		if len(f) > 0 {
			return f[len(f)-1].GetString_().GetSval()
		}
	case *pg.Node_FuncCall:
		f := n.FuncCall.GetFuncname()
		if len(f) > 0 {
			return f[len(f)-1].GetString_().GetSval()
		}
	case *pg.Node_TypeCast:
		if s := exprName(n.TypeCast.GetArg()); s != "" {
			return s
		}
		f := n.TypeCast.GetTypeName().GetNames()
		if len(f) > 0 {
			return f[len(f)-1].GetString_().GetSval()
		}
	case *pg.Node_CoalesceExpr:
		return "coalesce"
	}
	return ""
}

// relationExists reports whether name is taken in schema's namespace of
// relations: tables, views and indexes (a primary key or unique constraint
// has an index of its name).
func (c *Catalog) relationExists(schema, name string) bool {
	if name == "" {
		return false
	}
	key := schema + "." + name
	if c.Tables[key] != nil || c.Views[key] != nil {
		return true
	}
	for _, v := range c.Views {
		for _, x := range v.indexes {
			if v.Schema == schema && x.name == name {
				return true
			}
		}
	}
	for _, t := range c.Tables {
		if t.Schema != schema {
			continue
		}
		if t.PrimaryKeyName == name || t.otherIndex(name) >= 0 {
			return true
		}
		for _, u := range t.Uniques {
			if u.Name == name {
				return true
			}
		}
	}
	return false
}

// otherIndex returns the position of the named index in t.indexes, or -1.
func (t *Table) otherIndex(name string) int {
	for i, x := range t.indexes {
		if x.name == name {
			return i
		}
	}
	return -1
}

// check returns the position of the named CHECK constraint in t.checks, or
// -1.
func (t *Table) check(name string) int {
	for i, c := range t.checks {
		if c.name == name {
			return i
		}
	}
	return -1
}

// constraintExists reports whether a constraint of any table of schema has
// the name: PostgreSQL picks default names unique across the schema.
func (c *Catalog) constraintExists(schema, name string) bool {
	for _, t := range c.Tables {
		if t.Schema == schema && t.hasConstraint(name) {
			return true
		}
	}
	return false
}

// hasConstraint reports whether t has a constraint of that name.
func (t *Table) hasConstraint(name string) bool {
	if name == "" {
		return false
	}
	if t.PrimaryKeyName == name || t.check(name) >= 0 {
		return true
	}
	if i := t.otherIndex(name); i >= 0 && t.indexes[i].constraint {
		return true
	}
	for _, u := range t.Uniques {
		if !u.Index && u.Name == name {
			return true
		}
	}
	for _, fk := range t.ForeignKeys {
		if fk.Name == name {
			return true
		}
	}
	return false
}

// chooseIndexName is ChooseRelationName: the name of an index of relation
// rel, or of the constraint an index stands for (then also unique among
// constraints), numbering the label until the name is free.
func (c *Catalog) chooseIndexName(schema, rel string, addition string, hasAddition bool, label string, constraint bool) string {
	taken := c.names(schema, true, constraint)
	return chooseName(rel, addition, hasAddition, label, taken)
}

// chooseConstraintName is ChooseConstraintName, for constraints without an
// index (foreign keys, checks): unique among the schema's constraints.
func (c *Catalog) chooseConstraintName(t *Table, addition string, hasAddition bool, label string) string {
	return chooseName(t.Name, addition, hasAddition, label, c.names(t.Schema, false, true))
}

func chooseName(rel, addition string, hasAddition bool, label string, taken map[string]bool) string {
	for i := 0; ; i++ {
		l := label
		if i > 0 {
			l += strconv.Itoa(i)
		}
		if name := objectName(rel, addition, hasAddition, l); !taken[name] {
			return name
		}
	}
}

// names returns the names taken in schema: by relations (tables, views,
// indexes) and by constraints, as asked. Collected once per choice, they
// keep a migration that adds many keys to one table from taking cubic time.
func (c *Catalog) names(schema string, relations, constraints bool) map[string]bool {
	taken := map[string]bool{}
	if relations {
		for _, v := range c.Views {
			if v.Schema == schema {
				taken[v.Name] = true
				for _, x := range v.indexes {
					taken[x.name] = true
				}
			}
		}
	}
	for _, t := range c.Tables {
		if t.Schema != schema {
			continue
		}
		if relations {
			taken[t.Name] = true
		}
		if t.PrimaryKeyName != "" {
			taken[t.PrimaryKeyName] = true
		}
		for _, u := range t.Uniques {
			if relations || !u.Index {
				taken[u.Name] = true
			}
		}
		for _, x := range t.indexes {
			if relations || x.constraint {
				taken[x.name] = true
			}
		}
		if constraints {
			for _, fk := range t.ForeignKeys {
				taken[fk.Name] = true
			}
			for _, ck := range t.checks {
				taken[ck.name] = true
			}
		}
	}
	return taken
}

// columnRefs returns the distinct column names an expression refers to, in
// order: PostgreSQL names an unnamed CHECK after its column when there is
// just one.
func columnRefs(n *pg.Node) []string {
	var names []string
	var walk func(m protoreflect.Message)
	walk = func(m protoreflect.Message) {
		if ref, ok := m.Interface().(*pg.ColumnRef); ok {
			f := ref.GetFields()
			if len(f) > 0 {
				if name := f[len(f)-1].GetString_().GetSval(); name != "" && !containsStr(names, name) {
					names = append(names, name)
				}
			}
			return
		}
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			switch {
			case fd.IsList() && fd.Message() != nil:
				for i, l := 0, v.List(); i < l.Len(); i++ {
					walk(l.Get(i).Message())
				}
			case fd.Message() != nil && !fd.IsMap():
				walk(v.Message())
			}
			return true
		})
	}
	if n != nil {
		walk(n.ProtoReflect())
	}
	return names
}
