package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/denormgen/denormgen/schema"
)

// Exit codes.
const (
	exitOK      = 0
	exitInvalid = 1 // invalid input, or stale output for diff
	exitUsage   = 2
)

const usage = `usage: denormgen [command] [-f denorm.yaml] [flags]

Commands:
  generate   write the generated package and install SQL (default)
  check      validate denorm.yaml and the schema; write nothing
  diff       show what generate would change; exit 1 if anything would
  sql        print the install SQL (outbox, triggers)
  graph      print the relation graph (--format mermaid|dot)
  version    print the version

Flags:
  -f path    the config file (default ./denorm.yaml)
`

type command struct {
	run func(env *env, args []string) int
}

var commands = map[string]command{
	"generate": {runGenerate},
	"check":    {runCheck},
	"diff":     {runDiff},
	"sql":      {runSQL},
	"graph":    {runGraph},
	"version":  {runVersion},
}

// env is the injected I/O of one run, so tests drive the real CLI in process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// run is the whole CLI; main only exits with its result.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	name := "generate"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if name == "help" {
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "denormgen: unknown command %q\n\n%s", name, usage)
		return exitUsage
	}
	return cmd.run(e, args)
}

// flags parses the common flags of a command; extra registers its own.
func (e *env) flags(name string, args []string, extra func(*flag.FlagSet)) (config string, code int, ok bool) {
	fs := flag.NewFlagSet("denormgen "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() { fmt.Fprint(e.stderr, usage) }
	fs.StringVar(&config, "f", "denorm.yaml", "the config file")
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return "", exitOK, false
		}
		return "", exitUsage, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "denormgen %s: unexpected argument %q\n", name, fs.Arg(0))
		return "", exitUsage, false
	}
	return config, exitOK, true
}

// load reads the config and reports every problem, GNU style, on stderr.
func (e *env) load(config string) (*schema.Graph, bool) {
	g, err := schema.Load(config)
	if err != nil {
		e.report(err)
		return nil, false
	}
	return g, true
}

// report prints an error list one problem a line, GNU style.
func (e *env) report(err error) {
	var list schema.ErrorList
	if !errors.As(err, &list) {
		fmt.Fprintf(e.stderr, "denormgen: %v\n", err)
		return
	}
	for _, le := range list {
		fmt.Fprintln(e.stderr, le.Error())
	}
	if len(list) > 1 {
		fmt.Fprintf(e.stderr, "%d errors\n", len(list))
	}
}

func runCheck(e *env, args []string) int {
	config, code, ok := e.flags("check", args, nil)
	if !ok {
		return code
	}
	g, ok := e.load(config)
	if !ok {
		return exitInvalid
	}
	fmt.Fprintf(e.stdout, "%s: ok (%d collections, %d tables)\n", config, len(g.Collections), len(g.Catalog.Tables))
	return exitOK
}

func runVersion(e *env, args []string) int {
	if len(args) > 0 {
		fmt.Fprintln(e.stderr, "denormgen version: takes no arguments")
		return exitUsage
	}
	fmt.Fprintf(e.stdout, "denormgen %s\n", version())
	return exitOK
}

// version is the module version when installed with go install, or the VCS
// revision of a local build.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" {
			return "devel " + s.Value
		}
	}
	return "(devel)"
}
