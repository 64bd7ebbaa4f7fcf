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
		{"zero max supply", f.authority, func(p *types.Params) { p.MaxSupply = math.ZeroInt() }, types.ErrInvalidParams, "max_supply must be positive"},
		{"max supply below issued", f.authority, func(p *types.Params) { p.MaxSupply = genesisSupply }, types.ErrSupplyAboveMax, "below the issued supply"},
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

// TestUpdateParamsRecomputesEra: a lower max_supply moves the era at once; later blocks mint at
// the new era's rate.
func (s *KeeperTestSuite) TestUpdateParamsRecomputesEra() {
	f := s.f
	f.firstBlock(s.T())
	f.block(s.T(), 12*time.Second, f.votes())
	issued := f.state(s.T()).Issued

	p := types.DefaultParams()
	p.MaxSupply = issued.MulRaw(2).SubRaw(2) // threshold(0) = issued - 1: era 1
	p.MaxEmissionInterval = 24 * time.Hour
	p.ValidatorRewardMode = types.VALIDATOR_REWARD_MODE_PROPORTIONAL
	_, err := f.ms.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
	s.Require().NoError(err)
	s.Require().Equal(p, f.params(s.T()))
	st := f.state(s.T())
	s.Require().Equal(types.EraForIssued(p.MaxSupply, issued), st.Era)
	s.Require().GreaterOrEqual(st.Era, uint32(1))
	s.Require().Equal(types.DailyEmissionForEra(p.DailyEmission, st.Era), st.CurrentDailyEmission)
	s.Require().Equal(types.Threshold(p.MaxSupply, st.Era), st.NextHalvingAt)
	s.Require().NoError(f.k.CheckInvariants(f.ctx))

	f.block(s.T(), time.Hour, f.votes())
	s.Require().NoError(f.k.CheckInvariants(f.ctx))
	s.Require().True(f.state(s.T()).Issued.LTE(p.MaxSupply))
}
