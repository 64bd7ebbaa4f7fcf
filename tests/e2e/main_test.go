//go:build e2e

// Package e2e holds the end-to-end tests: each drives the baid binary built by `make test`
// against nodes it starts itself on free 127.0.0.1 ports.
package e2e

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

var baidBin = flag.String("baid", "", "path of the baid binary under test (make test passes build/baid)")

func TestMain(m *testing.M) {
	flag.Parse()
	if *baidBin == "" {
		fmt.Fprintln(os.Stderr, "end-to-end tests need -baid=<path of a built baid>; run them with 'make test'")
		os.Exit(2)
	}
	abs, err := filepath.Abs(*baidBin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	*baidBin = abs
	os.Exit(m.Run())
}
