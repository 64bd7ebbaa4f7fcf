package types

import (
	"time"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Default parameter values (docs/spec/curation.md).
var (
	// DefaultMinCuratorBond is 10,000 BAI.
	DefaultMinCuratorBond = sdk.NewCoin(Denom, math.NewInt(10_000_000_000))
	// DefaultMinFlagDeposit is 100 BAI.
	DefaultMinFlagDeposit = sdk.NewCoin(Denom, math.NewInt(100_000_000))
)

// Default durations and counts.
const (
	DefaultCuratorUnbondingPeriod = 21 * 24 * time.Hour
	DefaultEpochDuration          = 24 * time.Hour
	DefaultRevealDuration         = 6 * time.Hour
	DefaultMaxScoresPerEpoch      = 256
	DefaultMinCuratorsPerListing  = 3
	DefaultAgreementBand          = 15
	DefaultFlagVotingPeriod       = 3 * 24 * time.Hour
	DefaultMaxQueueItemsPerBlock  = 100
	DefaultMaxEpochWorkPerBlock   = 10_000

	// MaxScoresPerEpochLimit caps max_scores_per_epoch so a reveal stays a reasonable tx.
	MaxScoresPerEpochLimit = 4096
	// MinEpochWorkPerBlock keeps epoch finalisation from stalling behind one large listing.
	MinEpochWorkPerBlock = 100
)

// DefaultParams returns the default params.
func DefaultParams() Params {
	return Params{
		MinCuratorBond:         DefaultMinCuratorBond,
		CuratorUnbondingPeriod: DefaultCuratorUnbondingPeriod,
		EpochDuration:          DefaultEpochDuration,
		RevealDuration:         DefaultRevealDuration,
		MaxScoresPerEpoch:      DefaultMaxScoresPerEpoch,
		MinCuratorsPerListing:  DefaultMinCuratorsPerListing,
		ScoreEmaAlpha:          math.LegacyNewDecWithPrec(5, 1),
		AgreementBand:          DefaultAgreementBand,
		ReputationEmaAlpha:     math.LegacyNewDecWithPrec(5, 1),
		NoRevealSlash:          math.LegacyNewDecWithPrec(1, 2),
		MinFlagDeposit:         DefaultMinFlagDeposit,
		FlagVotingPeriod:       DefaultFlagVotingPeriod,
		FlagSlashFraction:      math.LegacyNewDecWithPrec(5, 1),
		FlaggerRewardShare:     math.LegacyNewDecWithPrec(1, 1),
		MaxQueueItemsPerBlock:  DefaultMaxQueueItemsPerBlock,
		MaxEpochWorkPerBlock:   DefaultMaxEpochWorkPerBlock,
	}
}

// Validate checks every field and its bounds.
func (p Params) Validate() error {
	for _, c := range []struct {
		name string
		coin sdk.Coin
	}{{"min_curator_bond", p.MinCuratorBond}, {"min_flag_deposit", p.MinFlagDeposit}} {
		if c.coin.Denom != Denom || c.coin.Amount.IsNil() || !c.coin.Amount.IsPositive() {
			return errorsmod.Wrapf(ErrInvalidParams, "%s must be a positive %s amount, got %s", c.name, Denom, c.coin)
		}
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"curator_unbonding_period", p.CuratorUnbondingPeriod},
		{"epoch_duration", p.EpochDuration},
		{"reveal_duration", p.RevealDuration},
		{"flag_voting_period", p.FlagVotingPeriod},
	} {
		if d.v < time.Second {
			return errorsmod.Wrapf(ErrInvalidParams, "%s must be at least 1s, got %s", d.name, d.v)
		}
	}
	// Both phases must be non-empty.
	if p.RevealDuration >= p.EpochDuration {
		return errorsmod.Wrapf(ErrInvalidParams, "reveal_duration %s must be shorter than epoch_duration %s", p.RevealDuration, p.EpochDuration)
	}
	if p.MaxScoresPerEpoch == 0 || p.MaxScoresPerEpoch > MaxScoresPerEpochLimit {
		return errorsmod.Wrapf(ErrInvalidParams, "max_scores_per_epoch must be in [1, %d], got %d", MaxScoresPerEpochLimit, p.MaxScoresPerEpoch)
	}
	if p.MinCuratorsPerListing == 0 {
		return errorsmod.Wrap(ErrInvalidParams, "min_curators_per_listing must be at least 1")
	}
	if p.AgreementBand > MaxScore {
		return errorsmod.Wrapf(ErrInvalidParams, "agreement_band must be at most %d, got %d", MaxScore, p.AgreementBand)
	}
	for _, d := range []struct {
		name      string
		v         math.LegacyDec
		allowZero bool
	}{
		{"score_ema_alpha", p.ScoreEmaAlpha, false},
		{"reputation_ema_alpha", p.ReputationEmaAlpha, false},
		{"no_reveal_slash", p.NoRevealSlash, true},
		{"flag_slash_fraction", p.FlagSlashFraction, false},
		{"flagger_reward_share", p.FlaggerRewardShare, true},
	} {
		if d.v.IsNil() || d.v.IsNegative() || d.v.GT(math.LegacyOneDec()) || (!d.allowZero && d.v.IsZero()) {
			lo := "(0"
			if d.allowZero {
				lo = "[0"
			}
			return errorsmod.Wrapf(ErrInvalidParams, "%s must be in %s, 1], got %s", d.name, lo, d.v)
		}
	}
	if p.MaxQueueItemsPerBlock == 0 {
		return errorsmod.Wrap(ErrInvalidParams, "max_queue_items_per_block must be at least 1")
	}
	if p.MaxEpochWorkPerBlock < MinEpochWorkPerBlock {
		return errorsmod.Wrapf(ErrInvalidParams, "max_epoch_work_per_block must be at least %d, got %d", MinEpochWorkPerBlock, p.MaxEpochWorkPerBlock)
	}
	return nil
}
