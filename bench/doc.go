// Package bench is the benchmark of denormgen's loaders against the usual
// ways of building the same JSON documents: a deterministic bookstore dataset
// (schema.sql), its collection (denorm.yaml), and the code that loads it into
// PostgreSQL. The strategies live in package strategy, the runner in
// cmd/denormbench.
package bench
