package access_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/client"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"

	"github.com/balanceai/balanceai/testutil/modtest"
	"github.com/balanceai/balanceai/x/access"
	"github.com/balanceai/balanceai/x/access/client/cli"
	"github.com/balanceai/balanceai/x/access/types"
)

// TestAutoCLIOptions checks the AutoCLI options against the protos (modtest.CheckAutoCLIOptions).
func TestAutoCLIOptions(t *testing.T) {
	modtest.CheckAutoCLIOptions(t, access.AppModule{}.AutoCLIOptions())
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

// TestRecordUsageFromStdinNeedsYes: records read from stdin take all of it, so the SDK's
// confirmation prompt would read EOF and cancel; the command says so before reading anything.
func TestRecordUsageFromStdinNeedsYes(t *testing.T) {
	enc := moduletestutil.MakeTestEncodingConfig(access.AppModule{})
	out := &strings.Builder{}
	run := func(extra ...string) error {
		cmd := cli.NewRecordUsageCmd()
		cmd.SetIn(strings.NewReader(`[{"user":"bai1a","request_cid":"Qm1","response_cid":"Qm2","units":"3"}]`))
		out.Reset()
		cmd.SetOut(out)
		cmd.SetErr(io.Discard)
		clientCtx := client.Context{}.WithCodec(enc.Codec).WithTxConfig(enc.TxConfig).WithInterfaceRegistry(enc.InterfaceRegistry).WithOutput(out)
		cmd.SetContext(context.WithValue(context.Background(), client.ClientContextKey, &clientCtx))
		cmd.SetArgs(append([]string{"1", "-"}, extra...))
		return cmd.Execute()
	}
	require.ErrorContains(t, run(), "add --yes (or --generate-only)")
	// With --generate-only the records are read from stdin into the unsigned transaction.
	operator := sdk.AccAddress([]byte("operator-address-20b")).String()
	require.NoError(t, run("--generate-only", "--from", operator, "--chain-id", "balanceai-test"))
	require.Contains(t, out.String(), `"request_cid":"Qm1"`)
}
