package gen

import (
	"bytes"
	"testing"

	"github.com/denormgen/denormgen/schema"
)

// A text-keyed collection streams its relations joined to its roots only
// when its filter selects the same roots in every transaction of a
// snapshot; with now() in it, a full build reads chunk by chunk.
func TestTextStreamsNeedAStableFilter(t *testing.T) {
	for where, streams := range map[string]bool{
		"":                      true,
		"active":                true,
		"active AND name > 'm'": true,
		"name > now()::text":    false,
		"code IN (SELECT country_code FROM city)": false,
	} {
		g, err := schema.Load("../testdata/countries/denorm.yaml")
		if err != nil {
			t.Fatal(err)
		}
		g.Collections[0].Where = where
		files, err := Generate(g)
		if err != nil {
			t.Fatalf("where %q: %v", where, err)
		}
		src := files["../testdata/countries/countrydocs/countries.go"]
		if src == nil {
			t.Fatalf("no countries.go among %d files", len(files))
		}
		for _, s := range []string{"countryCityStreamSQL", "UntilIn", "s.finish()"} {
			if got := bytes.Contains(src, []byte(s)); got != streams {
				t.Errorf("where %q: %s generated %v, want %v", where, s, got, streams)
			}
		}
	}
}
