package types

import (
	"time"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Defaults of a new network (docs/spec/economics.md).
const (
	// DefaultMintDenom is the base denom.
	DefaultMintDenom = "ubai"
	// DefaultMaxEmissionInterval caps the BFT time one block mints for.
	DefaultMaxEmissionInterval = 60 * time.Second
	// MaxEmissionIntervalLimit bounds max_emission_interval: a chain that restarts after a halt
	// never mints more than a day's emission in one block.
	MaxEmissionIntervalLimit = 24 * time.Hour
)

var (
	// DefaultDailyEmission is 2,480 BAI per day.
	DefaultDailyEmission = math.NewInt(2_480_000_000)
	// MaxSupply is the fixed cap of 21,000,000 BAI (docs/spec/economics.md): no genesis or params update may
	// set another max_supply.
	MaxSupply = math.NewInt(21_000_000_000_000)
	// DefaultMaxSupply is the max_supply of the default params: the fixed cap.
	DefaultMaxSupply = MaxSupply
)

// DefaultParams returns the parameters of a new network: 2,480 BAI/day, 21 M cap, 44/24/24/8,
// EQUAL validator rewards, half of the fees burned, 60 s interval cap.
func DefaultParams() Params {
	return Params{
		MintDenom:           DefaultMintDenom,
		DailyEmission:       DefaultDailyEmission,
		MaxSupply:           DefaultMaxSupply,
		StakingShare:        math.LegacyNewDecWithPrec(44, 2),
		ModelsFundShare:     math.LegacyNewDecWithPrec(24, 2),
		AgentsFundShare:     math.LegacyNewDecWithPrec(24, 2),
		DevelopmentShare:    math.LegacyNewDecWithPrec(8, 2),
		ValidatorRewardMode: VALIDATOR_REWARD_MODE_EQUAL,
		FeeBurnShare:        math.LegacyNewDecWithPrec(5, 1),
		MaxEmissionInterval: DefaultMaxEmissionInterval,
	}
}

// Validate checks every parameter; errors wrap ErrInvalidParams.
func (p Params) Validate() error {
	if err := sdk.ValidateDenom(p.MintDenom); err != nil {
		return errorsmod.Wrapf(ErrInvalidParams, "mint_denom %q: %s", p.MintDenom, err)
	}
	if p.DailyEmission.IsNil() || !p.DailyEmission.IsPositive() {
		return errorsmod.Wrapf(ErrInvalidParams, "daily_emission must be positive, got %s", intString(p.DailyEmission))
	}
	if p.DailyEmission.GT(DefaultDailyEmission) {
		return errorsmod.Wrapf(ErrInvalidParams, "daily_emission %s exceeds the protocol's %s (2,480 BAI a day): it may be lowered, never raised above it",
			p.DailyEmission, DefaultDailyEmission)
	}
	if p.MaxSupply.IsNil() || !p.MaxSupply.Equal(MaxSupply) {
		return errorsmod.Wrapf(ErrMaxSupplyFixed, "max_supply must be %s (21,000,000 BAI in ubai), got %s: the cap is not a parameter governance or a genesis may change",
			MaxSupply, intString(p.MaxSupply))
	}
	shares := []struct {
		name string
		v    math.LegacyDec
	}{
		{"staking_share", p.StakingShare},
		{"models_fund_share", p.ModelsFundShare},
		{"agents_fund_share", p.AgentsFundShare},
		{"development_share", p.DevelopmentShare},
	}
	sum := math.LegacyZeroDec()
	for _, s := range shares {
		if err := validateFraction(s.name, s.v); err != nil {
			return err
		}
		sum = sum.Add(s.v)
	}
	if !sum.Equal(math.LegacyOneDec()) {
		return errorsmod.Wrapf(ErrInvalidParams, "staking, models fund, agents fund and development shares must sum to exactly 1, got %s", sum)
	}
	if err := validateFraction("fee_burn_share", p.FeeBurnShare); err != nil {
		return err
	}
	if p.ValidatorRewardMode != VALIDATOR_REWARD_MODE_EQUAL && p.ValidatorRewardMode != VALIDATOR_REWARD_MODE_PROPORTIONAL {
		return errorsmod.Wrapf(ErrInvalidParams, "validator_reward_mode must be %s or %s, got %s",
			VALIDATOR_REWARD_MODE_EQUAL, VALIDATOR_REWARD_MODE_PROPORTIONAL, p.ValidatorRewardMode)
	}
	if p.MaxEmissionInterval <= 0 || p.MaxEmissionInterval > MaxEmissionIntervalLimit {
		return errorsmod.Wrapf(ErrInvalidParams, "max_emission_interval must be positive and at most %s, got %s",
			MaxEmissionIntervalLimit, p.MaxEmissionInterval)
	}
	return nil
}

func validateFraction(name string, v math.LegacyDec) error {
	if v.IsNil() {
		return errorsmod.Wrapf(ErrInvalidParams, "%s must be set", name)
	}
	if v.IsNegative() || v.GT(math.LegacyOneDec()) {
		return errorsmod.Wrapf(ErrInvalidParams, "%s must be in [0, 1], got %s", name, v)
	}
	return nil
}

func intString(i math.Int) string {
	if i.IsNil() {
		return "<nil>"
	}
	return i.String()
}
