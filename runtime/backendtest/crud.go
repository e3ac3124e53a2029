package backendtest

import "testing"

func (s *suite) testPutGetDelete(t *testing.T) {
	b := s.newBackend(t)
	a, bb, c := doc("a", 1), doc("b", 2), doc("c", 3)
	put(t, b, "docs", a, bb, c)
	s.wantDocs(t, get(t, b, "docs", "a", "b", "c", "nope"), a, bb, c)
	s.wantDocs(t, get(t, b, "docs", "b"), bb)
	// Asking twice for a key is not an error.
	s.wantDocs(t, get(t, b, "docs", "c", "c"), c)

	del(t, b, "docs", 10, "a", "c", "never-written")
	s.wantDocs(t, get(t, b, "docs", "a", "b", "c", "never-written"), bb)

	// Empty batches are no-ops.
	put(t, b, "docs")
	del(t, b, "docs", 11)
	s.wantDocs(t, get(t, b, "docs"))
	s.wantDocs(t, get(t, b, "docs", "b"), bb)
}

func (s *suite) testGetMissing(t *testing.T) {
	b := s.newBackend(t)
	s.wantDocs(t, get(t, b, "never-used", "a", "b"))
	put(t, b, "docs", doc("a", 1))
	s.wantDocs(t, get(t, b, "docs", "x", "y", "z"))
}

func (s *suite) testVersionGuard(t *testing.T) {
	b := s.newBackend(t)
	put(t, b, "docs", docWith("k", 5, "first"))

	put(t, b, "docs", docWith("k", 4, "older"))
	s.wantDocs(t, get(t, b, "docs", "k"), docWith("k", 5, "first"))

	put(t, b, "docs", docWith("k", 5, "equal"))
	s.wantDocs(t, get(t, b, "docs", "k"), docWith("k", 5, "equal"))

	put(t, b, "docs", docWith("k", 6, "newer"))
	s.wantDocs(t, get(t, b, "docs", "k"), docWith("k", 6, "newer"))

	// One batch holding a key several times ends as if put one by one.
	put(t, b, "docs",
		docWith("dup", 3, "three"),
		docWith("dup", 9, "nine"),
		docWith("dup", 7, "seven"),
		docWith("dup", 9, "nine again"),
		docWith("k", 2, "too old"),
	)
	s.wantDocs(t, get(t, b, "docs", "dup", "k"), docWith("dup", 9, "nine again"), docWith("k", 6, "newer"))

	// Versions are int64, not small numbers.
	const big = int64(1)<<62 + 12345
	put(t, b, "docs", doc("big", big))
	put(t, b, "docs", doc("big", big-1))
	s.wantDocs(t, get(t, b, "docs", "big"), doc("big", big))
}

func (s *suite) testTombstone(t *testing.T) {
	b := s.newBackend(t)
	put(t, b, "docs", doc("k", 5))

	// An older delete does not remove a newer document.
	del(t, b, "docs", 4, "k")
	s.wantDocs(t, get(t, b, "docs", "k"), doc("k", 5))

	del(t, b, "docs", 6, "k")
	s.wantDocs(t, get(t, b, "docs", "k"))

	// A late, older put does not resurrect the document.
	put(t, b, "docs", doc("k", 5))
	s.wantDocs(t, get(t, b, "docs", "k"))
	wantKeys(t, keys(t, b, "docs"))

	// A put at the tombstone's version or later does.
	put(t, b, "docs", doc("k", 6))
	s.wantDocs(t, get(t, b, "docs", "k"), doc("k", 6))
	del(t, b, "docs", 8, "k")
	put(t, b, "docs", doc("k", 9))
	s.wantDocs(t, get(t, b, "docs", "k"), doc("k", 9))

	// Deleting a key never written still guards it.
	del(t, b, "docs", 10, "ghost")
	put(t, b, "docs", doc("ghost", 9))
	s.wantDocs(t, get(t, b, "docs", "ghost"))
	put(t, b, "docs", doc("ghost", 11))
	s.wantDocs(t, get(t, b, "docs", "ghost"), doc("ghost", 11))

	// An older delete does not lower a tombstone's version.
	del(t, b, "docs", 20, "t")
	del(t, b, "docs", 15, "t")
	put(t, b, "docs", doc("t", 17))
	s.wantDocs(t, get(t, b, "docs", "t"))
}

func (s *suite) testCollectionsIndependent(t *testing.T) {
	b := s.newBackend(t)
	// Names chosen so that a naive "collection:key" layout collides.
	put(t, b, "a", doc("b:c", 1), doc("shared", 1))
	put(t, b, "a:b", doc("c", 2), doc("shared", 2))
	put(t, b, "A", doc("shared", 3))

	s.wantDocs(t, get(t, b, "a", "b:c", "c", "shared"), doc("b:c", 1), doc("shared", 1))
	s.wantDocs(t, get(t, b, "a:b", "b:c", "c", "shared"), doc("c", 2), doc("shared", 2))
	s.wantDocs(t, get(t, b, "A", "shared"), doc("shared", 3))
	wantKeys(t, keys(t, b, "a"), "b:c", "shared")
	wantKeys(t, keys(t, b, "a:b"), "c", "shared")

	del(t, b, "a", 100, "shared", "b:c")
	s.wantDocs(t, get(t, b, "a", "b:c", "shared"))
	s.wantDocs(t, get(t, b, "a:b", "c", "shared"), doc("c", 2), doc("shared", 2))
	s.wantDocs(t, get(t, b, "A", "shared"), doc("shared", 3))
	wantKeys(t, keys(t, b, "a"))
	wantKeys(t, keys(t, b, "A"), "shared")

	// A tombstone in one collection does not guard another.
	put(t, b, "A", doc("b:c", 1))
	s.wantDocs(t, get(t, b, "A", "b:c"), doc("b:c", 1))
}
