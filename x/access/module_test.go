package access_test

import (
	"testing"

	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/reflect/protoreflect"

	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"

	"github.com/balanceai/balanceai/x/access"
	"github.com/balanceai/balanceai/x/access/client/cli"
	"github.com/balanceai/balanceai/x/access/types"
)

// TestAutoCLIOptions checks every command names a real RPC, every RPC has a command (or is
// skipped for the custom one), and every positional argument names a request field.
func TestAutoCLIOptions(t *testing.T) {
	opts := access.AppModule{}.AutoCLIOptions()
	for _, svc := range []*autocliv1.ServiceCommandDescriptor{opts.Query, opts.Tx} {
		d, err := proto.HybridResolver.FindDescriptorByName(protoreflect.FullName(svc.Service))
		require.NoError(t, err, svc.Service)
		sd := d.(protoreflect.ServiceDescriptor)
		require.Equal(t, sd.Methods().Len(), len(svc.RpcCommandOptions), "every RPC of %s needs a command", svc.Service)
		for _, o := range svc.RpcCommandOptions {
			m := sd.Methods().ByName(protoreflect.Name(o.RpcMethod))
			require.NotNil(t, m, o.RpcMethod)
			if o.Skip {
				continue
			}
			require.NotEmpty(t, o.Example, o.RpcMethod)
			// autocli's pagination flags are --page-limit, --page-reverse, --page-key...
			require.NotRegexp(t, `--(limit|reverse|offset|count-total)\b`, o.Example, "%s: autocli has no such flag", o.RpcMethod)
			for _, a := range o.PositionalArgs {
				require.NotNil(t, m.Input().Fields().ByName(protoreflect.Name(a.ProtoField)), "%s.%s", o.RpcMethod, a.ProtoField)
			}
		}
	}
	require.NotNil(t, access.AppModule{}.GetTxCmd())
}

func TestModuleGenesisAndAmino(t *testing.T) {
	am := access.AppModule{}
	enc := moduletestutil.MakeTestEncodingConfig(am)
	bz := am.DefaultGenesis(enc.Codec)
	require.NoError(t, am.ValidateGenesis(enc.Codec, nil, bz))
	require.Contains(t, string(bz), `"receipt_retention":"2592000s"`)
	require.Error(t, am.ValidateGenesis(enc.Codec, nil, []byte(`{"params":{"max_operators":0}}`)))

	for name, msg := range map[string]sdk.Msg{
		"bai/access/MsgSetOperators": &types.MsgSetOperators{Owner: "bai1x", ListingId: 1},
		"bai/access/MsgSetAllowlist": &types.MsgSetAllowlist{Owner: "bai1x", ListingId: 1},
		"bai/access/MsgRecordUsage":  &types.MsgRecordUsage{Operator: "bai1x", ListingId: 1},
		"bai/access/MsgUpdateParams": &types.MsgUpdateParams{Authority: "bai1x", Params: types.DefaultParams()},
	} {
		js, err := enc.Amino.MarshalJSON(msg)
		require.NoError(t, err)
		require.Contains(t, string(js), `"type":"`+name+`"`)
		require.LessOrEqual(t, len(name), 39)
	}
}

func TestParseRecords(t *testing.T) {
	enc := moduletestutil.MakeTestEncodingConfig(access.AppModule{})
	recs, err := cli.ParseRecords(enc.Codec, []byte(` [{"user":"bai1a","request_cid":"Qm1","response_cid":"Qm2","units":"3"},
		{"user":"bai1b","request_cid":"Qm3","response_cid":"Qm4","units":7}] `))
	require.NoError(t, err)
	require.Equal(t, []types.UsageRecord{
		{User: "bai1a", RequestCid: "Qm1", ResponseCid: "Qm2", Units: 3},
		{User: "bai1b", RequestCid: "Qm3", ResponseCid: "Qm4", Units: 7},
	}, recs)
	_, err = cli.ParseRecords(enc.Codec, []byte(`{"user":"x"}`))
	require.Error(t, err)
	_, err = cli.ParseRecords(enc.Codec, []byte(`[]`))
	require.Error(t, err)
	_, err = cli.ParseRecords(enc.Codec, []byte(`[{"usr":"x"}]`))
	require.Error(t, err)
}
