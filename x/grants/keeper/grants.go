package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/grants/types"
)

// Outcomes recorded on grants and in events.
const (
	outcomeQuorum       = "quorum not reached"
	outcomeVetoed       = "vetoed: deposit forfeited to the fund"
	outcomeNotPassed    = "did not pass"
	outcomePassed       = "passed"
	outcomeGovApproved  = "approved by governance"
	outcomeGovRejected  = "rejected by governance"
	outcomeInsufficient = "insufficient free balance"
	outcomeOverFraction = "over max_grant_fraction of the free balance"
	reasonRejected      = "milestone rejected"
	reasonExpired       = "milestone expired"
	reasonAuthority     = "closed by authority"
)

// GetGrant returns a grant or ErrGrantNotFound.
func (k Keeper) GetGrant(ctx context.Context, id uint64) (types.Grant, error) {
	g, err := k.Grants.Get(ctx, id)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return types.Grant{}, errorsmod.Wrapf(types.ErrGrantNotFound, "no grant with id %d", id)
	}
	return g, err
}

// emit emits a typed event on the context's event manager.
func emit(ctx context.Context, ev sdk.Msg) error {
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(ev)
}

// GrantProposal is what an applicant proposes (MsgSubmitGrant without the applicant).
type GrantProposal struct {
	Fund       types.GrantFund
	ListingID  uint64
	Title      string
	DetailsCID string
	Milestones []types.MilestoneInput
}

// SubmitGrant validates and stores a grant proposal in VOTING, takes the deposit into the
// grants module account and queues the tally at the end of the voting period. Voting opens
// at this block's height: the curators bonded at the end of the previous block are the
// electorate and their total bond then is the base of the quorum, fixed for the whole vote.
func (k Keeper) SubmitGrant(ctx context.Context, applicantAddr sdk.AccAddress, p GrantProposal) (uint64, error) {
	applicant, err := chainutil.AddressString(k.addressCodec, applicantAddr, types.ErrInvalidAddress)
	if err != nil {
		return 0, err
	}
	if err := p.Fund.Validate(); err != nil {
		return 0, errorsmod.Wrap(types.ErrInvalidFund, err.Error())
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return 0, err
	}
	if err := types.ValidateTitle(p.Title); err != nil {
		return 0, err
	}
	if err := types.ValidateCID("details_cid", p.DetailsCID); err != nil {
		return 0, err
	}
	total, err := types.ValidateMilestones(p.Milestones, params.Denom)
	if err != nil {
		return 0, err
	}
	if p.ListingID != 0 {
		l, err := k.marketKeeper.GetListing(ctx, p.ListingID)
		if err != nil {
			if errorsmod.IsOf(err, marketplacetypes.ErrListingNotFound) {
				return 0, errorsmod.Wrapf(types.ErrListingNotFound, "no listing with id %d", p.ListingID)
			}
			return 0, err
		}
		if l.Owner != applicant {
			return 0, errorsmod.Wrapf(types.ErrNotListingOwner, "listing %d is owned by %s, not %s", l.Id, l.Owner, applicant)
		}
		if l.Kind != p.Fund.ListingKind() {
			return 0, errorsmod.Wrapf(types.ErrListingKindMismatch, "listing %d is %s; %s grants are for %s listings", l.Id, l.Kind, p.Fund, p.Fund.ListingKind())
		}
		if l.Status == marketplacetypes.ListingStatusSuspended || l.Status == marketplacetypes.ListingStatusRetired {
			return 0, errorsmod.Wrapf(types.ErrInvalidGrant, "listing %d is %s", l.Id, l.Status)
		}
	}
	free, err := k.FreeBalance(ctx, p.Fund, params.Denom)
	if err != nil {
		return 0, err
	}
	fs, err := k.GetFundState(ctx, p.Fund)
	if err != nil {
		return 0, err
	}
	maxTotal := params.MaxGrantFraction.MulInt(free).TruncateInt()
	if total.GT(maxTotal) {
		return 0, errorsmod.Wrapf(types.ErrGrantTooLarge, "asked %s%s, at most %s%s (%s of the %s free balance %s%s)",
			total, params.Denom, maxTotal, params.Denom, params.MaxGrantFraction, p.Fund, free, params.Denom)
	}

	if params.GrantDeposit.IsPositive() {
		if err := k.bankKeeper.SendCoinsFromAccountToModule(ctx, applicantAddr, types.ModuleName, sdk.NewCoins(params.GrantDeposit)); err != nil {
			return 0, errorsmod.Wrapf(err, "grant deposit %s", params.GrantDeposit)
		}
	}
	id, err := k.GrantSeq.Next(ctx)
	if err != nil {
		return 0, err
	}
	if id == 0 { // a store never initialised by genesis: ids start at 1
		if id, err = k.GrantSeq.Next(ctx); err != nil {
			return 0, err
		}
	}
	openedHeight, totalBonded, err := k.openSnapshot(ctx)
	if err != nil {
		return 0, err
	}
	now := sdk.UnwrapSDKContext(ctx).BlockTime().UTC()
	g := types.Grant{
		Id:          id,
		Applicant:   applicant,
		Fund:        p.Fund,
		ListingId:   p.ListingID,
		Title:       p.Title,
		DetailsCid:  p.DetailsCID,
		Status:      types.GrantStatusVoting,
		Deposit:     params.GrantDeposit,
		SubmittedAt: now,
		VotingEnd:   now.Add(params.GrantVotingPeriod),
		Tally:       types.ZeroTally(),
		Paid:        math.ZeroInt(),

		VotingOpenedHeight: openedHeight,
		VotingTotalBonded:  totalBonded,

		FreeAtSubmission:          free,
		TotalReservedAtSubmission: types.OrZero(fs.TotalReserved),
	}
	for _, m := range p.Milestones {
		g.Milestones = append(g.Milestones, types.Milestone{
			Amount: m.Amount, Description: m.Description, Status: types.MilestoneStatusPending,
			ApproveWeight: math.ZeroInt(), RejectWeight: math.ZeroInt(), ReviewTotalBonded: math.ZeroInt(),
		})
	}
	if err := k.Grants.Set(ctx, id, g); err != nil {
		return 0, err
	}
	if err := k.VotingQueue.Set(ctx, chainutil.QueueKeyAt(g.VotingEnd, id)); err != nil {
		return 0, err
	}
	return id, emit(ctx, &types.EventGrantSubmitted{
		GrantId: id, Applicant: applicant, Fund: p.Fund, ListingId: p.ListingID,
		Total: sdk.NewCoin(params.Denom, total), VotingEnd: g.VotingEnd.Unix(),
		VotingOpenedHeight: openedHeight, VotingTotalBonded: totalBonded,
	})
}

// VoteGrant records a curator's vote on a VOTING grant before its voting end, weighted
// min(bond when voting opened, bond now): a curator bonded after the opening has no vote. One
// vote per curator; the applicant may not vote on its own grant.
func (k Keeper) VoteGrant(ctx context.Context, curatorAddr sdk.AccAddress, grantID uint64, option types.VoteOption) error {
	curator, err := chainutil.AddressString(k.addressCodec, curatorAddr, types.ErrInvalidAddress)
	if err != nil {
		return err
	}
	g, err := k.GetGrant(ctx, grantID)
	if err != nil {
		return err
	}
	if g.Status != types.GrantStatusVoting {
		return errorsmod.Wrapf(types.ErrInvalidStatus, "grant %d is %s, not VOTING", g.Id, g.Status)
	}
	if !sdk.UnwrapSDKContext(ctx).BlockTime().Before(g.VotingEnd) {
		return errorsmod.Wrapf(types.ErrVotingClosed, "grant %d voting ended at %s", g.Id, g.VotingEnd)
	}
	if option < types.VoteOptionYes || option > types.VoteOptionNoWithVeto {
		return errorsmod.Wrapf(types.ErrInvalidVoteOption, "option must be YES, NO, ABSTAIN or NO_WITH_VETO, got %s", option)
	}
	if curator == g.Applicant {
		return errorsmod.Wrapf(types.ErrSelfDealing, "%s cannot vote on its own grant %d", curator, g.Id)
	}
	key := collections.Join(g.Id, curatorAddr)
	if has, err := k.Votes.Has(ctx, key); err != nil {
		return err
	} else if has {
		return errorsmod.Wrapf(types.ErrAlreadyVoted, "%s already voted on grant %d", curator, g.Id)
	}
	weight, err := k.votingWeight(ctx, curatorAddr, curator, g.VotingOpenedHeight, fmt.Sprintf("vote on grant %d", g.Id))
	if err != nil {
		return err
	}
	switch option {
	case types.VoteOptionYes:
		g.Tally.Yes = g.Tally.Yes.Add(weight)
	case types.VoteOptionNo:
		g.Tally.No = g.Tally.No.Add(weight)
	case types.VoteOptionAbstain:
		g.Tally.Abstain = g.Tally.Abstain.Add(weight)
	case types.VoteOptionNoWithVeto:
		g.Tally.NoWithVeto = g.Tally.NoWithVeto.Add(weight)
	}
	if err := k.Votes.Set(ctx, key, types.GrantVote{GrantId: g.Id, Curator: curator, Option: option, Weight: weight}); err != nil {
		return err
	}
	if err := k.Grants.Set(ctx, g.Id, g); err != nil {
		return err
	}
	return emit(ctx, &types.EventGrantVoted{GrantId: g.Id, Curator: curator, Option: option, Weight: weight})
}

// TallyGrant decides a VOTING grant from its curator tally (called at voting end):
//
//   - cast weight below quorum × the total bonded when voting opened: REJECTED, deposit returned;
//   - NO_WITH_VETO ≥ veto_threshold × cast: REJECTED, deposit forfeited to the fund;
//   - YES > pass_threshold × (YES + NO + NO_WITH_VETO): approved (APPROVED, or FAILED when
//     the fund's free balance cannot cover the total now or the total is above
//     max_grant_fraction of the free balance at submission less what was reserved since),
//     deposit returned;
//   - otherwise REJECTED, deposit returned.
func (k Keeper) TallyGrant(ctx context.Context, g types.Grant) (types.Grant, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return g, err
	}
	// The quorum's base is the snapshot taken when voting opened, never the bond at tally
	// time: a bond added during the vote cannot make a vote miss its quorum.
	totalBonded := g.VotingTotalBonded
	t := g.Tally
	cast := t.Cast()
	switch {
	case !quorumReached(cast, totalBonded, params.Quorum):
		return k.finishVoting(ctx, g, types.GrantStatusRejected,
			fmt.Sprintf("%s: %s of the %s bonded at height %d voted", outcomeQuorum, cast, totalBonded, g.VotingOpenedHeight), false, false)
	case math.LegacyNewDecFromInt(t.NoWithVeto).GTE(params.VetoThreshold.MulInt(cast)):
		return k.finishVoting(ctx, g, types.GrantStatusRejected, outcomeVetoed, true, false)
	case math.LegacyNewDecFromInt(t.Yes).GT(params.PassThreshold.MulInt(t.Yes.Add(t.No).Add(t.NoWithVeto))):
		return k.approve(ctx, g, outcomePassed, false)
	default:
		return k.finishVoting(ctx, g, types.GrantStatusRejected, outcomeNotPassed, false, false)
	}
}

// approve reserves the grant's total in its fund and makes it APPROVED, or FAILED when the
// fund's free balance does not cover the total at this moment or, for a curator tally, the
// total is above max_grant_fraction of the free balance at submission less what the fund
// reserved since. A grant for a listing that was suspended or is no longer its applicant's
// during the vote could never take a milestone, so its reserve would be locked until
// governance closed it: a tally REJECTS it instead (deposit returned), and governance's
// approval is refused.
func (k Keeper) approve(ctx context.Context, g types.Grant, outcome string, byAuthority bool) (types.Grant, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return g, err
	}
	if bar := k.listingBar(ctx, g); bar != nil {
		if byAuthority {
			return g, bar
		}
		return k.finishVoting(ctx, g, types.GrantStatusRejected, fmt.Sprintf("%s, but %s", outcome, bar.Error()), false, false)
	}
	total := g.Total()
	free, err := k.FreeBalance(ctx, g.Fund, params.Denom)
	if err != nil {
		return g, err
	}
	if free.LT(total) {
		return k.finishVoting(ctx, g, types.GrantStatusFailed,
			fmt.Sprintf("%s: %s; needs %s%s, %s free %s%s", outcomeInsufficient, outcome, total, params.Denom, g.Fund, free, params.Denom), false, byAuthority)
	}
	fs, err := k.GetFundState(ctx, g.Fund)
	if err != nil {
		return g, err
	}
	// The curators' approval holds the total to max_grant_fraction of the free balance at
	// submission less what the fund reserved since: grants submitted together, each within
	// the fraction, would otherwise all pass and reserve many fractions of the fund. The
	// free balance's own ups and downs (emission in, epoch rewards out) do not count against
	// a grant. Governance decides above it.
	if maxTotal, since, ok := fractionSinceSubmission(g, fs, params.MaxGrantFraction); ok && !byAuthority && total.GT(maxTotal) {
		return k.finishVoting(ctx, g, types.GrantStatusFailed,
			fmt.Sprintf("%s: %s; needs %s%s, at most %s%s (%s of the %s free %s%s at submission, less %s%s reserved since)",
				outcomeOverFraction, outcome, total, params.Denom, maxTotal, params.Denom, params.MaxGrantFraction, g.Fund,
				g.FreeAtSubmission, params.Denom, since, params.Denom), false, false)
	}
	fs.Reserved = fs.Reserved.Add(total)
	fs.TotalReserved = types.OrZero(fs.TotalReserved).Add(total)
	if err := k.FundStates.Set(ctx, int32(g.Fund), fs); err != nil {
		return g, err
	}
	return k.finishVoting(ctx, g, types.GrantStatusApproved, outcome, false, byAuthority)
}

// fractionSinceSubmission is what a curator tally may approve of g: max_grant_fraction of the
// fund's free balance at g's submission less what the fund reserved since (never below zero),
// and that reserved amount. ok is false for a grant that recorded no free balance at submission.
func fractionSinceSubmission(g types.Grant, fs types.FundState, fraction math.LegacyDec) (maxTotal, since math.Int, ok bool) {
	if g.FreeAtSubmission.IsNil() {
		return math.Int{}, math.Int{}, false
	}
	since = types.OrZero(fs.TotalReserved).Sub(types.OrZero(g.TotalReservedAtSubmission))
	base := g.FreeAtSubmission.Sub(since)
	if base.IsNegative() {
		return math.ZeroInt(), since, true
	}
	return fraction.MulInt(base).TruncateInt(), since, true
}

// finishVoting ends a grant's voting: sets its status and outcome, takes it off the voting
// queue, and returns the deposit to the applicant or, on a veto, sends it to the fund.
func (k Keeper) finishVoting(ctx context.Context, g types.Grant, status types.GrantStatus, outcome string, forfeit, byAuthority bool) (types.Grant, error) {
	if err := k.VotingQueue.Remove(ctx, chainutil.QueueKeyAt(g.VotingEnd, g.Id)); err != nil {
		return g, err
	}
	if g.Deposit.IsPositive() {
		coins := sdk.NewCoins(g.Deposit)
		if forfeit {
			if err := k.bankKeeper.SendCoinsFromModuleToModule(ctx, types.ModuleName, k.FundAccount(g.Fund), coins); err != nil {
				return g, err
			}
		} else {
			applicant, err := k.addressCodec.StringToBytes(g.Applicant)
			if err != nil {
				return g, err
			}
			if err := k.bankKeeper.SendCoinsFromModuleToAccount(ctx, types.ModuleName, applicant, coins); err != nil {
				return g, err
			}
		}
	}
	g.Status = status
	g.Outcome = outcome
	g.DepositForfeited = forfeit
	if err := k.Grants.Set(ctx, g.Id, g); err != nil {
		return g, err
	}
	reserved := math.ZeroInt()
	if status == types.GrantStatusApproved {
		reserved = g.Total()
	}
	return g, emit(ctx, &types.EventGrantDecided{
		GrantId: g.Id, Status: status, ByAuthority: byAuthority, Outcome: outcome,
		Tally: g.Tally, DepositForfeited: forfeit, Reserved: reserved,
	})
}

// DecideGrant is governance's direct decision (the community path): a VOTING grant is
// approved (reserved, or FAILED without enough free balance) or rejected with its deposit
// returned; an APPROVED grant can be closed (approve=false), releasing its unpaid reserve.
func (k Keeper) DecideGrant(ctx context.Context, grantID uint64, approve bool) (types.GrantStatus, error) {
	g, err := k.GetGrant(ctx, grantID)
	if err != nil {
		return 0, err
	}
	switch {
	case g.Status == types.GrantStatusVoting && approve:
		g, err = k.approve(ctx, g, outcomeGovApproved, true)
	case g.Status == types.GrantStatusVoting:
		g, err = k.finishVoting(ctx, g, types.GrantStatusRejected, outcomeGovRejected, false, true)
	case g.Status == types.GrantStatusApproved && !approve:
		g, err = k.closeGrant(ctx, g, reasonAuthority)
	default:
		return 0, errorsmod.Wrapf(types.ErrInvalidStatus, "grant %d is %s: governance may approve or reject a VOTING grant, or close (approve=false) an APPROVED one", g.Id, g.Status)
	}
	return g.Status, err
}

// SubmitMilestone puts the evidence of the grant's next milestone in review until
// now + milestone_review_period, when it is decided. The review opens at this block's
// height: as for grant votes, the curators bonded at the end of the previous block review
// and their total bond then is the base of the quorum.
func (k Keeper) SubmitMilestone(ctx context.Context, applicantAddr sdk.AccAddress, grantID uint64, index uint32, evidenceCID string) error {
	applicant, err := chainutil.AddressString(k.addressCodec, applicantAddr, types.ErrInvalidAddress)
	if err != nil {
		return err
	}
	g, err := k.GetGrant(ctx, grantID)
	if err != nil {
		return err
	}
	if g.Applicant != applicant {
		return errorsmod.Wrapf(types.ErrNotApplicant, "grant %d belongs to %s", g.Id, g.Applicant)
	}
	if g.Status != types.GrantStatusApproved {
		return errorsmod.Wrapf(types.ErrInvalidStatus, "grant %d is %s, not APPROVED", g.Id, g.Status)
	}
	if index != g.NextMilestone {
		return errorsmod.Wrapf(types.ErrInvalidMilestone, "milestones are submitted in order: next is %d, got %d", g.NextMilestone, index)
	}
	m := &g.Milestones[index]
	if m.Status != types.MilestoneStatusPending {
		return errorsmod.Wrapf(types.ErrInvalidStatus, "milestone %d of grant %d is %s, not PENDING", index, g.Id, m.Status)
	}
	if err := types.ValidateCID("evidence_cid", evidenceCID); err != nil {
		return err
	}
	if err := k.listingBar(ctx, g); err != nil {
		return err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	openedHeight, totalBonded, err := k.openSnapshot(ctx)
	if err != nil {
		return err
	}
	m.Status = types.MilestoneStatusInReview
	m.EvidenceCid = evidenceCID
	m.ReviewEnd = sdk.UnwrapSDKContext(ctx).BlockTime().UTC().Add(params.MilestoneReviewPeriod)
	m.ReviewOpenedHeight = openedHeight
	m.ReviewTotalBonded = totalBonded
	m.ApproveWeight, m.RejectWeight = math.ZeroInt(), math.ZeroInt()
	if err := k.Grants.Set(ctx, g.Id, g); err != nil {
		return err
	}
	if err := k.ReviewQueue.Set(ctx, chainutil.QueueKeyAt(m.ReviewEnd, g.Id)); err != nil {
		return err
	}
	return emit(ctx, &types.EventMilestoneSubmitted{
		GrantId: g.Id, Index: index, EvidenceCid: evidenceCID, ReviewEnd: m.ReviewEnd.Unix(),
		ReviewOpenedHeight: openedHeight, ReviewTotalBonded: totalBonded,
	})
}

// ReviewMilestone records a curator's review of a milestone in review, before its review
// end, weighted min(bond when the review opened, bond now). One review per curator; the
// applicant may not review its own grant. A review never settles the milestone: it is decided
// when the review period ends (decideMilestone), once every curator has had the chance to
// review, so an early quorum of approvals cannot pay before the others have looked.
func (k Keeper) ReviewMilestone(ctx context.Context, curatorAddr sdk.AccAddress, grantID uint64, index uint32, approve bool) (types.MilestoneStatus, error) {
	curator, err := chainutil.AddressString(k.addressCodec, curatorAddr, types.ErrInvalidAddress)
	if err != nil {
		return 0, err
	}
	g, err := k.GetGrant(ctx, grantID)
	if err != nil {
		return 0, err
	}
	if g.Status != types.GrantStatusApproved {
		return 0, errorsmod.Wrapf(types.ErrInvalidStatus, "grant %d is %s, not APPROVED", g.Id, g.Status)
	}
	if int(index) >= len(g.Milestones) {
		return 0, errorsmod.Wrapf(types.ErrInvalidMilestone, "grant %d has %d milestones, got index %d", g.Id, len(g.Milestones), index)
	}
	m := &g.Milestones[index]
	if m.Status != types.MilestoneStatusInReview {
		return 0, errorsmod.Wrapf(types.ErrInvalidStatus, "milestone %d of grant %d is %s, not IN_REVIEW", index, g.Id, m.Status)
	}
	if !sdk.UnwrapSDKContext(ctx).BlockTime().Before(m.ReviewEnd) {
		return 0, errorsmod.Wrapf(types.ErrReviewClosed, "milestone %d of grant %d: review ended at %s", index, g.Id, m.ReviewEnd)
	}
	if curator == g.Applicant {
		return 0, errorsmod.Wrapf(types.ErrSelfDealing, "%s cannot review its own grant %d", curator, g.Id)
	}
	key := collections.Join3(g.Id, index, curatorAddr)
	if has, err := k.Reviews.Has(ctx, key); err != nil {
		return 0, err
	} else if has {
		return 0, errorsmod.Wrapf(types.ErrAlreadyVoted, "%s already reviewed milestone %d of grant %d", curator, index, g.Id)
	}
	weight, err := k.votingWeight(ctx, curatorAddr, curator, m.ReviewOpenedHeight, fmt.Sprintf("review of milestone %d of grant %d", index, g.Id))
	if err != nil {
		return 0, err
	}
	if err := k.Reviews.Set(ctx, key, types.MilestoneReview{GrantId: g.Id, Index: index, Curator: curator, Approve: approve, Weight: weight}); err != nil {
		return 0, err
	}
	if approve {
		m.ApproveWeight = m.ApproveWeight.Add(weight)
	} else {
		m.RejectWeight = m.RejectWeight.Add(weight)
	}
	if err := k.Grants.Set(ctx, g.Id, g); err != nil {
		return 0, err
	}
	if err := emit(ctx, &types.EventMilestoneReviewed{GrantId: g.Id, Index: index, Curator: curator, Approve: approve, Weight: weight}); err != nil {
		return 0, err
	}
	return m.Status, nil
}

// listingBar returns why a grant for a listing can no longer be approved or paid, or nil: a
// grant for a listing pays while its applicant still owns the listing and the listing was not
// suspended (slashed for what it did). It is checked when a milestone is submitted, and again
// when the grant is approved and when a milestone would be paid, since the listing may have been
// slashed or sold during the vote or the review.
func (k Keeper) listingBar(ctx context.Context, g types.Grant) error {
	if g.ListingId == 0 {
		return nil
	}
	l, err := k.marketKeeper.GetListing(ctx, g.ListingId)
	if err != nil {
		return errorsmod.Wrapf(types.ErrInvalidGrant, "grant %d is for listing %d: %v", g.Id, g.ListingId, err)
	}
	if l.Status == marketplacetypes.ListingStatusSuspended {
		return errorsmod.Wrapf(types.ErrInvalidGrant, "listing %d of grant %d is SUSPENDED: the grant pays no more milestones", l.Id, g.Id)
	}
	if l.Owner != g.Applicant {
		return errorsmod.Wrapf(types.ErrNotListingOwner, "listing %d of grant %d is now owned by %s, not its applicant", l.Id, g.Id, l.Owner)
	}
	return nil
}

// decideMilestone decides the grant's in-review milestone at the end of its review period
// (called by the EndBlocker), from the weight cast and the snapshot taken when the review
// opened:
//
//   - approve + reject below quorum × review_total_bonded: EXPIRED, the grant is closed;
//   - approve > reject (a majority of the weight cast): PAID from the reserve;
//   - otherwise: REJECTED, the grant is closed.
//
// A milestone that would be PAID is REJECTED instead, and the grant closed, when the grant is
// for a listing that was suspended, or is no longer its applicant's (listingBar). Closing
// releases the grant's unpaid reserve to the fund's free balance.
func (k Keeper) decideMilestone(ctx context.Context, g types.Grant) (types.Grant, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return g, err
	}
	idx := g.NextMilestone
	m := &g.Milestones[idx]
	cast := m.ApproveWeight.Add(m.RejectWeight)
	var status types.MilestoneStatus
	switch {
	case !quorumReached(cast, m.ReviewTotalBonded, params.Quorum):
		status = types.MilestoneStatusExpired
	case m.ApproveWeight.GT(m.RejectWeight):
		status = types.MilestoneStatusPaid
	default:
		status = types.MilestoneStatusRejected
	}
	closeReason := reasonRejected
	if status == types.MilestoneStatusPaid {
		if bar := k.listingBar(ctx, g); bar != nil {
			status, closeReason = types.MilestoneStatusRejected, bar.Error()
		}
	}
	if err := emit(ctx, &types.EventMilestoneDecided{
		GrantId: g.Id, Index: idx, Status: status,
		ApproveWeight: m.ApproveWeight, RejectWeight: m.RejectWeight, ReviewTotalBonded: m.ReviewTotalBonded,
	}); err != nil {
		return g, err
	}
	switch status {
	case types.MilestoneStatusPaid:
		return k.payMilestone(ctx, g)
	case types.MilestoneStatusExpired:
		m.Status = status
		return k.closeGrant(ctx, g, reasonExpired)
	default:
		m.Status = status
		return k.closeGrant(ctx, g, closeReason)
	}
}

// payMilestone pays the in-review next milestone from the fund's reserve to the
// applicant, advances next_milestone (so it can never be paid again) and completes the
// grant after its last milestone.
func (k Keeper) payMilestone(ctx context.Context, g types.Grant) (types.Grant, error) {
	idx := g.NextMilestone
	m := &g.Milestones[idx]
	fs, err := k.GetFundState(ctx, g.Fund)
	if err != nil {
		return g, err
	}
	if fs.Reserved.LT(m.Amount.Amount) {
		return g, fmt.Errorf("fund %s reserve %s is below milestone %d of grant %d (%s)", g.Fund, fs.Reserved, idx, g.Id, m.Amount)
	}
	applicant, err := k.addressCodec.StringToBytes(g.Applicant)
	if err != nil {
		return g, err
	}
	if err := k.bankKeeper.SendCoinsFromModuleToAccount(ctx, k.FundAccount(g.Fund), applicant, sdk.NewCoins(m.Amount)); err != nil {
		return g, err
	}
	fs.Reserved = fs.Reserved.Sub(m.Amount.Amount)
	fs.TotalGranted = fs.TotalGranted.Add(m.Amount.Amount)
	if err := k.FundStates.Set(ctx, int32(g.Fund), fs); err != nil {
		return g, err
	}
	if err := k.ReviewQueue.Remove(ctx, chainutil.QueueKeyAt(m.ReviewEnd, g.Id)); err != nil {
		return g, err
	}
	m.Status = types.MilestoneStatusPaid
	g.Paid = g.Paid.Add(m.Amount.Amount)
	g.NextMilestone++
	completed := int(g.NextMilestone) == len(g.Milestones)
	if completed {
		g.Status = types.GrantStatusCompleted
		g.Outcome = "all milestones paid"
	}
	if err := k.Grants.Set(ctx, g.Id, g); err != nil {
		return g, err
	}
	return g, emit(ctx, &types.EventMilestonePaid{GrantId: g.Id, Index: idx, Recipient: g.Applicant, Amount: m.Amount, Completed: completed})
}

// closeGrant closes an APPROVED grant: its unpaid reserve returns to the fund's free
// balance and a milestone in review leaves the review queue.
func (k Keeper) closeGrant(ctx context.Context, g types.Grant, reason string) (types.Grant, error) {
	released := g.Unpaid()
	fs, err := k.GetFundState(ctx, g.Fund)
	if err != nil {
		return g, err
	}
	fs.Reserved = fs.Reserved.Sub(released)
	if fs.Reserved.IsNegative() {
		return g, fmt.Errorf("fund %s reserve would become negative closing grant %d", g.Fund, g.Id)
	}
	if err := k.FundStates.Set(ctx, int32(g.Fund), fs); err != nil {
		return g, err
	}
	if int(g.NextMilestone) < len(g.Milestones) {
		// Removing a key that is not queued (milestone never submitted) is a no-op.
		m := g.Milestones[g.NextMilestone]
		if err := k.ReviewQueue.Remove(ctx, chainutil.QueueKeyAt(m.ReviewEnd, g.Id)); err != nil {
			return g, err
		}
	}
	g.Status = types.GrantStatusClosed
	g.Outcome = reason
	if err := k.Grants.Set(ctx, g.Id, g); err != nil {
		return g, err
	}
	return g, emit(ctx, &types.EventGrantClosed{GrantId: g.Id, Reason: reason, Released: released})
}
