package keeper_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	storetypes "cosmossdk.io/store/types"
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

// bondChange is a curator's bond from the end of block height on.
type bondChange struct {
	height int64
	bond   math.Int
}

// fakeCuration keeps every curator's bond history by block height, as x/curation's snapshots
// do: a change made in block h is the bond at the end of block h.
type fakeCuration struct {
	history map[string][]bondChange
	// completed are the completed epochs' results waiting to be collected, by epoch.
	completed map[uint64]curationtypes.EpochResults
}

// complete makes an epoch's results available to the grants EndBlocker, as x/curation does
// when it completes an epoch.
func (c *fakeCuration) complete(r curationtypes.EpochResults) {
	if c.completed == nil {
		c.completed = map[uint64]curationtypes.EpochResults{}
	}
	c.completed[r.Epoch] = r
}

func (c *fakeCuration) NextCompletedEpoch(context.Context) (uint64, bool, error) {
	first, ok := uint64(0), false
	for e := range c.completed {
		if !ok || e < first {
			first, ok = e, true
		}
	}
	return first, ok, nil
}

func (c *fakeCuration) EpochResults(_ context.Context, epoch uint64) (curationtypes.EpochResults, error) {
	r, ok := c.completed[epoch]
	if !ok {
		return curationtypes.EpochResults{}, curationtypes.ErrEpochNotCompleted
	}
	return r, nil
}

func (c *fakeCuration) ReleaseEpochResults(_ context.Context, epoch uint64) error {
	if _, ok := c.completed[epoch]; !ok {
		return curationtypes.ErrEpochNotCompleted
	}
	delete(c.completed, epoch)
	return nil
}

// set records c's bond as changed in block height.
func (c *fakeCuration) set(curator sdk.AccAddress, height int64, amt math.Int) {
	h := c.history[curator.String()]
	if n := len(h); n > 0 && h[n-1].height == height {
		h[n-1].bond = amt
	} else {
		h = append(h, bondChange{height: height, bond: amt})
	}
	c.history[curator.String()] = h
}

// at returns the bond at the end of block height (zero before the first bond).
func (c *fakeCuration) at(curator string, height int64) math.Int {
	bond := math.ZeroInt()
	for _, ch := range c.history[curator] {
		if ch.height > height {
			break
		}
		bond = ch.bond
	}
	return bond
}

// current returns the latest bond.
func (c *fakeCuration) current(curator string) math.Int {
	h := c.history[curator]
	if len(h) == 0 {
		return math.ZeroInt()
	}
	return h[len(h)-1].bond
}

func (c *fakeCuration) GetCurator(_ context.Context, curator sdk.AccAddress, canon string) (curationtypes.Curator, bool, error) {
	if b := c.current(curator.String()); b.IsPositive() {
		return curationtypes.Curator{Address: canon, Bond: b, Reputation: math.LegacyOneDec()}, true, nil
	}
	return curationtypes.Curator{Address: canon, Bond: math.ZeroInt(), Reputation: math.LegacyNewDecWithPrec(5, 1)}, false, nil
}

func (c *fakeCuration) BondAt(_ context.Context, curator sdk.AccAddress, height int64) (math.Int, error) {
	return c.at(curator.String(), height-1), nil
}

func (c *fakeCuration) TotalBondedAt(_ context.Context, height int64) (math.Int, error) {
	t := math.ZeroInt()
	for a := range c.history {
		t = t.Add(c.at(a, height-1))
	}
	return t, nil
}

func (c *fakeCuration) VotingWeight(_ context.Context, curator sdk.AccAddress, openedHeight int64) (math.Int, error) {
	then, now := c.at(curator.String(), openedHeight-1), c.current(curator.String())
	return math.MinInt(then, now), nil
}

// fixture is one grants keeper over a fresh in-memory store.
type fixture struct {
	t         testing.TB
	ctx       sdk.Context
	key       *storetypes.KVStoreKey
	k         keeper.Keeper
	bank      *fakes.Bank
	market    *fakes.Marketplace
	curation  *fakeCuration
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
		curation:  &fakeCuration{history: map[string][]bondChange{}},
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
	f.curation.set(c, f.ctx.BlockHeight(), math.NewInt(amt))
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

func epochWithListing(id uint64, score uint32) curationtypes.EpochResults {
	return curationtypes.EpochResults{Listings: []curationtypes.ListingEpochResult{listingResult(id, mkt.ListingKindModel, score)}}
}
