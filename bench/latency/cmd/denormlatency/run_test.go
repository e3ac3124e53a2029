package main

import (
	"io"
	"testing"
)

func TestCommand(t *testing.T) {
	got := command([]string{"-rate", "200", "-out", "x.md", "-note=busy machine", "--note", "y", "-fanout", ""})
	if want := `go run ./latency/cmd/denormlatency -rate 200 -fanout `; got != want {
		t.Errorf("command = %q, want %q", got, want)
	}
}

func TestRunsFlag(t *testing.T) {
	o, err := parseFlags([]string{"-runs", "3", "-rate", "200,1000"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if o.runs != 3 || len(o.rates) != 2 {
		t.Errorf("runs %d, rates %v; want 3 runs of 2 rates", o.runs, o.rates)
	}
	if _, err := parseFlags([]string{"-runs", "0"}, io.Discard); err == nil {
		t.Error("-runs 0 accepted")
	}
}
