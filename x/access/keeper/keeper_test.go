package keeper_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	"cosmossdk.io/math"
	storetypes "cosmossdk.io/store/types"
	"github.com/ipfs/go-cid"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"

	"github.com/balanceai/balanceai/testutil/fakes"
	"github.com/balanceai/balanceai/x/access"
	"github.com/balanceai/balanceai/x/access/keeper"
	"github.com/balanceai/balanceai/x/access/types"
	mkt "github.com/balanceai/balanceai/x/marketplace/types"
)

func TestMain(m *testing.M) {
	fakes.SetAddressPrefixes()
	os.Exit(m.Run())
}

// bai is n BAI in ubai.
func bai(n int64) math.Int { return math.NewInt(n * 1_000_000) }

// Listing ids of the fixture.
const (
	lPublic    = uint64(1) // ACTIVE, PUBLIC, min 100 BAI, 2 requests/day
	lAllowlist = uint64(2) // ACTIVE, ALLOWLIST, min 100 BAI, 2 requests/day
	lPaused    = uint64(3) // PAUSED, PUBLIC, min 100 BAI
	lFree      = uint64(4) // ACTIVE, PUBLIC, min 0, 5 requests/day
	lUnlimited = uint64(5) // ACTIVE, PUBLIC, min 100 BAI, unlimited
	lMissing   = uint64(99)
)

var blockTime = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// fixture is one access keeper over a fresh in-memory store.
type fixture struct {
	ctx       sdk.Context
	key       *storetypes.KVStoreKey
	k         keeper.Keeper
	msg       types.MsgServer
	query     types.QueryServer
	mk        *fakes.Marketplace
	sk        *fakes.Staking
	enc       moduletestutil.TestEncodingConfig
	authority string
	owner     sdk.AccAddress
	operator  sdk.AccAddress
	users     []sdk.AccAddress
}

func addr(name string) sdk.AccAddress { return sdk.AccAddress(fmt.Sprintf("%-20s", name)) }

// newFixture builds the keeper with default genesis, the fixture listings and one operator
// on each listing.
func newFixture(tb testing.TB) *fixture {
	f := newBareFixture(tb)
	require.NoError(tb, f.k.InitGenesis(f.ctx, types.DefaultGenesisState()))
	for _, id := range []uint64{lPublic, lAllowlist, lPaused, lFree, lUnlimited} {
		_, err := f.msg.SetOperators(f.ctx, &types.MsgSetOperators{Owner: f.owner.String(), ListingId: id, Operators: []string{f.operator.String()}})
		require.NoError(tb, err)
	}
	return f
}

// newBareFixture builds the keeper and the fixture listings, without any genesis.
func newBareFixture(tb testing.TB) *fixture {
	key := storetypes.NewKVStoreKey(types.StoreKey)
	tctx := testutil.DefaultContextWithDB(tb, key, storetypes.NewTransientStoreKey("transient_test"))
	ctx := tctx.Ctx.WithBlockTime(blockTime).WithBlockHeight(10)
	enc := moduletestutil.MakeTestEncodingConfig(access.AppModule{})
	authority := authtypes.NewModuleAddress(govtypes.ModuleName).String()
	f := &fixture{
		ctx: ctx, key: key, enc: enc, authority: authority,
		mk: fakes.NewMarketplace(nil), sk: fakes.NewStaking(),
		owner: addr("owner"), operator: addr("operator"),
	}
	f.k = keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), fakes.NewAccountKeeper(), f.mk, f.sk, authority)
	f.msg = keeper.NewMsgServerImpl(f.k)
	f.query = keeper.NewQueryServerImpl(f.k)
	for i := 0; i < 4; i++ {
		f.users = append(f.users, addr(fmt.Sprintf("user%d", i)))
	}
	listing := func(id uint64, status mkt.ListingStatus, mode mkt.AccessMode, minStake math.Int, rpd uint64) {
		f.mk.Listings[id] = mkt.Listing{
			Id: id, Kind: mkt.ListingKindModel, Owner: f.owner.String(), Status: status,
			Access: mkt.AccessPolicy{MinStake: minStake, RequestsPerDay: rpd, Mode: mode},
		}
	}
	listing(lPublic, mkt.ListingStatusActive, mkt.AccessModePublic, bai(100), 2)
	listing(lAllowlist, mkt.ListingStatusActive, mkt.AccessModeAllowlist, bai(100), 2)
	listing(lPaused, mkt.ListingStatusPaused, mkt.AccessModePublic, bai(100), 2)
	listing(lFree, mkt.ListingStatusActive, mkt.AccessModePublic, math.ZeroInt(), 5)
	listing(lUnlimited, mkt.ListingStatusActive, mkt.AccessModePublic, bai(100), 0)
	return f
}

// Valid CIDs: the well-known v0 and v1 examples, and generated raw v1 CIDs.
const (
	cidV0 = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"
	cidV1 = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
)

// genCID returns a distinct CIDv1 (raw, sha2-256) for n.
func genCID(tb testing.TB, n int) string {
	c, err := cid.Prefix{Version: 1, Codec: cid.Raw, MhType: 0x12, MhLength: -1}.Sum([]byte(fmt.Sprint(n)))
	require.NoError(tb, err)
	return c.String()
}

func rec(user sdk.AccAddress, units uint64) types.UsageRecord {
	return types.UsageRecord{User: user.String(), RequestCid: cidV0, ResponseCid: cidV1, Units: units}
}

func (f *fixture) record(listing uint64, recs ...types.UsageRecord) (*types.MsgRecordUsageResponse, error) {
	return f.msg.RecordUsage(f.ctx, &types.MsgRecordUsage{Operator: f.operator.String(), ListingId: listing, Records: recs})
}

func (f *fixture) check(tb testing.TB, listing uint64, user sdk.AccAddress) *types.QueryCheckAccessResponse {
	tb.Helper()
	res, err := f.query.CheckAccess(f.ctx, &types.QueryCheckAccessRequest{ListingId: listing, User: user.String()})
	require.NoError(tb, err)
	return res
}

// rawStore lists every key and value of the module's store, in key order, as hex.
func (f *fixture) rawStore(tb testing.TB) []string {
	tb.Helper()
	it := f.ctx.KVStore(f.key).Iterator(nil, nil)
	defer it.Close()
	var out []string
	for ; it.Valid(); it.Next() {
		out = append(out, fmt.Sprintf("%x=%x", it.Key(), it.Value()))
	}
	return out
}

// state renders the whole module state for "nothing changed" checks.
func (f *fixture) state(tb testing.TB) string {
	tb.Helper()
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(tb, err)
	bz, err := f.enc.Codec.MarshalJSON(gs)
	require.NoError(tb, err)
	return string(bz)
}

func (f *fixture) setParams(tb testing.TB, mut func(*types.Params)) {
	tb.Helper()
	p, err := f.k.Params.Get(f.ctx)
	require.NoError(tb, err)
	mut(&p)
	_, err = f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
	require.NoError(tb, err)
}

// at moves the block time (and height) forward.
func (f *fixture) at(t time.Time) {
	f.ctx = f.ctx.WithBlockTime(t).WithBlockHeight(f.ctx.BlockHeight() + 1).WithEventManager(sdk.NewEventManager())
}

func keeperInvariant(f *fixture) error { return keeper.CheckReceiptIndexes(f.ctx, f.k) }

func (f *fixture) requireInvariant(tb testing.TB) {
	tb.Helper()
	require.NoError(tb, keeper.CheckReceiptIndexes(f.ctx, f.k))
}

// resetEvents starts a fresh event manager.
func (f *fixture) resetEvents() { f.ctx = f.ctx.WithEventManager(sdk.NewEventManager()) }

// countEvents counts emitted events of a type.
func (f *fixture) countEvents(typ string) int {
	n := 0
	for _, e := range f.ctx.EventManager().Events() {
		if e.Type == typ {
			n++
		}
	}
	return n
}

func TestNewKeeperPanicsOnBadAuthority(t *testing.T) {
	key := storetypes.NewKVStoreKey(types.StoreKey)
	enc := moduletestutil.MakeTestEncodingConfig(access.AppModule{})
	require.Panics(t, func() {
		keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), fakes.NewAccountKeeper(),
			fakes.NewMarketplace(nil), fakes.NewStaking(), "cosmos1notbai")
	})
}
