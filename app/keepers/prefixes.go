package keepers

import sdk "github.com/cosmos/cosmos-sdk/types"

// The address prefixes come from the global SDK config, which the app package sets when loaded.
func sdkAccPrefix() string  { return sdk.GetConfig().GetBech32AccountAddrPrefix() }
func sdkValPrefix() string  { return sdk.GetConfig().GetBech32ValidatorAddrPrefix() }
func sdkConsPrefix() string { return sdk.GetConfig().GetBech32ConsensusAddrPrefix() }
