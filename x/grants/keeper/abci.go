package keeper

import (
	"context"
	"math"

	"cosmossdk.io/collections"

	"github.com/cosmos/cosmos-sdk/telemetry"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/grants/types"
)

// EndBlocker settles what the block time has reached, oldest first and at most
// max_queue_items_per_block entries in total per block: first grants whose voting period
// ended (tallied), then milestones whose review period ended (decided: paid, rejected or
// expired, see decideMilestone). Entries left over are handled in the next blocks; votes and
// reviews are refused from the end of their period on, so a late decision counts the same
// weight. Each entry is settled in a cache context; one that fails is logged, taken off its
// queue and its grant marked FAILED (voting) or left for governance (review), so a failure
// never halts the chain.
func (k Keeper) EndBlocker(ctx context.Context) error {
	defer telemetry.ModuleMeasureSince(types.ModuleName, telemetry.Now(), telemetry.MetricKeyEndBlocker)

	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	now := sdkCtx.BlockTime().Unix()
	budget := uint64(params.MaxQueueItemsPerBlock)

	due, err := dueKeys(ctx, k.VotingQueue, now, budget)
	if err != nil {
		return err
	}
	for _, key := range due {
		if err := k.settle(sdkCtx, key, k.VotingQueue, func(c context.Context, g types.Grant) error {
			if g.Status != types.GrantStatusVoting {
				return nil
			}
			_, err := k.TallyGrant(c, g)
			return err
		}); err != nil {
			return err
		}
	}
	budget -= uint64(len(due))

	due, err = dueKeys(ctx, k.ReviewQueue, now, budget)
	if err != nil {
		return err
	}
	for _, key := range due {
		if err := k.settle(sdkCtx, key, k.ReviewQueue, func(c context.Context, g types.Grant) error {
			if g.Status != types.GrantStatusApproved || int(g.NextMilestone) >= len(g.Milestones) ||
				g.Milestones[g.NextMilestone].Status != types.MilestoneStatusInReview {
				return nil
			}
			_, err := k.decideMilestone(c, g)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// settle runs fn for the grant of a queue entry in a cache context. The entry is always
// removed from its queue. When fn fails its writes are dropped; a VOTING grant is then
// marked FAILED (its deposit stays in the grants account, visible in the invariant as a
// surplus), so it cannot be tallied again.
func (k Keeper) settle(ctx sdk.Context, key collections.Pair[int64, uint64], queue collections.KeySet[collections.Pair[int64, uint64]],
	fn func(context.Context, types.Grant) error,
) error {
	if err := queue.Remove(ctx, key); err != nil {
		return err
	}
	g, err := k.Grants.Get(ctx, key.K2())
	if err != nil {
		k.Logger(ctx).Error("queued grant not found", "grant", key.K2(), "err", err)
		return nil
	}
	cacheCtx, write := ctx.CacheContext()
	if err := fn(cacheCtx, g); err != nil {
		k.Logger(ctx).Error("settling grant failed", "grant", g.Id, "status", g.Status, "err", err)
		if g.Status == types.GrantStatusVoting {
			g.Status = types.GrantStatusFailed
			g.Outcome = "settlement failed: " + err.Error()
			return k.Grants.Set(ctx, g.Id, g)
		}
		return nil
	}
	write()
	return nil
}

// dueKeys returns up to limit queue keys with time <= now, oldest first.
func dueKeys(ctx context.Context, queue collections.KeySet[collections.Pair[int64, uint64]], now int64, limit uint64) ([]collections.Pair[int64, uint64], error) {
	if limit == 0 {
		return nil, nil
	}
	rng := new(collections.Range[collections.Pair[int64, uint64]]).
		EndInclusive(collections.Join(now, uint64(math.MaxUint64)))
	it, err := queue.Iterate(ctx, rng)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var keys []collections.Pair[int64, uint64]
	for ; it.Valid() && uint64(len(keys)) < limit; it.Next() {
		key, err := it.Key()
		if err != nil {
			return nil, err
		}
		keys = append(keys, key)
	}
	return keys, nil
}
