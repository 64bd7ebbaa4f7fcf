package types_test

import (
	"encoding/json"
	"testing"

	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"

	"cosmossdk.io/x/tx/signing/aminojson"

	_ "github.com/balanceai/balanceai/x/access/types"
	_ "github.com/balanceai/balanceai/x/bridge/types"
	_ "github.com/balanceai/balanceai/x/curation/types"
	_ "github.com/balanceai/balanceai/x/grants/types"
)

// TestCLIQueryOutputKeepsZeroFields: `baid q ... -o json` prints responses with the amino-JSON
// encoder, which leaves out false and zero fields unless a field says otherwise; a denied
// access check must still print allowed false, quota 0 and the rest, an idle payout
// in_progress false, the bridge params paused false, epoch 0 its number.
func TestCLIQueryOutputKeepsZeroFields(t *testing.T) {
	for name, want := range map[string][]string{
		"balanceai.access.v1.QueryCheckAccessResponse": {"allowed", "reason", "stake", "required_stake", "quota", "used_today", "unlimited", "day"},
		"balanceai.grants.v1.QueryPayoutResponse":      {"in_progress"},
		"balanceai.grants.v1.EpochPayout":              {"epoch", "tallied", "failed", "next_entry"},
		"balanceai.bridge.v1.QueryParamsResponse":      {"paused"},
		"balanceai.bridge.v1.QueryTotalsResponse":      {"day"},
		"balanceai.access.v1.QueryUsageByUserResponse": {"day"},
		"balanceai.curation.v1.QueryEpochResponse":     {"number", "phase"},
	} {
		d, err := proto.HybridResolver.FindDescriptorByName(protoreflect.FullName(name))
		require.NoError(t, err, name)
		msg := dynamicpb.NewMessage(d.(protoreflect.MessageDescriptor))
		// A non-nullable message field is always on the wire, as the node answers.
		fields := msg.Descriptor().Fields()
		for i := 0; i < fields.Len(); i++ {
			if f := fields.Get(i); f.Kind() == protoreflect.MessageKind && !f.IsList() && !f.IsMap() {
				msg.Set(f, msg.NewField(f))
			}
		}
		// The options autocli's query commands use.
		enc := aminojson.NewEncoder(aminojson.EncoderOptions{EnumAsString: true, DoNotSortFields: true, AminoNameAsTypeURL: true, MarshalMappings: true})
		bz, err := enc.Marshal(msg)
		require.NoError(t, err, name)
		var got map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(bz, &got), string(bz))
		for _, f := range want {
			require.Contains(t, got, f, "%s: %s", name, bz)
		}
	}
}
