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
	legacy.RegisterAminoMsg(cdc, &MsgSetOperators{}, "bai/access/MsgSetOperators")
	legacy.RegisterAminoMsg(cdc, &MsgSetAllowlist{}, "bai/access/MsgSetAllowlist")
	legacy.RegisterAminoMsg(cdc, &MsgRecordUsage{}, "bai/access/MsgRecordUsage")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateParams{}, "bai/access/MsgUpdateParams")
	cdc.RegisterConcrete(&Params{}, "bai/access/Params", nil)
}

// RegisterInterfaces registers the Msgs with the interface registry.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgSetOperators{},
		&MsgSetAllowlist{},
		&MsgRecordUsage{},
		&MsgUpdateParams{},
	)
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}
