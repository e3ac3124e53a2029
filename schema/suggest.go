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
		d := editDistance(name, c)
		if d < bestDist || d == bestDist && c < best {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the edit distance between a and b in runes, counting a
// swap of two neighbours as one edit (titel -> title), the commonest typo:
// the optimal string alignment distance.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1) // row i-2
	prev := make([]int, len(rb)+1)  // row i-1
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
