package types

import (
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
)

// Burn sources of the supply summary (Query/Supply burned_by_source), in the order it lists them.
const (
	// BurnSourceFees is x/emission's burn of fee_burn_share of the fees (state.total_burned).
	BurnSourceFees = "fees"
	// BurnSourceListingRegistrationFees is x/marketplace's burn of listing registration fees.
	BurnSourceListingRegistrationFees = "listing_registration_fees"
	// BurnSourceListingSlashes is x/marketplace's burn of slashed listing collateral.
	BurnSourceListingSlashes = "listing_slashes"
	// BurnSourceValidatorSlashes is x/staking's burn of slashed stake (double signing through
	// x/evidence, downtime through x/slashing), counted by x/emission.
	BurnSourceValidatorSlashes = "validator_slashes"
	// BurnSourceGovernanceDeposits is x/gov's burn of proposal deposits (vetoed, failed quorum
	// or cancelled proposals, as its params say), counted by x/emission.
	BurnSourceGovernanceDeposits = "governance_deposits"
)

// BurnSources lists every source in the order of the supply summary.
var BurnSources = []string{
	BurnSourceFees, BurnSourceListingRegistrationFees, BurnSourceListingSlashes,
	BurnSourceValidatorSlashes, BurnSourceGovernanceDeposits,
}

// RecordedBurnSources are the sources whose totals x/emission keeps itself (recorded_burns): the
// modules that keep none.
var RecordedBurnSources = []string{BurnSourceValidatorSlashes, BurnSourceGovernanceDeposits}

// IsRecordedBurnSource reports whether x/emission keeps the total of source.
func IsRecordedBurnSource(source string) bool {
	for _, s := range RecordedBurnSources {
		if s == source {
			return true
		}
	}
	return false
}

// ValidateRecordedBurns checks genesis recorded_burns: known sources, each at most once, with
// non-negative amounts.
func ValidateRecordedBurns(burns []BurnTotal) error {
	seen := map[string]bool{}
	for i, b := range burns {
		if !IsRecordedBurnSource(b.Source) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "recorded_burns[%d]: unknown source %q, expected one of %v", i, b.Source, RecordedBurnSources)
		}
		if seen[b.Source] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "recorded_burns[%d]: source %q listed twice", i, b.Source)
		}
		seen[b.Source] = true
		if b.Amount.IsNil() || b.Amount.IsNegative() {
			return errorsmod.Wrapf(ErrInvalidGenesis, "recorded_burns[%d] (%s): amount must be a non-negative integer, got %s", i, b.Source, intString(b.Amount))
		}
	}
	return nil
}

// SumBurns adds up the amounts of burns.
func SumBurns(burns []BurnTotal) math.Int {
	sum := math.ZeroInt()
	for _, b := range burns {
		sum = sum.Add(b.Amount)
	}
	return sum
}
