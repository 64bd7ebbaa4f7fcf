package types

import (
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/legacy"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
)

// RegisterLegacyAminoCodec registers every Msg under its amino name so that amino-JSON
// signing (Ledger, Keplr) works. Names match the amino.name options in tx.proto.
func RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	legacy.RegisterAminoMsg(cdc, &MsgRegisterListing{}, "bai/marketplace/MsgRegisterListing")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateListing{}, "bai/marketplace/MsgUpdateListing")
	legacy.RegisterAminoMsg(cdc, &MsgDepositCollateral{}, "bai/marketplace/MsgDepositCollateral")
	legacy.RegisterAminoMsg(cdc, &MsgWithdrawCollateral{}, "bai/marketplace/MsgWithdrawCollateral")
	legacy.RegisterAminoMsg(cdc, &MsgPauseListing{}, "bai/marketplace/MsgPauseListing")
	legacy.RegisterAminoMsg(cdc, &MsgResumeListing{}, "bai/marketplace/MsgResumeListing")
	legacy.RegisterAminoMsg(cdc, &MsgRetireListing{}, "bai/marketplace/MsgRetireListing")
	legacy.RegisterAminoMsg(cdc, &MsgTransferListing{}, "bai/marketplace/MsgTransferListing")
	legacy.RegisterAminoMsg(cdc, &MsgSlashListing{}, "bai/marketplace/MsgSlashListing")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateParams{}, "bai/marketplace/MsgUpdateParams")
	cdc.RegisterConcrete(&Params{}, "bai/marketplace/Params", nil)
}

// RegisterInterfaces registers every Msg as an sdk.Msg implementation and the Msg service.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgRegisterListing{},
		&MsgUpdateListing{},
		&MsgDepositCollateral{},
		&MsgWithdrawCollateral{},
		&MsgPauseListing{},
		&MsgResumeListing{},
		&MsgRetireListing{},
		&MsgTransferListing{},
		&MsgSlashListing{},
		&MsgUpdateParams{},
	)
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}
