package denorm

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
)

// xipBits is how many low bits of a version count the transactions that were
// still in progress when the snapshot was taken (see docs/DESIGN.md).
const xipBits = 20

// snapshotColumns read the transaction's snapshot: its isolation level, its
// xmax and how many transactions it sees in progress. pg_current_snapshot
// returns the active snapshot, which under REPEATABLE READ is the one every
// statement of the transaction sees. xid8 has no cast to bigint, hence text.
const snapshotColumns = `current_setting('transaction_isolation'),
       pg_snapshot_xmax(s)::text,
       (SELECT count(*) FROM pg_snapshot_xip(s))`

// snapshotVersionSQL reads the version's columns.
const snapshotVersionSQL = `SELECT ` + snapshotColumns + ` FROM pg_current_snapshot() AS s`

// SnapshotVersion returns the version of documents built in tx: it grows
// strictly with every committed change the snapshot can see, so backends
// keeping the highest version keep the newest document. tx must be REPEATABLE
// READ (or SERIALIZABLE), so that the builds that follow see the same
// snapshot; call it before them, ideally first, as the snapshot is taken by
// the first statement.
func SnapshotVersion(ctx context.Context, tx pgx.Tx) (int64, error) {
	var iso, xmaxText string
	var inProgress int64
	if err := tx.QueryRow(ctx, snapshotVersionSQL).Scan(&iso, &xmaxText, &inProgress); err != nil {
		return 0, fmt.Errorf("snapshot version: %w", err)
	}
	v, err := versionOf(iso, xmaxText, inProgress)
	if err != nil {
		return 0, fmt.Errorf("snapshot version: %w", err)
	}
	return v, nil
}

// versionOf is the version of a snapshot of a transaction at isolation
// level iso whose xmax is xmaxText, with inProgress transactions in progress.
func versionOf(iso, xmaxText string, inProgress int64) (int64, error) {
	if iso != "repeatable read" && iso != "serializable" {
		return 0, fmt.Errorf("transaction is %s, want repeatable read: later statements would see other snapshots", iso)
	}
	xmax, err := strconv.ParseUint(xmaxText, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("xmax %q: %w", xmaxText, err)
	}
	const maxXmax = 1<<(63-xipBits) - 1
	if xmax > maxXmax {
		return 0, fmt.Errorf("xmax %d does not fit in %d bits", xmax, 63-xipBits)
	}
	if inProgress < 0 || inProgress >= 1<<xipBits {
		return 0, fmt.Errorf("%d transactions in progress, more than %d bits count", inProgress, xipBits)
	}
	return int64(xmax)<<xipBits | (1<<xipBits - 1 - inProgress), nil
}
