package types

import (
	"context"

	"cosmossdk.io/core/address"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	curationtypes "github.com/balanceai/balanceai/x/curation/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// AccountKeeper is what grants needs from x/auth.
type AccountKeeper interface {
	// AddressCodec decodes and encodes account addresses.
	AddressCodec() address.Codec
	// GetModuleAddress returns a module account's address, nil when unknown.
	GetModuleAddress(name string) sdk.AccAddress
}

// BankKeeper is what grants needs from x/bank.
type BankKeeper interface {
	// SendCoinsFromAccountToModule takes grant deposits.
	SendCoinsFromAccountToModule(ctx context.Context, senderAddr sdk.AccAddress, recipientModule string, amt sdk.Coins) error
	// SendCoinsFromModuleToAccount pays claims, milestones and returned deposits.
	SendCoinsFromModuleToAccount(ctx context.Context, senderModule string, recipientAddr sdk.AccAddress, amt sdk.Coins) error
	// SendCoinsFromModuleToModule moves epoch rewards from a fund to the grants account and
	// forfeited deposits to a fund.
	SendCoinsFromModuleToModule(ctx context.Context, senderModule, recipientModule string, amt sdk.Coins) error
	// GetBalance reads the fund and grants account balances.
	GetBalance(ctx context.Context, addr sdk.AccAddress, denom string) sdk.Coin
}

// MarketplaceKeeper is what grants needs from x/marketplace.
type MarketplaceKeeper interface {
	// GetListing returns a listing or an error wrapping marketplace ErrListingNotFound.
	GetListing(ctx context.Context, id uint64) (marketplacetypes.Listing, error)
}

// CurationKeeper is what grants needs from x/curation: curator bonds are voting weights, and
// completed scoring epochs are paid from their results. Votes and milestone reviews are
// weighted from a snapshot taken when they open, so a bond added later (from any address) can
// neither vote nor move the quorum. x/curation never calls x/grants: grants collects the
// results of completed epochs in its EndBlocker.
type CurationKeeper interface {
	// GetCurator returns the curator record (Bond is its current bond); for an unknown
	// address a zero-bond record and found=false. canon is addr's bech32 string.
	GetCurator(ctx context.Context, addr sdk.AccAddress, canon string) (curationtypes.Curator, bool, error)
	// BondAt returns the curator's bond at the end of block height-1.
	BondAt(ctx context.Context, curator sdk.AccAddress, height int64) (math.Int, error)
	// TotalBondedAt returns the total curator bond at the end of block height-1 (the base of
	// a vote's quorum when the vote opened at height).
	TotalBondedAt(ctx context.Context, height int64) (math.Int, error)
	// VotingWeight returns min(bond at the end of block openedHeight-1, bond now); zero when
	// the curator was not bonded then.
	VotingWeight(ctx context.Context, curator sdk.AccAddress, openedHeight int64) (math.Int, error)
	// NextCompletedEpoch returns the lowest completed epoch whose results were not released.
	NextCompletedEpoch(ctx context.Context) (uint64, bool, error)
	// TakeEpochResults returns up to limit of a completed epoch's results not taken yet
	// (listings first, then curators) and deletes them; more is true while any remain. An
	// epoch that is not completed is refused with curation's ErrEpochNotCompleted.
	TakeEpochResults(ctx context.Context, epoch uint64, limit uint32) (results curationtypes.EpochResults, more bool, err error)
	// ReleaseEpochResults ends the collection of a completed epoch once its results are taken.
	ReleaseEpochResults(ctx context.Context, epoch uint64) error
	// EpochAwaitingResults reports whether an ended epoch is pending or completed and not yet
	// released (the payout-epoch invariant).
	EpochAwaitingResults(ctx context.Context, epoch uint64) (bool, error)
}
