package keeper_test

import (
	"time"

	"cosmossdk.io/math"

	"github.com/balanceai/balanceai/x/emission/types"
)

// TestGenesisRoundTrip: export -> JSON -> import keeps era, totals and carry, so the next block
// mints exactly the same on both chains.
func (s *KeeperTestSuite) TestGenesisRoundTrip() {
	f := s.f
	f.firstBlock(s.T())
	for i := 0; i < 37; i++ {
		f.addFees(int64(1000 + i))
		f.block(s.T(), time.Duration(5+i%9)*time.Second+time.Duration(i)*time.Millisecond, f.votes())
	}
	exported, err := f.k.ExportGenesis(f.ctx)
	s.Require().NoError(err)
	s.Require().False(exported.State.Carry.IsZero())
	bz := f.cdc.Codec.MustMarshalJSON(exported)

	var imported types.GenesisState
	f.cdc.Codec.MustUnmarshalJSON(bz, &imported)
	s.Require().NoError(imported.Validate())

	g := newFixture(s.T(), types.DefaultParams(), 4)
	// A different bank supply must not matter for a non-fresh state.
	s.Require().NoError(g.k.InitGenesis(g.ctx, &imported))
	s.Require().Equal(f.state(s.T()), g.state(s.T()))
	s.Require().Equal(f.params(s.T()), g.params(s.T()))
	again, err := g.k.ExportGenesis(g.ctx)
	s.Require().NoError(err)
	s.Require().Equal(bz, g.cdc.Codec.MustMarshalJSON(again))

	g.ctx = g.ctx.WithBlockHeight(f.ctx.BlockHeight()).WithBlockTime(f.ctx.BlockTime())
	f.block(s.T(), 7*time.Second+123*time.Microsecond, f.votes())
	g.block(s.T(), 7*time.Second+123*time.Microsecond, g.votes())
	s.Require().Equal(f.lastEmissionEvent(s.T()), g.lastEmissionEvent(s.T()))
	s.Require().Equal(f.state(s.T()), g.state(s.T()))
}

// TestGenesisThresholdOneBAIAbove: a genesis supply 1 BAI below the first threshold (10.5 M BAI)
// reaches era 1 within a minute of 1 s blocks, and the daily rate halves.
func (s *KeeperTestSuite) TestGenesisThresholdOneBAIAbove() {
	threshold := math.NewInt(10_500_000 * bai)
	f := newFixtureWithSupply(s.T(), types.DefaultParams(), 4, threshold.SubRaw(bai))
	s.Require().Equal(threshold, f.state(s.T()).NextHalvingAt)
	f.firstBlock(s.T())
	var halving *types.EventHalving
	for i := 0; i < 60 && halving == nil; i++ {
		f.block(s.T(), time.Second, f.votes())
		if hs := f.halvingEvents(s.T()); len(hs) > 0 {
			halving = &hs[0]
		}
	}
	s.Require().NotNil(halving)
	st := f.state(s.T())
	s.Require().Equal(uint32(1), st.Era)
	s.Require().Equal(math.NewInt(1_240_000_000), st.CurrentDailyEmission)
	s.Require().Equal(math.NewInt(15_750_000*bai), st.NextHalvingAt)
	s.Require().Equal(threshold, halving.Threshold)
	s.Require().Equal(uint32(1), halving.Era)
	s.Require().Equal("1240000000", halving.DailyEmissionExact)
	s.Require().Equal("1240000000", st.CurrentDailyEmissionExact)
	// 1 BAI at 2480 BAI/day takes 86400/2480 s = 34.838709677... s.
	s.Require().Equal(genesisTime.Add(34838709678*time.Nanosecond), halving.ReachedAt)
	s.Require().NoError(f.k.CheckInvariants(f.ctx))
}

// TestInitGenesisRefusesSupplyAboveCap: a bank supply above 21,000,000 BAI at genesis is refused,
// with the message the app genesis check gives too.
func (s *KeeperTestSuite) TestInitGenesisRefusesSupplyAboveCap() {
	f := newFixtureNoGenesis(s.T(), 1, types.MaxSupply.AddRaw(1))
	err := f.k.InitGenesis(f.ctx, types.DefaultGenesisState())
	s.Require().ErrorIs(err, types.ErrSupplyAboveMax)
	s.Require().ErrorContains(err, types.CheckGenesisSupply(types.MaxSupply.AddRaw(1), types.DefaultParams()).Error())
	// Exactly the cap is accepted: emission then has nothing left to mint.
	f = newFixtureNoGenesis(s.T(), 1, types.MaxSupply)
	s.Require().NoError(f.k.InitGenesis(f.ctx, types.DefaultGenesisState()))
}

// TestInitGenesisRefusesAnotherCap: a genesis whose max_supply is not 21,000,000 BAI is refused,
// above or below it.
func (s *KeeperTestSuite) TestInitGenesisRefusesAnotherCap() {
	for _, m := range []math.Int{types.MaxSupply.AddRaw(1), types.MaxSupply.SubRaw(1), genesisSupply.MulRaw(2)} {
		f := newFixtureNoGenesis(s.T(), 1, genesisSupply)
		gs := types.DefaultGenesisState()
		gs.Params.MaxSupply = m
		s.Require().ErrorIs(f.k.InitGenesis(f.ctx, gs), types.ErrMaxSupplyFixed, "max_supply %s", m)
	}
}

// TestGenesisRefusesIssuanceBelowTheSupply: an imported state whose issued, less the burns it
// records, is below the coins the bank holds would let emission mint past the cap; it is
// refused.
func (s *KeeperTestSuite) TestGenesisRefusesIssuanceBelowTheSupply() {
	supply := math.NewInt(5_880_000 * bai)
	f := newFixtureWithSupply(s.T(), types.DefaultParams(), 4, supply)
	st := types.NewState()
	st.GenesisSupply = math.OneInt()
	st.Issued = math.OneInt()
	gs := &types.GenesisState{Params: types.DefaultParams(), State: st}
	s.Require().NoError(gs.Validate(), "the emission section alone looks valid")
	s.Require().ErrorIs(f.k.InitGenesis(f.ctx, gs), types.ErrInvalidGenesis)

	// Issued covering the supply and the burns is accepted.
	st.GenesisSupply = supply.AddRaw(700)
	st.Issued = st.GenesisSupply
	st.TotalBurned = math.NewInt(700)
	gs = &types.GenesisState{Params: types.DefaultParams(), State: st}
	s.Require().NoError(f.k.InitGenesis(f.ctx, gs))
}
