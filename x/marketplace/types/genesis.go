package types

import (
	"time"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
)

// DefaultGenesisState returns the genesis of a new network: default params, no listings.
func DefaultGenesisState() *GenesisState {
	return &GenesisState{
		Params:                 DefaultParams(),
		NextListingId:          1,
		BurnedRegistrationFees: math.ZeroInt(),
		BurnedSlashes:          math.ZeroInt(),
	}
}

// Validate checks the genesis: listings have unique ids below next_listing_id, valid
// fields and statuses, collateral in ubai, components that exist with smaller ids (so
// the composition graph is acyclic) and a consistent unlock time; holds on existing
// listings only; burn totals that are not negative (absent means zero); then the params.
func (gs GenesisState) Validate() error {
	if gs.NextListingId == 0 {
		return errorsmod.Wrap(ErrInvalidGenesis, "next_listing_id must be at least 1")
	}
	ids := make(map[uint64]struct{}, len(gs.Listings))
	for i := range gs.Listings {
		l := &gs.Listings[i]
		if l.Id == 0 || l.Id >= gs.NextListingId {
			return errorsmod.Wrapf(ErrInvalidGenesis, "listing id %d must be in [1, next_listing_id %d)", l.Id, gs.NextListingId)
		}
		if _, dup := ids[l.Id]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "listing id %d appears twice", l.Id)
		}
		ids[l.Id] = struct{}{}
		if l.Owner == "" {
			return errorsmod.Wrapf(ErrInvalidGenesis, "listing %d has no owner", l.Id)
		}
		if err := ValidateListingFields(l); err != nil {
			return errorsmod.Wrapf(err, "listing %d", l.Id)
		}
		if l.Status < ListingStatusActive || l.Status > ListingStatusSuspended {
			return errorsmod.Wrapf(ErrInvalidGenesis, "listing %d has invalid status %s", l.Id, l.Status)
		}
		if l.Collateral.Denom != CollateralDenom || l.Collateral.Amount.IsNil() || l.Collateral.Amount.IsNegative() {
			return errorsmod.Wrapf(ErrInvalidGenesis, "listing %d collateral %s must be non-negative %s", l.Id, l.Collateral, CollateralDenom)
		}
		if l.Status == ListingStatusRetired && !l.Collateral.IsZero() {
			return errorsmod.Wrapf(ErrInvalidGenesis, "retired listing %d still holds collateral %s", l.Id, l.Collateral)
		}
		if (l.Status == ListingStatusRetiring || (l.Status == ListingStatusSuspended && l.Collateral.IsPositive())) && l.UnlockAt.IsZero() {
			return errorsmod.Wrapf(ErrInvalidGenesis, "listing %d is %s with collateral but has no unlock_at", l.Id, l.Status)
		}
		if !l.StatusChangedAt.IsZero() && (l.StatusChangedAt.Before(l.CreatedAt) || l.StatusChangedAt.After(l.UpdatedAt)) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "listing %d status_changed_at %s must be between created_at %s and updated_at %s (or zero)",
				l.Id, l.StatusChangedAt.Format(time.RFC3339), l.CreatedAt.Format(time.RFC3339), l.UpdatedAt.Format(time.RFC3339))
		}
		if uint64(len(l.Components)) > gs.Params.MaxComponents {
			return errorsmod.Wrapf(ErrInvalidGenesis, "listing %d has %d components, more than max_components %d", l.Id, len(l.Components), gs.Params.MaxComponents)
		}
		for _, c := range l.Components {
			// Components are fixed at registration and must already exist, so they
			// always have smaller ids; requiring it here keeps imported graphs acyclic.
			if c >= l.Id {
				return errorsmod.Wrapf(ErrInvalidGenesis, "listing %d composes %d, which is not an earlier listing", l.Id, c)
			}
		}
	}
	for i := range gs.Listings {
		for _, c := range gs.Listings[i].Components {
			if _, ok := ids[c]; !ok {
				return errorsmod.Wrapf(ErrInvalidGenesis, "listing %d composes missing listing %d", gs.Listings[i].Id, c)
			}
		}
	}
	if err := gs.validateHolds(ids); err != nil {
		return err
	}
	if err := gs.validateStatusHistory(); err != nil {
		return err
	}
	for _, b := range []struct {
		name   string
		amount math.Int
	}{
		{"burned_registration_fees", gs.BurnedRegistrationFees},
		{"burned_slashes", gs.BurnedSlashes},
	} {
		if !b.amount.IsNil() && b.amount.IsNegative() {
			return errorsmod.Wrapf(ErrInvalidGenesis, "%s must not be negative, got %s", b.name, b.amount)
		}
	}
	return gs.Params.Validate()
}

// validateHolds checks the collateral holds: each on an existing listing, listed once, in
// listing id order, with a positive count; each proposal hold once, in (proposal, listing)
// order, on an existing listing, with a non-negative base, and counted among that listing's
// holds.
func (gs GenesisState) validateHolds(ids map[uint64]struct{}) error {
	counts := make(map[uint64]uint64, len(gs.Holds))
	for i, h := range gs.Holds {
		if _, ok := ids[h.ListingId]; !ok {
			return errorsmod.Wrapf(ErrInvalidGenesis, "hold on missing listing %d", h.ListingId)
		}
		if i > 0 && h.ListingId <= gs.Holds[i-1].ListingId {
			return errorsmod.Wrapf(ErrInvalidGenesis, "holds must be ordered by listing id without duplicates; %d follows %d", h.ListingId, gs.Holds[i-1].ListingId)
		}
		if h.Count == 0 {
			return errorsmod.Wrapf(ErrInvalidGenesis, "hold on listing %d has count 0", h.ListingId)
		}
		counts[h.ListingId] = h.Count
	}
	perProposal := 0
	for i, h := range gs.ProposalHolds {
		if i == 0 || h.ProposalId != gs.ProposalHolds[i-1].ProposalId {
			perProposal = 0
		}
		// Releasing a proposal's holds is done in one block.
		if perProposal++; perProposal > MaxSlashedListingsPerProposal {
			return errorsmod.Wrapf(ErrInvalidGenesis, "proposal %d holds more than %d listings", h.ProposalId, MaxSlashedListingsPerProposal)
		}
		if _, ok := ids[h.ListingId]; !ok {
			return errorsmod.Wrapf(ErrInvalidGenesis, "proposal %d holds missing listing %d", h.ProposalId, h.ListingId)
		}
		if i > 0 {
			prev := gs.ProposalHolds[i-1]
			if h.ProposalId < prev.ProposalId || (h.ProposalId == prev.ProposalId && h.ListingId <= prev.ListingId) {
				return errorsmod.Wrapf(ErrInvalidGenesis, "proposal holds must be ordered by (proposal, listing) without duplicates; (%d, %d) follows (%d, %d)",
					h.ProposalId, h.ListingId, prev.ProposalId, prev.ListingId)
			}
		}
		if h.Base.IsNil() || h.Base.IsNegative() {
			return errorsmod.Wrapf(ErrInvalidGenesis, "proposal %d hold on listing %d has invalid base %s", h.ProposalId, h.ListingId, h.Base)
		}
		if counts[h.ListingId] == 0 {
			return errorsmod.Wrapf(ErrInvalidGenesis, "listing %d has more proposal holds than holds", h.ListingId)
		}
		counts[h.ListingId]--
	}
	return nil
}

// StatusSince is when a listing took its current status: status_changed_at, or created_at for a
// listing without one.
func (l Listing) StatusSince() time.Time {
	if l.StatusChangedAt.IsZero() {
		return l.CreatedAt
	}
	return l.StatusChangedAt
}

// validateStatusHistory checks the status points: in (listing id, at) order without repeats,
// each of an existing listing, with a valid status, at or after the listing's registration and
// not after it took its current status; a point at that moment must be its current status.
func (gs GenesisState) validateStatusHistory() error {
	listings := make(map[uint64]*Listing, len(gs.Listings))
	for i := range gs.Listings {
		listings[gs.Listings[i].Id] = &gs.Listings[i]
	}
	for i, p := range gs.StatusHistory {
		if i > 0 {
			prev := gs.StatusHistory[i-1]
			if p.ListingId < prev.ListingId || (p.ListingId == prev.ListingId && !p.At.After(prev.At)) {
				return errorsmod.Wrapf(ErrInvalidGenesis, "status_history must be ordered by (listing_id, at) without repeats: listing %d at %s follows listing %d at %s",
					p.ListingId, p.At.Format(time.RFC3339Nano), prev.ListingId, prev.At.Format(time.RFC3339Nano))
			}
		}
		l, ok := listings[p.ListingId]
		if !ok {
			return errorsmod.Wrapf(ErrInvalidGenesis, "status_history has a point of missing listing %d", p.ListingId)
		}
		if p.Status < ListingStatusActive || p.Status > ListingStatusSuspended {
			return errorsmod.Wrapf(ErrInvalidGenesis, "status_history point of listing %d has invalid status %s", p.ListingId, p.Status)
		}
		since := l.StatusSince()
		if p.At.Before(l.CreatedAt) || p.At.After(since) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "status_history point of listing %d at %s must be between its created_at %s and its status_changed_at %s",
				p.ListingId, p.At.Format(time.RFC3339Nano), l.CreatedAt.Format(time.RFC3339Nano), since.Format(time.RFC3339Nano))
		}
		if p.At.Equal(since) && p.Status != l.Status {
			return errorsmod.Wrapf(ErrInvalidGenesis, "status_history point of listing %d at its status_changed_at says %s, the listing is %s",
				p.ListingId, p.Status, l.Status)
		}
	}
	return nil
}

// MaxSlashedListingsPerProposal bounds the distinct listings one proposal may slash: each is
// frozen while the proposal is pending, so one deposit must not freeze the marketplace, and
// releasing them is done in one block.
const MaxSlashedListingsPerProposal = 10
