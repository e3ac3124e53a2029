package schema

import (
	"errors"
	"sort"
	"strings"

	"github.com/pganalyze/pg_query_go/v6/parser"
)

// lineStarts returns the byte offset of the start of every line of src.
func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, b := range src {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// pos converts a byte offset of the file to a position. Columns count bytes
// from 1, as go/token and gcc do. Offsets at or past the end (the parser
// reports "at end of input" one past the last character) point just after
// the last token instead, not at the blank lines below it.
func (a *applier) pos(off int) Pos {
	if off >= len(a.sql) {
		off = len(strings.TrimRight(a.sql, " \t\n\r\f\v"))
	}
	off = max(off, 0)
	line := sort.Search(len(a.lines), func(i int) bool { return a.lines[i] > off })
	return Pos{File: a.file, Line: line, Col: off - a.lines[line-1] + 1}
}

// syntaxErrorOffset returns the byte offset at which the parser reported err.
// PostgreSQL gives a 1-based position in characters, not bytes; 0 means it
// has none, and the error is then put at the start of the file.
func syntaxErrorOffset(sql string, err error) int {
	var perr *parser.Error
	if !errors.As(err, &perr) || perr.Cursorpos <= 0 {
		return 0
	}
	return charToByte(sql, perr.Cursorpos-1)
}

// charToByte converts a 0-based character index to a byte offset the way
// PostgreSQL counts characters (pg_mbstrlen in UTF-8): by the length that
// each lead byte announces, which also steps over invalid sequences.
func charToByte(s string, chars int) int {
	off := 0
	for ; chars > 0 && off < len(s); chars-- {
		off += utf8SeqLen(s[off])
	}
	return min(off, len(s))
}

// utf8SeqLen is PostgreSQL's pg_utf_mblen.
func utf8SeqLen(b byte) int {
	switch {
	case b&0x80 == 0:
		return 1
	case b&0xe0 == 0xc0:
		return 2
	case b&0xf0 == 0xe0:
		return 3
	case b&0xf8 == 0xf0:
		return 4
	}
	return 1
}

// skipSpaceAndComments returns the offset of the first token at or after
// off. The parser's statement locations start right after the previous
// semicolon, so they would point at the blank lines and comments in between.
func skipSpaceAndComments(s string, off int) int {
	for off < len(s) {
		switch {
		case s[off] == ' ' || s[off] == '\t' || s[off] == '\n' || s[off] == '\r' || s[off] == '\f' || s[off] == '\v':
			off++
		case len(s)-off >= 2 && s[off] == '-' && s[off+1] == '-':
			for off < len(s) && s[off] != '\n' {
				off++
			}
		case len(s)-off >= 2 && s[off] == '/' && s[off+1] == '*':
			off = skipBlockComment(s, off)
		default:
			return off
		}
	}
	return off
}

// skipBlockComment returns the offset after the block comment at off; SQL
// block comments nest.
func skipBlockComment(s string, off int) int {
	depth := 0
	for off < len(s) {
		switch {
		case len(s)-off >= 2 && s[off] == '/' && s[off+1] == '*':
			depth++
			off += 2
		case len(s)-off >= 2 && s[off] == '*' && s[off+1] == '/':
			depth--
			off += 2
			if depth == 0 {
				return off
			}
		default:
			off++
		}
	}
	return off
}
