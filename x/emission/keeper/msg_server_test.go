package keeper_test

import (
	"time"

	"cosmossdk.io/math"

	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"

	"github.com/balanceai/balanceai/x/emission/types"
)

func (s *KeeperTestSuite) TestUpdateParamsRefusals() {
	f := s.f
	f.firstBlock(s.T())
	f.block(s.T(), 12*time.Second, f.votes())
	dec := math.LegacyMustNewDecFromStr

	cases := []struct {
		name      string
		authority string
		mut       func(*types.Params)
		err       error
		contains  string
	}{
		{"not the authority", "bai1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du", func(*types.Params) {}, govtypes.ErrInvalidSigner, "invalid authority"},
		{"empty authority", "", func(*types.Params) {}, govtypes.ErrInvalidSigner, "invalid authority"},
		{"bad denom", f.authority, func(p *types.Params) { p.MintDenom = "1x" }, types.ErrInvalidParams, "mint_denom"},
		{"denom change", f.authority, func(p *types.Params) { p.MintDenom = "uother" }, types.ErrInvalidParams, "cannot change"},
		{"zero daily", f.authority, func(p *types.Params) { p.DailyEmission = math.ZeroInt() }, types.ErrInvalidParams, "daily_emission must be positive"},
		{"nil daily", f.authority, func(p *types.Params) { p.DailyEmission = math.Int{} }, types.ErrInvalidParams, "daily_emission"},
		{"zero max supply", f.authority, func(p *types.Params) { p.MaxSupply = math.ZeroInt() }, types.ErrMaxSupplyFixed, "max_supply must be 21000000000000"},
		{"nil max supply", f.authority, func(p *types.Params) { p.MaxSupply = math.Int{} }, types.ErrMaxSupplyFixed, "max_supply must be 21000000000000"},
		{"max supply raised", f.authority, func(p *types.Params) { p.MaxSupply = types.MaxSupply.AddRaw(1) }, types.ErrMaxSupplyFixed, "got 21000000000001"},
		{"max supply lowered", f.authority, func(p *types.Params) { p.MaxSupply = types.MaxSupply.QuoRaw(2) }, types.ErrMaxSupplyFixed, "not a parameter"},
		{"max supply below issued", f.authority, func(p *types.Params) { p.MaxSupply = genesisSupply }, types.ErrMaxSupplyFixed, "max_supply must be"},
		{"staking share above one", f.authority, func(p *types.Params) { p.StakingShare = dec("1.2") }, types.ErrInvalidParams, "staking_share must be in [0, 1]"},
		{"negative models share", f.authority, func(p *types.Params) { p.ModelsFundShare = dec("-0.24") }, types.ErrInvalidParams, "models_fund_share"},
		{"nil agents share", f.authority, func(p *types.Params) { p.AgentsFundShare = math.LegacyDec{} }, types.ErrInvalidParams, "agents_fund_share must be set"},
		{"shares sum below one", f.authority, func(p *types.Params) { p.DevelopmentShare = dec("0.07") }, types.ErrInvalidParams, "sum to exactly 1"},
		{"shares sum above one", f.authority, func(p *types.Params) { p.StakingShare = dec("0.440000000000000001") }, types.ErrInvalidParams, "sum to exactly 1"},
		{"burn share above one", f.authority, func(p *types.Params) { p.FeeBurnShare = dec("1.000000000000000001") }, types.ErrInvalidParams, "fee_burn_share"},
		{"negative burn share", f.authority, func(p *types.Params) { p.FeeBurnShare = dec("-0.1") }, types.ErrInvalidParams, "fee_burn_share"},
		{"unspecified mode", f.authority, func(p *types.Params) { p.ValidatorRewardMode = types.VALIDATOR_REWARD_MODE_UNSPECIFIED }, types.ErrInvalidParams, "validator_reward_mode"},
		{"zero interval", f.authority, func(p *types.Params) { p.MaxEmissionInterval = 0 }, types.ErrInvalidParams, "max_emission_interval must be positive"},
		{"negative interval", f.authority, func(p *types.Params) { p.MaxEmissionInterval = -time.Second }, types.ErrInvalidParams, "max_emission_interval"},
	}
	for _, tc := range cases {
		s.Run(tc.name, func() {
			before, paramsBefore := f.state(s.T()), f.params(s.T())
			p := types.DefaultParams()
			tc.mut(&p)
			_, err := f.ms.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: tc.authority, Params: p})
			s.Require().ErrorIs(err, tc.err)
			s.Require().ErrorContains(err, tc.contains)
			s.Require().Equal(before, f.state(s.T()))
			s.Require().Equal(paramsBefore, f.params(s.T()))
		})
	}
}

// TestUpdateParamsKeepsEra: an update of the other params never moves the era; a lower
// daily_emission changes the current rate at once and later blocks mint at it.
func (s *KeeperTestSuite) TestUpdateParamsKeepsEra() {
	f := s.f
	f.firstBlock(s.T())
	f.block(s.T(), 12*time.Second, f.votes())
	before := f.state(s.T())

	p := types.DefaultParams()
	p.DailyEmission = math.NewInt(1_000 * bai)
	p.MaxEmissionInterval = 24 * time.Hour
	p.ValidatorRewardMode = types.VALIDATOR_REWARD_MODE_PROPORTIONAL
	_, err := f.ms.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
	s.Require().NoError(err)
	s.Require().Equal(p, f.params(s.T()))
	st := f.state(s.T())
	s.Require().Equal(before.Era, st.Era)
	s.Require().Equal(before.Issued, st.Issued)
	s.Require().Equal(before.Carry, st.Carry)
	s.Require().Equal(before.NextHalvingAt, st.NextHalvingAt)
	s.Require().Equal(math.NewInt(1_000*bai), st.CurrentDailyEmission)
	s.Require().NoError(f.k.CheckInvariants(f.ctx))

	f.block(s.T(), time.Hour, f.votes())
	// An hour at 1,000 BAI/day is 41,666,666.67 ubai; with the carried fraction, 41,666,666 or 41,666,667.
	minted := f.lastEmissionEvent(s.T()).Minted.Amount.Int64()
	s.Require().True(minted == 1_000*bai/24 || minted == 1_000*bai/24+1, "minted %d", minted)
	s.Require().NoError(f.k.CheckInvariants(f.ctx))
	// In era 0 no halving has passed: the rate may also be raised back.
	_, err = f.ms.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: types.DefaultParams()})
	s.Require().NoError(err)
}

// TestUpdateParamsCannotUndoHalving: once era 1 is reached, raising daily_emission (which would
// lift the rate back towards era 0's) is refused and changes nothing; keeping or lowering it is
// accepted, and the era stays.
func (s *KeeperTestSuite) TestUpdateParamsCannotUndoHalving() {
	threshold := math.NewInt(10_500_000 * bai)
	f := newFixtureWithSupply(s.T(), types.DefaultParams(), 4, threshold)
	f.firstBlock(s.T())
	f.block(s.T(), 12*time.Second, f.votes())
	st := f.state(s.T())
	s.Require().Equal(uint32(1), st.Era)

	for _, daily := range []math.Int{types.DefaultDailyEmission.AddRaw(1), types.DefaultDailyEmission.MulRaw(2)} {
		p := types.DefaultParams()
		p.DailyEmission = daily
		_, err := f.ms.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
		s.Require().ErrorIs(err, types.ErrInvalidParams)
		s.Require().ErrorContains(err, "exceeds the protocol's")
		s.Require().Equal(st, f.state(s.T()))
		s.Require().Equal(types.DefaultParams(), f.params(s.T()))
	}

	p := types.DefaultParams()
	p.FeeBurnShare = math.LegacyOneDec()
	_, err := f.ms.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
	s.Require().NoError(err, "same daily_emission")
	p.DailyEmission = types.DefaultDailyEmission.QuoRaw(2)
	_, err = f.ms.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
	s.Require().NoError(err, "lower daily_emission")
	after := f.state(s.T())
	s.Require().Equal(uint32(1), after.Era)
	s.Require().Equal(math.NewInt(620*bai), after.CurrentDailyEmission)
	// Back up to the default is a rise after a halving: refused.
	p.DailyEmission = types.DefaultDailyEmission
	_, err = f.ms.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
	s.Require().ErrorIs(err, types.ErrHalvingIrreversible)
	s.Require().ErrorContains(err, "keep or lower it")
	s.Require().NoError(f.k.CheckInvariants(f.ctx))
}
