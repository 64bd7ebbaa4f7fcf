package types

import (
	"context"
	"time"

	"cosmossdk.io/core/address"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// AccountKeeper is what curation needs from x/auth.
type AccountKeeper interface {
	// AddressCodec decodes and encodes account addresses.
	AddressCodec() address.Codec
	// GetModuleAddress returns a module account's address.
	GetModuleAddress(name string) sdk.AccAddress
}

// BankKeeper is what curation needs from x/bank.
type BankKeeper interface {
	// SendCoinsFromAccountToModule takes bonds and flag deposits.
	SendCoinsFromAccountToModule(ctx context.Context, senderAddr sdk.AccAddress, recipientModule string, amt sdk.Coins) error
	// SendCoinsFromModuleToAccount pays out unbondings, returned deposits and flagger rewards.
	SendCoinsFromModuleToAccount(ctx context.Context, senderModule string, recipientAddr sdk.AccAddress, amt sdk.Coins) error
	// SendCoinsFromModuleToModule moves slashes and forfeited deposits to the grant funds.
	SendCoinsFromModuleToModule(ctx context.Context, senderModule, recipientModule string, amt sdk.Coins) error
	// GetBalance reads the curation account balance (invariant).
	GetBalance(ctx context.Context, addr sdk.AccAddress, denom string) sdk.Coin
}

// MarketplaceKeeper is what curation needs from x/marketplace.
type MarketplaceKeeper interface {
	// GetListing returns a listing or an error wrapping marketplace ErrListingNotFound.
	GetListing(ctx context.Context, id uint64) (marketplacetypes.Listing, error)
	// StatusBefore returns the status a listing had just before t (after every change made
	// strictly before t), and false when it was not registered before t.
	StatusBefore(ctx context.Context, id uint64, t time.Time) (marketplacetypes.ListingStatus, bool, error)
	// Hold keeps a listing's collateral from unlocking or being withdrawn until Release, and
	// returns the collateral at this moment (the slash base of the flag that holds it).
	Hold(ctx context.Context, listingID uint64) (sdk.Coin, error)
	// Release ends a Hold.
	Release(ctx context.Context, listingID uint64) error
	// WalkFlagHolds calls fn, in listing order, with each held listing's holds besides those of
	// governance slash proposals (the flag-holds invariant).
	WalkFlagHolds(ctx context.Context, fn func(listingID, holds uint64) error) error
	// SlashAndSuspend slashes min(fraction × base, collateral left) of a listing's collateral
	// to the destination module account ("" burns), suspends the listing and returns the
	// slashed coin.
	SlashAndSuspend(ctx context.Context, id uint64, fraction math.LegacyDec, base math.Int, destination, reason string) (sdk.Coin, error)
}
