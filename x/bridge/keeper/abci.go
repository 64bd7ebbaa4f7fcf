package keeper

import (
	"context"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/telemetry"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/bridge/types"
)

// maxDayPrunesPerBlock bounds how many stale day counters one block deletes.
const maxDayPrunesPerBlock = 4

// pairKey builds a retry queue key.
func pairKey(pos uint64, claimID string) collections.Pair[uint64, string] {
	return collections.Join(pos, claimID)
}

// EndBlocker retries FAILED claims and prunes day counters older than today. Work is bounded:
// at most params.max_retries_per_block claims and maxDayPrunesPerBlock counters per block.
// Claims are retried round-robin: only positions issued before this block started are walked,
// and a claim that still cannot pay is moved to the back of the queue.
func (k Keeper) EndBlocker(ctx context.Context) error {
	defer telemetry.ModuleMeasureSince(types.ModuleName, time.Now(), telemetry.MetricKeyEndBlocker)

	if err := k.pruneDays(ctx); err != nil {
		return err
	}
	params, err := k.currentParams(ctx)
	if err != nil {
		return err
	}
	// Nothing is payable while the bridge is disabled or paused: skip the walk entirely.
	if !params.Enabled {
		return nil
	}
	if paused, err := k.IsPaused(ctx); err != nil || paused {
		return err
	}
	end, err := k.RetrySeq.Peek(ctx)
	if err != nil {
		return err
	}
	var batch []collections.Pair[uint64, string]
	rng := new(collections.Range[collections.Pair[uint64, string]]).EndExclusive(pairKey(end, ""))
	iter, err := k.RetryQueue.Iterate(ctx, rng)
	if err != nil {
		return err
	}
	for ; iter.Valid() && uint32(len(batch)) < params.MaxRetriesPerBlock; iter.Next() {
		key, err := iter.Key()
		if err != nil {
			iter.Close()
			return err
		}
		batch = append(batch, key)
	}
	iter.Close()

	sdkCtx := sdk.UnwrapSDKContext(ctx)
	for _, key := range batch {
		if err := k.retryClaim(sdkCtx, key.K2(), params); err != nil {
			// A retry must never halt the chain: log and move on; the claim stays queued.
			k.Logger(ctx).Error("bridge claim retry failed", "claim_id", key.K2(), "err", err)
		}
	}
	return nil
}

// retryClaim retries one queued claim in a cache context, committed only on success.
func (k Keeper) retryClaim(ctx sdk.Context, claimID string, params currentParams) error {
	cacheCtx, write := ctx.CacheContext()
	claim, err := k.Claims.Get(cacheCtx, claimID)
	if err != nil {
		return err
	}
	if claim.Status != types.CLAIM_STATUS_FAILED {
		// Stale entry (should not happen): drop it.
		if err := k.dequeueRetry(cacheCtx, claimID); err != nil {
			return err
		}
		write()
		return nil
	}
	if _, err := k.executeOrQueue(cacheCtx, &claim, params); err != nil {
		return err
	}
	if err := k.Claims.Set(cacheCtx, claimID, claim); err != nil {
		return err
	}
	write()
	return nil
}

// pruneDays removes day counters of days before today; only today's count is read.
func (k Keeper) pruneDays(ctx context.Context) error {
	today := Day(ctx)
	for _, m := range []collections.Map[int64, math.Int]{k.DailyOutbound, k.DailyInbound} {
		var stale []int64
		rng := new(collections.Range[int64]).EndExclusive(today)
		iter, err := m.Iterate(ctx, rng)
		if err != nil {
			return err
		}
		for ; iter.Valid() && len(stale) < maxDayPrunesPerBlock; iter.Next() {
			d, err := iter.Key()
			if err != nil {
				iter.Close()
				return err
			}
			stale = append(stale, d)
		}
		iter.Close()
		for _, d := range stale {
			if err := m.Remove(ctx, d); err != nil {
				return err
			}
		}
	}
	return nil
}
