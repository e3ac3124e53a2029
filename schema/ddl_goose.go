package schema

import "strings"

// blankGooseDown replaces the "-- +goose Down" sections of a goose migration
// (up to the end of the file or the next "-- +goose Up") with spaces, keeping
// the newlines, so that positions in the rest of the file do not move. Files
// without goose annotations come back unchanged. The other annotations
// (StatementBegin/End, NO TRANSACTION) need nothing: they are comments, and
// the real parser already keeps a function body in one statement.
func blankGooseDown(sql string) string {
	if !strings.Contains(sql, "+goose") {
		return sql
	}
	b := []byte(sql)
	down := false
	for start := 0; start < len(b); {
		end := strings.IndexByte(sql[start:], '\n')
		if end < 0 {
			end = len(b)
		} else {
			end += start
		}
		switch gooseAnnotation(sql[start:end]) {
		case "up":
			down = false
		case "down":
			down = true
		}
		if down {
			for i := start; i < end; i++ {
				if b[i] != '\r' {
					b[i] = ' '
				}
			}
		}
		start = end + 1
	}
	return string(b)
}

// gooseAnnotation returns the lower-cased command of a "-- +goose <command>"
// line, or "" for any other line.
func gooseAnnotation(line string) string {
	rest, ok := strings.CutPrefix(strings.TrimSpace(line), "--")
	if !ok {
		return ""
	}
	rest, ok = strings.CutPrefix(strings.TrimSpace(rest), "+goose")
	if !ok {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(rest))
}
