package keeper

import (
	"context"
	"time"

	"github.com/cosmos/cosmos-sdk/telemetry"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/curation/types"
)

// BeginBlocker starts epoch 0 or rolls the epoch when the block time reached its end, so
// the block's txs see the epoch their block time falls in. O(1).
func (k Keeper) BeginBlocker(ctx context.Context) error {
	defer telemetry.ModuleMeasureSince(types.ModuleName, time.Now(), telemetry.MetricKeyBeginBlocker)
	return k.advanceEpoch(ctx)
}

// EndBlocker pays out matured unbondings and tallies ended flags (each at most
// max_queue_items_per_block) and spends at most max_epoch_work_per_block on finalising
// ended epochs.
func (k Keeper) EndBlocker(ctx context.Context) error {
	defer telemetry.ModuleMeasureSince(types.ModuleName, time.Now(), telemetry.MetricKeyEndBlocker)
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	now := sdkCtx.BlockTime()
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if err := k.completeUnbondings(sdkCtx, now, params.MaxQueueItemsPerBlock); err != nil {
		return err
	}
	if err := k.tallyFlags(sdkCtx, now, params); err != nil {
		return err
	}
	return k.finalizeEpochs(sdkCtx, params)
}

// queueRetryDelay is how long a queued item whose processing failed waits before it is tried
// again.
const queueRetryDelay = time.Hour

// processDue runs process on the items of a time-ordered queue that are due at now, at most limit
// of them, oldest first, each in its own cache context. An item that fails writes nothing and
// never halts the chain: it is logged with failed and moved to now + queueRetryDelay, behind
// the queue, so that an item that keeps failing does not take every block's budget (a flag's
// deposit, an unbonding's coins stay held meanwhile).
func (k Keeper) processDue(ctx sdk.Context, q chainutil.Queue, now time.Time, limit uint32, failed string,
	process func(sdk.Context, chainutil.QueueKey) error,
) error {
	due, err := chainutil.DueKeys(ctx, q, now, uint64(limit))
	if err != nil {
		return err
	}
	for _, key := range due {
		cacheCtx, write := ctx.CacheContext()
		if err := process(cacheCtx, key); err != nil {
			k.Logger(ctx).Error(failed+"; retried later", "id", key.K2(), "err", err)
			if err := q.Remove(ctx, key); err != nil {
				return err
			}
			if err := q.Set(ctx, chainutil.QueueKeyAt(now.Add(queueRetryDelay), key.K2())); err != nil {
				return err
			}
			continue
		}
		write()
	}
	return nil
}
