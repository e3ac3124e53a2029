package bench

import (
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Every value of the dataset derives from hash(salt, row number): the same
// Sizes give the same rows on any machine, and each table can be generated
// on its own, in parallel, without a shared random stream.
func hash(salt, k uint64) uint64 {
	// splitmix64's finalizer over a salted counter.
	x := k*0x9e3779b97f4a7c15 + salt*0xbf58476d1ce4e5b9
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// Salts, one per derived value, so that values of one row are independent.
const (
	saltPublisherCountry = iota + 1
	saltPublisherBio
	saltAuthorBio
	saltBookYear
	saltBookPublisher
	saltBookSummary
	saltBookAuthors
	saltBookAuthorStart
	saltBookTags
	saltBookTagStart
	saltReviewBook
	saltReviewStars
	saltReviewBody
	saltReviewTime
)

// filler is the source of the heavy columns: base64 SHA-512 digests. Unlike
// repeated letters it does not compress, so the 4 KB summaries cost what real
// prose costs: TOAST reads for whoever selects them.
var filler = func() string {
	var b strings.Builder
	for i := range 1000 {
		sum := sha512.Sum512([]byte(strconv.Itoa(i)))
		b.WriteString(base64.StdEncoding.EncodeToString(sum[:]))
		b.WriteByte(' ')
	}
	return b.String()
}()

func heavy(salt, k uint64, n int) string {
	off := hash(salt, k) % uint64(len(filler)-n)
	return filler[off : off+uint64(n)]
}

// countryCode is "AA", "AB", … for countries 1, 2, …
func countryCode(i int) string {
	return string([]byte{byte('A' + (i-1)/26), byte('A' + (i-1)%26)})
}

// A table's rows, generated lazily for pgx.CopyFrom.
type tableRows struct {
	table   string
	columns []string
	n       int                 // number of generator calls
	row     func(i int) [][]any // rows of call i (1-based); several for join tables
}

func datasetTables(s Sizes) []tableRows {
	return []tableRows{
		{"country", []string{"code", "name"}, s.Countries, func(i int) [][]any {
			return [][]any{{countryCode(i), "Country " + strconv.Itoa(i)}}
		}},
		{"publisher", []string{"id", "name", "country_code", "bio"}, s.Publishers, func(i int) [][]any {
			var country *string
			if h := hash(saltPublisherCountry, uint64(i)); h%20 != 0 {
				c := countryCode(1 + int(h/20%uint64(s.Countries)))
				country = &c
			}
			return [][]any{{int64(i), "Publisher " + strconv.Itoa(i), country, heavy(saltPublisherBio, uint64(i), 2048)}}
		}},
		{"author", []string{"id", "name", "bio"}, s.Authors, func(i int) [][]any {
			name := "Author " + strconv.Itoa(i)
			if i%89 == 0 { // names that need escaping in JSON
				name = fmt.Sprintf("Ann\u00e9e \"Nom\" \\ d'Auteur %d", i)
			}
			return [][]any{{int64(i), name, heavy(saltAuthorBio, uint64(i), 2048)}}
		}},
		{"book", []string{"id", "title", "year", "publisher_id", "summary"}, s.Books, func(i int) [][]any {
			title := "Book " + strconv.Itoa(i)
			if i%97 == 0 {
				title = fmt.Sprintf("The \"Quoted\" & <Bold> \\ \u00dcn\u00efcode \u65e5\u672c\u8a9e\tline\nbreak %d", i)
			}
			var publisher *int64
			if h := hash(saltBookPublisher, uint64(i)); h%100 != 0 {
				p := 1 + int64(h/100%uint64(s.Publishers))
				publisher = &p
			}
			year := int32(1900 + hash(saltBookYear, uint64(i))%125)
			return [][]any{{int64(i), title, year, publisher, heavy(saltBookSummary, uint64(i), 4096)}}
		}},
		// 0 to 5 authors per book, 2.5 on average; the books with none prove
		// "authors": [] rather than null.
		{"book_author", []string{"book_id", "author_id"}, s.Books, func(i int) [][]any {
			return joinRows(i, hash(saltBookAuthors, uint64(i))%6, hash(saltBookAuthorStart, uint64(i)), s.Authors)
		}},
		{"tag", []string{"id", "name"}, s.Tags, func(i int) [][]any {
			return [][]any{{int64(i), "tag-" + strconv.Itoa(i)}}
		}},
		// 0 to 6 tags per book, 3 on average.
		{"book_tag", []string{"book_id", "tag_id"}, s.Books, func(i int) [][]any {
			return joinRows(i, hash(saltBookTags, uint64(i))%7, hash(saltBookTagStart, uint64(i)), s.Tags)
		}},
		// Five reviews per book on average, each on a random book: a book's
		// reviews are scattered over the table as in a live system, and
		// about 0.7% of the books have none.
		{"review", []string{"id", "book_id", "stars", "body", "created_at"}, 5 * s.Books, func(i int) [][]any {
			book := 1 + int64(hash(saltReviewBook, uint64(i))%uint64(s.Books))
			stars := int16(1 + hash(saltReviewStars, uint64(i))%5)
			at := reviewEpoch.Add(time.Duration(hash(saltReviewTime, uint64(i))%(10*365*24*3600)) * time.Second)
			return [][]any{{int64(i), book, stars, heavy(saltReviewBody, uint64(i), 300), at}}
		}},
	}
}

var reviewEpoch = time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)

// joinRows links book to n distinct rows of a table of size rows: from a
// random start, striding by a prime, which is coprime to size unless it
// divides it.
func joinRows(book int, n, start uint64, size int) [][]any {
	n = min(n, uint64(size))
	stride := uint64(7919)
	if size%7919 == 0 {
		stride = 1
	}
	out := make([][]any, n)
	for k := range n {
		out[k] = []any{int64(book), 1 + int64((start+k*stride)%uint64(size))}
	}
	return out
}

// copySource adapts a tableRows to pgx.CopyFromSource.
type copySource struct {
	t       tableRows
	i       int
	pending [][]any
	cur     []any
}

var _ pgx.CopyFromSource = (*copySource)(nil)

func (c *copySource) Next() bool {
	for len(c.pending) == 0 {
		if c.i >= c.t.n {
			return false
		}
		c.i++
		c.pending = c.t.row(c.i)
	}
	c.cur, c.pending = c.pending[0], c.pending[1:]
	return true
}

func (c *copySource) Values() ([]any, error) { return c.cur, nil }
func (c *copySource) Err() error             { return nil }
