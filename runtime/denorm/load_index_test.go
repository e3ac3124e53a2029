package denorm

import (
	"slices"
	"testing"
)

func TestIndex(t *testing.T) {
	x := NewIndex[int64, string](0)
	x.Add(1, "a")
	x.Add(2, "b")
	x.Add(1, "c")
	if got := slices.Sorted(x.Get(1)); !slices.Equal(got, []string{"a", "c"}) {
		t.Errorf("Get(1) = %q, want a and c", got)
	}
	if got := slices.Collect(x.Get(3)); len(got) != 0 {
		t.Errorf("Get(3) = %q, want nothing", got)
	}
	if got := slices.Sorted(slices.Values(x.Keys())); !slices.Equal(got, []int64{1, 2}) || x.Len() != 2 {
		t.Errorf("Keys() = %v, Len() = %d; want [1 2], 2", got, x.Len())
	}
	if got := slices.Collect(x.All()); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("All() = %q, want a, b and c in the order added", got)
	}
	for range x.Get(1) {
		break // stopping early must not panic
	}
	for range x.All() {
		break
	}
	var none *Index[int64, string]
	if none.Len() != 0 {
		t.Error("nil index is not empty")
	}
}
