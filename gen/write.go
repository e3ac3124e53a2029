package gen

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// A change is what Write would do: write changed or new files, remove stale
// generated ones.
type change struct {
	writes  []string // paths whose contents differ, sorted
	removes []string // generated files no longer generated, sorted
	old     map[string][]byte
}

// plan compares files with the disk. A file is stale when it sits in a folder
// Generate writes to, is not among files, and starts with a generated header:
// the output of a collection since removed. Hand-written files are never
// touched.
func plan(files map[string][]byte) (*change, error) {
	c := &change{old: map[string][]byte{}}
	dirs := map[string]bool{}
	for _, path := range slices.Sorted(maps.Keys(files)) {
		dirs[filepath.Dir(path)] = true
		old, err := os.ReadFile(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return nil, err
		default:
			c.old[path] = old
		}
		if err != nil || !bytes.Equal(old, files[path]) {
			c.writes = append(c.writes, path)
		}
	}
	for _, dir := range slices.Sorted(maps.Keys(dirs)) {
		entries, err := os.ReadDir(dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			path := filepath.Join(dir, e.Name())
			if _, ok := files[path]; ok || !e.Type().IsRegular() || !generatedName(e.Name()) {
				continue
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return nil, err
			}
			if isGenerated(src) {
				c.old[path] = src
				c.removes = append(c.removes, path)
			}
		}
	}
	return c, nil
}

func generatedName(name string) bool {
	return (strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go")) || strings.HasSuffix(name, ".sql")
}

func isGenerated(src []byte) bool {
	return bytes.HasPrefix(src, []byte(Header)) || bytes.HasPrefix(src, []byte(SQLHeader))
}

// Write brings the disk in line with files: it writes the files whose
// contents changed (leaving unchanged ones, and their modification times,
// alone) and removes generated files that Generate no longer produces.
func Write(files map[string][]byte) error {
	c, err := plan(files)
	if err != nil {
		return fmt.Errorf("write: %w", err)
	}
	for _, path := range c.writes {
		if err := writeFile(path, files[path]); err != nil {
			return fmt.Errorf("write: %w", err)
		}
	}
	for _, path := range c.removes {
		if err := os.Remove(path); err != nil {
			return fmt.Errorf("write: remove stale %w", err)
		}
	}
	return nil
}

// writeFile replaces path through a rename, so that a reader (or a crash)
// never sees half a file.
func writeFile(path string, src []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(src); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
