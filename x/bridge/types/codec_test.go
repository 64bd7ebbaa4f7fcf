package types_test

import (
	"testing"

	"cosmossdk.io/math"
	"cosmossdk.io/x/tx/signing/aminojson"
	gogoproto "github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/bridge/types"
)

// TestAminoJSONSignBytes checks that every bridge Msg encodes identically under the legacy
// amino codec (RegisterLegacyAminoCodec) and the x/tx amino-JSON encoder that signs
// SIGN_MODE_LEGACY_AMINO_JSON (driven by the proto amino.name options), as Keplr and Ledger
// need: a mismatch between the two would make amino-JSON signatures fail verification.
func TestAminoJSONSignBytes(t *testing.T) {
	cdc := codec.NewLegacyAmino()
	types.RegisterLegacyAminoCodec(cdc)
	enc := aminojson.NewEncoder(aminojson.EncoderOptions{})
	addr := sdk.AccAddress("attester____________").String()
	coin := sdk.NewCoin(types.Denom, math.NewInt(10_000_000))

	for _, tc := range []struct {
		name string
		msg  sdk.Msg
	}{
		{"bai/bridge/MsgLock", &types.MsgLock{Sender: addr, EthRecipient: "0x52908400098527886E0F7030069857D2E4169EE7", Amount: coin}},
		{"bai/bridge/MsgAttestOutbound", &types.MsgAttestOutbound{Attester: addr, Nonce: 1, EthTxHash: "0x" + repeat("11", 32), Success: true}},
		{"bai/bridge/MsgAttestOutbound", &types.MsgAttestOutbound{Attester: addr, Nonce: 2}},
		{"bai/bridge/MsgAttestInbound", &types.MsgAttestInbound{
			Attester: addr, EthTxHash: "0x" + repeat("22", 32), LogIndex: 7, EthBlock: 19_000_000,
			EthSender: "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", Recipient: addr, Amount: coin,
		}},
		{"bai/bridge/MsgAttestInbound", &types.MsgAttestInbound{Attester: addr, Amount: sdk.NewCoin(types.Denom, math.ZeroInt())}},
		{"bai/bridge/MsgSetPaused", &types.MsgSetPaused{Signer: addr, Paused: true}},
		{"bai/bridge/MsgSetPaused", &types.MsgSetPaused{Signer: addr}},
		{"bai/bridge/MsgUpdateParams", &types.MsgUpdateParams{Authority: addr, Params: enabled()}},
		{"bai/bridge/MsgUpdateParams", &types.MsgUpdateParams{Authority: addr, Params: types.DefaultParams()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			legacy := sdk.MustSortJSON(cdc.MustMarshalJSON(tc.msg))
			require.Contains(t, string(legacy), `"type":"`+tc.name+`"`)

			desc, err := mergedFiles(t).FindDescriptorByName(protoreflect.FullName(gogoproto.MessageName(tc.msg)))
			require.NoError(t, err)
			dyn := dynamicpb.NewMessage(desc.(protoreflect.MessageDescriptor))
			bz, err := gogoproto.Marshal(tc.msg)
			require.NoError(t, err)
			require.NoError(t, proto.Unmarshal(bz, dyn))
			signBytes, err := enc.Marshal(dyn)
			require.NoError(t, err)
			require.JSONEq(t, string(legacy), string(signBytes))
			require.Equal(t, string(legacy), string(signBytes))
		})
	}
}

func repeat(s string, n int) string {
	out := ""
	for i := 0; i < n; i++ {
		out += s
	}
	return out
}

// mergedFiles is the descriptor registry the app signs with (app/encoding.go): gogoproto's
// merged registry, built from every registered file at once.
func mergedFiles(t *testing.T) *protoregistry.Files {
	t.Helper()
	files, err := gogoproto.MergedRegistry()
	require.NoError(t, err)
	return files
}

// TestProtoDescriptorsResolved checks that no bridge message, as the signing context resolves
// it (the merged registry), refers to an unresolved placeholder message: a placeholder has no
// fields, so amino-JSON sign bytes would leave its content unsigned.
func TestProtoDescriptorsResolved(t *testing.T) {
	for _, path := range []string{
		"balanceai/bridge/v1/types.proto", "balanceai/bridge/v1/tx.proto", "balanceai/bridge/v1/query.proto",
		"balanceai/bridge/v1/genesis.proto", "balanceai/bridge/v1/events.proto",
	} {
		fd, err := mergedFiles(t).FindFileByPath(path)
		require.NoError(t, err, path)
		msgs := fd.Messages()
		for i := 0; i < msgs.Len(); i++ {
			fields := msgs.Get(i).Fields()
			for j := 0; j < fields.Len(); j++ {
				f := fields.Get(j)
				if f.Kind() == protoreflect.MessageKind {
					require.False(t, f.Message().IsPlaceholder(), "%s: %s.%s refers to an unresolved %s",
						path, msgs.Get(i).Name(), f.Name(), f.Message().FullName())
				}
			}
		}
	}
}
