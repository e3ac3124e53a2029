// Command denormgen generates typed, denormalized document loaders and
// change-capture SQL from denorm.yaml and the application's SQL schema.
//
//	//go:generate go run github.com/denormgen/denormgen/cmd/denormgen
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
