package gen

import (
	"github.com/denormgen/denormgen/schema"
)

// bookstoreGraph builds the bookstore graph by hand, independently of the
// schema loader, so the emitters can be tested on their own.
func bookstoreGraph(out string) *schema.Graph {
	cat := schema.NewCatalog()
	col := func(name, typ string, notNull bool) *schema.Column {
		return &schema.Column{Name: name, Type: schema.Type{Name: typ}, NotNull: notNull}
	}
	table := func(name string, pk []string, cols ...*schema.Column) *schema.Table {
		t := &schema.Table{Schema: "public", Name: name, Columns: cols, PrimaryKey: pk}
		cat.Tables[t.QualifiedName()] = t
		return t
	}
	country := table("country", []string{"code"}, col("code", "text", true), col("name", "text", true))
	publisher := table("publisher", []string{"id"}, col("id", "int8", true), col("name", "text", true), col("country_code", "text", false))
	book := table("book", []string{"id"}, col("id", "int8", true), col("title", "text", true), col("year", "int4", false), col("publisher_id", "int8", false))
	author := table("author", []string{"id"}, col("id", "int8", true), col("name", "text", true))
	bookAuthor := table("book_author", []string{"book_id", "author_id"}, col("book_id", "int8", true), col("author_id", "int8", true))
	tag := table("tag", []string{"id"}, col("id", "int8", true), col("name", "text", true))
	bookTag := table("book_tag", []string{"book_id", "tag_id"}, col("book_id", "int8", true), col("tag_id", "int8", true))
	review := table("review", []string{"id"}, col("id", "int8", true), col("book_id", "int8", true), col("stars", "int2", true), col("created_at", "timestamptz", true))

	field := func(t *schema.Table, name, goName string) *schema.Field {
		return &schema.Field{Column: t.Column(name), Key: name, GoName: goName}
	}
	root := &schema.Node{Table: book, Type: "Book", Fields: []*schema.Field{field(book, "id", "ID"), field(book, "title", "Title"), field(book, "year", "Year")}}
	rel := func(from *schema.Node, name, goName string, kind schema.RelationKind, to *schema.Node, fromCols, toCols []string) *schema.Relation {
		r := &schema.Relation{Name: name, GoName: goName, Kind: kind, From: from, To: to, FromCols: fromCols, ToCols: toCols}
		to.Parent = r
		from.Relations = append(from.Relations, r)
		return r
	}
	pub := &schema.Node{Table: publisher, Type: "BookPublisher", Fields: []*schema.Field{field(publisher, "id", "ID"), field(publisher, "name", "Name")}}
	rel(root, "publisher", "Publisher", schema.ToOne, pub, []string{"publisher_id"}, []string{"id"})
	cn := &schema.Node{Table: country, Type: "BookPublisherCountry", Fields: []*schema.Field{field(country, "code", "Code"), field(country, "name", "Name")}}
	rel(pub, "country", "Country", schema.ToOne, cn, []string{"country_code"}, []string{"code"})
	au := &schema.Node{Table: author, Type: "BookAuthor", Fields: []*schema.Field{field(author, "id", "ID"), field(author, "name", "Name")}}
	r := rel(root, "authors", "Authors", schema.ManyToMany, au, []string{"id"}, []string{"id"})
	r.Through, r.ThroughFromCols, r.ThroughToCols = bookAuthor, []string{"book_id"}, []string{"author_id"}
	r.OrderBy = []schema.Order{{Column: author.Column("name")}, {Column: author.Column("id")}}
	tg := &schema.Node{Table: tag, Type: "BookTag", Fields: []*schema.Field{field(tag, "name", "Name")}}
	r = rel(root, "tags", "Tags", schema.ManyToMany, tg, []string{"id"}, []string{"id"})
	r.Through, r.ThroughFromCols, r.ThroughToCols, r.Flatten = bookTag, []string{"book_id"}, []string{"tag_id"}, true
	r.OrderBy = []schema.Order{{Column: tag.Column("name")}}
	rv := &schema.Node{Table: review, Type: "BookReview", Fields: []*schema.Field{field(review, "id", "ID"), field(review, "stars", "Stars")}}
	r = rel(root, "reviews", "Reviews", schema.OneToMany, rv, []string{"id"}, []string{"book_id"})
	r.OrderBy = []schema.Order{{Column: review.Column("created_at"), Desc: true}}
	r.Limit = 5
	return &schema.Graph{
		Package:     schema.Package{Name: "bookdocs", Out: out},
		Catalog:     cat,
		Collections: []*schema.Collection{{Name: "books", Type: "Book", Root: root}},
	}
}
