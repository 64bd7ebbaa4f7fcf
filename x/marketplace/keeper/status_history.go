package keeper

import (
	"context"
	"fmt"
	"time"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/marketplace/types"
)

// addStatusPoint records that the listing l (old before the change, nil at registration) has
// its status from its status_changed_at (or created_at) on. The listing's last point is old's,
// at old's status_changed_at; when the new point is not after it (block time went back, as a
// chain restarted from an export with an earlier genesis time can see, or a second change in
// one block), the points at or after the new one are dropped first, so that the last point stays
// the listing's status. Otherwise nothing is read: a store iterator costs more, in a block of
// many writes, than the write itself.
func (k Keeper) addStatusPoint(ctx context.Context, old *types.Listing, l types.Listing) error {
	at := l.StatusSince()
	if old != nil && !at.After(old.StatusSince()) {
		if err := k.StatusHistory.Clear(ctx, collections.NewPrefixedPairRange[uint64, time.Time](l.Id).StartInclusive(at)); err != nil {
			return err
		}
	}
	return k.StatusHistory.Set(ctx, collections.Join(l.Id, at), int32(l.Status))
}

// StatusBefore returns the status a listing had just before t, after every change made strictly
// before t, and false when the listing was not registered before t. It reads one history point
// (the last before t), whatever the number of changes.
func (k Keeper) StatusBefore(ctx context.Context, id uint64, t time.Time) (types.ListingStatus, bool, error) {
	_, status, ok, err := k.lastStatusPoint(ctx, collections.NewPrefixedPairRange[uint64, time.Time](id).EndExclusive(t))
	return status, ok, err
}

// lastStatusPoint returns the last point of rng, a range of one listing's points: its time and
// status, and false when the range has none.
func (k Keeper) lastStatusPoint(ctx context.Context, rng *collections.PairRange[uint64, time.Time]) (time.Time, types.ListingStatus, bool, error) {
	iter, err := k.StatusHistory.Iterate(ctx, rng.Descending())
	if err != nil {
		return time.Time{}, 0, false, err
	}
	defer iter.Close()
	if !iter.Valid() {
		return time.Time{}, 0, false, nil
	}
	kv, err := iter.KeyValue()
	if err != nil {
		return time.Time{}, 0, false, err
	}
	return kv.Key.K2(), types.ListingStatus(kv.Value), true, nil
}

// CheckStatusHistory verifies that every listing's last status point is its current status,
// from its status_changed_at (or created_at): a status change that missed the history would
// make StatusBefore answer with a status the listing no longer had. It walks every listing,
// so the chain never runs it in a block.
func (k Keeper) CheckStatusHistory(ctx context.Context) error {
	return k.Listings.Walk(ctx, nil, func(id uint64, l types.Listing) (bool, error) {
		at, status, ok, err := k.lastStatusPoint(ctx, collections.NewPrefixedPairRange[uint64, time.Time](id))
		if err != nil {
			return true, err
		}
		if !ok {
			return true, fmt.Errorf("status history invariant broken: listing %d has no status point", id)
		}
		if !at.Equal(l.StatusSince()) || status != l.Status {
			return true, fmt.Errorf("status history invariant broken: listing %d is %s since %s, its last status point says %s since %s",
				id, l.Status, l.StatusSince().Format(time.RFC3339Nano), status, at.Format(time.RFC3339Nano))
		}
		return false, nil
	})
}

// StatusHistoryInvariant wraps CheckStatusHistory as an sdk.Invariant.
func StatusHistoryInvariant(k Keeper) sdk.Invariant {
	return chainutil.Invariant(types.ModuleName, "status-history", k.CheckStatusHistory, "every listing's last status point is its status")
}
