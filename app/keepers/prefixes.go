package keepers

import sdk "github.com/cosmos/cosmos-sdk/types"

// The account address prefix comes from the global SDK config, which the app package sets when
// loaded.
func sdkAccPrefix() string { return sdk.GetConfig().GetBech32AccountAddrPrefix() }
