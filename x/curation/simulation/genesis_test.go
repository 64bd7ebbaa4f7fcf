package simulation_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/balanceai/balanceai/internal/simutil"
	"github.com/balanceai/balanceai/x/curation/simulation"
	"github.com/balanceai/balanceai/x/curation/types"
)

// TestRandomizedGenStateIsValid draws the randomized genesis from many seeds: every one passes
// the module's genesis validation.
func TestRandomizedGenStateIsValid(t *testing.T) {
	for seed := int64(0); seed < 200; seed++ {
		var gs types.GenesisState
		simutil.RandomGenesis(t, seed, simulation.RandomizedGenState, types.ModuleName, &gs)
		require.NoError(t, gs.Validate(), "seed %d", seed)
	}
}
