package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/denormgen/denormgen/bench/measure"
	"github.com/denormgen/denormgen/bench/strategy"
	"github.com/denormgen/denormgen/bench/writes"
)

// workloadWrites measures the capture triggers' cost to writes, on a copy of
// the smallest scale's database.
const workloadWrites = "writes"

type options struct {
	db            string
	scales        []int
	workloads     []string
	strategies    []string // names, in report order
	rounds        int
	roundSize     int
	seed          uint64
	nPlusOneLimit int
	runs          int
	writes        writes.Options
	out           string
	note          string
	warm          bool
	// probe, when set, makes the process a memory probe (see probe.go):
	// one strategy, one scale, one workload, one untimed run.
	probe string
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("denormbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		o          options
		scales     = fs.String("scale", "1", "dataset scales, comma-separated (1 = 100,000 books); the heap target needs two")
		workload   = fs.String("workload", "all", "full, incremental, writes (trigger overhead) or all")
		strategies = fs.String("strategies", "all", "comma-separated strategies, or all: "+strings.Join(names(strategy.All()), ", "))
	)
	defaultDB := os.Getenv("DATABASE_URL")
	if defaultDB == "" {
		defaultDB = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	fs.StringVar(&o.db, "db", defaultDB, "URL of any database on the server; the benchmark creates its own (default $DATABASE_URL)")
	fs.IntVar(&o.rounds, "rounds", 60, "incremental rounds")
	fs.IntVar(&o.roundSize, "round-size", 1000, "random roots per incremental round")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the incremental rounds and of the rows single-row writes touch")
	fs.IntVar(&o.nPlusOneLimit, "nplus1-limit", 2000, "documents n-plus-1 builds per workload")
	fs.IntVar(&o.writes.Statements, "write-statements", 200, "writes: single-row statements per side and slice")
	fs.IntVar(&o.writes.Slices, "write-slices", 20, "writes: rotations over the three sides (no triggers, the install SQL, empty triggers) for single-row statements")
	fs.IntVar(&o.writes.Warmup, "write-warmup", 50, "writes: untimed single-row statements before each timed slice, on the same connection")
	fs.IntVar(&o.writes.BulkRows, "bulk-rows", 100_000, "writes: rows of a bulk UPDATE")
	fs.IntVar(&o.writes.BulkRuns, "bulk-runs", 6, "writes: rotations over the three sides for bulk UPDATEs")
	fs.IntVar(&o.runs, "runs", 1, "measurements per strategy and workload; the median is reported")
	fs.StringVar(&o.out, "out", "../docs/BENCHMARKS.md", "Markdown report to write; - for standard output only")
	fs.StringVar(&o.note, "note", "", "conditions to state at the top of the report")
	fs.BoolVar(&o.warm, "warm", true, "read every table once before measuring, so no strategy pays for a cold page cache")
	fs.StringVar(&o.probe, "memory-probe", "", "internal: measure the peak live heap of this strategy in a process of its own, on one -scale and -workload, and print it")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}

	for _, part := range strings.Split(*scales, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-scale %q: want positive integers separated by commas", *scales)
		}
		o.scales = append(o.scales, n)
	}
	slices.Sort(o.scales)
	o.scales = slices.Compact(o.scales)

	switch *workload {
	case measure.Full, measure.Incremental, workloadWrites:
		o.workloads = []string{*workload}
	case "all":
		o.workloads = []string{measure.Full, measure.Incremental, workloadWrites}
	default:
		return nil, fmt.Errorf("-workload %q: want full, incremental, writes or all", *workload)
	}

	all := strategy.All()
	if *strategies == "all" {
		o.strategies = names(all)
	} else {
		for _, name := range strings.Split(*strategies, ",") {
			name = strings.TrimSpace(name)
			i := slices.IndexFunc(all, func(s strategy.Strategy) bool { return s.Name() == name })
			if i < 0 {
				return nil, fmt.Errorf("-strategies: unknown strategy %q; known: %s", name, strings.Join(names(all), ", "))
			}
			o.strategies = append(o.strategies, name)
		}
	}

	switch {
	case o.rounds < 1 || o.roundSize < 1:
		return nil, fmt.Errorf("-rounds and -round-size must be positive")
	case o.nPlusOneLimit < 1:
		return nil, fmt.Errorf("-nplus1-limit must be positive")
	case o.runs < 1:
		return nil, fmt.Errorf("-runs must be positive")
	case o.writes.Statements < 1 || o.writes.Slices < 1 || o.writes.BulkRows < 1 || o.writes.BulkRuns < 1 || o.writes.Warmup < 0:
		return nil, fmt.Errorf("-write-statements, -write-slices, -bulk-rows and -bulk-runs must be positive")
	case o.probe != "" && (len(o.scales) != 1 || len(o.workloads) != 1 || o.workloads[0] == workloadWrites):
		return nil, fmt.Errorf("-memory-probe needs one -scale and -workload full or incremental")
	case o.probe != "" && !slices.ContainsFunc(all, func(s strategy.Strategy) bool { return s.Name() == o.probe }):
		return nil, fmt.Errorf("-memory-probe: unknown strategy %q", o.probe)
	}
	return &o, nil
}

// pick returns new instances of the named strategies: each scale gets its
// own, so that no cache of one scale's pool survives into the next.
func pick(names []string) []strategy.Strategy {
	var out []strategy.Strategy
	for _, name := range names {
		for _, s := range strategy.All() {
			if s.Name() == name {
				out = append(out, s)
			}
		}
	}
	return out
}

func names(ss []strategy.Strategy) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Name()
	}
	return out
}
