package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/grants/types"
)

// CheckFunds verifies the fund invariant: for each fund, the recorded reserve equals the
// unpaid milestones of its APPROVED grants and the fund account's balance covers it
// (balance = free + reserved with free ≥ 0). It walks the APPROVED index.
func (k Keeper) CheckFunds(ctx context.Context) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	reserved := map[types.GrantFund]math.Int{types.GrantFundModels: math.ZeroInt(), types.GrantFundAgents: math.ZeroInt()}
	err = k.walkStatus(ctx, types.GrantStatusApproved, func(g types.Grant) error {
		reserved[g.Fund] = reserved[g.Fund].Add(g.Unpaid())
		return nil
	})
	if err != nil {
		return err
	}
	for _, f := range types.AllFunds {
		fs, err := k.GetFundState(ctx, f)
		if err != nil {
			return err
		}
		if !fs.Reserved.Equal(reserved[f]) {
			return fmt.Errorf("fund %s: reserved %s does not equal the approved grants' unpaid milestones %s", f, fs.Reserved, reserved[f])
		}
		if bal := k.FundBalance(ctx, f, params.Denom); bal.LT(fs.Reserved) {
			return fmt.Errorf("fund %s: balance %s%s is below reserved %s", f, bal, params.Denom, fs.Reserved)
		}
	}
	return nil
}

// CheckRewards verifies that claimable rewards are fully backed: per fund, the recorded
// unclaimed total equals the sum of the credits, an epoch payout in progress has credited no
// more than its pools, and the grants module account holds at least every credit, the
// uncredited rest of the pools and the deposits of the VOTING grants.
func (k Keeper) CheckRewards(ctx context.Context) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	credited := map[types.GrantFund]math.Int{types.GrantFundModels: math.ZeroInt(), types.GrantFundAgents: math.ZeroInt()}
	err = k.Rewards.Walk(ctx, nil, func(key collections.Pair[sdk.AccAddress, int32], amt math.Int) (bool, error) {
		f := types.GrantFund(key.K2())
		if _, ok := credited[f]; !ok || !amt.IsPositive() {
			return true, fmt.Errorf("bad reward entry %s/%d: %s", key.K1(), key.K2(), amt)
		}
		credited[f] = credited[f].Add(amt)
		return false, nil
	})
	if err != nil {
		return err
	}
	owed := math.ZeroInt()
	for _, f := range types.AllFunds {
		fs, err := k.GetFundState(ctx, f)
		if err != nil {
			return err
		}
		if !fs.Unclaimed.Equal(credited[f]) {
			return fmt.Errorf("fund %s: unclaimed %s does not equal the credited rewards %s", f, fs.Unclaimed, credited[f])
		}
		owed = owed.Add(fs.Unclaimed)
	}
	p, err := k.Payout.Get(ctx)
	switch {
	case err == nil:
		for _, fp := range p.Funds {
			if fp.CuratorsPaid.GT(fp.CuratorPool) || fp.ListingsPaid.GT(fp.ListingPool) {
				return fmt.Errorf("epoch %d payout of %s credited more than its pools", p.Epoch, fp.Fund)
			}
			owed = owed.Add(fp.Left())
		}
	case !errorsmod.IsOf(err, collections.ErrNotFound):
		return err
	}
	err = k.walkStatus(ctx, types.GrantStatusVoting, func(g types.Grant) error {
		owed = owed.Add(g.Deposit.Amount)
		return nil
	})
	if err != nil {
		return err
	}
	if bal := k.bankKeeper.GetBalance(ctx, k.moduleAddr, params.Denom).Amount; bal.LT(owed) {
		return fmt.Errorf("grants account holds %s%s, less than the unclaimed rewards and voting deposits %s", bal, params.Denom, owed)
	}
	return nil
}

// CheckPayments verifies that nothing was paid twice: every grant's paid total equals its
// PAID milestones, which are exactly those before next_milestone.
func (k Keeper) CheckPayments(ctx context.Context) error {
	return k.Grants.Walk(ctx, nil, func(id uint64, g types.Grant) (bool, error) {
		paid := math.ZeroInt()
		for i, m := range g.Milestones {
			isPaid := m.Status == types.MilestoneStatusPaid
			if isPaid != (i < int(g.NextMilestone)) {
				return true, fmt.Errorf("grant %d: milestone %d is %s with next_milestone %d", id, i, m.Status, g.NextMilestone)
			}
			if isPaid {
				paid = paid.Add(m.Amount.Amount)
			}
		}
		if !paid.Equal(g.Paid) {
			return true, fmt.Errorf("grant %d: paid %s does not equal its paid milestones %s", id, g.Paid, paid)
		}
		return false, nil
	})
}

// CheckSnapshots verifies that no vote or review outweighs its snapshot: a grant's tally and
// each milestone's approve + reject weight are at most the total curator bond snapshotted
// when the vote or review opened (every weight is at most the voter's bond then).
func (k Keeper) CheckSnapshots(ctx context.Context) error {
	return k.Grants.Walk(ctx, nil, func(id uint64, g types.Grant) (bool, error) {
		if cast := g.Tally.Cast(); cast.GT(g.VotingTotalBonded) {
			return true, fmt.Errorf("grant %d: tally %s exceeds the %s bonded when voting opened at height %d", id, cast, g.VotingTotalBonded, g.VotingOpenedHeight)
		}
		for i, m := range g.Milestones {
			if cast := m.ApproveWeight.Add(m.RejectWeight); cast.GT(m.ReviewTotalBonded) {
				return true, fmt.Errorf("grant %d milestone %d: review weight %s exceeds the %s bonded when the review opened at height %d", id, i, cast, m.ReviewTotalBonded, m.ReviewOpenedHeight)
			}
		}
		return false, nil
	})
}

// CheckInvariants runs every invariant check: the registered invariants, which the app runs
// after every block of its test chains and simulations and on demand (`baid q invariants`).
func (k Keeper) CheckInvariants(ctx context.Context) error {
	for _, check := range []func(context.Context) error{k.CheckFunds, k.CheckRewards, k.CheckPayments, k.CheckSnapshots, k.CheckPayoutEpoch} {
		if err := check(ctx); err != nil {
			return err
		}
	}
	return nil
}

// CheckPayoutEpoch checks that a payout still tallying names an epoch whose results x/curation
// has yet to hand over (pending or completed): the payout waits for them, and blocks every later
// epoch's rewards while it waits, so an epoch x/curation will never complete would stop them for
// ever.
func (k Keeper) CheckPayoutEpoch(ctx context.Context) error {
	p, err := k.Payout.Get(ctx)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return nil
	}
	if err != nil || p.Tallied {
		return err
	}
	awaiting, err := k.curationKeeper.EpochAwaitingResults(ctx, p.Epoch)
	if err != nil {
		return err
	}
	if !awaiting {
		return fmt.Errorf("the payout tallies epoch %d, which x/curation neither finalises nor holds results of", p.Epoch)
	}
	return nil
}

// walkStatus calls fn for every grant with the given status, through the status index.
func (k Keeper) walkStatus(ctx context.Context, s types.GrantStatus, fn func(types.Grant) error) error {
	it, err := k.Grants.Indexes.Status.MatchExact(ctx, int32(s))
	if err != nil {
		return err
	}
	defer it.Close()
	for ; it.Valid(); it.Next() {
		id, err := it.PrimaryKey()
		if err != nil {
			return err
		}
		g, err := k.Grants.Get(ctx, id)
		if err != nil {
			return err
		}
		if err := fn(g); err != nil {
			return err
		}
	}
	return nil
}

// RegisterInvariants registers the grants invariants.
func RegisterInvariants(ir sdk.InvariantRegistry, k Keeper) {
	for _, inv := range []struct {
		route string
		check func(context.Context) error
		ok    string
	}{
		{"funds", k.CheckFunds, "fund balances cover their reserves"},
		{"rewards", k.CheckRewards, "claimable rewards are backed"},
		{"payments", k.CheckPayments, "no milestone paid twice"},
		{"snapshots", k.CheckSnapshots, "no vote outweighs its snapshot"},
		{"payout-epoch", k.CheckPayoutEpoch, "a payout still tallying waits for an epoch x/curation will complete"},
	} {
		ir.RegisterRoute(types.ModuleName, inv.route, chainutil.Invariant(types.ModuleName, inv.route, inv.check, inv.ok))
	}
}
