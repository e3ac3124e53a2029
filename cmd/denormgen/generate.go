package main

import (
	"fmt"

	"github.com/denormgen/denormgen/gen"
)

// runGenerate writes the package; unchanged files are left alone so that
// mtimes and the build cache survive a no-op run.
func runGenerate(e *env, args []string) int {
	config, code, ok := e.flags("generate", args, nil)
	if !ok {
		return code
	}
	files, ok := e.generate(config)
	if !ok {
		return exitInvalid
	}
	if err := gen.Write(files); err != nil {
		fmt.Fprintf(e.stderr, "denormgen generate: %v\n", err)
		return exitInvalid
	}
	return exitOK
}

// runDiff prints what generate would change and exits 1 when the committed
// output is stale, so CI can refuse it.
func runDiff(e *env, args []string) int {
	config, code, ok := e.flags("diff", args, nil)
	if !ok {
		return code
	}
	files, ok := e.generate(config)
	if !ok {
		return exitInvalid
	}
	d, changed, err := gen.Diff(files)
	if err != nil {
		fmt.Fprintf(e.stderr, "denormgen diff: %v\n", err)
		return exitInvalid
	}
	if changed {
		fmt.Fprint(e.stdout, d)
		fmt.Fprintf(e.stderr, "denormgen diff: generated code is stale; run denormgen generate -f %s\n", config)
		return exitInvalid
	}
	return exitOK
}

// generate loads the config and renders every file, reporting problems.
func (e *env) generate(config string) (map[string][]byte, bool) {
	g, ok := e.load(config)
	if !ok {
		return nil, false
	}
	files, err := gen.Generate(g)
	if err != nil {
		e.report(err)
		return nil, false
	}
	return files, true
}

// runSQL prints the install script, for applying it as a migration.
func runSQL(e *env, args []string) int {
	config, code, ok := e.flags("sql", args, nil)
	if !ok {
		return code
	}
	g, ok := e.load(config)
	if !ok {
		return exitInvalid
	}
	sql, err := gen.InstallSQL(g)
	if err != nil {
		e.report(err)
		return exitInvalid
	}
	_, _ = e.stdout.Write(sql)
	return exitOK
}
