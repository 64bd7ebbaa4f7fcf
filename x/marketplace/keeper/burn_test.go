package keeper_test

import (
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/marketplace/types"
)

// burned returns the keeper's burn totals.
func (s *KeeperSuite) burned() (fees, slashes math.Int) {
	fees, slashes, err := s.k.BurnedTotals(s.ctx)
	s.Require().NoError(err)
	return fees, slashes
}

// TestBurnedTotals: registration fees and slashes burned (empty destination) are counted
// by source; a slash sent to a module account and a refused registration are not; the
// totals match the drop in supply and survive a genesis export and import.
func (s *KeeperSuite) TestBurnedTotals() {
	fees, slashes := s.burned()
	s.Require().True(fees.IsZero())
	s.Require().True(slashes.IsZero())
	supply := s.bank.Supply.AmountOf("ubai")
	fee := types.DefaultRegistrationFee.Amount

	a := s.addrs[0]
	m1 := s.register(modelMsg(a))
	m2 := s.register(modelMsg(a))
	m3 := s.register(modelMsg(a))
	// A refused registration burns nothing.
	bad := modelMsg(a)
	bad.Collateral = sdk.NewInt64Coin("ubai", 1)
	_, err := s.msgs.RegisterListing(s.ctx, bad)
	s.Require().ErrorIs(err, types.ErrInvalidCollateral)
	fees, slashes = s.burned()
	s.Require().Equal(fee.MulRaw(3).String(), fees.String())
	s.Require().True(slashes.IsZero())

	// Governance burns 25 % of m1 (250 BAI); the curation-style slash of m2 goes to a fund.
	_, err = s.msgs.SlashListing(s.ctx, &types.MsgSlashListing{Authority: s.authority, Id: m1, Fraction: math.LegacyNewDecWithPrec(25, 2), Reason: "r"})
	s.Require().NoError(err)
	_, err = s.k.SlashAndSuspend(s.ctx, m2, math.LegacyNewDecWithPrec(5, 1), math.NewInt(1_000*bai), fundModule, "r")
	s.Require().NoError(err)
	_, err = s.k.SlashAndSuspend(s.ctx, m3, math.LegacyOneDec(), math.NewInt(1_000*bai), "", "r")
	s.Require().NoError(err)
	fees, slashes = s.burned()
	s.Require().Equal(fee.MulRaw(3).String(), fees.String())
	s.Require().Equal(math.NewInt(1_250*bai).String(), slashes.String())
	s.Require().Equal(supply.Sub(fees).Sub(slashes).String(), s.bank.Supply.AmountOf("ubai").String())
	s.invariant()

	// Export → import carries the totals.
	gs, err := s.k.ExportGenesis(s.ctx)
	s.Require().NoError(err)
	s.Require().Equal(fees.String(), gs.BurnedRegistrationFees.String())
	s.Require().Equal(slashes.String(), gs.BurnedSlashes.String())
	ctx2, _, _, bank2, k2 := newKeeper(s.T())
	bank2.Balances, bank2.Supply = s.bank.Balances, s.bank.Supply
	s.Require().NoError(k2.InitGenesis(ctx2, gs))
	f2, s2, err := k2.BurnedTotals(ctx2)
	s.Require().NoError(err)
	s.Require().Equal(fees.String(), f2.String())
	s.Require().Equal(slashes.String(), s2.String())

	// A genesis without the totals (older export) imports as zero; negative totals are refused.
	gs.BurnedRegistrationFees, gs.BurnedSlashes = math.Int{}, math.Int{}
	s.Require().NoError(gs.Validate())
	ctx3, _, _, bank3, k3 := newKeeper(s.T())
	bank3.Balances, bank3.Supply = s.bank.Balances, s.bank.Supply
	s.Require().NoError(k3.InitGenesis(ctx3, gs))
	f3, s3, err := k3.BurnedTotals(ctx3)
	s.Require().NoError(err)
	s.Require().True(f3.IsZero())
	s.Require().True(s3.IsZero())
	gs.BurnedSlashes = math.NewInt(-1)
	s.Require().ErrorIs(gs.Validate(), types.ErrInvalidGenesis)
}
