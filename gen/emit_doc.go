package gen

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/dave/jennifer/jen"

	"github.com/denormgen/denormgen/schema"
)

// docStructs emits the struct of every level of a collection's document,
// root first, each followed by its AppendJSON.
func docStructs(m *collectionModel) []jen.Code {
	var out []jen.Code
	var walk func(n *nodeModel)
	walk = func(n *nodeModel) {
		out = append(out, docStruct(m, n), jen.Line(), appendJSON(n), jen.Line())
		for _, r := range n.Rels {
			if r.Flat == nil {
				walk(r.To)
			}
		}
	}
	walk(m.Root)
	return out
}

// docStruct emits
//
//	type Book struct {
//		ID    int64  `json:"id"`
//		Publisher *BookPublisher `json:"publisher"`
//	}
func docStruct(m *collectionModel, n *nodeModel) jen.Code {
	var fields []jen.Code
	for _, f := range n.Fields {
		fields = append(fields, jen.Id(f.f.GoName).Add(f.Type.code()).Tag(map[string]string{"json": tagName(f.Key)}))
	}
	for _, r := range n.Rels {
		fields = append(fields, jen.Id(r.GoName).Add(relType(r)).Tag(map[string]string{"json": tagName(r.Key)}))
	}
	var doc string
	if n.Parent == nil {
		doc = fmt.Sprintf("%s is a document of the %s collection: a row of %s.", n.Type, m.c.Name, n.n.Table.QualifiedName())
	} else {
		what := "the"
		if n.Parent.r.Many() {
			what = "one of the"
		}
		doc = fmt.Sprintf("%s is %s %s of a %s: a row of %s.", n.Type, what, n.Parent.r.Name, n.Parent.From.Type, n.n.Table.QualifiedName())
	}
	return jen.Comment(doc).Line().Type().Id(n.Type).Struct(fields...)
}

// tagName keeps a key json.Marshal would read as "skip this field".
func tagName(key string) string {
	if key == "-" {
		return "-,"
	}
	return key
}

func relType(r *relModel) *jen.Statement {
	switch {
	case r.Flat != nil:
		return jen.Index().Add(r.Flat.Type.code())
	case r.r.Kind == schema.ToOne:
		return jen.Op("*").Id(r.To.Type)
	}
	return jen.Index().Op("*").Id(r.To.Type)
}

// jsonLit is a JSON key as encoding/json writes it, quotes and escapes
// included, so that the generated code appends it as one constant.
func jsonLit(key string) string {
	b, _ := json.Marshal(key) // a string always marshals
	return string(b)
}

// appendJSON emits the reflection-free encoder of a level:
//
//	func (d *Book) AppendJSON(b []byte) ([]byte, error) {
//		b = append(b, `{"id":`...)
//		b = strconv.AppendInt(b, d.ID, 10)
//		...
//	}
func appendJSON(n *nodeModel) jen.Code {
	e := &encoder{}
	e.lit("{")
	for i, f := range n.Fields {
		if i > 0 {
			e.lit(",")
		}
		e.lit(jsonLit(f.Key) + ":")
		e.value(jen.Id("d").Dot(f.f.GoName), f.Type)
	}
	for i, r := range n.Rels {
		if i > 0 || len(n.Fields) > 0 {
			e.lit(",")
		}
		e.lit(jsonLit(r.Key) + ":")
		e.relation(jen.Id("d").Dot(r.GoName), r)
	}
	e.lit("}")
	e.flush()
	var body []jen.Code
	if e.usesErr {
		body = append(body, jen.Var().Err().Error())
	}
	body = append(body, e.stmts...)
	body = append(body, jen.Return(jen.Id("b"), jen.Nil()))
	return jen.Commentf("AppendJSON appends the document's JSON to b: the bytes json.Marshal gives, without reflection.").Line().
		Func().Params(jen.Id("d").Op("*").Id(n.Type)).Id("AppendJSON").Params(jen.Id("b").Index().Byte()).
		Params(jen.Index().Byte(), jen.Error()).Block(body...)
}

// An encoder collects the statements of an AppendJSON body, merging runs of
// constant text into one append.
type encoder struct {
	stmts   []jen.Code
	pending string
	vars    int  // loop variables numbered so nested loops never shadow
	usesErr bool // some statement assigns err, which the body must declare
}

func (e *encoder) lit(s string) { e.pending += s }

// literal is a Go string literal, raw when that spares escaped quotes or
// newlines (SQL reads better as it is).
func literal(s string) *jen.Statement {
	if strings.ContainsAny(s, "\"\n") && rawable(s) {
		return jen.Op("`" + s + "`")
	}
	return jen.Lit(s)
}

// rawable reports whether a raw string literal holds s unchanged.
func rawable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r == '`' || r == '\uFEFF' || r < ' ' && r != '\n' && r != '\t' || r == 0x7f {
			return false
		}
	}
	return true
}

func (e *encoder) flush() {
	if e.pending != "" {
		e.stmts = append(e.stmts, jen.Id("b").Op("=").Append(jen.Id("b"), literal(e.pending).Op("...")))
		e.pending = ""
	}
}

func (e *encoder) add(s jen.Code) {
	e.flush()
	e.stmts = append(e.stmts, s)
}

// fallible appends through a call returning ([]byte, error).
func (e *encoder) fallible(call jen.Code) {
	e.usesErr = true
	e.add(jen.If(jen.List(jen.Id("b"), jen.Err()).Op("=").Add(call), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Id("b"), jen.Err())))
}

// value appends v of type t; it handles the pointer and slice forms itself.
func (e *encoder) value(v *jen.Statement, t goType) {
	if t.Ptr {
		inner := &encoder{vars: e.vars}
		elem := t
		elem.Ptr = false
		inner.value(jen.Op("*").Add(v.Clone()), elem)
		inner.flush()
		e.vars, e.usesErr = inner.vars, e.usesErr || inner.usesErr
		e.add(jen.If(v.Clone().Op("==").Nil()).Block(
			jen.Id("b").Op("=").Append(jen.Id("b"), jen.Lit("null").Op("...")),
		).Else().Block(inner.stmts...))
		return
	}
	if t.Slice && t.Enc != encBytes {
		elem := t
		elem.Slice = false
		e.list(v, func(inner *encoder, x *jen.Statement) { inner.value(x, elem) })
		return
	}
	switch t.Enc {
	case encInt:
		if t.Name != "int64" || t.Path != "" {
			v = jen.Int64().Call(v)
		}
		e.add(jen.Id("b").Op("=").Qual("strconv", "AppendInt").Call(jen.Id("b"), v, jen.Lit(10)))
	case encBool:
		e.add(jen.Id("b").Op("=").Qual("strconv", "AppendBool").Call(jen.Id("b"), conv(t, "bool", v)))
	case encString:
		e.add(jen.Id("b").Op("=").Qual(denormPath, "AppendString").Call(jen.Id("b"), conv(t, "string", v)))
	case encFloat32:
		e.fallible(jen.Qual(denormPath, "AppendFloat").Call(jen.Id("b"), jen.Float64().Call(v), jen.Lit(32)))
	case encFloat64:
		e.fallible(jen.Qual(denormPath, "AppendFloat").Call(jen.Id("b"), conv(t, "float64", v), jen.Lit(64)))
	case encNumber:
		e.fallible(jen.Qual(denormPath, "AppendNumber").Call(jen.Id("b"), v))
	case encTime:
		e.fallible(jen.Qual(denormPath, "AppendTime").Call(jen.Id("b"), v))
	case encDate:
		e.add(jen.Id("b").Op("=").Qual(denormPath, "AppendDate").Call(jen.Id("b"), v))
	case encBytes:
		e.add(jen.Id("b").Op("=").Qual(denormPath, "AppendBytes").Call(jen.Id("b"), v))
	case encRaw:
		e.fallible(jen.Qual(denormPath, "AppendRaw").Call(jen.Id("b"), v))
	default:
		e.fallible(jen.Qual(denormPath, "AppendMarshal").Call(jen.Id("b"), v))
	}
}

// conv converts v to the predeclared type name unless it already is one.
func conv(t goType, name string, v *jen.Statement) *jen.Statement {
	if t.Path == "" && t.Name == name {
		return v
	}
	return jen.Id(name).Call(v)
}

// list appends a slice as a JSON array; a nil slice is null, as in
// json.Marshal (the loaders never leave a to-many relation nil).
func (e *encoder) list(v *jen.Statement, elem func(inner *encoder, x *jen.Statement)) {
	e.vars++
	i, x := fmt.Sprintf("i%d", e.vars), fmt.Sprintf("x%d", e.vars)
	inner := &encoder{vars: e.vars}
	elem(inner, jen.Id(x))
	inner.flush()
	e.vars, e.usesErr = inner.vars, e.usesErr || inner.usesErr
	loop := append([]jen.Code{
		jen.If(jen.Id(i).Op(">").Lit(0)).Block(jen.Id("b").Op("=").Append(jen.Id("b"), jen.LitRune(','))),
	}, inner.stmts...)
	e.add(jen.If(v.Clone().Op("==").Nil()).Block(
		jen.Id("b").Op("=").Append(jen.Id("b"), jen.Lit("null").Op("...")),
	).Else().Block(
		jen.Id("b").Op("=").Append(jen.Id("b"), jen.LitRune('[')),
		jen.For(jen.List(jen.Id(i), jen.Id(x)).Op(":=").Range().Add(v.Clone())).Block(loop...),
		jen.Id("b").Op("=").Append(jen.Id("b"), jen.LitRune(']')),
	))
}

func (e *encoder) relation(v *jen.Statement, r *relModel) {
	// A nil object is null, as in json.Marshal.
	object := func(e *encoder, x *jen.Statement) {
		inner := &encoder{}
		inner.fallible(x.Clone().Dot("AppendJSON").Call(jen.Id("b")))
		e.usesErr = true
		e.add(jen.If(x.Clone().Op("==").Nil()).Block(
			jen.Id("b").Op("=").Append(jen.Id("b"), jen.Lit("null").Op("...")),
		).Else().Block(inner.stmts...))
	}
	switch {
	case r.Flat != nil:
		e.list(v, func(inner *encoder, x *jen.Statement) { inner.value(x, r.Flat.Type) })
	case r.r.Kind == schema.ToOne:
		object(e, v)
	default:
		e.list(v, object)
	}
}
