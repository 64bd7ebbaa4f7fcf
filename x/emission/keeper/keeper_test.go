package keeper_test

import (
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"
	"github.com/stretchr/testify/suite"

	"cosmossdk.io/math"
	storetypes "cosmossdk.io/store/types"

	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/balanceai/balanceai/testutil/fakes"
	"github.com/balanceai/balanceai/x/emission"
	"github.com/balanceai/balanceai/x/emission/keeper"
	"github.com/balanceai/balanceai/x/emission/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

const (
	bai   = 1_000_000
	denom = types.DefaultMintDenom
)

var (
	genesisSupply = math.NewInt(5_880_000 * bai)
	genesisTime   = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
)

// fixture is a keeper on a real in-memory store with fake bank, distribution and staking.
type fixture struct {
	ctx       sdk.Context
	key       *storetypes.KVStoreKey
	cdc       moduletestutil.TestEncodingConfig
	k         keeper.Keeper
	bank      *fakes.Bank
	distr     *fakes.Distribution
	staking   *fakes.Staking
	ms        types.MsgServer
	qs        types.QueryServer
	authority string
	vals      []validator
}

type validator struct {
	cons sdk.ConsAddress
	val  stakingtypes.Validator
}

func newFixture(tb testing.TB, params types.Params, nVals int) *fixture {
	tb.Helper()
	return newFixtureWithSupply(tb, params, nVals, genesisSupply)
}

// newFixtureWithSupply is newFixture with another genesis supply (held by one account).
func newFixtureWithSupply(tb testing.TB, params types.Params, nVals int, supply math.Int) *fixture {
	tb.Helper()
	f := newFixtureNoGenesis(tb, nVals, supply)
	gs := types.DefaultGenesisState()
	gs.Params = params
	require.NoError(tb, f.k.InitGenesis(f.ctx, gs))
	f.ctx = f.ctx.WithBlockHeight(1).WithBlockTime(genesisTime)
	return f
}

// newFixtureNoGenesis builds the keeper and the fakes, with supply held by one genesis account,
// without running InitGenesis.
func newFixtureNoGenesis(tb testing.TB, nVals int, supply math.Int) *fixture {
	tb.Helper()
	key := storetypes.NewKVStoreKey(types.StoreKey)
	tctx := testutil.DefaultContextWithDB(tb, key, storetypes.NewTransientStoreKey("transient_test"))
	enc := moduletestutil.MakeTestEncodingConfig(emission.AppModule{})
	f := &fixture{ctx: tctx.Ctx, key: key, cdc: enc, bank: newBank(), staking: fakes.NewStaking()}
	f.distr = fakes.NewDistribution(f.bank, f.staking)
	ak := fakes.NewAccountKeeper(moduleNames...)
	authority, err := ak.AddressCodec().BytesToString(authtypes.NewModuleAddress(govtypes.ModuleName))
	require.NoError(tb, err)
	f.authority = authority
	f.k = keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), ak, f.bank, f.distr, f.staking, authtypes.FeeCollectorName, testFunds, authority)
	f.ms = keeper.NewMsgServerImpl(f.k)
	f.qs = keeper.NewQueryServerImpl(f.k)

	for i := 0; i < nVals; i++ {
		h := sha256.Sum256([]byte(fmt.Sprintf("validator-%d", i)))
		v := validator{cons: sdk.ConsAddress(h[:20]), val: stakingtypes.Validator{OperatorAddress: sdk.ValAddress(h[:20]).String()}}
		f.vals = append(f.vals, v)
		f.staking.SetValidator(v.cons, v.val)
	}

	// The genesis supply (5.88 M BAI by default) held by some account.
	f.bank.Fund(sdk.AccAddress([]byte("genesis-holder-addr1")), sdk.NewCoins(sdk.NewCoin(denom, supply)))
	return f
}

// votes builds a last commit in which validator i voted with flags[i] (Commit when flags is
// shorter than the set).
func (f *fixture) votes(flags ...cmtproto.BlockIDFlag) []abci.VoteInfo {
	out := make([]abci.VoteInfo, len(f.vals))
	for i, v := range f.vals {
		flag := cmtproto.BlockIDFlagCommit
		if i < len(flags) {
			flag = flags[i]
		}
		out[i] = abci.VoteInfo{Validator: abci.Validator{Address: v.cons, Power: int64(i + 1)}, BlockIdFlag: flag}
	}
	return out
}

// block runs the BeginBlocker at the next height, dt after the previous block, with a fresh
// event manager and the given last commit.
func (f *fixture) block(tb testing.TB, dt time.Duration, votes []abci.VoteInfo) {
	tb.Helper()
	f.ctx = f.ctx.WithBlockHeight(f.ctx.BlockHeight() + 1).WithBlockTime(f.ctx.BlockTime().Add(dt)).
		WithVoteInfos(votes).WithEventManager(sdk.NewEventManager())
	require.NoError(tb, f.k.BeginBlocker(f.ctx))
}

// firstBlock runs height 1 (the clock starts; nothing is minted).
func (f *fixture) firstBlock(tb testing.TB) {
	tb.Helper()
	f.ctx = f.ctx.WithVoteInfos(nil).WithEventManager(sdk.NewEventManager())
	require.NoError(tb, f.k.BeginBlocker(f.ctx))
}

func (f *fixture) state(tb testing.TB) types.State {
	tb.Helper()
	s, err := f.k.State.Get(f.ctx)
	require.NoError(tb, err)
	return s
}

func (f *fixture) params(tb testing.TB) types.Params {
	tb.Helper()
	p, err := f.k.Params.Get(f.ctx)
	require.NoError(tb, err)
	return p
}

func (f *fixture) addFees(amt int64) {
	f.bank.Fund(authtypes.NewModuleAddress(authtypes.FeeCollectorName), sdk.NewCoins(sdk.NewCoin(denom, math.NewInt(amt))))
}

func (f *fixture) lastEmissionEvent(tb testing.TB) types.EventEmission {
	tb.Helper()
	var out *types.EventEmission
	for _, e := range f.ctx.EventManager().Events() {
		if e.Type != "balanceai.emission.v1.EventEmission" {
			continue
		}
		msg, err := sdk.ParseTypedEvent(abci.Event(e))
		require.NoError(tb, err)
		out = msg.(*types.EventEmission)
	}
	require.NotNil(tb, out, "no EventEmission")
	return *out
}

func (f *fixture) halvingEvents(tb testing.TB) []types.EventHalving {
	tb.Helper()
	var out []types.EventHalving
	for _, e := range f.ctx.EventManager().Events() {
		if e.Type != "balanceai.emission.v1.EventHalving" {
			continue
		}
		msg, err := sdk.ParseTypedEvent(abci.Event(e))
		require.NoError(tb, err)
		out = append(out, *msg.(*types.EventHalving))
	}
	return out
}

type KeeperTestSuite struct {
	suite.Suite
	f *fixture
}

func TestKeeperTestSuite(t *testing.T) { suite.Run(t, new(KeeperTestSuite)) }

func (s *KeeperTestSuite) SetupTest() { s.f = newFixture(s.T(), types.DefaultParams(), 4) }

func (s *KeeperTestSuite) TestInitGenesisTakesBankSupply() {
	st := s.f.state(s.T())
	s.Require().Equal(genesisSupply, st.GenesisSupply)
	s.Require().Equal(genesisSupply, st.Issued)
	s.Require().Equal(uint32(0), st.Era)
	s.Require().Equal(math.NewInt(2480*bai), st.CurrentDailyEmission)
	s.Require().Equal("2480000000", st.CurrentDailyEmissionExact)
	s.Require().Equal(math.NewInt(10_500_000*bai), st.NextHalvingAt)
	s.Require().True(st.LastEmissionTime.IsZero())
	s.Require().NoError(s.f.k.CheckInvariants(s.f.ctx))
}

func (s *KeeperTestSuite) TestFirstBlockStartsTheClockOnly() {
	f := s.f
	f.firstBlock(s.T())
	st := f.state(s.T())
	s.Require().Equal(genesisTime, st.LastEmissionTime)
	s.Require().True(st.TotalMinted.IsZero())
	s.Require().Equal(genesisSupply, f.bank.Supply.AmountOf(denom))
	ev := f.lastEmissionEvent(s.T())
	s.Require().True(ev.Minted.IsZero())
	s.Require().Equal(time.Duration(0), ev.TimeDelta)
}

// TestSplitExact: a 12 s block mints 344444 ubai (carry 0.444...), split 44/24/24/8 with the
// dust to the community pool; 4 signers share the staking part equally.
func (s *KeeperTestSuite) TestSplitExact() {
	f := s.f
	f.firstBlock(s.T())
	f.block(s.T(), 12*time.Second, f.votes())

	st := f.state(s.T())
	s.Require().Equal(math.NewInt(344444), st.TotalMinted)
	s.Require().Equal("0.444444444444444444", st.Carry.String())
	s.Require().Equal(genesisSupply.AddRaw(344444), f.bank.Supply.AmountOf(denom))
	s.Require().Equal(math.NewInt(82666), f.bank.ModuleBalance(testFunds.Model, denom))
	s.Require().Equal(math.NewInt(82666), f.bank.ModuleBalance(testFunds.Agent, denom))
	// staking 151555 = 4 * 37888 + 3 dust; development 27557.
	for _, v := range f.vals {
		s.Require().Equal(math.NewInt(37888), f.distr.Reward(v.val.OperatorAddress))
	}
	s.Require().Equal(math.NewInt(27557+3), f.distr.CommunityPool())
	s.Require().Equal(f.distr.TotalRewards().Add(f.distr.CommunityPool()), f.bank.ModuleBalance(distrtypes.ModuleName, denom))
	s.Require().True(f.bank.ModuleBalance(types.ModuleName, denom).IsZero())

	ev := f.lastEmissionEvent(s.T())
	s.Require().Equal(int64(344444), ev.Minted.Amount.Int64())
	s.Require().Equal(ev.Minted.Amount, ev.Staking.Amount.Add(ev.Models.Amount).Add(ev.Agents.Amount).Add(ev.Development.Amount))
	s.Require().Equal(uint32(4), ev.ValidatorsPaid)
	s.Require().Equal(int64(3), ev.CommunityPoolDust.Amount.Int64())
	s.Require().Equal(12*time.Second, ev.TimeDelta)
	s.Require().NoError(f.k.CheckInvariants(f.ctx))
}

// TestSplitManyBlocks: over many irregular blocks the four destinations receive exactly the
// total minted, and the total minted tracks the integral.
func (s *KeeperTestSuite) TestSplitManyBlocks() {
	f := s.f
	f.firstBlock(s.T())
	var elapsed time.Duration
	for i := 0; i < 500; i++ {
		dt := time.Duration(1+i%17)*time.Second + time.Duration(i*7919)*time.Microsecond
		elapsed += dt
		f.block(s.T(), dt, f.votes())
	}
	st := f.state(s.T())
	// floor(2480e6 * elapsed_ns / 86400e9), within 1 ubai
	exact := math.NewInt(2480 * bai).Mul(math.NewInt(int64(elapsed))).Quo(math.NewInt(int64(24 * time.Hour)))
	s.Require().True(exact.Sub(st.TotalMinted).LTE(math.OneInt()) && exact.GTE(st.TotalMinted), "minted %s exact %s", st.TotalMinted, exact)
	got := f.bank.ModuleBalance(testFunds.Model, denom).Add(f.bank.ModuleBalance(testFunds.Agent, denom)).
		Add(f.distr.TotalRewards()).Add(f.distr.CommunityPool())
	s.Require().Equal(st.TotalMinted, got)
	s.Require().Equal(genesisSupply.Add(st.TotalMinted), f.bank.Supply.AmountOf(denom))
	s.Require().NoError(f.k.CheckInvariants(f.ctx))
}

func (s *KeeperTestSuite) TestIntervalClamp() {
	f := s.f
	f.firstBlock(s.T())
	f.block(s.T(), 3*time.Hour, f.votes()) // chain halted: only 60 s are minted
	st := f.state(s.T())
	s.Require().Equal(math.NewInt(2480*bai*60/86400), st.TotalMinted) // 1722222
	s.Require().Equal(f.ctx.BlockTime(), st.LastEmissionTime)
	s.Require().Equal(time.Minute, f.lastEmissionEvent(s.T()).TimeDelta)
}

// TestFeeBurnExact: a 20,000 ubai fee burns 10,000 (supply falls by exactly that) and the
// other 10,000 joins the validators' pot.
func (s *KeeperTestSuite) TestFeeBurnExact() {
	f := s.f
	f.firstBlock(s.T())
	f.addFees(20_000)
	supplyBefore := f.bank.Supply.AmountOf(denom)
	f.block(s.T(), 0, f.votes()) // no time: no mint, fees only
	st := f.state(s.T())
	s.Require().Equal(math.NewInt(10_000), st.TotalBurned)
	s.Require().Equal(supplyBefore.SubRaw(10_000), f.bank.Supply.AmountOf(denom))
	s.Require().True(f.bank.ModuleBalance(authtypes.FeeCollectorName, denom).IsZero())
	for _, v := range f.vals {
		s.Require().Equal(math.NewInt(2_500), f.distr.Reward(v.val.OperatorAddress))
	}
	ev := f.lastEmissionEvent(s.T())
	s.Require().Equal(int64(20_000), ev.FeesCollected.Amount.Int64())
	s.Require().Equal(int64(10_000), ev.FeesBurned.Amount.Int64())
	s.Require().Equal(int64(10_000), ev.FeesToValidators.Amount.Int64())

	// Odd fee: floor(20001 / 2) burned; with a mint the pot is staking + unburned fees.
	f.addFees(20_001)
	f.block(s.T(), 12*time.Second, f.votes())
	st = f.state(s.T())
	s.Require().Equal(math.NewInt(20_000), st.TotalBurned)
	ev = f.lastEmissionEvent(s.T())
	pot := ev.Staking.Amount.Add(ev.FeesToValidators.Amount)
	s.Require().Equal(int64(10_001), ev.FeesToValidators.Amount.Int64())
	part := pot.QuoRaw(4)
	s.Require().Equal(pot.Sub(part.MulRaw(4)).Int64(), ev.CommunityPoolDust.Amount.Int64())
	s.Require().Equal(genesisSupply.Add(st.TotalMinted).AddRaw(40_001-20_000), f.bank.Supply.AmountOf(denom))
	s.Require().NoError(f.k.CheckInvariants(f.ctx))
}

// TestEqualModeNonSignersGetNothing: only BlockIDFlagCommit votes are paid.
func (s *KeeperTestSuite) TestEqualModeNonSignersGetNothing() {
	f := s.f
	f.firstBlock(s.T())
	f.block(s.T(), 12*time.Second, f.votes(cmtproto.BlockIDFlagCommit, cmtproto.BlockIDFlagAbsent, cmtproto.BlockIDFlagNil, cmtproto.BlockIDFlagCommit))
	ev := f.lastEmissionEvent(s.T())
	s.Require().Equal(uint32(2), ev.ValidatorsPaid)
	half := ev.Staking.Amount.QuoRaw(2)
	s.Require().Equal(half, f.distr.Reward(f.vals[0].val.OperatorAddress))
	s.Require().True(f.distr.Reward(f.vals[1].val.OperatorAddress).IsZero())
	s.Require().True(f.distr.Reward(f.vals[2].val.OperatorAddress).IsZero())
	s.Require().Equal(half, f.distr.Reward(f.vals[3].val.OperatorAddress))
	// Equal whatever the power (votes carry powers 1..4).
	s.Require().Equal(f.distr.Reward(f.vals[0].val.OperatorAddress), f.distr.Reward(f.vals[3].val.OperatorAddress))
}

// TestEqualModeNoSigners: with an empty last commit (heights 1-2) the pot goes to the
// community pool.
func (s *KeeperTestSuite) TestEqualModeNoSigners() {
	f := s.f
	f.firstBlock(s.T())
	f.addFees(1_000)
	f.block(s.T(), 12*time.Second, nil)
	ev := f.lastEmissionEvent(s.T())
	s.Require().Equal(uint32(0), ev.ValidatorsPaid)
	s.Require().Equal(ev.Staking.Amount.AddRaw(500), ev.CommunityPoolDust.Amount)
	s.Require().Equal(ev.Development.Amount.Add(ev.CommunityPoolDust.Amount), f.distr.CommunityPool())
	s.Require().Zero(f.distr.Allocations)
	// Unknown consensus addresses are skipped too.
	f.block(s.T(), 12*time.Second, []abci.VoteInfo{{Validator: abci.Validator{Address: []byte("unknown-validator-xx"), Power: 1}, BlockIdFlag: cmtproto.BlockIDFlagCommit}})
	s.Require().Equal(uint32(0), f.lastEmissionEvent(s.T()).ValidatorsPaid)
	s.Require().NoError(f.k.CheckInvariants(f.ctx))
}

// TestProportionalMode: the staking part and the unburned fees are paid by power through
// x/distribution's AllocateTokens within the block, so the fee collector is left empty.
func (s *KeeperTestSuite) TestProportionalMode() {
	p := types.DefaultParams()
	p.ValidatorRewardMode = types.VALIDATOR_REWARD_MODE_PROPORTIONAL
	f := newFixture(s.T(), p, 4)
	f.firstBlock(s.T())
	f.addFees(20_000)
	f.block(s.T(), 12*time.Second, f.votes())
	ev := f.lastEmissionEvent(s.T())
	s.Require().Equal(int64(151555), ev.Staking.Amount.Int64())
	s.Require().True(f.bank.ModuleBalance(authtypes.FeeCollectorName, denom).IsZero())
	s.Require().Equal(2, f.distr.ProportionalCalls, "every block, the first included")
	s.Require().Equal(uint32(0), ev.ValidatorsPaid)
	// Powers 1:2:3:4 of the pot 151555 + 10000 = 161555.
	for i, v := range f.vals {
		want := math.LegacyNewDec(161555).MulInt64(int64(i + 1)).QuoInt64(10)
		s.Require().True(f.distr.Rewards[v.val.OperatorAddress].AmountOf(denom).Equal(want), "val%d", i)
	}
	s.Require().Equal(math.NewInt(27557), f.distr.CommunityPool())
	s.Require().Equal(math.NewInt(10_000), f.state(s.T()).TotalBurned)
	s.Require().NoError(f.k.CheckInvariants(f.ctx))

	// The next block without fees burns nothing: no emission is taken for fees.
	f.block(s.T(), 12*time.Second, f.votes())
	s.Require().Equal(math.NewInt(10_000), f.state(s.T()).TotalBurned)
	s.Require().True(f.lastEmissionEvent(s.T()).FeesCollected.IsZero())
}

// TestProportionalModeEmptyCommit: a block without a last commit (the first block of a chain
// started from an exported state mints at once) pays the staking part and the unburned fees to
// the community pool, leaves the fee collector empty, and the next block burns nothing.
func (s *KeeperTestSuite) TestProportionalModeEmptyCommit() {
	p := types.DefaultParams()
	p.ValidatorRewardMode = types.VALIDATOR_REWARD_MODE_PROPORTIONAL
	f := newFixture(s.T(), p, 4)
	f.firstBlock(s.T())
	f.addFees(1_000)
	f.block(s.T(), 12*time.Second, nil)
	ev := f.lastEmissionEvent(s.T())
	s.Require().True(f.bank.ModuleBalance(authtypes.FeeCollectorName, denom).IsZero())
	s.Require().Equal(ev.Minted.Amount.Sub(ev.Models.Amount).Sub(ev.Agents.Amount).AddRaw(500), f.distr.CommunityPool())
	s.Require().Zero(f.distr.Allocations)
	f.block(s.T(), 12*time.Second, f.votes())
	s.Require().Equal(math.NewInt(500), f.state(s.T()).TotalBurned)
	s.Require().NoError(f.k.CheckInvariants(f.ctx))
}

func (s *KeeperTestSuite) TestQueries() {
	f := s.f
	f.firstBlock(s.T())
	f.addFees(20_000)
	f.block(s.T(), 12*time.Second, f.votes())

	pr, err := f.qs.Params(f.ctx, &types.QueryParamsRequest{})
	s.Require().NoError(err)
	s.Require().Equal(types.DefaultParams(), pr.Params)

	sr, err := f.qs.State(f.ctx, &types.QueryStateRequest{})
	s.Require().NoError(err)
	s.Require().Equal(f.state(s.T()), sr.State)
	want := types.SecondsToThreshold(pr.Params.MaxSupply, pr.Params.DailyEmission, sr.State.Issued, sr.State.Carry, 0)
	s.Require().Equal(want, sr.SecondsToNextHalving)
	s.Require().NotNil(sr.EstimatedNextHalvingTime)
	s.Require().Equal(f.ctx.BlockTime().Add(time.Duration(want.Int64())*time.Second), *sr.EstimatedNextHalvingTime)

	sc, err := f.qs.Schedule(f.ctx, &types.QueryScheduleRequest{})
	s.Require().NoError(err)
	s.Require().Equal(sr.State.Issued, sc.Eras[0].StartIssued)
	s.Require().Equal(math.NewInt(10_500_000*bai), sc.Eras[0].EndIssued)
	s.Require().Equal("4233.870967741935483871", sc.Eras[1].DurationDays.String())

	su, err := f.qs.Supply(f.ctx, &types.QuerySupplyRequest{})
	s.Require().NoError(err)
	s.Require().Equal(denom, su.Denom)
	s.Require().Equal(genesisSupply.AddRaw(344444), su.Issued)
	s.Require().Equal(math.NewInt(10_000), su.Burned)
	s.Require().Equal(genesisSupply.AddRaw(344444+20_000-10_000), su.Circulating)
	s.Require().Equal(types.DefaultMaxSupply.Sub(su.Issued), su.Remaining)

	for _, call := range []func() error{
		func() error { _, err := f.qs.Params(f.ctx, nil); return err },
		func() error { _, err := f.qs.State(f.ctx, nil); return err },
		func() error { _, err := f.qs.Schedule(f.ctx, nil); return err },
		func() error { _, err := f.qs.Supply(f.ctx, nil); return err },
	} {
		s.Require().ErrorContains(call(), "InvalidArgument")
	}
}

func (s *KeeperTestSuite) TestInvariantDetectsBrokenState() {
	f := s.f
	st := f.state(s.T())
	st.TotalMinted = st.TotalMinted.AddRaw(1)
	s.Require().NoError(f.k.State.Set(f.ctx, st))
	s.Require().ErrorIs(f.k.CheckInvariants(f.ctx), types.ErrInvariantBroken)
	_, broken := keeper.SupplyInvariant(f.k)(f.ctx)
	s.Require().True(broken)

	st.TotalMinted = st.TotalMinted.SubRaw(1)
	st.Era = 1
	s.Require().NoError(f.k.State.Set(f.ctx, st))
	s.Require().ErrorIs(f.k.CheckInvariants(f.ctx), types.ErrInvariantBroken)
}

func TestNewKeeperPanics(t *testing.T) {
	key := storetypes.NewKVStoreKey(types.StoreKey)
	enc := moduletestutil.MakeTestEncodingConfig(emission.AppModule{})
	gov := authtypes.NewModuleAddress(govtypes.ModuleName)
	authority, _ := fakes.NewAccountKeeper().AddressCodec().BytesToString(gov)
	bank := newBank()
	require.Panics(t, func() {
		keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), fakes.NewAccountKeeper(moduleNames...), bank, fakes.NewDistribution(bank, fakes.NewStaking()), fakes.NewStaking(), authtypes.FeeCollectorName, testFunds, "not-an-address")
	})
	require.Panics(t, func() {
		keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), fakes.NewAccountKeeper(types.ModuleName, authtypes.FeeCollectorName, distrtypes.ModuleName), bank, fakes.NewDistribution(bank, fakes.NewStaking()), fakes.NewStaking(), authtypes.FeeCollectorName, testFunds, authority)
	})
	// An incomplete fund routing is refused.
	require.Panics(t, func() {
		keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), fakes.NewAccountKeeper(moduleNames...), bank, fakes.NewDistribution(bank, fakes.NewStaking()), fakes.NewStaking(), authtypes.FeeCollectorName, marketplacetypes.GrantFunds{Model: testFunds.Model}, authority)
	})
}
