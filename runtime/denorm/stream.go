package denorm

import (
	"context"
	"encoding/binary"
	"fmt"
	"strconv"

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
	key     int64 // the key of the held row, or of the last one yielded
	held    bool  // rows is on a row Until has not yielded yet
	done    bool
	err     error
	view    until
}

// OpenStream runs sql, whose rows are sorted by the integer in column keyCol,
// on a free transaction when db is a *Snapshot that has one to spare, and
// returns nil otherwise: read the relation chunk by chunk then.
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

// Close ends the stream's query and hands its transaction back.
func (s *Stream) Close() {
	if s == nil || s.rows == nil {
		return
	}
	s.rows.Close()
	s.rows = nil
	s.release()
}

// next moves to the next row with a key of at most hi.
func (s *Stream) next(hi int64) bool {
	if !s.held {
		if s.done || s.err != nil || !s.rows.Next() {
			s.done = true
			return false
		}
		k, err := s.rowKey()
		switch {
		case err != nil:
			s.err = err
		case k < s.key:
			s.err = fmt.Errorf("stream: key %d after %d: the rows are not sorted by key", k, s.key)
		}
		if s.err != nil {
			return false
		}
		s.key, s.held = k, true
	}
	if s.key > hi {
		return false
	}
	s.held = false
	return true
}

// rowKey decodes the key column of the current row: an integer, in binary
// (as pgx asks for it) or in text.
func (s *Stream) rowKey() (int64, error) {
	raw := s.rows.RawValues()
	if s.keyCol >= len(raw) || raw[s.keyCol] == nil {
		return 0, fmt.Errorf("stream: row without a key in column %d", s.keyCol)
	}
	v := raw[s.keyCol]
	if s.rows.FieldDescriptions()[s.keyCol].Format == pgx.BinaryFormatCode {
		switch len(v) {
		case 2:
			return int64(int16(binary.BigEndian.Uint16(v))), nil
		case 4:
			return int64(int32(binary.BigEndian.Uint32(v))), nil
		case 8:
			return int64(binary.BigEndian.Uint64(v)), nil
		}
		return 0, fmt.Errorf("stream: key of %d bytes is no integer", len(v))
	}
	return strconv.ParseInt(string(v), 10, 64)
}

// until is the rows of a Stream up to a key: Next stops before the first row
// past hi, which stays for the next chunk.
type until struct {
	pgx.Rows
	s  *Stream
	hi int64
}

func (u *until) Next() bool { return u.s.next(u.hi) }

func (u *until) Err() error {
	if u.s.err != nil {
		return u.s.err
	}
	return u.Rows.Err()
}

// Close leaves the stream open for the next chunk.
func (u *until) Close() {}
