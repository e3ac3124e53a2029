// Command denormbench measures denormgen's generated loader against the
// usual ways of building the same documents, side by side in one run, and
// writes docs/BENCHMARKS.md.
//
//	cd bench && go run ./cmd/denormbench -scale 1,3 -workload all
//
// The dataset is loaded into denorm_bench (denorm_bench_s3 at scale 3, …) on
// the server of -db the first time, and reused afterwards.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	cancel()
	os.Exit(code)
}
