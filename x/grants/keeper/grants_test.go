package keeper_test

import (
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/grants/types"
	mkt "github.com/balanceai/balanceai/x/marketplace/types"
)

const (
	fundStart = int64(1_000_000_000) // 1,000 BAI: max grant 100 BAI
	deposit   = int64(50_000_000)
	appStart  = int64(500_000_000)
)

var (
	applicant = addr("applicant")
	cur1      = addr("cur1") // bond 400
	cur2      = addr("cur2") // bond 300
	cur3      = addr("cur3") // bond 300
)

// lifecycleFixture: a funded models fund, an applicant owning model listing 1, and three
// curators with 1,000 bonded in total (quorum 1/3 ≈ 333.3), bonded in the block before.
func lifecycleFixture(t *testing.T) *fixture {
	f := newFixture(t)
	f.fund(modelsFund, fundStart)
	f.fund(agentsFund, fundStart)
	f.fund(applicant, appStart)
	f.addListing(1, mkt.ListingKindModel, applicant, mkt.ListingStatusActive)
	f.bond(cur1, 400)
	f.bond(cur2, 300)
	f.bond(cur3, 300)
	f.nextBlock()
	return f
}

// endVoting moves past the voting period and runs the EndBlocker.
func (f *fixture) endVoting() {
	f.advance(types.DefaultGrantVotingPeriod)
	f.endBlock()
}

func TestGrantVoting(t *testing.T) {
	cases := []struct {
		name      string
		votes     map[string]types.VoteOption
		status    types.GrantStatus
		forfeited bool
	}{
		{"pass", map[string]types.VoteOption{"cur1": types.VoteOptionYes}, types.GrantStatusApproved, false},
		{"pass with abstain", map[string]types.VoteOption{"cur1": types.VoteOptionAbstain, "cur2": types.VoteOptionYes}, types.GrantStatusApproved, false},
		{"no quorum", map[string]types.VoteOption{"cur2": types.VoteOptionYes}, types.GrantStatusRejected, false},
		{"no votes", nil, types.GrantStatusRejected, false},
		{"majority no", map[string]types.VoteOption{"cur1": types.VoteOptionNo, "cur2": types.VoteOptionYes}, types.GrantStatusRejected, false},
		{"tie fails", map[string]types.VoteOption{"cur2": types.VoteOptionNo, "cur3": types.VoteOptionYes}, types.GrantStatusRejected, false},
		{"veto", map[string]types.VoteOption{"cur1": types.VoteOptionNoWithVeto, "cur2": types.VoteOptionYes, "cur3": types.VoteOptionYes}, types.GrantStatusRejected, true},
		{"veto below threshold", map[string]types.VoteOption{"cur2": types.VoteOptionNoWithVeto, "cur1": types.VoteOptionYes, "cur3": types.VoteOptionYes}, types.GrantStatusApproved, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := lifecycleFixture(t)
			id := f.submit(submitMsg(applicant, types.GrantFundModels, 1, 40_000_000, 60_000_000))
			require.Equal(t, appStart-deposit, f.bank.Balance(applicant, denom).Int64())
			require.Equal(t, deposit, f.bank.Balance(grantsAcc, denom).Int64())
			for _, c := range []string{"cur1", "cur2", "cur3"} {
				if opt, ok := tc.votes[c]; ok {
					f.vote(addr(c), id, opt)
				}
			}
			// Nothing happens before the end of the voting period.
			f.advance(types.DefaultGrantVotingPeriod - time.Second)
			f.endBlock()
			require.Equal(t, types.GrantStatusVoting, f.grant(id).Status)

			f.advance(time.Second)
			f.endBlock()
			g := f.grant(id)
			require.Equal(t, tc.status, g.Status, g.Outcome)
			require.Equal(t, tc.forfeited, g.DepositForfeited)
			require.Equal(t, int64(0), f.bank.Balance(grantsAcc, denom).Int64(), "the deposit left the grants account")
			if tc.forfeited {
				require.Equal(t, appStart-deposit, f.bank.Balance(applicant, denom).Int64())
				require.Equal(t, fundStart+deposit, f.bank.Balance(modelsFund, denom).Int64())
			} else {
				require.Equal(t, appStart, f.bank.Balance(applicant, denom).Int64())
				require.Equal(t, fundStart, f.bank.Balance(modelsFund, denom).Int64())
			}
			reserved := int64(0)
			if tc.status == types.GrantStatusApproved {
				reserved = 100_000_000
			}
			require.Equal(t, reserved, f.fundState(types.GrantFundModels).Reserved.Int64())
			free, err := f.k.FreeBalance(f.ctx, types.GrantFundModels, denom)
			require.NoError(t, err)
			require.Equal(t, f.bank.Balance(modelsFund, denom).Int64()-reserved, free.Int64())
			has, err := f.k.VotingQueue.Has(f.ctx, collectionsJoin(g))
			require.NoError(t, err)
			require.False(t, has)
		})
	}
}

func TestGovDecide(t *testing.T) {
	f := lifecycleFixture(t)
	a := f.submit(submitMsg(applicant, types.GrantFundModels, 0, 100_000_000))
	b := f.submit(submitMsg(applicant, types.GrantFundModels, 0, 10_000_000))

	res, err := f.msg.DecideGrant(f.ctx, &types.MsgDecideGrant{Authority: f.authority, GrantId: a, Approve: true})
	require.NoError(t, err)
	require.Equal(t, types.GrantStatusApproved, res.Status)
	f.checkInvariants()
	res, err = f.msg.DecideGrant(f.ctx, &types.MsgDecideGrant{Authority: f.authority, GrantId: b, Approve: false})
	require.NoError(t, err)
	require.Equal(t, types.GrantStatusRejected, res.Status)
	f.checkInvariants()
	require.Equal(t, appStart, f.bank.Balance(applicant, denom).Int64(), "both deposits returned")
	require.Equal(t, int64(100_000_000), f.fundState(types.GrantFundModels).Reserved.Int64())

	// The voting-period end no longer touches decided grants.
	f.vote(cur1, f.submit(submitMsg(applicant, types.GrantFundModels, 0, 1)), types.VoteOptionNo)
	f.endVoting()
	require.Equal(t, types.GrantStatusApproved, f.grant(a).Status)
	require.Equal(t, types.GrantStatusRejected, f.grant(b).Status)

	// Governance closes an approved grant: the reserve returns to free.
	res, err = f.msg.DecideGrant(f.ctx, &types.MsgDecideGrant{Authority: f.authority, GrantId: a, Approve: false})
	require.NoError(t, err)
	require.Equal(t, types.GrantStatusClosed, res.Status)
	f.checkInvariants()
	require.True(t, f.fundState(types.GrantFundModels).Reserved.IsZero())
}

// TestApprovalWithoutFreeBalance: grants each within max_grant_fraction at submission, but
// approvals exhaust the free balance: the one that no longer fits is FAILED, deposit returned.
func TestApprovalWithoutFreeBalance(t *testing.T) {
	f := lifecycleFixture(t)
	f.fund(applicant, 11*deposit)
	var ids []uint64
	for i := 0; i < 11; i++ {
		ids = append(ids, f.submit(submitMsg(applicant, types.GrantFundModels, 0, 100_000_000)))
	}
	for i, id := range ids {
		res, err := f.msg.DecideGrant(f.ctx, &types.MsgDecideGrant{Authority: f.authority, GrantId: id, Approve: true})
		require.NoError(t, err)
		f.checkInvariants()
		if i < 10 {
			require.Equal(t, types.GrantStatusApproved, res.Status)
		} else {
			require.Equal(t, types.GrantStatusFailed, res.Status)
			require.Contains(t, f.grant(id).Outcome, "insufficient free balance")
		}
	}
	require.Equal(t, fundStart, f.fundState(types.GrantFundModels).Reserved.Int64())
	require.Equal(t, appStart+11*deposit, f.bank.Balance(applicant, denom).Int64(), "every deposit returned")
	// Nothing is free: an epoch pays nothing from the models fund.
	f.pay(0, epochWithListing(1, 90))
	require.Equal(t, fundStart, f.bank.Balance(modelsFund, denom).Int64())
}

// TestCuratorApprovalHeldToFractionLessReservedSince: three grants, each max_grant_fraction of
// the free balance at submission, pass their curator votes in one block. The first is
// approved; the others no longer fit the fraction of the free balance at submission less what
// was reserved since and are FAILED, deposits returned, so grants submitted together cannot
// each take the fraction.
func TestCuratorApprovalHeldToFractionLessReservedSince(t *testing.T) {
	f := lifecycleFixture(t)
	f.fund(applicant, 3*deposit)
	tenth := fundStart / 10
	var ids []uint64
	for i := 0; i < 3; i++ {
		id := f.submit(submitMsg(applicant, types.GrantFundModels, 0, tenth))
		f.vote(cur1, id, types.VoteOptionYes)
		ids = append(ids, id)
	}
	f.endVoting()
	f.checkInvariants()
	require.Equal(t, types.GrantStatusApproved, f.grant(ids[0]).Status)
	for _, id := range ids[1:] {
		require.Equal(t, types.GrantStatusFailed, f.grant(id).Status)
		require.Contains(t, f.grant(id).Outcome, "over max_grant_fraction of the free balance")
	}
	require.Equal(t, tenth, f.fundState(types.GrantFundModels).Reserved.Int64())
	require.Equal(t, tenth, f.fundState(types.GrantFundModels).TotalReserved.Int64())
	require.Equal(t, appStart+3*deposit, f.bank.Balance(applicant, denom).Int64(), "every deposit returned")
}

// TestCuratorApprovalIgnoresFreeBalanceSwings: a grant of max_grant_fraction of the free
// balance at submission is approved by its curators although an epoch's rewards took much of
// the free balance during the vote: only reservations since submission count against it.
func TestCuratorApprovalIgnoresFreeBalanceSwings(t *testing.T) {
	f := lifecycleFixture(t)
	tenth := fundStart / 10
	id := f.submit(submitMsg(applicant, types.GrantFundModels, 0, tenth))
	require.Equal(t, fundStart, f.grant(id).FreeAtSubmission.Int64())
	f.vote(cur1, id, types.VoteOptionYes)
	f.pay(0, epochWithListing(1, 90))
	free, err := f.k.FreeBalance(f.ctx, types.GrantFundModels, denom)
	require.NoError(t, err)
	require.Less(t, free.Int64(), fundStart*9/10, "the epoch took more than a tenth of the free balance")
	f.endVoting()
	f.checkInvariants()
	require.Equal(t, types.GrantStatusApproved, f.grant(id).Status)
}

func TestMaxGrantFraction(t *testing.T) {
	f := lifecycleFixture(t)
	before := f.state()
	_, err := f.msg.SubmitGrant(f.ctx, submitMsg(applicant, types.GrantFundModels, 1, 50_000_000, 50_000_001))
	require.ErrorIs(t, err, types.ErrGrantTooLarge)
	require.Equal(t, before, f.state())
	f.submit(submitMsg(applicant, types.GrantFundModels, 1, 50_000_000, 50_000_000))
}

// approvedGrant returns a grant approved by curators with milestones 30 and 70 BAI.
func approvedGrant(t *testing.T, f *fixture) uint64 {
	id := f.submit(submitMsg(applicant, types.GrantFundModels, 0, 30_000_000, 70_000_000))
	f.vote(cur1, id, types.VoteOptionYes)
	f.endVoting()
	require.Equal(t, types.GrantStatusApproved, f.grant(id).Status)
	return id
}

func (f *fixture) submitMilestone(id uint64, idx uint32) {
	f.t.Helper()
	_, err := f.msg.SubmitMilestone(f.ctx, &types.MsgSubmitMilestone{Applicant: applicant.String(), GrantId: id, Index: idx, EvidenceCid: cidV0})
	require.NoError(f.t, err)
	f.checkInvariants()
}

func (f *fixture) review(c sdk.AccAddress, id uint64, idx uint32, approve bool) types.MilestoneStatus {
	f.t.Helper()
	res, err := f.msg.ReviewMilestone(f.ctx, &types.MsgReviewMilestone{Curator: c.String(), GrantId: id, Index: idx, Approve: approve})
	require.NoError(f.t, err)
	f.checkInvariants()
	return res.Status
}

// endReview moves to the end of the in-review milestone's review period and runs the
// EndBlocker, checking that one second earlier nothing was decided.
func (f *fixture) endReview(id uint64) {
	f.t.Helper()
	g := f.grant(id)
	m := g.Milestones[g.NextMilestone]
	require.Equal(f.t, types.MilestoneStatusInReview, m.Status)
	f.advance(m.ReviewEnd.Sub(f.ctx.BlockTime()) - time.Second)
	f.endBlock()
	require.Equal(f.t, types.MilestoneStatusInReview, f.grant(id).Milestones[g.NextMilestone].Status, "decided before the review end")
	f.advance(time.Second)
	f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
	f.endBlock()
}

// milestoneDecided returns the EventMilestoneDecided events of the current context.
func (f *fixture) milestoneDecided() []*types.EventMilestoneDecided {
	f.t.Helper()
	var out []*types.EventMilestoneDecided
	for _, ev := range f.ctx.EventManager().Events() {
		if ev.Type != "balanceai.grants.v1.EventMilestoneDecided" {
			continue
		}
		msg, err := sdk.ParseTypedEvent(abci.Event(ev))
		require.NoError(f.t, err)
		out = append(out, msg.(*types.EventMilestoneDecided))
	}
	return out
}

func TestMilestonesPaid(t *testing.T) {
	f := lifecycleFixture(t)
	id := approvedGrant(t, f)

	f.submitMilestone(id, 0)
	require.Equal(t, types.MilestoneStatusInReview, f.review(cur2, id, 0, true))
	require.Equal(t, types.MilestoneStatusInReview, f.review(cur3, id, 0, true), "600 approving is a quorum, but the review runs to its end")
	require.Equal(t, appStart, f.bank.Balance(applicant, denom).Int64(), "nothing is paid before the review end")
	f.advance(time.Hour)
	require.Equal(t, types.MilestoneStatusInReview, f.review(cur1, id, 0, false))
	f.endReview(id)
	require.Equal(t, appStart+30_000_000, f.bank.Balance(applicant, denom).Int64())
	require.Equal(t, fundStart-30_000_000, f.bank.Balance(modelsFund, denom).Int64())
	require.Equal(t, int64(70_000_000), f.fundState(types.GrantFundModels).Reserved.Int64())
	g := f.grant(id)
	require.Equal(t, types.MilestoneStatusPaid, g.Milestones[0].Status, "600 approving against 400 rejecting")
	require.Equal(t, uint32(1), g.NextMilestone)
	require.Equal(t, int64(30_000_000), g.Paid.Int64())
	dec := f.milestoneDecided()
	require.Len(t, dec, 1)
	require.Equal(t, types.MilestoneStatusPaid, dec[0].Status)
	require.Equal(t, int64(600), dec[0].ApproveWeight.Int64())
	require.Equal(t, int64(400), dec[0].RejectWeight.Int64())
	require.Equal(t, int64(1000), dec[0].ReviewTotalBonded.Int64())

	// A paid milestone cannot be reviewed or submitted again.
	_, err := f.msg.ReviewMilestone(f.ctx, &types.MsgReviewMilestone{Curator: cur1.String(), GrantId: id, Index: 0, Approve: true})
	require.ErrorIs(t, err, types.ErrInvalidStatus)
	_, err = f.msg.SubmitMilestone(f.ctx, &types.MsgSubmitMilestone{Applicant: applicant.String(), GrantId: id, Index: 0, EvidenceCid: cidV1})
	require.ErrorIs(t, err, types.ErrInvalidMilestone)

	f.submitMilestone(id, 1)
	require.Equal(t, types.MilestoneStatusInReview, f.review(cur1, id, 1, true))
	f.endReview(id)
	g = f.grant(id)
	require.Equal(t, types.MilestoneStatusPaid, g.Milestones[1].Status)
	require.Equal(t, types.GrantStatusCompleted, g.Status)
	require.Equal(t, appStart+100_000_000, f.bank.Balance(applicant, denom).Int64())
	require.True(t, f.fundState(types.GrantFundModels).Reserved.IsZero())
	require.Equal(t, int64(100_000_000), f.fundState(types.GrantFundModels).TotalGranted.Int64())

	// Nothing is left to decide after completion.
	f.advance(types.DefaultMilestoneReviewPeriod)
	f.endBlock()
	require.Equal(t, appStart+100_000_000, f.bank.Balance(applicant, denom).Int64())
}

// TestMilestoneDecidedAtReviewEnd: a milestone is decided only when its review period ends,
// by a majority of the weight cast with a quorum of 1/3 of the weight snapshotted when the
// review opened. Approvals reaching the quorum early do not pay: curators reviewing later
// can still reject.
func TestMilestoneDecidedAtReviewEnd(t *testing.T) {
	type review struct {
		curator string
		approve bool
	}
	cases := []struct {
		name    string
		reviews []review
		want    types.MilestoneStatus
	}{
		{"majority approves", []review{{"cur1", true}, {"cur2", false}}, types.MilestoneStatusPaid},
		{"early quorum of approvals overturned", []review{{"cur1", true}, {"cur2", false}, {"cur3", false}}, types.MilestoneStatusRejected},
		{"tie rejects", []review{{"cur2", true}, {"cur3", false}}, types.MilestoneStatusRejected},
		{"rejected", []review{{"cur1", false}}, types.MilestoneStatusRejected},
		{"approvals below quorum", []review{{"cur2", true}}, types.MilestoneStatusExpired},
		{"no reviews", nil, types.MilestoneStatusExpired},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := lifecycleFixture(t)
			id := approvedGrant(t, f)
			f.submitMilestone(id, 0)
			for _, r := range tc.reviews {
				require.Equal(t, types.MilestoneStatusInReview, f.review(addr(r.curator), id, 0, r.approve), "%s's review decides nothing", r.curator)
				require.Equal(t, appStart, f.bank.Balance(applicant, denom).Int64())
				require.Equal(t, types.GrantStatusApproved, f.grant(id).Status)
				f.advance(time.Hour)
			}
			f.endReview(id)
			g := f.grant(id)
			require.Equal(t, tc.want, g.Milestones[0].Status)
			dec := f.milestoneDecided()
			require.Len(t, dec, 1)
			require.Equal(t, tc.want, dec[0].Status)
			if tc.want == types.MilestoneStatusPaid {
				require.Equal(t, types.GrantStatusApproved, g.Status)
				require.Equal(t, appStart+30_000_000, f.bank.Balance(applicant, denom).Int64())
				require.Equal(t, int64(70_000_000), f.fundState(types.GrantFundModels).Reserved.Int64())
			} else {
				require.Equal(t, types.GrantStatusClosed, g.Status)
				reason := "milestone rejected"
				if tc.want == types.MilestoneStatusExpired {
					reason = "milestone expired"
				}
				require.Equal(t, reason, g.Outcome)
				require.Equal(t, appStart, f.bank.Balance(applicant, denom).Int64())
				require.True(t, f.fundState(types.GrantFundModels).Reserved.IsZero(), "the unpaid reserve returned to free")
				require.Equal(t, fundStart, f.bank.Balance(modelsFund, denom).Int64())
			}
			n := 0
			require.NoError(t, f.k.ReviewQueue.Walk(f.ctx, nil, func(_ pairKey) (bool, error) { n++; return false, nil }))
			require.Zero(t, n)
		})
	}
}

func TestMilestoneExpiryClosesGrant(t *testing.T) {
	f := lifecycleFixture(t)
	id := approvedGrant(t, f)
	f.submitMilestone(id, 0)
	f.review(cur2, id, 0, true) // 300: below quorum

	f.advance(types.DefaultMilestoneReviewPeriod - time.Second)
	f.endBlock()
	require.Equal(t, types.GrantStatusApproved, f.grant(id).Status)
	f.advance(time.Second)
	// Reviews are refused once the period is over, even before the EndBlocker ran.
	_, err := f.msg.ReviewMilestone(f.ctx, &types.MsgReviewMilestone{Curator: cur1.String(), GrantId: id, Index: 0, Approve: true})
	require.ErrorIs(t, err, types.ErrReviewClosed)
	f.endBlock()
	g := f.grant(id)
	require.Equal(t, types.GrantStatusClosed, g.Status)
	require.Equal(t, types.MilestoneStatusExpired, g.Milestones[0].Status)
	require.True(t, f.fundState(types.GrantFundModels).Reserved.IsZero())
	require.Equal(t, fundStart, f.bank.Balance(modelsFund, denom).Int64())
}

// TestMilestonePartialThenClose: after one paid milestone, an expiry releases only the rest.
func TestMilestonePartialThenClose(t *testing.T) {
	f := lifecycleFixture(t)
	id := approvedGrant(t, f)
	f.submitMilestone(id, 0)
	f.review(cur1, id, 0, true)
	f.endReview(id)
	f.submitMilestone(id, 1)
	f.endReview(id)
	g := f.grant(id)
	require.Equal(t, types.GrantStatusClosed, g.Status)
	require.Equal(t, types.MilestoneStatusExpired, g.Milestones[1].Status)
	require.Equal(t, int64(30_000_000), g.Paid.Int64())
	require.True(t, f.fundState(types.GrantFundModels).Reserved.IsZero())
	require.Equal(t, fundStart-30_000_000, f.bank.Balance(modelsFund, denom).Int64())
}

// TestLateBondCannotDefeatGrantVote: a bond added during the vote (here a million times the
// bonded total, the block before the vote ends) neither votes nor moves the quorum, which is
// 1/3 of the weight bonded when voting opened.
func TestLateBondCannotDefeatGrantVote(t *testing.T) {
	f := lifecycleFixture(t)
	opened := f.ctx.BlockHeight()
	id := f.submit(submitMsg(applicant, types.GrantFundModels, 1, 40_000_000, 60_000_000))
	g := f.grant(id)
	require.Equal(t, opened, g.VotingOpenedHeight)
	require.Equal(t, int64(1000), g.VotingTotalBonded.Int64())
	// A curator bonding in the block voting opens in was not bonded when it opened.
	newcomer := addr("newcomer")
	f.bond(newcomer, 500)
	f.nextBlock()
	f.refusal("same-block bond votes", types.ErrNoVotingWeight, func() error {
		_, err := f.msg.VoteGrant(f.ctx, &types.MsgVoteGrant{Curator: newcomer.String(), GrantId: id, Option: types.VoteOptionNo})
		return err
	})
	f.vote(cur1, id, types.VoteOptionYes)
	f.vote(cur2, id, types.VoteOptionYes)

	// The whale bonds in the last block of the vote, from a fresh address.
	f.advance(types.DefaultGrantVotingPeriod - 20*time.Second)
	whale := addr("whale")
	f.bond(whale, 1_000_000_000)
	f.nextBlock()
	f.refusal("late bond votes", types.ErrNoVotingWeight, func() error {
		_, err := f.msg.VoteGrant(f.ctx, &types.MsgVoteGrant{Curator: whale.String(), GrantId: id, Option: types.VoteOptionNoWithVeto})
		return err
	})
	f.endVoting()
	g = f.grant(id)
	require.Equal(t, types.GrantStatusApproved, g.Status, g.Outcome)
	require.Equal(t, int64(700), g.Tally.Yes.Int64())
	require.Equal(t, int64(1000), g.VotingTotalBonded.Int64(), "the quorum's base is the snapshot")
}

// TestLateBondCannotDefeatMilestoneReview: a bond added after the review opened neither
// reviews nor moves the quorum; without the snapshot, the unanimous approval of every
// curator bonded at the opening would miss a quorum of the new total and expire.
func TestLateBondCannotDefeatMilestoneReview(t *testing.T) {
	f := lifecycleFixture(t)
	id := approvedGrant(t, f)
	f.submitMilestone(id, 0)
	m := f.grant(id).Milestones[0]
	require.Equal(t, f.ctx.BlockHeight(), m.ReviewOpenedHeight)
	require.Equal(t, int64(1000), m.ReviewTotalBonded.Int64())
	whale := addr("whale")
	f.bond(whale, 1_000_000_000)
	f.nextBlock()
	for _, c := range []sdk.AccAddress{cur1, cur2, cur3} {
		f.review(c, id, 0, true)
	}
	f.refusal("late bond reviews", types.ErrNoVotingWeight, func() error {
		_, err := f.msg.ReviewMilestone(f.ctx, &types.MsgReviewMilestone{Curator: whale.String(), GrantId: id, Index: 0, Approve: false})
		return err
	})
	f.endReview(id)
	g := f.grant(id)
	require.Equal(t, types.MilestoneStatusPaid, g.Milestones[0].Status, g.Outcome)
	require.Equal(t, appStart+30_000_000, f.bank.Balance(applicant, denom).Int64())
}

// TestVotingWeightIsMinOfSnapshotAndNow: a curator weighs min(bond when the vote or review
// opened, bond when it votes): raising the bond after the opening adds nothing, lowering it
// counts.
func TestVotingWeightIsMinOfSnapshotAndNow(t *testing.T) {
	f := lifecycleFixture(t)
	id := f.submit(submitMsg(applicant, types.GrantFundModels, 1, 40_000_000, 60_000_000))
	f.bond(cur1, 100)    // was 400
	f.bond(cur2, 90_000) // was 300
	f.nextBlock()
	f.vote(cur1, id, types.VoteOptionYes)
	f.vote(cur2, id, types.VoteOptionNo)
	for c, want := range map[string]int64{"cur1": 100, "cur2": 300} {
		v, err := f.k.Votes.Get(f.ctx, collections.Join(id, addr(c)))
		require.NoError(t, err)
		require.Equal(t, want, v.Weight.Int64(), c)
	}
	g := f.grant(id)
	require.Equal(t, int64(100), g.Tally.Yes.Int64())
	require.Equal(t, int64(300), g.Tally.No.Int64())
	// A curator that left after the opening has no vote.
	f.bond(cur3, 0)
	f.nextBlock()
	f.refusal("unbonded curator votes", types.ErrNotCurator, func() error {
		_, err := f.msg.VoteGrant(f.ctx, &types.MsgVoteGrant{Curator: cur3.String(), GrantId: id, Option: types.VoteOptionYes})
		return err
	})
	// 400 cast of the 1,000 bonded at opening (not of the 90,500 bonded now) is a quorum; NO wins.
	f.endVoting()
	g = f.grant(id)
	require.Equal(t, types.GrantStatusRejected, g.Status)
	require.Equal(t, "did not pass", g.Outcome)

}

// TestReviewWeightIsMinOfSnapshotAndNow: milestone reviews weigh min(bond when the review
// opened, bond when reviewing), from the review's own snapshot.
func TestReviewWeightIsMinOfSnapshotAndNow(t *testing.T) {
	f := lifecycleFixture(t)
	id := approvedGrant(t, f)
	f.submitMilestone(id, 0)
	f.bond(cur1, 50)    // was 400
	f.bond(cur2, 5_000) // was 300
	f.nextBlock()
	f.review(cur1, id, 0, true)
	f.review(cur2, id, 0, false)
	for c, want := range map[string]int64{"cur1": 50, "cur2": 300} {
		r, err := f.k.Reviews.Get(f.ctx, collections.Join3(id, uint32(0), addr(c)))
		require.NoError(t, err)
		require.Equal(t, want, r.Weight.Int64(), c)
	}
	// 350 cast of the 1,000 bonded at opening is a quorum; rejecting 300 beats approving 50.
	f.endReview(id)
	g := f.grant(id)
	require.Equal(t, types.MilestoneStatusRejected, g.Milestones[0].Status)
	require.Equal(t, types.GrantStatusClosed, g.Status)
}

// TestEndBlockerBounded: at most max_queue_items_per_block entries are settled per block.
func TestEndBlockerBounded(t *testing.T) {
	f := lifecycleFixture(t)
	p := types.DefaultParams()
	p.MaxQueueItemsPerBlock = 3
	_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
	require.NoError(t, err)
	f.fund(applicant, 10*deposit)
	var ids []uint64
	for i := 0; i < 7; i++ {
		ids = append(ids, f.submit(submitMsg(applicant, types.GrantFundModels, 0, 1_000_000)))
	}
	f.advance(types.DefaultGrantVotingPeriod)
	settled := func() int {
		n := 0
		for _, id := range ids {
			if f.grant(id).Status != types.GrantStatusVoting {
				n++
			}
		}
		return n
	}
	for _, want := range []int{3, 6, 7, 7} {
		f.endBlock()
		require.Equal(t, want, settled())
		f.advance(time.Second)
	}
}

// TestReviewDecisionsBounded: milestone decisions share the max_queue_items_per_block budget;
// the ones left over are decided in the next blocks, from the same weights (reviews are
// refused once the review period is over).
func TestReviewDecisionsBounded(t *testing.T) {
	f := lifecycleFixture(t)
	p := types.DefaultParams()
	p.MaxQueueItemsPerBlock = 3
	_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
	require.NoError(t, err)
	f.fund(applicant, 10*deposit)
	var ids []uint64
	for i := 0; i < 7; i++ {
		id := f.submit(submitMsg(applicant, types.GrantFundModels, 0, 1_000_000, 1_000_000))
		_, err := f.msg.DecideGrant(f.ctx, &types.MsgDecideGrant{Authority: f.authority, GrantId: id, Approve: true})
		require.NoError(t, err)
		f.submitMilestone(id, 0)
		f.review(cur1, id, 0, true)
		ids = append(ids, id)
	}
	before := f.bank.Balance(applicant, denom).Int64()
	f.advance(types.DefaultMilestoneReviewPeriod)
	paid := func() int {
		n := 0
		for _, id := range ids {
			if f.grant(id).Milestones[0].Status == types.MilestoneStatusPaid {
				n++
			}
		}
		return n
	}
	for _, want := range []int{3, 6, 7, 7} {
		_, err := f.msg.ReviewMilestone(f.ctx, &types.MsgReviewMilestone{Curator: cur2.String(), GrantId: ids[6], Index: 0, Approve: false})
		if f.grant(ids[6]).Milestones[0].Status == types.MilestoneStatusInReview {
			require.ErrorIs(t, err, types.ErrReviewClosed, "a review waiting for its decision takes no more reviews")
		} else {
			require.ErrorIs(t, err, types.ErrInvalidStatus)
		}
		f.endBlock()
		require.Equal(t, want, paid())
		f.advance(time.Second)
	}
	require.Equal(t, before+7*1_000_000, f.bank.Balance(applicant, denom).Int64())
}
