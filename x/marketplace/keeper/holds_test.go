package keeper_test

import (
	"fmt"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
	storetypes "cosmossdk.io/store/types"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"

	"github.com/balanceai/balanceai/x/marketplace/keeper"
	"github.com/balanceai/balanceai/x/marketplace/types"
)

// submit stores a proposal in its deposit period and runs the submission hook, as
// x/gov's SubmitProposal does.
func (s *KeeperSuite) submit(id uint64, msgs ...sdk.Msg) error {
	now := s.ctx.BlockTime()
	p, err := govv1.NewProposal(msgs, id, now, now.Add(48*time.Hour), "", "slash", "slash", authtypes.NewModuleAddress("proposer"), false)
	s.Require().NoError(err)
	s.gov.Proposals[id] = p
	return s.k.GovHooks().AfterProposalSubmission(s.ctx, id)
}

// setStatus changes a stored proposal's status.
func (s *KeeperSuite) setProposalStatus(id uint64, status govv1.ProposalStatus) {
	p := s.gov.Proposals[id]
	p.Status = status
	s.gov.Proposals[id] = p
}

func (s *KeeperSuite) slashMsg(id uint64, fraction math.LegacyDec) *types.MsgSlashListing {
	return &types.MsgSlashListing{Authority: s.authority, Id: id, Fraction: fraction, Reason: "proposal"}
}

func (s *KeeperSuite) holds(id uint64) uint64 {
	n, err := s.k.Holds.Get(s.ctx, id)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return 0
	}
	s.Require().NoError(err)
	return n
}

func (s *KeeperSuite) checkHolds() {
	s.Require().NoError(s.k.CheckHolds(s.ctx))
}

// TestWithdrawRefusedWhileHeld: with a hold on the listing (an open flag) the owner cannot
// withdraw even the excess; deposits still work; after the last release the excess comes out.
func (s *KeeperSuite) TestWithdrawRefusedWhileHeld() {
	a := s.addrs[0]
	m := modelMsg(a)
	m.Collateral = sdk.NewInt64Coin("ubai", 1_500*bai)
	id := s.register(m)

	base, err := s.k.Hold(s.ctx, id)
	s.Require().NoError(err)
	s.Require().Equal(sdk.NewInt64Coin("ubai", 1_500*bai), base)
	_, err = s.k.Hold(s.ctx, id) // a second flag
	s.Require().NoError(err)
	s.Require().Equal(uint64(2), s.holds(id))
	s.checkHolds()

	withdraw := func() error {
		_, err := s.msgs.WithdrawCollateral(s.ctx, &types.MsgWithdrawCollateral{Owner: a, Id: id, Amount: sdk.NewInt64Coin("ubai", 500*bai)})
		return err
	}
	s.runRefusals([]errCase{{"withdraw: held", withdraw, types.ErrCollateralFrozen,
		"collateral of listing 1 is frozen while a flag or slash proposal is open"}})
	_, err = s.msgs.DepositCollateral(s.ctx, &types.MsgDepositCollateral{Owner: a, Id: id, Amount: sdk.NewInt64Coin("ubai", 100*bai)})
	s.Require().NoError(err)

	s.Require().NoError(s.k.Release(s.ctx, id))
	s.runRefusals([]errCase{{"withdraw: still held once", withdraw, types.ErrCollateralFrozen, ""}})
	s.Require().NoError(s.k.Release(s.ctx, id))
	s.Require().Equal(uint64(0), s.holds(id))
	s.Require().NoError(withdraw())
	s.Require().Equal(int64(1_100*bai), s.listing(id).Collateral.Amount.Int64())
	s.invariant()
	s.checkHolds()
}

// TestHoldRefusals: holding an unknown listing and releasing without a hold are refused.
func (s *KeeperSuite) TestHoldRefusals() {
	id := s.register(modelMsg(s.addrs[0]))
	s.runRefusals([]errCase{
		{"hold: missing listing", func() error { _, err := s.k.Hold(s.ctx, 99); return err }, types.ErrListingNotFound, ""},
		{"release: no hold", func() error { return s.k.Release(s.ctx, id) }, types.ErrNotHeld, "listing 1 has no hold"},
		{"slash: negative base", func() error {
			_, err := s.k.SlashAndSuspend(s.ctx, id, math.LegacyOneDec(), math.NewInt(-1), "", "r")
			return err
		}, types.ErrInvalidAmount, "slash base"},
		{"slash: nil base", func() error {
			_, err := s.k.SlashAndSuspend(s.ctx, id, math.LegacyOneDec(), math.Int{}, "", "r")
			return err
		}, types.ErrInvalidAmount, "slash base"},
	})
}

// TestHeldUnlockWaitsAndResumes: an unlock that comes due while held leaves the queue
// (no requeue every block) and the listing keeps its collateral; the release queues it
// for the current block and the next EndBlocker returns it.
func (s *KeeperSuite) TestHeldUnlockWaitsAndResumes() {
	a, b := s.addrs[0], s.addrs[1]
	held := s.register(modelMsg(a))
	free := s.register(modelMsg(b))
	for _, id := range []uint64{held, free} {
		_, err := s.msgs.RetireListing(s.ctx, &types.MsgRetireListing{Owner: s.listing(id).Owner, Id: id})
		s.Require().NoError(err)
	}
	_, err := s.k.Hold(s.ctx, held)
	s.Require().NoError(err)
	due := s.listing(held).UnlockAt

	s.ctx = s.ctx.WithBlockTime(due)
	s.Require().NoError(s.k.EndBlocker(s.ctx))
	s.Require().Equal(types.ListingStatusRetired, s.listing(free).Status)
	l := s.listing(held)
	s.Require().Equal(types.ListingStatusRetiring, l.Status)
	s.Require().Equal(int64(1_000*bai), l.Collateral.Amount.Int64())
	s.Require().Equal(due, l.UnlockAt)
	s.Require().Equal(0, s.queueLen(), "a held unlock leaves the queue")
	s.invariant()

	// Days later, still held: nothing happens and nothing is queued.
	for i := 0; i < 3; i++ {
		s.advance(24 * time.Hour)
		before := s.capture()
		s.Require().NoError(s.k.EndBlocker(s.ctx))
		s.Require().Equal(before, s.capture())
	}

	// Released: queued for now and returned by this block's EndBlocker.
	s.advance(time.Hour)
	s.Require().NoError(s.k.Release(s.ctx, held))
	s.Require().Equal(1, s.queueLen())
	start := s.balance(a)
	s.Require().NoError(s.k.EndBlocker(s.ctx))
	l = s.listing(held)
	s.Require().Equal(types.ListingStatusRetired, l.Status)
	s.Require().True(l.Collateral.IsZero())
	s.Require().Equal(start.AddRaw(1_000*bai).String(), s.balance(a).String())
	s.Require().Equal(0, s.queueLen())
	s.invariant()
	s.checkHolds()
}

// TestReleaseBeforeDueKeepsSchedule: a hold released before the unlock time changes
// nothing: the unlock happens at its time, once.
func (s *KeeperSuite) TestReleaseBeforeDueKeepsSchedule() {
	a := s.addrs[0]
	id := s.register(modelMsg(a))
	_, err := s.msgs.RetireListing(s.ctx, &types.MsgRetireListing{Owner: a, Id: id})
	s.Require().NoError(err)
	_, err = s.k.Hold(s.ctx, id)
	s.Require().NoError(err)
	s.advance(time.Hour)
	s.Require().NoError(s.k.Release(s.ctx, id))
	s.Require().Equal(1, s.queueLen())
	s.advance(types.DefaultUnlockPeriod - 2*time.Hour)
	s.Require().NoError(s.k.EndBlocker(s.ctx))
	s.Require().Equal(types.ListingStatusRetiring, s.listing(id).Status)
	s.advance(time.Hour)
	s.Require().NoError(s.k.EndBlocker(s.ctx))
	s.Require().Equal(types.ListingStatusRetired, s.listing(id).Status)
	s.invariant()
}

// TestSlashUsesBaseAtHold: the fraction applies to the collateral when the hold was taken:
// a withdrawal cannot shrink it (refused) and a later deposit does not raise it; the slash is
// capped at what is left.
func (s *KeeperSuite) TestSlashUsesBaseAtHold() {
	a := s.addrs[0]
	m := modelMsg(a)
	m.Collateral = sdk.NewInt64Coin("ubai", 3_000*bai)
	id := s.register(m)
	base, err := s.k.Hold(s.ctx, id)
	s.Require().NoError(err)
	_, err = s.msgs.WithdrawCollateral(s.ctx, &types.MsgWithdrawCollateral{Owner: a, Id: id, Amount: sdk.NewInt64Coin("ubai", 2_000*bai)})
	s.Require().ErrorIs(err, types.ErrCollateralFrozen)
	_, err = s.msgs.DepositCollateral(s.ctx, &types.MsgDepositCollateral{Owner: a, Id: id, Amount: sdk.NewInt64Coin("ubai", 1_000*bai)})
	s.Require().NoError(err)

	slashed, err := s.k.SlashAndSuspend(s.ctx, id, math.LegacyNewDecWithPrec(5, 1), base.Amount, fundModule, "upheld")
	s.Require().NoError(err)
	s.Require().Equal(sdk.NewInt64Coin("ubai", 1_500*bai), slashed, "50% of the 3,000 BAI at hold, not of 4,000")
	s.Require().Equal(int64(2_500*bai), s.listing(id).Collateral.Amount.Int64())
	s.invariant()

	// The suspended rest waits for the release too.
	s.advance(types.DefaultUnlockPeriod)
	s.Require().NoError(s.k.EndBlocker(s.ctx))
	s.Require().Equal(int64(2_500*bai), s.listing(id).Collateral.Amount.Int64())
	s.Require().NoError(s.k.Release(s.ctx, id))
	s.Require().NoError(s.k.EndBlocker(s.ctx))
	s.Require().True(s.listing(id).Collateral.IsZero())
	s.invariant()

	// Capped at the collateral left.
	other := s.register(modelMsg(a))
	slashed, err = s.k.SlashAndSuspend(s.ctx, other, math.LegacyOneDec(), math.NewInt(5_000*bai), "", "r")
	s.Require().NoError(err)
	s.Require().Equal(sdk.NewInt64Coin("ubai", 1_000*bai), slashed)
	s.invariant()
}

// TestGovHooksHoldAndRelease: a proposal containing MsgSlashListing (also nested in authz
// MsgExec) holds each listing once at submission; the slash executed while it is pending
// uses the collateral at submission; the holds go when the voting period ends, not when an
// expedited proposal is only converted to a regular one; a proposal that fails its deposit
// releases too.
func (s *KeeperSuite) TestGovHooksHoldAndRelease() {
	a := s.addrs[0]
	x := s.register(modelMsg(a))
	y := s.register(modelMsg(a))
	half := math.LegacyNewDecWithPrec(5, 1)
	gov := authtypes.NewModuleAddress(govtypes.ModuleName)
	exec := authz.NewMsgExec(gov, []sdk.Msg{s.slashMsg(y, half)})

	s.Require().NoError(s.submit(1, s.slashMsg(x, half), s.slashMsg(x, math.LegacyOneDec()), &exec))
	s.Require().Equal(uint64(1), s.holds(x), "one hold per (proposal, listing)")
	s.Require().Equal(uint64(1), s.holds(y))
	base, err := s.k.ProposalHolds.Get(s.ctx, collections.Join(uint64(1), x))
	s.Require().NoError(err)
	s.Require().Equal(int64(1_000*bai), base.Int64())
	s.checkHolds()
	_, err = s.msgs.WithdrawCollateral(s.ctx, &types.MsgWithdrawCollateral{Owner: a, Id: x, Amount: sdk.NewInt64Coin("ubai", 1)})
	s.Require().ErrorIs(err, types.ErrCollateralFrozen)

	// A deposit during the vote does not raise the slash.
	_, err = s.msgs.DepositCollateral(s.ctx, &types.MsgDepositCollateral{Owner: a, Id: x, Amount: sdk.NewInt64Coin("ubai", 1_000*bai)})
	s.Require().NoError(err)

	// Expedited proposal converted to regular: the hook fires, the proposal is still voting.
	s.setProposalStatus(1, govv1.StatusVotingPeriod)
	s.Require().NoError(s.k.GovHooks().AfterProposalVotingPeriodEnded(s.ctx, 1))
	s.Require().Equal(uint64(1), s.holds(x))

	// Passed: x/gov executes the slash, then calls the hook.
	res, err := s.msgs.SlashListing(s.ctx, s.slashMsg(x, half))
	s.Require().NoError(err)
	s.Require().Equal(sdk.NewInt64Coin("ubai", 500*bai), res.Slashed)
	s.setProposalStatus(1, govv1.StatusPassed)
	s.Require().NoError(s.k.GovHooks().AfterProposalVotingPeriodEnded(s.ctx, 1))
	s.Require().Equal(uint64(0), s.holds(x))
	s.Require().Equal(uint64(0), s.holds(y))
	has, err := s.k.ProposalHolds.Has(s.ctx, collections.Join(uint64(1), x))
	s.Require().NoError(err)
	s.Require().False(has)

	// Without a pending proposal, the slash applies to the current collateral.
	_, err = s.msgs.DepositCollateral(s.ctx, &types.MsgDepositCollateral{Owner: a, Id: y, Amount: sdk.NewInt64Coin("ubai", 1_000*bai)})
	s.Require().NoError(err)
	res, err = s.msgs.SlashListing(s.ctx, s.slashMsg(y, half))
	s.Require().NoError(err)
	s.Require().Equal(sdk.NewInt64Coin("ubai", 1_000*bai), res.Slashed)

	// A proposal that never reaches its deposit releases its hold.
	z := s.register(modelMsg(a))
	s.Require().NoError(s.submit(2, s.slashMsg(z, half)))
	s.Require().Equal(uint64(1), s.holds(z))
	delete(s.gov.Proposals, 2)
	s.Require().NoError(s.k.GovHooks().AfterProposalFailedMinDeposit(s.ctx, 2))
	s.Require().Equal(uint64(0), s.holds(z))
	s.invariant()
	s.checkHolds()

	// A proposal slashing an unknown listing is refused at submission.
	s.Require().ErrorIs(s.submit(3, s.slashMsg(99, half)), types.ErrListingNotFound)
}

// TestGovSlashBaseEarliestProposal: with two pending proposals, the slash applies to the
// collateral recorded by the earlier one.
func (s *KeeperSuite) TestGovSlashBaseEarliestProposal() {
	a := s.addrs[0]
	x := s.register(modelMsg(a))
	half := math.LegacyNewDecWithPrec(5, 1)
	s.Require().NoError(s.submit(7, s.slashMsg(x, half)))
	_, err := s.msgs.DepositCollateral(s.ctx, &types.MsgDepositCollateral{Owner: a, Id: x, Amount: sdk.NewInt64Coin("ubai", 1_000*bai)})
	s.Require().NoError(err)
	s.Require().NoError(s.submit(8, s.slashMsg(x, half)))
	s.Require().Equal(uint64(2), s.holds(x))
	res, err := s.msgs.SlashListing(s.ctx, s.slashMsg(x, half))
	s.Require().NoError(err)
	s.Require().Equal(sdk.NewInt64Coin("ubai", 500*bai), res.Slashed)
	s.invariant()
}

// TestSweepReleasesCancelledProposals: x/gov calls no hook when a proposal is cancelled;
// the EndBlocker finds such proposals, a bounded number per block, and releases their holds.
func (s *KeeperSuite) TestSweepReleasesCancelledProposals() {
	a := s.addrs[0]
	half := math.LegacyNewDecWithPrec(5, 1)
	const n = 20
	ids := make([]uint64, n)
	for i := range ids {
		m := modelMsg(s.addrs[i%len(s.addrs)])
		ids[i] = s.register(m)
		s.Require().NoError(s.submit(uint64(100+i), s.slashMsg(ids[i], half)))
	}
	// One proposal stays pending; the others are cancelled (deleted) or failed to decode.
	for i := 1; i < n; i++ {
		if i%5 == 0 {
			s.setProposalStatus(uint64(100+i), govv1.StatusFailed)
		} else {
			delete(s.gov.Proposals, uint64(100+i))
		}
	}
	released := func() int {
		c := 0
		for _, id := range ids {
			if s.holds(id) == 0 {
				c++
			}
		}
		return c
	}
	s.Require().NoError(s.k.EndBlocker(s.ctx))
	s.Require().Equal(7, released(), "8 proposals looked at, 1 still pending")
	s.Require().NoError(s.k.EndBlocker(s.ctx))
	s.Require().Equal(15, released())
	s.Require().NoError(s.k.EndBlocker(s.ctx))
	s.Require().Equal(19, released())
	s.Require().Equal(uint64(1), s.holds(ids[0]))
	// The sweep wraps around and keeps the pending proposal's hold.
	for i := 0; i < 3; i++ {
		s.Require().NoError(s.k.EndBlocker(s.ctx))
	}
	s.Require().Equal(uint64(1), s.holds(ids[0]))
	_, err := s.msgs.WithdrawCollateral(s.ctx, &types.MsgWithdrawCollateral{Owner: a, Id: ids[0], Amount: sdk.NewInt64Coin("ubai", 1)})
	s.Require().ErrorIs(err, types.ErrCollateralFrozen)
	s.invariant()
	s.checkHolds()
}

// TestSweepCostDoesNotGrowWithAProposalsListings: the sweep finds each proposal with one seek,
// so a pending proposal slashing the most listings a proposal may costs it what one slashing a
// single listing does.
func (s *KeeperSuite) TestSweepCostDoesNotGrowWithAProposalsListings() {
	half := math.LegacyNewDecWithPrec(5, 1)
	sweepGas := func(listings int) storetypes.Gas {
		s.SetupTest()
		var msgs []sdk.Msg
		for i := 0; i < listings; i++ {
			msgs = append(msgs, s.slashMsg(s.register(modelMsg(s.addrs[i%len(s.addrs)])), half))
		}
		s.Require().NoError(s.submit(7, msgs...))
		ctx := s.ctx.WithGasMeter(storetypes.NewInfiniteGasMeter())
		s.Require().NoError(s.k.EndBlocker(ctx))
		return ctx.GasMeter().GasConsumed()
	}
	one, most := sweepGas(1), sweepGas(keeper.MaxSlashedListingsPerProposal)
	s.Require().Positive(one)
	s.Require().Equal(one, most)
}

// TestHoldsGenesis: holds and proposal holds survive export and import; the imported
// chain freezes and releases the same way; inconsistent holds are refused.
func (s *KeeperSuite) TestHoldsGenesis() {
	a := s.addrs[0]
	x := s.register(modelMsg(a))
	y := s.register(modelMsg(a))
	_, err := s.k.Hold(s.ctx, x)
	s.Require().NoError(err)
	s.Require().NoError(s.submit(4, s.slashMsg(x, math.LegacyOneDec()), s.slashMsg(y, math.LegacyOneDec())))
	gs, err := s.k.ExportGenesis(s.ctx)
	s.Require().NoError(err)
	s.Require().Equal([]types.CollateralHold{{ListingId: x, Count: 2}, {ListingId: y, Count: 1}}, gs.Holds)
	s.Require().Len(gs.ProposalHolds, 2)
	s.Require().Equal(types.ProposalHold{ProposalId: 4, ListingId: x, Base: math.NewInt(1_000 * bai)}, gs.ProposalHolds[0])
	s.Require().NoError(gs.Validate())

	ctx2, key2, _, bank2, k2 := newKeeper(s.T(), keeper.WithGovProposals(s.gov))
	bank2.Balances, bank2.Supply = s.bank.Balances, s.bank.Supply
	s.Require().NoError(k2.InitGenesis(ctx2, gs))
	s.Require().NoError(k2.CheckHolds(ctx2))
	gs2, err := k2.ExportGenesis(ctx2)
	s.Require().NoError(err)
	s.Require().Equal(gs, gs2)
	dump := map[string]string{}
	it := ctx2.KVStore(key2).Iterator(nil, nil)
	for ; it.Valid(); it.Next() {
		dump[string(it.Key())] = string(it.Value())
	}
	s.Require().NoError(it.Close())
	s.Require().Equal(s.storeDump(), dump)
	_, err = keeper.NewMsgServerImpl(k2).WithdrawCollateral(ctx2, &types.MsgWithdrawCollateral{Owner: a, Id: y, Amount: sdk.NewInt64Coin("ubai", 1)})
	s.Require().ErrorIs(err, types.ErrCollateralFrozen)

	for name, mut := range map[string]func(gs *types.GenesisState){
		"hold on missing listing": func(gs *types.GenesisState) { gs.Holds[1].ListingId = 9 },
		"zero count":              func(gs *types.GenesisState) { gs.Holds[0].Count = 0 },
		"duplicate hold":          func(gs *types.GenesisState) { gs.Holds[1].ListingId = x },
		"unordered holds":         func(gs *types.GenesisState) { gs.Holds[0], gs.Holds[1] = gs.Holds[1], gs.Holds[0] },
		"proposal hold on missing": func(gs *types.GenesisState) {
			gs.ProposalHolds[1].ListingId = 9
		},
		"duplicate proposal hold": func(gs *types.GenesisState) { gs.ProposalHolds[1] = gs.ProposalHolds[0] },
		"negative base":           func(gs *types.GenesisState) { gs.ProposalHolds[0].Base = math.NewInt(-1) },
		"uncounted proposal hold": func(gs *types.GenesisState) { gs.Holds = gs.Holds[:1] },
	} {
		gs, err := s.k.ExportGenesis(s.ctx)
		s.Require().NoError(err)
		mut(gs)
		s.Require().ErrorIs(gs.Validate(), types.ErrInvalidGenesis, name)
	}
}

// TestHoldsInvariant: a hold on a missing listing, or a proposal hold not counted among
// the listing's holds, breaks the invariant.
func (s *KeeperSuite) TestHoldsInvariant() {
	id := s.register(modelMsg(s.addrs[0]))
	s.Require().NoError(s.submit(1, s.slashMsg(id, math.LegacyOneDec())))
	s.checkHolds()
	s.Require().NoError(s.k.Holds.Set(s.ctx, 42, 1))
	s.Require().ErrorContains(s.k.CheckHolds(s.ctx), "missing listing 42")
	s.Require().NoError(s.k.Holds.Remove(s.ctx, 42))
	s.Require().NoError(s.k.ProposalHolds.Set(s.ctx, collections.Join(uint64(2), id), math.ZeroInt()))
	s.Require().ErrorContains(s.k.CheckHolds(s.ctx), "2 proposal holds but 1 holds")
}

// TestProposalSlashesAtMostTenListings: one proposal cannot freeze more than
// MaxSlashedListingsPerProposal listings; a refused submission holds nothing.
func (s *KeeperSuite) TestProposalSlashesAtMostTenListings() {
	a := s.addrs[0]
	half := math.LegacyNewDecWithPrec(5, 1)
	var msgs []sdk.Msg
	var ids []uint64
	for i := 0; i <= keeper.MaxSlashedListingsPerProposal; i++ {
		id := s.register(modelMsg(a))
		ids = append(ids, id)
		msgs = append(msgs, s.slashMsg(id, half))
	}
	err := s.submit(1, msgs...)
	s.Require().ErrorIs(err, types.ErrTooManySlashes)
	for _, id := range ids {
		s.Require().Zero(s.holds(id))
	}
	// Ten distinct listings, one of them named twice, is within the bound.
	tenth := msgs[keeper.MaxSlashedListingsPerProposal-1]
	s.Require().NoError(s.submit(2, append(msgs[:keeper.MaxSlashedListingsPerProposal:keeper.MaxSlashedListingsPerProposal], tenth)...))
	for _, id := range ids[:keeper.MaxSlashedListingsPerProposal] {
		s.Require().Equal(uint64(1), s.holds(id))
	}
	s.Require().Zero(s.holds(ids[keeper.MaxSlashedListingsPerProposal]))
	s.checkHolds()
}

// TestProposalNestedTooDeepRefused: authz MsgExec is searched for MsgSlashListing four levels
// deep; a proposal nesting deeper is refused, so no slash escapes its hold and its checks.
func (s *KeeperSuite) TestProposalNestedTooDeepRefused() {
	a := s.addrs[0]
	id := s.register(modelMsg(a))
	gov := authtypes.NewModuleAddress(govtypes.ModuleName)
	wrap := func(msg sdk.Msg, times int) sdk.Msg {
		for range times {
			exec := authz.NewMsgExec(gov, []sdk.Msg{msg})
			msg = &exec
		}
		return msg
	}
	slash := s.slashMsg(id, math.LegacyNewDecWithPrec(5, 1))
	s.Require().ErrorIs(s.submit(1, wrap(slash, 5)), types.ErrNestedTooDeep)
	s.Require().Zero(s.holds(id))
	s.Require().NoError(s.submit(2, wrap(slash, 4)))
	s.Require().Equal(uint64(1), s.holds(id), "four levels deep is searched and held")
}

// TestWalkFlagHolds: a listing's holds besides its governance proposals' are reported, in
// listing order; a listing held by proposals alone is not.
func (s *KeeperSuite) TestWalkFlagHolds() {
	a := s.addrs[0]
	x := s.register(modelMsg(a))
	y := s.register(modelMsg(a))
	z := s.register(modelMsg(a))
	for _, id := range []uint64{z, x, z} {
		_, err := s.k.Hold(s.ctx, id)
		s.Require().NoError(err)
	}
	s.Require().NoError(s.submit(4, s.slashMsg(x, math.LegacyOneDec()), s.slashMsg(y, math.LegacyOneDec())))
	type held struct{ id, n uint64 }
	var got []held
	s.Require().NoError(s.k.WalkFlagHolds(s.ctx, func(id, n uint64) error {
		got = append(got, held{id, n})
		return nil
	}))
	s.Require().Equal([]held{{x, 1}, {z, 2}}, got)
}

// TestGenesisProposalHoldsBounded: a proposal holds at most MaxSlashedListingsPerProposal
// listings, as at submission: its holds are released in one block.
func (s *KeeperSuite) TestGenesisProposalHoldsBounded() {
	var ids []uint64
	for i := 0; i <= types.MaxSlashedListingsPerProposal; i++ {
		ids = append(ids, s.register(modelMsg(s.addrs[0])))
	}
	gs, err := s.k.ExportGenesis(s.ctx)
	s.Require().NoError(err)
	for _, id := range ids {
		gs.Holds = append(gs.Holds, types.CollateralHold{ListingId: id, Count: 1})
		gs.ProposalHolds = append(gs.ProposalHolds, types.ProposalHold{ProposalId: 4, ListingId: id, Base: math.OneInt()})
	}
	s.Require().ErrorContains(gs.Validate(), fmt.Sprintf("proposal 4 holds more than %d listings", types.MaxSlashedListingsPerProposal))
	gs.ProposalHolds = gs.ProposalHolds[:types.MaxSlashedListingsPerProposal]
	gs.Holds = gs.Holds[:types.MaxSlashedListingsPerProposal]
	s.Require().NoError(gs.Validate())
}
