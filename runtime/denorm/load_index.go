package denorm

import "iter"

// An Index finds the parents a row of a relation belongs to, by the value of
// their join column. Generated loaders fill it while scanning the parents and
// read it while attaching the rows of each relation. Unlike a map of slices
// it allocates nothing per key: entries live in one slice, chained by key.
type Index[K comparable, P any] struct {
	head    map[K]int32 // key -> its latest entry
	entries []indexEntry[P]
}

type indexEntry[P any] struct {
	p    P
	next int32 // previous entry with the same key, or -1
}

// NewIndex returns an empty index sized for about n parents.
func NewIndex[K comparable, P any](n int) *Index[K, P] {
	return &Index[K, P]{head: make(map[K]int32, n), entries: make([]indexEntry[P], 0, n)}
}

// Add files p under k.
func (x *Index[K, P]) Add(k K, p P) {
	next, ok := x.head[k]
	if !ok {
		next = -1
	}
	x.head[k] = int32(len(x.entries))
	x.entries = append(x.entries, indexEntry[P]{p: p, next: next})
}

// Get yields the parents filed under k, most recently added first.
func (x *Index[K, P]) Get(k K) iter.Seq[P] {
	return func(yield func(P) bool) {
		i, ok := x.head[k]
		if !ok {
			return
		}
		for ; i >= 0; i = x.entries[i].next {
			if !yield(x.entries[i].p) {
				return
			}
		}
	}
}

// Keys returns the distinct keys, in no particular order: the argument of a
// relation's query.
func (x *Index[K, P]) Keys() []K {
	keys := make([]K, 0, len(x.head))
	for k := range x.head {
		keys = append(keys, k)
	}
	return keys
}

// Len is the number of distinct keys.
func (x *Index[K, P]) Len() int {
	if x == nil {
		return 0
	}
	return len(x.head)
}
