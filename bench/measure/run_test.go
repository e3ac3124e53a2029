package measure

import (
	"reflect"
	"runtime/debug"
	"slices"
	"testing"
	"time"
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

func TestPeakLiveSpans(t *testing.T) {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	r := Result{Elapsed: ms(300), PeakLive: 9, Lives: []LiveSample{
		{At: ms(10), Bytes: 3}, {At: ms(90), Bytes: 4}, // first span: 4
		{At: ms(150), Bytes: 9},                          // second span: 9 (the plain maximum)
		{At: ms(210), Bytes: 2}, {At: ms(299), Bytes: 5}, // third span: 5
	}}
	if got := r.PeakLiveSpans(1); got != 9 {
		t.Errorf("one span: %d, want the plain maximum 9", got)
	}
	if got := r.PeakLiveSpans(3); got != 5 {
		t.Errorf("three spans: %d, want the median of 4, 9, 5", got)
	}
	// Growth with the work done shows: peaks 2, 6, 10 give 6, not 2.
	grow := Result{Elapsed: ms(300), PeakLive: 10, Lives: []LiveSample{{At: ms(50), Bytes: 2}, {At: ms(150), Bytes: 6}, {At: ms(250), Bytes: 10}}}
	if got := grow.PeakLiveSpans(3); got != 6 {
		t.Errorf("growing heap: %d, want 6", got)
	}
	// Spans without a collection are left out.
	sparse := Result{Elapsed: ms(300), PeakLive: 7, Lives: []LiveSample{{At: ms(20), Bytes: 7}}}
	if got := sparse.PeakLiveSpans(3); got != 7 {
		t.Errorf("one collection: %d, want 7", got)
	}
}

// TestResultAdd: rounds add up into one run; peaks are the highest, and the
// later round's live samples are timed from the start of the run.
func TestResultAdd(t *testing.T) {
	var r Result
	r.Add(Result{Strategy: "s", Workload: Incremental, Docs: 10, Bytes: 100, Elapsed: time.Second, PeakHeap: 5, PeakLive: 3, Alloc: 7,
		Lives: []LiveSample{{At: 500 * time.Millisecond, Bytes: 3}}})
	r.Add(Result{Strategy: "s", Workload: Incremental, Docs: 20, Bytes: 200, Elapsed: 2 * time.Second, PeakHeap: 4, PeakLive: 6, Alloc: 1,
		Lives: []LiveSample{{At: time.Second, Bytes: 6}}})
	want := Result{Strategy: "s", Workload: Incremental, Docs: 30, Bytes: 300, Elapsed: 3 * time.Second, PeakHeap: 5, PeakLive: 6, Alloc: 8,
		Lives: []LiveSample{{At: 500 * time.Millisecond, Bytes: 3}, {At: 2 * time.Second, Bytes: 6}}}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("Add:\n got %+v\nwant %+v", r, want)
	}
	if r.DocsPerSec() != 10 {
		t.Errorf("DocsPerSec = %v, want 10", r.DocsPerSec())
	}
}
