// Package writes measures what the capture triggers cost the application's
// writes: the same statements without triggers, with the install SQL of
// denorm.yaml, and with empty triggers of the same kind (the floor of the
// mechanism), interleaved so that the machine's drift hits all alike.
package writes

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// db is a pool or the one connection of a measurement.
type db interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// userTriggers counts the triggers on the dataset's tables that are not
// constraint triggers: the capture triggers, since the schema has no other.
const userTriggers = `SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
	WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace`

// install runs the install SQL and checks that it created triggers.
func install(ctx context.Context, pool db, sql string) error {
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
func uninstall(ctx context.Context, pool db) error {
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
func outboxChanges(ctx context.Context, pool db) (int64, error) {
	var n int64
	err := pool.QueryRow(ctx, `SELECT COALESCE(sum(changes), 0)::bigint FROM denorm.outbox`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count outbox: %w", err)
	}
	return n, nil
}

// resetOutbox empties the outbox between runs: nothing drains it here, and a
// growing outbox would make later runs slower than earlier ones.
func resetOutbox(ctx context.Context, pool db) error {
	if _, err := pool.Exec(ctx, `TRUNCATE denorm.outbox`); err != nil {
		return fmt.Errorf("reset outbox: %w", err)
	}
	return nil
}

// emptyTriggers gives table the triggers the install SQL gives it, statement
// level with transition tables, calling a PL/pgSQL function that returns at
// once: the cost of PostgreSQL capturing the transition tables and calling a
// trigger, which no capture of this kind can go below.
func emptyTriggers(ctx context.Context, pool db, table string) error {
	t := pgx.Identifier{"public", table}.Sanitize()
	_, err := pool.Exec(ctx, `
CREATE OR REPLACE FUNCTION public.denorm_bench_empty() RETURNS trigger
LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER denorm_empty_insert AFTER INSERT ON `+t+`
    REFERENCING NEW TABLE AS denorm_new
    FOR EACH STATEMENT EXECUTE FUNCTION public.denorm_bench_empty();
CREATE TRIGGER denorm_empty_update AFTER UPDATE ON `+t+`
    REFERENCING OLD TABLE AS denorm_old NEW TABLE AS denorm_new
    FOR EACH STATEMENT EXECUTE FUNCTION public.denorm_bench_empty();
CREATE TRIGGER denorm_empty_delete AFTER DELETE ON `+t+`
    REFERENCING OLD TABLE AS denorm_old
    FOR EACH STATEMENT EXECUTE FUNCTION public.denorm_bench_empty();`)
	if err != nil {
		return fmt.Errorf("empty triggers on %s: %w", table, err)
	}
	return nil
}
