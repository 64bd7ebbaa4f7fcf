package keeper_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	storetypes "cosmossdk.io/store/types"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"

	"github.com/balanceai/balanceai/testutil/fakes"
	"github.com/balanceai/balanceai/x/curation"
	"github.com/balanceai/balanceai/x/curation/keeper"
	"github.com/balanceai/balanceai/x/curation/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

func TestMain(m *testing.M) {
	fakes.SetAddressPrefixes()
	os.Exit(m.Run())
}

const bai = int64(1_000_000)

// testFunds are the grant fund accounts the fixture's keeper is given (the app declares its own).
var testFunds = marketplacetypes.GrantFunds{Model: "models_fund", Agent: "agents_fund"}

// recordingHook stands in for x/grants: after each EndBlocker it takes the results of the
// completed epochs from the keeper, two at a time, records them and releases the epochs (off:
// it collects nothing).
type recordingHook struct {
	calls []types.EpochResults
	off   bool
}

func (h *recordingHook) collect(tb testing.TB, ctx sdk.Context, k keeper.Keeper) {
	tb.Helper()
	for !h.off {
		epoch, ok, err := k.NextCompletedEpoch(ctx)
		require.NoError(tb, err)
		if !ok {
			return
		}
		r := types.EpochResults{Epoch: epoch}
		for more := true; more; {
			part, m, err := k.TakeEpochResults(ctx, epoch, 2)
			require.NoError(tb, err)
			require.LessOrEqual(tb, len(part.Listings)+len(part.Curators), 2)
			r.Listings = append(r.Listings, part.Listings...)
			r.Curators = append(r.Curators, part.Curators...)
			more = m
		}
		left, err := k.EpochResults(ctx, epoch)
		require.NoError(tb, err)
		require.Empty(tb, left.Listings, "taken results are deleted")
		require.Empty(tb, left.Curators, "taken results are deleted")
		h.calls = append(h.calls, r)
		require.NoError(tb, k.ReleaseEpochResults(ctx, epoch))
	}
}

var t0 = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

// testChainID is the fixture's chain id, part of every score commitment.
const testChainID = "balanceai-test-1"

// fixture is one curation keeper over a fresh in-memory store.
type fixture struct {
	t        testing.TB
	ctx      sdk.Context
	k        keeper.Keeper
	bank     *fakes.Bank
	market   *fakes.Marketplace
	hook     *recordingHook
	msg      types.MsgServer
	query    types.QueryServer
	enc      moduletestutil.TestEncodingConfig
	gov      string
	curators []sdk.AccAddress
	owner    sdk.AccAddress
	flagger  sdk.AccAddress
}

func newFixture(tb testing.TB) *fixture {
	return newFixtureWith(tb, types.DefaultGenesisState())
}

func newFixtureWith(tb testing.TB, gs *types.GenesisState) *fixture {
	return newFixtureAt(tb, gs, 1)
}

// newFixtureAt is newFixtureWith with the genesis imported at the given block height (a chain
// that starts at initial_height imports its genesis at that height).
func newFixtureAt(tb testing.TB, gs *types.GenesisState, height int64) *fixture {
	key := storetypes.NewKVStoreKey(types.StoreKey)
	tctx := testutil.DefaultContextWithDB(tb, key, storetypes.NewTransientStoreKey("transient_test"))
	ctx := tctx.Ctx.WithBlockTime(t0).WithBlockHeight(height).WithChainID(testChainID)
	enc := moduletestutil.MakeTestEncodingConfig(curation.AppModule{})
	bank := fakes.NewBank()
	market := fakes.NewMarketplace(bank)
	gov := authtypes.NewModuleAddress(govtypes.ModuleName).String()
	k := keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), fakes.NewAccountKeeper(types.ModuleName, testFunds.Model, testFunds.Agent, marketplacetypes.ModuleName), bank, market, testFunds, gov)
	hook := &recordingHook{}
	f := &fixture{t: tb, ctx: ctx, k: k, bank: bank, market: market, hook: hook, msg: keeper.NewMsgServerImpl(k),
		query: keeper.NewQueryServerImpl(k), enc: enc, gov: gov}
	require.NoError(tb, k.InitGenesis(ctx, gs))
	for i := 0; i < 6; i++ {
		a := sdk.AccAddress(fmt.Sprintf("curator%013d", i))
		f.curators = append(f.curators, a)
		bank.Fund(a, sdk.NewCoins(sdk.NewInt64Coin("ubai", 100_000*bai)))
	}
	f.owner = sdk.AccAddress("listing-owner-000000")
	f.flagger = sdk.AccAddress("flagger-000000000000")
	bank.Fund(f.flagger, sdk.NewCoins(sdk.NewInt64Coin("ubai", 10_000*bai)))
	// Listings 1-3 are MODEL, 4 is AGENT, 5 is PAUSED, 6 is owned by curator 0; all registered and
	// updated before t0.
	for id := uint64(1); id <= 6; id++ {
		l := marketplacetypes.Listing{Id: id, Kind: marketplacetypes.ListingKindModel, Owner: f.owner.String(),
			Status: marketplacetypes.ListingStatusActive, Collateral: sdk.NewInt64Coin("ubai", 1_000*bai),
			CreatedAt: t0.Add(-time.Hour), UpdatedAt: t0.Add(-time.Hour)}
		switch id {
		case 4:
			l.Kind = marketplacetypes.ListingKindAgent
		case 5:
			l.Status = marketplacetypes.ListingStatusPaused
		case 6:
			l.Owner = f.curators[0].String()
		}
		f.addListing(l)
	}
	return f
}

func (f *fixture) addListing(l marketplacetypes.Listing) {
	f.market.AddListing(l)
	f.bank.Fund(authtypes.NewModuleAddress("marketplace"), sdk.NewCoins(l.Collateral))
}

// block runs BeginBlock and EndBlock at time t (and keeps t as the fixture's time).
func (f *fixture) block(t time.Time) {
	f.t.Helper()
	f.ctx = f.ctx.WithBlockTime(t).WithBlockHeight(f.ctx.BlockHeight() + 1)
	require.NoError(f.t, f.k.BeginBlocker(f.ctx))
	require.NoError(f.t, f.k.EndBlocker(f.ctx))
	f.hook.collect(f.t, f.ctx, f.k)
}

// at moves the fixture clock without running blocks (for txs).
func (f *fixture) at(t time.Time) { f.ctx = f.ctx.WithBlockTime(t) }

func (f *fixture) bond(i int, amt int64) {
	f.t.Helper()
	_, err := f.msg.BondCurator(f.ctx, &types.MsgBondCurator{Curator: f.curators[i].String(), Amount: sdk.NewInt64Coin("ubai", amt)})
	require.NoError(f.t, err)
}

func (f *fixture) curator(i int) types.Curator {
	f.t.Helper()
	c, err := f.k.Curators.Get(f.ctx, f.curators[i])
	require.NoError(f.t, err)
	return c
}

func (f *fixture) epoch() types.Epoch {
	f.t.Helper()
	e, err := f.k.CurrentEpoch.Get(f.ctx)
	require.NoError(f.t, err)
	return e
}

func scores(pairs ...uint64) []types.ListingScoreEntry {
	out := []types.ListingScoreEntry{}
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, types.ListingScoreEntry{ListingId: pairs[i], Score: uint32(pairs[i+1])})
	}
	return out
}

func (f *fixture) commit(i int, salt string, s []types.ListingScoreEntry) error {
	e := f.epoch()
	_, err := f.msg.CommitScores(f.ctx, &types.MsgCommitScores{Curator: f.curators[i].String(), Epoch: e.Number,
		Commitment: types.ComputeCommitment(f.curators[i].String(), testChainID, salt, e.Number, s)})
	return err
}

func (f *fixture) reveal(i int, salt string, s []types.ListingScoreEntry) error {
	_, err := f.msg.RevealScores(f.ctx, &types.MsgRevealScores{Curator: f.curators[i].String(), Epoch: f.epoch().Number, Salt: salt, Scores: s})
	return err
}

// dump exports the genesis, to compare whole states.
func (f *fixture) dump() string {
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(f.t, err)
	return string(f.enc.Codec.MustMarshalJSON(gs)) + f.bank.Snapshot()
}

func (f *fixture) checkInvariant() {
	f.t.Helper()
	require.NoError(f.t, f.k.CheckAccounting(f.ctx))
	require.NoError(f.t, f.k.CheckFlagHolds(f.ctx))
}
