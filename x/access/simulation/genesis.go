// Package simulation holds x/access's randomized genesis and its simsx message factories.
package simulation

import (
	"math/rand"
	"time"

	"github.com/cosmos/cosmos-sdk/types/module"

	"github.com/balanceai/balanceai/x/access/types"
)

// RandomParams returns random valid params: small operator sets and messages, and a receipt
// retention of one to sixty days, so that the simulated blocks prune receipts.
func RandomParams(r *rand.Rand) types.Params {
	return types.Params{
		MaxOperators:       uint32(1 + r.Intn(16)),
		MaxAllowlistUpdate: uint32(1 + r.Intn(100)),
		MaxReceiptsPerMsg:  uint32(1 + r.Intn(100)),
		ReceiptRetention:   time.Duration(24+r.Intn(59*24)) * time.Hour,
		MaxPrunesPerBlock:  uint32(1 + r.Intn(200)),
		MaxUnitsPerRecord:  uint64(1 + r.Intn(1_000_000)),
	}
}

// RandomizedGenState writes a random x/access genesis: random params and no usage yet
// (operators and allowlists refer to listings, which the simulated transactions create).
func RandomizedGenState(simState *module.SimulationState) {
	var params types.Params
	simState.AppParams.GetOrGenerate("access_params", &params, simState.Rand, func(r *rand.Rand) { params = RandomParams(r) })
	gs := types.DefaultGenesisState()
	gs.Params = params
	simState.GenState[types.ModuleName] = simState.Cdc.MustMarshalJSON(gs)
}
