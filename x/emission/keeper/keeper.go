package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	corestore "cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/log"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"

	"github.com/balanceai/balanceai/x/emission/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// Keeper holds the x/emission state: the monetary policy (Params) and the running issuance
// account (State).
type Keeper struct {
	cdc          codec.BinaryCodec
	storeService corestore.KVStoreService

	authKeeper    types.AccountKeeper
	bankKeeper    types.BankKeeper
	distrKeeper   types.DistributionKeeper
	stakingKeeper types.StakingKeeper
	// marketplaceKeeper reports x/marketplace's burns for the supply summary (nil: none).
	marketplaceKeeper types.MarketplaceKeeper

	// feeCollectorName is the module account whose fees are burned and paid out.
	feeCollectorName string
	// funds are the grant fund accounts that receive the models and agents shares of the mint.
	funds marketplacetypes.GrantFunds
	// authority may update the params (the gov module address).
	authority string

	// Schema is the collections schema of the module store.
	Schema collections.Schema
	// Params are the module parameters.
	Params collections.Item[types.Params]
	// State is the issuance account.
	State collections.Item[types.State]
	// RecordedBurns are the burn totals of x/staking and x/gov (see BurnRecorder).
	RecordedBurns collections.Map[string, math.Int]
}

// NewKeeper builds the keeper. funds names the grant fund accounts (the app declares them). It
// panics if the authority is not a valid address, if funds is incomplete or if one of the module
// accounts emission, the two grant funds, the fee collector or distribution is not registered
// with x/auth.
func NewKeeper(
	cdc codec.BinaryCodec,
	storeService corestore.KVStoreService,
	ak types.AccountKeeper,
	bk types.BankKeeper,
	dk types.DistributionKeeper,
	sk types.StakingKeeper,
	feeCollectorName string,
	funds marketplacetypes.GrantFunds,
	authority string,
) Keeper {
	if _, err := ak.AddressCodec().StringToBytes(authority); err != nil {
		panic(fmt.Sprintf("x/emission: invalid authority address %q: %s", authority, err))
	}
	if err := funds.Validate(); err != nil {
		panic(fmt.Sprintf("x/emission: %s", err))
	}
	for _, name := range append([]string{types.ModuleName, feeCollectorName, distrtypes.ModuleName}, funds.Names()...) {
		if ak.GetModuleAddress(name) == nil {
			panic(fmt.Sprintf("x/emission: the %s module account has not been set", name))
		}
	}

	sb := collections.NewSchemaBuilder(storeService)
	k := Keeper{
		cdc:              cdc,
		storeService:     storeService,
		authKeeper:       ak,
		bankKeeper:       bk,
		distrKeeper:      dk,
		stakingKeeper:    sk,
		feeCollectorName: feeCollectorName,
		funds:            funds,
		authority:        authority,
		Params:           collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		State:            collections.NewItem(sb, types.StateKey, "state", codec.CollValue[types.State](cdc)),
		RecordedBurns:    newRecordedBurns(sb),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// SetMarketplaceKeeper returns the keeper reading x/marketplace's burn totals (registration fees
// and slashes) for the supply summary. x/marketplace is built after x/emission, hence a setter.
func (k Keeper) SetMarketplaceKeeper(mk types.MarketplaceKeeper) Keeper {
	k.marketplaceKeeper = mk
	return k
}

// GetAuthority returns the address allowed to update the params.
func (k Keeper) GetAuthority() string { return k.authority }

// Logger returns a module logger.
func (k Keeper) Logger(ctx context.Context) log.Logger {
	return sdk.UnwrapSDKContext(ctx).Logger().With("module", "x/"+types.ModuleName)
}

// SetParams validates and stores new params. max_supply is fixed (Params.Validate refuses any
// other cap), so the era, which follows issued alone, never moves. Once a halving has passed
// (era ≥ 1) daily_emission may be kept or lowered but not raised: a higher era-0 rate would lift
// the current rate back towards one already halved. A change of mint_denom once issuance is
// recorded is refused. The state's derived fields (current daily emission) are recomputed;
// issuance and the carried fraction are kept.
func (k Keeper) SetParams(ctx context.Context, p types.Params) error {
	if err := p.Validate(); err != nil {
		return err
	}
	state, err := k.State.Get(ctx)
	if err != nil {
		return err
	}
	old, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if old.MintDenom != p.MintDenom && !state.Issued.IsZero() {
		return errorsmod.Wrapf(types.ErrInvalidParams, "mint_denom cannot change from %s to %s: issuance is accounted in %s", old.MintDenom, p.MintDenom, old.MintDenom)
	}
	if state.Era > 0 && p.DailyEmission.GT(old.DailyEmission) {
		return errorsmod.Wrapf(types.ErrHalvingIrreversible,
			"daily_emission cannot rise from %s to %s in era %d: the rate would climb back above the halved one; keep or lower it",
			old.DailyEmission, p.DailyEmission, state.Era)
	}
	derived := withDerived(state, p)
	if derived.Era != state.Era {
		// Unreachable with a fixed max_supply; kept so that no update can ever move the era.
		return errorsmod.Wrapf(types.ErrHalvingIrreversible, "the update would move the era from %d to %d", state.Era, derived.Era)
	}
	if err := k.Params.Set(ctx, p); err != nil {
		return err
	}
	return k.State.Set(ctx, derived)
}

// withDerived recomputes era, current_daily_emission (and its exact form) and next_halving_at
// from issued.
func withDerived(s types.State, p types.Params) types.State {
	s.Era = types.EraForIssued(p.MaxSupply, s.Issued)
	s.NextHalvingAt = types.Threshold(p.MaxSupply, s.Era)
	if s.Issued.GTE(p.MaxSupply) {
		s.CurrentDailyEmission = math.ZeroInt()
		s.CurrentDailyEmissionExact = "0"
	} else {
		s.CurrentDailyEmission = types.DailyEmissionForEra(p.DailyEmission, s.Era)
		s.CurrentDailyEmissionExact = types.ExactDailyEmission(p.DailyEmission, s.Era)
	}
	return s
}
