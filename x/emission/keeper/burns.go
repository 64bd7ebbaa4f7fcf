package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	corestore "cosmossdk.io/core/store"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	bankkeeper "github.com/cosmos/cosmos-sdk/x/bank/keeper"

	"github.com/balanceai/balanceai/x/emission/types"
)

// newRecordedBurns declares the recorded-burns map (source -> total burned of the mint denom).
func newRecordedBurns(sb *collections.SchemaBuilder) collections.Map[string, math.Int] {
	return collections.NewMap(sb, types.RecordedBurnsKey, "recorded_burns", collections.StringKey, sdk.IntValue)
}

// BurnRecorder counts, in the x/emission store, what the modules that keep no burn total of their
// own (x/staking, x/gov) burn of the mint denom, so that the supply summary accounts for every
// burn. The app hands each such module a bank keeper wrapped by BankKeeper. It only needs the
// x/emission store, so it can be built before the modules (and the x/emission keeper, which
// needs x/staking and x/distribution) are.
type BurnRecorder struct {
	params collections.Item[types.Params]
	burns  collections.Map[string, math.Int]
}

// NewBurnRecorder returns a recorder on the x/emission store.
func NewBurnRecorder(cdc codec.BinaryCodec, storeService corestore.KVStoreService) BurnRecorder {
	sb := collections.NewSchemaBuilder(storeService)
	r := BurnRecorder{
		params: collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		burns:  newRecordedBurns(sb),
	}
	if _, err := sb.Build(); err != nil {
		panic(err)
	}
	return r
}

// Record adds the mint-denom part of amt to the total of source.
func (r BurnRecorder) Record(ctx context.Context, source string, amt sdk.Coins) error {
	denom := types.DefaultMintDenom
	p, err := r.params.Get(ctx)
	switch {
	case err == nil:
		denom = p.MintDenom
	case !errors.Is(err, collections.ErrNotFound):
		return err
	}
	a := amt.AmountOf(denom)
	if !a.IsPositive() {
		return nil
	}
	return addBurn(ctx, r.burns, source, a)
}

func addBurn(ctx context.Context, m collections.Map[string, math.Int], source string, a math.Int) error {
	cur, err := m.Get(ctx, source)
	switch {
	case errors.Is(err, collections.ErrNotFound):
		cur = math.ZeroInt()
	case err != nil:
		return err
	}
	return m.Set(ctx, source, cur.Add(a))
}

// BankKeeper returns bk whose BurnCoins also records the burn under source (one of
// types.RecordedBurnSources). Give it to the module in place of the bank keeper.
func (r BurnRecorder) BankKeeper(bk bankkeeper.Keeper, source string) RecordingBankKeeper {
	if !types.IsRecordedBurnSource(source) {
		panic("x/emission: unknown recorded burn source " + source)
	}
	return RecordingBankKeeper{Keeper: bk, recorder: r, source: source}
}

// RecordingBankKeeper is a bank keeper whose burns are counted by x/emission.
type RecordingBankKeeper struct {
	bankkeeper.Keeper
	recorder BurnRecorder
	source   string
}

// BurnCoins burns like the bank keeper and records the burn.
func (b RecordingBankKeeper) BurnCoins(ctx context.Context, moduleName string, amt sdk.Coins) error {
	if err := b.Keeper.BurnCoins(ctx, moduleName, amt); err != nil {
		return err
	}
	return b.recorder.Record(ctx, b.source, amt)
}

// BurnedBySource returns what every source has burned of the mint denom since genesis, in the
// order of types.BurnSources: x/emission's fee burn, x/marketplace's totals (zero when no
// marketplace keeper is set) and the recorded totals of x/staking and x/gov.
func (k Keeper) BurnedBySource(ctx context.Context) ([]types.BurnTotal, error) {
	state, err := k.State.Get(ctx)
	if err != nil {
		return nil, err
	}
	regFees, slashes := math.ZeroInt(), math.ZeroInt()
	if k.marketplaceKeeper != nil {
		if regFees, slashes, err = k.marketplaceKeeper.BurnedTotals(ctx); err != nil {
			return nil, err
		}
	}
	out := []types.BurnTotal{
		{Source: types.BurnSourceFees, Amount: state.TotalBurned},
		{Source: types.BurnSourceListingRegistrationFees, Amount: regFees},
		{Source: types.BurnSourceListingSlashes, Amount: slashes},
	}
	for _, source := range types.RecordedBurnSources {
		amt, err := k.recordedBurn(ctx, source)
		if err != nil {
			return nil, err
		}
		out = append(out, types.BurnTotal{Source: source, Amount: amt})
	}
	return out, nil
}

func (k Keeper) recordedBurn(ctx context.Context, source string) (math.Int, error) {
	amt, err := k.RecordedBurns.Get(ctx, source)
	if errors.Is(err, collections.ErrNotFound) {
		return math.ZeroInt(), nil
	}
	return amt, err
}

// recordedBurnsList returns the recorded totals for the genesis, in the order of
// types.RecordedBurnSources, leaving out sources that never burned.
func (k Keeper) recordedBurnsList(ctx context.Context) ([]types.BurnTotal, error) {
	var out []types.BurnTotal
	for _, source := range types.RecordedBurnSources {
		amt, err := k.RecordedBurns.Get(ctx, source)
		if errors.Is(err, collections.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, types.BurnTotal{Source: source, Amount: amt})
	}
	return out, nil
}
