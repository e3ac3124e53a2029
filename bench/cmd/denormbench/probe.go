package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/denormgen/denormgen/bench"
	"github.com/denormgen/denormgen/bench/measure"
	"github.com/denormgen/denormgen/bench/strategy"
)

// Peak live heap is measured in a process of its own, one per measurement.
// The collector starts a cycle when the heap grows by GOGC percent of all
// that is live, so in the benchmark's own process a strategy's peak would
// depend on what the rest of the process keeps (the other strategies'
// caches, the larger scale's pools): the same build measured 2.4 MiB at
// scale 1 and 3.5 MiB at scale 3 in one process, 2.4 and 2.6 MiB alone.

// probeMemory runs a memory probe of s on workload w at scale and returns its
// peak live heap: the median of the spans' peaks for a full build (one span
// per scale-1 dataset), the plain peak otherwise.
func probeMemory(ctx context.Context, o *options, s strategy.Strategy, w string, scale int) (uint64, error) {
	self, err := os.Executable()
	if err != nil {
		return 0, fmt.Errorf("memory probe: %w", err)
	}
	cmd := exec.CommandContext(ctx, self,
		"-memory-probe", s.Name(), "-scale", strconv.Itoa(scale), "-workload", w, "-db", o.db,
		"-rounds", strconv.Itoa(o.rounds), "-round-size", strconv.Itoa(o.roundSize),
		"-seed", strconv.FormatUint(o.seed, 10), "-nplus1-limit", strconv.Itoa(o.nPlusOneLimit))
	cmd.Env = append(os.Environ(), "GOGC=") // the probe sets its own
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("memory probe of %s: %w: %s", s.Name(), err, strings.TrimSpace(stderr.String()))
	}
	live, err := strconv.ParseUint(strings.TrimSpace(stdout.String()), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("memory probe of %s: output %q: %w", s.Name(), stdout.String(), err)
	}
	return live, nil
}

// runProbe is the probe's side: warm up as the benchmark does, then one
// untimed run at measure.MemoryGOGC, and print its peak live heap in bytes.
func runProbe(ctx context.Context, o *options, stdout io.Writer) error {
	scale, w := o.scales[0], o.workloads[0] // parseFlags checked there is one of each
	s := pick([]string{o.probe})[0]
	sizes := bench.ScaleSizes(scale)
	pool, err := bench.Ensure(ctx, o.db, bench.DatabaseName(scale), sizes, func(string, ...any) {})
	if err != nil {
		return err
	}
	defer pool.Close()
	rounds, err := measure.Rounds(o.seed, o.rounds, o.roundSize, sizes.Books)
	if err != nil {
		return err
	}
	if err := warmUp(ctx, pool, s, w, rounds[0]); err != nil {
		return fmt.Errorf("warm up %s: %w", s.Name(), err)
	}
	r, err := measure.WithGOGC(measure.MemoryGOGC, func() (measure.Result, error) {
		return runOnce(ctx, o, pool, s, w, rounds)
	})
	if err != nil {
		return err
	}
	live := r.PeakLive
	if w == measure.Full {
		live = r.PeakLiveSpans(max(1, r.Docs/bench.ScaleSizes(1).Books))
	}
	_, err = fmt.Fprintln(stdout, live)
	return err
}
