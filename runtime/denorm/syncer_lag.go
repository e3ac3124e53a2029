package denorm

import (
	"context"
	"fmt"
	"time"
)

// Lag reports how far the syncers are behind: the changes waiting in the
// outbox (not its rows, which hold up to 1,000 changes each) and the age of
// the oldest (zero when the outbox is empty).
func Lag(ctx context.Context, db DB) (changes int64, oldest time.Duration, err error) {
	var secs float64
	err = db.QueryRow(ctx, `
		SELECT COALESCE(sum(changes), 0)::bigint,
		       COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - min(created_at)), 0)::float8
		FROM denorm.outbox`).Scan(&changes, &secs)
	if err != nil {
		return 0, 0, fmt.Errorf("denorm: outbox lag: %w", err)
	}
	return changes, time.Duration(secs * float64(time.Second)), nil
}
