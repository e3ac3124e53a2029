package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// Bad flags end with exit code 2 and a message naming the flag, before any
// database is touched.
func TestBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-scale", "1,x"}, `-scale "1,x": want positive integers`},
		{[]string{"-scale", "0"}, `-scale "0"`},
		{[]string{"-workload", "fast"}, `-workload "fast": want full, incremental, writes or all`},
		{[]string{"-strategies", "generated,gorm"}, `unknown strategy "gorm"; known: generated, json-agg`},
		{[]string{"-rounds", "0"}, "-rounds and -round-size must be positive"},
		{[]string{"-runs", "-1"}, "-runs must be positive"},
		{[]string{"-bulk-rows", "0"}, "-bulk-rows"},
		{[]string{"extra"}, `unexpected arguments ["extra"]`},
		{[]string{"-memory-probe", "generated", "-scale", "1,3", "-workload", "full"}, "-memory-probe needs one -scale"},
		{[]string{"-memory-probe", "generated", "-workload", "all"}, "-memory-probe needs one -scale and -workload full or incremental"},
		{[]string{"-memory-probe", "gorm", "-workload", "full"}, `-memory-probe: unknown strategy "gorm"`},
	} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), tc.args, &stdout, &stderr)
		if code != 2 || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 and %q", tc.args, code, stderr.String(), tc.want)
		}
	}
}

func TestFlagsSelectStrategiesInOrder(t *testing.T) {
	var stderr bytes.Buffer
	o, err := parseFlags([]string{"-strategies", "lower-bound, generated", "-scale", "3,1,3", "-workload", "full"}, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(names(pick(o.strategies)), ","); got != "lower-bound,generated" {
		t.Errorf("strategies %s, want lower-bound,generated", got)
	}
	if len(o.scales) != 2 || o.scales[0] != 1 || o.scales[1] != 3 {
		t.Errorf("scales %v, want [1 3]", o.scales)
	}
	if len(o.workloads) != 1 || o.workloads[0] != "full" {
		t.Errorf("workloads %v, want [full]", o.workloads)
	}
}

func TestCommandLineQuotesForTheShell(t *testing.T) {
	got := commandLine([]string{"-scale", "1,3", "-note", "busy machine, don't trust", ""})
	want := `go run ./cmd/denormbench -scale 1,3 -note 'busy machine, don'\''t trust' ''`
	if got != want {
		t.Errorf("commandLine = %s\nwant          %s", got, want)
	}
}
