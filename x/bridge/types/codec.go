package types

import (
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/legacy"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
)

// RegisterLegacyAminoCodec registers the amino names used for amino-JSON signing.
func RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	legacy.RegisterAminoMsg(cdc, &MsgLock{}, "bai/bridge/MsgLock")
	legacy.RegisterAminoMsg(cdc, &MsgAttestOutbound{}, "bai/bridge/MsgAttestOutbound")
	legacy.RegisterAminoMsg(cdc, &MsgAttestInbound{}, "bai/bridge/MsgAttestInbound")
	legacy.RegisterAminoMsg(cdc, &MsgSetPaused{}, "bai/bridge/MsgSetPaused")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateParams{}, "bai/bridge/MsgUpdateParams")
	cdc.RegisterConcrete(&Params{}, "bai/bridge/Params", nil)
}

// RegisterInterfaces registers the Msgs with the interface registry.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgLock{},
		&MsgAttestOutbound{},
		&MsgAttestInbound{},
		&MsgSetPaused{},
		&MsgUpdateParams{},
	)
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}
