// Package latency measures how fresh denormgen keeps documents in Redis: the
// time from a write's commit to its document being readable there, under a
// steady open-loop stream of single-row writes, and how long (and with how
// much memory) one rename reaches every document of a large fan-out.
//
// Everything is real: a copy of the bookstore dataset in PostgreSQL with the
// install SQL applied, a denorm.Syncer running in this process, Redis under a
// random key prefix. The runner is cmd/denormlatency.
package latency
