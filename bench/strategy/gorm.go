package strategy

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Gorm loads the models with gorm's Preload, one query per association and
// chunk, and encodes the mapped documents with encoding/json. With
// onlyNeeded it selects the document's columns (plus keys); without, gorm's
// default SELECT * reads the heavy columns too.
type Gorm struct {
	onlyNeeded bool

	mu  sync.Mutex
	dbs map[*pgxpool.Pool]*gorm.DB
}

// NewGorm returns the gorm strategy, selecting only the needed columns or
// everything.
func NewGorm(onlyNeeded bool) *Gorm {
	return &Gorm{onlyNeeded: onlyNeeded, dbs: map[*pgxpool.Pool]*gorm.DB{}}
}

func (g *Gorm) Name() string {
	if g.onlyNeeded {
		return "gorm-preload-columns"
	}
	return "gorm-preload"
}

func (g *Gorm) Describe() string {
	if g.onlyNeeded {
		return "gorm Preload of every association with Select of the needed columns, FindInBatches of 1,000, encoding/json"
	}
	return "gorm Preload of every association with the default SELECT *, FindInBatches of 1,000, encoding/json"
}

// db opens gorm once per pool, over the pool's own connections (the pgx
// stdlib adapter), with gorm's defaults but its logger silenced: the
// default logger prints every query slower than 200ms.
func (g *Gorm) db(pool *pgxpool.Pool) (*gorm.DB, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if db, ok := g.dbs[pool]; ok {
		return db, nil
	}
	db, err := gorm.Open(postgres.New(postgres.Config{Conn: stdlib.OpenDBFromPool(pool)}),
		&gorm.Config{Logger: logger.Discard})
	if err != nil {
		return nil, fmt.Errorf("%s: open: %w", g.Name(), err)
	}
	g.dbs[pool] = db
	return db, nil
}

// query is the root query with its preloads, reusable for several chunks.
func (g *Gorm) query(ctx context.Context, pool *pgxpool.Pool) (*gorm.DB, error) {
	db, err := g.db(pool)
	if err != nil {
		return nil, err
	}
	q := db.WithContext(ctx).Model(&gormBook{})
	if !g.onlyNeeded {
		q = q.Preload("Publisher.Country").
			Preload("Authors").
			Preload("Tags").
			Preload("Reviews", func(db *gorm.DB) *gorm.DB { return db.Order("id") })
	} else {
		q = q.Select("id", "title", "year", "publisher_id").
			Preload("Publisher", func(db *gorm.DB) *gorm.DB { return db.Select("id", "name", "country_code") }).
			Preload("Publisher.Country", func(db *gorm.DB) *gorm.DB { return db.Select("code", "name") }).
			Preload("Authors", func(db *gorm.DB) *gorm.DB { return db.Select("id", "name") }).
			Preload("Tags", func(db *gorm.DB) *gorm.DB { return db.Select("id", "name") }).
			Preload("Reviews", func(db *gorm.DB) *gorm.DB { return db.Select("id", "book_id", "stars").Order("id") })
	}
	// A new session makes the chain reusable: without it, the Where of one
	// chunk would stay in the next chunk's query.
	return q.Session(&gorm.Session{}), nil
}

func (g *Gorm) Build(ctx context.Context, pool *pgxpool.Pool, ids []int64) (map[int64][]byte, error) {
	q, err := g.query(ctx, pool)
	if err != nil {
		return nil, err
	}
	docs := make(map[int64][]byte, len(ids))
	for start := 0; start < len(ids); start += ChunkSize {
		var books []gormBook
		if err := q.Where("id IN ?", ids[start:min(start+ChunkSize, len(ids))]).Find(&books).Error; err != nil {
			return nil, fmt.Errorf("%s: %w", g.Name(), err)
		}
		if err := g.encode(books, func(id int64, doc []byte) error { docs[id] = doc; return nil }); err != nil {
			return nil, err
		}
	}
	return docs, nil
}

func (g *Gorm) BuildAll(ctx context.Context, pool *pgxpool.Pool, emit Emit) error {
	q, err := g.query(ctx, pool)
	if err != nil {
		return err
	}
	var books []gormBook
	var emitErr error
	err = q.FindInBatches(&books, ChunkSize, func(tx *gorm.DB, _ int) error {
		emitErr = g.encode(books, emit)
		return emitErr
	}).Error
	if emitErr != nil {
		return stop(emitErr)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", g.Name(), err)
	}
	return nil
}

func (g *Gorm) encode(books []gormBook, emit Emit) error {
	for i := range books {
		doc, err := json.Marshal(books[i].doc())
		if err != nil {
			return fmt.Errorf("%s: encode book %d: %w", g.Name(), books[i].ID, err)
		}
		if err := emit(books[i].ID, doc); err != nil {
			return err
		}
	}
	return nil
}
