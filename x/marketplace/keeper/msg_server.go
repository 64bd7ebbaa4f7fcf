package keeper

import (
	"context"
	"slices"

	errorsmod "cosmossdk.io/errors"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/marketplace/types"
)

type msgServer struct {
	Keeper
}

var _ types.MsgServer = msgServer{}

// NewMsgServerImpl returns the marketplace Msg service implementation.
func NewMsgServerImpl(k Keeper) types.MsgServer {
	return msgServer{Keeper: k}
}

// RegisterListing implements types.MsgServer.
func (m msgServer) RegisterListing(ctx context.Context, msg *types.MsgRegisterListing) (*types.MsgRegisterListingResponse, error) {
	owner, _, err := chainutil.DecodeAddress(m.addressCodec, "owner", msg.Owner, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	id, err := m.Keeper.RegisterListing(ctx, owner, types.Listing{
		Kind: msg.Kind, Name: msg.Name, Description: msg.Description, Task: msg.Task, Tags: msg.Tags,
		Endpoint: msg.Endpoint, MetadataCid: msg.MetadataCid, Version: msg.Version,
		Collateral: msg.Collateral, Access: msg.Access, Components: msg.Components,
	})
	if err != nil {
		return nil, err
	}
	return &types.MsgRegisterListingResponse{Id: id}, nil
}

// UpdateListing implements types.MsgServer.
func (m msgServer) UpdateListing(ctx context.Context, msg *types.MsgUpdateListing) (*types.MsgUpdateListingResponse, error) {
	owner, _, err := chainutil.DecodeAddress(m.addressCodec, "owner", msg.Owner, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	if err := m.Keeper.UpdateListing(ctx, owner, msg.Id, ListingUpdate{
		Description: msg.Description, Task: msg.Task, Tags: msg.Tags, Endpoint: msg.Endpoint,
		MetadataCid: msg.MetadataCid, Version: msg.Version, Access: msg.Access,
	}); err != nil {
		return nil, err
	}
	return &types.MsgUpdateListingResponse{}, nil
}

// DepositCollateral implements types.MsgServer.
func (m msgServer) DepositCollateral(ctx context.Context, msg *types.MsgDepositCollateral) (*types.MsgDepositCollateralResponse, error) {
	owner, _, err := chainutil.DecodeAddress(m.addressCodec, "owner", msg.Owner, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	if err := m.Keeper.DepositCollateral(ctx, owner, msg.Id, msg.Amount); err != nil {
		return nil, err
	}
	return &types.MsgDepositCollateralResponse{}, nil
}

// WithdrawCollateral implements types.MsgServer.
func (m msgServer) WithdrawCollateral(ctx context.Context, msg *types.MsgWithdrawCollateral) (*types.MsgWithdrawCollateralResponse, error) {
	owner, _, err := chainutil.DecodeAddress(m.addressCodec, "owner", msg.Owner, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	if err := m.Keeper.WithdrawCollateral(ctx, owner, msg.Id, msg.Amount); err != nil {
		return nil, err
	}
	return &types.MsgWithdrawCollateralResponse{}, nil
}

// PauseListing implements types.MsgServer.
func (m msgServer) PauseListing(ctx context.Context, msg *types.MsgPauseListing) (*types.MsgPauseListingResponse, error) {
	owner, _, err := chainutil.DecodeAddress(m.addressCodec, "owner", msg.Owner, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	if err := m.Keeper.PauseListing(ctx, owner, msg.Id); err != nil {
		return nil, err
	}
	return &types.MsgPauseListingResponse{}, nil
}

// ResumeListing implements types.MsgServer.
func (m msgServer) ResumeListing(ctx context.Context, msg *types.MsgResumeListing) (*types.MsgResumeListingResponse, error) {
	owner, _, err := chainutil.DecodeAddress(m.addressCodec, "owner", msg.Owner, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	if err := m.Keeper.ResumeListing(ctx, owner, msg.Id); err != nil {
		return nil, err
	}
	return &types.MsgResumeListingResponse{}, nil
}

// RetireListing implements types.MsgServer.
func (m msgServer) RetireListing(ctx context.Context, msg *types.MsgRetireListing) (*types.MsgRetireListingResponse, error) {
	owner, _, err := chainutil.DecodeAddress(m.addressCodec, "owner", msg.Owner, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	if err := m.Keeper.RetireListing(ctx, owner, msg.Id); err != nil {
		return nil, err
	}
	return &types.MsgRetireListingResponse{}, nil
}

// TransferListing implements types.MsgServer.
func (m msgServer) TransferListing(ctx context.Context, msg *types.MsgTransferListing) (*types.MsgTransferListingResponse, error) {
	owner, _, err := chainutil.DecodeAddress(m.addressCodec, "owner", msg.Owner, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	newOwner, _, err := chainutil.DecodeAddress(m.addressCodec, "new_owner", msg.NewOwner, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	if err := m.Keeper.TransferListing(ctx, owner, newOwner, msg.Id); err != nil {
		return nil, err
	}
	return &types.MsgTransferListingResponse{}, nil
}

// SlashListing implements types.MsgServer (authority only). The fraction applies to the
// collateral recorded when the proposal was submitted (see GovHooks), else to the current
// collateral. The slash is burned, or sent to one of the keeper's governance slash
// destinations (WithGovSlashDestinations).
func (m msgServer) SlashListing(ctx context.Context, msg *types.MsgSlashListing) (*types.MsgSlashListingResponse, error) {
	if err := chainutil.CheckAuthority(m.authority, msg.Authority); err != nil {
		return nil, err
	}
	if msg.Destination != "" && !slices.Contains(m.govSlashDestinations, msg.Destination) {
		return nil, errorsmod.Wrapf(types.ErrInvalidDestination,
			"governance may burn a slash (empty destination) or send it to one of %v, not %q", m.govSlashDestinations, msg.Destination)
	}
	base, err := m.proposalSlashBase(ctx, msg.Id)
	if err != nil {
		return nil, err
	}
	slashed, err := m.SlashAndSuspend(ctx, msg.Id, msg.Fraction, base, msg.Destination, msg.Reason)
	if err != nil {
		return nil, err
	}
	return &types.MsgSlashListingResponse{Slashed: slashed}, nil
}

// UpdateParams implements types.MsgServer (authority only).
func (m msgServer) UpdateParams(ctx context.Context, msg *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	if err := chainutil.UpdateParams(ctx, m.authority, msg.Authority, msg.Params, types.Params.Validate, m.Params.Set,
		&types.EventParamsUpdated{Params: msg.Params}); err != nil {
		return nil, err
	}
	return &types.MsgUpdateParamsResponse{}, nil
}
