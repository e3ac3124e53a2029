package schema

import "testing"

func TestSameInEveryTransaction(t *testing.T) {
	for where, want := range map[string]bool{
		"active":                                       true,
		"NOT archived AND price > 10":                  true,
		"status = 'open'::ticket_status":               true,
		"name COLLATE \"C\" > 'm' OR id IN (1, 2)":     true,
		"created_at > now() - interval '1 day'":        false,
		"created_at > CURRENT_TIMESTAMP":               false,
		"owner = current_user":                         false,
		"random() < 0.5":                               false,
		"lower(name) = 'x'":                            false,
		"day = 'today'::date":                          false,
		"at > CAST('now' AS timestamp with time zone)": false,
		"id IN (SELECT book_id FROM review)":           false,
		"EXISTS (SELECT 1)":                            false,
		"active AND":                                   false, // does not parse
	} {
		if got := SameInEveryTransaction(where); got != want {
			t.Errorf("SameInEveryTransaction(%q) = %v, want %v", where, got, want)
		}
	}
}
