package app

import (
	"cosmossdk.io/x/tx/signing"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/std"
	"github.com/cosmos/cosmos-sdk/x/auth/tx"
	"github.com/cosmos/gogoproto/proto"
)

// EncodingConfig bundles the codecs the app and its clients use.
type EncodingConfig struct {
	InterfaceRegistry types.InterfaceRegistry
	Codec             codec.Codec
	TxConfig          client.TxConfig
	Amino             *codec.LegacyAmino
}

// newEncodingConfig builds the base codecs with the BalanceAI address codecs; modules register
// their types on top of it.
func newEncodingConfig(codecs addressCodecs) EncodingConfig {
	// Resolve descriptors from the merged registry, built from every registered file at once:
	// gogoproto leaves imports of files registered later (types.proto sorts after tx.proto) as
	// empty placeholders, so with proto.HybridResolver amino-JSON sign bytes would leave such
	// nested fields out and a signature would not cover them.
	protoFiles, err := proto.MergedRegistry()
	if err != nil {
		panic(err)
	}
	interfaceRegistry, err := types.NewInterfaceRegistryWithOptions(types.InterfaceRegistryOptions{
		ProtoFiles: protoFiles,
		SigningOptions: signing.Options{
			AddressCodec:          codecs.acc,
			ValidatorAddressCodec: codecs.val,
		},
	})
	if err != nil {
		panic(err)
	}
	cdc := codec.NewProtoCodec(interfaceRegistry)
	amino := codec.NewLegacyAmino()
	std.RegisterLegacyAminoCodec(amino)
	std.RegisterInterfaces(interfaceRegistry)
	return EncodingConfig{
		InterfaceRegistry: interfaceRegistry,
		Codec:             cdc,
		TxConfig:          tx.NewTxConfig(cdc, tx.DefaultSignModes),
		Amino:             amino,
	}
}
