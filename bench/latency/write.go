package latency

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// A kind of single-row write, each reaching documents by another path.
type kind int

const (
	kindTitle  kind = iota // the root row itself
	kindAuthor             // a many-to-many neighbour: every book of the author
	kindStars              // a one-to-many child
	numKinds
)

var kindNames = [numKinds]string{"book title", "author name", "review stars"}

func (k kind) String() string { return kindNames[k] }

// kindOf mixes the writes: mostly titles, which the issue names, and one in
// ten each of the relation paths.
func kindOf(seq int) kind {
	switch seq % 10 {
	case 3:
		return kindAuthor
	case 7:
		return kindStars
	}
	return kindTitle
}

// A write is one committed statement and what its documents must show.
type write struct {
	seq    int
	kind   kind
	due    time.Time // when the schedule meant to issue it
	sent   time.Time
	ack    time.Time // when the commit was acknowledged
	keys   []string  // the documents it changes
	marker []byte    // bytes each of those documents carries once it is fresh
	lock   string    // the row written, reserved until the write is seen

	left   int       // keys not yet seen fresh (watcher's)
	seenAt time.Time // when the last of them was seen
	putAt  time.Time // when the Syncer's put of the last of them returned
}

// statements issues writes on a pool; books, authors and reviews are the
// id ranges of the dataset.
type statements struct {
	pool                    *pgxpool.Pool
	books, authors, reviews int64
	tag                     string // distinguishes the markers of one run's phases
}

// do commits w (autocommit: one statement, one transaction) and fills in
// the documents it affects and their marker. It writes only rows that
// reserve grants, so that no marker replaces another before it was seen.
func (s statements) do(ctx context.Context, w *write, rng *rand.Rand, reserve func(key string) bool) error {
	marker := s.tag + "-" + strconv.Itoa(w.seq)
	var err error
	switch w.kind {
	case kindTitle:
		id := pick(rng, s.books, "book:", w, reserve)
		w.keys = []string{strconv.FormatInt(id, 10)}
		w.marker = []byte(`"title":"` + marker + `"`)
		w.sent = time.Now()
		_, err = s.pool.Exec(ctx, `UPDATE book SET title = $1 WHERE id = $2`, marker, id)
	case kindAuthor:
		id := pick(rng, s.authors, "author:", w, reserve)
		w.marker = []byte(`"name":"` + marker + `"`)
		w.sent = time.Now()
		// One statement: the rename, and the books whose documents show it.
		rows, qerr := s.pool.Query(ctx, `WITH u AS (UPDATE author SET name = $1 WHERE id = $2 RETURNING id)
			SELECT ba.book_id::text FROM book_author ba JOIN u ON ba.author_id = u.id`, marker, id)
		if qerr != nil {
			return fmt.Errorf("rename author %d: %w", id, qerr)
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return fmt.Errorf("rename author %d: %w", id, err)
			}
			w.keys = append(w.keys, k)
		}
		err = rows.Err()
	case kindStars:
		id := pick(rng, s.reviews, "review:", w, reserve)
		var (
			book  string
			stars int
		)
		w.sent = time.Now()
		err = s.pool.QueryRow(ctx, `UPDATE review SET stars = stars % 5 + 1 WHERE id = $1
			RETURNING book_id::text, stars`, id).Scan(&book, &stars)
		w.keys = []string{book}
		w.marker = fmt.Appendf(nil, `{"id":%d,"stars":%d}`, id, stars)
	}
	w.ack = time.Now()
	if err != nil {
		return fmt.Errorf("write %d (%s): %w", w.seq, w.kind, err)
	}
	return nil
}

// pick draws ids in 1..n until reserve grants one, and records the claim.
func pick(rng *rand.Rand, n int64, table string, w *write, reserve func(string) bool) int64 {
	for {
		id := 1 + rng.Int64N(n)
		if lock := table + strconv.FormatInt(id, 10); reserve(lock) {
			w.lock = lock
			return id
		}
	}
}
