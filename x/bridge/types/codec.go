package types

import (
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/legacy"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
	gogoproto "github.com/cosmos/gogoproto/proto"
)

// typesProtoFile is the proto file that tx.proto, query.proto and genesis.proto import.
const typesProtoFile = "balanceai/bridge/v1/types.proto"

// init registers types.proto with the gogoproto registry before the generated files that
// import it. Go runs the init functions of a package in file-name order, so types.pb.go would
// register after genesis/query/tx.pb.go; gogoproto builds each file descriptor once, when it
// is registered, and silently leaves unresolved imports as empty placeholders. The signing
// context (proto.HybridResolver) would then see MsgUpdateParams.params as a message without
// fields: amino-JSON sign bytes encoded it as {} and a signature did not cover the params.
// This file sorts before every *.pb.go of the package; the later registration by types.pb.go
// is a no-op. TestProtoDescriptorsResolved guards it.
func init() {
	bz, _ := (*Params)(nil).Descriptor()
	gogoproto.RegisterFile(typesProtoFile, bz)
}

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
