package keeper

import (
	"context"
	"time"

	"github.com/cosmos/cosmos-sdk/telemetry"
	sdk "github.com/cosmos/cosmos-sdk/types"

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
