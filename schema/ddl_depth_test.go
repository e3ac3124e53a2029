package schema

import (
	"fmt"
	"strings"
	"testing"
)

// TestApplyDeepExpressions checks that expressions deep enough to overflow
// pg_query's C stack (some 20,000 levels) are refused before parsing, and
// that long but flat statements are not.
func TestApplyDeepExpressions(t *testing.T) {
	const head = "CREATE TABLE b (x int DEFAULT "
	deepErr := func(col int) []string {
		return []string{fmt.Sprintf("deep.sql:1:%d: expression nested too deeply (more than 1000 levels)", col)}
	}
	values := strings.Repeat("(1 + 1, 'a' || 'b'), ", 5000)
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"chain at the limit", head + strings.Repeat("1+", 998) + "1);", nil},
		// The 999th "+" makes 1000 levels with the DEFAULT's parenthesis.
		{"chain over the limit", head + strings.Repeat("1+", 999) + "1);", deepErr(len(head) + 2*999)},
		{"chain that would crash pg_query", head + strings.Repeat("1+", 100000) + "1);", deepErr(len(head) + 2*999)},
		// The 999th "(" is the 1000th level: 998 "+" and the two parentheses.
		{"chain through parentheses", head + strings.Repeat("(1)+", 1000) + "1);", deepErr(len(head) + 4*998 + 1)},
		{"nested parentheses", head + strings.Repeat("(", 1200) + "1" + strings.Repeat(")", 1200) + ");", deepErr(len(head) + 999)},
		{"union chain", "CREATE VIEW v AS " + strings.Repeat("SELECT 1 UNION ", 1000) + "SELECT 1;", deepErr(len("CREATE VIEW v AS ") + 15*999 + 10)},
		{"commas end a chain", "CREATE TABLE b (x int CHECK (x IN (" + strings.Repeat("1+1, ", 5000) + "1)));", nil},
		{"statements end a chain", strings.Repeat("CREATE INDEX ON a ((x+1+1+1));\n", 2000), nil},
		{"many rows of data", "CREATE TABLE b (x int, y text); INSERT INTO b VALUES " + values + "(1, 'c');", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			c := NewCatalog()
			c.Tables["public.a"] = &Table{Schema: "public", Name: "a", Columns: []*Column{{Name: "x"}}}
			for _, e := range c.Apply("deep.sql", []byte(tt.src)) {
				got = append(got, e.Error())
			}
			if len(got) > 0 && len(tt.want) > 0 && got[0] != tt.want[0] || len(got) != len(tt.want) {
				t.Errorf("errors:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}
