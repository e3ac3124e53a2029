package denorm

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
)

// Every appender must write the bytes json.Marshal writes for the same value.
func TestAppendMatchesEncodingJSON(t *testing.T) {
	check := func(t *testing.T, v any, got []byte, err error) {
		t.Helper()
		want, werr := json.Marshal(v)
		if (err != nil) != (werr != nil) {
			t.Fatalf("%#v: error %v, json.Marshal error %v", v, err, werr)
		}
		if err == nil && string(got) != string(want) {
			t.Errorf("%#v: got %s, json.Marshal gives %s", v, got, want)
		}
	}
	for _, s := range []string{"", "plain", `quo"te\back`, "<a href='x'>&</a>", "tab\tnl\ncr\r\b\f\x00\x1f\x7f",
		"ünïcødé 日本 🙂", "bad\xffutf8\xc3", "line\u2028para\u2029", "\xed\xa0\x80"} {
		check(t, s, AppendString(nil, s), nil)
	}
	for _, f := range []float64{0, 1, -1.5, 1e20, 1e21, 1e-6, 1e-7, 123456789.125, -0.000001234, math.MaxFloat64, math.SmallestNonzeroFloat64, math.NaN(), math.Inf(1)} {
		got, err := AppendFloat(nil, f, 64)
		check(t, f, got, err)
		got, err = AppendFloat(nil, float64(float32(f)), 32)
		check(t, float32(f), got, err)
	}
	for _, n := range []json.Number{"", "0", "1.10", "-0.5", "12345678901234567890.000001", "1e5", "NaN", "Infinity", "01", "1."} {
		got, err := AppendNumber(nil, n)
		check(t, n, got, err)
	}
	for _, tm := range []time.Time{
		time.Date(2024, 2, 29, 13, 4, 5, 120000000, time.UTC),
		time.Date(1999, 12, 31, 23, 59, 59, 0, time.FixedZone("", 5*3600+30*60)),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		got, err := AppendTime(nil, tm)
		check(t, tm, got, err)
	}
	for _, d := range []pgtype.Date{{}, {Valid: true, Time: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)}, {Valid: true, InfinityModifier: pgtype.Infinity}} {
		check(t, d, AppendDate(nil, d), nil)
	}
	for _, p := range [][]byte{nil, {}, []byte("\x00\xffabc")} {
		check(t, p, AppendBytes(nil, p), nil)
	}
	for _, r := range []json.RawMessage{nil, json.RawMessage(`{"a": [1, 2.50, "<b>"] , "b" : null}`), json.RawMessage(`"\u2028"`)} {
		got, err := AppendRaw(nil, r)
		check(t, r, got, err)
	}
	_, err := AppendRaw(nil, json.RawMessage(`{"a":`))
	if err == nil {
		t.Error("AppendRaw accepted invalid JSON")
	}
}

type rawDoc string

func (d rawDoc) AppendJSON(b []byte) ([]byte, error) { return append(b, d...), nil }

// Documents encoded into one shared buffer stay intact whatever the sizes:
// each is capped, so appending to one never overwrites the next.
func TestEncodeAll(t *testing.T) {
	docs := []rawDoc{`"a"`, `"a much longer second document than the first"`, `""`, `"x"`}
	out, err := EncodeAll(docs, func(d rawDoc) string { return string(d) })
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(docs) {
		t.Fatalf("got %d documents, want %d", len(out), len(docs))
	}
	for _, d := range docs {
		got := out[string(d)]
		if string(got) != string(d) || cap(got) != len(got) {
			t.Errorf("document %s = %s (cap %d)", d, got, cap(got))
		}
		_ = append(got, "garbage"...)
	}
	for _, d := range docs {
		if string(out[string(d)]) != string(d) {
			t.Errorf("document %s overwritten: %s", d, out[string(d)])
		}
	}
}

// Many documents of uneven sizes, one far larger than the rest, all come
// out intact; equal ones cost a few buffers, not one per document or a copy
// per doubling.
func TestEncodeAllBuffers(t *testing.T) {
	var docs []rawDoc
	for i := range 1000 {
		size := 10 + (i*7919)%1000
		if i == 500 {
			size = 100_000
		}
		docs = append(docs, rawDoc(fmt.Sprintf("%q", fmt.Sprintf("%d-%s", i, strings.Repeat("x", size)))))
	}
	out, err := EncodeAll(docs, func(d rawDoc) string { return string(d) })
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if got := out[string(d)]; string(got) != string(d) || cap(got) != len(got) {
			t.Fatalf("document of %d bytes came out as %d bytes (cap %d)", len(d), len(got), cap(got))
		}
	}
	same := make([]rawDoc, 1000)
	for i := range same {
		same[i] = rawDoc(fmt.Sprintf(`{"id":%04d,"title":"%s"}`, i, strings.Repeat("t", 400)))
	}
	key := func(d rawDoc) string { return string(d[6:10]) }
	var bytes int
	allocs := testing.AllocsPerRun(20, func() {
		out, err := EncodeAll(same, key)
		if err != nil {
			t.Fatal(err)
		}
		bytes = 0
		for _, d := range out {
			bytes += len(d)
		}
	})
	// The map costs a handful; the documents at most three buffers.
	if allocs > 12 {
		t.Errorf("EncodeAll of 1000 documents of %d bytes made %.0f allocations", bytes/1000, allocs)
	}
}

// go test -fuzz=FuzzAppendString ./runtime/denorm searches for a string the
// escaper writes differently from encoding/json.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "a\"b", "<&>", "\u2028\u2029", "\xff\xfe", "\x00\x1f", "日本🙂"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := AppendString(nil, s); string(got) != string(want) {
			t.Errorf("AppendString(%q) = %s, json.Marshal gives %s", s, got, want)
		}
	})
}

func FuzzAppendFloat(f *testing.F) {
	for _, x := range []float64{0, math.Copysign(0, -1), 1e-7, 1e21, 123.456, math.MaxFloat32} {
		f.Add(x)
	}
	f.Fuzz(func(t *testing.T, x float64) {
		for _, v := range []any{x, float32(x)} {
			want, werr := json.Marshal(v)
			var got []byte
			var err error
			if f32, ok := v.(float32); ok {
				got, err = AppendFloat(nil, float64(f32), 32)
			} else {
				got, err = AppendFloat(nil, x, 64)
			}
			if (err != nil) != (werr != nil) || string(got) != string(want) {
				t.Errorf("AppendFloat(%T %v) = %s, %v; json.Marshal gives %s, %v", v, v, got, err, want, werr)
			}
		}
	})
}
