package types_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/marketplace/types"
)

// TestAminoNames: every Msg is registered under bai/marketplace/<Msg> (≤ 39 chars) with
// legacy amino and as an sdk.Msg implementation.
func TestAminoNames(t *testing.T) {
	cdc := codec.NewLegacyAmino()
	types.RegisterLegacyAminoCodec(cdc)
	reg := codectypes.NewInterfaceRegistry()
	types.RegisterInterfaces(reg)
	for _, m := range []sdk.Msg{
		&types.MsgRegisterListing{}, &types.MsgUpdateListing{}, &types.MsgDepositCollateral{},
		&types.MsgWithdrawCollateral{}, &types.MsgPauseListing{}, &types.MsgResumeListing{},
		&types.MsgRetireListing{}, &types.MsgTransferListing{}, &types.MsgSlashListing{}, &types.MsgUpdateParams{},
	} {
		bz, err := cdc.MarshalJSON(m)
		require.NoError(t, err)
		name := "bai/marketplace/" + strings.TrimPrefix(sdk.MsgTypeURL(m), "/balanceai.marketplace.v1.")
		require.LessOrEqual(t, len(name), 39, name)
		require.Contains(t, string(bz), `"type":"`+name+`"`)
		_, err = reg.Resolve(sdk.MsgTypeURL(m))
		require.NoError(t, err)
	}
}
