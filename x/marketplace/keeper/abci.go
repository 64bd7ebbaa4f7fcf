package keeper

import (
	"context"
	"errors"
	"time"

	"cosmossdk.io/collections"
	sdkmath "cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/telemetry"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/marketplace/types"
)

// unlockRetryDelay is how long an unlock that failed (e.g. the owner became a blocked
// address) waits before the next attempt.
const unlockRetryDelay = 24 * time.Hour

// EndBlocker returns collateral whose unlock time has come: it walks the unlock queue
// in time order, only up to the block time, and at most max_unlocks_per_block entries,
// so the work per block is bounded however long the queue. Entries left over are
// handled in the next blocks. A failing unlock never halts the chain: it is logged and
// retried a day later. An unlock that comes due while the collateral is held (an open flag
// or slash proposal) leaves the queue; Release queues it again when the last hold goes.
// First, the holds of governance proposals that ended without a hook are released (a
// bounded number of proposals per block).
func (k Keeper) EndBlocker(ctx context.Context) error {
	defer telemetry.ModuleMeasureSince(types.ModuleName, telemetry.Now(), telemetry.MetricKeyEndBlocker)

	if err := k.sweepProposalHolds(ctx); err != nil {
		return err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	now := sdkCtx.BlockTime().UTC()
	due, err := chainutil.DueKeys(ctx, k.UnlockQueue, now, params.MaxUnlocksPerBlock)
	if err != nil {
		return err
	}
	for _, key := range due {
		if err := k.UnlockQueue.Remove(ctx, key); err != nil {
			return err
		}
		held, err := k.IsHeld(ctx, key.K2())
		if err != nil {
			return err
		}
		if held {
			continue
		}
		cacheCtx, write := sdkCtx.CacheContext()
		if err := k.unlock(cacheCtx, key.K2(), key.K1()); err != nil {
			k.Logger(ctx).Error("collateral unlock failed; retrying later", "listing", key.K2(), "err", err)
			if err := k.requeue(ctx, key.K2(), now.Add(unlockRetryDelay)); err != nil {
				return err
			}
			continue
		}
		write()
	}
	return nil
}

// unlock returns a listing's collateral to its owner; a RETIRING listing becomes
// RETIRED, a SUSPENDED one stays SUSPENDED. Stale entries (listing gone, nothing left to
// return, or rescheduled to a later time) are ignored. An entry later than the unlock time
// is a held unlock queued again by Release.
func (k Keeper) unlock(ctx context.Context, id uint64, at int64) error {
	old, err := k.Listings.Get(ctx, id)
	if err != nil {
		if errors.Is(err, collections.ErrNotFound) {
			return nil
		}
		return err
	}
	if !isQueued(old) || at < chainutil.QueueSecond(old.UnlockAt) {
		return nil
	}
	ownerAddr, err := k.addressCodec.StringToBytes(old.Owner)
	if err != nil {
		return err
	}
	returned := old.Collateral
	if returned.IsPositive() {
		if err := k.bankKeeper.SendCoinsFromModuleToAccount(ctx, types.ModuleName, ownerAddr, sdk.NewCoins(returned)); err != nil {
			return err
		}
	}
	l := old
	l.Collateral = sdk.NewCoin(types.CollateralDenom, sdkmath.ZeroInt())
	l.UpdatedAt = sdk.UnwrapSDKContext(ctx).BlockTime().UTC()
	if l.Status == types.ListingStatusRetiring {
		l.Status = types.ListingStatusRetired
		l.StatusChangedAt = l.UpdatedAt
	}
	if err := k.setListing(ctx, &old, l); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventCollateralUnlocked{
		Id: id, Owner: l.Owner, Returned: returned, Status: l.Status,
	})
}

// requeue schedules a listing's unlock again at t.
func (k Keeper) requeue(ctx context.Context, id uint64, t time.Time) error {
	old, err := k.Listings.Get(ctx, id)
	if err != nil {
		return err
	}
	l := old
	l.UnlockAt = chainutil.WholeSecond(t)
	if err := k.setListing(ctx, &old, l); err != nil {
		return err
	}
	return k.UnlockQueue.Set(ctx, chainutil.QueueKeyAt(l.UnlockAt, id))
}
