package keeper_test

import (
	"time"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/runtime"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/testutil/fakes"
	"github.com/balanceai/balanceai/x/emission/keeper"
	"github.com/balanceai/balanceai/x/emission/types"
)

// TestSupplyCountsEveryBurn: the supply summary lists the burns of every source in a fixed order
// (fee burn, x/marketplace's totals, the recorded x/staking and x/gov burns), burned is their sum,
// and only mint-denom burns are recorded.
func (s *KeeperTestSuite) TestSupplyCountsEveryBurn() {
	f := s.f
	mkt := fakes.NewMarketplace(nil)
	mkt.BurnedRegistrationFees, mkt.BurnedSlashes = math.NewInt(10_000_000), math.NewInt(2_500_000)
	f.k = f.k.SetMarketplaceKeeper(mkt)
	f.qs = keeper.NewQueryServerImpl(f.k)
	f.firstBlock(s.T())
	f.addFees(20_000)
	f.block(s.T(), 12*time.Second, f.votes())

	rec := keeper.NewBurnRecorder(f.cdc.Codec, runtime.NewKVStoreService(f.key))
	s.Require().NoError(rec.Record(f.ctx, types.BurnSourceValidatorSlashes, sdk.NewCoins(sdk.NewInt64Coin(denom, 700), sdk.NewInt64Coin("uother", 5))))
	s.Require().NoError(rec.Record(f.ctx, types.BurnSourceValidatorSlashes, sdk.NewCoins(sdk.NewInt64Coin(denom, 300))))
	s.Require().NoError(rec.Record(f.ctx, types.BurnSourceGovernanceDeposits, sdk.NewCoins(sdk.NewInt64Coin(denom, 50))))
	s.Require().NoError(rec.Record(f.ctx, types.BurnSourceGovernanceDeposits, sdk.NewCoins(sdk.NewInt64Coin("uother", 9))))

	su, err := f.qs.Supply(f.ctx, &types.QuerySupplyRequest{})
	s.Require().NoError(err)
	s.Require().Equal([]types.BurnTotal{
		{Source: types.BurnSourceFees, Amount: math.NewInt(10_000)},
		{Source: types.BurnSourceListingRegistrationFees, Amount: math.NewInt(10_000_000)},
		{Source: types.BurnSourceListingSlashes, Amount: math.NewInt(2_500_000)},
		{Source: types.BurnSourceValidatorSlashes, Amount: math.NewInt(1_000)},
		{Source: types.BurnSourceGovernanceDeposits, Amount: math.NewInt(50)},
	}, su.BurnedBySource)
	s.Require().Equal(math.NewInt(10_000+10_000_000+2_500_000+1_000+50), su.Burned)
	s.Require().Equal(genesisSupply, su.GenesisSupply)
	s.Require().Equal(math.NewInt(344444), su.Minted)
	s.Require().Equal(su.GenesisSupply.Add(su.Minted), su.Issued)

	// The recorded totals go through export and import.
	exported, err := f.k.ExportGenesis(f.ctx)
	s.Require().NoError(err)
	s.Require().Equal([]types.BurnTotal{
		{Source: types.BurnSourceValidatorSlashes, Amount: math.NewInt(1_000)},
		{Source: types.BurnSourceGovernanceDeposits, Amount: math.NewInt(50)},
	}, exported.RecordedBurns)
	g := newFixture(s.T(), types.DefaultParams(), 4)
	s.Require().NoError(g.k.InitGenesis(g.ctx, exported))
	bySource, err := g.k.BurnedBySource(g.ctx)
	s.Require().NoError(err)
	s.Require().Equal(su.BurnedBySource[3:], bySource[3:])
	// Without a marketplace keeper its sources read zero.
	s.Require().True(bySource[1].Amount.IsZero() && bySource[2].Amount.IsZero())
}

// TestLateEraRateIsExact: in era 32 the rounded daily rate reads 0 while minting continues; the
// exact rate and the schedule say what is minted, up to the last era (44), whose end is the cap.
func (s *KeeperTestSuite) TestLateEraRateIsExact() {
	p := types.DefaultParams()
	p.MaxEmissionInterval = 24 * time.Hour
	f := newFixtureWithSupply(s.T(), p, 4, types.Threshold(types.MaxSupply, 31))
	st := f.state(s.T())
	s.Require().Equal(uint32(32), st.Era)
	s.Require().True(st.CurrentDailyEmission.IsZero())
	s.Require().Equal("0.5774199962615966796875", st.CurrentDailyEmissionExact)

	f.firstBlock(s.T())
	for i := 0; i < 4; i++ {
		f.block(s.T(), 24*time.Hour, f.votes())
	}
	st = f.state(s.T())
	// Four days at 0.57742 ubai/day: 2 ubai minted, 0.3097 carried (each day's accrual truncated
	// to 10^-18 ubai: 4 x 0.577419996261596679 - 2).
	s.Require().Equal(math.NewInt(2), st.TotalMinted)
	s.Require().Equal("0.309679985046386716", st.Carry.String())
	s.Require().Equal("0.5774199962615966796875", st.CurrentDailyEmissionExact)

	sc, err := f.qs.Schedule(f.ctx, &types.QueryScheduleRequest{})
	s.Require().NoError(err)
	s.Require().Len(sc.Eras, 13) // eras 32..44
	s.Require().Equal(uint32(32), sc.Eras[0].Era)
	last := sc.Eras[len(sc.Eras)-1]
	s.Require().Equal(uint32(44), last.Era)
	s.Require().Equal(types.MaxSupply, last.EndIssued)
	s.Require().Equal("0.0001409716787748038768768310546875", last.DailyEmissionExact)

	sr, err := f.qs.State(f.ctx, &types.QueryStateRequest{})
	s.Require().NoError(err)
	s.Require().Equal(st.CurrentDailyEmissionExact, sr.State.CurrentDailyEmissionExact)
	s.Require().NoError(f.k.CheckInvariants(f.ctx))
}

// TestCapReachedRateIsZero: once issued reaches the cap both forms of the rate read 0 and the
// schedule is empty.
func (s *KeeperTestSuite) TestCapReachedRateIsZero() {
	f := newFixtureWithSupply(s.T(), types.DefaultParams(), 4, types.MaxSupply)
	st := f.state(s.T())
	s.Require().True(st.CurrentDailyEmission.IsZero())
	s.Require().Equal("0", st.CurrentDailyEmissionExact)
	sc, err := f.qs.Schedule(f.ctx, &types.QueryScheduleRequest{})
	s.Require().NoError(err)
	s.Require().Empty(sc.Eras)
}
