package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/denormgen/denormgen/bench/latency"
	"github.com/denormgen/denormgen/bench/report"
)

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "denormlatency: %v\n", err)
		return 2
	}
	if err := measure(ctx, o, args, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "denormlatency: %v\n", err)
		return 1
	}
	return 0
}

func measure(ctx context.Context, o *options, args []string, stdout, stderr io.Writer) (err error) {
	logf := func(format string, a ...any) { fmt.Fprintf(stderr, format+"\n", a...) }
	rep := &latency.Report{
		Command: command(args),
		Date:    time.Now(),
		Note:    o.note,
		Config:  o.cfg,
		LoadAvg: firstLine("/proc/loadavg"),
	}
	env, err := latency.Open(ctx, o.cfg, logf)
	if err != nil {
		return err
	}
	defer func() {
		// Cleanup runs even after an interrupt.
		if cerr := env.Close(context.WithoutCancel(ctx)); err == nil {
			err = cerr
		}
	}()
	rep.Machine = report.ReadMachine(ctx, env.DB)
	rep.Redis = env.RedisVersion(ctx)
	rep.Sizes = env.Sizes

	rep.Runs = o.runs
	for run := 1; run <= o.runs; run++ {
		for i, rate := range o.rates {
			if o.runs > 1 {
				logf("steady %g writes/s for %s (run %d of %d) ...", rate, o.duration, run, o.runs)
			} else {
				logf("steady %g writes/s for %s ...", rate, o.duration)
			}
			r, err := env.RunSteady(ctx, rate, o.duration, fmt.Sprintf("lat%d-%d", run, i))
			if err != nil {
				return err
			}
			r.Run = run
			logf("  achieved %.0f/s; p50 %s p90 %s p99 %s max %s; unseen %d; lag end %d rows, slope %.1f rows/s; kept up %v",
				r.Achieved, r.Latency.P50, r.Latency.P90, r.Latency.P99, r.Latency.Max, r.Unseen, r.LagEnd, r.LagSlope, r.KeptUp)
			for _, m := range r.Missing {
				logf("  unseen: %s", m)
			}
			rep.Steady = append(rep.Steady, r)
		}
	}
	for i, n := range o.fanouts {
		logf("fan-out: renaming a tag on %d books ...", n)
		r, err := env.RunFanout(ctx, n, fmt.Sprintf("fanout%d-%d", i, n))
		if err != nil {
			return err
		}
		logf("  all readable after %s (last put %s); heap %.1f MB -> peak %.1f MB",
			r.Readable, r.LastPut, mb(r.HeapBase), mb(r.HeapPeak))
		rep.Fanout = append(rep.Fanout, r)
	}

	var md bytes.Buffer
	rep.Write(&md)
	if o.out == "-" {
		_, err := stdout.Write(md.Bytes())
		return err
	}
	if err := writeReport(o.out, md.Bytes(), o.append); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	logf("wrote %s", o.out)
	return nil
}

func mb(b uint64) float64 { return float64(b) / (1 << 20) }

func firstLine(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "unknown"
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimSpace(line)
}

func writeReport(path string, md []byte, appendTo bool) error {
	if !appendTo {
		return os.WriteFile(path, md, 0o644)
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(append([]byte("\n"), md...)); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// command is the command line of the run as the report shows it: without
// -out and -note, whose values say nothing about the measurement (the note
// has a line of its own).
func command(args []string) string {
	out := []string{"go run ./latency/cmd/denormlatency"}
	for i := 0; i < len(args); i++ {
		name, _, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		if name == "out" || name == "note" {
			if !hasValue {
				i++
			}
			continue
		}
		out = append(out, args[i])
	}
	return strings.Join(out, " ")
}
