// Package writes measures what the capture triggers cost the application's
// writes: the same statements with and without the install SQL of
// denorm.yaml, interleaved so that the machine's drift hits both alike.
package writes

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

// userTriggers counts the triggers on the dataset's tables that are not
// constraint triggers: the capture triggers, since the schema has no other.
const userTriggers = `SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
	WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace`

// install runs the install SQL and checks that it created triggers.
func install(ctx context.Context, pool *pgxpool.Pool, sql string) error {
	if _, err := pool.Exec(ctx, sql); err != nil {
		return fmt.Errorf("install triggers: %w", err)
	}
	var n int
	if err := pool.QueryRow(ctx, userTriggers).Scan(&n); err != nil {
		return fmt.Errorf("install triggers: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("install triggers: the install SQL created no trigger")
	}
	return nil
}

// uninstall drops every non-constraint trigger of the public tables, whatever
// the install SQL named them, and checks none is left: a "without" run that
// kept a trigger would flatter the overhead.
func uninstall(ctx context.Context, pool *pgxpool.Pool) error {
	_, err := pool.Exec(ctx, `DO $$
DECLARE r record;
BEGIN
	FOR r IN SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
		WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace
	LOOP
		EXECUTE format('DROP TRIGGER %I ON public.%I', r.tgname, r.relname);
	END LOOP;
END $$`)
	if err != nil {
		return fmt.Errorf("uninstall triggers: %w", err)
	}
	var n int
	if err := pool.QueryRow(ctx, userTriggers).Scan(&n); err != nil {
		return fmt.Errorf("uninstall triggers: %w", err)
	}
	if n != 0 {
		return fmt.Errorf("uninstall triggers: %d triggers left", n)
	}
	return nil
}

// outboxChanges counts captured changes (an outbox row holds up to 1,000);
// the runner checks that the "with" runs recorded what they should (and
// nothing for unused columns).
func outboxChanges(ctx context.Context, pool *pgxpool.Pool) (int64, error) {
	var n int64
	err := pool.QueryRow(ctx, `SELECT COALESCE(sum(changes), 0)::bigint FROM denorm.outbox`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count outbox: %w", err)
	}
	return n, nil
}

// resetOutbox empties the outbox between runs: nothing drains it here, and a
// growing outbox would make later runs slower than earlier ones.
func resetOutbox(ctx context.Context, pool *pgxpool.Pool) error {
	if _, err := pool.Exec(ctx, `TRUNCATE denorm.outbox`); err != nil {
		return fmt.Errorf("reset outbox: %w", err)
	}
	return nil
}
