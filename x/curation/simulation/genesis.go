// Package simulation holds x/curation's randomized genesis and its simsx message factories.
package simulation

import (
	"math/rand"
	"time"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"

	"github.com/balanceai/balanceai/internal/simutil"
	"github.com/balanceai/balanceai/x/curation/types"
)

func ubai(amount int64) sdk.Coin { return sdk.NewCoin(types.Denom, math.NewInt(amount)) }

// randomFraction returns a random decimal in [lo, 1] hundredths, lo in hundredths.
func randomFraction(r *rand.Rand, lo int64) math.LegacyDec {
	return math.LegacyNewDecWithPrec(lo+r.Int63n(101-lo), 2)
}

// RandomParams returns random valid params: bonds and deposits the simulation's accounts can
// afford, and epochs, reveals, unbondings and flag votes that span a few simulated blocks
// (a simulated block lasts about 1.5 to 3 hours).
func RandomParams(r *rand.Rand) types.Params {
	epoch := time.Duration(6+r.Intn(43)) * time.Hour
	return types.Params{
		MinCuratorBond:         ubai(1_000_000 * (1 + r.Int63n(1_000))),
		CuratorUnbondingPeriod: time.Duration(1+r.Intn(14*24)) * time.Hour,
		EpochDuration:          epoch,
		RevealDuration:         time.Duration(2+r.Int63n(int64(epoch/time.Hour)/2-1)) * time.Hour,
		MaxScoresPerEpoch:      uint32(1 + r.Intn(64)),
		MinCuratorsPerListing:  uint32(1 + r.Intn(3)),
		ScoreEmaAlpha:          randomFraction(r, 1),
		AgreementBand:          uint32(r.Intn(types.MaxScore + 1)),
		ReputationEmaAlpha:     randomFraction(r, 1),
		NoRevealSlash:          math.LegacyNewDecWithPrec(r.Int63n(11), 2),
		MinFlagDeposit:         ubai(1_000_000 * (1 + r.Int63n(100))),
		FlagVotingPeriod:       time.Duration(1+r.Intn(72)) * time.Hour,
		FlagSlashFraction:      randomFraction(r, 1),
		FlaggerRewardShare:     randomFraction(r, 0),
		MaxQueueItemsPerBlock:  uint32(1 + r.Intn(200)),
		MaxEpochWorkPerBlock:   uint32(types.MinEpochWorkPerBlock + r.Intn(10_000)),
	}
}

// RandomizedGenState writes a random x/curation genesis: random params and up to five
// simulation accounts bonded as curators, whose bonds are added to the module account in the
// bank genesis (InitGenesis checkpoints them at the genesis height).
func RandomizedGenState(simState *module.SimulationState) {
	r := simState.Rand
	var params types.Params
	simState.AppParams.GetOrGenerate("curation_params", &params, r, func(r *rand.Rand) { params = RandomParams(r) })
	gs := types.DefaultGenesisState()
	gs.Params = params
	bonded := math.ZeroInt()
	seen := map[string]bool{}
	for i := r.Intn(6); i > 0 && len(simState.Accounts) > 0; i-- {
		addr := simState.Accounts[r.Intn(len(simState.Accounts))].Address.String()
		if seen[addr] {
			continue
		}
		seen[addr] = true
		bond := params.MinCuratorBond.Amount.Add(math.NewInt(r.Int63n(1_000_000_000)))
		gs.Curators = append(gs.Curators, types.Curator{
			Address: addr, Bond: bond, Unbonding: math.ZeroInt(), Slashed: math.ZeroInt(),
			Reputation: types.InitialReputation, LastAgreement: math.LegacyZeroDec(),
		})
		bonded = bonded.Add(bond)
	}
	simutil.FundModuleAccount(simState, types.ModuleName, sdk.NewCoins(sdk.NewCoin(types.Denom, bonded)))
	simState.GenState[types.ModuleName] = simState.Cdc.MustMarshalJSON(gs)
}
