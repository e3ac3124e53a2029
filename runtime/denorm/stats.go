package denorm

import "time"

// Stats counts what one Drain, FullSync or Run pass did.
type Stats struct {
	Changes   int           // changes processed and removed from the outbox (an outbox row holds up to 1,000)
	Rebuilt   int           // documents built and handed to every backend
	Deleted   int           // documents deleted because their root is gone
	Batches   int           // outbox batches committed
	FullSyncs int           // collections fully resynced (FullSync, or a TRUNCATE)
	Requeued  int           // roots put back in the outbox: a backend refused their document as too large
	Duration  time.Duration // wall time of the call

	// tooLarge holds, by collection, the roots whose document some backend
	// refused as too large, until they are put back in the outbox.
	tooLarge map[string][]string
}

// refused notes roots of collection whose documents a backend refused.
func (s *Stats) refused(collection string, keys []string) {
	if len(keys) == 0 {
		return
	}
	if s.tooLarge == nil {
		s.tooLarge = map[string][]string{}
	}
	s.tooLarge[collection] = append(s.tooLarge[collection], keys...)
}

func (s *Stats) add(o Stats) {
	s.Changes += o.Changes
	s.Rebuilt += o.Rebuilt
	s.Deleted += o.Deleted
	s.Batches += o.Batches
	s.FullSyncs += o.FullSyncs
	s.Requeued += o.Requeued
	for col, keys := range o.tooLarge {
		s.refused(col, keys)
	}
}

// A Report is what Verify found. Keys are sorted and appear once even when
// several backends disagree with the database about them.
type Report struct {
	Missing   []string // roots that exist but have no document in some backend
	Extra     []string // documents in some backend whose root does not exist
	Different []string // documents that differ from a fresh build
	Checked   int      // roots compared
}

// OK reports whether every backend matched the database.
func (r Report) OK() bool {
	return len(r.Missing) == 0 && len(r.Extra) == 0 && len(r.Different) == 0
}
