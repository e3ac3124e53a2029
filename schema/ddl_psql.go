package schema

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// blankPsqlCommands replaces psql meta-commands (\connect, \set, and the
// \restrict and \unrestrict lines that pg_dump writes since PostgreSQL 17.6,
// 16.10 and 15.14) with spaces, keeping positions. A line counts as one when
// it starts with a backslash between statements; a backslash at the start
// of a line inside a string or a function body is left alone.
func blankPsqlCommands(sql string) string {
	var b []byte // copy on first write
	for start := 0; start < len(sql); {
		end := strings.IndexByte(sql[start:], '\n')
		if end < 0 {
			end = len(sql)
		} else {
			end += start
		}
		if strings.HasPrefix(strings.TrimLeft(sql[start:end], " \t"), `\`) && betweenStatements(sql[:start]) {
			if b == nil {
				b = []byte(sql)
			}
			for i := start; i < end; i++ {
				if b[i] != '\r' {
					b[i] = ' '
				}
			}
			sql = string(b)
		}
		start = end + 1
	}
	return sql
}

// betweenStatements reports whether the text before a line ends between two
// statements: after a semicolon, or with no statement begun.
func betweenStatements(before string) bool {
	res, err := pg.Scan(before)
	if err != nil {
		return false // an unterminated string or comment runs into the line
	}
	toks := res.GetTokens()
	for i := len(toks) - 1; i >= 0; i-- {
		switch toks[i].GetToken() {
		case pg.Token_SQL_COMMENT, pg.Token_C_COMMENT:
			continue
		case pg.Token_ASCII_59: // ;
			return true
		}
		return false
	}
	return true
}
