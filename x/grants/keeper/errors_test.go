package keeper_test

import (
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"

	"github.com/balanceai/balanceai/x/grants/types"
	mkt "github.com/balanceai/balanceai/x/marketplace/types"
)

// refusal runs fn, asserts it fails with want and that neither state nor balances changed.
func (f *fixture) refusal(name string, want error, fn func() error) {
	f.t.Helper()
	before := f.state()
	err := fn()
	require.ErrorIs(f.t, err, want, name)
	require.Equal(f.t, before, f.state(), "%s changed state", name)
}

func TestSubmitGrantErrors(t *testing.T) {
	f := lifecycleFixture(t)
	f.addListing(2, mkt.ListingKindModel, addr("other"), mkt.ListingStatusActive)
	f.addListing(3, mkt.ListingKindAgent, applicant, mkt.ListingStatusActive)
	f.addListing(4, mkt.ListingKindModel, applicant, mkt.ListingStatusSuspended)
	mod := func(edit func(m *types.MsgSubmitGrant)) *types.MsgSubmitGrant {
		m := submitMsg(applicant, types.GrantFundModels, 1, 10_000_000)
		edit(m)
		return m
	}
	cases := []struct {
		name string
		msg  *types.MsgSubmitGrant
		want error
	}{
		{"bad applicant", mod(func(m *types.MsgSubmitGrant) { m.Applicant = "nope" }), types.ErrInvalidAddress},
		{"no fund", mod(func(m *types.MsgSubmitGrant) { m.Fund = types.GrantFundUnspecified }), types.ErrInvalidFund},
		{"unknown fund", mod(func(m *types.MsgSubmitGrant) { m.Fund = 7 }), types.ErrInvalidFund},
		{"blank title", mod(func(m *types.MsgSubmitGrant) { m.Title = "  " }), types.ErrInvalidGrant},
		{"long title", mod(func(m *types.MsgSubmitGrant) { m.Title = string(make([]byte, 141)) }), types.ErrInvalidGrant},
		{"bad cid", mod(func(m *types.MsgSubmitGrant) { m.DetailsCid = "bafy-not-a-cid" }), types.ErrInvalidCID},
		{"empty cid", mod(func(m *types.MsgSubmitGrant) { m.DetailsCid = "" }), types.ErrInvalidCID},
		{"no milestones", mod(func(m *types.MsgSubmitGrant) { m.Milestones = nil }), types.ErrInvalidGrant},
		{"six milestones", mod(func(m *types.MsgSubmitGrant) { m.Milestones = milestones(1, 1, 1, 1, 1, 1) }), types.ErrInvalidGrant},
		{"zero amount", mod(func(m *types.MsgSubmitGrant) { m.Milestones = milestones(0) }), types.ErrInvalidAmount},
		{"wrong denom", mod(func(m *types.MsgSubmitGrant) { m.Milestones[0].Amount.Denom = "uatom" }), types.ErrInvalidAmount},
		{"blank description", mod(func(m *types.MsgSubmitGrant) { m.Milestones[0].Description = "" }), types.ErrInvalidGrant},
		{"bidi override in title", mod(func(m *types.MsgSubmitGrant) { m.Title = "Fine-tune \u202egnp.exe" }), types.ErrInvisibleCharacter},
		{"zero-width space in title", mod(func(m *types.MsgSubmitGrant) { m.Title = "Multi\u200blingual" }), types.ErrInvisibleCharacter},
		{"title not UTF-8", mod(func(m *types.MsgSubmitGrant) { m.Title = "bad \xff title" }), types.ErrInvisibleCharacter},
		{"zero-width joiner in description", mod(func(m *types.MsgSubmitGrant) { m.Milestones[0].Description = "data\u200dset" }), types.ErrInvisibleCharacter},
		{"bidi isolate in description", mod(func(m *types.MsgSubmitGrant) { m.Milestones[0].Description = "pay \u2066me\u2069" }), types.ErrInvisibleCharacter},
		{"unknown listing", mod(func(m *types.MsgSubmitGrant) { m.ListingId = 99 }), types.ErrListingNotFound},
		{"not listing owner", mod(func(m *types.MsgSubmitGrant) { m.ListingId = 2 }), types.ErrNotListingOwner},
		{"agent listing for models fund", mod(func(m *types.MsgSubmitGrant) { m.ListingId = 3 }), types.ErrListingKindMismatch},
		{"suspended listing", mod(func(m *types.MsgSubmitGrant) { m.ListingId = 4 }), types.ErrInvalidGrant},
		{"too large", mod(func(m *types.MsgSubmitGrant) { m.Milestones = milestones(100_000_001) }), types.ErrGrantTooLarge},
		{"no deposit funds", mod(func(m *types.MsgSubmitGrant) { m.Applicant = addr("poor").String(); m.ListingId = 0 }), sdkerrors.ErrInsufficientFunds},
	}
	for _, tc := range cases {
		f.refusal(tc.name, tc.want, func() error { _, err := f.msg.SubmitGrant(f.ctx, tc.msg); return err })
	}
}

// TestInvisibleCharacters: grant titles and milestone descriptions are shown to voters and in
// explorers, so a character that does not render is refused with an error naming the field,
// the code point and its position; visible Unicode, and line breaks in descriptions, pass.
func TestInvisibleCharacters(t *testing.T) {
	f := lifecycleFixture(t)
	m := submitMsg(applicant, types.GrantFundModels, 1, 10_000_000, 10_000_000)
	m.Title = "Evil \u202egnp.exe"
	_, err := f.msg.SubmitGrant(f.ctx, m)
	require.ErrorIs(t, err, types.ErrInvisibleCharacter)
	require.ErrorContains(t, err, "title contains the invisible character U+202E at position 5")

	m = submitMsg(applicant, types.GrantFundModels, 1, 10_000_000, 10_000_000)
	m.Milestones[1].Description = "release\u200b"
	_, err = f.msg.SubmitGrant(f.ctx, m)
	require.ErrorIs(t, err, types.ErrInvisibleCharacter)
	require.ErrorContains(t, err, "milestone 1 description contains the invisible character U+200B")

	m = submitMsg(applicant, types.GrantFundModels, 1, 10_000_000)
	m.Title = "Modèle multilingue — 模型 v2"
	m.Milestones[0].Description = "1. dataset\n2. model release\twith weights"
	id := f.submit(m)
	g := f.grant(id)
	require.Equal(t, m.Title, g.Title)
	require.Equal(t, m.Milestones[0].Description, g.Milestones[0].Description)
}

func TestVoteGrantErrors(t *testing.T) {
	f := lifecycleFixture(t)
	f.bond(applicant, 100)
	id := f.submit(submitMsg(applicant, types.GrantFundModels, 1, 10_000_000))
	done := f.submit(submitMsg(applicant, types.GrantFundModels, 1, 10_000_000))
	_, err := f.msg.DecideGrant(f.ctx, &types.MsgDecideGrant{Authority: f.authority, GrantId: done, Approve: false})
	require.NoError(t, err)
	f.vote(cur1, id, types.VoteOptionYes)
	vote := func(voter string, grant uint64, opt types.VoteOption) func() error {
		return func() error {
			_, err := f.msg.VoteGrant(f.ctx, &types.MsgVoteGrant{Curator: voter, GrantId: grant, Option: opt})
			return err
		}
	}
	f.refusal("bad curator", types.ErrInvalidAddress, vote("bai1xyz", id, types.VoteOptionYes))
	f.refusal("unknown grant", types.ErrGrantNotFound, vote(cur2.String(), 99, types.VoteOptionYes))
	f.refusal("decided grant", types.ErrInvalidStatus, vote(cur2.String(), done, types.VoteOptionYes))
	f.refusal("unspecified option", types.ErrInvalidVoteOption, vote(cur2.String(), id, types.VoteOptionUnspecified))
	f.refusal("unknown option", types.ErrInvalidVoteOption, vote(cur2.String(), id, 9))
	f.refusal("non-curator", types.ErrNotCurator, vote(addr("stranger").String(), id, types.VoteOptionYes))
	f.refusal("double vote", types.ErrAlreadyVoted, vote(cur1.String(), id, types.VoteOptionNo))
	f.refusal("applicant votes", types.ErrSelfDealing, vote(applicant.String(), id, types.VoteOptionYes))
	f.advance(types.DefaultGrantVotingPeriod)
	f.refusal("after voting end", types.ErrVotingClosed, vote(cur2.String(), id, types.VoteOptionYes))
}

func TestMilestoneErrors(t *testing.T) {
	f := lifecycleFixture(t)
	f.bond(applicant, 100)
	voting := f.submit(submitMsg(applicant, types.GrantFundModels, 1, 10_000_000))
	id := approvedGrant(t, f)
	submit := func(who string, grant uint64, idx uint32, cid string) func() error {
		return func() error {
			_, err := f.msg.SubmitMilestone(f.ctx, &types.MsgSubmitMilestone{Applicant: who, GrantId: grant, Index: idx, EvidenceCid: cid})
			return err
		}
	}
	review := func(who string, grant uint64, idx uint32) func() error {
		return func() error {
			_, err := f.msg.ReviewMilestone(f.ctx, &types.MsgReviewMilestone{Curator: who, GrantId: grant, Index: idx, Approve: true})
			return err
		}
	}
	app := applicant.String()
	f.refusal("submit: bad applicant", types.ErrInvalidAddress, submit("x", id, 0, cidV1))
	f.refusal("submit: unknown grant", types.ErrGrantNotFound, submit(app, 99, 0, cidV1))
	f.refusal("submit: not applicant", types.ErrNotApplicant, submit(cur1.String(), id, 0, cidV1))
	f.refusal("submit: grant not approved", types.ErrInvalidStatus, submit(app, f.submit(submitMsg(applicant, types.GrantFundModels, 0, 1)), 0, cidV1))
	f.refusal("submit: out of order", types.ErrInvalidMilestone, submit(app, id, 1, cidV1))
	f.refusal("submit: bad cid", types.ErrInvalidCID, submit(app, id, 0, "not-a-cid"))
	f.refusal("review: pending milestone", types.ErrInvalidStatus, review(cur1.String(), id, 0))

	f.submitMilestone(id, 0)
	f.refusal("submit: already in review", types.ErrInvalidStatus, submit(app, id, 0, cidV1))
	f.refusal("review: bad curator", types.ErrInvalidAddress, review("x", id, 0))
	f.refusal("review: unknown grant", types.ErrGrantNotFound, review(cur1.String(), 99, 0))
	f.refusal("review: grant not approved", types.ErrInvalidStatus, review(cur1.String(), voting, 0))
	f.refusal("review: index out of range", types.ErrInvalidMilestone, review(cur1.String(), id, 5))
	f.refusal("review: non-curator", types.ErrNotCurator, review(addr("stranger").String(), id, 0))
	f.refusal("review: applicant", types.ErrSelfDealing, review(app, id, 0))
	f.review(cur2, id, 0, true)
	f.refusal("review: twice", types.ErrAlreadyVoted, review(cur2.String(), id, 0))
	f.advance(types.DefaultMilestoneReviewPeriod)
	f.refusal("review: period over", types.ErrReviewClosed, review(cur3.String(), id, 0))
}

func TestDecideAndParamsErrors(t *testing.T) {
	f := lifecycleFixture(t)
	id := approvedGrant(t, f)
	rejected := f.submit(submitMsg(applicant, types.GrantFundModels, 0, 1))
	_, err := f.msg.DecideGrant(f.ctx, &types.MsgDecideGrant{Authority: f.authority, GrantId: rejected, Approve: false})
	require.NoError(t, err)
	decide := func(auth string, grant uint64, approve bool) func() error {
		return func() error {
			_, err := f.msg.DecideGrant(f.ctx, &types.MsgDecideGrant{Authority: auth, GrantId: grant, Approve: approve})
			return err
		}
	}
	f.refusal("decide: not authority", govtypes.ErrInvalidSigner, decide(cur1.String(), id, false))
	f.refusal("decide: unknown grant", types.ErrGrantNotFound, decide(f.authority, 99, true))
	f.refusal("decide: approve approved", types.ErrInvalidStatus, decide(f.authority, id, true))
	f.refusal("decide: rejected grant", types.ErrInvalidStatus, decide(f.authority, rejected, true))

	update := func(auth string, edit func(p *types.Params)) func() error {
		return func() error {
			p := types.DefaultParams()
			edit(&p)
			_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: auth, Params: p})
			return err
		}
	}
	f.refusal("params: not authority", govtypes.ErrInvalidSigner, update(cur1.String(), func(*types.Params) {}))
	f.refusal("params: share above 1", types.ErrInvalidParams, update(f.authority, func(p *types.Params) { p.EpochRewardShare = math.LegacyNewDec(2) }))
	f.refusal("params: zero quorum", types.ErrInvalidParams, update(f.authority, func(p *types.Params) { p.Quorum = math.LegacyZeroDec() }))
	f.refusal("params: score above 100", types.ErrInvalidParams, update(f.authority, func(p *types.Params) { p.MinRewardScore = 101 }))
	f.refusal("params: zero period", types.ErrInvalidParams, update(f.authority, func(p *types.Params) { p.GrantVotingPeriod = 0 }))
	f.refusal("params: denom change", types.ErrInvalidParams, update(f.authority, func(p *types.Params) {
		p.Denom = "uatom"
		p.GrantDeposit.Denom = "uatom"
	}))
	f.refusal("params: deposit denom", types.ErrInvalidParams, update(f.authority, func(p *types.Params) { p.GrantDeposit.Denom = "uatom" }))

	p := types.DefaultParams()
	p.MinRewardScore = 60
	_, err = f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
	require.NoError(t, err)
	got, err := f.query.Params(f.ctx, &types.QueryParamsRequest{})
	require.NoError(t, err)
	require.Equal(t, uint32(60), got.Params.MinRewardScore)
}

// TestMilestonesStopWithTheListing: a grant for a listing pays milestones only while its
// applicant owns the listing and it is not SUSPENDED (slashed).
func TestMilestonesStopWithTheListing(t *testing.T) {
	f := lifecycleFixture(t)
	id := f.submit(submitMsg(applicant, types.GrantFundModels, 1, 30_000_000, 70_000_000))
	f.vote(cur1, id, types.VoteOptionYes)
	f.endVoting()
	require.Equal(t, types.GrantStatusApproved, f.grant(id).Status)
	submit := func() error {
		_, err := f.msg.SubmitMilestone(f.ctx, &types.MsgSubmitMilestone{Applicant: applicant.String(), GrantId: id, Index: 0, EvidenceCid: cidV0})
		return err
	}
	l := f.market.Listings[1]
	l.Status = mkt.ListingStatusSuspended
	f.market.Listings[1] = l
	f.refusal("listing suspended", types.ErrInvalidGrant, submit)
	l.Status, l.Owner = mkt.ListingStatusActive, addr("buyer").String()
	f.market.Listings[1] = l
	f.refusal("listing sold", types.ErrNotListingOwner, submit)
	l.Owner = applicant.String()
	f.market.Listings[1] = l
	require.NoError(t, submit())
	require.Equal(t, types.MilestoneStatusInReview, f.grant(id).Milestones[0].Status)
}

// TestMilestoneInReviewStopsWithTheListing: a milestone submitted while the applicant owned its
// listing, and approved in review, is not paid when the listing was slashed (SUSPENDED) or sold
// before the review ended: it is REJECTED, the grant is CLOSED and its whole reserve returns to
// the fund's free balance.
func TestMilestoneInReviewStopsWithTheListing(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(l *mkt.Listing)
		reason string
	}{
		{"suspended", func(l *mkt.Listing) { l.Status = mkt.ListingStatusSuspended }, "is SUSPENDED"},
		{"sold", func(l *mkt.Listing) { l.Owner = addr("buyer").String() }, "is now owned by"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := lifecycleFixture(t)
			id := f.submit(submitMsg(applicant, types.GrantFundModels, 1, 30_000_000, 70_000_000))
			f.vote(cur1, id, types.VoteOptionYes)
			f.endVoting()
			require.Equal(t, types.GrantStatusApproved, f.grant(id).Status)
			reserved := f.fundState(types.GrantFundModels).Reserved
			_, err := f.msg.SubmitMilestone(f.ctx, &types.MsgSubmitMilestone{Applicant: applicant.String(), GrantId: id, Index: 0, EvidenceCid: cidV0})
			require.NoError(t, err)
			f.review(cur1, id, 0, true)
			f.review(cur2, id, 0, true)
			l := f.market.Listings[1]
			tc.change(&l)
			f.market.Listings[1] = l
			before := f.bank.Balance(applicant, "ubai")

			f.endReview(id)
			g := f.grant(id)
			require.Equal(t, types.MilestoneStatusRejected, g.Milestones[0].Status)
			require.Equal(t, types.GrantStatusClosed, g.Status)
			require.Contains(t, g.Outcome, tc.reason)
			require.True(t, g.Paid.IsZero())
			require.Equal(t, before.String(), f.bank.Balance(applicant, "ubai").String())
			require.Equal(t, reserved.Sub(math.NewInt(100_000_000)).String(), f.fundState(types.GrantFundModels).Reserved.String())
			decided := f.milestoneDecided()
			require.Len(t, decided, 1)
			require.Equal(t, types.MilestoneStatusRejected, decided[0].Status)
			f.checkInvariants()
		})
	}
}

// TestApprovalStopsWithTheListing: a grant whose listing was slashed or sold during its vote
// could never take a milestone. A passing tally REJECTS it (deposit returned, nothing
// reserved); governance's approval is refused and changes nothing.
func TestApprovalStopsWithTheListing(t *testing.T) {
	f := lifecycleFixture(t)
	id := f.submit(submitMsg(applicant, types.GrantFundModels, 1, 30_000_000, 70_000_000))
	gov := f.submit(submitMsg(applicant, types.GrantFundModels, 1, 10_000_000))
	f.vote(cur1, id, types.VoteOptionYes)
	l := f.market.Listings[1]
	l.Status = mkt.ListingStatusSuspended
	f.market.Listings[1] = l
	reserved := f.fundState(types.GrantFundModels).Reserved

	f.refusal("governance approval", types.ErrInvalidGrant, func() error {
		_, err := f.msg.DecideGrant(f.ctx, &types.MsgDecideGrant{Authority: f.authority, GrantId: gov, Approve: true})
		return err
	})
	require.Equal(t, types.GrantStatusVoting, f.grant(gov).Status)

	before := f.bank.Balance(applicant, "ubai")
	f.endVoting()
	g := f.grant(id)
	require.Equal(t, types.GrantStatusRejected, g.Status)
	require.Contains(t, g.Outcome, "is SUSPENDED")
	require.False(t, g.DepositForfeited)
	require.Equal(t, reserved.String(), f.fundState(types.GrantFundModels).Reserved.String())
	require.Equal(t, before.Add(types.DefaultParams().GrantDeposit.Amount.MulRaw(2)).String(), f.bank.Balance(applicant, "ubai").String(), "both deposits back")
	f.checkInvariants()
}
