package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/marketplace/types"
)

// Hold freezes a listing's collateral until a matching Release: while any hold remains the
// owner cannot withdraw and a due unlock waits. Holds count, so several flags and slash
// proposals may hold the same listing. It returns the collateral at this moment, the base a
// later slash applies its fraction to (SlashAndSuspend), so that nothing added afterwards
// changes the outcome and nothing can be taken out before it. x/curation holds a listing
// while a flag against it is open; governance slash proposals hold through GovHooks.
func (k Keeper) Hold(ctx context.Context, listingID uint64) (sdk.Coin, error) {
	l, err := k.GetListing(ctx, listingID)
	if err != nil {
		return sdk.Coin{}, err
	}
	n, err := k.holdCount(ctx, listingID)
	if err != nil {
		return sdk.Coin{}, err
	}
	if err := k.Holds.Set(ctx, listingID, n+1); err != nil {
		return sdk.Coin{}, err
	}
	return l.Collateral, sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventCollateralHeld{
		Id: listingID, Holds: n + 1, Collateral: l.Collateral,
	})
}

// Release removes one hold taken by Hold. When the last hold goes and the listing's unlock
// time has already passed (the EndBlocker dropped the due unlock while it was held), the
// unlock is queued for now, so the next EndBlocker returns the collateral. The work is
// bounded: at most one queue insert.
func (k Keeper) Release(ctx context.Context, listingID uint64) error {
	n, err := k.holdCount(ctx, listingID)
	if err != nil {
		return err
	}
	if n == 0 {
		return errorsmod.Wrapf(types.ErrNotHeld, "listing %d has no hold to release", listingID)
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	if n > 1 {
		if err := k.Holds.Set(ctx, listingID, n-1); err != nil {
			return err
		}
	} else {
		if err := k.Holds.Remove(ctx, listingID); err != nil {
			return err
		}
		l, err := k.GetListing(ctx, listingID)
		if err != nil {
			return err
		}
		now := sdkCtx.BlockTime().Unix()
		if isQueued(l) && chainutil.QueueSecond(l.UnlockAt) <= now {
			if err := k.UnlockQueue.Set(ctx, collections.Join(now, listingID)); err != nil {
				return err
			}
		}
	}
	return sdkCtx.EventManager().EmitTypedEvent(&types.EventCollateralReleased{Id: listingID, Holds: n - 1})
}

// IsHeld reports whether any hold freezes the listing's collateral.
func (k Keeper) IsHeld(ctx context.Context, listingID uint64) (bool, error) {
	return k.Holds.Has(ctx, listingID)
}

// holdCount returns the number of holds on a listing, 0 when it has none.
func (k Keeper) holdCount(ctx context.Context, listingID uint64) (uint64, error) {
	n, err := k.Holds.Get(ctx, listingID)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return 0, nil
	}
	return n, err
}

// holdProposal takes one hold for proposalID on listingID, recording the collateral at
// this moment; a proposal slashing the same listing twice holds it once.
func (k Keeper) holdProposal(ctx context.Context, proposalID, listingID uint64) error {
	key := collections.Join(proposalID, listingID)
	has, err := k.ProposalHolds.Has(ctx, key)
	if err != nil || has {
		return err
	}
	base, err := k.Hold(ctx, listingID)
	if err != nil {
		return err
	}
	return k.ProposalHolds.Set(ctx, key, base.Amount)
}

// releaseProposal releases every hold proposalID took. The number of holds is bounded by
// the messages of one proposal.
func (k Keeper) releaseProposal(ctx context.Context, proposalID uint64) error {
	it, err := k.ProposalHolds.Iterate(ctx, collections.NewPrefixedPairRange[uint64, uint64](proposalID))
	if err != nil {
		return err
	}
	keys, err := it.Keys()
	if err != nil {
		return err
	}
	for _, key := range keys {
		if err := k.ProposalHolds.Remove(ctx, key); err != nil {
			return err
		}
		if err := k.Release(ctx, key.K2()); err != nil {
			return err
		}
	}
	return nil
}

// proposalSlashBase is the base a governance slash of a listing applies its fraction to:
// the collateral recorded when the earliest pending proposal slashing the listing was
// submitted. Held collateral can only grow (no withdrawal, no unlock), so that is the
// smallest recorded base. Without a pending proposal hold (e.g. MsgSlashListing executed by
// other means) it is the current collateral.
func (k Keeper) proposalSlashBase(ctx context.Context, listingID uint64) (math.Int, error) {
	it, err := k.ProposalHolds.Indexes.Listing.MatchExact(ctx, listingID)
	if err != nil {
		return math.Int{}, err
	}
	defer it.Close()
	if it.Valid() {
		key, err := it.PrimaryKey()
		if err != nil {
			return math.Int{}, err
		}
		return k.ProposalHolds.Get(ctx, key)
	}
	l, err := k.GetListing(ctx, listingID)
	if err != nil {
		return math.Int{}, err
	}
	return l.Collateral.Amount, nil
}

// WalkFlagHolds calls fn, in listing order, with each held listing's holds besides those of
// governance slash proposals: the holds x/curation's open flags took (its flag-holds invariant
// matches them with its open flags).
func (k Keeper) WalkFlagHolds(ctx context.Context, fn func(listingID, holds uint64) error) error {
	return k.Holds.Walk(ctx, nil, func(id, n uint64) (bool, error) {
		it, err := k.ProposalHolds.Indexes.Listing.MatchExact(ctx, id)
		if err != nil {
			return true, err
		}
		proposals, err := it.PrimaryKeys()
		if err != nil {
			return true, err
		}
		if p := uint64(len(proposals)); n > p {
			return false, fn(id, n-p)
		}
		return false, nil
	})
}
