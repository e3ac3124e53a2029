package denorm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
)

// Verify compares the collection in every backend with a fresh build of all
// its roots, in one snapshot, and changes nothing. Changes still in the
// outbox show up as differences; run it after a Drain for an exact answer.
func (s *Syncer) Verify(ctx context.Context, collection string) (Report, error) {
	if s.err != nil {
		return Report{}, s.err
	}
	col, err := s.collection(collection)
	if err != nil {
		return Report{}, err
	}
	var (
		r                         Report
		missing, extra, different = map[string]bool{}, map[string]bool{}, map[string]bool{}
		seen                      = map[string]bool{}
	)
	err = s.snapshot(ctx, func(tx *Snapshot, _ int64) error {
		for after := ""; ; {
			keys, err := col.ScanKeys(ctx, tx, after, s.batchSize)
			if err != nil {
				return fmt.Errorf("scan keys after %q: %w", after, err)
			}
			if len(keys) == 0 {
				return nil
			}
			built, err := col.Build(ctx, tx, keys)
			if err != nil {
				return fmt.Errorf("build %d documents: %w", len(keys), err)
			}
			for i, b := range s.backends {
				stored, err := b.Get(ctx, collection, keys)
				if err != nil {
					return fmt.Errorf("backend %d (%T): get %d documents: %w", i, b, len(keys), err)
				}
				for _, k := range keys {
					d, ok := stored[k]
					switch {
					case !ok:
						missing[k] = true
					case !sameJSON(d.JSON, built[k]):
						different[k] = true
					}
				}
			}
			for _, k := range keys {
				seen[k] = true
			}
			r.Checked += len(keys)
			after = keys[len(keys)-1]
		}
	})
	if err != nil {
		return Report{}, fmt.Errorf("denorm: verify %q: %w", collection, err)
	}
	for i, b := range s.backends {
		for k, err := range b.Keys(ctx, collection) {
			if err != nil {
				return Report{}, fmt.Errorf("denorm: verify %q: list keys of backend %d (%T): %w", collection, i, b, err)
			}
			if !seen[k] {
				extra[k] = true
			}
		}
	}
	r.Missing = slices.Sorted(maps.Keys(missing))
	r.Extra = slices.Sorted(maps.Keys(extra))
	r.Different = slices.Sorted(maps.Keys(different))
	return r, nil
}

// sameJSON compares documents by value, since a backend may store JSON in its
// own form (jsonb reorders keys and drops spaces). Numbers compare by their
// text, never through float64.
func sameJSON(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	va, errA := decodeJSON(a)
	vb, errB := decodeJSON(b)
	return errA == nil && errB == nil && reflect.DeepEqual(va, vb)
}

func decodeJSON(data []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	return v, err
}
