package types

import (
	"time"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Default parameter values (docs/spec/marketplace.md).
var (
	// DefaultMinModelCollateral is 1,000 BAI.
	DefaultMinModelCollateral = sdk.NewCoin(CollateralDenom, math.NewInt(1_000_000_000))
	// DefaultMinAgentCollateral is 500 BAI.
	DefaultMinAgentCollateral = sdk.NewCoin(CollateralDenom, math.NewInt(500_000_000))
	// DefaultRegistrationFee is 10 BAI, burned on registration.
	DefaultRegistrationFee = sdk.NewCoin(CollateralDenom, math.NewInt(10_000_000))
)

const (
	// DefaultMaxListingsPerOwner bounds live listings per owner.
	DefaultMaxListingsPerOwner uint64 = 100
	// DefaultMaxComponents bounds components per agent.
	DefaultMaxComponents uint64 = 16
	// DefaultUnlockPeriod is 21 days.
	DefaultUnlockPeriod = 21 * 24 * time.Hour
	// DefaultMaxUnlocksPerBlock bounds EndBlocker work.
	DefaultMaxUnlocksPerBlock uint64 = 100

	// Upper bounds governance cannot exceed.
	maxMaxListingsPerOwner = 100_000
	maxMaxComponents       = 64
	maxUnlockPeriod        = 365 * 24 * time.Hour
	maxMaxUnlocksPerBlock  = 10_000
)

// DefaultParams returns the parameters of a new network.
func DefaultParams() Params {
	return Params{
		MinModelCollateral:  DefaultMinModelCollateral,
		MinAgentCollateral:  DefaultMinAgentCollateral,
		RegistrationFee:     DefaultRegistrationFee,
		MaxListingsPerOwner: DefaultMaxListingsPerOwner,
		MaxComponents:       DefaultMaxComponents,
		UnlockPeriod:        DefaultUnlockPeriod,
		MaxUnlocksPerBlock:  DefaultMaxUnlocksPerBlock,
	}
}

// Validate checks every parameter against its bounds.
func (p Params) Validate() error {
	for _, c := range []struct {
		name string
		coin sdk.Coin
	}{
		{"min_model_collateral", p.MinModelCollateral},
		{"min_agent_collateral", p.MinAgentCollateral},
		{"registration_fee", p.RegistrationFee},
	} {
		if c.coin.Denom != CollateralDenom {
			return errorsmod.Wrapf(ErrInvalidParams, "%s must be in %s, got %q", c.name, CollateralDenom, c.coin.Denom)
		}
		if c.coin.Amount.IsNil() || c.coin.Amount.IsNegative() {
			return errorsmod.Wrapf(ErrInvalidParams, "%s must be a non-negative amount", c.name)
		}
	}
	if p.MaxListingsPerOwner < 1 || p.MaxListingsPerOwner > maxMaxListingsPerOwner {
		return errorsmod.Wrapf(ErrInvalidParams, "max_listings_per_owner must be 1-%d, got %d", maxMaxListingsPerOwner, p.MaxListingsPerOwner)
	}
	if p.MaxComponents > maxMaxComponents {
		return errorsmod.Wrapf(ErrInvalidParams, "max_components must be at most %d, got %d", maxMaxComponents, p.MaxComponents)
	}
	if p.UnlockPeriod <= 0 || p.UnlockPeriod > maxUnlockPeriod {
		return errorsmod.Wrapf(ErrInvalidParams, "unlock_period must be positive and at most %s, got %s", maxUnlockPeriod, p.UnlockPeriod)
	}
	if p.MaxUnlocksPerBlock < 1 || p.MaxUnlocksPerBlock > maxMaxUnlocksPerBlock {
		return errorsmod.Wrapf(ErrInvalidParams, "max_unlocks_per_block must be 1-%d, got %d", maxMaxUnlocksPerBlock, p.MaxUnlocksPerBlock)
	}
	return nil
}

// MinCollateral returns the minimum collateral of a kind.
func (p Params) MinCollateral(kind ListingKind) sdk.Coin {
	if kind == ListingKindAgent {
		return p.MinAgentCollateral
	}
	return p.MinModelCollateral
}
