package keeper

import (
	"context"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/curation/types"
)

type msgServer struct{ Keeper }

var _ types.MsgServer = msgServer{}

// NewMsgServerImpl returns the Msg service implementation.
func NewMsgServerImpl(k Keeper) types.MsgServer { return msgServer{Keeper: k} }

// BondCurator implements types.MsgServer.
func (m msgServer) BondCurator(ctx context.Context, msg *types.MsgBondCurator) (*types.MsgBondCuratorResponse, error) {
	addr, _, err := chainutil.DecodeAddress(m.addressCodec, "curator", msg.Curator, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	bond, err := m.Bond(ctx, addr, msg.Amount)
	if err != nil {
		return nil, err
	}
	return &types.MsgBondCuratorResponse{Bond: bond}, nil
}

// UnbondCurator implements types.MsgServer.
func (m msgServer) UnbondCurator(ctx context.Context, msg *types.MsgUnbondCurator) (*types.MsgUnbondCuratorResponse, error) {
	addr, _, err := chainutil.DecodeAddress(m.addressCodec, "curator", msg.Curator, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	u, err := m.Unbond(ctx, addr, msg.Amount)
	if err != nil {
		return nil, err
	}
	return &types.MsgUnbondCuratorResponse{UnbondingId: u.Id, CompletionTime: u.CompletionTime}, nil
}

// CommitScores implements types.MsgServer.
func (m msgServer) CommitScores(ctx context.Context, msg *types.MsgCommitScores) (*types.MsgCommitScoresResponse, error) {
	addr, _, err := chainutil.DecodeAddress(m.addressCodec, "curator", msg.Curator, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	if err := m.Keeper.CommitScores(ctx, addr, msg.Epoch, msg.Commitment); err != nil {
		return nil, err
	}
	return &types.MsgCommitScoresResponse{}, nil
}

// RevealScores implements types.MsgServer.
func (m msgServer) RevealScores(ctx context.Context, msg *types.MsgRevealScores) (*types.MsgRevealScoresResponse, error) {
	addr, _, err := chainutil.DecodeAddress(m.addressCodec, "curator", msg.Curator, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	recorded, skipped, err := m.Keeper.RevealScores(ctx, addr, msg.Epoch, msg.Salt, msg.Scores)
	if err != nil {
		return nil, err
	}
	return &types.MsgRevealScoresResponse{Recorded: recorded, Skipped: skipped}, nil
}

// FlagListing implements types.MsgServer.
func (m msgServer) FlagListing(ctx context.Context, msg *types.MsgFlagListing) (*types.MsgFlagListingResponse, error) {
	addr, _, err := chainutil.DecodeAddress(m.addressCodec, "flagger", msg.Flagger, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	id, err := m.Keeper.FlagListing(ctx, addr, msg.ListingId, msg.Reason, msg.EvidenceCid, msg.Deposit)
	if err != nil {
		return nil, err
	}
	return &types.MsgFlagListingResponse{FlagId: id}, nil
}

// VoteFlag implements types.MsgServer.
func (m msgServer) VoteFlag(ctx context.Context, msg *types.MsgVoteFlag) (*types.MsgVoteFlagResponse, error) {
	addr, _, err := chainutil.DecodeAddress(m.addressCodec, "curator", msg.Curator, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	if err := m.Keeper.VoteFlag(ctx, addr, msg.FlagId, msg.Uphold); err != nil {
		return nil, err
	}
	return &types.MsgVoteFlagResponse{}, nil
}

// UpdateParams implements types.MsgServer. New epoch durations apply from the next epoch.
func (m msgServer) UpdateParams(ctx context.Context, msg *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	if err := chainutil.UpdateParams(ctx, m.authority, msg.Authority, msg.Params, types.Params.Validate, m.Params.Set,
		&types.EventParamsUpdated{Params: msg.Params}); err != nil {
		return nil, err
	}
	return &types.MsgUpdateParamsResponse{}, nil
}
