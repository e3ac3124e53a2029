package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/denormgen/denormgen/bench"
	"github.com/denormgen/denormgen/bench/measure"
	"github.com/denormgen/denormgen/bench/strategy"
	"github.com/denormgen/denormgen/bench/writes"
)

// Settings are the knobs of a run, printed so that it can be repeated.
type Settings struct {
	Command       string // the command line that produced the report
	Date          time.Time
	Note          string // conditions worth knowing ("preliminary: machine shared with builds")
	Workloads     []string
	Rounds        int // incremental rounds
	RoundSize     int // roots per round
	Seed          uint64
	NPlusOneLimit int // documents the N+1 strategy builds per workload
	Runs          int // measurements per strategy and workload; the median is shown
	GOGC          string
}

// A Scale is the results at one dataset scale.
type Scale struct {
	Scale       int
	Sizes       bench.Sizes
	Counts      bench.Counts
	Full        []measure.Result
	Incremental []measure.Result
	// IncrementalRuns holds every run of the incremental workload by
	// strategy, in run order (Incremental shows the median): run k of two
	// strategies went through the same rounds, interleaved, so their ratio
	// is a measurement of its own.
	IncrementalRuns map[string][]measure.Result
}

// Report is everything BENCHMARKS.md shows.
type Report struct {
	Machine    Machine
	Settings   Settings
	Strategies []strategy.Strategy
	Scales     []Scale
	Writes     []writes.Result // the capture triggers' cost; empty if not measured
}

// Write renders the report as Markdown.
func (r *Report) Write(w io.Writer) error {
	var b strings.Builder
	s := r.Settings
	b.WriteString("# Benchmarks\n\n")
	fmt.Fprintf(&b, "Measured on %s with:\n\n    %s\n\n", s.Date.UTC().Format("2006-01-02 15:04 MST"), s.Command)
	if s.Note != "" {
		fmt.Fprintf(&b, "> **%s**\n\n", s.Note)
	}
	b.WriteString("This file is written by the runner; rerun it rather than editing the numbers. " +
		"`cd bench && go run ./cmd/denormbench -h` lists the flags, " +
		"`go test -bench . ./strategy` runs the same strategies as Go benchmarks.\n\n")

	b.WriteString("## Machine\n\n| | |\n|---|---|\n")
	for _, row := range r.Machine.rows() {
		fmt.Fprintf(&b, "| %s | %s |\n", row[0], cell(row[1]))
	}

	b.WriteString("\n## Settings\n\n")
	fmt.Fprintf(&b, "- Workloads: %s. Each strategy runs alone, after `runtime.GC()`, following an unmeasured warm-up; "+
		"the tables are read once in full before the first strategy so that every strategy finds them in the page cache.\n",
		strings.Join(s.Workloads, ", "))
	fmt.Fprintf(&b, "- Full build: every book, in id order, streamed chunk by chunk (chunks of %d; generated: %d, see its description).\n",
		strategy.ChunkSize, strategy.FullChunkSize)
	fmt.Fprintf(&b, "- Incremental: %d rounds of %d distinct random books (seed %d), the same for every strategy. "+
		"Measured round by round: each round goes to every strategy in turn, in an order drawn afresh for each round (seeded), "+
		"and a run of a strategy is the sum of its rounds. A round takes tens of milliseconds, "+
		"so the machine's drifts in speed fall on every strategy alike. No collection is forced between rounds "+
		"(it would take a round's garbage out of its time); peak in use is then the whole process's HeapInuse at the end of a round.\n",
		s.Rounds, s.RoundSize, s.Seed)
	fmt.Fprintf(&b, "- n-plus-1 builds only %d documents per workload; its docs/s is over those.\n", s.NPlusOneLimit)
	fmt.Fprintf(&b, "- Runs per measurement: %d, round-robin over the strategies for full builds (the median by docs/s is shown, with the highest peak in use of all runs). GOGC=%s.\n", s.Runs, s.GOGC)
	fmt.Fprintf(&b, "- Peak live: the memory the strategy keeps. The largest live heap a garbage collection found "+
		"(`/gc/heap/live:bytes`, runtime/metrics, sampled every millisecond) minus the live heap after the `runtime.GC()` that starts the run, "+
		"measured in one more, untimed run with GOGC=%d in a process of its own, after the same warm-up (for the generated full build, the median of as many such runs as timed ones): "+
		"the collector paces itself on everything the process keeps alive, so in the benchmark's own process the figure would also depend on the other strategies' caches and the larger scale's pools. "+
		"The live heap is only known when a collection ends, and with GOGC=100 "+
		"a run that allocates three times as much gets three times as many looks at it, and a higher maximum by chance alone. "+
		"For the same reason a full build is cut into spans of equal time, one per 100,000 documents, and its peak live is the median of the spans' highest live heaps "+
		"(at scale 1, one span: the plain maximum); memory that grew with the work done would still show, as higher peaks in the later spans. "+
		"Peak in use: the highest HeapInuse of the timed runs, over the same span and start, garbage not yet collected included; "+
		"the collector lets garbage grow as large as the whole process's live heap, so this figure also grows with what "+
		"the rest of the process holds (the larger scale's pools and caches), not only with the strategy. "+
		"The flatness target uses peak live. Alloc/doc: bytes allocated per document.\n", measure.MemoryGOGC)
	b.WriteString("- Ratios: the row's docs/s divided by the column's. Above 1, the row is faster.\n")
	b.WriteString("- Dataset (`bench/schema.sql`, `bench/rows.go`): every value derives from a hash of its row number, " +
		"so every machine loads the same rows. Books have 0-5 authors (2.5 on average) and 0-6 tags (3); " +
		"each review belongs to a random book (5 per book on average, so a book's reviews lie on different pages, " +
		"as in a table filled over time); 1% of books have no publisher, 5% of publishers no country. " +
		"The heavy columns (4 KB summary, 2 KB bios, 300-byte review bodies) are incompressible text, " +
		"so selecting them costs what real prose costs.\n")
	for _, sc := range r.Scales {
		fmt.Fprintf(&b, "- Scale %d dataset: %s; rows: %s.\n", sc.Scale, sc.Sizes, counts(sc.Counts))
	}

	b.WriteString("\n## Strategies\n\n")
	for _, st := range r.Strategies {
		fmt.Fprintf(&b, "- **%s**: %s.\n", st.Name(), st.Describe())
	}
	b.WriteString("\nEvery strategy renders the same JSON values; `go test ./strategy` checks them " +
		"against json-agg on a small dataset with every edge case.\n")

	for _, sc := range r.Scales {
		if len(sc.Full) > 0 {
			fmt.Fprintf(&b, "\n## Full build, scale %d (%d books)\n\n", sc.Scale, sc.Sizes.Books)
			resultTable(&b, sc.Full)
		}
		if len(sc.Incremental) > 0 {
			fmt.Fprintf(&b, "\n## Incremental rebuild, scale %d (%d × %d random books)\n\n", sc.Scale, s.Rounds, s.RoundSize)
			resultTable(&b, sc.Incremental)
		}
	}

	if len(r.Writes) > 0 {
		writesTable(&b, r.Writes)
	}

	b.WriteString("\n## Targets\n\n")
	targets := r.targets()
	if len(targets) == 0 {
		b.WriteString("No target could be checked: the generated loader or a baseline was not measured.\n")
	} else {
		b.WriteString("| target | measured | met |\n|---|---|---|\n")
		for _, t := range targets {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", t.name, t.measured, yesNo(t.met))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func resultTable(b *strings.Builder, results []measure.Result) {
	b.WriteString("| strategy | docs | time | docs/s | peak live | peak in use | alloc/doc |")
	for _, base := range results {
		fmt.Fprintf(b, " × %s |", base.Strategy)
	}
	b.WriteString("\n|---|---:|---:|---:|---:|---:|---:|")
	b.WriteString(strings.Repeat("---:|", len(results)))
	b.WriteString("\n")
	for _, r := range results {
		docs := fmt.Sprintf("%d", r.Docs)
		if r.Capped {
			docs += " (capped)"
		}
		fmt.Fprintf(b, "| %s | %s | %.2fs | %s | %s | %s | %s |", r.Strategy, docs, r.Elapsed.Seconds(),
			thousands(r.DocsPerSec()), mib(r.PeakLive), mib(r.PeakHeap), kib(r.AllocPerDoc()))
		for _, base := range results {
			if base.Strategy == r.Strategy {
				b.WriteString(" — |")
				continue
			}
			fmt.Fprintf(b, " %.2f |", r.DocsPerSec()/base.DocsPerSec())
		}
		b.WriteString("\n")
	}
}

func writesTable(b *strings.Builder, results []writes.Result) {
	b.WriteString("\n## Write overhead of the capture triggers\n\n")
	b.WriteString("The same writes with and without the install SQL of denorm.yaml (`benchdocs.InstallSQL`), " +
		"on a copy of the scale's database, rotating which side runs first. " +
		"Every statement, the DDL that installs or drops the triggers included, runs on one connection, with the server's synchronous_commit; " +
		"single-row statements run one per transaction. ")
	for _, r := range results {
		if !r.Case.Bulk {
			fmt.Fprintf(b, "Single-row cases rotate %d times over the sides, each side after %d untimed statements of its own: "+
				"the first statements after the DDL rebuild the session's caches, and with triggers compile the function and plan its queries, "+
				"a cost of switching sides that an application's sessions pay once, not per write. ", r.Slices, r.Warmup)
			break
		}
	}
	b.WriteString("Nothing drains the outbox, which is emptied between runs. " +
		"Throughput with triggers is the time without over the time with.\n\n")
	b.WriteString("*Empty triggers* is a third side, measured in the same rotation: the written table gets triggers of the kind the install SQL creates " +
		"(statement-level, with transition tables) whose PL/pgSQL function returns at once. " +
		"It is what PostgreSQL itself charges for capturing the transition tables and calling a trigger: the floor of any capture built as issue 4 asks.\n\n")
	b.WriteString("| write | rows per side | without | with | throughput with triggers | empty triggers (floor) | changes recorded | target | met |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---|---|\n")
	for _, r := range results {
		want := fmt.Sprintf("≥ %.0f%%", 100/r.Case.MaxSlowdown)
		if r.Case.Bulk {
			want = fmt.Sprintf("time ≤ %.2f×", r.Case.MaxSlowdown)
		}
		if !r.Case.Captured {
			want += ", nothing recorded"
		}
		fmt.Fprintf(b, "| %s | %d | %.3fs | %.3fs | %.1f%% (time %.2f×) | %.3fs (time %.2f×) | %d | %s | %s |\n",
			r.Case.Name, r.Rows, r.Without.Seconds(), r.With.Seconds(), 100/r.Slowdown(), r.Slowdown(),
			r.Empty.Seconds(), r.EmptySlowdown(), r.Outbox, want, yesNo(r.Met()))
	}
}

func counts(c bench.Counts) string {
	var parts []string
	for _, t := range bench.Tables {
		parts = append(parts, fmt.Sprintf("%s %d", t, c[t]))
	}
	return strings.Join(parts, ", ")
}

func thousands(v float64) string {
	s := fmt.Sprintf("%.0f", v)
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

func mib(n uint64) string  { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
func kib(n float64) string { return fmt.Sprintf("%.1f KiB", n/(1<<10)) }

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

// cell keeps a value from breaking the table.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
