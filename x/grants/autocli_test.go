package grants_test

import (
	"testing"

	"github.com/balanceai/balanceai/testutil/modtest"
	"github.com/balanceai/balanceai/x/grants"
)

// TestAutoCLIOptions checks the AutoCLI options against the protos (modtest.CheckAutoCLIOptions).
func TestAutoCLIOptions(t *testing.T) {
	modtest.CheckAutoCLIOptions(t, grants.AppModule{}.AutoCLIOptions())
}
