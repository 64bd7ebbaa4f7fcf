package keeper_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	storetypes "cosmossdk.io/store/types"
	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"

	"github.com/balanceai/balanceai/testutil/fakes"
	curationtypes "github.com/balanceai/balanceai/x/curation/types"
	"github.com/balanceai/balanceai/x/grants"
	"github.com/balanceai/balanceai/x/grants/keeper"
	"github.com/balanceai/balanceai/x/grants/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
	mkt "github.com/balanceai/balanceai/x/marketplace/types"
)

func TestMain(m *testing.M) {
	fakes.SetAddressPrefixes()
	os.Exit(m.Run())
}

const denom = "ubai"

// A valid CIDv1 and CIDv0.
const (
	cidV1 = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
	cidV0 = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"
)

// fixture is one grants keeper over a fresh in-memory store.
type fixture struct {
	t         testing.TB
	ctx       sdk.Context
	key       *storetypes.KVStoreKey
	k         keeper.Keeper
	bank      *fakes.Bank
	market    *fakes.Marketplace
	curation  *fakes.Curation
	msg       types.MsgServer
	query     types.QueryServer
	enc       moduletestutil.TestEncodingConfig
	authority string
	ak        *fakes.AccountKeeper
}

var blockTime = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// testFunds are the grant fund accounts the fixture's keeper is given (the app declares its own).
var testFunds = marketplacetypes.GrantFunds{Model: "models_fund", Agent: "agents_fund"}

var (
	modelsFund = authtypes.NewModuleAddress(testFunds.Model)
	agentsFund = authtypes.NewModuleAddress(testFunds.Agent)
	grantsAcc  = authtypes.NewModuleAddress(types.ModuleName)
)

func addr(name string) sdk.AccAddress { return sdk.AccAddress(fmt.Sprintf("%-20s", name)) }

func newFixture(t testing.TB) *fixture {
	t.Helper()
	key := storetypes.NewKVStoreKey(types.StoreKey)
	tctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test"))
	ctx := tctx.Ctx.WithBlockTime(blockTime).WithBlockHeight(10)
	enc := moduletestutil.MakeTestEncodingConfig(grants.AppModule{})
	ak := fakes.NewAccountKeeper(types.ModuleName, testFunds.Model, testFunds.Agent)
	f := &fixture{
		t: t, ctx: ctx, key: key, enc: enc, ak: ak,
		bank:      fakes.NewBank(),
		market:    fakes.NewMarketplace(nil),
		curation:  fakes.NewCuration(),
		authority: authtypes.NewModuleAddress(govtypes.ModuleName).String(),
	}
	f.k = keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), ak, f.bank, f.market, f.curation, testFunds, f.authority)
	f.msg = keeper.NewMsgServerImpl(f.k)
	f.query = keeper.NewQueryServerImpl(f.k)
	require.NoError(t, f.k.InitGenesis(ctx, types.DefaultGenesisState()))
	return f
}

func (f *fixture) addListing(id uint64, kind marketplacetypes.ListingKind, owner sdk.AccAddress, status marketplacetypes.ListingStatus) {
	f.market.Listings[id] = marketplacetypes.Listing{Id: id, Kind: kind, Owner: owner.String(), Status: status}
}

// bond sets c's curator bond in the current block, as a bond or unbond tx would: it counts
// in votes and reviews that open from the next block on.
func (f *fixture) bond(c sdk.AccAddress, amt int64) {
	f.curation.SetBond(c, f.ctx.BlockHeight(), math.NewInt(amt))
}

// fund credits amt ubai to addr.
func (f *fixture) fund(addr sdk.AccAddress, amt int64) { f.bank.Fund(addr, sdk.NewCoins(coin(amt))) }

// nextBlock moves to the next block, five seconds later.
func (f *fixture) nextBlock() { f.advance(5 * time.Second) }

// checkInvariants fails the test when any grants invariant is broken.
func (f *fixture) checkInvariants() {
	f.t.Helper()
	require.NoError(f.t, f.k.CheckInvariants(f.ctx))
}

// state renders the whole module state and every balance, to assert a refusal changed nothing.
func (f *fixture) state() string {
	f.t.Helper()
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(f.t, err)
	bz, err := f.enc.Codec.MarshalJSON(gs)
	require.NoError(f.t, err)
	return string(bz) + "|" + f.bank.Snapshot()
}

func (f *fixture) advance(d time.Duration) {
	f.ctx = f.ctx.WithBlockTime(f.ctx.BlockTime().Add(d)).WithBlockHeight(f.ctx.BlockHeight() + 1)
}

func (f *fixture) endBlock() {
	f.t.Helper()
	require.NoError(f.t, f.k.EndBlocker(f.ctx))
	f.checkInvariants()
}

func (f *fixture) grant(id uint64) types.Grant {
	f.t.Helper()
	g, err := f.k.GetGrant(f.ctx, id)
	require.NoError(f.t, err)
	return g
}

func (f *fixture) fundState(fund types.GrantFund) types.FundState {
	f.t.Helper()
	fs, err := f.k.GetFundState(f.ctx, fund)
	require.NoError(f.t, err)
	return fs
}

func coin(amt int64) sdk.Coin { return sdk.NewInt64Coin(denom, amt) }

func milestones(amts ...int64) []types.MilestoneInput {
	out := make([]types.MilestoneInput, len(amts))
	for i, a := range amts {
		out[i] = types.MilestoneInput{Amount: coin(a), Description: fmt.Sprintf("milestone %d", i)}
	}
	return out
}

func submitMsg(applicant sdk.AccAddress, fund types.GrantFund, listingID uint64, amts ...int64) *types.MsgSubmitGrant {
	return &types.MsgSubmitGrant{
		Applicant: applicant.String(), Fund: fund, ListingId: listingID,
		Title: "Multilingual fine-tune", DetailsCid: cidV1, Milestones: milestones(amts...),
	}
}

func (f *fixture) submit(m *types.MsgSubmitGrant) uint64 {
	f.t.Helper()
	res, err := f.msg.SubmitGrant(f.ctx, m)
	require.NoError(f.t, err)
	f.checkInvariants()
	return res.GrantId
}

func (f *fixture) vote(c sdk.AccAddress, id uint64, opt types.VoteOption) {
	f.t.Helper()
	_, err := f.msg.VoteGrant(f.ctx, &types.MsgVoteGrant{Curator: c.String(), GrantId: id, Option: opt})
	require.NoError(f.t, err)
	f.checkInvariants()
}

type pairKey = collections.Pair[int64, uint64]

// collectionsJoin is the voting queue key of a grant.
func collectionsJoin(g types.Grant) pairKey {
	s := g.VotingEnd.Unix()
	if g.VotingEnd.Nanosecond() > 0 {
		s++
	}
	return collections.Join(s, g.Id)
}

// payEpoch has the curation keeper complete epoch with res and runs the EndBlocker block after
// block until the epoch's payout has finished, checking the invariants after each block. It
// returns the failures the payout reported (EventEpochRewardsFailed) and the blocks it took.
func (f *fixture) payEpoch(epoch uint64, res curationtypes.EpochResults) (failed []*types.EventEpochRewardsFailed, blocks int) {
	f.t.Helper()
	res.Epoch = epoch
	f.curation.CompleteEpoch(res)
	for {
		require.Less(f.t, blocks, 100_000, "the payout of epoch %d never finished", epoch)
		blocks++
		ctx := f.ctx.WithEventManager(sdk.NewEventManager())
		require.NoError(f.t, f.k.EndBlocker(ctx))
		f.checkInvariants()
		for _, e := range ctx.EventManager().Events() {
			if e.Type != proto.MessageName(&types.EventEpochRewardsFailed{}) {
				continue
			}
			ev, err := sdk.ParseTypedEvent(abci.Event(e))
			require.NoError(f.t, err)
			failed = append(failed, ev.(*types.EventEpochRewardsFailed))
		}
		inProgress, err := f.k.Payout.Has(f.ctx)
		require.NoError(f.t, err)
		if _, waiting := f.curation.Completed[epoch]; !waiting && !inProgress {
			return failed, blocks
		}
	}
}

// pay pays epoch with res (payEpoch) and requires that nothing failed.
func (f *fixture) pay(epoch uint64, res curationtypes.EpochResults) {
	f.t.Helper()
	failed, _ := f.payEpoch(epoch, res)
	require.Empty(f.t, failed)
}

func epochWithListing(id uint64, score uint32) curationtypes.EpochResults {
	return curationtypes.EpochResults{Listings: []curationtypes.ListingEpochResult{listingResult(id, mkt.ListingKindModel, score)}}
}
