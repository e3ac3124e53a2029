package latency

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/denormgen/denormgen/runtime/denorm"
)

// A watcher polls Redis for the documents of committed writes until each
// carries its write's marker: the moment a reader could see the write.
type watcher struct {
	reader denorm.Backend
	timed  *timedBackend
	poll   time.Duration

	mu       sync.Mutex
	pending  map[string][]*write
	reserved map[string]bool // rows a write not yet seen has written
	done     []*write
}

func newWatcher(reader denorm.Backend, timed *timedBackend, poll time.Duration) *watcher {
	return &watcher{reader: reader, timed: timed, poll: poll, pending: map[string][]*write{}, reserved: map[string]bool{}}
}

// add starts watching a committed write. One that changed no document (an
// author without books) is done at once.
func (w *watcher) add(wr *write) {
	w.mu.Lock()
	defer w.mu.Unlock()
	wr.left = len(wr.keys)
	if wr.left == 0 {
		w.finish(wr)
		return
	}
	for _, k := range wr.keys {
		w.pending[k] = append(w.pending[k], wr)
	}
}

// reserve claims the row named by lock ("author:7") for one write at a
// time: a second write to the same column before the first was seen would
// replace its marker, and the first would never be seen. The claim ends
// when the write is seen.
func (w *watcher) reserve(lock string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.reserved[lock] {
		return false
	}
	w.reserved[lock] = true
	return true
}

// waiting returns the number of documents still awaited.
func (w *watcher) waiting() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.pending)
}

// run polls until ctx ends.
func (w *watcher) run(ctx context.Context) error {
	t := time.NewTicker(w.poll)
	defer t.Stop()
	var keys []string
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		w.mu.Lock()
		keys = keys[:0]
		for k := range w.pending {
			keys = append(keys, k)
		}
		w.mu.Unlock()
		if len(keys) == 0 {
			continue
		}
		docs, err := w.reader.Get(ctx, collection, keys)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return fmt.Errorf("watch: %w", err)
		}
		w.seen(docs, time.Now())
	}
}

// seen settles the writes whose marker the documents read at now carry.
func (w *watcher) seen(docs map[string]denorm.Doc, now time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for k, d := range docs {
		waiting := w.pending[k]
		kept := waiting[:0]
		for _, wr := range waiting {
			if !bytes.Contains(d.JSON, wr.marker) {
				kept = append(kept, wr)
				continue
			}
			if put, ok := w.timed.putTime(k); ok && put.After(wr.putAt) {
				wr.putAt = put
			}
			if wr.left--; wr.left == 0 {
				wr.seenAt = now
				w.finish(wr)
			}
		}
		if len(kept) == 0 {
			delete(w.pending, k)
		} else {
			w.pending[k] = kept
		}
	}
}

func (w *watcher) finish(wr *write) {
	delete(w.reserved, wr.lock)
	w.done = append(w.done, wr)
}

// finished returns the writes seen so far and forgets them.
func (w *watcher) finished() []*write {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.done
	w.done = nil
	return out
}
