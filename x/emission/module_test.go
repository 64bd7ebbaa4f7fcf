package emission_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"

	"github.com/balanceai/balanceai/x/emission"
	"github.com/balanceai/balanceai/x/emission/types"
)

func TestModuleGenesisAndCodec(t *testing.T) {
	am := emission.AppModule{}
	enc := moduletestutil.MakeTestEncodingConfig(am)
	bz := am.DefaultGenesis(enc.Codec)
	require.NoError(t, am.ValidateGenesis(enc.Codec, nil, bz))
	require.Contains(t, string(bz), `"daily_emission":"2480000000"`)
	require.Contains(t, string(bz), `"max_supply":"21000000000000"`)
	require.Contains(t, string(bz), `"validator_reward_mode":"VALIDATOR_REWARD_MODE_EQUAL"`)
	require.Error(t, am.ValidateGenesis(enc.Codec, nil, []byte(`{"params":{"mint_denom":"ubai"}}`)))

	// Amino JSON uses the registered names (Ledger/Keplr signing).
	msg := &types.MsgUpdateParams{Authority: "bai1xyz", Params: types.DefaultParams()}
	js, err := enc.Amino.MarshalJSON(msg)
	require.NoError(t, err)
	require.Contains(t, string(js), `"type":"bai/emission/MsgUpdateParams"`)
	require.LessOrEqual(t, len("bai/emission/MsgUpdateParams"), 39)

	opts := am.AutoCLIOptions()
	require.Equal(t, "balanceai.emission.v1.Query", opts.Query.Service)
	require.Len(t, opts.Query.RpcCommandOptions, 4)
}
