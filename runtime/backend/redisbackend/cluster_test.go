package redisbackend

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/denormgen/denormgen/runtime/backendtest"
	"github.com/denormgen/denormgen/runtime/denorm"
	"github.com/redis/go-redis/v9"
)

// testClusterClient connects to the Redis Cluster whose nodes
// REDIS_CLUSTER_ADDRS lists ("host:port,host:port,..."; .ci/run starts one
// of three masters) and deletes every key under the returned prefix, on
// every master, when t ends. Without it the test is skipped.
func testClusterClient(t *testing.T) (*redis.ClusterClient, string) {
	t.Helper()
	addrs := os.Getenv("REDIS_CLUSTER_ADDRS")
	if addrs == "" {
		t.Skip("REDIS_CLUSTER_ADDRS is not set: no Redis Cluster to test on")
	}
	client := redis.NewClusterClient(&redis.ClusterOptions{Addrs: strings.Split(addrs, ",")})
	ctx := context.Background()
	if err := client.Ping(ctx).Err(); err != nil {
		t.Fatalf("redis cluster at %s: %v", addrs, err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	prefix := "denormtest:" + hex.EncodeToString(b[:]) + ":"
	t.Cleanup(func() {
		defer client.Close()
		err := client.ForEachMaster(ctx, func(ctx context.Context, node *redis.Client) error {
			// One UNLINK per key, as keys of several slots cannot share
			// one, pipelined a thousand at a time.
			pipe := node.Pipeline()
			iter := node.Scan(ctx, 0, prefix+"*", 1000).Iterator()
			for iter.Next(ctx) {
				pipe.Unlink(ctx, iter.Val())
				if pipe.Len() == 1000 {
					if _, err := pipe.Exec(ctx); err != nil {
						return err
					}
				}
			}
			if _, err := pipe.Exec(ctx); err != nil {
				return err
			}
			return iter.Err()
		})
		if err != nil {
			t.Errorf("clean up %s*: %v", prefix, err)
		}
	})
	return client, prefix
}

// The backend on a Redis Cluster: each collection's keys share a hash tag,
// so that every script runs on one node, and the collections of one test
// spread over the masters.
func TestConformanceCluster(t *testing.T) {
	backendtest.RunWithOptions(t, backendtest.Options{MaxDocSize: 1 << 20}, func(t *testing.T) denorm.Backend {
		client, prefix := testClusterClient(t)
		b, err := New(client, WithPrefix(prefix), WithMaxDocSize(1<<20), WithPageSize(300))
		if err != nil {
			t.Fatal(err)
		}
		return b
	})
}

// Collections land in different slots, on different masters, and each
// still reads and writes whole.
func TestClusterSpreadsCollections(t *testing.T) {
	client, prefix := testClusterClient(t)
	ctx := context.Background()
	b, err := New(client, WithPrefix(prefix))
	if err != nil {
		t.Fatal(err)
	}
	nodes := map[string]bool{}
	for i := range 12 {
		col := "c" + string(rune('a'+i))
		docs := []denorm.Doc{{Key: "1", Version: 1, JSON: []byte(`{"id":1}`)}, {Key: "2", Version: 1, JSON: []byte(`{"id":2}`)}}
		if err := b.Put(ctx, col, docs); err != nil {
			t.Fatalf("put %s: %v", col, err)
		}
		got, err := b.Get(ctx, col, []string{"1", "2", "3"})
		if err != nil || len(got) != 2 {
			t.Fatalf("get %s: %d documents, %v", col, len(got), err)
		}
		var keys []string
		for k, err := range b.Keys(ctx, col) {
			if err != nil {
				t.Fatal(err)
			}
			keys = append(keys, k)
		}
		if len(keys) != 2 {
			t.Errorf("keys of %s: %q", col, keys)
		}
		slot := client.ClusterKeySlot(ctx, prefix+"{"+col+"}:keys").Val()
		shards, err := client.ClusterShards(ctx).Result()
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range shards {
			for _, r := range s.Slots {
				if slot >= r.Start && slot <= r.End {
					nodes[s.Nodes[0].ID] = true
				}
			}
		}
	}
	if len(nodes) < 2 {
		t.Errorf("12 collections all landed on %d master(s)", len(nodes))
	}
}
