package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/access/types"
)

type msgServer struct {
	Keeper
}

var _ types.MsgServer = msgServer{}

// NewMsgServerImpl returns the x/access Msg service.
func NewMsgServerImpl(k Keeper) types.MsgServer {
	return msgServer{Keeper: k}
}

// toAccAddresses converts decoded address bytes.
func toAccAddresses(bzs [][]byte) []sdk.AccAddress {
	out := make([]sdk.AccAddress, len(bzs))
	for i, bz := range bzs {
		out[i] = bz
	}
	return out
}

// SetOperators implements types.MsgServer.
func (m msgServer) SetOperators(ctx context.Context, msg *types.MsgSetOperators) (*types.MsgSetOperatorsResponse, error) {
	if _, err := m.checkOwner(ctx, msg.ListingId, msg.Owner); err != nil {
		return nil, err
	}
	params, err := m.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	if uint64(len(msg.Operators)) > uint64(params.MaxOperators) {
		return nil, errorsmod.Wrapf(types.ErrTooManyOperators, "%d operators, max_operators is %d", len(msg.Operators), params.MaxOperators)
	}
	ops, err := types.DecodeAddresses(m.addressCodec, "operators", msg.Operators)
	if err != nil {
		return nil, err
	}
	if err := m.Keeper.SetOperators(ctx, msg.ListingId, toAccAddresses(ops)); err != nil {
		return nil, err
	}
	stored, err := m.GetOperators(ctx, msg.ListingId)
	if err != nil {
		return nil, err
	}
	if err := sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventOperatorsSet{
		ListingId: msg.ListingId, Owner: msg.Owner, Operators: stored,
	}); err != nil {
		return nil, err
	}
	return &types.MsgSetOperatorsResponse{}, nil
}

// SetAllowlist implements types.MsgServer.
func (m msgServer) SetAllowlist(ctx context.Context, msg *types.MsgSetAllowlist) (*types.MsgSetAllowlistResponse, error) {
	if _, err := m.checkOwner(ctx, msg.ListingId, msg.Owner); err != nil {
		return nil, err
	}
	params, err := m.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	n := uint64(len(msg.Add)) + uint64(len(msg.Remove))
	if n == 0 || n > uint64(params.MaxAllowlistUpdate) {
		return nil, errorsmod.Wrapf(types.ErrAllowlistUpdateTooLarge, "%d changes, max_allowlist_update is %d", n, params.MaxAllowlistUpdate)
	}
	// One list decoded as a whole rejects duplicates inside add, inside remove and across both.
	all, err := types.DecodeAddresses(m.addressCodec, "add+remove", append(append([]string{}, msg.Add...), msg.Remove...))
	if err != nil {
		return nil, err
	}
	accs := toAccAddresses(all)
	if err := m.UpdateAllowlist(ctx, msg.ListingId, accs[:len(msg.Add)], accs[len(msg.Add):]); err != nil {
		return nil, err
	}
	if err := sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventAllowlistUpdated{
		ListingId: msg.ListingId, Owner: msg.Owner, Added: msg.Add, Removed: msg.Remove,
	}); err != nil {
		return nil, err
	}
	return &types.MsgSetAllowlistResponse{}, nil
}

// RecordUsage implements types.MsgServer.
func (m msgServer) RecordUsage(ctx context.Context, msg *types.MsgRecordUsage) (*types.MsgRecordUsageResponse, error) {
	op, _, err := chainutil.DecodeAddress(m.addressCodec, "operator", msg.Operator, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	ids, err := m.Keeper.RecordUsage(ctx, op, msg.ListingId, msg.Records)
	if err != nil {
		return nil, err
	}
	return &types.MsgRecordUsageResponse{ReceiptIds: ids}, nil
}

// UpdateParams implements types.MsgServer.
func (m msgServer) UpdateParams(ctx context.Context, msg *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	if err := chainutil.UpdateParams(ctx, m.authority, msg.Authority, msg.Params, types.Params.Validate, m.Params.Set,
		&types.EventParamsUpdated{Params: msg.Params}); err != nil {
		return nil, err
	}
	return &types.MsgUpdateParamsResponse{}, nil
}
