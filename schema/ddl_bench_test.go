package schema

import "testing"

// BenchmarkApply applies each migrations folder of testdata/ddl to a new
// catalog: parsing dominates, so this tracks what pg_query costs us.
func BenchmarkApply(b *testing.B) {
	for _, tc := range folderCases(b) {
		b.Run(tc.name, func(b *testing.B) {
			size := 0
			for _, f := range tc.files {
				size += len(f.src)
			}
			b.SetBytes(int64(size))
			for b.Loop() {
				c := NewCatalog()
				for _, f := range tc.files {
					if errs := c.Apply(f.name, []byte(f.src)); len(errs) > 0 {
						b.Fatal(errs)
					}
				}
			}
		})
	}
}
