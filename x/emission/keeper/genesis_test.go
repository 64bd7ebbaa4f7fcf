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

// TestGenesisThresholdOneBAIAbove: a max_supply whose first threshold is 1 BAI above the
// genesis supply reaches era 1 within a minute of 1 s blocks, and the daily rate halves.
func (s *KeeperTestSuite) TestGenesisThresholdOneBAIAbove() {
	p := types.DefaultParams()
	p.MaxSupply = genesisSupply.AddRaw(bai).MulRaw(2) // threshold(0) = max/2 = genesis + 1 BAI
	f := newFixture(s.T(), p, 4)
	s.Require().Equal(genesisSupply.AddRaw(bai), f.state(s.T()).NextHalvingAt)
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
	s.Require().Equal(genesisSupply.AddRaw(bai), halving.Threshold)
	s.Require().Equal(uint32(1), halving.Era)
	// 1 BAI at 2480 BAI/day takes 86400/2480 s = 34.838709677... s.
	s.Require().Equal(genesisTime.Add(34838709678*time.Nanosecond), halving.ReachedAt)
	s.Require().NoError(f.k.CheckInvariants(f.ctx))
}

func (s *KeeperTestSuite) TestInitGenesisRefusesSupplyAboveCap() {
	p := types.DefaultParams()
	p.MaxSupply = genesisSupply.SubRaw(1)
	gs := types.DefaultGenesisState()
	gs.Params = p
	s.Require().ErrorIs(s.f.k.InitGenesis(s.f.ctx, gs), types.ErrSupplyAboveMax)
}
