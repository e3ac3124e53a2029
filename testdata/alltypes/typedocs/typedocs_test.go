package typedocs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/denormgen/denormgen/internal/pgtest"
	"github.com/denormgen/denormgen/testdata/alltypes/typedocs"
	"github.com/denormgen/denormgen/testdata/internal/oracletest"
)

// Every type, read from a real database: the JSON of each column is the one
// SPEC §2 asks for, and json.Marshal of the struct agrees byte for byte.
func TestEveryType(t *testing.T) {
	t.Setenv("TZ", "UTC")
	pool := pgtest.New(t)
	ctx := context.Background()
	oracletest.Schema(t, pool)
	_, err := pool.Exec(ctx, `
		SET lc_monetary = 'C';
		INSERT INTO thing (id, i2, i4, i8, f4, f8, num, txt, vc, bp, b, u, d, tm, ts, tstz, iv, by, js, jsb, ip,
		                   ints, texts, grid, m, pos, money_col)
		VALUES (1, -32768, 2147483647, -9223372036854775808, 1.5, 1e-7, 1.10, 'Grüße "x" <y>', 'v', 'ab', true,
		        'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '2024-02-29', '13:04:05.5', '2024-01-02 03:04:05.123456',
		        '2024-01-02 03:04:05+05:30', '1 day 2 hours', '\x00ff', '{"a": [1, 2.50]}', '{"b": 1, "a": "<"}',
		        '192.168.0.1', '{1,2,3}', '{"a","b c"}', '{{1,2},{3,4}}', 'happy', 7, 12.5);
		INSERT INTO thing SELECT 2, i2, i4, i8, f4, f8, num, txt, vc, bp, b, u, d, tm, ts, tstz, iv, by, js, jsb, ip,
		                   ints, texts, grid, m, pos, money_col,
		                   1, 2, 3, -0.25, 1e21, 1.1, '', false, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '1999-12-31',
		                   '00:00', '1999-12-31 23:59:59', '1999-12-31 23:59:59-08', '-3 mons', '', 'null', '[]',
		                   '::1/128', '{}', 'sad', 1, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 0.5
		FROM thing WHERE id = 1`)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := typedocs.Collections()[0].Build(ctx, pool, []string{"1", "2"})
	if err != nil {
		t.Fatal(err)
	}
	common := `"id":%d,"i2":-32768,"i4":2147483647,"i8":-9223372036854775808,"f4":1.5,"f8":1e-7,"num":1.10,` +
		`"txt":"Grüße \"x\" \u003cy\u003e","vc":"v","bp":"ab ","b":true,"u":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",` +
		`"d":"2024-02-29","tm":"13:04:05.5","ts":"2024-01-02T03:04:05.123456Z","tstz":"2024-01-01T21:34:05Z",` +
		`"iv":"1 day 02:00:00","by":"AP8=","js":{"a":[1,2.50]},"jsb":{"a":"\u003c","b":1},"ip":"192.168.0.1",` +
		`"ints":[1,2,3],"texts":["a","b c"],"grid":[[1,2],[3,4]],"m":"happy","pos":7,"money_col":"$12.50",`
	want := map[string]string{
		"1": `{` + sprintf(common, 1) + `"n_i2":null,"n_i4":null,"n_i8":null,"n_f4":null,"n_f8":null,"n_num":null,` +
			`"n_txt":null,"n_b":null,"n_u":null,"n_d":null,"n_tm":null,"n_ts":null,"n_tstz":null,"n_iv":null,` +
			`"n_by":null,"n_js":null,"n_jsb":null,"n_ip":null,"n_ints":null,"n_m":null,"n_pos":null,"over_u":null,"over_num":null}`,
		"2": `{` + sprintf(common, 2) + `"n_i2":1,"n_i4":2,"n_i8":3,"n_f4":-0.25,"n_f8":1e+21,"n_num":1.100,` +
			`"n_txt":"","n_b":false,"n_u":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11","n_d":"1999-12-31","n_tm":"00:00:00",` +
			`"n_ts":"1999-12-31T23:59:59Z","n_tstz":"2000-01-01T07:59:59Z","n_iv":"-3 mons","n_by":"","n_js":null,` +
			`"n_jsb":[],"n_ip":"::1","n_ints":[],"n_m":"sad","n_pos":1,"over_u":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11","over_num":"0.5"}`,
	}
	for key, w := range want {
		if got := string(docs[key]); got != w {
			t.Errorf("document %s:\n got %s\nwant %s", key, got, w)
		}
	}
	loaded, err := typedocs.LoadThings(ctx, pool, []int64{1, 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range loaded {
		marshalled, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		appended, _ := d.AppendJSON(nil)
		if !bytes.Equal(marshalled, appended) {
			t.Errorf("json.Marshal:\n%s\nAppendJSON:\n%s", marshalled, appended)
		}
	}
}

func sprintf(format string, id int) string {
	return string(bytes.Replace([]byte(format), []byte("%d"), []byte{byte('0' + id)}, 1))
}
