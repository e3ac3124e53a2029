package latency

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/denormgen/denormgen/bench"
	"github.com/denormgen/denormgen/bench/internal/benchdocs"
	"github.com/denormgen/denormgen/runtime/backend/redisbackend"
	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"
)

// collection is the one collection of benchdocs.
const collection = "books"

// Config says where and how to run.
type Config struct {
	AdminURL  string        // any database of the server; the datasets are created beside it
	Scale     int           // dataset scale (1 = 100,000 books)
	Database  string        // the throwaway copy the benchmark writes to
	RedisAddr string        // host:port
	Writers   int           // connections issuing the paced writes
	Poll      time.Duration // how often the reader looks for pending documents
	Syncers   int           // Syncers running at once on the one outbox (they claim disjoint batches)
	SyncBatch int           // the Syncer's batch size; 0 keeps the runtime's default
	SyncPoll  time.Duration // the Syncer's poll interval; 0 keeps the runtime's default
	// synchronous_commit of the writers' and of the Syncer's connections
	// ("" keeps the server's). Off for the writers lets a loaded machine
	// commit the rate asked; off for the Syncer shows what its commits'
	// WAL flushes cost.
	WriterCommit, SyncerCommit string
	Seed                       uint64
}

// An Env is the running system under test: the database copy with capture
// installed, Redis under a fresh prefix, and a Syncer running in-process.
type Env struct {
	cfg      Config
	Sizes    bench.Sizes
	DB       *pgxpool.Pool // the writers' and the observer's pool, never the Syncer's
	syncPool *pgxpool.Pool
	redis    *redis.Client
	prefix   string
	reader   *redisbackend.Backend // reads go through the public Get, like an application's
	prof     *profile
	timed    *timedBackend

	stopSync func()
	syncDone sync.WaitGroup
	syncErrs []error // of each Syncer's Run, once stopped
}

// Open copies the dataset of cfg.Scale (loading it first if needed) into
// cfg.Database, installs capture there, and starts a Syncer into Redis.
func Open(ctx context.Context, cfg Config, logf func(string, ...any)) (_ *Env, err error) {
	e := &Env{cfg: cfg, Sizes: bench.ScaleSizes(cfg.Scale), prof: &profile{}}
	defer func() {
		if err != nil {
			e.Close(context.WithoutCancel(ctx))
		}
	}()
	// A source of our own: the shared dataset of denormbench cannot be
	// copied while another benchmark is connected to it.
	src := cfg.Database + "_src"
	if cfg.Scale != 1 {
		src += fmt.Sprintf("_s%d", cfg.Scale)
	}
	pool, err := bench.Ensure(ctx, cfg.AdminURL, src, e.Sizes, logf)
	if err != nil {
		return nil, err
	}
	pool.Close()
	start := time.Now()
	clone, err := bench.Clone(ctx, cfg.AdminURL, src, cfg.Database)
	if err != nil {
		return nil, err
	}
	base := clone.Config()
	clone.Close()
	logf("copied %s to %s in %s", src, cfg.Database, time.Since(start).Round(time.Millisecond))

	appCfg := base.Copy()
	appCfg.MaxConns = int32(cfg.Writers + 2)
	setCommit(appCfg, cfg.WriterCommit)
	if e.DB, err = pgxpool.NewWithConfig(ctx, appCfg); err != nil {
		return nil, fmt.Errorf("open %s: %w", cfg.Database, err)
	}
	if _, err := e.DB.Exec(ctx, benchdocs.InstallSQL); err != nil {
		return nil, fmt.Errorf("install capture: %w", err)
	}
	// The copy may carry changes of an earlier run; this one starts level.
	if _, err := e.DB.Exec(ctx, `TRUNCATE denorm.outbox`); err != nil {
		return nil, fmt.Errorf("empty the outbox: %w", err)
	}
	syncCfg := base.Copy()
	syncCfg.ConnConfig.Tracer = e.prof
	// Each Syncer holds its claiming and its snapshot transaction at once.
	syncCfg.MaxConns = max(syncCfg.MaxConns, int32(2*cfg.Syncers))
	setCommit(syncCfg, cfg.SyncerCommit)
	if e.syncPool, err = pgxpool.NewWithConfig(ctx, syncCfg); err != nil {
		return nil, fmt.Errorf("open %s: %w", cfg.Database, err)
	}

	e.redis = redis.NewClient(&redis.Options{Addr: cfg.RedisAddr})
	if err := e.redis.Ping(ctx).Err(); err != nil {
		return nil, fmt.Errorf("redis %s: %w", cfg.RedisAddr, err)
	}
	e.prefix = "denormlatency:" + randomHex() + ":"
	if e.reader, err = redisbackend.New(e.redis, redisbackend.WithPrefix(e.prefix)); err != nil {
		return nil, err
	}
	e.timed = newTimedBackend(e.reader, e.prof)
	e.startSyncer(ctx)
	return e, nil
}

func (e *Env) startSyncer(ctx context.Context) {
	var cols []denorm.Collection
	for _, c := range benchdocs.Collections() {
		cols = append(cols, timedCollection{Collection: c, prof: e.prof})
	}
	opts := []denorm.Option{denorm.WithLogger(slog.New(slog.DiscardHandler))}
	if e.cfg.SyncBatch > 0 {
		opts = append(opts, denorm.WithBatchSize(e.cfg.SyncBatch))
	}
	if e.cfg.SyncPoll > 0 {
		opts = append(opts, denorm.WithPollInterval(e.cfg.SyncPoll))
	}
	runCtx, cancel := context.WithCancel(ctx)
	e.stopSync = cancel
	errs := make([]error, max(1, e.cfg.Syncers))
	for i := range errs {
		s := denorm.NewSyncer(e.syncPool, e.timed, cols...).With(opts...)
		e.syncDone.Go(func() { errs[i] = s.Run(runCtx) })
	}
	e.syncErrs = errs
}

// Close stops the Syncer, deletes every Redis key under the prefix and the
// database copy.
func (e *Env) Close(ctx context.Context) error {
	var errs []error
	if e.stopSync != nil {
		e.stopSync()
		e.syncDone.Wait()
		errs = append(errs, e.syncErrs...)
	}
	if e.redis != nil {
		if e.prefix != "" {
			errs = append(errs, e.deleteKeys(ctx))
		}
		errs = append(errs, e.redis.Close())
	}
	for _, p := range []*pgxpool.Pool{e.DB, e.syncPool} {
		if p != nil {
			p.Close()
		}
	}
	if e.cfg.Database != "" {
		errs = append(errs, bench.Drop(ctx, e.cfg.AdminURL, e.cfg.Database))
	}
	return errors.Join(errs...)
}

// deleteKeys removes what the run left in Redis.
func (e *Env) deleteKeys(ctx context.Context) error {
	iter := e.redis.Scan(ctx, 0, e.prefix+"*", 1000).Iterator()
	var batch []string
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := e.redis.Unlink(ctx, batch...).Err()
		batch = batch[:0]
		return err
	}
	for iter.Next(ctx) {
		if batch = append(batch, iter.Val()); len(batch) == 1000 {
			if err := flush(); err != nil {
				return fmt.Errorf("redis cleanup: %w", err)
			}
		}
	}
	if err := errors.Join(iter.Err(), flush()); err != nil {
		return fmt.Errorf("redis cleanup: %w", err)
	}
	return nil
}

// RedisVersion is the server's version, for the report.
func (e *Env) RedisVersion(ctx context.Context) string {
	info, err := e.redis.InfoMap(ctx, "server").Result()
	if err != nil {
		return "unknown: " + err.Error()
	}
	return info["Server"]["redis_version"]
}

// Lag is the outbox's backlog, read on the application's pool.
func (e *Env) Lag(ctx context.Context) (int64, time.Duration, error) {
	return denorm.Lag(ctx, e.DB)
}

// waitDrained waits until the outbox is empty.
func (e *Env) waitDrained(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		rows, _, err := e.Lag(ctx)
		if err != nil {
			return err
		}
		if rows == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the outbox still holds %d changes after %s", rows, timeout)
		}
		if err := sleep(ctx, 50*time.Millisecond); err != nil {
			return err
		}
	}
}

func setCommit(c *pgxpool.Config, mode string) {
	if mode != "" {
		c.ConnConfig.RuntimeParams["synchronous_commit"] = mode
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func randomHex() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
