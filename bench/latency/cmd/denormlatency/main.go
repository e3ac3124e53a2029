// Command denormlatency measures how fast denormgen's Syncer propagates
// writes to Redis: commit-to-readable latency under steady single-row write
// rates, and the time and heap of one rename that reaches thousands of
// documents. It writes a Markdown report (docs/bench-latency.md).
//
//	cd bench && go run ./latency/cmd/denormlatency -rate 200,1000 -duration 30s
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
