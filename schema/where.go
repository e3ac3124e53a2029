package schema

import (
	"encoding/json"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// SameInEveryTransaction reports whether a collection's where predicate
// gives the same answer for the same rows in every transaction that shares
// one snapshot: it calls no function (now(), random(), current_setting()),
// reads no SQL value function (CURRENT_TIMESTAMP, CURRENT_USER), has no
// subquery, and casts nothing to a date or time type (whose 'now' and
// 'today' are read when the statement is planned). Columns, constants,
// operators and other casts pass. A predicate that does not parse does
// not.
//
// The generator streams a text-keyed collection's relations joined to its
// roots, filter included, on other transactions than the roots' own query:
// both must select the same roots.
func SameInEveryTransaction(where string) bool {
	tree, err := pg.ParseToJSON("SELECT FROM t WHERE " + where)
	if err != nil {
		return false
	}
	var v any
	if err := json.Unmarshal([]byte(tree), &v); err != nil {
		return false
	}
	return sameEverywhere(v)
}

// dateTimeTypes are the types whose input reads the clock ('now', 'today').
var dateTimeTypes = map[string]bool{
	"date": true, "time": true, "timetz": true, "timestamp": true, "timestamptz": true,
}

func sameEverywhere(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			switch k {
			case "FuncCall", "SQLValueFunction", "SubLink":
				return false
			case "TypeCast":
				if names, _ := x.(map[string]any)["typeName"].(map[string]any)["names"].([]any); len(names) > 0 {
					last, _ := names[len(names)-1].(map[string]any)["String"].(map[string]any)["sval"].(string)
					if dateTimeTypes[last] {
						return false
					}
				}
			}
			if !sameEverywhere(x) {
				return false
			}
		}
	case []any:
		for _, x := range v {
			if !sameEverywhere(x) {
				return false
			}
		}
	}
	return true
}
