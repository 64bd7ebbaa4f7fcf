package keeper_test

import (
	"context"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
)

type contextT = context.Context

func collectionsJoin(a, b uint64) collections.Pair[uint64, uint64] { return collections.Join(a, b) }

func coinBai(n int64) sdk.Coin { return sdk.NewInt64Coin("ubai", n*bai) }

func collectionsJoinAddr(epoch uint64, a sdk.AccAddress) collections.Pair[uint64, sdk.AccAddress] {
	return collections.Join(epoch, a)
}

// marketAddr is the marketplace module account of the fakes.
func marketAddr() sdk.AccAddress { return authtypes.NewModuleAddress("marketplace") }
