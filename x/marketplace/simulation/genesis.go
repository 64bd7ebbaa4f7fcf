// Package simulation holds x/marketplace's randomized genesis and its simsx message factories.
package simulation

import (
	"fmt"
	"math/rand"
	"slices"
	"time"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"

	"github.com/balanceai/balanceai/internal/simutil"
	"github.com/balanceai/balanceai/x/marketplace/types"
)

// ubai returns amount ubai.
func ubai(amount int64) sdk.Coin { return sdk.NewCoin(types.CollateralDenom, math.NewInt(amount)) }

// RandomParams returns random valid params, with collateral minimums the simulation's
// accounts can afford (1 to 500 BAI) and an unlock period the simulated blocks reach.
func RandomParams(r *rand.Rand) types.Params {
	return types.Params{
		MinModelCollateral:  ubai(1_000_000 * (1 + r.Int63n(500))),
		MinAgentCollateral:  ubai(1_000_000 * (1 + r.Int63n(250))),
		RegistrationFee:     ubai(r.Int63n(20_000_001)),
		MaxListingsPerOwner: uint64(5 + r.Intn(96)),
		MaxComponents:       uint64(r.Intn(17)),
		UnlockPeriod:        time.Duration(1+r.Intn(30*24)) * time.Hour,
		MaxUnlocksPerBlock:  uint64(1 + r.Intn(200)),
	}
}

// RandomListingFields fills the user-chosen fields of a listing with random valid values.
func RandomListingFields(r *rand.Rand, l *types.Listing) {
	l.Description = fmt.Sprintf("simulated listing %d", r.Int63())
	l.Task = simutil.Slug(r, 16)
	l.Tags = nil
	for i := r.Intn(types.MaxTags + 1); i > 0; i-- {
		if t := simutil.Slug(r, 12); !slices.Contains(l.Tags, t) {
			l.Tags = append(l.Tags, t)
		}
	}
	l.Endpoint = fmt.Sprintf("https://%s.example.com/v1", simutil.Slug(r, 20))
	l.MetadataCid = simutil.CID(r)
	l.Version = simutil.Semver(r)
	l.Access = types.AccessPolicy{
		MinStake:       math.NewInt(r.Int63n(3) * 1_000_000 * r.Int63n(1000)),
		RequestsPerDay: uint64(r.Intn(3) * r.Intn(1000)),
		Mode:           types.AccessModePublic,
	}
	if r.Intn(3) == 0 {
		l.Access.Mode = types.AccessModeAllowlist
	}
}

// RandomizedGenState writes a random x/marketplace genesis: random params and up to eight
// ACTIVE models of the simulation's accounts, whose collateral is added to the module
// account in the bank genesis.
func RandomizedGenState(simState *module.SimulationState) {
	r := simState.Rand
	var params types.Params
	simState.AppParams.GetOrGenerate("marketplace_params", &params, r, func(r *rand.Rand) { params = RandomParams(r) })

	gs := types.DefaultGenesisState()
	gs.Params = params
	gs.NextListingId = 1
	locked := math.ZeroInt()
	for i := r.Intn(9); i > 0 && len(simState.Accounts) > 0; i-- {
		owner := simState.Accounts[r.Intn(len(simState.Accounts))]
		l := types.Listing{
			Id:         gs.NextListingId,
			Kind:       types.ListingKindModel,
			Owner:      owner.Address.String(),
			Name:       fmt.Sprintf("genesis model %d", gs.NextListingId),
			Collateral: params.MinModelCollateral.AddAmount(math.NewInt(r.Int63n(100_000_000))),
			Status:     types.ListingStatusActive,
			CreatedAt:  simState.GenTimestamp.UTC(),
			UpdatedAt:  simState.GenTimestamp.UTC(),
		}
		RandomListingFields(r, &l)
		gs.Listings = append(gs.Listings, l)
		locked = locked.Add(l.Collateral.Amount)
		gs.NextListingId++
	}
	simutil.FundModuleAccount(simState, types.ModuleName, sdk.NewCoins(sdk.NewCoin(types.CollateralDenom, locked)))
	simState.GenState[types.ModuleName] = simState.Cdc.MustMarshalJSON(gs)
}
