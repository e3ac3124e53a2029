package denorm

import (
	"context"
	"fmt"
	"time"
)

// Lag reports how far the syncers are behind: the rows waiting in the outbox
// and the age of the oldest one (zero when the outbox is empty).
func Lag(ctx context.Context, db DB) (rows int64, oldest time.Duration, err error) {
	var secs float64
	err = db.QueryRow(ctx, `
		SELECT count(*),
		       COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - min(created_at)), 0)::float8
		FROM denorm.outbox`).Scan(&rows, &secs)
	if err != nil {
		return 0, 0, fmt.Errorf("denorm: outbox lag: %w", err)
	}
	return rows, time.Duration(secs * float64(time.Second)), nil
}
