package schema

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// locate returns the location of the first token of the current statement,
// at or after from, that spells the identifier name (quoted or not), or -1.
// The parser gives no location to the actions of ALTER TABLE or to enum
// labels; finding the name in the statement's text lets errors point at the
// column or label at fault rather than at the start of the statement.
func (a *applier) locate(name string, from int32) int32 {
	return a.findToken(from, func(text string) bool {
		if unq, ok := unquote(text, '"'); ok {
			return unq == name
		}
		return foldIdent(text) == name
	})
}

// locateString is locate for a string literal ('happy').
func (a *applier) locateString(value string, from int32) int32 {
	return a.findToken(from, func(text string) bool {
		unq, ok := unquote(text, '\'')
		return ok && unq == value
	})
}

func (a *applier) findToken(from int32, match func(text string) bool) int32 {
	if a.tokens == nil {
		res, err := pg.Scan(a.sql[a.stmt:a.stmtEnd])
		if err != nil {
			return -1
		}
		a.tokens = res.GetTokens()
	}
	for _, t := range a.tokens {
		start, end := a.stmt+int(t.GetStart()), a.stmt+int(t.GetEnd())
		if start >= int(from) && end <= a.stmtEnd && match(a.sql[start:end]) {
			return int32(start)
		}
	}
	return -1
}

// unquote strips the quotes q from text and undoubles the quotes inside.
func unquote(text string, q byte) (string, bool) {
	if len(text) < 2 || text[0] != q || text[len(text)-1] != q {
		return "", false
	}
	return strings.ReplaceAll(text[1:len(text)-1], string([]byte{q, q}), string(q)), true
}

// foldIdent folds an unquoted identifier to lower case as PostgreSQL does:
// ASCII letters only.
func foldIdent(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}
