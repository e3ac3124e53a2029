package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/denormgen/denormgen/bench/latency"
)

type options struct {
	cfg      latency.Config
	rates    []float64
	duration time.Duration
	runs     int
	fanouts  []int
	out      string
	append   bool
	note     string
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("denormlatency", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		o       options
		rates   = fs.String("rate", "200,1000", "steady single-row write rates per second, comma-separated")
		fanouts = fs.String("fanout", "2000,10000", "books given one tag that is then renamed, comma-separated; empty for none")
	)
	defaultDB := os.Getenv("DATABASE_URL")
	if defaultDB == "" {
		defaultDB = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	defaultRedis := os.Getenv("REDIS_ADDR")
	if defaultRedis == "" {
		defaultRedis = "127.0.0.1:6379"
	}
	fs.StringVar(&o.cfg.AdminURL, "db", defaultDB, "URL of any database on the server (default $DATABASE_URL)")
	fs.IntVar(&o.cfg.Scale, "scale", 1, "dataset scale (1 = 100,000 books), copied before it is written to")
	fs.StringVar(&o.cfg.Database, "copy", "denorm_latency", "throwaway database the run writes to; dropped at the end")
	fs.StringVar(&o.cfg.RedisAddr, "redis", defaultRedis, "Redis host:port (default $REDIS_ADDR); keys go under a random prefix, deleted at the end")
	fs.IntVar(&o.cfg.Writers, "writers", 16, "connections issuing the paced writes")
	fs.DurationVar(&o.cfg.Poll, "poll", 500*time.Microsecond, "how often the reader polls Redis for pending documents")
	fs.IntVar(&o.cfg.Syncers, "syncers", 1, "Syncers running in the process at once")
	fs.IntVar(&o.cfg.SyncBatch, "sync-batch", 0, "Syncer batch size (0: the runtime's default)")
	fs.DurationVar(&o.cfg.SyncPoll, "sync-poll", 0, "Syncer poll interval (0: the runtime's default)")
	fs.StringVar(&o.cfg.WriterCommit, "writer-commit", "", "synchronous_commit of the writers' connections (on, off; empty: the server's)")
	fs.StringVar(&o.cfg.SyncerCommit, "syncer-commit", "", "synchronous_commit of the Syncer's connections (on, off; empty: the server's)")
	fs.Uint64Var(&o.cfg.Seed, "seed", 1, "seed of the rows the writes touch")
	fs.DurationVar(&o.duration, "duration", 30*time.Second, "length of each steady write phase")
	fs.IntVar(&o.runs, "runs", 1, "steady write phases per rate, round-robin over the rates (this VM's tail latency moves between runs)")
	fs.StringVar(&o.out, "out", "../docs/bench-latency.md", "Markdown report to write; - for standard output only")
	fs.BoolVar(&o.append, "append", false, "append the report to -out (one file for runs with different settings)")
	fs.StringVar(&o.note, "note", "", "conditions to state at the top of the report")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	for _, part := range splitList(*rates) {
		r, err := strconv.ParseFloat(part, 64)
		if err != nil || r <= 0 {
			return nil, fmt.Errorf("-rate %q: want positive numbers separated by commas", *rates)
		}
		o.rates = append(o.rates, r)
	}
	for _, part := range splitList(*fanouts) {
		n, err := strconv.Atoi(part)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-fanout %q: want positive integers separated by commas", *fanouts)
		}
		o.fanouts = append(o.fanouts, n)
	}
	switch {
	case o.cfg.Scale < 1:
		return nil, fmt.Errorf("-scale must be positive")
	case o.cfg.Writers < 1 || o.cfg.Syncers < 1:
		return nil, fmt.Errorf("-writers and -syncers must be positive")
	case o.runs < 1:
		return nil, fmt.Errorf("-runs must be positive")
	case o.cfg.Poll <= 0 || o.duration <= 0:
		return nil, fmt.Errorf("-poll and -duration must be positive")
	case o.cfg.SyncBatch < 0 || o.cfg.SyncPoll < 0:
		return nil, fmt.Errorf("-sync-batch and -sync-poll may not be negative")
	}
	for _, c := range []string{o.cfg.WriterCommit, o.cfg.SyncerCommit} {
		switch c {
		case "", "on", "off", "local", "remote_write", "remote_apply":
		default:
			return nil, fmt.Errorf("-writer-commit and -syncer-commit: %q is not a synchronous_commit value", c)
		}
	}
	return &o, nil
}

func splitList(s string) []string {
	var out []string
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
