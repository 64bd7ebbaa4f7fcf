package keeper_test

import (
	"context"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

type contextT = context.Context

func collectionsJoin(a, b uint64) collections.Pair[uint64, uint64] { return collections.Join(a, b) }

func coinBai(n int64) sdk.Coin { return sdk.NewInt64Coin("ubai", n*bai) }
