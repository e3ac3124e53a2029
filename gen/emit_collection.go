package gen

import (
	"github.com/dave/jennifer/jen"

	"github.com/denormgen/denormgen/runtime/denorm"
)

// collectionType emits the denorm.Collection of a collection: an empty
// struct whose methods call the typed loaders.
func collectionType(m *collectionModel, deps []denorm.Dependency) jen.Code {
	typ := m.lower() + "Collection"
	parse := "parse" + m.GoName + "Key"
	recv := jen.Id(typ)
	ctxDB := []jen.Code{jen.Id("ctx").Qual("context", "Context"), jen.Id("db").Qual(denormPath, "DB")}

	var tables []jen.Code
	for _, t := range m.Tables {
		tables = append(tables, jen.Lit(t))
	}
	var depVals []jen.Code
	for _, d := range deps {
		depVals = append(depVals, jen.Values(jen.Line().Id("Table").Op(":").Lit(d.Table), jen.Line().Id("SQL").Op(":").Add(literal(d.SQL)), jen.Line()))
	}

	return jen.Commentf("%s is the %s collection as the Syncer sees it.", typ, m.c.Name).Line().
		Type().Id(typ).Struct().Line().Line().
		Func().Params(recv.Clone()).Id("Name").Params().String().Block(jen.Return(jen.Lit(m.c.Name))).Line().Line().
		Comment("Build renders the documents of keys; a key that cannot name a row (not a").Line().
		Commentf("number, say) is absent like any missing root, so its document is deleted.").Line().
		Commentf("It renders as Build%s does, by the key's text form.", m.GoName).Line().
		Func().Params(recv.Clone()).Id("Build").Params(append(ctxDB, jen.Id("keys").Index().String())...).
		Params(jen.Map(jen.String()).Index().Byte(), jen.Error()).Block(
		jen.Id("ids").Op(":=").Make(jen.Index().Add(m.Key.code()), jen.Lit(0), jen.Len(jen.Id("keys"))),
		jen.For(jen.List(jen.Id("_"), jen.Id("k")).Op(":=").Range().Id("keys")).Block(
			jen.If(jen.List(jen.Id("id"), jen.Id("ok")).Op(":=").Id(parse).Call(jen.Id("k")), jen.Id("ok")).Block(
				jen.Id("ids").Op("=").Append(jen.Id("ids"), jen.Id("id")),
			),
		),
		jen.Id("ids").Op("=").Qual("slices", "Compact").Call(jen.Qual("slices", "Sorted").Call(jen.Qual("slices", "Values").Call(jen.Id("ids")))),
		jen.Return(jen.Qual(denormPath, "BuildChunks").Call(jen.Id("ctx"), jen.Id("db"), jen.Id("ids"), jen.Qual(denormPath, "ChunkSize"), jen.Id("load"+m.GoName+"ByKey"),
			jen.Func().Params(jen.Id("d").Op("*").Id(m.Root.Type)).String().Block(jen.Return(formatKey(m, jen.Id("d").Dot(m.KeyRef)))))),
	).Line().Line().
		Commentf("BuildAll renders every document, chunkSize roots at a time in key order:").Line().
		Commentf("All%s, which reads the to-many relations of the root as sorted streams", m.GoName).Line().
		Comment("when db is a *denorm.Snapshot with connections to spare.").Line().
		Func().Params(recv.Clone()).Id("BuildAll").Params(append(ctxDB, jen.Id("chunkSize").Int())...).
		Qual("iter", "Seq2").Types(jen.Map(jen.String()).Index().Byte(), jen.Error()).Block(
		jen.Return(jen.Qual(denormPath, "EncodeChunks").Call(jen.Id("All"+m.GoName).Call(jen.Id("ctx"), jen.Id("db"), jen.Id("chunkSize")), jen.Id("chunkSize"),
			jen.Func().Params(jen.Id("d").Op("*").Id(m.Root.Type)).String().Block(jen.Return(formatKey(m, jen.Id("d").Dot(m.KeyRef)))))),
	).Line().Line().
		Comment("ScanKeys lists root keys in key order, after the key after (\"\" for the first).").Line().
		Func().Params(recv.Clone()).Id("ScanKeys").Params(append(ctxDB, jen.Id("after").String(), jen.Id("limit").Int())...).
		Params(jen.Index().String(), jen.Error()).Block(
		jen.If(jen.Id("after").Op("==").Lit("")).Block(
			jen.Return(jen.Qual(denormPath, "QueryKeys").Call(jen.Id("ctx"), jen.Id("db"), jen.Id(m.lower()+"KeysFirstSQL"), jen.Id("limit"))),
		),
		jen.List(jen.Id("id"), jen.Id("ok")).Op(":=").Id(parse).Call(jen.Id("after")),
		jen.If(jen.Op("!").Id("ok")).Block(
			jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit(m.c.Name+": scan keys after %q: not a key of "+m.KeyCol.Name), jen.Id("after"))),
		),
		jen.Return(jen.Qual(denormPath, "QueryKeys").Call(jen.Id("ctx"), jen.Id("db"), jen.Id(m.lower()+"KeysAfterSQL"), jen.Id("id"), jen.Id("limit"))),
	).Line().Line().
		Comment("Tables lists every table the documents read.").Line().
		Func().Params(recv.Clone()).Id("Tables").Params().Index().String().Block(
		jen.Return(jen.Index().String().Values(tables...)),
	).Line().Line().
		Comment("Dependencies resolve outbox changes of each table to affected roots.").Line().
		Func().Params(recv.Clone()).Id("Dependencies").Params().Index().Qual(denormPath, "Dependency").Block(
		jen.Return(jen.Index().Qual(denormPath, "Dependency").Values(depVals...)),
	).Line()
}

// keyParser emits parseBooksKey, the id a text key names, if any.
func keyParser(m *collectionModel) jen.Code {
	name := "parse" + m.GoName + "Key"
	var body []jen.Code
	switch {
	case m.Key.Name == "string" && m.KeyCol.Type.Name == "uuid":
		body = []jen.Code{jen.Return(jen.Id("k"), jen.Qual(denormPath, "ValidUUID").Call(jen.Id("k")))}
	case m.Key.Name == "string":
		body = []jen.Code{jen.Return(jen.Id("k"), jen.True())}
	default:
		bits := map[string]int{"int16": 16, "int32": 32, "int64": 64}[m.Key.Name]
		id := jen.Id("id")
		if m.Key.Name != "int64" {
			id = jen.Id(m.Key.Name).Call(jen.Id("id"))
		}
		body = []jen.Code{
			jen.List(jen.Id("id"), jen.Err()).Op(":=").Qual("strconv", "ParseInt").Call(jen.Id("k"), jen.Lit(10), jen.Lit(bits)),
			jen.Return(id, jen.Err().Op("==").Nil()),
		}
	}
	return jen.Commentf("%s returns the id the text key k names, if it can name one.", name).Line().
		Func().Id(name).Params(jen.Id("k").String()).Params(m.Key.code(), jen.Bool()).Block(body...).Line()
}

// formatKey is the text form of a root key, as PostgreSQL prints it.
func formatKey(m *collectionModel, v *jen.Statement) jen.Code {
	switch m.Key.Name {
	case "string":
		return v
	case "int64":
		return jen.Qual("strconv", "FormatInt").Call(v, jen.Lit(10))
	}
	return jen.Qual("strconv", "FormatInt").Call(jen.Int64().Call(v), jen.Lit(10))
}

// collectionsFunc emits Collections(), the package's list for the Syncer.
func collectionsFunc(models []*collectionModel) jen.Code {
	var vals []jen.Code
	for _, m := range models {
		vals = append(vals, jen.Id(m.lower()+"Collection").Values())
	}
	return jen.Comment("Collections returns every collection of the package, in the order of denorm.yaml.").Line().
		Func().Id("Collections").Params().Index().Qual(denormPath, "Collection").Block(
		jen.Return(jen.Index().Qual(denormPath, "Collection").Values(vals...)),
	).Line()
}

// assertCollection emits a compile-time check that the type implements
// denorm.Collection, and denorm.AllBuilder for full syncs in one pass.
func assertCollection(m *collectionModel) jen.Code {
	return jen.Var().Defs(
		jen.Id("_").Qual(denormPath, "Collection").Op("=").Id(m.lower()+"Collection").Values(),
		jen.Id("_").Qual(denormPath, "AllBuilder").Op("=").Id(m.lower()+"Collection").Values(),
	).Line()
}

// installVar emits the install SQL, embedded from the file generated next
// to the package, so that an application can apply it at startup.
func installVar() jen.Code {
	return jen.Comment("InstallSQL creates the outbox and the triggers that feed it. It is").Line().
		Comment("idempotent: run it after every migration (`denormgen sql` prints it too).").Line().
		Comment("").Line().
		Comment("//go:embed " + installFile).Line().
		Var().Id("InstallSQL").String().Line()
}
