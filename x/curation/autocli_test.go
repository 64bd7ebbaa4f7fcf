package curation_test

import (
	"testing"

	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/balanceai/balanceai/x/curation"
)

// TestAutoCLIOptions checks every command names a real RPC, every RPC has a command (or is
// skipped for a custom one), and every positional argument names a field of the request.
func TestAutoCLIOptions(t *testing.T) {
	opts := curation.AppModule{}.AutoCLIOptions()
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
			for _, a := range o.PositionalArgs {
				require.NotNil(t, m.Input().Fields().ByName(protoreflect.Name(a.ProtoField)), "%s.%s", o.RpcMethod, a.ProtoField)
			}
		}
	}
	names := map[string]bool{}
	for _, c := range (curation.AppModule{}).GetTxCmd().Commands() {
		names[c.Name()] = true
	}
	require.True(t, names["commit-scores"] && names["reveal-scores"])
}
