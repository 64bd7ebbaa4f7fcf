package types

import (
	"context"

	"cosmossdk.io/core/address"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// AccountKeeper is the subset of x/auth the marketplace uses.
type AccountKeeper interface {
	// AddressCodec decodes and encodes account addresses.
	AddressCodec() address.Codec
	// GetModuleAddress returns the address of a module account, nil when unknown.
	GetModuleAddress(moduleName string) sdk.AccAddress
}

// BankKeeper is the subset of x/bank the marketplace uses to lock, return, burn and
// slash collateral.
type BankKeeper interface {
	SendCoinsFromAccountToModule(ctx context.Context, senderAddr sdk.AccAddress, recipientModule string, amt sdk.Coins) error
	SendCoinsFromModuleToAccount(ctx context.Context, senderModule string, recipientAddr sdk.AccAddress, amt sdk.Coins) error
	SendCoinsFromModuleToModule(ctx context.Context, senderModule, recipientModule string, amt sdk.Coins) error
	BurnCoins(ctx context.Context, moduleName string, amt sdk.Coins) error
	GetBalance(ctx context.Context, addr sdk.AccAddress, denom string) sdk.Coin
	// BlockedAddr reports addresses that may not receive funds (collateral could never be returned).
	BlockedAddr(addr sdk.AccAddress) bool
}

// CollateralHolds lets another module keep a listing's collateral from unlocking, e.g. while a
// flag against the listing is open in x/curation (so a retiring listing cannot escape the slash).
type CollateralHolds interface {
	// HoldsCollateral reports whether the listing's collateral must stay locked for now.
	HoldsCollateral(ctx context.Context, listingID uint64) (bool, error)
}
