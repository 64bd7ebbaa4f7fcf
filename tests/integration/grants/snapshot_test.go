package grants_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	curationtypes "github.com/balanceai/balanceai/x/curation/types"
	"github.com/balanceai/balanceai/x/grants/types"
)

// setup registers the four listings and bonds the three curators (60k BAI in total) in one
// block, then lets emission fill the funds for a few blocks.
func (h *harness) setup() {
	h.t.Helper()
	var msgs []send
	for i, l := range listingSpecs {
		msgs = append(msgs, send{l.owner, registerMsg(h.addr(l.owner), l.kind, i+1)})
	}
	for i, name := range curatorNames {
		msgs = append(msgs, send{name, &curationtypes.MsgBondCurator{Curator: h.addr(name), Amount: sdk.NewInt64Coin(denom, curatorBonds[i])}})
	}
	h.deliver(nil, msgs...)
	for i := 0; i < 3; i++ {
		h.tick()
	}
}

// grantMsg is a grant of fund from applicant with one milestone of a twentieth of the fund's
// free balance (half the max_grant_fraction bound, which emission only raises).
func (h *harness) grantMsg(applicant string, fund types.GrantFund, listing uint64) *types.MsgSubmitGrant {
	h.t.Helper()
	free, err := h.k.FreeBalance(h.c.Ctx(), fund, denom)
	require.NoError(h.t, err)
	amt := free.QuoRaw(20)
	require.True(h.t, amt.IsPositive(), "%s has no free balance", fund)
	return &types.MsgSubmitGrant{
		Applicant: h.addr(applicant), Fund: fund, ListingId: listing, Title: fmt.Sprintf("%s's grant", applicant), DetailsCid: cidV1,
		Milestones: []types.MilestoneInput{{Amount: sdk.NewCoin(denom, amt), Description: "release"}},
	}
}

func voteMsg(h *harness, curator string, id uint64, opt types.VoteOption) send {
	return send{curator, &types.MsgVoteGrant{Curator: h.addr(curator), GrantId: id, Option: opt}}
}

func reviewMsg(h *harness, curator string, id uint64, idx uint32, approve bool) send {
	return send{curator, &types.MsgReviewMilestone{Curator: h.addr(curator), GrantId: id, Index: idx, Approve: approve}}
}

// untilTallied finalizes empty blocks until grant id leaves VOTING.
func (h *harness) untilTallied(id uint64) types.Grant {
	h.t.Helper()
	for i := 0; h.grant(id).Status == types.GrantStatusVoting; i++ {
		require.Less(h.t, i, 20, "grant %d still voting", id)
		h.tick()
	}
	return h.grant(id)
}

// TestLateBondCannotDefeatQuorum: one large bond, added from a fresh address after a grant
// vote and a milestone review opened, neither takes part nor defeats either of them. Voting
// weight and the quorum's base come from x/curation's bond checkpoints at the end of the block
// before each opened; measured against the total bonded at the decision instead, the
// unanimous 60k would miss a third of 560k and both would fail.
func TestLateBondCannotDefeatQuorum(t *testing.T) {
	h := newHarness(t)
	h.setup()
	snapshot := math.NewInt(60_000 * bai)

	// Grant 1 is approved by the three curators; its milestone review opens in the same
	// block as grant 2's vote.
	h.deliver(nil, send{"alice", h.grantMsg("alice", types.GrantFundModels, 1)})
	h.deliver(nil, voteMsg(h, "cur1", 1, types.VoteOptionYes), voteMsg(h, "cur2", 1, types.VoteOptionYes))
	require.Equal(t, types.GrantStatusApproved, h.untilTallied(1).Status)
	h.deliver(nil,
		send{"alice", &types.MsgSubmitMilestone{Applicant: h.addr("alice"), GrantId: 1, Index: 0, EvidenceCid: cidV0}},
		send{"carol", h.grantMsg("carol", types.GrantFundAgents, 4)})
	opened := h.c.Height
	g1, g2 := h.grant(1), h.grant(2)
	require.Equal(t, opened, g1.Milestones[0].ReviewOpenedHeight)
	require.True(t, g1.Milestones[0].ReviewTotalBonded.Equal(snapshot), "review snapshot %s", g1.Milestones[0].ReviewTotalBonded)
	require.Equal(t, opened, g2.VotingOpenedHeight)
	require.True(t, g2.VotingTotalBonded.Equal(snapshot), "voting snapshot %s", g2.VotingTotalBonded)

	// dave bonds 500k BAI, more than eight times every other curator together.
	late := math.NewInt(500_000 * bai)
	h.deliver(nil, send{"dave", &curationtypes.MsgBondCurator{Curator: h.addr("dave"), Amount: sdk.NewCoin(denom, late)}})
	total, err := h.c.App.CurationKeeper.GetTotalBonded(h.c.Ctx())
	require.NoError(t, err)
	require.True(t, total.Equal(snapshot.Add(late)), "total bonded %s", total)

	// Every curator bonded at the opening votes YES on grant 2 and approves milestone 0 of
	// grant 1; dave's vote and review are refused and change nothing.
	h.deliver(nil,
		voteMsg(h, "cur1", 2, types.VoteOptionYes), voteMsg(h, "cur2", 2, types.VoteOptionYes), voteMsg(h, "cur3", 2, types.VoteOptionYes),
		reviewMsg(h, "cur1", 1, 0, true), reviewMsg(h, "cur2", 1, 0, true), reviewMsg(h, "cur3", 1, 0, true))
	res := h.deliver([]uint32{types.ErrNoVotingWeight.ABCICode(), types.ErrNoVotingWeight.ABCICode()},
		voteMsg(h, "dave", 2, types.VoteOptionNoWithVeto), reviewMsg(h, "dave", 1, 0, false))
	require.Contains(t, res.TxResults[0].Log, fmt.Sprintf("when the vote on grant 2 opened at height %d", opened))
	require.True(t, h.grant(2).Tally.Yes.Equal(snapshot))
	require.True(t, h.grant(2).Tally.NoWithVeto.IsZero())
	require.True(t, h.grant(1).Milestones[0].RejectWeight.IsZero())

	// The vote passes and, at its review end, the milestone is paid.
	g2 = h.untilTallied(2)
	require.Equal(t, types.GrantStatusApproved, g2.Status, g2.Outcome)
	aliceBal := h.balance("alice")
	h.untilReviewDecided(1, 0)
	g1 = h.grant(1)
	require.Equal(t, types.MilestoneStatusPaid, g1.Milestones[0].Status, g1.Outcome)
	require.Equal(t, types.GrantStatusCompleted, g1.Status)
	require.True(t, h.balance("alice").Sub(aliceBal).Equal(g1.Milestones[0].Amount.Amount))

	// A vote that opens after dave bonded counts him, in the electorate and in the quorum.
	h.deliver(nil, send{"bob", h.grantMsg("bob", types.GrantFundModels, 0)})
	g3 := h.grant(3)
	require.True(t, g3.VotingTotalBonded.Equal(snapshot.Add(late)), "voting snapshot %s", g3.VotingTotalBonded)
	h.deliver(nil, voteMsg(h, "dave", 3, types.VoteOptionNo))
	require.True(t, h.grant(3).Tally.No.Equal(late))
}

// TestMilestoneDecidedAtReviewEnd: a milestone is decided at the end of
// milestone_review_period by a majority of the weight cast, not as soon as approvals reach
// the quorum. cur2 (20k of 60k: exactly the quorum) approves first; cur3 (30k) rejects later;
// a review sent in the block that reaches the review end is refused, and that block's
// EndBlock rejects the milestone and closes the grant, releasing its reserve.
func TestMilestoneDecidedAtReviewEnd(t *testing.T) {
	h := newHarness(t)
	h.setup()
	h.deliver(nil, send{"alice", h.grantMsg("alice", types.GrantFundModels, 1)})
	h.deliver(nil, voteMsg(h, "cur2", 1, types.VoteOptionYes), voteMsg(h, "cur3", 1, types.VoteOptionYes))
	require.Equal(t, types.GrantStatusApproved, h.untilTallied(1).Status)
	g := h.grant(1)
	reserved := g.Total()
	fs, err := h.k.GetFundState(h.c.Ctx(), types.GrantFundModels)
	require.NoError(t, err)
	require.True(t, fs.Reserved.Equal(reserved))

	h.deliver(nil, send{"alice", &types.MsgSubmitMilestone{Applicant: h.addr("alice"), GrantId: 1, Index: 0, EvidenceCid: cidV0}})
	aliceBal := h.balance("alice")
	h.deliver(nil, reviewMsg(h, "cur2", 1, 0, true))
	require.Equal(t, types.MilestoneStatusInReview, h.grant(1).Milestones[0].Status, "a quorum of approvals decides nothing before the review end")
	require.True(t, aliceBal.Equal(h.balance("alice")), "nothing paid early")
	h.tick()
	h.deliver(nil, reviewMsg(h, "cur3", 1, 0, false))
	require.Equal(t, types.MilestoneStatusInReview, h.grant(1).Milestones[0].Status)

	end := h.grant(1).Milestones[0].ReviewEnd
	for i := 0; h.nextTime().Before(end); i++ {
		require.Less(t, i, 50)
		h.tick()
		require.Equal(t, types.MilestoneStatusInReview, h.grant(1).Milestones[0].Status)
	}
	res := h.deliver([]uint32{types.ErrReviewClosed.ABCICode()}, reviewMsg(h, "cur1", 1, 0, true))
	require.Contains(t, res.TxResults[0].Log, "review ended")
	decided := typedEvents[*types.EventMilestoneDecided](t, res.Events)
	require.Len(t, decided, 1)
	require.Equal(t, types.MilestoneStatusRejected, decided[0].Status)
	require.True(t, decided[0].ApproveWeight.Equal(math.NewInt(20_000*bai)))
	require.True(t, decided[0].RejectWeight.Equal(math.NewInt(30_000*bai)))
	require.True(t, decided[0].ReviewTotalBonded.Equal(math.NewInt(60_000*bai)))

	g = h.grant(1)
	require.Equal(t, types.MilestoneStatusRejected, g.Milestones[0].Status)
	require.Equal(t, types.GrantStatusClosed, g.Status)
	require.Equal(t, "milestone rejected", g.Outcome)
	require.True(t, g.Paid.IsZero())
	require.True(t, aliceBal.Equal(h.balance("alice")), "a rejected milestone is never paid")
	fs, err = h.k.GetFundState(h.c.Ctx(), types.GrantFundModels)
	require.NoError(t, err)
	require.True(t, fs.Reserved.IsZero(), "the reserve returned to free")
	require.True(t, fs.TotalGranted.IsZero())
}
