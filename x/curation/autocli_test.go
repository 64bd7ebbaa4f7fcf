package curation_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/balanceai/balanceai/testutil/modtest"
	"github.com/balanceai/balanceai/x/curation"
)

// TestAutoCLIOptions checks the AutoCLI options against the protos (modtest.CheckAutoCLIOptions).
func TestAutoCLIOptions(t *testing.T) {
	modtest.CheckAutoCLIOptions(t, curation.AppModule{}.AutoCLIOptions())
	names := map[string]bool{}
	for _, c := range (curation.AppModule{}).GetTxCmd().Commands() {
		names[c.Name()] = true
	}
	require.True(t, names["commit-scores"] && names["reveal-scores"])
}
