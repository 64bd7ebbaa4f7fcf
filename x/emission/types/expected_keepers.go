package types

import (
	"context"

	abci "github.com/cometbft/cometbft/abci/types"

	"cosmossdk.io/core/address"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
)

// AccountKeeper is what x/emission needs from x/auth.
type AccountKeeper interface {
	AddressCodec() address.Codec
	GetModuleAddress(name string) sdk.AccAddress
}

// BankKeeper is what x/emission needs from x/bank.
type BankKeeper interface {
	GetBalance(ctx context.Context, addr sdk.AccAddress, denom string) sdk.Coin
	GetSupply(ctx context.Context, denom string) sdk.Coin
	MintCoins(ctx context.Context, moduleName string, amt sdk.Coins) error
	BurnCoins(ctx context.Context, moduleName string, amt sdk.Coins) error
	SendCoinsFromModuleToModule(ctx context.Context, senderModule, recipientModule string, amt sdk.Coins) error
}

// DistributionKeeper is what x/emission needs from x/distribution.
type DistributionKeeper interface {
	// AllocateTokensToValidator credits tokens already held by the distribution module account
	// to a validator (commission first, then its delegators pro rata).
	AllocateTokensToValidator(ctx context.Context, val stakingtypes.ValidatorI, tokens sdk.DecCoins) error
	// FundCommunityPool moves amount from sender to the community pool.
	FundCommunityPool(ctx context.Context, amount sdk.Coins, sender sdk.AccAddress) error
	// AllocateTokens pays the whole fee collector balance to the validators of the last commit
	// by voting power (the community pool when totalPreviousPower is zero), as x/distribution's
	// BeginBlocker does.
	AllocateTokens(ctx context.Context, totalPreviousPower int64, bondedVotes []abci.VoteInfo) error
}

// StakingKeeper is what x/emission needs from x/staking.
type StakingKeeper interface {
	ValidatorByConsAddr(ctx context.Context, consAddr sdk.ConsAddress) (stakingtypes.ValidatorI, error)
}

// MarketplaceKeeper is what x/emission needs from x/marketplace: the totals it has burned of the
// mint denom, for the supply summary.
type MarketplaceKeeper interface {
	BurnedTotals(ctx context.Context) (registrationFees, slashes math.Int, err error)
}
