package simulation_test

import (
	"testing"

	"github.com/balanceai/balanceai/internal/simutil"
	"github.com/balanceai/balanceai/x/bridge/simulation"
	"github.com/balanceai/balanceai/x/bridge/types"
)

// TestRandomizedGenStateIsValid draws the randomized genesis from many seeds: every one passes
// the module's genesis validation.
func TestRandomizedGenStateIsValid(t *testing.T) {
	simutil.CheckRandomizedGenesis[types.GenesisState](t, simulation.RandomizedGenState, types.ModuleName)
}
