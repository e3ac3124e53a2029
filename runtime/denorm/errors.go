package denorm

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ErrInvalidKey is wrapped by the errors backends return for a key or
// collection name they cannot store, such as the empty string. It signals a
// bug in the caller: retrying cannot help.
var ErrInvalidKey = errors.New("invalid key")

// A TooLargeError reports a document bigger than a backend accepts. Put stores
// the other documents of the batch, deletes each oversized document's key at
// its version (an older version would be stale: absent is better), and
// returns one TooLargeError per oversized document, joined with errors.Join.
// So a single huge document delays nothing else; callers find the errors with
// errors.As.
type TooLargeError struct {
	Collection string
	Key        string
	Size       int // bytes of JSON
	Limit      int // the backend's maximum, in bytes
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("collection %q: document %q is %d bytes, over the limit of %d", e.Collection, e.Key, e.Size, e.Limit)
}

// CheckKeys returns an error wrapping ErrInvalidKey if collection or one of
// keys is not a key every backend can store: empty, not UTF-8, or holding a
// NUL byte (PostgreSQL text cannot). Keys come from primary keys' text form,
// so such a key is a bug. Backends call it before touching their store, so
// that a bad batch fails as a whole and early.
func CheckKeys(collection string, keys []string) error {
	if err := checkKey("collection name", collection); err != nil {
		return err
	}
	for _, k := range keys {
		if err := checkKey("document key", k); err != nil {
			return fmt.Errorf("collection %q: %w", collection, err)
		}
	}
	return nil
}

// CheckDocs is CheckKeys for the keys of docs.
func CheckDocs(collection string, docs []Doc) error {
	if err := checkKey("collection name", collection); err != nil {
		return err
	}
	for _, d := range docs {
		if err := checkKey("document key", d.Key); err != nil {
			return fmt.Errorf("collection %q: %w", collection, err)
		}
	}
	return nil
}

func checkKey(what, s string) error {
	switch {
	case s == "":
		return fmt.Errorf("empty %s: %w", what, ErrInvalidKey)
	case !utf8.ValidString(s):
		return fmt.Errorf("%s %q is not UTF-8: %w", what, s, ErrInvalidKey)
	case strings.IndexByte(s, 0) >= 0:
		return fmt.Errorf("%s %q holds a NUL byte: %w", what, s, ErrInvalidKey)
	}
	return nil
}

// SplitTooLarge separates the docs a backend with the given size limit can
// store (fit) from those it cannot (over), reported in err as joined
// TooLargeErrors (nil if none). A limit of zero or less means no limit.
func SplitTooLarge(collection string, docs []Doc, limit int) (fit, over []Doc, err error) {
	if limit <= 0 {
		return docs, nil, nil
	}
	var errs []error
	for _, d := range docs {
		if len(d.JSON) > limit {
			over = append(over, d)
			errs = append(errs, &TooLargeError{Collection: collection, Key: d.Key, Size: len(d.JSON), Limit: limit})
			continue
		}
		fit = append(fit, d)
	}
	if over == nil {
		return docs, nil, nil
	}
	return fit, over, errors.Join(errs...)
}

// tooLargeKeys returns the keys of the documents err reports too large, or nil
// if err reports anything else too.
func tooLargeKeys(err error) map[string]bool {
	keys := make(map[string]bool)
	var walk func(error) bool
	walk = func(err error) bool {
		if tl, ok := err.(*TooLargeError); ok {
			keys[tl.Key] = true
			return true
		}
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if !walk(e) {
					return false
				}
			}
			return true
		case interface{ Unwrap() error }:
			return walk(u.Unwrap())
		}
		return false
	}
	if err == nil || !walk(err) {
		return nil
	}
	return keys
}

// Latest keeps, per key, the doc with the highest version (the later one on a
// tie), in first-seen key order: what a batch with repeated keys amounts to
// under the version guard. Backends that write a batch in one statement, where
// a key may appear only once, use it.
func Latest(docs []Doc) []Doc {
	idx := make(map[string]int, len(docs))
	out := make([]Doc, 0, len(docs))
	for _, d := range docs {
		i, seen := idx[d.Key]
		switch {
		case !seen:
			idx[d.Key] = len(out)
			out = append(out, d)
		case d.Version >= out[i].Version:
			out[i] = d
		}
	}
	return out
}
