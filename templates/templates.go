// Package templates holds the SQL templates of the install script (change
// capture: the outbox, one trigger function per tracked table, its triggers
// and the removal of stale ones). They are embedded so that the generator
// and the CLI need nothing but their binary; gen/capture.go fills them.
package templates

import "embed"

// FS holds every *.sql.tmpl file of this folder.
//
//go:embed *.sql.tmpl
var FS embed.FS
