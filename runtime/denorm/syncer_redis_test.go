package denorm_test

import (
	"context"
	"fmt"
	"net"
	osexec "os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/denormgen/denormgen/runtime/backend/redisbackend"
	"github.com/redis/go-redis/v9"
)

// freePort returns a TCP port nothing listens on right now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// A redisServer is a redis-server process of the test's own, so that the
// test can kill it without disturbing anyone else.
type redisServer struct {
	t    *testing.T
	port int
	dir  string
	cmd  *osexec.Cmd
}

func newRedisServer(t *testing.T) *redisServer {
	t.Helper()
	if _, err := osexec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server is not installed")
	}
	r := &redisServer{t: t, port: freePort(t), dir: t.TempDir()}
	t.Cleanup(r.kill)
	return r
}

// start runs redis-server. It persists every write before acknowledging it
// (appendfsync always) into the test's directory, so that a killed and
// restarted server still has what the syncer was told was stored: any
// document missing afterwards was lost by the syncer, not by Redis.
func (r *redisServer) start() {
	r.t.Helper()
	r.cmd = osexec.Command("redis-server",
		"--port", strconv.Itoa(r.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "yes", "--appendfsync", "always",
		"--dir", r.dir)
	if err := r.cmd.Start(); err != nil {
		r.t.Fatalf("start redis-server: %v", err)
	}
	c := redis.NewClient(&redis.Options{Addr: r.addr()})
	defer c.Close()
	waitFor(r.t, "redis-server to accept connections", func() bool {
		return c.Ping(context.Background()).Err() == nil
	})
}

// kill stops the server the hard way, as a crash would.
func (r *redisServer) kill() {
	if r.cmd == nil {
		return
	}
	_ = r.cmd.Process.Kill()
	_ = r.cmd.Wait()
	r.cmd = nil
}

func (r *redisServer) addr() string { return fmt.Sprintf("127.0.0.1:%d", r.port) }

func (r *redisServer) backend() *redisbackend.Backend {
	r.t.Helper()
	c := redis.NewClient(&redis.Options{Addr: r.addr(), DialTimeout: time.Second, MaxRetries: -1})
	r.t.Cleanup(func() { c.Close() })
	b, err := redisbackend.New(c)
	if err != nil {
		r.t.Fatal(err)
	}
	return b
}
