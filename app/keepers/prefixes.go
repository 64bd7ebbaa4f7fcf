package keepers

import (
	addresscore "cosmossdk.io/core/address"

	"github.com/cosmos/cosmos-sdk/codec/address"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// The address prefixes come from the global SDK config, which the app package sets when loaded.
func sdkAccPrefix() string  { return sdk.GetConfig().GetBech32AccountAddrPrefix() }
func sdkValPrefix() string  { return sdk.GetConfig().GetBech32ValidatorAddrPrefix() }
func sdkConsPrefix() string { return sdk.GetConfig().GetBech32ConsensusAddrPrefix() }

// orBech32 returns c, or the SDK's bech32 codec for prefix when c is nil.
func orBech32(c addresscore.Codec, prefix string) addresscore.Codec {
	if c == nil {
		return address.NewBech32Codec(prefix)
	}
	return c
}
