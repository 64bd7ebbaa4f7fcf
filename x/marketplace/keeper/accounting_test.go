package keeper_test

import (
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/marketplace/types"
)

// TestCollateralAccounting follows one owner's coins through register → deposit →
// withdraw → slash → retire → unlock, checking balances, supply, TotalLocked and the
// invariant after every step.
func (s *KeeperSuite) TestCollateralAccounting() {
	a := s.addrs[0]
	start := s.balance(a)
	supply := s.bank.Supply.AmountOf("ubai")
	fee := types.DefaultRegistrationFee.Amount
	s.invariant()

	expect := func(owner, locked, supplyNow math.Int) {
		s.T().Helper()
		s.Require().Equal(owner.String(), s.balance(a).String(), "owner balance")
		s.Require().Equal(locked.String(), s.moduleBalance().String(), "module balance")
		totals, err := s.qs.Totals(s.ctx, &types.QueryTotalsRequest{})
		s.Require().NoError(err)
		s.Require().Equal(locked.String(), totals.CollateralLocked.Amount.String(), "total locked")
		s.Require().Equal(supplyNow.String(), s.bank.Supply.AmountOf("ubai").String(), "supply")
		s.invariant()
	}

	// Register a model (1,000 BAI) and an agent (500 BAI): two fees are burned.
	model := s.register(modelMsg(a))
	c1 := math.NewInt(1_000 * bai)
	expect(start.Sub(c1).Sub(fee), c1, supply.Sub(fee))
	agent := s.register(agentMsg(a, model))
	c2 := math.NewInt(500 * bai)
	expect(start.Sub(c1).Sub(c2).Sub(fee.MulRaw(2)), c1.Add(c2), supply.Sub(fee.MulRaw(2)))
	supply = supply.Sub(fee.MulRaw(2))
	owner := start.Sub(c1).Sub(c2).Sub(fee.MulRaw(2))

	// Deposit 300 BAI on the model.
	_, err := s.msgs.DepositCollateral(s.ctx, &types.MsgDepositCollateral{Owner: a, Id: model, Amount: sdk.NewInt64Coin("ubai", 300*bai)})
	s.Require().NoError(err)
	owner = owner.SubRaw(300 * bai)
	expect(owner, c1.Add(c2).AddRaw(300*bai), supply)

	// Withdraw exactly the excess (300 BAI).
	_, err = s.msgs.WithdrawCollateral(s.ctx, &types.MsgWithdrawCollateral{Owner: a, Id: model, Amount: sdk.NewInt64Coin("ubai", 300*bai)})
	s.Require().NoError(err)
	owner = owner.AddRaw(300 * bai)
	expect(owner, c1.Add(c2), supply)

	// Governance slashes 40 % of the model, burned: supply drops.
	res, err := s.msgs.SlashListing(s.ctx, &types.MsgSlashListing{Authority: s.authority, Id: model, Fraction: math.LegacyNewDecWithPrec(4, 1), Reason: "bad outputs"})
	s.Require().NoError(err)
	s.Require().Equal(sdk.NewInt64Coin("ubai", 400*bai), res.Slashed)
	supply = supply.SubRaw(400 * bai)
	expect(owner, c1.Add(c2).SubRaw(400*bai), supply)
	s.Require().Equal(types.ListingStatusSuspended, s.listing(model).Status)

	// The owner retires the agent.
	s.advance(24 * 3600e9)
	_, err = s.msgs.RetireListing(s.ctx, &types.MsgRetireListing{Owner: a, Id: agent})
	s.Require().NoError(err)
	expect(owner, c1.Add(c2).SubRaw(400*bai), supply)
	s.Require().Equal(2, s.queueLen())

	// One second before the model's unlock time nothing is returned.
	s.advance(types.DefaultUnlockPeriod - 24*3600e9 - 1e9)
	s.Require().NoError(s.k.EndBlocker(s.ctx))
	expect(owner, c1.Add(c2).SubRaw(400*bai), supply)

	// At the model's unlock time its unslashed 600 BAI return; it stays SUSPENDED.
	s.advance(1e9)
	s.Require().NoError(s.k.EndBlocker(s.ctx))
	owner = owner.AddRaw(600 * bai)
	expect(owner, c2, supply)
	m := s.listing(model)
	s.Require().Equal(types.ListingStatusSuspended, m.Status)
	s.Require().True(m.Collateral.IsZero())
	s.Require().Equal(1, s.queueLen())

	// A day later the agent's 500 BAI return and it is RETIRED.
	s.advance(24 * 3600e9)
	s.Require().NoError(s.k.EndBlocker(s.ctx))
	owner = owner.Add(c2)
	expect(owner, math.ZeroInt(), supply)
	s.Require().Equal(types.ListingStatusRetired, s.listing(agent).Status)
	s.Require().Equal(0, s.queueLen())

	// Overall the owner lost exactly two fees and the slash.
	s.Require().Equal(start.Sub(fee.MulRaw(2)).SubRaw(400*bai).String(), s.balance(a).String())

	// Totals agree.
	tot, err := s.qs.Totals(s.ctx, &types.QueryTotalsRequest{})
	s.Require().NoError(err)
	s.Require().Equal(uint64(2), tot.TotalListings)
	s.Require().True(tot.CollateralLocked.IsZero())
	for _, c := range tot.ByStatus {
		switch c.Status {
		case types.ListingStatusSuspended, types.ListingStatusRetired:
			s.Require().Equal(uint64(1), c.Count)
		default:
			s.Require().Zero(c.Count)
		}
	}
}

// TestSlashRetiringRequeues: slashing a RETIRING listing restarts its wait.
func (s *KeeperSuite) TestSlashRetiringRequeues() {
	a := s.addrs[0]
	id := s.register(modelMsg(a))
	_, err := s.msgs.RetireListing(s.ctx, &types.MsgRetireListing{Owner: a, Id: id})
	s.Require().NoError(err)
	s.advance(types.DefaultUnlockPeriod / 2)
	_, err = s.k.SlashAndSuspend(s.ctx, id, math.LegacyOneDec(), s.listing(id).Collateral.Amount, "", "fraud")
	s.Require().NoError(err)
	// Fully slashed: nothing left to return, so nothing queued.
	s.Require().Equal(0, s.queueLen())
	s.Require().True(s.listing(id).Collateral.IsZero())
	s.invariant()
	s.advance(types.DefaultUnlockPeriod)
	s.Require().NoError(s.k.EndBlocker(s.ctx))
	s.Require().Equal(types.ListingStatusSuspended, s.listing(id).Status)
	s.invariant()
}

// TestUnlockFailureRetries: an unlock whose payment fails is retried a day later and
// does not stop the block.
func (s *KeeperSuite) TestUnlockFailureRetries() {
	a := s.addrs[0]
	id := s.register(modelMsg(a))
	_, err := s.msgs.RetireListing(s.ctx, &types.MsgRetireListing{Owner: a, Id: id})
	s.Require().NoError(err)
	s.advance(types.DefaultUnlockPeriod)
	s.bank.FailSends = true
	s.Require().NoError(s.k.EndBlocker(s.ctx))
	l := s.listing(id)
	s.Require().Equal(types.ListingStatusRetiring, l.Status)
	s.Require().Equal(s.ctx.BlockTime().Add(24*3600e9), l.UnlockAt)
	s.Require().Equal(1, s.queueLen())
	s.invariant()
	s.bank.FailSends = false
	s.advance(24 * 3600e9)
	s.Require().NoError(s.k.EndBlocker(s.ctx))
	s.Require().Equal(types.ListingStatusRetired, s.listing(id).Status)
	s.invariant()
}
