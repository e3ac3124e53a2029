// Package mongobackend stores denormgen documents in MongoDB, one MongoDB
// collection per denormgen collection (named with a prefix, "denorm." by
// default), one MongoDB document per denormgen document:
//
//	{_id: <key>, v: <version>, doc: <the JSON as a BSON document>, deleted: <bool>}
//
// A deletion keeps {_id, v, deleted: true} as a tombstone. Writes are
// unordered BulkWrites of upserts filtered on v, so the server applies the
// version guard; see Put for the race between two first inserts of a key.
//
// The JSON is read as MongoDB Extended JSON (relaxed), so objects whose only
// key starts with "$" (such as {"$date": ...}) become BSON types, and Get
// returns relaxed Extended JSON: the same value, not the same bytes.
package mongobackend

import (
	"errors"
	"fmt"
	"strings"

	"github.com/denormgen/denormgen/runtime/denorm"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// DefaultMaxDocSize is MongoDB's limit on a BSON document. The limit applies
// to the JSON; BSON can be somewhat larger (arrays store their indexes), and
// the server refuses what does not fit.
const DefaultMaxDocSize = 16 << 20

// A Backend is a denorm.Backend on a MongoDB database. It is safe for
// concurrent use.
type Backend struct {
	db       *mongo.Database
	prefix   string
	maxSize  int
	pageSize int
	batch    int
}

// An Option configures a Backend.
type Option func(*Backend)

// WithCollectionPrefix names MongoDB collections prefix+collection instead of
// "denorm."+collection.
func WithCollectionPrefix(prefix string) Option {
	return func(b *Backend) { b.prefix = prefix }
}

// WithMaxDocSize makes Put refuse documents over n bytes of JSON with a
// denorm.TooLargeError (default DefaultMaxDocSize).
func WithMaxDocSize(n int) Option {
	return func(b *Backend) { b.maxSize = n }
}

// WithPageSize sets how many keys each query behind Keys reads (default 1000).
func WithPageSize(n int) Option {
	return func(b *Backend) { b.pageSize = n }
}

// New returns a backend storing into db.
func New(db *mongo.Database, opts ...Option) (*Backend, error) {
	b := &Backend{db: db, prefix: "denorm.", maxSize: DefaultMaxDocSize, pageSize: 1000, batch: 1000}
	for _, o := range opts {
		o(b)
	}
	if db == nil {
		return nil, errors.New("mongobackend: nil database")
	}
	if b.pageSize <= 0 {
		return nil, fmt.Errorf("mongobackend: page size %d must be positive", b.pageSize)
	}
	return b, nil
}

// collection returns the MongoDB collection of a denormgen collection,
// refusing names MongoDB does not allow.
func (b *Backend) collection(name string) (*mongo.Collection, error) {
	if err := denorm.CheckKeys(name, nil); err != nil {
		return nil, err
	}
	full := b.prefix + name
	if strings.ContainsAny(full, "$\x00") || strings.HasPrefix(full, "system.") {
		return nil, fmt.Errorf("collection %q: MongoDB does not allow the name %q: %w", name, full, denorm.ErrInvalidKey)
	}
	return b.db.Collection(full), nil
}

// stored is the shape of a stored document.
type stored struct {
	Key     string   `bson:"_id"`
	Version int64    `bson:"v"`
	Doc     bson.Raw `bson:"doc,omitempty"`
	Deleted bool     `bson:"deleted"`
}

// toBSON converts a document's JSON for storage.
func toBSON(collection string, d denorm.Doc) (bson.Raw, error) {
	var doc bson.D
	if err := bson.UnmarshalExtJSON(d.JSON, false, &doc); err != nil {
		return nil, fmt.Errorf("collection %q: document %q: not a JSON object: %w", collection, d.Key, err)
	}
	raw, err := bson.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("collection %q: document %q: %w", collection, d.Key, err)
	}
	return raw, nil
}

// toJSON renders a stored document as relaxed Extended JSON: plain numbers,
// strings and booleans for what came from plain JSON.
func toJSON(raw bson.Raw) ([]byte, error) {
	return bson.MarshalExtJSON(raw, false, false)
}

var _ denorm.Backend = (*Backend)(nil)
