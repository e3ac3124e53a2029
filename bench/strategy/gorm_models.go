package strategy

import (
	"slices"
	"time"
)

// The gorm models of the bookstore, as an application would declare them:
// every column, so that the default Preload reads them all.
type gormBook struct {
	ID          int64
	Title       string
	Year        int32
	PublisherID *int64
	Summary     string
	Publisher   *gormPublisher
	Authors     []gormAuthor `gorm:"many2many:book_author;joinForeignKey:BookID;joinReferences:AuthorID"`
	Tags        []gormTag    `gorm:"many2many:book_tag;joinForeignKey:BookID;joinReferences:TagID"`
	Reviews     []gormReview `gorm:"foreignKey:BookID"`
}

type gormPublisher struct {
	ID          int64
	Name        string
	CountryCode *string
	Bio         string
	Country     *gormCountry `gorm:"foreignKey:CountryCode;references:Code"`
}

type gormCountry struct {
	Code string `gorm:"primaryKey"`
	Name string
}

type gormAuthor struct {
	ID   int64
	Name string
	Bio  string
}

type gormTag struct {
	ID   int64
	Name string
}

type gormReview struct {
	ID        int64
	BookID    int64
	Stars     int16
	Body      string
	CreatedAt time.Time
}

func (gormBook) TableName() string      { return "book" }
func (gormPublisher) TableName() string { return "publisher" }
func (gormCountry) TableName() string   { return "country" }
func (gormAuthor) TableName() string    { return "author" }
func (gormTag) TableName() string       { return "tag" }
func (gormReview) TableName() string    { return "review" }

// doc maps a loaded model to the document. gorm assembles many-to-many
// lists in join-table order whatever the preload query's ORDER BY, so the
// lists are sorted here.
func (g *gormBook) doc() *book {
	b := newBook(g.ID, g.Title, g.Year)
	if p := g.Publisher; p != nil {
		b.Publisher = &publisher{ID: p.ID, Name: p.Name}
		if c := p.Country; c != nil {
			b.Publisher.Country = &country{Code: c.Code, Name: c.Name}
		}
	}
	slices.SortFunc(g.Authors, func(x, y gormAuthor) int { return cmpInt(x.ID, y.ID) })
	for _, a := range g.Authors {
		b.Authors = append(b.Authors, author{ID: a.ID, Name: a.Name})
	}
	slices.SortFunc(g.Tags, func(x, y gormTag) int { return cmpInt(x.ID, y.ID) })
	for _, t := range g.Tags {
		b.Tags = append(b.Tags, tag{Name: t.Name})
	}
	slices.SortFunc(g.Reviews, func(x, y gormReview) int { return cmpInt(x.ID, y.ID) })
	for _, r := range g.Reviews {
		b.Reviews = append(b.Reviews, review{ID: r.ID, Stars: r.Stars})
	}
	return b
}

func cmpInt(x, y int64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}
