// Package oracletest holds what the golden cases' tests share: the schema
// of a case, the documents PostgreSQL computes for a collection, the
// documents built (by key, in full) or stored in a backend, all decoded for
// comparison as values, and random transactions of raw SQL.
package oracletest

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/denormgen/denormgen/runtime/denorm"
)

// Decode decodes doc into a value to compare; numbers keep their exact text
// (1.10 is not 1.1).
func Decode(t testing.TB, doc []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("invalid JSON %s: %v", doc, err)
	}
	return v
}

// Docs runs sql, which selects a key and its document, and returns the
// documents decoded, by key, and the keys in order.
func Docs(t testing.TB, db denorm.DB, sql string) (map[string]any, []string) {
	t.Helper()
	rows, err := db.Query(context.Background(), sql)
	if err != nil {
		t.Fatalf("oracle: %v", err)
	}
	docs := map[string]any{}
	var keys []string
	var key string
	var doc []byte
	_, err = pgx.ForEachRow(rows, []any{&key, &doc}, func() error {
		docs[key] = Decode(t, doc)
		keys = append(keys, key)
		return nil
	})
	if err != nil {
		t.Fatalf("oracle: %v", err)
	}
	return docs, keys
}
