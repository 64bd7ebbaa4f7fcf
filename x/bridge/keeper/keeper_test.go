package keeper_test

import (
	"fmt"
	"os"
	"testing"
	"time"

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
	"github.com/balanceai/balanceai/x/bridge"
	"github.com/balanceai/balanceai/x/bridge/keeper"
	"github.com/balanceai/balanceai/x/bridge/types"
)

func TestMain(m *testing.M) {
	fakes.SetAddressPrefixes()
	os.Exit(m.Run())
}

// Valid EIP-55 vectors (from the EIP) and a wrongly checksummed variant.
const (
	ethAddrChecksummed = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
	ethAddrLower       = "0xde709f2102306220921060314715629080e2fb77"
	ethAddrUpper       = "0x52908400098527886E0F7030069857D2E4169EE7"
	ethAddrBadSum      = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"
	tokenContract      = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
)

// fixture is one bridge keeper over a fresh in-memory store.
type fixture struct {
	ctx       sdk.Context
	k         keeper.Keeper
	bank      *fakes.Bank
	msg       types.MsgServer
	query     types.QueryServer
	cdc       moduletestutil.TestEncodingConfig
	authority string
	attesters []sdk.AccAddress
	users     []sdk.AccAddress
}

var blockTime = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// newFixture builds an enabled bridge: 3 attesters, threshold 2, and funded users.
func newFixture(tb testing.TB) *fixture {
	key := storetypes.NewKVStoreKey(types.StoreKey)
	tctx := testutil.DefaultContextWithDB(tb, key, storetypes.NewTransientStoreKey("transient_test"))
	ctx := tctx.Ctx.WithBlockTime(blockTime).WithBlockHeight(10)
	enc := moduletestutil.MakeTestEncodingConfig(bridge.AppModule{})
	bank := fakes.NewBank()
	authority := authtypes.NewModuleAddress(govtypes.ModuleName).String()
	k := keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), fakes.NewAccountKeeper(), bank, authority)
	f := &fixture{ctx: ctx, k: k, bank: bank, msg: keeper.NewMsgServerImpl(k), query: keeper.NewQueryServerImpl(k), cdc: enc, authority: authority}
	for i := 0; i < 3; i++ {
		f.attesters = append(f.attesters, sdk.AccAddress(fmt.Sprintf("attester%012d", i)))
	}
	for i := 0; i < 3; i++ {
		u := sdk.AccAddress(fmt.Sprintf("user%016d", i))
		f.users = append(f.users, u)
		bank.Fund(u, sdk.NewCoins(sdk.NewInt64Coin(types.Denom, 1_000_000_000_000)))
	}
	gs := types.DefaultGenesisState()
	gs.Params = f.enabledParams()
	require.NoError(tb, k.InitGenesis(ctx, gs))
	return f
}

func (f *fixture) enabledParams() types.Params {
	p := types.DefaultParams()
	p.Enabled = true
	p.TokenContract = tokenContract
	p.Attesters = []string{f.attesters[0].String(), f.attesters[1].String(), f.attesters[2].String()}
	p.AttestationThreshold = 2
	p.MinTransfer = math.NewInt(1_000_000)
	p.MaxTransfer = math.NewInt(100_000_000)        // 100 BAI
	p.DailyOutboundLimit = math.NewInt(200_000_000) // 200 BAI
	p.DailyInboundLimit = math.NewInt(150_000_000)  // 150 BAI
	return p
}

func (f *fixture) setParams(tb testing.TB, mut func(*types.Params)) {
	p, err := f.k.Params.Get(f.ctx)
	require.NoError(tb, err)
	mut(&p)
	_, err = f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
	require.NoError(tb, err)
}

func ubai(n int64) sdk.Coin { return sdk.NewInt64Coin(types.Denom, n) }

func txHash(n int) string { return fmt.Sprintf("0x%064x", n) }

func (f *fixture) lock(tb testing.TB, user sdk.AccAddress, amount int64) uint64 {
	res, err := f.msg.Lock(f.ctx, &types.MsgLock{Sender: user.String(), EthRecipient: ethAddrChecksummed, Amount: ubai(amount)})
	require.NoError(tb, err)
	return res.Nonce
}

func (f *fixture) attestOut(attester sdk.AccAddress, nonce uint64, hash string, success bool) (*types.MsgAttestOutboundResponse, error) {
	return f.msg.AttestOutbound(f.ctx, &types.MsgAttestOutbound{Attester: attester.String(), Nonce: nonce, EthTxHash: hash, Success: success})
}

// complete locks amount and has two attesters confirm the mint, creating wBAI outstanding.
func (f *fixture) lockAndComplete(tb testing.TB, user sdk.AccAddress, amount int64) uint64 {
	n := f.lock(tb, user, amount)
	for _, a := range f.attesters[:2] {
		_, err := f.attestOut(a, n, txHash(int(n)+1000), true)
		require.NoError(tb, err)
	}
	return n
}

func inboundMsg(attester, recipient sdk.AccAddress, tx, logIndex int, amount int64) *types.MsgAttestInbound {
	return &types.MsgAttestInbound{
		Attester: attester.String(), EthTxHash: txHash(tx), LogIndex: uint64(logIndex), EthBlock: 19_000_000,
		EthSender: ethAddrLower, Recipient: recipient.String(), Amount: ubai(amount),
	}
}

func (f *fixture) attestIn(m *types.MsgAttestInbound) (*types.MsgAttestInboundResponse, error) {
	return f.msg.AttestInbound(f.ctx, m)
}

// state renders the whole module state plus every balance, for "nothing changed" checks.
func (f *fixture) state(tb testing.TB) string {
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(tb, err)
	bz, err := f.cdc.Codec.MarshalJSON(gs)
	require.NoError(tb, err)
	return string(bz) + "|" + f.bank.Snapshot()
}

func (f *fixture) totals(tb testing.TB) types.Totals {
	t, err := f.k.GetTotals(f.ctx)
	require.NoError(tb, err)
	return t
}

func (f *fixture) requireInvariant(tb testing.TB) {
	tb.Helper()
	require.NoError(tb, f.k.CheckAccounting(f.ctx))
	require.NoError(tb, f.k.CheckExecutedEvents(f.ctx))
}

func (f *fixture) balance(addr sdk.AccAddress) int64 {
	return f.bank.GetBalance(f.ctx, addr, types.Denom).Amount.Int64()
}

// KeeperSuite groups the keeper tests.
type KeeperSuite struct {
	suite.Suite
	f *fixture
}

func (s *KeeperSuite) SetupTest() { s.f = newFixture(s.T()) }

func TestKeeperSuite(t *testing.T) { suite.Run(t, new(KeeperSuite)) }

func (s *KeeperSuite) TestConstructorPanics() {
	f := s.f
	key := storetypes.NewKVStoreKey("other")
	ac := fakes.NewAccountKeeper()
	s.Require().Panics(func() {
		keeper.NewKeeper(f.cdc.Codec, runtime.NewKVStoreService(key), ac, f.bank, "not-an-address")
	})
}
