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
	legacy.RegisterAminoMsg(cdc, &MsgBondCurator{}, "bai/curation/MsgBondCurator")
	legacy.RegisterAminoMsg(cdc, &MsgUnbondCurator{}, "bai/curation/MsgUnbondCurator")
	legacy.RegisterAminoMsg(cdc, &MsgCommitScores{}, "bai/curation/MsgCommitScores")
	legacy.RegisterAminoMsg(cdc, &MsgRevealScores{}, "bai/curation/MsgRevealScores")
	legacy.RegisterAminoMsg(cdc, &MsgFlagListing{}, "bai/curation/MsgFlagListing")
	legacy.RegisterAminoMsg(cdc, &MsgVoteFlag{}, "bai/curation/MsgVoteFlag")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateParams{}, "bai/curation/MsgUpdateParams")
	cdc.RegisterConcrete(&Params{}, "bai/curation/Params", nil)
}

// RegisterInterfaces registers the Msgs with the interface registry.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgBondCurator{},
		&MsgUnbondCurator{},
		&MsgCommitScores{},
		&MsgRevealScores{},
		&MsgFlagListing{},
		&MsgVoteFlag{},
		&MsgUpdateParams{},
	)
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}
