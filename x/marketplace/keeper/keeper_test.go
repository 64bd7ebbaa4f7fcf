package keeper_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/address"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
	storetypes "cosmossdk.io/store/types"
	"github.com/stretchr/testify/require"
	"github.com/stretchr/testify/suite"

	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"

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
// Fakes of the expected keepers.

// fakeAccountKeeper knows a fixed set of module accounts.
type fakeAccountKeeper struct {
	cdc     address.Codec
	modules map[string]sdk.AccAddress
}

func newFakeAccountKeeper(names ...string) *fakeAccountKeeper {
	ak := &fakeAccountKeeper{cdc: addresscodec.NewBech32Codec("bai"), modules: map[string]sdk.AccAddress{}}
	for _, n := range names {
		ak.modules[n] = authtypes.NewModuleAddress(n)
	}
	return ak
}

func (f *fakeAccountKeeper) AddressCodec() address.Codec { return f.cdc }
func (f *fakeAccountKeeper) GetModuleAddress(name string) sdk.AccAddress {
	return f.modules[name]
}

// fakeBank tracks balances and total supply like x/bank does for the calls the
// marketplace makes; only the marketplace may burn (Burner permission).
type fakeBank struct {
	ak       *fakeAccountKeeper
	balances map[string]sdk.Coins
	supply   sdk.Coins
	blocked  map[string]bool
	// failSends makes sends to accounts fail (to test unlock retries).
	failSends bool
}

func newFakeBank(ak *fakeAccountKeeper) *fakeBank {
	return &fakeBank{ak: ak, balances: map[string]sdk.Coins{}, blocked: map[string]bool{}}
}

func (b *fakeBank) mint(addr sdk.AccAddress, amt sdk.Coins) {
	b.balances[string(addr)] = b.balances[string(addr)].Add(amt...)
	b.supply = b.supply.Add(amt...)
}

func (b *fakeBank) sub(addr sdk.AccAddress, amt sdk.Coins) error {
	bal := b.balances[string(addr)]
	if !bal.IsAllGTE(amt) {
		return errorsmod.Wrapf(sdkerrors.ErrInsufficientFunds, "spendable balance %s is smaller than %s", bal, amt)
	}
	b.balances[string(addr)] = bal.Sub(amt...)
	return nil
}

func (b *fakeBank) module(name string) sdk.AccAddress {
	addr := b.ak.modules[name]
	if addr == nil {
		panic(fmt.Sprintf("module account %s does not exist", name))
	}
	return addr
}

func (b *fakeBank) SendCoinsFromAccountToModule(_ context.Context, from sdk.AccAddress, mod string, amt sdk.Coins) error {
	to := b.module(mod)
	if err := b.sub(from, amt); err != nil {
		return err
	}
	b.balances[string(to)] = b.balances[string(to)].Add(amt...)
	return nil
}

func (b *fakeBank) SendCoinsFromModuleToAccount(_ context.Context, mod string, to sdk.AccAddress, amt sdk.Coins) error {
	if b.blocked[string(to)] || b.failSends {
		return errorsmod.Wrapf(sdkerrors.ErrUnauthorized, "%s is not allowed to receive funds", to)
	}
	if err := b.sub(b.module(mod), amt); err != nil {
		return err
	}
	b.balances[string(to)] = b.balances[string(to)].Add(amt...)
	return nil
}

func (b *fakeBank) SendCoinsFromModuleToModule(_ context.Context, from, to string, amt sdk.Coins) error {
	toAddr := b.module(to)
	if err := b.sub(b.module(from), amt); err != nil {
		return err
	}
	b.balances[string(toAddr)] = b.balances[string(toAddr)].Add(amt...)
	return nil
}

func (b *fakeBank) BurnCoins(_ context.Context, mod string, amt sdk.Coins) error {
	if mod != types.ModuleName {
		panic("module " + mod + " has no burner permission")
	}
	if err := b.sub(b.module(mod), amt); err != nil {
		return err
	}
	b.supply = b.supply.Sub(amt...)
	return nil
}

func (b *fakeBank) GetBalance(_ context.Context, addr sdk.AccAddress, denom string) sdk.Coin {
	return sdk.NewCoin(denom, b.balances[string(addr)].AmountOf(denom))
}

func (b *fakeBank) BlockedAddr(addr sdk.AccAddress) bool { return b.blocked[string(addr)] }

// snapshot copies all balances and the supply.
func (b *fakeBank) snapshot() (map[string]string, string) {
	m := map[string]string{}
	for k, v := range b.balances {
		m[k] = v.String()
	}
	return m, b.supply.String()
}

// ---------------------------------------------------------------------------
// Suite.

type KeeperSuite struct {
	suite.Suite

	ctx       sdk.Context
	key       *storetypes.KVStoreKey
	ak        *fakeAccountKeeper
	bank      *fakeBank
	k         keeper.Keeper
	msgs      types.MsgServer
	qs        types.QueryServer
	authority string
	addrs     []string // funded accounts
	gov       *fakeGov
}

func TestKeeperSuite(t *testing.T) { suite.Run(t, new(KeeperSuite)) }

func (s *KeeperSuite) SetupTest() {
	s.gov = newFakeGov()
	s.ctx, s.key, s.ak, s.bank, s.k = newKeeper(s.T(), keeper.WithGovProposals(s.gov))
	s.msgs = keeper.NewMsgServerImpl(s.k)
	s.qs = keeper.NewQueryServerImpl(s.k)
	s.authority = s.addr(authtypes.NewModuleAddress(govtypes.ModuleName))
	s.addrs = nil
	for i := 0; i < 4; i++ {
		a := sdk.AccAddress(fmt.Appendf(nil, "provider-address-%03d", i))
		s.bank.mint(a, sdk.NewCoins(sdk.NewInt64Coin("ubai", 100_000*bai), sdk.NewInt64Coin("uother", 1_000*bai)))
		s.addrs = append(s.addrs, s.addr(a))
	}
}

// newKeeper builds a keeper on a fresh in-memory store with default genesis.
func newKeeper(tb testing.TB, opts ...keeper.Option) (sdk.Context, *storetypes.KVStoreKey, *fakeAccountKeeper, *fakeBank, keeper.Keeper) {
	ctx, key, ak, bank, k, _ := newKeeperCMS(tb, opts...)
	return ctx, key, ak, bank, k
}

// newKeeperCMS is newKeeper that also returns the multistore, for tests that commit.
func newKeeperCMS(tb testing.TB, opts ...keeper.Option) (sdk.Context, *storetypes.KVStoreKey, *fakeAccountKeeper, *fakeBank, keeper.Keeper, storetypes.CommitMultiStore) {
	key := storetypes.NewKVStoreKey(types.StoreKey)
	tctx := testutil.DefaultContextWithDB(tb, key, storetypes.NewTransientStoreKey("transient_test"))
	ctx := tctx.Ctx.WithBlockTime(genesisTime).WithBlockHeight(1)
	enc := moduletestutil.MakeTestEncodingConfig(marketplace.AppModule{})
	ak := newFakeAccountKeeper(types.ModuleName, fundModule, govtypes.ModuleName)
	bank := newFakeBank(ak)
	authority, err := ak.cdc.BytesToString(authtypes.NewModuleAddress(govtypes.ModuleName))
	require.NoError(tb, err)
	k := keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), ak, bank, authority, opts...)
	require.NoError(tb, k.InitGenesis(ctx, types.DefaultGenesisState()))
	return ctx, key, ak, bank, k, tctx.CMS
}

func (s *KeeperSuite) addr(a sdk.AccAddress) string {
	str, err := s.ak.cdc.BytesToString(a)
	s.Require().NoError(err)
	return str
}

func (s *KeeperSuite) accAddr(a string) sdk.AccAddress {
	bz, err := s.ak.cdc.StringToBytes(a)
	s.Require().NoError(err)
	return bz
}

func (s *KeeperSuite) balance(a string) math.Int {
	return s.bank.GetBalance(s.ctx, s.accAddr(a), "ubai").Amount
}

func (s *KeeperSuite) moduleBalance() math.Int {
	return s.bank.GetBalance(s.ctx, s.ak.modules[types.ModuleName], "ubai").Amount
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
	store    map[string]string
	balances map[string]string
	supply   string
}

func (s *KeeperSuite) capture() state {
	b, sup := s.bank.snapshot()
	return state{store: s.storeDump(), balances: b, supply: sup}
}

func (s *KeeperSuite) invariant() {
	s.Require().NoError(s.k.CheckCollateral(s.ctx))
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
