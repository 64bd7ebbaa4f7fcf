package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/grants/types"
)

type msgServer struct {
	Keeper
}

var _ types.MsgServer = msgServer{}

// NewMsgServerImpl returns the grants Msg service implementation.
func NewMsgServerImpl(k Keeper) types.MsgServer {
	return msgServer{Keeper: k}
}

// ClaimRewards implements types.MsgServer.
func (m msgServer) ClaimRewards(ctx context.Context, msg *types.MsgClaimRewards) (*types.MsgClaimRewardsResponse, error) {
	owner, _, err := chainutil.DecodeAddress(m.addressCodec, "owner", msg.Owner, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	paid, err := m.Keeper.ClaimRewards(ctx, owner)
	if err != nil {
		return nil, err
	}
	return &types.MsgClaimRewardsResponse{Amount: paid}, nil
}

// SubmitGrant implements types.MsgServer.
func (m msgServer) SubmitGrant(ctx context.Context, msg *types.MsgSubmitGrant) (*types.MsgSubmitGrantResponse, error) {
	applicant, _, err := chainutil.DecodeAddress(m.addressCodec, "applicant", msg.Applicant, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	id, err := m.Keeper.SubmitGrant(ctx, applicant, GrantProposal{
		Fund: msg.Fund, ListingID: msg.ListingId, Title: msg.Title, DetailsCID: msg.DetailsCid, Milestones: msg.Milestones,
	})
	if err != nil {
		return nil, err
	}
	return &types.MsgSubmitGrantResponse{GrantId: id}, nil
}

// VoteGrant implements types.MsgServer.
func (m msgServer) VoteGrant(ctx context.Context, msg *types.MsgVoteGrant) (*types.MsgVoteGrantResponse, error) {
	curator, _, err := chainutil.DecodeAddress(m.addressCodec, "curator", msg.Curator, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	if err := m.Keeper.VoteGrant(ctx, curator, msg.GrantId, msg.Option); err != nil {
		return nil, err
	}
	return &types.MsgVoteGrantResponse{}, nil
}

// SubmitMilestone implements types.MsgServer.
func (m msgServer) SubmitMilestone(ctx context.Context, msg *types.MsgSubmitMilestone) (*types.MsgSubmitMilestoneResponse, error) {
	applicant, _, err := chainutil.DecodeAddress(m.addressCodec, "applicant", msg.Applicant, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	if err := m.Keeper.SubmitMilestone(ctx, applicant, msg.GrantId, msg.Index, msg.EvidenceCid); err != nil {
		return nil, err
	}
	return &types.MsgSubmitMilestoneResponse{}, nil
}

// ReviewMilestone implements types.MsgServer.
func (m msgServer) ReviewMilestone(ctx context.Context, msg *types.MsgReviewMilestone) (*types.MsgReviewMilestoneResponse, error) {
	curator, _, err := chainutil.DecodeAddress(m.addressCodec, "curator", msg.Curator, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	status, err := m.Keeper.ReviewMilestone(ctx, curator, msg.GrantId, msg.Index, msg.Approve)
	if err != nil {
		return nil, err
	}
	return &types.MsgReviewMilestoneResponse{Status: status}, nil
}

// DecideGrant implements types.MsgServer.
func (m msgServer) DecideGrant(ctx context.Context, msg *types.MsgDecideGrant) (*types.MsgDecideGrantResponse, error) {
	if err := chainutil.CheckAuthority(m.authority, msg.Authority); err != nil {
		return nil, err
	}
	status, err := m.Keeper.DecideGrant(ctx, msg.GrantId, msg.Approve)
	if err != nil {
		return nil, err
	}
	return &types.MsgDecideGrantResponse{Status: status}, nil
}

// UpdateParams implements types.MsgServer. The denom cannot change: claimable rewards,
// reserves and deposits are recorded in it.
func (m msgServer) UpdateParams(ctx context.Context, msg *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	// The denom cannot change: claimable rewards, reserves and deposits are recorded in it.
	check := func(p types.Params) error {
		if err := p.Validate(); err != nil {
			return err
		}
		cur, err := m.Params.Get(ctx)
		if err != nil {
			return err
		}
		if p.Denom != cur.Denom {
			return errorsmod.Wrapf(types.ErrInvalidParams, "denom cannot change (from %s to %s): rewards, reserves and deposits are recorded in it", cur.Denom, p.Denom)
		}
		return nil
	}
	if err := chainutil.UpdateParams(ctx, m.authority, msg.Authority, msg.Params, check, m.Params.Set,
		&types.EventParamsUpdated{Params: msg.Params}); err != nil {
		return nil, err
	}
	return &types.MsgUpdateParamsResponse{}, nil
}
