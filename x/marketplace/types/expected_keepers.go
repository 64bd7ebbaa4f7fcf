package types

import (
	"context"

	"cosmossdk.io/core/address"

	sdk "github.com/cosmos/cosmos-sdk/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
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

// GovProposals reads governance proposals, so that a pending proposal slashing a listing can
// freeze its collateral. The gov keeper's Proposals map satisfies it.
type GovProposals interface {
	// Get returns a proposal; collections.ErrNotFound when it does not exist (any more).
	Get(ctx context.Context, proposalID uint64) (govv1.Proposal, error)
}
