package schema

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Load reads the config at path and the SQL schema it names, and resolves
// them into a Graph. The error, if any, is an ErrorList with every problem
// found, sorted by position.
func Load(path string) (*Graph, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, ErrorList{{Pos: Pos{File: path}, Msg: "config file not found (use -f to name another)"}}
		}
		return nil, ErrorList{{Pos: Pos{File: path}, Msg: err.Error()}}
	}
	return LoadBytes(path, src)
}

// LoadBytes is Load with the config's contents already read. Schema paths
// are still read from disk, relative to path's folder.
func LoadBytes(path string, src []byte) (*Graph, error) {
	cfg, errs := ParseConfig(path, src)
	if len(errs) > 0 {
		// Names cannot be checked against a config that did not parse.
		if hasSyntaxError(errs) {
			return nil, errs.Err()
		}
	}
	dir := filepath.Dir(path)
	files, ferrs := schemaFiles(dir, cfg.Schema)
	errs = append(errs, ferrs...)
	cat := NewCatalog()
	for _, f := range files {
		sql, err := os.ReadFile(f)
		if err != nil {
			errs.Add(Pos{File: f}, "%v", err)
			continue
		}
		errs = append(errs, cat.Apply(f, sql)...)
	}
	g := &Graph{ConfigPath: path, Dir: dir, Catalog: cat, SchemaFiles: files}
	r := &resolver{g: g, cfg: cfg, errs: &errs}
	r.resolve()
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return g, nil
}

func hasSyntaxError(errs ErrorList) bool {
	for _, e := range errs {
		if strings.HasPrefix(e.Msg, "YAML syntax error") || strings.HasPrefix(e.Msg, "empty config") {
			return true
		}
	}
	return false
}

// schemaFiles expands the schema: entries into SQL files in the order they are
// applied: each entry in turn, a folder's *.sql files in lexical order.
// golang-migrate down migrations (*.down.sql) are skipped.
func schemaFiles(dir string, entries []Str) ([]string, ErrorList) {
	var files []string
	var errs ErrorList
	for _, e := range entries {
		p := e.Value
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		info, err := os.Stat(p)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				errs.Add(e.Pos, "schema path %q does not exist (looked for %s)", e.Value, p)
			} else {
				errs.Add(e.Pos, "schema path %q: %v", e.Value, err)
			}
			continue
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			errs.Add(e.Pos, "schema path %q: %v", e.Value, err)
			continue
		}
		var found []string
		for _, de := range entries {
			name := de.Name()
			if de.IsDir() || !strings.HasSuffix(name, ".sql") || strings.HasSuffix(name, ".down.sql") {
				continue
			}
			found = append(found, filepath.Join(p, name))
		}
		if len(found) == 0 {
			errs.Add(e.Pos, "schema folder %q has no .sql files", e.Value)
		}
		slices.Sort(found)
		files = append(files, found...)
	}
	return files, errs
}
