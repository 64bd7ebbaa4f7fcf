package keeper

import (
	"context"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/access/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// Hooks is the x/access side of x/marketplace's listing hooks. The app registers it with the
// marketplace keeper (SetHooks) so that a listing transfer resets the listing's access settings.
type Hooks struct {
	k Keeper
}

var (
	_ types.MarketplaceHooks            = Hooks{}
	_ marketplacetypes.MarketplaceHooks = Hooks{}
)

// Hooks returns the marketplace hooks of x/access.
func (k Keeper) Hooks() Hooks { return Hooks{k: k} }

// AfterListingTransferred implements types.MarketplaceHooks: the operators and the allowlist
// chosen by the previous owner do not pass to the new owner (see ResetListingAccess).
func (h Hooks) AfterListingTransferred(ctx context.Context, listingID uint64, previousOwner, newOwner sdk.AccAddress) error {
	return h.k.ResetListingAccess(ctx, listingID, previousOwner, newOwner)
}

// ResetListingAccess removes the listing's operators and empties its allowlist, then emits
// EventListingAccessReset. Both are bounded work, whatever the size of the allowlist:
//
//   - the operator set is at most max_operators (≤ 256) entries, removed here;
//   - the allowlist is not deleted here. The listing's allowlist generation moves on by one,
//     so from this point only entries of the new (empty) generation count; the old generation
//     is queued in StaleAllowlists and the EndBlocker deletes its entries, at most
//     max_prunes_per_block per block.
//
// Receipts, day counters and the listing totals are kept: they describe usage that happened.
func (k Keeper) ResetListingAccess(ctx context.Context, listingID uint64, previousOwner, newOwner sdk.AccAddress) error {
	removedOps, err := k.clearOperators(ctx, listingID)
	if err != nil {
		return err
	}
	var removed []string
	for _, op := range removedOps {
		s, err := k.addressCodec.BytesToString(op)
		if err != nil {
			return err
		}
		removed = append(removed, s)
	}

	gen, err := k.AllowlistGenerationOf(ctx, listingID)
	if err != nil {
		return err
	}
	cleared, err := k.hasAllowlistEntries(ctx, listingID, gen)
	if err != nil {
		return err
	}
	if cleared {
		if err := k.StaleAllowlists.Set(ctx, collections.Join(listingID, gen)); err != nil {
			return err
		}
	}
	// An empty generation needs no pruning; moving on anyway keeps the rule simple: every
	// transfer starts the new owner on a generation nobody has written to.
	if err := k.AllowlistGeneration.Set(ctx, listingID, gen+1); err != nil {
		return err
	}

	prev, err := k.addressCodec.BytesToString(previousOwner)
	if err != nil {
		return err
	}
	next, err := k.addressCodec.BytesToString(newOwner)
	if err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventListingAccessReset{
		ListingId: listingID, PreviousOwner: prev, NewOwner: next,
		OperatorsRemoved: removed, AllowlistCleared: cleared,
	})
}

// hasAllowlistEntries reports whether the listing's allowlist generation has any entry; it
// reads at most one key.
func (k Keeper) hasAllowlistEntries(ctx context.Context, listingID, gen uint64) (bool, error) {
	rng := collections.NewSuperPrefixedTripleRange[uint64, uint64, sdk.AccAddress](listingID, gen)
	iter, err := k.Allowlist.Iterate(ctx, rng)
	if err != nil {
		return false, err
	}
	defer iter.Close()
	return iter.Valid(), nil
}
