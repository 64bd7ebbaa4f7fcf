package keeper

import (
	"bytes"
	"context"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/bridge/types"
)

type msgServer struct {
	Keeper
}

var _ types.MsgServer = msgServer{}

// NewMsgServerImpl returns the bridge Msg service.
func NewMsgServerImpl(k Keeper) types.MsgServer {
	return msgServer{Keeper: k}
}

// Lock implements types.MsgServer.
func (m msgServer) Lock(ctx context.Context, msg *types.MsgLock) (*types.MsgLockResponse, error) {
	sender, _, err := chainutil.DecodeAddress(m.addressCodec, "sender", msg.Sender, types.ErrInvalidSender)
	if err != nil {
		return nil, err
	}
	nonce, err := m.Keeper.Lock(ctx, sender, msg.EthRecipient, msg.Amount)
	if err != nil {
		return nil, err
	}
	return &types.MsgLockResponse{Nonce: nonce}, nil
}

// AttestOutbound implements types.MsgServer.
func (m msgServer) AttestOutbound(ctx context.Context, msg *types.MsgAttestOutbound) (*types.MsgAttestOutboundResponse, error) {
	attester, _, err := chainutil.DecodeAddress(m.addressCodec, "attester", msg.Attester, types.ErrInvalidSender)
	if err != nil {
		return nil, err
	}
	status, err := m.Keeper.AttestOutbound(ctx, attester, msg.Nonce, msg.EthTxHash, msg.Success)
	if err != nil {
		return nil, err
	}
	return &types.MsgAttestOutboundResponse{Status: status}, nil
}

// AttestInbound implements types.MsgServer.
func (m msgServer) AttestInbound(ctx context.Context, msg *types.MsgAttestInbound) (*types.MsgAttestInboundResponse, error) {
	attester, _, err := chainutil.DecodeAddress(m.addressCodec, "attester", msg.Attester, types.ErrInvalidSender)
	if err != nil {
		return nil, err
	}
	recipient, _, err := chainutil.DecodeAddress(m.addressCodec, "recipient", msg.Recipient, types.ErrInvalidRecipient)
	if err != nil {
		return nil, err
	}
	id, status, err := m.Keeper.AttestInbound(ctx, InboundAttestation{
		Attester:  attester,
		EthTxHash: msg.EthTxHash,
		LogIndex:  msg.LogIndex,
		EthBlock:  msg.EthBlock,
		EthSender: msg.EthSender,
		Recipient: recipient,
		Amount:    msg.Amount,
	})
	if err != nil {
		return nil, err
	}
	return &types.MsgAttestInboundResponse{ClaimId: id, Status: status}, nil
}

// SetPaused implements types.MsgServer: any attester or the authority may pause; only the
// authority may unpause.
func (m msgServer) SetPaused(ctx context.Context, msg *types.MsgSetPaused) (*types.MsgSetPausedResponse, error) {
	signer, _, err := chainutil.DecodeAddress(m.addressCodec, "signer", msg.Signer, types.ErrInvalidSender)
	if err != nil {
		return nil, err
	}
	authority, err := m.addressCodec.StringToBytes(m.authority)
	if err != nil {
		return nil, err
	}
	isAuthority := bytes.Equal(signer, authority)
	if msg.Paused {
		params, err := m.currentParams(ctx)
		if err != nil {
			return nil, err
		}
		if !isAuthority && !m.isAttester(params, signer) {
			return nil, errorsmod.Wrapf(types.ErrPauseNotAllowed, "%s", msg.Signer)
		}
	} else if !isAuthority {
		return nil, errorsmod.Wrapf(types.ErrUnpauseNotAllowed, "%s is not the authority %s", msg.Signer, m.authority)
	}
	if err := m.Paused.Set(ctx, msg.Paused); err != nil {
		return nil, err
	}
	return &types.MsgSetPausedResponse{}, sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventPaused{
		Signer: msg.Signer, Paused: msg.Paused,
	})
}

// UpdateParams implements types.MsgServer.
func (m msgServer) UpdateParams(ctx context.Context, msg *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	if err := chainutil.UpdateParams(ctx, m.authority, msg.Authority, msg.Params, types.Params.Validate, m.Params.Set,
		&types.EventParamsUpdated{Params: msg.Params}); err != nil {
		return nil, err
	}
	return &types.MsgUpdateParamsResponse{}, nil
}
