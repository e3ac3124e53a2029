package denorm

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// A Stream is the rows of one relation for every root of a full build,
// sorted by root key and read a chunk of roots at a time, on a transaction
// of a Snapshot of its own. PostgreSQL reads the table once, in one
// sequential scan and sort, instead of once per chunk by index lookups on
// pages all over the table.
type Stream struct {
	rows    pgx.Rows
	release func()
	keyCol  int
	uuid    bool     // keys are uuids (UntilUUID), not integers
	text    bool     // keys are text, in an order Go does not know (UntilIn)
	key     int64    // the integer key of the held row, or of the last one yielded
	ukey    [16]byte // or its uuid, which PostgreSQL orders as bytes
	started bool     // a row has been read
	held    bool     // rows is on a row Until has not yielded yet
	done    bool
	err     error
	view    until
}

// OpenStream runs sql, whose rows are sorted by the key in column keyCol
// (an integer, a uuid read with UntilUUID, or text read with UntilIn), on a
// free transaction when db is a *Snapshot that has one to spare, and returns
// nil otherwise: read the relation chunk by chunk then.
func OpenStream(ctx context.Context, db DB, sql string, keyCol int) (*Stream, error) {
	snap, ok := db.(*Snapshot)
	if !ok {
		return nil, nil
	}
	tx, release, err := snap.join(ctx)
	if err != nil || tx == nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, sql)
	if err != nil {
		release()
		return nil, err
	}
	s := &Stream{rows: rows, release: release, keyCol: keyCol}
	s.view.s = s
	return s, nil
}

// Until returns the rows not read yet whose key is at most hi: the rows of
// the roots up to hi, the last root of a chunk. Read them before the next
// call; closing them is a no-op.
func (s *Stream) Until(hi int64) pgx.Rows {
	s.view.Rows, s.view.hi = s.rows, hi
	return &s.view
}

// UntilUUID is Until for a stream sorted by a uuid, hi in its text form.
func (s *Stream) UntilUUID(hi string) pgx.Rows {
	u, ok := parseUUID(hi)
	if !ok && s.err == nil {
		s.err = fmt.Errorf("stream: %q is no uuid", hi)
	}
	s.uuid = true
	s.view.Rows, s.view.uhi = s.rows, u
	return &s.view
}

// UntilIn is Until for a stream sorted by a text key, in a collation Go
// cannot compare by: it returns the rows not read yet whose key is one of
// the chunk's, as in reports, and stops at the first row of another key.
// That row belongs to a later chunk only if every row of the stream has a
// root of the full build and comes in the roots' order: the stream's query
// joins the rows to the roots (their filter included) and sorts them by
// the roots' key column, as the roots' own query does. Finish checks, at
// the end, that no row was left behind.
func (s *Stream) UntilIn(in func(key []byte) bool) pgx.Rows {
	s.text = true
	s.view.Rows, s.view.in = s.rows, in
	return &s.view
}

// Finish reports an error when a stream read with UntilIn still holds rows
// after the last chunk: rows that came out of the roots' order, or of no
// root, which the chunks did not take. For other streams it does nothing:
// rows of no root (a foreign key without a constraint, a filtered root) are
// read and dropped there.
func (s *Stream) Finish() error {
	if s == nil || !s.text || s.err != nil {
		return nil
	}
	if !s.held && (s.done || !s.rows.Next()) {
		s.done = true
		return s.rows.Err()
	}
	s.held = true
	var key []byte
	if raw := s.rows.RawValues(); s.keyCol < len(raw) {
		key = raw[s.keyCol]
	}
	return fmt.Errorf("stream: a row of key %q came after its chunk: the rows are not in the roots' order", key)
}

// Close ends the stream's query and hands its transaction back.
func (s *Stream) Close() {
	if s == nil || s.rows == nil {
		return
	}
	s.rows.Close()
	s.rows = nil
	s.release()
}

// next moves to the next row with a key of at most the view's.
func (s *Stream) next() bool {
	if !s.held {
		if s.done || s.err != nil || !s.rows.Next() {
			s.done = true
			return false
		}
		if s.err = s.readKey(); s.err != nil {
			return false
		}
		s.held, s.started = true, true
	}
	switch {
	case s.text:
		if !s.view.in(s.rows.RawValues()[s.keyCol]) {
			return false
		}
	case s.uuid:
		if bytes.Compare(s.ukey[:], s.view.uhi[:]) > 0 {
			return false
		}
	case s.key > s.view.hi:
		return false
	}
	s.held = false
	return true
}

// readKey decodes the key column of the current row, an integer or a uuid,
// in binary (as pgx asks for it) or in text, and checks that it does not go
// back; a text key only has to be there.
func (s *Stream) readKey() error {
	raw := s.rows.RawValues()
	if s.keyCol >= len(raw) || raw[s.keyCol] == nil {
		return fmt.Errorf("stream: row without a key in column %d", s.keyCol)
	}
	v := raw[s.keyCol]
	if s.text {
		return nil // compared by UntilIn's in, as the bytes PostgreSQL sent
	}
	binaryKey := s.rows.FieldDescriptions()[s.keyCol].Format == pgx.BinaryFormatCode
	if s.uuid {
		var u [16]byte
		ok := len(v) == 16 && binaryKey
		if ok {
			copy(u[:], v)
		} else if !binaryKey {
			u, ok = parseUUID(string(v))
		}
		switch {
		case !ok:
			return fmt.Errorf("stream: key %x is no uuid", v)
		case s.started && bytes.Compare(u[:], s.ukey[:]) < 0:
			return errors.New("stream: the rows are not sorted by key")
		}
		s.ukey = u
		return nil
	}
	var k int64
	switch {
	case !binaryKey:
		var err error
		if k, err = strconv.ParseInt(string(v), 10, 64); err != nil {
			return fmt.Errorf("stream: key %q is no integer", v)
		}
	case len(v) == 2:
		k = int64(int16(binary.BigEndian.Uint16(v)))
	case len(v) == 4:
		k = int64(int32(binary.BigEndian.Uint32(v)))
	case len(v) == 8:
		k = int64(binary.BigEndian.Uint64(v))
	default:
		return fmt.Errorf("stream: key of %d bytes is no integer", len(v))
	}
	if s.started && k < s.key {
		return fmt.Errorf("stream: key %d after %d: the rows are not sorted by key", k, s.key)
	}
	s.key = k
	return nil
}

// parseUUID reads a uuid in its canonical text form, in either case.
func parseUUID(s string) (u [16]byte, ok bool) {
	if !ValidUUID(s) {
		return u, false
	}
	_, err := hex.Decode(u[:], []byte(strings.ReplaceAll(s, "-", "")))
	return u, err == nil
}

// until is the rows of a Stream up to a key: Next stops before the first row
// past hi, which stays for the next chunk.
type until struct {
	pgx.Rows
	s   *Stream
	hi  int64
	uhi [16]byte
	in  func(key []byte) bool
}

func (u *until) Next() bool { return u.s.next() }

func (u *until) Err() error {
	if u.s.err != nil {
		return u.s.err
	}
	return u.Rows.Err()
}

// Close leaves the stream open for the next chunk.
func (u *until) Close() {}
