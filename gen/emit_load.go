package gen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
)

// The batched loaders. A chunk of roots is read level by level: the root
// query, then every relation of the roots in one pipelined round trip, then
// every relation of those, and so on; each relation is one query taking all
// its parents' keys. Rows are attached to their parents through maps built
// while the parents were scanned (the joins types).

func (m *collectionModel) lower() string { return unexported(m.GoName) }

func nodes(m *collectionModel) []*nodeModel {
	all := []*nodeModel{m.Root}
	for _, level := range m.Levels {
		all = append(all, level...)
	}
	return all
}

// loaderSQL emits the SQL constants of a collection.
func loaderSQL(m *collectionModel) jen.Code {
	key := "t." + quoteIdent(m.KeyCol.Name)
	defs := []jen.Code{
		sqlConst(m.lower()+"ByKeySQL", "selects roots by key.", rootSQL(m, key+" = ANY($1)", "")),
		sqlConst(m.lower()+"FirstSQL", "selects the first roots in key order.", rootSQL(m, "", " LIMIT $1")),
		sqlConst(m.lower()+"AfterSQL", "selects the roots after a key, in key order.", rootSQL(m, key+" > $1", " LIMIT $2")),
		sqlConst(m.lower()+"KeysFirstSQL", "lists the first root keys.", keysSQL(m, "", " LIMIT $1")),
		sqlConst(m.lower()+"KeysAfterSQL", "lists the root keys after a key.", keysSQL(m, key+" > $1", " LIMIT $2")),
	}
	for _, level := range m.Levels {
		for _, n := range level {
			defs = append(defs, sqlConst(n.lower+"SQL", fmt.Sprintf("selects the %s of parents whose keys are in $1.", n.Path), relationSQL(n)))
			if n.Ranged {
				defs = append(defs, sqlConst(n.lower+"RangeSQL", fmt.Sprintf("selects the %s of roots with keys from $1 to $2.", n.Path), rangeSQL(n)))
			}
		}
	}
	return jen.Const().Defs(defs...)
}

func sqlConst(name, doc, sql string) jen.Code {
	return jen.Comment(name + " " + doc).Line().Id(name).Op("=").Add(literal(sql))
}

func joinsType(n *nodeModel) string { return n.lower + "Joins" }
func joinsVar(n *nodeModel) string  { return "j" + n.Type }
func readFunc(n *nodeModel) string  { return "read" + n.Type }

// chunkLoader emits the function that loads one chunk of roots, given the
// root query to run.
func chunkLoader(m *collectionModel) jen.Code {
	name := "load" + m.GoName + "Chunk"
	wrap := func() jen.Code {
		return jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit(m.c.Name+": %w"), jen.Err()))
	}
	root := m.Root
	body := []jen.Code{
		jen.List(jen.Id("rows"), jen.Err()).Op(":=").Id("db").Dot("Query").Call(jen.Id("ctx"), jen.Id("sql"), jen.Id("args").Op("...")),
		jen.If(jen.Err().Op("!=").Nil()).Block(wrap()),
	}
	if len(root.Indexes) > 0 {
		body = append(body, jen.List(jen.Id("docs"), jen.Id(joinsVar(root)), jen.Err()).Op(":=").Id(readFunc(root)).Call(jen.Id("rows")))
	} else {
		body = append(body, jen.List(jen.Id("docs"), jen.Err()).Op(":=").Id(readFunc(root)).Call(jen.Id("rows")))
	}
	body = append(body, jen.If(jen.Err().Op("!=").Nil()).Block(wrap()))
	for i, level := range m.Levels {
		l := fmt.Sprintf("level%d", i+1)
		var names []string
		for _, n := range level {
			names = append(names, n.Path)
		}
		body = append(body, jen.Line().Comment(fmt.Sprintf("Level %d, in one round trip: %s.", i+1, strings.Join(names, ", "))))
		for _, n := range level {
			if len(n.Indexes) > 0 {
				body = append(body, jen.Var().Id(joinsVar(n)).Id(joinsType(n)))
			}
		}
		body = append(body, jen.Var().Id(l).Qual(denormPath, "Level"))
		for _, n := range level {
			p := n.Parent
			parents := jen.Id(joinsVar(p.From)).Dot(p.Index.Name)
			var read jen.Code
			if len(n.Indexes) > 0 {
				read = jen.Func().Params(jen.Id("rows").Qual(pgxPath, "Rows")).Params(jen.Err().Error()).Block(
					jen.List(jen.Id(joinsVar(n)), jen.Err()).Op("=").Id(readFunc(n)).Call(jen.Id("rows"), parents.Clone()),
					jen.Return(jen.Err()),
				)
			} else {
				read = jen.Func().Params(jen.Id("rows").Qual(pgxPath, "Rows")).Error().Block(
					jen.Return(jen.Id(readFunc(n)).Call(jen.Id("rows"), parents.Clone())),
				)
			}
			if n.Ranged {
				body = append(body, jen.Qual(denormPath, "QueueRange").Call(jen.Op("&").Id(l), jen.Lit(n.Path), jen.Id(n.lower+"SQL"), jen.Id(n.lower+"RangeSQL"), parents.Clone(), read))
			} else {
				body = append(body, jen.Qual(denormPath, "Queue").Call(jen.Op("&").Id(l), jen.Lit(n.Path), jen.Id(n.lower+"SQL"), parents.Clone(), read))
			}
		}
		body = append(body, jen.If(jen.Err().Op(":=").Id(l).Dot("Run").Call(jen.Id("ctx"), jen.Id("db")), jen.Err().Op("!=").Nil()).Block(wrap()))
	}
	body = append(body, jen.Return(jen.Id("docs"), jen.Nil()))
	return jen.Commentf("%s runs the root query sql, then one query per relation, a level at a time.", name).Line().
		Func().Id(name).Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("db").Qual(denormPath, "DB"), jen.Id("sql").String(), jen.Id("args").Op("...").Any()).
		Params(jen.Index().Op("*").Id(root.Type), jen.Error()).Block(body...).Line()
}

// loaders emits LoadBooks and AllBooks.
func loaders(m *collectionModel) jen.Code {
	typ := m.Root.Type
	chunk := "load" + m.GoName + "Chunk"
	load := jen.Commentf("Load%s loads the documents of the roots whose %s is in ids, one chunk of", m.GoName, m.KeyCol.Name).Line().
		Comment("denorm.ChunkSize ids at a time, each costing one query per relation level.").Line().
		Comment("Duplicate ids are read once; ids without a row are absent from the result,").Line().
		Comment("which is ordered by key within each chunk. Documents of one call share").Line().
		Comment("the rows they have in common (a publisher of several books): treat them").Line().
		Comment("as read-only, or copy before changing one. The levels are separate queries:").Line().
		Comment("pass a REPEATABLE READ pgx.Tx for documents of one snapshot.").Line().
		Func().Id("Load"+m.GoName).Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("db").Qual(denormPath, "DB"), jen.Id("ids").Index().Add(m.Key.code())).
		Params(jen.Index().Op("*").Id(typ), jen.Error()).Block(
		jen.Comment("Sorted, chunks are key ranges: neighbouring index pages, and no id read twice."),
		jen.Id("ids").Op("=").Qual("slices", "Compact").Call(jen.Qual("slices", "Sorted").Call(jen.Qual("slices", "Values").Call(jen.Id("ids")))),
		jen.Var().Id("docs").Index().Op("*").Id(typ),
		jen.For(jen.Id("chunk").Op(":=").Range().Qual("slices", "Chunk").Call(jen.Id("ids"), jen.Qual(denormPath, "ChunkSize"))).Block(
			jen.List(jen.Id("part"), jen.Err()).Op(":=").Id(chunk).Call(jen.Id("ctx"), jen.Id("db"), jen.Id(m.lower()+"ByKeySQL"), jen.Id("chunk")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
			jen.Id("docs").Op("=").Append(jen.Id("docs"), jen.Id("part").Op("...")),
		),
		jen.Return(jen.Id("docs"), jen.Nil()),
	).Line()

	all := jen.Commentf("All%s iterates over every document in key order, reading chunkSize roots", m.GoName).Line().
		Comment("per chunk (denorm.ChunkSize when not positive) by keyset pagination. It stops").Line().
		Comment("at the first error, which it yields.").Line().
		Func().Id("All"+m.GoName).Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("db").Qual(denormPath, "DB"), jen.Id("chunkSize").Int()).
		Qual("iter", "Seq2").Types(jen.Op("*").Id(typ), jen.Error()).Block(
		jen.If(jen.Id("chunkSize").Op("<=").Lit(0)).Block(jen.Id("chunkSize").Op("=").Qual(denormPath, "ChunkSize")),
		jen.Return(jen.Func().Params(jen.Id("yield").Func().Params(jen.Op("*").Id(typ), jen.Error()).Bool()).Block(
			jen.List(jen.Id("docs"), jen.Err()).Op(":=").Id(chunk).Call(jen.Id("ctx"), jen.Id("db"), jen.Id(m.lower()+"FirstSQL"), jen.Id("chunkSize")),
			jen.For().Block(
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("yield").Call(jen.Nil(), jen.Err()), jen.Return()),
				jen.For(jen.List(jen.Id("_"), jen.Id("d")).Op(":=").Range().Id("docs")).Block(
					jen.If(jen.Op("!").Id("yield").Call(jen.Id("d"), jen.Nil())).Block(jen.Return()),
				),
				jen.If(jen.Len(jen.Id("docs")).Op("<").Id("chunkSize")).Block(jen.Return()),
				jen.List(jen.Id("docs"), jen.Err()).Op("=").Id(chunk).Call(jen.Id("ctx"), jen.Id("db"), jen.Id(m.lower()+"AfterSQL"),
					jen.Id("docs").Index(jen.Len(jen.Id("docs")).Op("-").Lit(1)).Dot(m.KeyRef), jen.Id("chunkSize")),
			),
		)),
	).Line()
	read := jen.Commentf("Read%s reads documents by id from src: a *denorm.Cache of the %s", m.GoName, m.c.Name).Line().
		Commentf("collection builds and stores the missing ones (read-through), while").Line().
		Commentf("denorm.FromBackend(b, %q) reads stored documents only. Ids without a", m.c.Name).Line().
		Comment("document are absent.").Line().
		Func().Id("Read"+m.GoName).Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("src").Qual(denormPath, "DocSource"), jen.Id("ids").Index().Add(m.Key.code())).
		Params(jen.Map(m.Key.code()).Op("*").Id(typ), jen.Error()).Block(
		jen.Id("keys").Op(":=").Make(jen.Index().String(), jen.Len(jen.Id("ids"))),
		jen.For(jen.List(jen.Id("i"), jen.Id("id")).Op(":=").Range().Id("ids")).Block(
			jen.Id("keys").Index(jen.Id("i")).Op("=").Add(formatKey(m, jen.Id("id"))),
		),
		jen.List(jen.Id("docs"), jen.Err()).Op(":=").Qual(denormPath, "Read").Types(jen.Id(typ)).Call(jen.Id("ctx"), jen.Id("src"), jen.Id("keys")),
		jen.If(jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit(m.c.Name+": read: %w"), jen.Err())),
		),
		jen.Id("out").Op(":=").Make(jen.Map(m.Key.code()).Op("*").Id(typ), jen.Len(jen.Id("docs"))),
		jen.For(jen.List(jen.Id("i"), jen.Id("id")).Op(":=").Range().Id("ids")).Block(
			jen.If(jen.List(jen.Id("d"), jen.Id("ok")).Op(":=").Id("docs").Index(jen.Id("keys").Index(jen.Id("i"))), jen.Id("ok")).Block(
				jen.Id("out").Index(jen.Id("id")).Op("=").Id("d"),
			),
		),
		jen.Return(jen.Id("out"), jen.Nil()),
	).Line()
	return jen.Add(load, all, read)
}
