package integration_test

import (
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/access/keeper"
)

// errorsABCI returns the codespace and code a registered error is reported with.
func errorsABCI(err error) (string, uint32, string) {
	return errorsmod.ABCIInfo(err, false)
}

// msgResponse decodes the first Msg response of a successful tx into out.
func msgResponse(t *testing.T, res *abci.ExecTxResult, out proto.Message) {
	t.Helper()
	var data sdk.TxMsgData
	require.NoError(t, proto.Unmarshal(res.Data, &data))
	require.NotEmpty(t, data.MsgResponses)
	require.Equal(t, "/"+proto.MessageName(out), data.MsgResponses[0].TypeUrl)
	require.NoError(t, proto.Unmarshal(data.MsgResponses[0].Value, out))
}

// keeperInvariant runs the module invariant on the committed state.
func keeperInvariant(e *env) (string, bool) {
	return keeper.ReceiptIndexesInvariant(e.c.App.AccessKeeper)(e.c.Ctx())
}

func collectionsJoin3(day int64, listingID uint64, user sdk.AccAddress) collections.Triple[int64, uint64, sdk.AccAddress] {
	return collections.Join3(day, listingID, user)
}
