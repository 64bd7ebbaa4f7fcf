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
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"

	"github.com/balanceai/balanceai/x/emission/types"
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

	// feeCollectorName is the module account whose fees are burned and paid out.
	feeCollectorName string
	// authority may update the params (the gov module address).
	authority string

	// Schema is the collections schema of the module store.
	Schema collections.Schema
	// Params are the module parameters.
	Params collections.Item[types.Params]
	// State is the issuance account.
	State collections.Item[types.State]
}

// NewKeeper builds the keeper. It panics if the authority is not a valid address or if one of
// the module accounts emission, models_fund, agents_fund, the fee collector or distribution is
// not registered with x/auth.
func NewKeeper(
	cdc codec.BinaryCodec,
	storeService corestore.KVStoreService,
	ak types.AccountKeeper,
	bk types.BankKeeper,
	dk types.DistributionKeeper,
	sk types.StakingKeeper,
	feeCollectorName string,
	authority string,
) Keeper {
	if _, err := ak.AddressCodec().StringToBytes(authority); err != nil {
		panic(fmt.Sprintf("x/emission: invalid authority address %q: %s", authority, err))
	}
	for _, name := range []string{types.ModuleName, types.ModelsFundName, types.AgentsFundName, feeCollectorName, distrtypes.ModuleName} {
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
		authority:        authority,
		Params:           collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		State:            collections.NewItem(sb, types.StateKey, "state", codec.CollValue[types.State](cdc)),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// GetAuthority returns the address allowed to update the params.
func (k Keeper) GetAuthority() string { return k.authority }

// Logger returns a module logger.
func (k Keeper) Logger(ctx context.Context) log.Logger {
	return sdk.UnwrapSDKContext(ctx).Logger().With("module", "x/"+types.ModuleName)
}

// checkAuthority refuses any signer but the authority.
func (k Keeper) checkAuthority(signer string) error {
	if signer != k.authority {
		return errorsmod.Wrapf(govtypes.ErrInvalidSigner, "invalid authority; expected %s, got %s", k.authority, signer)
	}
	return nil
}

// SetParams validates and stores new params. The state's derived fields (era, current daily
// emission, next halving) are recomputed for the new max_supply and daily_emission; issuance and
// the carried fraction are kept. A max_supply below the issuance, or a change of mint_denom once
// issuance is recorded, is refused.
func (k Keeper) SetParams(ctx context.Context, p types.Params) error {
	if err := p.Validate(); err != nil {
		return err
	}
	state, err := k.State.Get(ctx)
	if err != nil {
		return err
	}
	if state.Issued.GT(p.MaxSupply) {
		return errorsmod.Wrapf(types.ErrSupplyAboveMax, "max_supply %s is below the issued supply %s", p.MaxSupply, state.Issued)
	}
	old, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if old.MintDenom != p.MintDenom && !state.Issued.IsZero() {
		return errorsmod.Wrapf(types.ErrInvalidParams, "mint_denom cannot change from %s to %s: issuance is accounted in %s", old.MintDenom, p.MintDenom, old.MintDenom)
	}
	if err := k.Params.Set(ctx, p); err != nil {
		return err
	}
	return k.State.Set(ctx, withDerived(state, p))
}

// withDerived recomputes era, current_daily_emission and next_halving_at from issued.
func withDerived(s types.State, p types.Params) types.State {
	s.Era = types.EraForIssued(p.MaxSupply, s.Issued)
	s.NextHalvingAt = types.Threshold(p.MaxSupply, s.Era)
	if s.Issued.GTE(p.MaxSupply) {
		s.CurrentDailyEmission = math.ZeroInt()
	} else {
		s.CurrentDailyEmission = types.DailyEmissionForEra(p.DailyEmission, s.Era)
	}
	return s
}
