package denorm_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/denormgen/denormgen/runtime/denorm"
)

// TestLists feeds rows grouped by key, enough to outgrow several backing
// arrays, plus a key that comes back in a second group: every key gets all
// its rows in order, and appending to one list never changes another.
func TestLists(t *testing.T) {
	type row struct {
		key int
		v   string
	}
	var rows []row
	for k := range 300 {
		for i := range k % 7 {
			rows = append(rows, row{k, fmt.Sprint(k, ".", i)})
		}
	}
	rows = append(rows, row{3, "3.again"}, row{3, "3.again2"})

	got := map[int][]string{}
	var lists denorm.Lists[int, string]
	give := func(list []string, k int, ok bool) {
		if ok {
			got[k] = denorm.Extend(got[k], list)
		}
	}
	for _, r := range rows {
		give(lists.Add(r.key, r.v))
	}
	give(lists.Flush())
	if _, _, ok := lists.Flush(); ok {
		t.Error("a second Flush returned a list")
	}

	want := map[int][]string{}
	for _, r := range rows {
		want[r.key] = append(want[r.key], r.v)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("lists (-want +got):\n%s", diff)
	}
	// Lists are capped: appending to one copies rather than overwrite the next.
	before := fmt.Sprint(got[6])
	_ = append(got[5], "x")
	if fmt.Sprint(got[6]) != before {
		t.Errorf("appending to the list of 5 changed the list of 6: %v", got[6])
	}
}
