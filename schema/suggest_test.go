package schema

import "testing"

func TestSuggest(t *testing.T) {
	tests := []struct {
		name       string
		candidates []string
		want       string
	}{
		{"bok", []string{"author", "book", "review"}, "book"},
		{"titl", []string{"id", "title", "year"}, "title"},
		// A transposition is one edit, as a 5-letter name allows.
		{"titel", []string{"id", "title", "year"}, "title"},
		{"tilte", []string{"id", "title", "year"}, "title"},
		{"reviwe", []string{"author", "review"}, "review"},
		{"reveiws", []string{"review", "reviews"}, "reviews"},
		// One edit is always allowed, even for short names.
		{"id", []string{"ids", "name"}, "ids"},
		{"a", []string{"b"}, "b"},
		// Too far: "x" needs 4 edits to become "book".
		{"x", []string{"book"}, ""},
		{"publisher", []string{"author", "review"}, ""},
		// 9 runes allow 3 edits; "pblshr" is 3 deletions away.
		{"publisher", []string{"pblshr"}, "pblshr"},
		{"publisher", []string{"pblsr"}, ""},
		// Ties go to the lexically smallest candidate, whatever the order.
		{"cat", []string{"hat", "bat"}, "bat"},
		{"cat", []string{"bat", "hat"}, "bat"},
		{"", []string{"a", "bb"}, "a"},
		{"book", nil, ""},
		// Distance counts runes, not bytes.
		{"näme", []string{"name"}, "name"},
	}
	for _, tt := range tests {
		if got := Suggest(tt.name, tt.candidates); got != tt.want {
			t.Errorf("Suggest(%q, %q) = %q, want %q", tt.name, tt.candidates, got, tt.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"kitten", "sitting", 3},
		{"flaw", "lawn", 2},
		{"book", "book", 0},
		{"ünï", "uni", 2},
		// Swapping neighbours is one edit...
		{"titel", "title", 1},
		{"ab", "ba", 1},
		// ...but a swapped pair is not edited again (optimal string
		// alignment, not full Damerau-Levenshtein).
		{"ca", "abc", 3},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
