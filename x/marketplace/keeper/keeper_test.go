package keeper_test

import (
	"fmt"
	"testing"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	storetypes "cosmossdk.io/store/types"
	"github.com/stretchr/testify/require"
	"github.com/stretchr/testify/suite"

	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"

	"github.com/balanceai/balanceai/testutil/fakes"
	"github.com/balanceai/balanceai/x/marketplace"
	"github.com/balanceai/balanceai/x/marketplace/keeper"
	"github.com/balanceai/balanceai/x/marketplace/types"
)

const (
	bai        = 1_000_000 // ubai per BAI
	testCIDv0  = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"
	testCIDv1  = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
	fundModule = "models_fund" // a module account that may receive slashed collateral
)

var genesisTime = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// ---------------------------------------------------------------------------
// Suite.

type KeeperSuite struct {
	suite.Suite

	ctx       sdk.Context
	key       *storetypes.KVStoreKey
	ak        *fakes.AccountKeeper
	bank      *fakes.Bank
	k         keeper.Keeper
	msgs      types.MsgServer
	qs        types.QueryServer
	authority string
	addrs     []string // funded accounts
	gov       *fakes.Gov
}

func TestKeeperSuite(t *testing.T) { suite.Run(t, new(KeeperSuite)) }

func (s *KeeperSuite) SetupTest() {
	s.gov = fakes.NewGov()
	s.ctx, s.key, s.ak, s.bank, s.k = newKeeper(s.T(), keeper.WithGovProposals(s.gov), keeper.WithGovSlashDestinations(fundModule))
	s.msgs = keeper.NewMsgServerImpl(s.k)
	s.qs = keeper.NewQueryServerImpl(s.k)
	s.authority = s.addr(authtypes.NewModuleAddress(govtypes.ModuleName))
	s.addrs = nil
	for i := 0; i < 4; i++ {
		a := sdk.AccAddress(fmt.Appendf(nil, "provider-address-%03d", i))
		s.bank.Fund(a, sdk.NewCoins(sdk.NewInt64Coin("ubai", 100_000*bai), sdk.NewInt64Coin("uother", 1_000*bai)))
		s.addrs = append(s.addrs, s.addr(a))
	}
}

// newKeeper builds a keeper on a fresh in-memory store with default genesis.
func newKeeper(tb testing.TB, opts ...keeper.Option) (sdk.Context, *storetypes.KVStoreKey, *fakes.AccountKeeper, *fakes.Bank, keeper.Keeper) {
	ctx, key, ak, bank, k, _ := newKeeperCMS(tb, opts...)
	return ctx, key, ak, bank, k
}

// newKeeperCMS is newKeeper that also returns the multistore, for tests that commit.
func newKeeperCMS(tb testing.TB, opts ...keeper.Option) (sdk.Context, *storetypes.KVStoreKey, *fakes.AccountKeeper, *fakes.Bank, keeper.Keeper, storetypes.CommitMultiStore) {
	key := storetypes.NewKVStoreKey(types.StoreKey)
	tctx := testutil.DefaultContextWithDB(tb, key, storetypes.NewTransientStoreKey("transient_test"))
	ctx := tctx.Ctx.WithBlockTime(genesisTime).WithBlockHeight(1)
	enc := moduletestutil.MakeTestEncodingConfig(marketplace.AppModule{})
	ak := fakes.NewAccountKeeper(types.ModuleName, fundModule, govtypes.ModuleName)
	bank := fakes.NewBank().WithAccounts(ak).WithBurners(types.ModuleName)
	authority, err := ak.AddressCodec().BytesToString(authtypes.NewModuleAddress(govtypes.ModuleName))
	require.NoError(tb, err)
	k := keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), ak, bank, authority, opts...)
	require.NoError(tb, k.InitGenesis(ctx, types.DefaultGenesisState()))
	return ctx, key, ak, bank, k, tctx.CMS
}

func (s *KeeperSuite) addr(a sdk.AccAddress) string {
	str, err := s.ak.AddressCodec().BytesToString(a)
	s.Require().NoError(err)
	return str
}

func (s *KeeperSuite) accAddr(a string) sdk.AccAddress {
	bz, err := s.ak.AddressCodec().StringToBytes(a)
	s.Require().NoError(err)
	return bz
}

func (s *KeeperSuite) balance(a string) math.Int {
	return s.bank.GetBalance(s.ctx, s.accAddr(a), "ubai").Amount
}

func (s *KeeperSuite) moduleBalance() math.Int {
	return s.bank.GetBalance(s.ctx, s.ak.GetModuleAddress(types.ModuleName), "ubai").Amount
}

// modelMsg is a valid model registration with 1,000 BAI collateral.
func modelMsg(owner string) *types.MsgRegisterListing {
	return &types.MsgRegisterListing{
		Owner:       owner,
		Kind:        types.ListingKindModel,
		Name:        "Llama Summariser",
		Description: "Summarises long documents.",
		Task:        "nlp",
		Tags:        []string{"llm", "summarisation"},
		Endpoint:    "https://node.example.com/v1",
		MetadataCid: testCIDv1,
		Version:     "1.0.0",
		Collateral:  sdk.NewInt64Coin("ubai", 1_000*bai),
		Access:      types.AccessPolicy{MinStake: math.NewInt(5 * bai), RequestsPerDay: 100, Mode: types.AccessModePublic},
	}
}

// agentMsg is a valid agent registration composing components with 500 BAI collateral.
func agentMsg(owner string, components ...uint64) *types.MsgRegisterListing {
	m := modelMsg(owner)
	m.Kind = types.ListingKindAgent
	m.Name = "Research Agent"
	m.Task = "financial"
	m.Tags = []string{"agent"}
	m.MetadataCid = testCIDv0
	m.Collateral = sdk.NewInt64Coin("ubai", 500*bai)
	m.Components = components
	return m
}

func (s *KeeperSuite) register(m *types.MsgRegisterListing) uint64 {
	res, err := s.msgs.RegisterListing(s.ctx, m)
	s.Require().NoError(err)
	return res.Id
}

func (s *KeeperSuite) listing(id uint64) types.Listing {
	l, err := s.k.GetListing(s.ctx, id)
	s.Require().NoError(err)
	return l
}

// storeDump is every key/value of the module store.
func (s *KeeperSuite) storeDump() map[string]string {
	out := map[string]string{}
	it := s.ctx.KVStore(s.key).Iterator(nil, nil)
	defer it.Close()
	for ; it.Valid(); it.Next() {
		out[string(it.Key())] = string(it.Value())
	}
	return out
}

// state captures the module store and all balances, to prove a refusal changed nothing.
type state struct {
	store map[string]string
	bank  string
}

func (s *KeeperSuite) capture() state {
	return state{store: s.storeDump(), bank: s.bank.Snapshot()}
}

func (s *KeeperSuite) invariant() {
	s.Require().NoError(s.k.CheckCollateral(s.ctx))
	s.Require().NoError(s.k.CheckIndexes(s.ctx))
	s.Require().NoError(s.k.CheckStatusHistory(s.ctx))
}

// rawListing writes (delta 1) or removes (delta -1) a live listing directly, bypassing
// validation, with the counters the indexes invariant checks and its status point.
func (s *KeeperSuite) rawListing(l types.Listing, delta int64) {
	kindStatus := collections.Join(int32(l.Kind), int32(l.Status))
	owner := s.accAddr(l.Owner)
	n, err := s.k.Counts.Get(s.ctx, kindStatus)
	if err != nil {
		s.Require().ErrorIs(err, collections.ErrNotFound)
	}
	live, err := s.k.OwnerLiveCount.Get(s.ctx, owner)
	if err != nil {
		s.Require().ErrorIs(err, collections.ErrNotFound)
	}
	point := collections.Join(l.Id, l.StatusSince())
	if delta > 0 {
		s.Require().NoError(s.k.Listings.Set(s.ctx, l.Id, l))
		s.Require().NoError(s.k.StatusHistory.Set(s.ctx, point, int32(l.Status)))
		n, live = n+1, live+1
	} else {
		s.Require().NoError(s.k.Listings.Remove(s.ctx, l.Id))
		s.Require().NoError(s.k.StatusHistory.Remove(s.ctx, point))
		n, live = n-1, live-1
	}
	s.Require().NoError(s.k.Counts.Set(s.ctx, kindStatus, n))
	s.Require().NoError(s.k.OwnerLiveCount.Set(s.ctx, owner, live))
}

// advance moves block time forward.
func (s *KeeperSuite) advance(d time.Duration) {
	s.ctx = s.ctx.WithBlockTime(s.ctx.BlockTime().Add(d)).WithBlockHeight(s.ctx.BlockHeight() + 1)
}

func (s *KeeperSuite) queueLen() int {
	n := 0
	s.Require().NoError(s.k.UnlockQueue.Walk(s.ctx, nil, func(collections.Pair[int64, uint64]) (bool, error) {
		n++
		return false, nil
	}))
	return n
}
