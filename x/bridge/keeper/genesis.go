package keeper

import (
	"context"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	"github.com/balanceai/balanceai/x/bridge/types"
)

// InitGenesis loads a validated genesis state. The retry queue is rebuilt in the exported
// order with fresh positions 0..n-1, and the executed-event set from the EXECUTED claims.
func (k Keeper) InitGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	if err := k.Paused.Set(ctx, gs.Paused); err != nil {
		return err
	}
	if err := k.OutboundSeq.Set(ctx, gs.LastNonce); err != nil {
		return err
	}
	for _, t := range gs.OutboundTransfers {
		if err := k.Outbound.Set(ctx, t.Nonce, t); err != nil {
			return err
		}
	}
	for _, c := range gs.InboundClaims {
		if err := k.Claims.Set(ctx, c.ClaimId, c); err != nil {
			return err
		}
		if c.Status == types.CLAIM_STATUS_EXECUTED {
			if err := k.ExecutedEvents.Set(ctx, collections.Join(c.EthTxHash, c.LogIndex), c.ClaimId); err != nil {
				return err
			}
		}
	}
	if err := k.setTotals(ctx, gs.Totals); err != nil {
		return err
	}
	for _, d := range gs.DailyOutbound {
		if err := k.DailyOutbound.Set(ctx, d.Day, d.Amount); err != nil {
			return err
		}
	}
	for _, d := range gs.DailyInbound {
		if err := k.DailyInbound.Set(ctx, d.Day, d.Amount); err != nil {
			return err
		}
	}
	for i, id := range gs.FailedClaimQueue {
		pos := uint64(i)
		if err := k.RetryQueue.Set(ctx, pairKey(pos, id)); err != nil {
			return err
		}
		if err := k.RetryPosition.Set(ctx, id, pos); err != nil {
			return err
		}
	}
	return k.RetrySeq.Set(ctx, uint64(len(gs.FailedClaimQueue)))
}

// ExportGenesis exports the whole state.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	paused, err := k.IsPaused(ctx)
	if err != nil {
		return nil, err
	}
	lastNonce, err := k.OutboundSeq.Peek(ctx)
	if err != nil {
		return nil, err
	}
	totals, err := k.GetTotals(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{
		Params:        params,
		Paused:        paused,
		LastNonce:     lastNonce,
		Totals:        totals,
		DailyOutbound: []types.DailyVolume{},
		DailyInbound:  []types.DailyVolume{},
	}
	if err := k.Outbound.Walk(ctx, nil, func(_ uint64, t types.OutboundTransfer) (bool, error) {
		gs.OutboundTransfers = append(gs.OutboundTransfers, t)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Claims.Walk(ctx, nil, func(_ string, c types.InboundClaim) (bool, error) {
		gs.InboundClaims = append(gs.InboundClaims, c)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.DailyOutbound.Walk(ctx, nil, func(d int64, v math.Int) (bool, error) {
		gs.DailyOutbound = append(gs.DailyOutbound, types.DailyVolume{Day: d, Amount: v})
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.DailyInbound.Walk(ctx, nil, func(d int64, v math.Int) (bool, error) {
		gs.DailyInbound = append(gs.DailyInbound, types.DailyVolume{Day: d, Amount: v})
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.RetryQueue.Walk(ctx, nil, func(key collections.Pair[uint64, string]) (bool, error) {
		gs.FailedClaimQueue = append(gs.FailedClaimQueue, key.K2())
		return false, nil
	}); err != nil {
		return nil, err
	}
	return gs, nil
}
