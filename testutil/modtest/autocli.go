package modtest

import (
	"testing"

	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// CheckAutoCLIOptions checks a module's AutoCLI options against its protos: every command names
// a real RPC, every RPC has a command (or is skipped for a hand-written one), every command has an
// example that uses no pagination flag autocli lacks, and every positional argument names a field
// of the request message.
func CheckAutoCLIOptions(t *testing.T, opts *autocliv1.ModuleOptions) {
	t.Helper()
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
}
