package keeper

import (
	"context"

	"github.com/cosmos/cosmos-sdk/telemetry"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/grants/types"
)

// EndBlocker first advances the payouts of the curation epochs x/curation completed (its
// EndBlocker runs before this one), by at most max_queue_items_per_block results and entries
// (see payEpochs). Then it settles what the block time has reached, oldest first and at most
// max_queue_items_per_block entries in total per block: first grants whose voting period
// ended (tallied), then milestones whose review period ended (decided: paid, rejected or
// expired, see decideMilestone). Entries left over are handled in the next blocks; votes and
// reviews are refused from the end of their period on, so a late decision counts the same
// weight. Each entry is settled in a cache context; one that fails is logged, taken off its
// queue and its grant marked FAILED (voting) or left for governance (review), so a failure
// never halts the chain.
func (k Keeper) EndBlocker(ctx context.Context) error {
	defer telemetry.ModuleMeasureSince(types.ModuleName, telemetry.Now(), telemetry.MetricKeyEndBlocker)

	sdkCtx := sdk.UnwrapSDKContext(ctx)
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if err := k.payEpochs(sdkCtx, params.MaxQueueItemsPerBlock); err != nil {
		return err
	}
	now := sdkCtx.BlockTime()
	budget := uint64(params.MaxQueueItemsPerBlock)

	due, err := chainutil.DueKeys(ctx, k.VotingQueue, now, budget)
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

	due, err = chainutil.DueKeys(ctx, k.ReviewQueue, now, budget)
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
func (k Keeper) settle(ctx sdk.Context, key chainutil.QueueKey, queue chainutil.Queue,
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
