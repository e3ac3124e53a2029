package gen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/denormgen/denormgen/schema"
)

// The scanning side of the loaders: one function per document level reads
// its query's rows, attaches each to its parents, and indexes it for the
// relations of the next level.

// indexType is *denorm.Index[K, *T].
func indexType(key goType, typ string) *jen.Statement {
	return jen.Op("*").Qual(denormPath, "Index").Types(key.code(), jen.Op("*").Id(typ))
}

// joinsStruct emits the maps a level's rows are found by when the rows of
// its relations are attached:
//
//	type bookJoins struct {
//		byID map[int64][]*Book
//	}
func joinsStruct(n *nodeModel) jen.Code {
	if len(n.Indexes) == 0 {
		return jen.Null()
	}
	var fields []jen.Code
	for _, ix := range n.Indexes {
		fields = append(fields, jen.Id(ix.Name).Add(indexType(ix.Key, n.Type)))
	}
	code := jen.Commentf("%s indexes %s rows by the columns their relations join on.", joinsType(n), n.Type).Line().
		Type().Id(joinsType(n)).Struct(fields...).Line()
	for _, ix := range n.Indexes {
		if len(ix.Parts) > 0 {
			code.Line().Add(compositeKey(n, ix))
		}
	}
	return code
}

// compositeKey emits the struct of a key of several columns, and the
// function turning keys into the query's arguments, one slice per column:
//
//	type lessonByCourseIDNKey struct { CourseID int32; N int32 }
//	func lessonByCourseIDNColumns(keys []lessonByCourseIDNKey) []any { ... }
func compositeKey(n *nodeModel, ix *indexModel) jen.Code {
	var fields, cols, fill, ret []jen.Code
	var names []string
	for i, p := range ix.Parts {
		names = append(names, p.Col.Name)
		fields = append(fields, jen.Id(p.Part).Add(p.Key.code()))
		c := fmt.Sprintf("c%d", i)
		cols = append(cols, jen.Id(c).Op(":=").Make(jen.Index().Add(p.Key.code()), jen.Len(jen.Id("keys"))))
		fill = append(fill, jen.Id(c).Index(jen.Id("i")).Op("=").Id("k").Dot(p.Part))
		ret = append(ret, jen.Id(c))
	}
	body := append(cols,
		jen.For(jen.List(jen.Id("i"), jen.Id("k")).Op(":=").Range().Id("keys")).Block(fill...),
		jen.Return(jen.Index().Any().Values(ret...)))
	return jen.Commentf("%s is a key of %s rows: (%s).", ix.Key.Name, n.Type, strings.Join(names, ", ")).Line().
		Type().Id(ix.Key.Name).Struct(fields...).Line().Line().
		Commentf("%s turns keys into one slice per column, the arguments of a query", ix.columnsFunc()).Line().
		Comment("joining on them.").Line().
		Func().Id(ix.columnsFunc()).Params(jen.Id("keys").Index().Id(ix.Key.Name)).Index().Any().Block(body...).Line()
}

// readNode emits the function scanning one query's rows of a level.
func readNode(n *nodeModel) jen.Code {
	hasJoins := len(n.Indexes) > 0
	var results []jen.Code
	var zero []jen.Code
	var params []jen.Code
	params = append(params, jen.Id("rows").Qual(pgxPath, "Rows"))
	if n.Parent == nil {
		results = append(results, jen.Index().Op("*").Id(n.Type))
		zero = append(zero, jen.Nil())
	} else {
		p := n.Parent
		params = append(params, jen.Id("parents").Add(indexType(p.Index.Key, p.From.Type)))
	}
	if hasJoins {
		results = append(results, jen.Id(joinsType(n)))
		zero = append(zero, jen.Id("j"))
	}
	results = append(results, jen.Error())

	body := []jen.Code{jen.Defer().Id("rows").Dot("Close").Call()}
	if n.Parent == nil {
		body = append(body, jen.Var().Id("docs").Index().Op("*").Id(n.Type))
	}
	if hasJoins {
		var inits []jen.Code
		for _, ix := range n.Indexes {
			inits = append(inits, jen.Id(ix.Name).Op(":").Qual(denormPath, "NewIndex").Types(ix.Key.code(), jen.Op("*").Id(n.Type)).Call(jen.Lit(64)))
		}
		body = append(body, jen.Id("j").Op(":=").Id(joinsType(n)).Values(inits...))
	}

	flat := n.Parent != nil && n.Parent.Flat != nil
	// Scan's arguments escape (rows is an interface), so the targets that do
	// not change from row to row, and the slice passing them, are made once:
	// two allocations fewer per row.
	var loop, pre []jen.Code
	var perRow []jen.Code // dest[i] = target, for targets that change
	for i, s := range n.Selects {
		var target jen.Code
		changes := true
		switch {
		case s.Field != nil && flat:
			loop = append(loop, jen.Var().Id("v").Add(s.Type.code()))
			target = jen.Op("&").Id("v")
		case s.Field != nil:
			target = jen.Op("&").Id("d").Dot(s.Field.f.GoName)
		case s.Part != "":
			// A column of a composite parent key, declared below.
			target, changes = jen.Op("&").Id(s.Local).Dot(s.Part), false
		default:
			pre = append(pre, jen.Var().Id(s.Local).Add(s.Type.code()))
			target, changes = jen.Op("&").Id(s.Local), false
		}
		set := jen.Id("dest").Index(jen.Lit(i)).Op("=").Add(target)
		if changes {
			perRow = append(perRow, set)
		} else {
			pre = append(pre, set)
		}
	}
	if pk := n.ParentKey; pk != nil && pk.Field == nil && len(n.Parent.Index.Parts) > 0 {
		pre = append([]jen.Code{jen.Var().Id(pk.Local).Add(pk.Type.code())}, pre...)
	}
	pre = append([]jen.Code{jen.Id("dest").Op(":=").Make(jen.Index().Any(), jen.Lit(len(n.Selects)))}, pre...)
	body = append(body, pre...)
	if !flat {
		// To-many relations start empty, never nil: [] in JSON, not null.
		var inits []jen.Code
		for _, r := range n.Rels {
			if r.r.Many() {
				inits = append(inits, jen.Id(r.GoName).Op(":").Add(relType(r)).Values())
			}
		}
		// Rows are allocated in slabs, growing from 8 to 256: one allocation
		// per slab rather than per row.
		body = append(body, jen.Var().Id("slab").Index().Id(n.Type))
		loop = append(loop,
			jen.If(jen.Len(jen.Id("slab")).Op("==").Cap(jen.Id("slab"))).Block(
				jen.Id("slab").Op("=").Make(jen.Index().Id(n.Type), jen.Lit(0), jen.Min(jen.Lit(256), jen.Max(jen.Lit(8), jen.Lit(2).Op("*").Cap(jen.Id("slab"))))),
			),
			jen.Id("slab").Op("=").Append(jen.Id("slab"), jen.Id(n.Type).Values(inits...)),
			jen.Id("d").Op(":=").Op("&").Id("slab").Index(jen.Len(jen.Id("slab")).Op("-").Lit(1)),
		)
	}
	loop = append(loop, perRow...)
	targets := []jen.Code{jen.Id("dest").Op("...")}
	loop = append(loop, jen.If(jen.Err().Op(":=").Id("rows").Dot("Scan").Call(targets...), jen.Err().Op("!=").Nil()).
		Block(jen.Return(append(zero, jen.Err())...)))

	var afterLoop []jen.Code
	switch p := n.Parent; {
	case p == nil:
		loop = append(loop, jen.Id("docs").Op("=").Append(jen.Id("docs"), jen.Id("d")))
	case p.r.Kind == schema.ToOne:
		loop = append(loop, attach(n, jen.Id("p").Dot(p.GoName).Op("=").Id("d")))
	default:
		// A to-many relation: its rows come grouped by parent, and
		// denorm.Lists hands out each parent's list when the next begins.
		// Lists Go sorts are sorted once all rows are in: a query without
		// ORDER BY may, on another plan, bring a parent's rows in several
		// groups.
		elem, val := jen.Op("*").Id(n.Type), jen.Id("d")
		if p.Flat != nil {
			elem, val = p.Flat.Type.code(), jen.Id("v")
		}
		body = append(body, jen.Var().Id("lists").Qual(denormPath, "Lists").Types(p.Index.Key.code(), elem))
		give := func(call jen.Code) jen.Code {
			return jen.If(jen.List(jen.Id("list"), jen.Id("k"), jen.Id("ok")).Op(":=").Add(call), jen.Id("ok")).Block(
				jen.For(jen.Id("p").Op(":=").Range().Id("parents").Dot("Get").Call(jen.Id("k"))).Block(
					jen.Id("p").Dot(p.GoName).Op("=").Qual(denormPath, "Extend").Call(jen.Id("p").Dot(p.GoName), jen.Id("list")),
				),
			)
		}
		loop = append(loop, give(jen.Id("lists").Dot("Add").Call(parentKey(n), val)))
		afterLoop = append(afterLoop, give(jen.Id("lists").Dot("Flush").Call()))
		if sort := sortList(n, jen.Id("p").Dot(p.GoName)); sort != nil {
			afterLoop = append(afterLoop, jen.For(jen.Id("p").Op(":=").Range().Id("parents").Dot("All").Call()).Block(sort))
		}
	}
	for _, ix := range n.Indexes {
		// A row with a NULL in its key joins to nothing (MATCH SIMPLE).
		var valid []jen.Code
		key := keyValue(ix, &valid)
		if len(ix.Parts) > 0 {
			var values []jen.Code
			for _, p := range ix.Parts {
				values = append(values, jen.Id(p.Part).Op(":").Add(keyValue(p, &valid)))
			}
			key = jen.Id(ix.Key.Name).Values(values...)
		}
		stmt := jen.Id("j").Dot(ix.Name).Dot("Add").Call(key, jen.Id("d"))
		if len(valid) > 0 {
			cond := jen.Add(valid[0])
			for _, c := range valid[1:] {
				cond.Op("&&").Add(c)
			}
			stmt = jen.If(cond).Block(stmt)
		}
		loop = append(loop, stmt)
	}
	body = append(body, jen.For(jen.Id("rows").Dot("Next").Call()).Block(loop...))
	body = append(body, afterLoop...)
	var ret []jen.Code
	if n.Parent == nil {
		ret = append(ret, jen.Id("docs"))
	}
	if hasJoins {
		ret = append(ret, jen.Id("j"))
	}
	body = append(body, jen.Return(append(ret, jen.Id("rows").Dot("Err").Call())...))

	var doc string
	if n.Parent == nil {
		doc = fmt.Sprintf("%s scans root rows.", readFunc(n))
	} else {
		doc = fmt.Sprintf("%s scans the rows of %s and attaches each to its parents.", readFunc(n), n.lower+"SQL")
	}
	return jen.Comment(doc).Line().Func().Id(readFunc(n)).Params(params...).Params(results...).Block(body...).Line()
}

// keyValue is the value of a one-column key ix of the row d being read,
// adding to valid the condition that it is not NULL, if it may be; nil for
// a key of several columns.
func keyValue(ix *indexModel, valid *[]jen.Code) *jen.Statement {
	switch {
	case len(ix.Parts) > 0:
		return nil
	case ix.Field != nil && ix.Field.Type.Ptr:
		*valid = append(*valid, jen.Id("d").Dot(ix.Field.f.GoName).Op("!=").Nil())
		return jen.Op("*").Id("d").Dot(ix.Field.f.GoName)
	case ix.Field != nil:
		return jen.Id("d").Dot(ix.Field.f.GoName)
	case ix.Valid != "":
		*valid = append(*valid, jen.Id(ix.Select.Local).Dot("Valid"))
		return jen.Id(ix.Select.Local).Dot(ix.Valid)
	}
	return jen.Id(ix.Select.Local)
}

// attach emits: for p := range parents.Get(key) { <stmt> }
func attach(n *nodeModel, stmt jen.Code) jen.Code {
	return jen.For(jen.Id("p").Op(":=").Range().Id("parents").Dot("Get").Call(parentKey(n))).Block(stmt)
}

// parentKey is the parent key of the row being read.
func parentKey(n *nodeModel) jen.Code {
	if f := n.ParentKey.Field; f != nil {
		return jen.Id("d").Dot(f.f.GoName)
	}
	return jen.Id("key")
}

// sortList emits the sort of one parent's list, complete, into the
// relation's order, where Go does it (goOrder); nil where it does not:
//
//	slices.SortFunc(p.Reviews, func(a, b *Review) int { return cmp.Compare(a.ID, b.ID) })
func sortList(n *nodeModel, list *jen.Statement) jen.Code {
	keys := goOrder(n)
	if keys == nil {
		return nil
	}
	var cmps []jen.Code
	for _, k := range keys {
		x, y := jen.Id("a").Dot(k.GoName), jen.Id("b").Dot(k.GoName)
		if k.Desc {
			x, y = y, x
		}
		cmps = append(cmps, jen.Qual("cmp", "Compare").Call(x, y))
	}
	result := cmps[0]
	if len(cmps) > 1 {
		result = jen.Qual("cmp", "Or").Call(cmps...)
	}
	elem := jen.Op("*").Id(n.Type)
	return jen.Qual("slices", "SortFunc").Call(list,
		jen.Func().Params(jen.List(jen.Id("a"), jen.Id("b")).Add(elem)).Int().Block(jen.Return(result)))
}
