package main

import "testing"

func TestCommand(t *testing.T) {
	got := command([]string{"-rate", "200", "-out", "x.md", "-note=busy machine", "--note", "y", "-fanout", ""})
	if want := `go run ./latency/cmd/denormlatency -rate 200 -fanout `; got != want {
		t.Errorf("command = %q, want %q", got, want)
	}
}
