package types

import (
	"fmt"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
)

// DefaultGenesisState returns the default genesis: default params, empty funds, no grants.
func DefaultGenesisState() *GenesisState {
	return &GenesisState{Params: DefaultParams(), NextGrantId: 1}
}

func genesisErr(format string, args ...any) error {
	return errorsmod.Wrapf(ErrInvalidGenesis, format, args...)
}

func nonNegative(i math.Int) bool { return !i.IsNil() && !i.IsNegative() }

// Validate checks the genesis for duplicates, bounds and the bookkeeping the invariants
// rely on: each fund's reserved equals its approved grants' unpaid milestones and its
// unclaimed equals the rewards credited from it. Params are checked last.
func (gs GenesisState) Validate() error {
	states := map[GrantFund]FundState{}
	for _, fs := range gs.Funds {
		if err := fs.Fund.Validate(); err != nil {
			return genesisErr("fund state: %v", err)
		}
		if _, dup := states[fs.Fund]; dup {
			return genesisErr("duplicate fund state %s", fs.Fund)
		}
		if !nonNegative(fs.Reserved) || !nonNegative(fs.Unclaimed) || !nonNegative(fs.TotalRewarded) || !nonNegative(fs.TotalGranted) ||
			!nonNegative(OrZero(fs.TotalReserved)) {
			return genesisErr("fund state %s has a negative or missing amount", fs.Fund)
		}
		states[fs.Fund] = fs
	}

	unclaimed := map[GrantFund]math.Int{}
	seenReward := map[string]bool{}
	for _, r := range gs.Rewards {
		if err := canonicalAddress("reward owner", r.Owner); err != nil {
			return err
		}
		if err := r.Fund.Validate(); err != nil {
			return genesisErr("reward of %s: %v", r.Owner, err)
		}
		if r.Amount.IsNil() || !r.Amount.IsPositive() {
			return genesisErr("reward of %s from %s must be positive", r.Owner, r.Fund)
		}
		key := fmt.Sprintf("%s/%d", r.Owner, r.Fund)
		if seenReward[key] {
			return genesisErr("duplicate reward for %s from %s", r.Owner, r.Fund)
		}
		seenReward[key] = true
		unclaimed[r.Fund] = OrZero(unclaimed[r.Fund]).Add(r.Amount)
	}

	reserved := map[GrantFund]math.Int{}
	grants := map[uint64]Grant{}
	for _, g := range gs.Grants {
		if g.Id == 0 || g.Id >= gs.NextGrantId {
			return genesisErr("grant id %d must be in [1, next_grant_id %d)", g.Id, gs.NextGrantId)
		}
		if _, dup := grants[g.Id]; dup {
			return genesisErr("duplicate grant %d", g.Id)
		}
		if err := validateGenesisGrant(g, gs.Params.Denom); err != nil {
			return genesisErr("grant %d: %v", g.Id, err)
		}
		if !nonNegative(OrZero(g.FreeAtSubmission)) || !nonNegative(OrZero(g.TotalReservedAtSubmission)) {
			return genesisErr("grant %d has a negative free balance or total reserved at submission", g.Id)
		}
		if OrZero(g.TotalReservedAtSubmission).GT(OrZero(states[g.Fund].TotalReserved)) {
			return genesisErr("grant %d's total reserved at submission %s is above its fund's total reserved %s", g.Id,
				OrZero(g.TotalReservedAtSubmission), OrZero(states[g.Fund].TotalReserved))
		}
		grants[g.Id] = g
		if g.Status == GrantStatusApproved {
			reserved[g.Fund] = OrZero(reserved[g.Fund]).Add(g.Unpaid())
		}
	}
	for _, f := range AllFunds {
		fs, ok := states[f]
		if !ok {
			fs = NewFundState(f)
		}
		if !fs.Reserved.Equal(OrZero(reserved[f])) {
			return genesisErr("fund %s reserved %s does not equal its approved grants' unpaid milestones %s", f, fs.Reserved, OrZero(reserved[f]))
		}
		if !fs.TotalReserved.IsNil() && fs.TotalReserved.LT(fs.Reserved) {
			return genesisErr("fund %s total reserved %s is below its reserved %s", f, fs.TotalReserved, fs.Reserved)
		}
		if !fs.Unclaimed.Equal(OrZero(unclaimed[f])) {
			return genesisErr("fund %s unclaimed %s does not equal the rewards credited from it %s", f, fs.Unclaimed, OrZero(unclaimed[f]))
		}
	}

	seenVote := map[string]bool{}
	for _, v := range gs.Votes {
		if _, ok := grants[v.GrantId]; !ok {
			return genesisErr("vote on unknown grant %d", v.GrantId)
		}
		if err := canonicalAddress("vote curator", v.Curator); err != nil {
			return err
		}
		if v.Option < VoteOptionYes || v.Option > VoteOptionNoWithVeto {
			return genesisErr("vote on grant %d has invalid option %s", v.GrantId, v.Option)
		}
		if v.Weight.IsNil() || !v.Weight.IsPositive() {
			return genesisErr("vote on grant %d by %s must have a positive weight", v.GrantId, v.Curator)
		}
		key := fmt.Sprintf("%d/%s", v.GrantId, v.Curator)
		if seenVote[key] {
			return genesisErr("duplicate vote on grant %d by %s", v.GrantId, v.Curator)
		}
		seenVote[key] = true
	}
	seenReview := map[string]bool{}
	for _, r := range gs.Reviews {
		g, ok := grants[r.GrantId]
		if !ok {
			return genesisErr("review of unknown grant %d", r.GrantId)
		}
		if int(r.Index) >= len(g.Milestones) {
			return genesisErr("review of grant %d milestone %d out of range", r.GrantId, r.Index)
		}
		if err := canonicalAddress("review curator", r.Curator); err != nil {
			return err
		}
		if r.Weight.IsNil() || !r.Weight.IsPositive() {
			return genesisErr("review of grant %d by %s must have a positive weight", r.GrantId, r.Curator)
		}
		key := fmt.Sprintf("%d/%d/%s", r.GrantId, r.Index, r.Curator)
		if seenReview[key] {
			return genesisErr("duplicate review of grant %d milestone %d by %s", r.GrantId, r.Index, r.Curator)
		}
		seenReview[key] = true
	}
	if gs.LastRewardedEpoch != 0 && !gs.HasRewardedEpoch {
		return genesisErr("last_rewarded_epoch is set but has_rewarded_epoch is false")
	}
	if err := gs.validatePayout(); err != nil {
		return err
	}
	if err := gs.Params.Validate(); err != nil {
		return genesisErr("params: %v", err)
	}
	return nil
}

// validateGenesisGrant checks one grant's fields and the consistency of its milestones
// with its status and next_milestone.
func validateGenesisGrant(g Grant, denom string) error {
	if _, err := sdk.AccAddressFromBech32(g.Applicant); err != nil {
		return fmt.Errorf("applicant %q: %v", g.Applicant, err)
	}
	if err := g.Fund.Validate(); err != nil {
		return err
	}
	if g.Status < GrantStatusVoting || g.Status > GrantStatusFailed {
		return fmt.Errorf("invalid status %s", g.Status)
	}
	if err := ValidateTitle(g.Title); err != nil {
		return err
	}
	if err := ValidateCID("details_cid", g.DetailsCid); err != nil {
		return err
	}
	if len(g.Milestones) == 0 || len(g.Milestones) > MaxMilestones {
		return fmt.Errorf("needs 1-%d milestones, got %d", MaxMilestones, len(g.Milestones))
	}
	if int(g.NextMilestone) > len(g.Milestones) {
		return fmt.Errorf("next_milestone %d beyond %d milestones", g.NextMilestone, len(g.Milestones))
	}
	if err := g.Deposit.Validate(); err != nil {
		return fmt.Errorf("deposit: %v", err)
	}
	if !g.Deposit.IsZero() && g.Deposit.Denom != denom {
		return fmt.Errorf("deposit %s is not in %s", g.Deposit, denom)
	}
	for _, t := range []math.Int{g.Tally.Yes, g.Tally.No, g.Tally.Abstain, g.Tally.NoWithVeto, g.Paid} {
		if !nonNegative(t) {
			return fmt.Errorf("tally and paid must be non-negative")
		}
	}
	if !nonNegative(g.VotingTotalBonded) {
		return fmt.Errorf("voting_total_bonded must be non-negative")
	}
	// Each vote weighs at most the voter's bond when voting opened, so the weight cast never
	// exceeds the total bonded then.
	if cast := g.Tally.Cast(); cast.GT(g.VotingTotalBonded) {
		return fmt.Errorf("tally %s exceeds the %s bonded when voting opened", cast, g.VotingTotalBonded)
	}
	paid := math.ZeroInt()
	for i, m := range g.Milestones {
		if !m.Amount.IsValid() || !m.Amount.IsPositive() || m.Amount.Denom != denom {
			return fmt.Errorf("milestone %d amount %s must be a positive amount of %s", i, m.Amount, denom)
		}
		// A grant never approved has paid and reviewed nothing.
		if (g.Status == GrantStatusVoting || g.Status == GrantStatusRejected) && m.Status != MilestoneStatusPending {
			return fmt.Errorf("milestone %d is %s but the grant was never approved (%s)", i, m.Status, g.Status)
		}
		if !nonNegative(m.ApproveWeight) || !nonNegative(m.RejectWeight) || !nonNegative(m.ReviewTotalBonded) {
			return fmt.Errorf("milestone %d weights and review_total_bonded must be non-negative", i)
		}
		if cast := m.ApproveWeight.Add(m.RejectWeight); cast.GT(m.ReviewTotalBonded) {
			return fmt.Errorf("milestone %d review weight %s exceeds the %s bonded when the review opened", i, cast, m.ReviewTotalBonded)
		}
		if i < int(g.NextMilestone) {
			if m.Status != MilestoneStatusPaid {
				return fmt.Errorf("milestone %d before next_milestone must be PAID, is %s", i, m.Status)
			}
			paid = paid.Add(m.Amount.Amount)
		} else if m.Status == MilestoneStatusPaid {
			return fmt.Errorf("milestone %d from next_milestone on cannot be PAID", i)
		}
		if i > int(g.NextMilestone) && m.Status != MilestoneStatusPending {
			return fmt.Errorf("milestone %d after next_milestone must be PENDING, is %s", i, m.Status)
		}
		// A grant governance closes while a milestone is in review keeps that milestone
		// IN_REVIEW (its review is dropped).
		if m.Status == MilestoneStatusInReview && g.Status != GrantStatusApproved && g.Status != GrantStatusClosed {
			return fmt.Errorf("milestone %d is IN_REVIEW but the grant is %s", i, g.Status)
		}
	}
	if !paid.Equal(g.Paid) {
		return fmt.Errorf("paid %s does not equal the paid milestones %s", g.Paid, paid)
	}
	if g.Status == GrantStatusCompleted && int(g.NextMilestone) != len(g.Milestones) {
		return fmt.Errorf("COMPLETED with unpaid milestones")
	}
	if g.Status == GrantStatusApproved && int(g.NextMilestone) == len(g.Milestones) {
		return fmt.Errorf("APPROVED with every milestone paid (should be COMPLETED)")
	}
	// An approved grant's next milestone can still be submitted or is in review: one rejected
	// or expired there would close the grant.
	if g.Status == GrantStatusApproved {
		if st := g.Milestones[g.NextMilestone].Status; st != MilestoneStatusPending && st != MilestoneStatusInReview {
			return fmt.Errorf("APPROVED grant's next milestone %d is %s", g.NextMilestone, st)
		}
	}
	return nil
}

// canonicalAddress checks that s is an account address spelled canonically (lower case, as
// the chain writes it): the stores key addresses by their bytes, so two spellings of one
// address would be one entry counted twice.
func canonicalAddress(field, s string) error {
	if err := chainutil.CheckCanonical(s); err != nil {
		return genesisErr("%s %v", field, err)
	}
	return nil
}

// OrZero returns i, or zero for a nil Int (an amount a state written before the field existed
// leaves unset).
func OrZero(i math.Int) math.Int {
	if i.IsNil() {
		return math.ZeroInt()
	}
	return i
}

// validatePayout checks the epoch payout in progress and its entries.
func (gs GenesisState) validatePayout() error {
	p := gs.Payout
	if p == nil {
		if len(gs.PayoutEntries) > 0 {
			return genesisErr("payout entries without a payout in progress")
		}
		return nil
	}
	if !p.Failed && (!gs.HasRewardedEpoch || gs.LastRewardedEpoch != p.Epoch) {
		return genesisErr("the payout of epoch %d needs it as the last rewarded epoch", p.Epoch)
	}
	if !nonNegative(p.CuratorWeight) {
		return genesisErr("payout curator_weight is negative or missing")
	}
	if len(p.Funds) != len(AllFunds) {
		return genesisErr("payout has %d fund payouts, want %d", len(p.Funds), len(AllFunds))
	}
	for i, fp := range p.Funds {
		if fp.Fund != AllFunds[i] {
			return genesisErr("payout fund %d is %s, want %s", i, fp.Fund, AllFunds[i])
		}
		for _, v := range []math.Int{fp.Free, fp.CuratorPool, fp.ListingPool, fp.ListingWeight, fp.CuratorsPaid, fp.ListingsPaid} {
			if !nonNegative(v) {
				return genesisErr("payout of %s has a negative or missing amount", fp.Fund)
			}
		}
		if fp.CuratorsPaid.GT(fp.CuratorPool) || fp.ListingsPaid.GT(fp.ListingPool) {
			return genesisErr("payout of %s credited more than its pools", fp.Fund)
		}
	}
	// The entries not yet credited weigh at most their pool's total weight: each is credited
	// pool × weight / total, so more would credit more than the pool, out of other holders' funds.
	curatorWeights := math.ZeroInt()
	listingWeights := map[GrantFund]math.Int{}
	var last uint64
	for i, e := range gs.PayoutEntries {
		if e.Id >= p.NextEntry || (i > 0 && e.Id <= last) {
			return genesisErr("payout entry ids must be increasing and below next_entry %d, got %d", p.NextEntry, e.Id)
		}
		last = e.Id
		if err := canonicalAddress("payout entry owner", e.Owner); err != nil {
			return err
		}
		if e.Weight.IsNil() || !e.Weight.IsPositive() {
			return genesisErr("payout entry %d must have a positive weight", e.Id)
		}
		if e.ListingId == 0 {
			if e.Fund != GrantFundUnspecified {
				return genesisErr("curator payout entry %d must have no fund", e.Id)
			}
			if curatorWeights = curatorWeights.Add(e.Weight); curatorWeights.GT(p.CuratorWeight) {
				return genesisErr("curator payout entries weigh more than the payout's curator_weight %s", p.CuratorWeight)
			}
			continue
		}
		if err := e.Fund.Validate(); err != nil {
			return genesisErr("payout entry %d: %v", e.Id, err)
		}
		w := OrZero(listingWeights[e.Fund]).Add(e.Weight)
		listingWeights[e.Fund] = w
		for _, fp := range p.Funds {
			if fp.Fund == e.Fund && w.GT(fp.ListingWeight) {
				return genesisErr("listing payout entries of %s weigh more than its listing_weight %s", e.Fund, fp.ListingWeight)
			}
		}
	}
	return nil
}

// RebaseHeights moves the snapshot heights of the votes in progress by -by: a voting grant's
// voting_opened_height and the review_opened_height of an approved grant's milestone in
// review. x/curation's RebaseHeights moves the bond checkpoints those heights read by the same
// amount (see there): a genesis exported for a restart at height zero is rebased by its export
// height. Heights may then be zero or negative.
func (gs *GenesisState) RebaseHeights(by int64) {
	for i := range gs.Grants {
		g := &gs.Grants[i]
		if g.Status == GrantStatusVoting {
			g.VotingOpenedHeight -= by
		}
		if g.Status == GrantStatusApproved && int(g.NextMilestone) < len(g.Milestones) {
			if m := &g.Milestones[g.NextMilestone]; m.Status == MilestoneStatusInReview {
				m.ReviewOpenedHeight -= by
			}
		}
	}
}
