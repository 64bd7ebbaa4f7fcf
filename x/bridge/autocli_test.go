package bridge_test

import (
	"testing"

	"github.com/balanceai/balanceai/testutil/modtest"
	"github.com/balanceai/balanceai/x/bridge"
)

// TestAutoCLIOptions checks the AutoCLI options against the protos (modtest.CheckAutoCLIOptions).
func TestAutoCLIOptions(t *testing.T) {
	modtest.CheckAutoCLIOptions(t, bridge.AppModule{}.AutoCLIOptions())
}
