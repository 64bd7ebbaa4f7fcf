package types

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// MarketplaceHooks lets other modules follow listing changes that concern them. The
// marketplace calls them in the transaction that made the change; an error fails it.
type MarketplaceHooks interface {
	// AfterListingTransferred runs after MsgTransferListing gave the listing to newOwner
	// (x/access resets the operators and the allowlist the previous owner set up).
	AfterListingTransferred(ctx context.Context, listingID uint64, previousOwner, newOwner sdk.AccAddress) error
}

// MultiMarketplaceHooks runs several hooks in order; the first error stops it.
type MultiMarketplaceHooks []MarketplaceHooks

var _ MarketplaceHooks = MultiMarketplaceHooks{}

// NewMultiMarketplaceHooks combines hooks, called in the given order.
func NewMultiMarketplaceHooks(hooks ...MarketplaceHooks) MultiMarketplaceHooks {
	return hooks
}

// AfterListingTransferred implements MarketplaceHooks.
func (h MultiMarketplaceHooks) AfterListingTransferred(ctx context.Context, listingID uint64, previousOwner, newOwner sdk.AccAddress) error {
	for _, hook := range h {
		if err := hook.AfterListingTransferred(ctx, listingID, previousOwner, newOwner); err != nil {
			return err
		}
	}
	return nil
}
