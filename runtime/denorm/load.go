package denorm

import (
	"context"
	"fmt"
	"iter"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"golang.org/x/sync/errgroup"
)

// ChunkSize is how many roots generated loaders read per chunk. A chunk
// costs one query per document level, whatever its size.
const ChunkSize = 1000

// A Level is the queries of one depth of a document tree: one per relation,
// each taking the keys of the parents it joins to. Run sends them in one
// round trip (a pipelined pgx.Batch) since none depends on another.
type Level struct {
	batch pgx.Batch
	reads []levelRead
}

type levelRead struct {
	name string
	read func(pgx.Rows) error
}

// add queues sql with args, its rows read by read; name "" is the roots'
// query, whose errors Run returns unwrapped.
func (l *Level) add(name string, read func(pgx.Rows) error, sql string, args ...any) {
	l.batch.Queue(sql, args...)
	l.reads = append(l.reads, levelRead{name: name, read: read})
}

// Queue adds the query of relation name, with the keys of parents as its only
// argument ($1), and read to consume its rows. A relation without parents in
// this chunk (every foreign key NULL, say) costs no query.
func Queue[K comparable, P any](l *Level, name, sql string, parents *Index[K, P], read func(pgx.Rows) error) {
	if parents.Len() == 0 {
		return
	}
	l.add(name, read, sql, parents.Keys())
}

// QueueColumns is Queue for a relation joining on several columns (a
// composite foreign key): the parents' keys are structs of those columns,
// which columns turns into one array per column, the query's $1, $2, ...
func QueueColumns[K comparable, P any](l *Level, name, sql string, parents *Index[K, P], columns func([]K) []any, read func(pgx.Rows) error) {
	if parents.Len() == 0 {
		return
	}
	l.add(name, read, sql, columns(parents.Keys())...)
}

// An Integer is a key type that can be read by range.
type Integer interface{ ~int16 | ~int32 | ~int64 }

// QueueRange is Queue for a relation whose rows can also be read by a range
// of parent keys (rangeSQL, taking $1 and $2 inclusive). It uses the range
// when the keys are dense, as the sorted chunks of a full build are: one
// index range scan instead of a lookup per key. Rows of keys in the range
// but not among parents (gaps, roots outside the chunk) are read and then
// dropped by read, which finds no parent for them; dense means at most as
// many such keys as parents, so a range never reads more than twice what the
// lookups would.
func QueueRange[K Integer, P any](l *Level, name, sql, rangeSQL string, parents *Index[K, P], read func(pgx.Rows) error) {
	if parents.Len() == 0 {
		return
	}
	lo, hi := K(0), K(0)
	first := true
	for k := range parents.head {
		if first || k < lo {
			lo = k
		}
		if first || k > hi {
			hi = k
		}
		first = false
	}
	if !dense(lo, hi, parents.Len()) {
		Queue(l, name, sql, parents, read)
		return
	}
	l.add(name, read, rangeSQL, lo, hi)
}

// dense reports whether n distinct keys from lo to hi are worth a range read.
func dense[K Integer](lo, hi K, n int) bool {
	return int64(hi)-int64(lo) < 2*int64(n)
}

// QueueRoots adds the root query of a chunk, sql with args, and read to
// consume its rows; its errors go unwrapped.
func QueueRoots(l *Level, sql string, args []any, read func(pgx.Rows) error) {
	l.add("", read, sql, args...)
}

// QueueKeys is Queue for a relation of roots loaded by key that joins on the
// root key: its parents are the keys asked for, known before the roots are
// read, so it goes in the roots' round trip (after QueueRoots, whose read
// indexes the roots that read then attaches rows to). Rows of keys without a
// root find no parent and are dropped.
func QueueKeys[K any](l *Level, name, sql string, keys []K, read func(pgx.Rows) error) {
	if len(keys) == 0 {
		return
	}
	l.add(name, read, sql, keys)
}

// QueueKeysRange is QueueKeys with keys sorted, reading by range when they
// are dense, as QueueRange does.
func QueueKeysRange[K Integer](l *Level, name, sql, rangeSQL string, keys []K, read func(pgx.Rows) error) {
	if len(keys) == 0 {
		return
	}
	if lo, hi := keys[0], keys[len(keys)-1]; dense(lo, hi, len(keys)) {
		l.add(name, read, rangeSQL, lo, hi)
		return
	}
	QueueKeys(l, name, sql, keys, read)
}

// Run sends the queued queries and reads their results in order.
func (l *Level) Run(ctx context.Context, db DB) error {
	if len(l.reads) == 0 {
		return nil
	}
	results := db.SendBatch(ctx, &l.batch)
	for _, r := range l.reads {
		rows, err := results.Query()
		if err == nil {
			err = r.read(rows)
		}
		if err != nil {
			_ = results.Close()
			if r.name == "" {
				return err
			}
			return fmt.Errorf("relation %s: %w", r.name, err)
		}
	}
	return results.Close()
}

// QueryKeys runs a query selecting one text column: the key scans behind
// Collection.ScanKeys.
func QueryKeys(ctx context.Context, db DB, sql string, args ...any) ([]string, error) {
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("scan keys: %w", err)
	}
	keys, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("scan keys: %w", err)
	}
	return keys, nil
}

// ValidUUID reports whether s is a UUID PostgreSQL accepts in its canonical
// form, so that a malformed key is treated as a missing root rather than
// failing the query of a whole batch.
func ValidUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// An Encoder is a generated document type.
type Encoder interface {
	AppendJSON(b []byte) ([]byte, error)
}

// EncodeAll renders docs and returns each document's JSON by key
// (Collection.Build's text form, or any other). The documents share a few
// large buffers; each is a sub-slice capped to its length, so an append to
// one can never overwrite the next.
func EncodeAll[D Encoder, K comparable](docs []D, key func(D) K) (map[K][]byte, error) {
	out := make(map[K][]byte, len(docs))
	err := encodeEach(docs, key, func(k K, doc []byte) { out[k] = doc })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// encodeEach renders docs one after another into shared buffers, passing
// each document's key and JSON to each. A buffer is sized from the documents
// so far for those still to come, and a new one started when it runs low:
// the documents never move, so no buffer is ever copied as it grows.
func encodeEach[D Encoder, K any](docs []D, key func(D) K, each func(K, []byte)) error {
	var buf []byte
	total := 0 // bytes of every document so far
	for i, d := range docs {
		start := len(buf)
		var err error
		buf, err = d.AppendJSON(buf)
		if err != nil {
			return fmt.Errorf("encode %v: %w", key(d), err)
		}
		each(key(d), buf[start:len(buf):len(buf)])
		total += len(buf) - start
		if left, avg := len(docs)-i-1, total/(i+1); left > 0 && cap(buf)-len(buf) < 2*avg {
			// Room for the rest at the average size so far, and a quarter
			// more; the documents written stay where they are.
			buf = make([]byte, 0, avg*left*5/4+64)
		}
	}
	return nil
}

// minPart is the fewest keys worth a connection of their own: below it, the
// round trips of another part cost more than the part saves.
const minPart = 128

// maxParts bounds how many connections one load uses at once: as many as
// the process has cores, up to 4. (Measured on 2 cores: 2 parts of 500 keys
// build 1.25× faster than one; 4 parts of 250, 1.15×.)
func maxParts() int { return min(4, runtime.GOMAXPROCS(0)) }

// LoadChunks loads keys, sorted and distinct, with load, chunkSize (or
// ChunkSize) keys at a time, and returns the documents in key order. Given a
// *Snapshot with connections to spare, it loads parts of the keys at once,
// each on a transaction of the snapshot of its own: many keys are then built
// by several PostgreSQL backends, and cores, instead of one. The first part
// starts at once, on the snapshot's own transaction; the others as their
// transactions join it.
func LoadChunks[K, D any](ctx context.Context, db DB, keys []K, chunkSize int, load func(context.Context, DB, []K) ([]D, error)) ([]D, error) {
	chunks, err := runChunks(ctx, db, keys, chunkSize, load)
	if err != nil {
		return nil, err
	}
	return slices.Concat(chunks...), nil
}

// BuildChunks loads keys as LoadChunks does and renders the documents, by
// key(d): the typed BuildX functions and Collection.Build. Each part encodes
// its documents as soon as it has loaded them, in its own goroutine, so that
// encoding overlaps the parts still loading rather than following them all.
func BuildChunks[K any, D Encoder, M comparable](ctx context.Context, db DB, keys []K, chunkSize int, load func(context.Context, DB, []K) ([]D, error), key func(D) M) (map[M][]byte, error) {
	type doc struct {
		key  M
		json []byte
	}
	chunks, err := runChunks(ctx, db, keys, chunkSize, func(ctx context.Context, db DB, chunk []K) ([]doc, error) {
		docs, err := load(ctx, db, chunk)
		if err != nil {
			return nil, err
		}
		out := make([]doc, 0, len(docs))
		err = encodeEach(docs, key, func(k M, json []byte) { out = append(out, doc{k, json}) })
		return out, err
	})
	if err != nil {
		return nil, err
	}
	n := 0
	for _, c := range chunks {
		n += len(c)
	}
	out := make(map[M][]byte, n)
	for _, c := range chunks {
		for _, d := range c {
			out[d.key] = d.json
		}
	}
	return out, nil
}

// runChunks runs do on keys, chunkSize (or ChunkSize) at a time, and returns
// what it returned for each chunk, in order: on db alone, or in parts at
// once on the transactions of a *Snapshot with connections to spare (see
// LoadChunks).
func runChunks[K, R any](ctx context.Context, db DB, keys []K, chunkSize int, do func(context.Context, DB, []K) (R, error)) ([]R, error) {
	if chunkSize <= 0 {
		chunkSize = ChunkSize
	}
	parts := 1
	snap, ok := db.(*Snapshot)
	if ok && len(keys) >= 2*minPart && snap.canJoin() {
		parts = min(maxParts(), len(keys)/minPart)
	}
	if parts == 1 {
		out := make([]R, 0, (len(keys)+chunkSize-1)/chunkSize)
		for chunk := range slices.Chunk(keys, chunkSize) {
			r, err := do(ctx, db, chunk)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		return out, nil
	}
	size := min(chunkSize, (len(keys)+parts-1)/parts)
	chunks := slices.Collect(slices.Chunk(keys, size))
	out := make([]R, len(chunks))
	var next atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	work := func(db DB) error {
		for {
			i := int(next.Add(1) - 1)
			if i >= len(chunks) || gctx.Err() != nil {
				return nil
			}
			r, err := do(gctx, db, chunks[i])
			if err != nil {
				return err
			}
			out[i] = r
		}
	}
	for range parts - 1 {
		g.Go(func() error {
			tx, release, err := snap.join(gctx)
			if err != nil || tx == nil {
				return err
			}
			defer release()
			return work(tx)
		})
	}
	g.Go(func() error { return work(db) })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// Concurrently runs fs at once, each in a goroutine of its own but the last,
// which runs in the caller's, and returns the first error by position. A
// chunk of a full build reads its streams this way: every relation fills
// fields of its own of the parents, so the reads share nothing but the
// parents' index, which they only read.
func Concurrently(fs ...func() error) error {
	if len(fs) == 0 {
		return nil
	}
	errs := make([]error, len(fs))
	var wg sync.WaitGroup
	for i, f := range fs[:len(fs)-1] {
		wg.Go(func() { errs[i] = f() })
	}
	errs[len(fs)-1] = fs[len(fs)-1]()
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// EncodeChunks renders the documents of docs, chunkSize at a time, with
// EncodeAll: the BuildAll of a generated collection, over its AllX.
func EncodeChunks[D Encoder](docs iter.Seq2[D, error], chunkSize int, key func(D) string) iter.Seq2[map[string][]byte, error] {
	if chunkSize <= 0 {
		chunkSize = ChunkSize
	}
	return func(yield func(map[string][]byte, error) bool) {
		chunk := make([]D, 0, chunkSize)
		flush := func() bool {
			built, err := EncodeAll(chunk, key)
			clear(chunk)
			chunk = chunk[:0]
			return yield(built, err) && err == nil
		}
		for d, err := range docs {
			if err != nil {
				yield(nil, err)
				return
			}
			if chunk = append(chunk, d); len(chunk) == chunkSize && !flush() {
				return
			}
		}
		if len(chunk) > 0 {
			flush()
		}
	}
}
