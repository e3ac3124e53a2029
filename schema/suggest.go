package schema

import "unicode/utf8"

// Suggest returns the candidate closest to name by edit distance, for "did
// you mean" hints, or "" when none is close enough to be a plausible typo:
// the distance may be at most a third of name's length (and at least 1).
// Ties go to the lexically smallest candidate so that messages are stable
// whatever order the candidates come in (they often come from a map).
func Suggest(name string, candidates []string) string {
	limit := max(1, utf8.RuneCountInString(name)/3)
	best, bestDist := "", limit+1
	for _, c := range candidates {
		d := levenshtein(name, c)
		if d < bestDist || d == bestDist && c < best {
			best, bestDist = c, d
		}
	}
	return best
}

// levenshtein is the edit distance between a and b in runes, computed with
// a single row of the dynamic-programming table.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	row := make([]int, len(rb)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		diag := row[0]
		row[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			diag, row[j] = row[j], min(row[j]+1, row[j-1]+1, diag+cost)
		}
	}
	return row[len(rb)]
}
