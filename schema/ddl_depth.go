package schema

import pg "github.com/pganalyze/pg_query_go/v6"

// maxExprDepth bounds how deeply the expressions of a file may nest.
// "1 + 1 + ... + 1" parses into a tree as deep as the chain is long, and
// pg_query walks that tree recursively in C: some 20,000 levels overflow the
// thread's stack and kill the process, which no recover can catch. No schema
// needs anywhere near this many.
const maxExprDepth = 1000

// chainOperators are the tokens that make a parse tree one level deeper per
// use: binary and postfix operators, which the grammar nests to the left.
// AND and OR are not among them: the parser flattens their chains.
var chainOperators = map[pg.Token]bool{
	pg.Token_ASCII_37: true, pg.Token_ASCII_42: true, pg.Token_ASCII_43: true, // % * +
	pg.Token_ASCII_45: true, pg.Token_ASCII_47: true, pg.Token_ASCII_94: true, // - / ^
	pg.Token_ASCII_60: true, pg.Token_ASCII_61: true, pg.Token_ASCII_62: true, // < = >
	pg.Token_Op: true, pg.Token_TYPECAST: true, pg.Token_LESS_EQUALS: true,
	pg.Token_GREATER_EQUALS: true, pg.Token_NOT_EQUALS: true, pg.Token_IS: true,
	pg.Token_ISNULL: true, pg.Token_NOTNULL: true, pg.Token_COLLATE: true,
	pg.Token_LIKE: true, pg.Token_ILIKE: true, pg.Token_SIMILAR: true,
	pg.Token_AT: true, pg.Token_OPERATOR: true, pg.Token_IN_P: true,
	pg.Token_BETWEEN: true, pg.Token_OVERLAPS: true, pg.Token_NOT: true,
	pg.Token_NOT_LA: true,
	// Set operations and joins nest to the left too.
	pg.Token_UNION: true, pg.Token_INTERSECT: true, pg.Token_EXCEPT: true,
	pg.Token_JOIN: true,
}

// tooDeep returns the byte offset of the operator at which an expression of
// sql nests deeper than maxExprDepth, or -1. It reads tokens only: chains
// are counted per level of parentheses, restarting after a comma, and the
// levels that enclose a chain, and the parentheses themselves, add to its
// depth. A file the scanner rejects
// is left to the parser, which reports the error without building a tree.
func tooDeep(sql string) int {
	res, err := pg.Scan(sql)
	if err != nil {
		return -1
	}
	chains := []int{0} // operators in a row, per open parenthesis
	depth := 0         // sum of chains
	for _, t := range res.GetTokens() {
		top := len(chains) - 1
		switch tok := t.GetToken(); {
		case tok == pg.Token_ASCII_40 || tok == pg.Token_ASCII_91: // ( [
			// Each parenthesis is a level of the tree as well.
			if chains = append(chains, 0); depth+len(chains) > maxExprDepth {
				return int(t.GetStart())
			}
		case tok == pg.Token_ASCII_41 || tok == pg.Token_ASCII_93: // ) ]
			if top > 0 {
				depth -= chains[top]
				chains = chains[:top]
			}
		case tok == pg.Token_ASCII_44: // ,
			depth -= chains[top]
			chains[top] = 0
		case tok == pg.Token_ASCII_59: // ;
			chains, depth = chains[:1], 0
			chains[0] = 0
		case chainOperators[tok]:
			chains[top]++
			if depth++; depth+len(chains) > maxExprDepth {
				return int(t.GetStart())
			}
		}
	}
	return -1
}
