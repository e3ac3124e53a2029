package gen

import (
	"fmt"
	"strings"

	"github.com/rogpeppe/go-internal/diff"
)

// Diff reports what Write would change, as a unified diff per file (stale
// generated files shown as removed), and whether anything would change. A
// committed package that is up to date gives "", false.
func Diff(files map[string][]byte) (string, bool, error) {
	c, err := plan(files)
	if err != nil {
		return "", false, fmt.Errorf("diff: %w", err)
	}
	var b strings.Builder
	for _, path := range c.writes {
		old, ok := c.old[path]
		oldName := path
		if !ok {
			oldName = "/dev/null"
		}
		b.Write(diff.Diff(oldName, old, path, files[path]))
	}
	for _, path := range c.removes {
		b.Write(diff.Diff(path, c.old[path], "/dev/null", nil))
	}
	return b.String(), len(c.writes)+len(c.removes) > 0, nil
}
