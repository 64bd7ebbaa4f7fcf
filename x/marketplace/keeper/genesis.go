package keeper

import (
	"context"

	"cosmossdk.io/collections"

	"github.com/balanceai/balanceai/x/marketplace/types"
)

// InitGenesis stores params and listings and rebuilds everything derived from the
// listings: indexes, counters, TotalLocked and the unlock queue (RETIRING listings,
// and SUSPENDED listings that still hold collateral, at their unlock_at). The burn
// totals carry over.
func (k Keeper) InitGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	for _, l := range gs.Listings {
		if _, _, err := k.canonicalAddress("owner", l.Owner); err != nil {
			return err
		}
		if err := k.setListing(ctx, nil, l); err != nil {
			return err
		}
		if isQueued(l) {
			if err := k.UnlockQueue.Set(ctx, collections.Join(queueSecond(l.UnlockAt), l.Id)); err != nil {
				return err
			}
		}
	}
	if err := k.ListingSeq.Set(ctx, gs.NextListingId); err != nil {
		return err
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

// ExportGenesis exports params, all listings in id order, the next listing id and the
// burn totals.
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
	return gs, nil
}
