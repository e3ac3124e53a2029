package latency

import (
	"context"
	"fmt"
)

// explainUnseen describes up to n writes still pending after the grace
// period: each key's document as Redis holds it now, next to the marker it
// lacks, and the outbox backlog. A write that stays unseen with an empty
// outbox is a stale document, which the Syncer must never leave behind.
func (e *Env) explainUnseen(ctx context.Context, w *watcher, n int) ([]string, error) {
	w.mu.Lock()
	var keys []string
	markers := map[string][]string{}
	for k, ws := range w.pending {
		for _, wr := range ws {
			markers[k] = append(markers[k], fmt.Sprintf("write %d (%s) wants %s", wr.seq, wr.kind, wr.marker))
		}
		if len(keys) < n {
			keys = append(keys, k)
		}
	}
	w.mu.Unlock()
	if len(keys) == 0 {
		return nil, nil
	}
	rows, _, err := e.Lag(ctx)
	if err != nil {
		return nil, err
	}
	docs, err := e.reader.Get(ctx, collection, keys)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, k := range keys {
		doc, ok := docs[k]
		have := "no document"
		if ok {
			have = fmt.Sprintf("version %d: %s", doc.Version, doc.JSON)
		}
		out = append(out, fmt.Sprintf("book %s (outbox %d changes): %v; Redis has %s", k, rows, markers[k], have))
	}
	return out, nil
}
