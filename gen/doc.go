// Package gen turns a relation graph into the generated Go package. Generation
// is pure: Generate returns the files by path, Write applies them (skipping
// unchanged files, removing stale generated ones) and Diff compares them with
// the disk, so that the CLI's generate and diff and the golden tests share one
// code path.
//
// For a collection "books" rooted at table book (type Book, integer key id)
// the package holds, in books.go:
//
//	type Book struct { ... }                  // one struct per document level: Book, BookPublisher, ...
//	func (d *Book) AppendJSON(b []byte) ([]byte, error)
//	func LoadBooks(ctx, db denorm.DB, ids []int64) ([]*Book, error)
//	func AllBooks(ctx, db denorm.DB, chunkSize int) iter.Seq2[*Book, error]
//	func ReadBooks(ctx, src denorm.DocSource, ids []int64) (map[int64]*Book, error)
//
// and, in collections.go, Collections() []denorm.Collection and InstallSQL,
// the install script embedded from install.sql.
//
// The structs carry encoding/json tags that give exactly the JSON of SPEC §2;
// AppendJSON writes the same bytes without reflection. Loaders read a chunk of
// denorm.ChunkSize roots with one query per relation (= ANY or unnest of the
// parents' keys), level by level, the queries of a level pipelined in one
// round trip; a dense chunk of integer keys (a full build) reads the root's
// to-many relations by key range instead.
package gen
