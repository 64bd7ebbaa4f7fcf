package types_test

import (
	sdk "github.com/cosmos/cosmos-sdk/types"
)

func sdkCoin(n int64) sdk.Coin { return sdk.NewInt64Coin("ubai", n) }
