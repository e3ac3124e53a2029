package schema

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBlankPsqlCommands(t *testing.T) {
	// A "~" line in want stands for the input's line blanked to spaces.
	tests := []struct{ name, in, want string }{
		{
			name: "pg_dump restrict lines",
			in:   "\\restrict abc123\nCREATE TABLE a (id int);\n\\unrestrict abc123\n",
			want: "~\nCREATE TABLE a (id int);\n~\n",
		},
		{
			name: "after a comment",
			in:   "CREATE TABLE a (id int); -- done\n  \\connect other\r\nCREATE TABLE b (id int);",
			want: "CREATE TABLE a (id int); -- done\n~\r\nCREATE TABLE b (id int);",
		},
		{
			name: "inside a statement",
			in:   "CREATE TABLE a (id int\n\\x\n);",
			want: "CREATE TABLE a (id int\n\\x\n);",
		},
		{
			name: "inside a string",
			in:   "COMMENT ON TABLE a IS 'first\n\\second';\n",
			want: "COMMENT ON TABLE a IS 'first\n\\second';\n",
		},
		{
			name: "inside a function body",
			in:   "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$\n\\not a command\n$$;\n",
			want: "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$\n\\not a command\n$$;\n",
		},
		{
			name: "no commands",
			in:   "CREATE TABLE a (id int);\n",
			want: "CREATE TABLE a (id int);\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Expand each "~" line of want to spaces as long as the input's line.
			in, want := strings.Split(tt.in, "\n"), strings.Split(tt.want, "\n")
			for i, l := range want {
				if strings.TrimSuffix(l, "\r") == "~" {
					want[i] = strings.Repeat(" ", len(strings.TrimSuffix(in[i], "\r"))) + l[1:]
				}
			}
			if diff := cmp.Diff(strings.Join(want, "\n"), blankPsqlCommands(tt.in)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
