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
			if n.Streamed {
				defs = append(defs, sqlConst(n.lower+"StreamSQL", fmt.Sprintf("selects the %s of every root, in root key order.", n.Path), streamSQL(m, n)))
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
	streamed := streamedNodes(m)
	keyed := rootKeyedNodes(m)
	// The roots' query is a Level of its own, so that the relations on the
	// root key can join its round trip when loading by key: their parents
	// are the keys asked for.
	var body []jen.Code
	if len(keyed) > 0 {
		var names []string
		for _, n := range keyed {
			names = append(names, n.Path)
		}
		body = append(body,
			jen.Comment("The roots and, loading by key, in the same round trip, the relations on"),
			jen.Comment(fmt.Sprintf("the root key (%s): their parents are the keys asked for.", strings.Join(names, ", "))),
		)
	}
	body = append(body, jen.Var().Id("docs").Index().Op("*").Id(root.Type))
	readRoots := jen.Id("docs")
	if len(root.Indexes) > 0 {
		body = append(body, jen.Var().Id(joinsVar(root)).Id(joinsType(root)))
		readRoots = jen.List(jen.Id("docs"), jen.Id(joinsVar(root)))
	}
	for _, n := range keyed {
		if len(n.Indexes) > 0 {
			body = append(body, jen.Var().Id(joinsVar(n)).Id(joinsType(n)))
		}
	}
	body = append(body,
		jen.Var().Id("roots").Qual(denormPath, "Level"),
		jen.Qual(denormPath, "QueueRoots").Call(jen.Op("&").Id("roots"), jen.Id("sql"), jen.Id("args"),
			jen.Func().Params(jen.Id("rows").Qual(pgxPath, "Rows")).Params(jen.Err().Error()).Block(
				jen.List(readRoots, jen.Err()).Op("=").Id(readFunc(root)).Call(jen.Id("rows")),
				jen.Return(jen.Err()),
			)),
	)
	if len(keyed) > 0 {
		var queues []jen.Code
		for _, n := range keyed {
			if n.Ranged {
				queues = append(queues, jen.Qual(denormPath, "QueueKeysRange").Call(jen.Op("&").Id("roots"), jen.Lit(n.Path),
					jen.Id(n.lower+"SQL"), jen.Id(n.lower+"RangeSQL"), jen.Id("keys"), relationRead(n)))
			} else {
				queues = append(queues, jen.Qual(denormPath, "QueueKeys").Call(jen.Op("&").Id("roots"), jen.Lit(n.Path),
					jen.Id(n.lower+"SQL"), jen.Id("keys"), relationRead(n)))
			}
		}
		body = append(body, jen.If(jen.Id("keys").Op("!=").Nil()).Block(queues...))
	}
	body = append(body, jen.If(jen.Err().Op(":=").Id("roots").Dot("Run").Call(jen.Id("ctx"), jen.Id("db")), jen.Err().Op("!=").Nil()).Block(wrap()))
	if len(streamed) > 0 && !textStreams(m) {
		last := jen.Id("docs").Index(jen.Len(jen.Id("docs")).Op("-").Lit(1)).Dot(m.KeyRef)
		hi, set := jen.Int64(), jen.Int64().Call(last)
		if isUUID(m.KeyCol) {
			hi, set = jen.String(), last
		}
		body = append(body,
			jen.Var().Id("hi").Add(hi).Comment("the last root of the chunk: streams yield rows up to it"),
			jen.If(jen.Len(jen.Id("docs")).Op(">").Lit(0)).Block(
				jen.Id("hi").Op("=").Add(set),
			),
		)
	}
	for i, level := range m.Levels {
		l := fmt.Sprintf("level%d", i+1)
		var names []string
		for _, n := range level {
			names = append(names, n.Path)
		}
		body = append(body, jen.Line().Comment(fmt.Sprintf("Level %d, in one round trip: %s.", i+1, strings.Join(names, ", "))))
		for _, n := range level {
			if len(n.Indexes) > 0 && !n.RootKeyed {
				body = append(body, jen.Var().Id(joinsVar(n)).Id(joinsType(n)))
			}
		}
		body = append(body, jen.Var().Id(l).Qual(denormPath, "Level"))
		if i == 0 && len(streamed) > 0 {
			body = append(body, jen.Comment("Streamed relations read their rows while the level's queries run.").Line().
				Var().Id("reads").Index().Func().Params().Error())
		}
		for _, n := range level {
			parents := jen.Id(joinsVar(n.Parent.From)).Dot(n.Parent.Index.Name)
			read := relationRead(n)
			var queue jen.Code
			if ix := n.Parent.Index; len(ix.Parts) > 0 {
				queue = jen.Qual(denormPath, "QueueColumns").Call(jen.Op("&").Id(l), jen.Lit(n.Path), jen.Id(n.lower+"SQL"), parents.Clone(), jen.Id(ix.columnsFunc()), read)
			} else if n.Ranged {
				queue = jen.Qual(denormPath, "QueueRange").Call(jen.Op("&").Id(l), jen.Lit(n.Path), jen.Id(n.lower+"SQL"), jen.Id(n.lower+"RangeSQL"), parents.Clone(), read)
			} else {
				queue = jen.Qual(denormPath, "Queue").Call(jen.Op("&").Id(l), jen.Lit(n.Path), jen.Id(n.lower+"SQL"), parents.Clone(), read)
			}
			var fromStream jen.Code // the read of the chunk's rows from the relation's stream
			if n.Streamed && len(streamed) > 0 {
				stream := jen.Id("s").Dot(n.lower)
				switch {
				case n.TextStream:
					stream.Dot("UntilIn").Call(jen.Qual(denormPath, "InIndex").Call(parents.Clone()))
				case isUUID(m.KeyCol):
					stream.Dot("UntilUUID").Call(jen.Id("hi"))
				default:
					stream.Dot("Until").Call(jen.Id("hi"))
				}
				var readStream jen.Code
				if len(n.Indexes) > 0 {
					readStream = jen.List(jen.Id(joinsVar(n)), jen.Err()).Op("=").Id(readFunc(n)).Call(stream, parents.Clone())
				} else {
					readStream = jen.Err().Op("=").Id(readFunc(n)).Call(stream, parents.Clone())
				}
				fromStream = jen.Id("reads").Op("=").Append(jen.Id("reads"), jen.Func().Params().Params(jen.Err().Error()).Block(
					readStream,
					jen.If(jen.Err().Op("!=").Nil()).Block(
						jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit("relation "+n.Path+": %w"), jen.Err())),
					),
					jen.Return(jen.Nil()),
				))
			}
			hasStream := jen.Id("s").Op("!=").Nil().Op("&&").Id("s").Dot(n.lower).Op("!=").Nil()
			switch {
			case n.RootKeyed && fromStream != nil:
				body = append(body, jen.Comment("Read with the roots when loading by key."), jen.Switch().Block(
					jen.Case(jen.Id("keys").Op("!=").Nil()),
					jen.Case(hasStream).Block(fromStream),
					jen.Default().Block(queue),
				))
			case n.RootKeyed:
				body = append(body, jen.Comment("Read with the roots when loading by key."), jen.If(jen.Id("keys").Op("==").Nil()).Block(queue))
			case fromStream != nil:
				body = append(body, jen.If(hasStream).Block(fromStream).Else().Block(queue))
			default:
				body = append(body, queue)
			}
		}
		if i == 0 && len(streamed) > 0 {
			body = append(body,
				jen.Id("reads").Op("=").Append(jen.Id("reads"), jen.Func().Params().Error().Block(
					jen.Return(jen.Id(l).Dot("Run").Call(jen.Id("ctx"), jen.Id("db"))),
				)),
				jen.If(jen.Err().Op(":=").Qual(denormPath, "Concurrently").Call(jen.Id("reads").Op("...")), jen.Err().Op("!=").Nil()).Block(wrap()),
			)
			continue
		}
		body = append(body, jen.If(jen.Err().Op(":=").Id(l).Dot("Run").Call(jen.Id("ctx"), jen.Id("db")), jen.Err().Op("!=").Nil()).Block(wrap()))
	}
	body = append(body, jen.Return(jen.Id("docs"), jen.Nil()))
	params := []jen.Code{jen.Id("ctx").Qual("context", "Context"), jen.Id("db").Qual(denormPath, "DB")}
	doc := jen.Commentf("%s runs the root query sql, then one query per relation, a level at a time.", name)
	if len(streamed) > 0 {
		params = append(params, jen.Id("s").Op("*").Id(streamsType(m)))
		doc = doc.Line().Comment("Relations with a stream in s read their rows of the chunk from it instead.")
	}
	if len(keyed) > 0 {
		params = append(params, jen.Id("keys").Index().Add(m.Key.code()))
		doc = doc.Line().Comment("Given the keys sql selects, sorted, the relations on the root key are read").Line().
			Comment("with the roots, in the same round trip.")
	}
	params = append(params, jen.Id("sql").String(), jen.Id("args").Op("...").Any())
	return doc.Line().
		Func().Id(name).Params(params...).
		Params(jen.Index().Op("*").Id(root.Type), jen.Error()).Block(body...).Line()
}

// relationRead emits the function reading the rows of n's query into its
// parents, setting n's joins when it has some.
func relationRead(n *nodeModel) jen.Code {
	parents := jen.Id(joinsVar(n.Parent.From)).Dot(n.Parent.Index.Name)
	if len(n.Indexes) > 0 {
		return jen.Func().Params(jen.Id("rows").Qual(pgxPath, "Rows")).Params(jen.Err().Error()).Block(
			jen.List(jen.Id(joinsVar(n)), jen.Err()).Op("=").Id(readFunc(n)).Call(jen.Id("rows"), parents),
			jen.Return(jen.Err()),
		)
	}
	return jen.Func().Params(jen.Id("rows").Qual(pgxPath, "Rows")).Error().Block(
		jen.Return(jen.Id(readFunc(n)).Call(jen.Id("rows"), parents)),
	)
}

// rootKeyedNodes are the relations read with the roots when loading by key:
// those joining on the root key.
func rootKeyedNodes(m *collectionModel) []*nodeModel {
	return rootRelations(m, func(n *nodeModel) bool { return n.RootKeyed })
}

// streamedNodes are the relations a full build reads as sorted streams: the
// Streamed ones, to-many relations of the root on its integer, uuid or text key.
func streamedNodes(m *collectionModel) []*nodeModel {
	return rootRelations(m, func(n *nodeModel) bool { return n.Streamed })
}

// rootRelations are the relations of the root that keep holds for.
func rootRelations(m *collectionModel, keep func(*nodeModel) bool) []*nodeModel {
	var out []*nodeModel
	if len(m.Levels) > 0 {
		for _, n := range m.Levels[0] {
			if keep(n) {
				out = append(out, n)
			}
		}
	}
	return out
}

// textStreams reports whether m's streams are by a text key, taken by
// membership and checked at the end (finish). A collection's streams share
// its root key, so they all are or none is.
func textStreams(m *collectionModel) bool {
	ns := streamedNodes(m)
	return len(ns) > 0 && ns[0].TextStream
}

func streamsType(m *collectionModel) string { return m.lower() + "Streams" }

// streams emits the type holding a full build's streams and its constructor.
func streams(m *collectionModel) jen.Code {
	nodes := streamedNodes(m)
	if len(nodes) == 0 {
		return jen.Null()
	}
	typ, open := streamsType(m), "open"+m.GoName+"Streams"
	var fields, opens, closes, finishes []jen.Code
	for _, n := range nodes {
		finishes = append(finishes, jen.If(jen.Err().Op(":=").Id("s").Dot(n.lower).Dot("Finish").Call(), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit("relation "+n.Path+": %w"), jen.Err())),
		))
		fields = append(fields, jen.Id(n.lower).Op("*").Qual(denormPath, "Stream"))
		opens = append(opens,
			jen.If(jen.List(jen.Id("s").Dot(n.lower), jen.Err()).Op("=").Qual(denormPath, "OpenStream").Call(
				jen.Id("ctx"), jen.Id("db"), jen.Id(n.lower+"StreamSQL"), jen.Lit(parentKeyColumn(n))), jen.Err().Op("!=").Nil()).Block(
				jen.Id("s").Dot("close").Call(),
				jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("relation "+n.Path+": %w"), jen.Err())),
			))
		closes = append(closes, jen.Id("s").Dot(n.lower).Dot("Close").Call())
	}
	openBody := []jen.Code{
		jen.If(jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Id("db").Assert(jen.Op("*").Qual(denormPath, "Snapshot")), jen.Op("!").Id("ok")).Block(
			jen.Return(jen.Nil(), jen.Nil()),
		),
		jen.Id("s").Op(":=").Op("&").Id(typ).Values(),
		jen.Var().Err().Error(),
	}
	openBody = append(openBody, opens...)
	openBody = append(openBody, jen.Return(jen.Id("s"), jen.Nil()))
	closeBody := append([]jen.Code{jen.If(jen.Id("s").Op("==").Nil()).Block(jen.Return())}, closes...)
	finish := jen.Null()
	if textStreams(m) {
		body := append([]jen.Code{jen.If(jen.Id("s").Op("==").Nil()).Block(jen.Return(jen.Nil()))}, finishes...)
		finish = jen.Line().Line().
			Comment("finish checks, after the last chunk, that the chunks took every row of the").Line().
			Comment("streams: they are sorted by a text key, taken by membership.").Line().
			Func().Params(jen.Id("s").Op("*").Id(typ)).Id("finish").Params().Error().Block(append(body, jen.Return(jen.Nil()))...)
	}
	return jen.Commentf("%s are the sorted streams of a full build, one per to-many relation of", typ).Line().
		Comment("the root; a relation without one is read chunk by chunk.").Line().
		Type().Id(typ).Struct(fields...).Line().Line().
		Commentf("%s opens the streams that db, when it is a *denorm.Snapshot with", open).Line().
		Comment("connections to spare, can serve; nil for any other db.").Line().
		Func().Id(open).Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("db").Qual(denormPath, "DB")).
		Params(jen.Op("*").Id(typ), jen.Error()).Block(openBody...).Line().Line().
		Comment("close ends the streams.").Line().
		Func().Params(jen.Id("s").Op("*").Id(typ)).Id("close").Params().Block(closeBody...).Add(finish).Line()
}

// loaders emits LoadBooks and AllBooks.
func loaders(m *collectionModel) jen.Code {
	typ := m.Root.Type
	chunk := "load" + m.GoName + "Chunk"
	byKey := "load" + m.GoName + "ByKey"
	hasStreams := len(streamedNodes(m)) > 0
	hasKeyed := len(rootKeyedNodes(m)) > 0
	// chunkCall calls the chunk loader, with the streams s when there are,
	// and the keys when relations join on them.
	chunkCall := func(s, keys jen.Code, args ...jen.Code) *jen.Statement {
		all := []jen.Code{jen.Id("ctx"), jen.Id("db")}
		if hasStreams {
			all = append(all, s)
		}
		if hasKeyed {
			all = append(all, keys)
		}
		return jen.Id(chunk).Call(append(all, args...)...)
	}
	load := jen.Commentf("Load%s loads the documents of the roots whose %s is in ids, one chunk of", m.GoName, m.KeyCol.Name).Line().
		Comment("denorm.ChunkSize ids at a time, each costing one query per relation level.").Line().
		Comment("Duplicate ids are read once; ids without a row are absent from the result,").Line().
		Comment("which is ordered by key. Documents of one call share the rows they have in").Line().
		Comment("common (a publisher of several books): treat them as read-only, or copy").Line().
		Comment("before changing one. The levels are separate queries: pass a REPEATABLE").Line().
		Comment("READ pgx.Tx for documents of one snapshot, or a *denorm.Snapshot, which").Line().
		Comment("also loads parts of many ids at once on connections of their own.").Line().
		Func().Id("Load"+m.GoName).Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("db").Qual(denormPath, "DB"), jen.Id("ids").Index().Add(m.Key.code())).
		Params(jen.Index().Op("*").Id(typ), jen.Error()).Block(
		jen.Comment("Sorted, chunks are key ranges: neighbouring index pages, and no id read twice."),
		jen.Id("ids").Op("=").Qual("slices", "Compact").Call(jen.Qual("slices", "Sorted").Call(jen.Qual("slices", "Values").Call(jen.Id("ids")))),
		jen.Return(jen.Qual(denormPath, "LoadChunks").Call(jen.Id("ctx"), jen.Id("db"), jen.Id("ids"), jen.Qual(denormPath, "ChunkSize"), jen.Id(byKey))),
	).Line().Line().
		Commentf("Build%s renders the JSON documents of the roots whose %s is in ids, by", m.GoName, m.KeyCol.Name).Line().
		Commentf("%s: Load%s and AppendJSON, with each part of a *denorm.Snapshot encoding", m.KeyCol.Name, m.GoName).Line().
		Comment("its documents as soon as it has loaded them, while the others still load.").Line().
		Comment("Ids without a row are absent.").Line().
		Func().Id("Build"+m.GoName).Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("db").Qual(denormPath, "DB"), jen.Id("ids").Index().Add(m.Key.code())).
		Params(jen.Map(m.Key.code()).Index().Byte(), jen.Error()).Block(
		jen.Id("ids").Op("=").Qual("slices", "Compact").Call(jen.Qual("slices", "Sorted").Call(jen.Qual("slices", "Values").Call(jen.Id("ids")))),
		jen.Return(jen.Qual(denormPath, "BuildChunks").Call(jen.Id("ctx"), jen.Id("db"), jen.Id("ids"), jen.Qual(denormPath, "ChunkSize"), jen.Id(byKey),
			jen.Func().Params(jen.Id("d").Op("*").Id(typ)).Add(m.Key.code()).Block(jen.Return(jen.Id("d").Dot(m.KeyRef))))),
	).Line().Line().
		Commentf("%s loads the documents of one chunk of ids, sorted and distinct.", byKey).Line().
		Func().Id(byKey).Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("db").Qual(denormPath, "DB"), jen.Id("chunk").Index().Add(m.Key.code())).
		Params(jen.Index().Op("*").Id(typ), jen.Error()).Block(
		jen.Return(chunkCall(jen.Nil(), jen.Id("chunk"), jen.Id(m.lower()+"ByKeySQL"), jen.Id("chunk"))),
	).Line()

	allDoc := jen.Commentf("All%s iterates over every document in key order, reading chunkSize roots", m.GoName).Line().
		Comment("per chunk (denorm.ChunkSize when not positive) by keyset pagination. It stops").Line().
		Comment("at the first error, which it yields.")
	var open []jen.Code
	if hasStreams {
		allDoc = allDoc.Line().Comment("").Line().
			Comment("Given a *denorm.Snapshot with connections to spare, it reads each to-many").Line().
			Comment("relation of the root as one stream sorted by root key, on a connection of").Line().
			Comment("its own: every table is read once, in one scan, instead of by index chunk").Line().
			Comment("after chunk. The documents are the same.")
		open = []jen.Code{
			jen.List(jen.Id("s"), jen.Err()).Op(":=").Id("open"+m.GoName+"Streams").Call(jen.Id("ctx"), jen.Id("db")),
			jen.If(jen.Err().Op("!=").Nil()).Block(
				jen.Id("yield").Call(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit(m.c.Name+": %w"), jen.Err())),
				jen.Return(),
			),
			jen.Defer().Id("s").Dot("close").Call(),
			jen.List(jen.Id("docs"), jen.Err()).Op(":=").Add(chunkCall(jen.Id("s"), jen.Nil(), jen.Id(m.lower()+"FirstSQL"), jen.Id("chunkSize"))),
		}
	} else {
		open = []jen.Code{
			jen.List(jen.Id("docs"), jen.Err()).Op(":=").Add(chunkCall(nil, jen.Nil(), jen.Id(m.lower()+"FirstSQL"), jen.Id("chunkSize"))),
		}
	}
	end := []jen.Code{jen.Return()}
	if textStreams(m) {
		end = []jen.Code{
			jen.If(jen.Err().Op(":=").Id("s").Dot("finish").Call(), jen.Err().Op("!=").Nil()).Block(
				jen.Id("yield").Call(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit(m.c.Name+": %w"), jen.Err())),
			),
			jen.Return(),
		}
	}
	iterBody := append(open, jen.For().Block(
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Id("yield").Call(jen.Nil(), jen.Err()), jen.Return()),
		jen.For(jen.List(jen.Id("_"), jen.Id("d")).Op(":=").Range().Id("docs")).Block(
			jen.If(jen.Op("!").Id("yield").Call(jen.Id("d"), jen.Nil())).Block(jen.Return()),
		),
		jen.If(jen.Len(jen.Id("docs")).Op("<").Id("chunkSize")).Block(end...),
		jen.Id("last").Op(":=").Id("docs").Index(jen.Len(jen.Id("docs")).Op("-").Lit(1)).Dot(m.KeyRef),
		jen.Comment("The yielded documents are the caller's now: let go of them before"),
		jen.Comment("reading the next chunk, so that at most one chunk is held here."),
		jen.Id("clear").Call(jen.Id("docs")),
		jen.List(jen.Id("docs"), jen.Err()).Op("=").Add(chunkCall(jen.Id("s"), jen.Nil(), jen.Id(m.lower()+"AfterSQL"),
			jen.Id("last"), jen.Id("chunkSize"))),
	))
	all := allDoc.Line().
		Func().Id("All"+m.GoName).Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("db").Qual(denormPath, "DB"), jen.Id("chunkSize").Int()).
		Qual("iter", "Seq2").Types(jen.Op("*").Id(typ), jen.Error()).Block(
		jen.If(jen.Id("chunkSize").Op("<=").Lit(0)).Block(jen.Id("chunkSize").Op("=").Qual(denormPath, "ChunkSize")),
		jen.Return(jen.Func().Params(jen.Id("yield").Func().Params(jen.Op("*").Id(typ), jen.Error()).Bool()).Block(iterBody...)),
	).Line()
	readDocs := func(keys string) []jen.Code {
		return []jen.Code{
			jen.List(jen.Id("docs"), jen.Err()).Op(":=").Qual(denormPath, "Read").Types(jen.Id(typ)).Call(jen.Id("ctx"), jen.Id("src"), jen.Id(keys)),
			jen.If(jen.Err().Op("!=").Nil()).Block(
				jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit(m.c.Name+": read: %w"), jen.Err())),
			),
		}
	}
	var readBody []jen.Code
	if m.Key.Name == "string" {
		// The ids are the documents' keys already.
		readBody = append(readDocs("ids"), jen.Return(jen.Id("docs"), jen.Nil()))
	} else {
		readBody = append([]jen.Code{
			jen.Id("keys").Op(":=").Make(jen.Index().String(), jen.Len(jen.Id("ids"))),
			jen.For(jen.List(jen.Id("i"), jen.Id("id")).Op(":=").Range().Id("ids")).Block(
				jen.Id("keys").Index(jen.Id("i")).Op("=").Add(formatKey(m, jen.Id("id"))),
			),
		}, readDocs("keys")...)
		readBody = append(readBody,
			jen.Id("out").Op(":=").Make(jen.Map(m.Key.code()).Op("*").Id(typ), jen.Len(jen.Id("docs"))),
			jen.For(jen.List(jen.Id("i"), jen.Id("id")).Op(":=").Range().Id("ids")).Block(
				jen.If(jen.List(jen.Id("d"), jen.Id("ok")).Op(":=").Id("docs").Index(jen.Id("keys").Index(jen.Id("i"))), jen.Id("ok")).Block(
					jen.Id("out").Index(jen.Id("id")).Op("=").Id("d"),
				),
			),
			jen.Return(jen.Id("out"), jen.Nil()),
		)
	}
	read := jen.Commentf("Read%s reads documents by id from src: a *denorm.Cache of the %s", m.GoName, m.c.Name).Line().
		Commentf("collection builds and stores the missing ones (read-through), while").Line().
		Commentf("denorm.FromBackend(b, %q) reads stored documents only. Ids without a", m.c.Name).Line().
		Comment("document are absent.").Line().
		Func().Id("Read"+m.GoName).Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("src").Qual(denormPath, "DocSource"), jen.Id("ids").Index().Add(m.Key.code())).
		Params(jen.Map(m.Key.code()).Op("*").Id(typ), jen.Error()).Block(readBody...).Line()
	return jen.Add(load, all, read)
}
