package keeper

import (
	"context"
	"time"

	"cosmossdk.io/collections"

	"github.com/cosmos/cosmos-sdk/telemetry"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/access/types"
)

// EndBlocker prunes receipts whose age reached receipt_retention, day counters of past UTC
// days and the entries of allowlists a listing transfer left behind. Work is bounded: at most
// max_prunes_per_block receipts (whole batches; a batch larger than that goes alone, and a
// batch has at most max_receipts_per_msg receipts) and, separately, at most
// max_prunes_per_block day counters and max_prunes_per_block stale allowlist entries per
// block; the rest waits for the next blocks.
// Every walk starts at the front of its collection and stops at the first key that is not
// due, so a block with nothing to prune reads one key per collection.
func (k Keeper) EndBlocker(ctx context.Context) error {
	defer telemetry.ModuleMeasureSince(types.ModuleName, time.Now(), telemetry.MetricKeyEndBlocker)

	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if _, err := k.PruneReceipts(ctx, params); err != nil {
		return err
	}
	if _, err := k.PruneDays(ctx, params); err != nil {
		return err
	}
	_, err = k.PruneStaleAllowlists(ctx, params)
	return err
}

// PruneReceipts deletes whole receipt batches recorded at or before block time -
// receipt_retention (in whole seconds), lowest id first, up to max_prunes_per_block store
// entries (a batch is its own entry, its listing index entry and one index entry per distinct
// user: what deleting it costs, whatever its number of records; the first due batch always
// goes, so a batch larger than the bound goes alone), and returns how many receipts it
// deleted. The walk goes up from the lowest id and stops at the first batch that is not due or
// would pass the bound. Ids are issued in block order, so this is oldest first; a receipt is
// never deleted before it is due, and a batch recorded earlier than a lower id (possible only
// after a restart from an export with an earlier genesis time) waits for that id.
func (k Keeper) PruneReceipts(ctx context.Context, params types.Params) (int, error) {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	cutoff := sdkCtx.BlockTime().Unix() - int64(params.ReceiptRetention/time.Second)
	limit := int(params.MaxPrunesPerBlock)
	type dueBatch struct {
		batch types.ReceiptBatch
		users []batchUser
	}
	var due []dueBatch
	pruned, entries := 0, 0
	err := k.ReceiptBatches.Walk(ctx, nil, func(_ uint64, b types.ReceiptBatch) (bool, error) {
		if b.Time.Unix() > cutoff {
			return true, nil
		}
		users, err := k.batchUsers(b)
		if err != nil {
			return true, err
		}
		cost := batchEntries(users)
		if len(due) > 0 && entries+cost > limit {
			return true, nil
		}
		due = append(due, dueBatch{b, users})
		pruned += len(b.Records)
		entries += cost
		return false, nil
	})
	if err != nil {
		return 0, err
	}
	for _, d := range due {
		if err := k.removeBatch(ctx, d.batch, d.users); err != nil {
			return 0, err
		}
	}
	if len(due) > 0 {
		last := lastReceiptID(due[len(due)-1].batch)
		if err := sdkCtx.EventManager().EmitTypedEvent(&types.EventReceiptsPruned{Count: uint64(pruned), LastReceiptId: last}); err != nil {
			return 0, err
		}
	}
	return pruned, nil
}

// PruneDays deletes up to max_prunes_per_block day counters of days before today (only
// today's counter is ever read) and returns how many it deleted.
func (k Keeper) PruneDays(ctx context.Context, params types.Params) (int, error) {
	rng := collections.NewPrefixUntilTripleRange[int64, uint64, sdk.AccAddress](Today(ctx) - 1)
	var stale []collections.Triple[int64, uint64, sdk.AccAddress]
	err := k.DailyUsage.Walk(ctx, rng, func(key collections.Triple[int64, uint64, sdk.AccAddress], _ types.Usage) (bool, error) {
		stale = append(stale, key)
		return uint64(len(stale)) >= uint64(params.MaxPrunesPerBlock), nil
	})
	if err != nil {
		return 0, err
	}
	for _, key := range stale {
		if err := k.DailyUsage.Remove(ctx, key); err != nil {
			return 0, err
		}
	}
	return len(stale), nil
}

// PruneStaleAllowlists deletes up to max_prunes_per_block entries of the allowlist
// generations queued in StaleAllowlists (generations a listing transfer left behind, which
// no check reads any more), front of the queue first, and returns how many it deleted. A
// queued generation leaves the queue once a walk finds it empty.
func (k Keeper) PruneStaleAllowlists(ctx context.Context, params types.Params) (int, error) {
	budget := int(params.MaxPrunesPerBlock)
	deleted := 0
	// Each pass deletes entries or drops one queue entry; the pass count is bounded too.
	for pass := 0; deleted < budget && pass < budget; pass++ {
		// The queue's first entry, if any.
		qiter, err := k.StaleAllowlists.Iterate(ctx, nil)
		if err != nil {
			return deleted, err
		}
		if !qiter.Valid() {
			qiter.Close()
			return deleted, nil
		}
		stale, err := qiter.Key()
		qiter.Close()
		if err != nil {
			return deleted, err
		}

		rng := collections.NewSuperPrefixedTripleRange[uint64, uint64, sdk.AccAddress](stale.K1(), stale.K2())
		var keys []collections.Triple[uint64, uint64, sdk.AccAddress]
		err = k.Allowlist.Walk(ctx, rng, func(key collections.Triple[uint64, uint64, sdk.AccAddress]) (bool, error) {
			keys = append(keys, key)
			return len(keys) >= budget-deleted, nil
		})
		if err != nil {
			return deleted, err
		}
		for _, key := range keys {
			if err := k.Allowlist.Remove(ctx, key); err != nil {
				return deleted, err
			}
		}
		deleted += len(keys)
		if deleted >= budget {
			// Budget spent: the generation may have more entries; the next block goes on
			// (and drops the queue entry when it finds the generation empty).
			return deleted, nil
		}
		if err := k.StaleAllowlists.Remove(ctx, stale); err != nil {
			return deleted, err
		}
	}
	return deleted, nil
}
