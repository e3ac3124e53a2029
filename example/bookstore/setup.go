package main

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"sort"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/denormgen/denormgen/example/bookstore/bookdocs"
)

//go:embed db/*.sql
var migrations embed.FS

// createDatabase drops and creates the example database on the server of
// serverURL, so that every run starts from the same state.
func createDatabase(ctx context.Context, serverURL, name string) (*pgxpool.Pool, error) {
	admin, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w (set DATABASE_URL or -database-url)", redact(serverURL), err)
	}
	defer admin.Close(ctx)
	ident := pgx.Identifier{name}.Sanitize()
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
		return nil, fmt.Errorf("drop database %s: %w", name, err)
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+ident); err != nil {
		return nil, fmt.Errorf("create database %s: %w", name, err)
	}
	cfg, err := pgxpool.ParseConfig(serverURL)
	if err != nil {
		return nil, err
	}
	cfg.ConnConfig.Database = name
	return pgxpool.NewWithConfig(ctx, cfg)
}

// migrate applies db/*.sql in lexical order.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	names, err := fs.Glob(migrations, "db/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		sql, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		if _, err := pool.Exec(ctx, string(sql)); err != nil {
			return fmt.Errorf("apply %s: %w", name, err)
		}
	}
	return nil
}

// install applies the install SQL, which creates the outbox and the
// triggers: in an application it is one more migration (denormgen sql >
// db/NNN_denorm.sql). Rows written before it are not in the outbox; the
// first full sync covers them.
func install(ctx context.Context, pool *pgxpool.Pool) error {
	if _, err := pool.Exec(ctx, bookdocs.InstallSQL); err != nil {
		return fmt.Errorf("apply install SQL: %w", err)
	}
	return nil
}

// loadSampleData fills the catalog with deterministic rows, computed by
// PostgreSQL itself so that loading thousands of books takes a moment.
func loadSampleData(ctx context.Context, pool *pgxpool.Pool, books int) error {
	authors := max(books/5, 10)
	publishers := max(books/50, 5)
	_, err := pool.Exec(ctx, `
INSERT INTO country (code, name) VALUES
    ('DE', 'Germany'), ('FR', 'France'), ('GB', 'United Kingdom'), ('IT', 'Italy'),
    ('JP', 'Japan'), ('NL', 'Netherlands'), ('PL', 'Poland'), ('US', 'United States');

INSERT INTO publisher (id, name, bio, country_code)
SELECT i, 'Publisher ' || i, repeat('A long history. ', 100),
       (ARRAY['DE','FR','GB','IT','JP','NL','PL','US'])[1 + i % 8]
FROM generate_series(1, `+fmt.Sprint(publishers)+`) AS i;

INSERT INTO author (id, name, bio)
SELECT i, (ARRAY['Ada','Blaise','Clarice','Dante','Elena','Fyodor','Gabriel','Haruki','Italo','Jorge'])[1 + i % 10]
          || ' ' || (ARRAY['Lovelace','Pascal','Lispector','Alighieri','Ferrante','Dostoevsky','Márquez','Murakami','Calvino','Borges'])[1 + (i / 10) % 10]
          || ' ' || i,
       repeat('Born somewhere. ', 100)
FROM generate_series(1, `+fmt.Sprint(authors)+`) AS i;

INSERT INTO book (id, title, year, summary, publisher_id)
SELECT i, 'Book ' || i, 1900 + i % 125, repeat('Something happens. ', 200),
       CASE WHEN i % 20 = 0 THEN NULL ELSE 1 + i % `+fmt.Sprint(publishers)+` END
FROM generate_series(1, `+fmt.Sprint(books)+`) AS i;

INSERT INTO book_author (book_id, author_id)
SELECT DISTINCT b, 1 + (b * k * 7919) % `+fmt.Sprint(authors)+`
FROM generate_series(1, `+fmt.Sprint(books)+`) AS b, generate_series(1, 1 + b % 3) AS k;

INSERT INTO tag (id, name)
SELECT i, (ARRAY['classic','sea','war','love','science','history','poetry','crime','travel','food'])[i]
FROM generate_series(1, 10) AS i;

INSERT INTO book_tag (book_id, tag_id)
SELECT DISTINCT b, 1 + (b * k * 31) % 10
FROM generate_series(1, `+fmt.Sprint(books)+`) AS b, generate_series(1, b % 4) AS k;

INSERT INTO review (id, book_id, stars, body, created_at)
SELECT b * 10 + k, b, 1 + (b + k) % 5, repeat('Loved it. ', 20),
       timestamptz '2024-01-01 00:00:00+00' + ((b * 10 + k) * interval '1 hour')
FROM generate_series(1, `+fmt.Sprint(books)+`) AS b, generate_series(1, b % 8) AS k;

ANALYZE;
`)
	if err != nil {
		return fmt.Errorf("load sample data: %w", err)
	}
	return nil
}

// redact hides a password in a connection string before printing it.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
