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

// All yields every parent filed, once per key it is filed under, in the
// order they were added.
func (x *Index[K, P]) All() iter.Seq[P] {
	return func(yield func(P) bool) {
		for _, e := range x.entries {
			if !yield(e.p) {
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

// InIndex returns the test of Stream.UntilIn for the roots of a chunk filed
// in x: whether a key, as the bytes of its text, is one of theirs.
func InIndex[K ~string, P any](x *Index[K, P]) func(key []byte) bool {
	return func(key []byte) bool {
		_, ok := x.head[K(key)]
		return ok
	}
}

// Len is the number of distinct keys.
func (x *Index[K, P]) Len() int {
	if x == nil {
		return 0
	}
	return len(x.head)
}

// Lists gathers the rows of a to-many relation into one list per parent key,
// from rows grouped by key: those of the loaders' queries, which either order
// by it or join each key's rows in turn. The lists share backing arrays: an
// allocation per few hundred rows, rather than a few per parent as appending
// to each would cost. Rows that come ungrouped after all (a plan that reads
// the heap in physical order) still reach their parents, by Extend, only
// slower.
type Lists[K comparable, T any] struct {
	buf   []T
	start int // where the open list begins in buf
	key   K
	open  bool
}

// Add appends v to the list of key k. When k begins a new list, it returns
// the previous one, complete, and its key.
func (l *Lists[K, T]) Add(k K, v T) (list []T, key K, ok bool) {
	if l.open && k != l.key {
		list, key, ok = l.buf[l.start:len(l.buf):len(l.buf)], l.key, true
		l.start = len(l.buf)
	}
	l.key, l.open = k, true
	if len(l.buf) == cap(l.buf) {
		// Lists handed out keep the old array; the open one moves.
		open := l.buf[l.start:]
		l.buf = make([]T, len(open), max(256, 2*len(open)))
		copy(l.buf, open)
		l.start = 0
	}
	l.buf = append(l.buf, v)
	return list, key, ok
}

// Flush returns the open list, complete, and its key; ok is false if there
// is none.
func (l *Lists[K, T]) Flush() (list []T, key K, ok bool) {
	if !l.open {
		return nil, key, false
	}
	list, key = l.buf[l.start:len(l.buf):len(l.buf)], l.key
	l.buf, l.start, l.open = l.buf[len(l.buf):], 0, false
	return list, key, true
}

// Extend returns list appended to dst: list itself when dst is empty, so
// that a parent's list costs no copy. A key whose rows came in several
// groups still gets them all.
func Extend[T any](dst, list []T) []T {
	if len(dst) == 0 {
		return list
	}
	return append(dst, list...)
}
