// Package schema turns denorm.yaml and the application's SQL DDL into a typed
// relation graph that the generator reads. It never panics on bad input: every
// problem is reported as a positioned Error, all at once, sorted.
package schema
