package types

import (
	"strings"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
	"github.com/ipfs/go-cid"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/text"
)

// ValidateCID checks that s parses with go-cid as a CIDv0 or CIDv1 of bounded length.
func ValidateCID(field, s string) error {
	if len(s) == 0 || len(s) > MaxCIDLength {
		return errorsmod.Wrapf(ErrInvalidCID, "%s must be 1-%d characters, got %d", field, MaxCIDLength, len(s))
	}
	c, err := cid.Decode(s)
	if err != nil {
		return errorsmod.Wrapf(ErrInvalidCID, "%s %q: %v", field, s, err)
	}
	if v := c.Version(); v != 0 && v != 1 {
		return errorsmod.Wrapf(ErrInvalidCID, "%s %q has unsupported CID version %d", field, s, v)
	}
	return nil
}

// ValidateTitle checks a grant title: 1-MaxTitleLength bytes, not blank, and only visible
// characters and plain spaces (a title is shown to voters and in explorers, so it must read
// as its bytes: no bidi overrides, zero-width or other invisible characters).
func ValidateTitle(title string) error {
	if strings.TrimSpace(title) == "" || len(title) > MaxTitleLength {
		return errorsmod.Wrapf(ErrInvalidGrant, "title must be 1-%d characters and not blank", MaxTitleLength)
	}
	if err := text.CheckVisible(title); err != nil {
		return errorsmod.Wrapf(ErrInvisibleCharacter, "title %v", err)
	}
	return nil
}

// ValidateDescription checks milestone i's description: 1-MaxDescriptionLength bytes, not
// blank, and only visible characters, plain spaces, line breaks and tabs.
func ValidateDescription(i int, description string) error {
	if strings.TrimSpace(description) == "" || len(description) > MaxDescriptionLength {
		return errorsmod.Wrapf(ErrInvalidGrant, "milestone %d description must be 1-%d characters and not blank", i, MaxDescriptionLength)
	}
	if err := text.CheckVisible(description, '\n', '\t'); err != nil {
		return errorsmod.Wrapf(ErrInvisibleCharacter, "milestone %d description %v", i, err)
	}
	return nil
}

// ValidateMilestones checks 1-MaxMilestones milestones with positive amounts in denom and
// non-blank, visible descriptions, and returns their total.
func ValidateMilestones(ms []MilestoneInput, denom string) (math.Int, error) {
	if len(ms) == 0 || len(ms) > MaxMilestones {
		return math.Int{}, errorsmod.Wrapf(ErrInvalidGrant, "a grant needs 1-%d milestones, got %d", MaxMilestones, len(ms))
	}
	total := math.ZeroInt()
	for i, m := range ms {
		if err := validateAmount(m.Amount, denom); err != nil {
			return math.Int{}, errorsmod.Wrapf(err, "milestone %d", i)
		}
		if err := ValidateDescription(i, m.Description); err != nil {
			return math.Int{}, err
		}
		total = total.Add(m.Amount.Amount)
	}
	return total, nil
}

func validateAmount(c sdk.Coin, denom string) error {
	if c.Amount.IsNil() || !c.Amount.IsPositive() || c.Denom != denom {
		return errorsmod.Wrapf(ErrInvalidAmount, "amount must be a positive amount of %s, got %s", denom, c)
	}
	return nil
}

// Total returns the sum of a grant's milestone amounts.
func (g Grant) Total() math.Int {
	total := math.ZeroInt()
	for _, m := range g.Milestones {
		total = total.Add(m.Amount.Amount)
	}
	return total
}

// Unpaid returns the sum of the milestones not paid yet (from next_milestone on).
func (g Grant) Unpaid() math.Int {
	total := math.ZeroInt()
	for i := int(g.NextMilestone); i < len(g.Milestones); i++ {
		total = total.Add(g.Milestones[i].Amount.Amount)
	}
	return total
}

// ZeroTally returns a tally with every count zero.
func ZeroTally() Tally {
	return Tally{Yes: math.ZeroInt(), No: math.ZeroInt(), Abstain: math.ZeroInt(), NoWithVeto: math.ZeroInt()}
}

// Cast is the total weight cast.
func (t Tally) Cast() math.Int {
	return t.Yes.Add(t.No).Add(t.Abstain).Add(t.NoWithVeto)
}

// NewFundState returns an empty fund state.
func NewFundState(f GrantFund) FundState {
	return FundState{Fund: f, Reserved: math.ZeroInt(), Unclaimed: math.ZeroInt(), TotalRewarded: math.ZeroInt(), TotalGranted: math.ZeroInt(), TotalReserved: math.ZeroInt()}
}

// Left is what of the payout's pools is not credited: it returns to the fund when the payout
// finishes.
func (fp FundPayout) Left() math.Int {
	return fp.CuratorPool.Add(fp.ListingPool).Sub(fp.CuratorsPaid).Sub(fp.ListingsPaid)
}
