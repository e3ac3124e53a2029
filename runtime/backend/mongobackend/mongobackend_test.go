package mongobackend

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/denormgen/denormgen/runtime/backendtest"
	"github.com/denormgen/denormgen/runtime/denorm"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// testDatabase connects to MONGODB_URI and returns a fresh database, dropped
// when t ends. Without MONGODB_URI the test is skipped: there is no way to
// check this backend without a real server.
func testDatabase(t *testing.T) *mongo.Database {
	t.Helper()
	uri := os.Getenv("MONGODB_URI")
	if uri == "" {
		t.Skip("MONGODB_URI is not set: skipping the MongoDB backend tests (they need a real server, e.g. MONGODB_URI=mongodb://127.0.0.1:27017)")
	}
	client, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		t.Fatalf("MONGODB_URI: %v", err)
	}
	ctx := context.Background()
	if err := client.Ping(ctx, nil); err != nil {
		t.Fatalf("MongoDB at %s: %v", uri, err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	db := client.Database("denormtest_" + hex.EncodeToString(b[:]))
	t.Cleanup(func() {
		if err := db.Drop(ctx); err != nil {
			t.Errorf("drop %s: %v", db.Name(), err)
		}
		_ = client.Disconnect(ctx)
	})
	return db
}

func TestConformance(t *testing.T) {
	if os.Getenv("MONGODB_URI") == "" {
		t.Skip("MONGODB_URI is not set: skipping the MongoDB conformance suite (it needs a real server, e.g. MONGODB_URI=mongodb://127.0.0.1:27017)")
	}
	opts := backendtest.Options{SemanticJSON: true, MaxDocSize: 1 << 20, ManyKeys: 20_000}
	backendtest.RunWithOptions(t, opts, func(t *testing.T) denorm.Backend {
		b, err := New(testDatabase(t), WithMaxDocSize(1<<20), WithPageSize(300))
		if err != nil {
			t.Fatal(err)
		}
		return b
	})
}

// TestExtJSONRoundTrip needs no server: the conversion between the JSON of a
// document and its stored BSON keeps the value.
func TestExtJSONRoundTrip(t *testing.T) {
	in := `{"id": 42, "title": "Dune", "price": 9.5, "tags": ["a", "日本"], "nested": {"ok": true, "none": null}, "big": 9007199254740993, "neg": -3}`
	raw, err := toBSON("books", denorm.Doc{Key: "42", JSON: []byte(in)})
	if err != nil {
		t.Fatal(err)
	}
	out, err := toJSON(raw)
	if err != nil {
		t.Fatal(err)
	}
	var want, got any
	dec := func(s []byte, v *any) {
		d := json.NewDecoder(bytes.NewReader(s))
		d.UseNumber()
		if err := d.Decode(v); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	dec([]byte(in), &want)
	dec(out, &got)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip changed the value:\n got %s\nwant %s", out, in)
	}
}

func TestNotAnObject(t *testing.T) {
	for _, js := range []string{`[1, 2]`, `"text"`, `{"a": `, ``} {
		_, err := toBSON("books", denorm.Doc{Key: "7", JSON: []byte(js)})
		if err == nil {
			t.Errorf("toBSON(%q): no error", js)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, `collection "books"`) || !strings.Contains(msg, `document "7"`) {
			t.Errorf("toBSON(%q): error %q does not name collection and document", js, msg)
		}
	}
}

func TestCollectionNames(t *testing.T) {
	b := &Backend{prefix: "", db: nil}
	for _, name := range []string{"", "a$b", "system.x"} {
		if _, err := b.collection(name); !errors.Is(err, denorm.ErrInvalidKey) {
			t.Errorf("collection(%q): %v, want ErrInvalidKey", name, err)
		}
	}
	if _, err := New(nil); err == nil {
		t.Error("New(nil): no error")
	}
}
