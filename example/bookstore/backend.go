package main

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"github.com/denormgen/denormgen/runtime/backend/pgbackend"
	"github.com/denormgen/denormgen/runtime/backend/redisbackend"
	"github.com/denormgen/denormgen/runtime/denorm"
)

// openBackend returns the store chosen with -backend and a function that
// releases it.
func openBackend(ctx context.Context, o options, pool *pgxpool.Pool) (denorm.Backend, func(), error) {
	switch o.backend {
	case "memory":
		return denorm.NewMemoryBackend(), func() {}, nil
	case "postgres":
		// Documents in a JSONB table of the same database; another database
		// works the same way with its own pool.
		b, err := pgbackend.New(ctx, pool)
		if err != nil {
			return nil, nil, fmt.Errorf("postgres backend: %w", err)
		}
		return b, func() {}, nil
	case "redis":
		opt, err := redis.ParseURL(o.redisURL)
		if err != nil {
			return nil, nil, fmt.Errorf("redis url: %w", err)
		}
		client := redis.NewClient(opt)
		if err := client.Ping(ctx).Err(); err != nil {
			client.Close()
			return nil, nil, fmt.Errorf("redis at %s: %w", opt.Addr, err)
		}
		b, err := redisbackend.New(client, redisbackend.WithPrefix("bookstore:"))
		if err != nil {
			client.Close()
			return nil, nil, fmt.Errorf("redis backend: %w", err)
		}
		return b, func() { client.Close() }, nil
	}
	return nil, nil, fmt.Errorf("unknown backend %q: want memory, redis or postgres", o.backend)
}
