// Package simulation holds x/emission's randomized genesis and the simulated governance
// proposal that updates its params (the module has no user Msgs).
package simulation

import (
	"math/rand"
	"time"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/types/module"

	"github.com/balanceai/balanceai/x/emission/types"
)

// RandomParams returns random valid params: the fixed 21 M cap, a daily emission of at most
// 2,480 BAI, a random split of the mint summing to exactly 1, a random fee burn share and an
// interval cap of at most a day.
func RandomParams(r *rand.Rand) types.Params {
	p := types.DefaultParams()
	// 1 BAI to 2,480 BAI a day.
	p.DailyEmission = math.NewInt(1_000_000 + r.Int63n(types.DefaultDailyEmission.Int64()-1_000_000+1))
	// Four shares in hundredths that sum to 100.
	cuts := []int64{r.Int63n(101), r.Int63n(101), r.Int63n(101)}
	for i := 1; i < len(cuts); i++ { // insertion sort: three cut points on [0, 100]
		for j := i; j > 0 && cuts[j] < cuts[j-1]; j-- {
			cuts[j], cuts[j-1] = cuts[j-1], cuts[j]
		}
	}
	p.StakingShare = math.LegacyNewDecWithPrec(cuts[0], 2)
	p.ModelsFundShare = math.LegacyNewDecWithPrec(cuts[1]-cuts[0], 2)
	p.AgentsFundShare = math.LegacyNewDecWithPrec(cuts[2]-cuts[1], 2)
	p.DevelopmentShare = math.LegacyNewDecWithPrec(100-cuts[2], 2)
	p.FeeBurnShare = math.LegacyNewDecWithPrec(r.Int63n(101), 2)
	if r.Intn(2) == 0 {
		p.ValidatorRewardMode = types.VALIDATOR_REWARD_MODE_EQUAL
	} else {
		p.ValidatorRewardMode = types.VALIDATOR_REWARD_MODE_PROPORTIONAL
	}
	p.MaxEmissionInterval = time.Duration(1+r.Int63n(int64(types.MaxEmissionIntervalLimit/time.Second))) * time.Second
	return p
}

// RandomizedGenState writes a random x/emission genesis: random params and a fresh state (the
// genesis supply is read from x/bank at InitGenesis, so it always matches the balances).
func RandomizedGenState(simState *module.SimulationState) {
	var params types.Params
	simState.AppParams.GetOrGenerate("emission_params", &params, simState.Rand, func(r *rand.Rand) { params = RandomParams(r) })
	gs := types.GenesisState{Params: params, State: types.NewState()}
	simState.GenState[types.ModuleName] = simState.Cdc.MustMarshalJSON(&gs)
}
