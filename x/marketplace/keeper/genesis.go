package keeper

import (
	"context"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/marketplace/types"
)

// InitGenesis stores params and listings and rebuilds everything derived from the
// listings: indexes, counters, TotalLocked and the unlock queue (RETIRING listings,
// and SUSPENDED listings that still hold collateral, at their unlock_at). The burn
// totals and the collateral holds carry over; a held listing's due unlock leaves the queue
// in the first EndBlocker and comes back when the last hold is released, as on the
// exporting chain. The modules that took holds (x/curation) must not take them again.
func (k Keeper) InitGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	for _, l := range gs.Listings {
		_, canon, err := chainutil.DecodeAddress(k.addressCodec, "owner", l.Owner, types.ErrInvalidAddress)
		if err != nil {
			return err
		}
		// Owners are compared as strings (who may act on a listing): one spelling only.
		if canon != l.Owner {
			return errorsmod.Wrapf(types.ErrInvalidAddress, "listing %d owner %q is not spelled canonically (%s)", l.Id, l.Owner, canon)
		}
		if err := k.setListing(ctx, nil, l); err != nil {
			return err
		}
		if isQueued(l) {
			if err := k.UnlockQueue.Set(ctx, chainutil.QueueKeyAt(l.UnlockAt, l.Id)); err != nil {
				return err
			}
		}
	}
	if err := k.ListingSeq.Set(ctx, gs.NextListingId); err != nil {
		return err
	}
	for _, h := range gs.Holds {
		if err := k.Holds.Set(ctx, h.ListingId, h.Count); err != nil {
			return err
		}
	}
	for _, h := range gs.ProposalHolds {
		if err := k.ProposalHolds.Set(ctx, collections.Join(h.ProposalId, h.ListingId), h.Base); err != nil {
			return err
		}
	}
	// Each listing already has its point at status_changed_at (setListing); the earlier
	// points come from the genesis.
	for _, p := range gs.StatusHistory {
		if err := k.StatusHistory.Set(ctx, collections.Join(p.ListingId, p.At), int32(p.Status)); err != nil {
			return err
		}
	}
	// Burn counters are only written once something was burned, as on a running chain.
	if burned := gs.BurnedRegistrationFees; !burned.IsNil() && burned.IsPositive() {
		if err := k.BurnedRegistrationFees.Set(ctx, burned); err != nil {
			return err
		}
	}
	if burned := gs.BurnedSlashes; !burned.IsNil() && burned.IsPositive() {
		if err := k.BurnedSlashes.Set(ctx, burned); err != nil {
			return err
		}
	}
	return nil
}

// isQueued reports whether a listing's collateral is waiting in the unlock queue.
func isQueued(l types.Listing) bool {
	return l.Status == types.ListingStatusRetiring ||
		(l.Status == types.ListingStatusSuspended && l.Collateral.IsPositive())
}

// ExportGenesis exports params, all listings in id order, the next listing id, the burn
// totals, the collateral holds and the status history.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: params}
	err = k.Listings.Walk(ctx, nil, func(_ uint64, l types.Listing) (bool, error) {
		gs.Listings = append(gs.Listings, l)
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	next, err := k.ListingSeq.Peek(ctx)
	if err != nil {
		return nil, err
	}
	gs.NextListingId = max(next, 1)
	if gs.BurnedRegistrationFees, gs.BurnedSlashes, err = k.BurnedTotals(ctx); err != nil {
		return nil, err
	}
	err = k.Holds.Walk(ctx, nil, func(id, n uint64) (bool, error) {
		gs.Holds = append(gs.Holds, types.CollateralHold{ListingId: id, Count: n})
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	err = k.ProposalHolds.Walk(ctx, nil, func(key collections.Pair[uint64, uint64], base math.Int) (bool, error) {
		gs.ProposalHolds = append(gs.ProposalHolds, types.ProposalHold{ProposalId: key.K1(), ListingId: key.K2(), Base: base})
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	err = k.StatusHistory.Walk(ctx, nil, func(key collections.Pair[uint64, time.Time], status int32) (bool, error) {
		gs.StatusHistory = append(gs.StatusHistory, types.StatusPoint{ListingId: key.K1(), At: key.K2(), Status: types.ListingStatus(status)})
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	return gs, nil
}
