package types

import (
	"context"

	"cosmossdk.io/core/address"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// AccountKeeper is what x/access needs from x/auth: only the address codec.
type AccountKeeper interface {
	// AddressCodec decodes and encodes account addresses.
	AddressCodec() address.Codec
}

// MarketplaceKeeper is what x/access needs from x/marketplace: the listing with its owner,
// status and access policy. A missing listing is an error wrapping
// marketplacetypes.ErrListingNotFound.
type MarketplaceKeeper interface {
	// GetListing returns the listing with the given id.
	GetListing(ctx context.Context, id uint64) (marketplacetypes.Listing, error)
}

// StakingKeeper is what x/access needs from x/staking.
type StakingKeeper interface {
	// GetDelegatorBonded returns the tokens of all of the delegator's delegations (shares
	// valued at each validator's current exchange rate, truncated). Undelegated tokens leave
	// the delegation at once and sit in unbonding entries, which this does not count.
	GetDelegatorBonded(ctx context.Context, delegator sdk.AccAddress) (math.Int, error)
}

// MarketplaceHooks is the hook interface x/marketplace calls on a listing transfer
// (x/marketplace/types.MarketplaceHooks has the same method set). x/access implements it
// (keeper.Hooks) to reset the transferred listing's operators and allowlist.
type MarketplaceHooks interface {
	// AfterListingTransferred runs after the listing's owner changed, in the same transaction;
	// an error fails the transfer.
	AfterListingTransferred(ctx context.Context, listingID uint64, previousOwner, newOwner sdk.AccAddress) error
}
