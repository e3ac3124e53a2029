package denorm_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/denormgen/denormgen/internal/pgtest"
	"github.com/denormgen/denormgen/runtime/denorm"
)

// snapshotPool is a throwaway database with a table of 1..n and their
// children: child k of parent p for k in 1..p%4 (none for multiples of 4).
func snapshotPool(t *testing.T, n int) *pgxpool.Pool {
	t.Helper()
	pool := pgtest.New(t)
	ctx := context.Background()
	_, err := pool.Exec(ctx, fmt.Sprintf(`
CREATE TABLE parent (id int8 PRIMARY KEY);
CREATE TABLE child (parent_id int4, k int2, PRIMARY KEY (parent_id, k));
INSERT INTO parent SELECT g FROM generate_series(1, %d) g;
INSERT INTO child SELECT p, k FROM generate_series(1, %[1]d) p, generate_series(1, 3) k WHERE k <= p %% 4;`, n))
	if err != nil {
		t.Fatal(err)
	}
	return pool
}

func TestSnapshotSharesOneState(t *testing.T) {
	pool := snapshotPool(t, 10)
	ctx := context.Background()
	snap, err := denorm.BeginSnapshot(ctx, pool, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close(ctx)
	// Written after the snapshot began: no transaction of it sees the row,
	// not even one that joins later.
	if _, err := pool.Exec(ctx, `INSERT INTO parent VALUES (11)`); err != nil {
		t.Fatal(err)
	}
	s, err := denorm.OpenStream(ctx, snap, `SELECT id FROM parent ORDER BY id`, 0)
	if err != nil || s == nil {
		t.Fatalf("OpenStream: %v, %v", s, err)
	}
	defer s.Close()
	var ids []int64
	rows := s.Until(1 << 62)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(ids) != 10 || ids[9] != 10 {
		t.Errorf("stream in the snapshot read %v, want 1..10", ids)
	}
	var n int
	if err := snap.QueryRow(ctx, `SELECT count(*) FROM parent`).Scan(&n); err != nil || n != 10 {
		t.Errorf("snapshot counts %d parents (%v), want 10", n, err)
	}
}

func TestStreamUntil(t *testing.T) {
	pool := snapshotPool(t, 20)
	ctx := context.Background()
	snap, err := denorm.BeginSnapshot(ctx, pool, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close(ctx)
	// Column 1 holds the key; int4, which the stream decodes like int8.
	s, err := denorm.OpenStream(ctx, snap, `SELECT k, parent_id FROM child ORDER BY parent_id, k`, 1)
	if err != nil || s == nil {
		t.Fatalf("OpenStream: %v, %v", s, err)
	}
	defer s.Close()
	// A second stream finds no spare connection: the caller reads by chunk.
	if s2, err := denorm.OpenStream(ctx, snap, `SELECT 1`, 0); s2 != nil || err != nil {
		t.Errorf("second stream with one spare connection: %v, %v; want nil, nil", s2, err)
	}
	read := func(hi int64) (got [][2]int64) {
		rows := s.Until(hi)
		for rows.Next() {
			var k int16
			var p int32
			if err := rows.Scan(&k, &p); err != nil {
				t.Fatal(err)
			}
			got = append(got, [2]int64{int64(p), int64(k)})
		}
		rows.Close() // a no-op: the stream goes on
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return got
	}
	want := func(lo, hi int64) (w [][2]int64) {
		for p := lo; p <= hi; p++ {
			for k := int64(1); k <= p%4; k++ {
				w = append(w, [2]int64{p, k})
			}
		}
		return w
	}
	for _, c := range []struct{ lo, hi int64 }{{1, 3}, {4, 4}, {5, 5}, {6, 13}, {14, 13}, {14, 25}} {
		if got, w := read(c.hi), want(c.lo, min(c.hi, 20)); !slices.Equal(got, w) {
			t.Errorf("Until(%d) = %v, want %v", c.hi, got, w)
		}
	}
}

// A stream sorted by uuid, read in chunks up to a uuid root key: PostgreSQL
// orders uuids as bytes, as the stream compares them, in binary and in text
// (the key cast to text).
func TestStreamUntilUUID(t *testing.T) {
	pool := snapshotPool(t, 1)
	ctx := context.Background()
	ids := []string{
		"00000000-0000-0000-0000-000000000001", "0000000a-0000-0000-0000-000000000000",
		"7fffffff-ffff-ffff-ffff-ffffffffffff", "80000000-0000-0000-0000-000000000000",
		"ffffffff-ffff-ffff-ffff-fffffffffffe",
	}
	if _, err := pool.Exec(ctx, `CREATE TABLE u (id uuid, n int)`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO u SELECT id, n FROM unnest($1::uuid[]) id, generate_series(1, 2) n`, ids); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"id", "id::text"} {
		snap, err := denorm.BeginSnapshot(ctx, pool, 1)
		if err != nil {
			t.Fatal(err)
		}
		s, err := denorm.OpenStream(ctx, snap, `SELECT n, `+key+` FROM u ORDER BY id, n`, 1)
		if err != nil || s == nil {
			t.Fatalf("OpenStream: %v, %v", s, err)
		}
		var got [][]string
		for _, hi := range []string{ids[0], "00000000-0000-0000-0000-0000000000ff", ids[2], strings.ToUpper(ids[3]), ids[4]} {
			var chunk []string
			rows := s.UntilUUID(hi)
			for rows.Next() {
				var n int32
				var id string
				if err := rows.Scan(&n, &id); err != nil {
					t.Fatal(err)
				}
				chunk = append(chunk, fmt.Sprintf("%s/%d", id, n))
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			got = append(got, chunk)
		}
		s.Close()
		snap.Close(ctx)
		want := [][]string{
			{ids[0] + "/1", ids[0] + "/2"}, nil,
			{ids[1] + "/1", ids[1] + "/2", ids[2] + "/1", ids[2] + "/2"},
			{ids[3] + "/1", ids[3] + "/2"},
			{ids[4] + "/1", ids[4] + "/2"},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("key %s: chunks (-want +got):\n%s", key, diff)
		}
	}
}

// A stream sorted by a text key in a collation whose order is not the
// bytes' (ICU puts "a" before "B") yields each chunk's rows by membership;
// Finish finds a row the chunks left behind.
func TestStreamUntilIn(t *testing.T) {
	pool := snapshotPool(t, 1)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `CREATE TABLE c (k text COLLATE "und-x-icu", n int);
		INSERT INTO c SELECT k, n FROM unnest('{a,B,b,C,é,f}'::text[]) k, generate_series(1, 2) n`); err != nil {
		t.Fatal(err)
	}
	in := func(keys ...string) func([]byte) bool {
		x := denorm.NewIndex[string, int](len(keys))
		for i, k := range keys {
			x.Add(k, i)
		}
		return denorm.InIndex(x)
	}
	read := func(s *denorm.Stream, chunk func([]byte) bool) []string {
		var got []string
		rows := s.UntilIn(chunk)
		for rows.Next() {
			var k string
			var n int32
			if err := rows.Scan(&k, &n); err != nil {
				t.Fatal(err)
			}
			got = append(got, fmt.Sprintf("%s/%d", k, n))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return got
	}
	open := func(sql string) (*denorm.Stream, func()) {
		snap, err := denorm.BeginSnapshot(ctx, pool, 1)
		if err != nil {
			t.Fatal(err)
		}
		s, err := denorm.OpenStream(ctx, snap, sql, 0)
		if err != nil || s == nil {
			t.Fatalf("OpenStream: %v, %v", s, err)
		}
		return s, func() { s.Close(); snap.Close(ctx) }
	}

	s, done := open(`SELECT k, n FROM c ORDER BY k, n`)
	// Roots a, b, B | C, d (no rows), é | f, in the collation's order.
	got := [][]string{read(s, in("a", "b", "B")), read(s, in("C", "d", "é")), read(s, in("f"))}
	want := [][]string{{"a/1", "a/2", "b/1", "b/2", "B/1", "B/2"}, {"C/1", "C/2", "é/1", "é/2"}, {"f/1", "f/2"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("chunks (-want +got):\n%s", diff)
	}
	if err := s.Finish(); err != nil {
		t.Errorf("Finish after every row: %v", err)
	}
	done()

	// Sorted by bytes instead ("B" first): the first chunk stops at "B",
	// which is no root of it, and no later chunk takes it.
	s, done = open(`SELECT k, n FROM c ORDER BY k COLLATE "C", n`)
	defer done()
	if got := read(s, in("a", "b")); got != nil {
		t.Errorf("first chunk %v, want none (the stream starts with B)", got)
	}
	read(s, in("C", "é", "f"))
	if err := s.Finish(); err == nil || !strings.Contains(err.Error(), `"B"`) {
		t.Errorf("Finish = %v, want the row of B left behind", err)
	}
}

func TestStreamUnsorted(t *testing.T) {
	pool := snapshotPool(t, 5)
	ctx := context.Background()
	snap, err := denorm.BeginSnapshot(ctx, pool, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close(ctx)
	s, err := denorm.OpenStream(ctx, snap, `SELECT id FROM parent ORDER BY id DESC`, 0)
	if err != nil || s == nil {
		t.Fatalf("OpenStream: %v, %v", s, err)
	}
	defer s.Close()
	rows := s.Until(100)
	for rows.Next() {
	}
	if err := rows.Err(); err == nil {
		t.Error("a stream not sorted by key read without error")
	}
}

func TestOpenStreamWithoutSnapshot(t *testing.T) {
	pool := snapshotPool(t, 1)
	s, err := denorm.OpenStream(context.Background(), pool, `SELECT 1`, 0)
	if s != nil || err != nil {
		t.Errorf("OpenStream on a pool = %v, %v; want nil, nil", s, err)
	}
}

func TestLoadChunksInParts(t *testing.T) {
	pool := snapshotPool(t, 3000)
	ctx := context.Background()
	keys := make([]int64, 2500)
	for i := range keys {
		keys[i] = int64(i + 1)
	}
	load := func(ctx context.Context, db denorm.DB, chunk []int64) ([]int64, error) {
		rows, err := db.Query(ctx, `SELECT id FROM parent WHERE id = ANY($1) ORDER BY id`, chunk)
		if err != nil {
			return nil, err
		}
		return pgx.CollectRows(rows, pgx.RowTo[int64])
	}
	for _, db := range []struct {
		name string
		db   func(t *testing.T) denorm.DB
	}{
		{"pool", func(*testing.T) denorm.DB { return pool }},
		{"snapshot", func(t *testing.T) denorm.DB {
			snap, err := denorm.BeginSnapshot(ctx, pool, 3)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { snap.Close(ctx) })
			return snap
		}},
	} {
		t.Run(db.name, func(t *testing.T) {
			got, err := denorm.LoadChunks(ctx, db.db(t), keys, 300, load)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, keys) {
				t.Errorf("LoadChunks returned %d keys, out of order or missing", len(got))
			}
		})
	}
	// In a snapshot, parts run on other backends as well, which join it
	// while the first part already runs.
	if runtime.GOMAXPROCS(0) >= 2 {
		snap, err := denorm.BeginSnapshot(ctx, pool, 3)
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		pids := map[int32]bool{}
		_, err = denorm.LoadChunks(ctx, snap, keys, 300, func(ctx context.Context, db denorm.DB, chunk []int64) ([]int64, error) {
			var pid int32
			if err := db.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
				return nil, err
			}
			mu.Lock()
			pids[pid] = true
			mu.Unlock()
			return load(ctx, db, chunk)
		})
		snap.Close(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(pids) < 2 {
			t.Errorf("the parts ran on %d backend(s), want at least 2", len(pids))
		}
	}
	// A failing part fails the load.
	snap, err := denorm.BeginSnapshot(ctx, pool, 3)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close(ctx)
	_, err = denorm.LoadChunks(ctx, snap, keys, 0, func(ctx context.Context, db denorm.DB, chunk []int64) ([]int64, error) {
		if chunk[0] > 1000 {
			return nil, fmt.Errorf("part from %d failed", chunk[0])
		}
		return load(ctx, db, chunk)
	})
	if err == nil {
		t.Error("LoadChunks with a failing part returned no error")
	}
}

// Close returns before the ROLLBACKs complete; the connections come back to
// the pool, reusable, as they do, and a snapshot begun at once counts them as
// free: it can still load in parts.
func TestSnapshotCloseDoesNotWait(t *testing.T) {
	pool := snapshotPool(t, 3000)
	ctx := context.Background()
	keys := make([]int64, 2000)
	for i := range keys {
		keys[i] = int64(i + 1)
	}
	total := pool.Stat().TotalConns()
	for i := range 10 {
		snap, err := denorm.BeginSnapshot(ctx, pool, 3)
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		pids := map[int32]bool{}
		// Chunks slow enough that the first part cannot take them all
		// before another joins.
		_, err = denorm.LoadChunks(ctx, snap, keys, 250, func(ctx context.Context, db denorm.DB, chunk []int64) ([]int64, error) {
			rows, err := db.Query(ctx, `SELECT id, pg_backend_pid() FROM parent, pg_sleep(0.005) WHERE id = ANY($1) ORDER BY id`, chunk)
			if err != nil {
				return nil, err
			}
			var ids []int64
			var id int64
			var pid int32
			_, err = pgx.ForEachRow(rows, []any{&id, &pid}, func() error {
				ids = append(ids, id)
				mu.Lock()
				pids[pid] = true
				mu.Unlock()
				return nil
			})
			return ids, err
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := snap.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
		if err := snap.Close(ctx); err != nil {
			t.Errorf("second Close: %v", err)
		}
		if runtime.GOMAXPROCS(0) >= 2 && len(pids) < 2 {
			t.Errorf("round %d: a snapshot begun right after another closed loaded on %d backend(s), want 2 or more", i, len(pids))
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for pool.Stat().AcquiredConns() > 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	st := pool.Stat()
	if st.AcquiredConns() != 0 {
		t.Fatalf("%d connections still acquired 10s after Close", st.AcquiredConns())
	}
	// Every ROLLBACK succeeded: no connection was closed for coming back
	// inside a transaction.
	if st.TotalConns() < total || st.IdleConns() != st.TotalConns() {
		t.Errorf("pool after the closes: %d connections, %d idle (had %d before)", st.TotalConns(), st.IdleConns(), total)
	}
	var open int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`).Scan(&open); err != nil {
		t.Fatal(err)
	}
	if open != 0 {
		t.Errorf("%d backends still idle in a transaction after every Close", open)
	}
}

// idDoc is a document that renders as its id, or fails for a negative one.
type idDoc int64

func (d idDoc) AppendJSON(b []byte) ([]byte, error) {
	if d < 0 {
		return b, fmt.Errorf("cannot encode %d", d)
	}
	return fmt.Appendf(b, `{"id":%d}`, d), nil
}

// BuildChunks renders what LoadChunks loads, by key, on a pool or in parts
// of a snapshot; an encoding error fails it.
func TestBuildChunks(t *testing.T) {
	pool := snapshotPool(t, 3000)
	ctx := context.Background()
	keys := make([]int64, 0, 2500)
	for i := range 2500 {
		keys = append(keys, int64(i+1))
	}
	keys = append(keys, 5000) // no such row: absent
	load := func(ctx context.Context, db denorm.DB, chunk []int64) ([]idDoc, error) {
		rows, err := db.Query(ctx, `SELECT id FROM parent WHERE id = ANY($1) ORDER BY id`, chunk)
		if err != nil {
			return nil, err
		}
		return pgx.CollectRows(rows, pgx.RowTo[idDoc])
	}
	key := func(d idDoc) string { return fmt.Sprint(int64(d)) }
	for _, name := range []string{"pool", "snapshot"} {
		t.Run(name, func(t *testing.T) {
			var db denorm.DB = pool
			if name == "snapshot" {
				snap, err := denorm.BeginSnapshot(ctx, pool, 3)
				if err != nil {
					t.Fatal(err)
				}
				defer snap.Close(ctx)
				db = snap
			}
			got, err := denorm.BuildChunks(ctx, db, keys, 300, load, key)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2500 {
				t.Errorf("BuildChunks rendered %d documents, want 2500", len(got))
			}
			for i := range 2500 {
				if want := fmt.Sprintf(`{"id":%d}`, i+1); string(got[fmt.Sprint(i+1)]) != want {
					t.Fatalf("document %d = %s, want %s", i+1, got[fmt.Sprint(i+1)], want)
				}
			}
			_, err = denorm.BuildChunks(ctx, db, keys, 300, func(ctx context.Context, db denorm.DB, chunk []int64) ([]idDoc, error) {
				docs, err := load(ctx, db, chunk)
				if len(docs) > 0 && docs[0] > 2000 {
					docs[0] = -docs[0]
				}
				return docs, err
			}, key)
			if err == nil || !strings.Contains(err.Error(), "cannot encode") {
				t.Errorf("BuildChunks with a failing document: error %v", err)
			}
		})
	}
}

// BeginSnapshot begins, reads the version and exports in one round trip: the
// transaction is the one it says, its version is what SnapshotVersion reads
// in a transaction of the same state, and a closed snapshot refuses work.
func TestSnapshotBeginsInOneStatement(t *testing.T) {
	pool := snapshotPool(t, 1)
	ctx := context.Background()
	for _, spare := range []int{0, 1} {
		t.Run(fmt.Sprintf("spare %d", spare), func(t *testing.T) {
			before := snapshotVersion(t, pool)
			snap, err := denorm.BeginSnapshot(ctx, pool, spare)
			if err != nil {
				t.Fatal(err)
			}
			defer snap.Close(ctx)
			// Other tests' databases commit meanwhile: the version lies
			// between those of snapshots taken just before and just after.
			if v, after := snap.Version(), snapshotVersion(t, pool); v < before || v > after {
				t.Errorf("Version() = %d, want it from %d to %d, as SnapshotVersion reads before and after", v, before, after)
			}
			var iso, readOnly string
			if err := snap.QueryRow(ctx, `SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only')`).Scan(&iso, &readOnly); err != nil {
				t.Fatal(err)
			}
			if iso != "repeatable read" || readOnly != "on" {
				t.Errorf("the snapshot's transaction is %s, read only %s; want repeatable read, on", iso, readOnly)
			}
			exec(t, pool, `INSERT INTO parent VALUES (100 + `+fmt.Sprint(spare)+`)`)
			if v := snapshotVersion(t, pool); v <= snap.Version() {
				t.Errorf("after a commit: version %d, want more than the snapshot's %d", v, snap.Version())
			}
			// The snapshot was taken by BeginSnapshot, not by this first query.
			var n int
			if err := snap.QueryRow(ctx, `SELECT count(*) FROM parent`).Scan(&n); err != nil || n != 1+spare {
				t.Errorf("the snapshot counts %d parents (%v), want %d", n, err, 1+spare)
			}
			s, err := denorm.OpenStream(ctx, snap, `SELECT id FROM parent ORDER BY id`, 0)
			if err != nil {
				t.Fatal(err)
			}
			if (s != nil) != (spare > 0) {
				t.Errorf("spare %d: OpenStream joined: %v", spare, s != nil)
			}
			s.Close()

			snap.Close(ctx)
			if _, err := snap.Query(ctx, `SELECT 1`); !errors.Is(err, denorm.ErrSnapshotClosed) {
				t.Errorf("Query after Close: %v, want ErrSnapshotClosed", err)
			}
			if err := snap.QueryRow(ctx, `SELECT 1`).Scan(&n); !errors.Is(err, denorm.ErrSnapshotClosed) {
				t.Errorf("QueryRow after Close: %v, want ErrSnapshotClosed", err)
			}
			var b pgx.Batch
			b.Queue(`SELECT 1`)
			if err := snap.SendBatch(ctx, &b).Close(); !errors.Is(err, denorm.ErrSnapshotClosed) {
				t.Errorf("SendBatch after Close: %v, want ErrSnapshotClosed", err)
			}
		})
	}
}
