// Package simulation holds x/grants' randomized genesis and its simsx message factories.
package simulation

import (
	"math/rand"
	"time"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"

	"github.com/balanceai/balanceai/x/grants/types"
)

// RandomParams returns random valid params: shares in hundredths, deposits the simulation's
// accounts can afford, and voting and review periods that span a few simulated blocks.
func RandomParams(r *rand.Rand) types.Params {
	dec := func(lo, hi int64) math.LegacyDec { return math.LegacyNewDecWithPrec(lo+r.Int63n(hi-lo+1), 2) }
	return types.Params{
		Denom:                 types.DefaultDenom,
		EpochRewardShare:      dec(0, 100),
		CuratorRewardShare:    dec(0, 100),
		MinRewardScore:        uint32(r.Intn(101)),
		MaxGrantFraction:      dec(1, 100),
		GrantDeposit:          sdk.NewCoin(types.DefaultDenom, math.NewInt(r.Int63n(100_000_001))),
		VetoThreshold:         dec(1, 100),
		Quorum:                dec(1, 100),
		PassThreshold:         dec(0, 99),
		GrantVotingPeriod:     time.Duration(1+r.Intn(96)) * time.Hour,
		MilestoneReviewPeriod: time.Duration(1+r.Intn(96)) * time.Hour,
		MaxQueueItemsPerBlock: uint32(1 + r.Intn(200)),
	}
}

// RandomizedGenState writes a random x/grants genesis: random params and no grants or rewards
// yet (the funds fill from x/emission's split as the simulated blocks mint).
func RandomizedGenState(simState *module.SimulationState) {
	var params types.Params
	simState.AppParams.GetOrGenerate("grants_params", &params, simState.Rand, func(r *rand.Rand) { params = RandomParams(r) })
	gs := types.DefaultGenesisState()
	gs.Params = params
	simState.GenState[types.ModuleName] = simState.Cdc.MustMarshalJSON(gs)
}
