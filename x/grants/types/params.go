package types

import (
	"time"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Default parameter values (docs/spec/grants.md).
var (
	// DefaultDenom is the denom rewards and grants are paid in.
	DefaultDenom = "ubai"
	// DefaultEpochRewardShare is the share of free balance paid out per epoch (50 %).
	DefaultEpochRewardShare = math.LegacyNewDecWithPrec(5, 1)
	// DefaultCuratorRewardShare is the curators' share of an epoch payout (10 %).
	DefaultCuratorRewardShare = math.LegacyNewDecWithPrec(1, 1)
	// DefaultMinRewardScore is the lowest epoch score that earns rewards.
	DefaultMinRewardScore uint32 = 50
	// DefaultMaxGrantFraction is the largest share of free balance a grant may ask (10 %).
	DefaultMaxGrantFraction = math.LegacyNewDecWithPrec(1, 1)
	// DefaultGrantDeposit is 50 BAI.
	DefaultGrantDeposit = sdk.NewCoin("ubai", math.NewInt(50_000_000))
	// DefaultVetoThreshold is the veto share of cast weight that forfeits the deposit (as x/gov).
	DefaultVetoThreshold = math.LegacyNewDecWithPrec(334, 3)
	// DefaultQuorum is 1/3 of total bonded curator weight.
	DefaultQuorum = math.LegacyOneDec().QuoInt64(3)
	// DefaultPassThreshold: YES must exceed half of the non-abstaining weight.
	DefaultPassThreshold = math.LegacyNewDecWithPrec(5, 1)
	// DefaultGrantVotingPeriod is 7 days.
	DefaultGrantVotingPeriod = 7 * 24 * time.Hour
	// DefaultMilestoneReviewPeriod is 14 days.
	DefaultMilestoneReviewPeriod = 14 * 24 * time.Hour
	// DefaultMaxQueueItemsPerBlock bounds the EndBlock work.
	DefaultMaxQueueItemsPerBlock uint32 = 100
)

// DefaultParams returns the default parameters.
func DefaultParams() Params {
	return Params{
		Denom:                 DefaultDenom,
		EpochRewardShare:      DefaultEpochRewardShare,
		CuratorRewardShare:    DefaultCuratorRewardShare,
		MinRewardScore:        DefaultMinRewardScore,
		MaxGrantFraction:      DefaultMaxGrantFraction,
		GrantDeposit:          DefaultGrantDeposit,
		VetoThreshold:         DefaultVetoThreshold,
		Quorum:                DefaultQuorum,
		PassThreshold:         DefaultPassThreshold,
		GrantVotingPeriod:     DefaultGrantVotingPeriod,
		MilestoneReviewPeriod: DefaultMilestoneReviewPeriod,
		MaxQueueItemsPerBlock: DefaultMaxQueueItemsPerBlock,
	}
}

// validShare checks that d is set and in [0, 1] (or (0, 1] when positive is set).
func validShare(name string, d math.LegacyDec, positive bool) error {
	if d.IsNil() {
		return errorsmod.Wrapf(ErrInvalidParams, "%s must be set", name)
	}
	if d.IsNegative() || d.GT(math.LegacyOneDec()) || (positive && d.IsZero()) {
		lo := "[0"
		if positive {
			lo = "(0"
		}
		return errorsmod.Wrapf(ErrInvalidParams, "%s must be in %s, 1], got %s", name, lo, d)
	}
	return nil
}

// Validate checks the parameter bounds.
func (p Params) Validate() error {
	if err := sdk.ValidateDenom(p.Denom); err != nil {
		return errorsmod.Wrapf(ErrInvalidParams, "denom: %v", err)
	}
	if err := validShare("epoch_reward_share", p.EpochRewardShare, false); err != nil {
		return err
	}
	if err := validShare("curator_reward_share", p.CuratorRewardShare, false); err != nil {
		return err
	}
	if p.MinRewardScore > 100 {
		return errorsmod.Wrapf(ErrInvalidParams, "min_reward_score must be at most 100, got %d", p.MinRewardScore)
	}
	if err := validShare("max_grant_fraction", p.MaxGrantFraction, true); err != nil {
		return err
	}
	if err := p.GrantDeposit.Validate(); err != nil {
		return errorsmod.Wrapf(ErrInvalidParams, "grant_deposit: %v", err)
	}
	if p.GrantDeposit.Denom != p.Denom {
		return errorsmod.Wrapf(ErrInvalidParams, "grant_deposit must be in %s, got %s", p.Denom, p.GrantDeposit)
	}
	if err := validShare("veto_threshold", p.VetoThreshold, true); err != nil {
		return err
	}
	if err := validShare("quorum", p.Quorum, true); err != nil {
		return err
	}
	if err := validShare("pass_threshold", p.PassThreshold, false); err != nil {
		return err
	}
	if p.PassThreshold.Equal(math.LegacyOneDec()) {
		return errorsmod.Wrap(ErrInvalidParams, "pass_threshold must be below 1: YES can never exceed all non-abstaining weight")
	}
	if p.GrantVotingPeriod <= 0 {
		return errorsmod.Wrapf(ErrInvalidParams, "grant_voting_period must be positive, got %s", p.GrantVotingPeriod)
	}
	if p.MilestoneReviewPeriod <= 0 {
		return errorsmod.Wrapf(ErrInvalidParams, "milestone_review_period must be positive, got %s", p.MilestoneReviewPeriod)
	}
	if p.MaxQueueItemsPerBlock == 0 {
		return errorsmod.Wrap(ErrInvalidParams, "max_queue_items_per_block must be positive")
	}
	return nil
}
