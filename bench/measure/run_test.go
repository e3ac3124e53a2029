package measure

import (
	"runtime/debug"
	"slices"
	"testing"
)

func TestWithGOGCRestores(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	var during int
	if _, err := WithGOGC(MemoryGOGC, func() (Result, error) {
		during = debug.SetGCPercent(MemoryGOGC)
		return Result{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if during != MemoryGOGC {
		t.Errorf("GOGC during the run: %d, want %d", during, MemoryGOGC)
	}
	if after := debug.SetGCPercent(100); after != 100 {
		t.Errorf("GOGC after the run: %d, want 100 again", after)
	}
}

func TestRoundsAreDistinctInRangeAndRepeatable(t *testing.T) {
	a, err := Rounds(7, 3, 50, 60)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Rounds(7, 3, 50, 60)
	c, _ := Rounds(8, 3, 50, 60)
	for i, round := range a {
		if len(round) != 50 {
			t.Fatalf("round %d has %d ids, want 50", i, len(round))
		}
		sorted := slices.Sorted(slices.Values(round))
		if len(slices.Compact(sorted)) != 50 || sorted[0] < 1 || sorted[len(sorted)-1] > 60 {
			t.Errorf("round %d: ids not distinct in [1, 60]: %v", i, round)
		}
		if !slices.Equal(round, b[i]) {
			t.Errorf("round %d differs between two draws with the same seed", i)
		}
	}
	if slices.Equal(a[0], c[0]) {
		t.Error("seeds 7 and 8 drew the same round")
	}
	if _, err := Rounds(1, 1, 61, 60); err == nil {
		t.Error("a round larger than the table: no error")
	}
}
