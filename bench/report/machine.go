// Package report writes docs/BENCHMARKS.md: the machine, the settings and
// the results of a denormbench run, with every strategy's ratio to every
// baseline and the targets checked.
package report

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Machine describes where the numbers were taken; without it they mean
// nothing.
type Machine struct {
	CPU        string // model name from /proc/cpuinfo
	Cores      int    // logical CPUs
	GOMAXPROCS int
	Memory     string // MemTotal from /proc/meminfo
	Kernel     string
	Go         string
	Postgres   string // version() of the server
	PGSettings string // the settings that move the numbers
	LoadAvg    string // /proc/loadavg when the run started: other work on the machine
}

// ReadMachine collects the machine description; what it cannot read it
// reports as unknown rather than failing the run.
func ReadMachine(ctx context.Context, pool *pgxpool.Pool) Machine {
	m := Machine{
		CPU:        procField("/proc/cpuinfo", "model name"),
		Cores:      runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		Memory:     procField("/proc/meminfo", "MemTotal"),
		Kernel:     firstLine("/proc/sys/kernel/osrelease"),
		Go:         runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH,
		LoadAvg:    firstLine("/proc/loadavg"),
	}
	if err := pool.QueryRow(ctx, `SELECT version()`).Scan(&m.Postgres); err != nil {
		m.Postgres = "unknown: " + err.Error()
	}
	var settings []string
	for _, name := range []string{"shared_buffers", "work_mem", "effective_cache_size", "jit", "max_parallel_workers_per_gather"} {
		var v string
		if err := pool.QueryRow(ctx, `SELECT current_setting($1)`, name).Scan(&v); err != nil {
			v = "?"
		}
		settings = append(settings, name+"="+v)
	}
	m.PGSettings = strings.Join(settings, ", ")
	return m
}

// procField returns the value of the first "key : value" line of a /proc
// file with the given key.
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

func firstLine(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "unknown"
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimSpace(line)
}

func (m Machine) rows() [][2]string {
	return [][2]string{
		{"CPU", m.CPU},
		{"Cores", fmt.Sprintf("%d logical (GOMAXPROCS %d)", m.Cores, m.GOMAXPROCS)},
		{"Memory", m.Memory},
		{"Kernel", m.Kernel},
		{"Go", m.Go},
		{"PostgreSQL", m.Postgres},
		{"PostgreSQL settings", m.PGSettings},
		{"Load average at start", m.LoadAvg},
	}
}
