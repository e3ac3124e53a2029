// Package backendtest is the conformance suite of denorm.Backend. Every
// backend of denormgen passes it, and so should yours: call Run from a test of
// your backend's package with a constructor that returns an empty backend.
//
//	func TestConformance(t *testing.T) {
//		backendtest.Run(t, func(t *testing.T) denorm.Backend {
//			return mystore.New(connectForTest(t)) // empty; cleaned up via t.Cleanup
//		})
//	}
//
// Each subtest calls the constructor once, so backends must not share state
// between calls (use a fresh key prefix, database or table per call). The
// suite checks the contract documented on denorm.Backend:
//
//   - batched Put, Get and Delete; missing and deleted keys absent from Get;
//   - the version guard: an older Put is skipped, an equal one replaces, a
//     newer one wins; a Delete leaves a tombstone at its version that an older
//     Put cannot overwrite;
//   - Keys lists exactly the live keys, once each, across a large collection,
//     stops cleanly when the loop breaks and lets the loop body write;
//   - collections are independent, even when names and keys share prefixes;
//   - large documents round-trip; concurrent writers end at the highest
//     version per key;
//   - a cancelled context gives an error matching ctx.Err() with errors.Is;
//   - keys with odd characters work; an empty key or collection name, or one
//     that is not UTF-8 or holds a NUL byte, gives an error wrapping
//     denorm.ErrInvalidKey (denorm.CheckKeys does the checking), and nothing
//     of that batch is stored;
//   - with Options.MaxDocSize, an oversized document gives a
//     denorm.TooLargeError while the rest of its batch is stored, and its
//     key is deleted at its version, so no older version stays readable.
//
// Backends that store JSON in a normalized form (PostgreSQL jsonb, BSON) set
// Options.SemanticJSON and use RunWithOptions.
package backendtest

import (
	"testing"

	"github.com/denormgen/denormgen/runtime/denorm"
)

// Options adapt the suite to a backend.
type Options struct {
	// SemanticJSON compares documents as JSON values, for backends that
	// normalize whitespace and key order. Without it Get must return the
	// bytes that were put.
	SemanticJSON bool
	// ManyKeys is the size of the collection Keys must page through
	// (default 200000; negative skips that test).
	ManyKeys int
	// LargeDoc is the size in bytes of the document that must round-trip
	// (default 5 MB).
	LargeDoc int
	// KeysSnapshot says the backend's Keys copies every key up front, as an
	// in-process store may. Otherwise the suite checks that a loop breaking
	// after a few keys of a large collection allocates far less than the
	// whole key set would take.
	KeysSnapshot bool
	// MaxDocSize, if positive, is the backend's configured size limit; the
	// suite then checks that Put enforces it.
	MaxDocSize int
}

// Run runs the conformance suite with default options.
func Run(t *testing.T, newBackend func(t *testing.T) denorm.Backend) {
	RunWithOptions(t, Options{}, newBackend)
}

// RunWithOptions runs the conformance suite.
func RunWithOptions(t *testing.T, opts Options, newBackend func(t *testing.T) denorm.Backend) {
	if opts.ManyKeys == 0 {
		opts.ManyKeys = 200_000
	}
	if opts.LargeDoc == 0 {
		opts.LargeDoc = 5 << 20
	}
	s := &suite{opts: opts, newBackend: newBackend}
	for _, tc := range []struct {
		name string
		fn   func(*testing.T)
	}{
		{"PutGetDelete", s.testPutGetDelete},
		{"GetMissing", s.testGetMissing},
		{"VersionGuard", s.testVersionGuard},
		{"Tombstone", s.testTombstone},
		{"KeysLive", s.testKeysLive},
		{"KeysMany", s.testKeysMany},
		{"KeysWhileDeleting", s.testKeysWhileDeleting},
		{"CollectionsIndependent", s.testCollectionsIndependent},
		{"LargeDocument", s.testLargeDocument},
		{"ConcurrentWriters", s.testConcurrentWriters},
		{"ContextCanceled", s.testContextCanceled},
		{"OddKeys", s.testOddKeys},
		{"InvalidKeys", s.testInvalidKeys},
		{"TooLarge", s.testTooLarge},
	} {
		t.Run(tc.name, tc.fn)
	}
}

type suite struct {
	opts       Options
	newBackend func(t *testing.T) denorm.Backend
}
