package types

import (
	"context"

	"cosmossdk.io/core/address"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// AccountKeeper is what the bridge needs from x/auth.
type AccountKeeper interface {
	// AddressCodec decodes and encodes account addresses.
	AddressCodec() address.Codec
	// GetModuleAddress returns a module account's address.
	GetModuleAddress(name string) sdk.AccAddress
}

// BankKeeper is what the bridge needs from x/bank.
type BankKeeper interface {
	// SendCoinsFromAccountToModule locks BAI.
	SendCoinsFromAccountToModule(ctx context.Context, senderAddr sdk.AccAddress, recipientModule string, amt sdk.Coins) error
	// SendCoinsFromModuleToAccount releases and refunds BAI.
	SendCoinsFromModuleToAccount(ctx context.Context, senderModule string, recipientAddr sdk.AccAddress, amt sdk.Coins) error
	// GetBalance reads the bridge account balance.
	GetBalance(ctx context.Context, addr sdk.AccAddress, denom string) sdk.Coin
	// BlockedAddr reports addresses that must not receive funds (module accounts).
	BlockedAddr(addr sdk.AccAddress) bool
}
