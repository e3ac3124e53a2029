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
// UTF-8 character in two. Without hasName2 (PostgreSQL's NULL, as for a
// primary key) name2 and its underscore are left out.
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
