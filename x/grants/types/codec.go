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
	legacy.RegisterAminoMsg(cdc, &MsgClaimRewards{}, "bai/grants/MsgClaimRewards")
	legacy.RegisterAminoMsg(cdc, &MsgSubmitGrant{}, "bai/grants/MsgSubmitGrant")
	legacy.RegisterAminoMsg(cdc, &MsgVoteGrant{}, "bai/grants/MsgVoteGrant")
	legacy.RegisterAminoMsg(cdc, &MsgSubmitMilestone{}, "bai/grants/MsgSubmitMilestone")
	legacy.RegisterAminoMsg(cdc, &MsgReviewMilestone{}, "bai/grants/MsgReviewMilestone")
	legacy.RegisterAminoMsg(cdc, &MsgDecideGrant{}, "bai/grants/MsgDecideGrant")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateParams{}, "bai/grants/MsgUpdateParams")
	cdc.RegisterConcrete(&Params{}, "bai/grants/Params", nil)
}

// RegisterInterfaces registers every Msg as an sdk.Msg implementation and the Msg service.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgClaimRewards{},
		&MsgSubmitGrant{},
		&MsgVoteGrant{},
		&MsgSubmitMilestone{},
		&MsgReviewMilestone{},
		&MsgDecideGrant{},
		&MsgUpdateParams{},
	)
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}
