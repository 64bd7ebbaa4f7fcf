package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/grants/types"
)

func isNotFound(err error) bool { return errorsmod.IsOf(err, collections.ErrNotFound) }

// InitGenesis stores the params, fund states, rewards, grants, votes, reviews and the epoch
// payout in progress, and
// rebuilds what is derived from the grants: the indexes, the voting queue (VOTING grants
// at their voting end) and the review queue (milestones IN_REVIEW at their review end).
func (k Keeper) InitGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	for _, fs := range gs.Funds {
		if err := k.FundStates.Set(ctx, int32(fs.Fund), fs); err != nil {
			return err
		}
	}
	for _, r := range gs.Rewards {
		owner, _, err := chainutil.DecodeAddress(k.addressCodec, "reward owner", r.Owner, types.ErrInvalidAddress)
		if err != nil {
			return err
		}
		if err := k.Rewards.Set(ctx, collections.Join(owner, int32(r.Fund)), r.Amount); err != nil {
			return err
		}
	}
	first := chainutil.FirstBlockHeight(ctx)
	for _, g := range gs.Grants {
		// A genesis exported for a restart at height zero keeps the old chain's heights;
		// x/curation then checkpoints the bonds before the new chain's first block, so a
		// snapshot height above it reads from there (the bonds as exported), not from bonds
		// the new chain adds later.
		if g.Status == types.GrantStatusVoting && g.VotingOpenedHeight > first {
			g.VotingOpenedHeight = first
		}
		if g.Status == types.GrantStatusApproved {
			if m := &g.Milestones[g.NextMilestone]; m.Status == types.MilestoneStatusInReview && m.ReviewOpenedHeight > first {
				m.ReviewOpenedHeight = first
			}
		}
		if err := k.Grants.Set(ctx, g.Id, g); err != nil {
			return err
		}
		switch {
		case g.Status == types.GrantStatusVoting:
			if err := k.VotingQueue.Set(ctx, chainutil.QueueKeyAt(g.VotingEnd, g.Id)); err != nil {
				return err
			}
		case g.Status == types.GrantStatusApproved && g.Milestones[g.NextMilestone].Status == types.MilestoneStatusInReview:
			end := g.Milestones[g.NextMilestone].ReviewEnd
			if err := k.ReviewQueue.Set(ctx, chainutil.QueueKeyAt(end, g.Id)); err != nil {
				return err
			}
		}
	}
	for _, v := range gs.Votes {
		curator, _, err := chainutil.DecodeAddress(k.addressCodec, "vote curator", v.Curator, types.ErrInvalidAddress)
		if err != nil {
			return err
		}
		if err := k.Votes.Set(ctx, collections.Join(v.GrantId, curator), v); err != nil {
			return err
		}
	}
	for _, r := range gs.Reviews {
		curator, _, err := chainutil.DecodeAddress(k.addressCodec, "review curator", r.Curator, types.ErrInvalidAddress)
		if err != nil {
			return err
		}
		if err := k.Reviews.Set(ctx, collections.Join3(r.GrantId, r.Index, curator), r); err != nil {
			return err
		}
	}
	if gs.HasRewardedEpoch {
		if err := k.LastRewardedEpoch.Set(ctx, gs.LastRewardedEpoch); err != nil {
			return err
		}
	}
	if gs.Payout != nil {
		if err := k.Payout.Set(ctx, *gs.Payout); err != nil {
			return err
		}
	}
	for _, e := range gs.PayoutEntries {
		if err := k.PayoutEntries.Set(ctx, e.Id, e); err != nil {
			return err
		}
	}
	return k.GrantSeq.Set(ctx, max(gs.NextGrantId, 1))
}

// ExportGenesis exports the whole state in key order.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: params}
	if err := k.FundStates.Walk(ctx, nil, func(_ int32, fs types.FundState) (bool, error) {
		gs.Funds = append(gs.Funds, fs)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Rewards.Walk(ctx, nil, func(key collections.Pair[sdk.AccAddress, int32], amt math.Int) (bool, error) {
		owner, err := k.addressCodec.BytesToString(key.K1())
		if err != nil {
			return true, err
		}
		gs.Rewards = append(gs.Rewards, types.Reward{Owner: owner, Fund: types.GrantFund(key.K2()), Amount: amt})
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Grants.Walk(ctx, nil, func(_ uint64, g types.Grant) (bool, error) {
		gs.Grants = append(gs.Grants, g)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Votes.Walk(ctx, nil, func(_ collections.Pair[uint64, sdk.AccAddress], v types.GrantVote) (bool, error) {
		gs.Votes = append(gs.Votes, v)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Reviews.Walk(ctx, nil, func(_ collections.Triple[uint64, uint32, sdk.AccAddress], r types.MilestoneReview) (bool, error) {
		gs.Reviews = append(gs.Reviews, r)
		return false, nil
	}); err != nil {
		return nil, err
	}
	last, err := k.LastRewardedEpoch.Get(ctx)
	switch {
	case err == nil:
		gs.LastRewardedEpoch, gs.HasRewardedEpoch = last, true
	case !isNotFound(err):
		return nil, err
	}
	p, err := k.Payout.Get(ctx)
	switch {
	case err == nil:
		gs.Payout = &p
	case !isNotFound(err):
		return nil, err
	}
	if err := k.PayoutEntries.Walk(ctx, nil, func(_ uint64, e types.PayoutEntry) (bool, error) {
		gs.PayoutEntries = append(gs.PayoutEntries, e)
		return false, nil
	}); err != nil {
		return nil, err
	}
	next, err := k.GrantSeq.Peek(ctx)
	if err != nil {
		return nil, err
	}
	gs.NextGrantId = max(next, 1)
	return gs, nil
}
