package types

import (
	"math/big"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
)

// NewState returns a fresh state for a chain whose genesis supply is not yet known (InitGenesis
// fills genesis_supply from the bank supply).
func NewState() State {
	return State{
		GenesisSupply:        math.ZeroInt(),
		TotalMinted:          math.ZeroInt(),
		TotalBurned:          math.ZeroInt(),
		Issued:               math.ZeroInt(),
		CurrentDailyEmission: math.ZeroInt(),
		NextHalvingAt:        math.ZeroInt(),
		Carry:                math.LegacyZeroDec(),
	}
}

// DefaultGenesisState returns the default genesis: default params and a fresh state.
func DefaultGenesisState() *GenesisState {
	return &GenesisState{Params: DefaultParams(), State: NewState()}
}

// IsFresh reports whether the state is that of a new chain: nothing minted and no genesis supply
// recorded yet, so InitGenesis takes the genesis supply from the bank.
func (s State) IsFresh() bool {
	return s.GenesisSupply.IsZero() && s.TotalMinted.IsZero()
}

// Validate checks the genesis state; errors wrap ErrInvalidGenesis or ErrInvalidParams.
func (gs GenesisState) Validate() error {
	s := gs.State
	for _, f := range []struct {
		name string
		v    math.Int
	}{
		{"genesis_supply", s.GenesisSupply},
		{"total_minted", s.TotalMinted},
		{"total_burned", s.TotalBurned},
		{"issued", s.Issued},
		{"current_daily_emission", s.CurrentDailyEmission},
		{"next_halving_at", s.NextHalvingAt},
	} {
		if f.v.IsNil() || f.v.IsNegative() {
			return errorsmod.Wrapf(ErrInvalidGenesis, "state.%s must be a non-negative integer, got %s", f.name, intString(f.v))
		}
	}
	if s.Carry.IsNil() || s.Carry.IsNegative() || s.Carry.GTE(math.LegacyOneDec()) {
		return errorsmod.Wrapf(ErrInvalidGenesis, "state.carry must be in [0, 1), got %s", s.Carry)
	}
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	if err := ValidateRecordedBurns(gs.RecordedBurns); err != nil {
		return err
	}
	if s.IsFresh() {
		// A new chain: genesis_supply comes from the bank at InitGenesis, which checks the cap.
		if !s.Issued.IsZero() || s.Era != 0 {
			return errorsmod.Wrapf(ErrInvalidGenesis, "state.issued and state.era must be zero when genesis_supply and total_minted are zero")
		}
		// Nothing has happened yet: a burn would break issued − burns = supply, and a last
		// emission time would hold the first mint back until then.
		if !s.TotalBurned.IsZero() || !SumBurns(gs.RecordedBurns).IsZero() || !s.Carry.IsZero() || !s.LastEmissionTime.IsZero() {
			return errorsmod.Wrapf(ErrInvalidGenesis,
				"a new chain's state (genesis_supply and total_minted zero) has total_burned, recorded_burns, carry and last_emission_time zero")
		}
		return nil
	}
	issued := s.GenesisSupply.Add(s.TotalMinted)
	if !s.Issued.Equal(issued) {
		return errorsmod.Wrapf(ErrInvalidGenesis, "state.issued %s must equal genesis_supply + total_minted = %s", s.Issued, issued)
	}
	if issued.GT(gs.Params.MaxSupply) {
		return errorsmod.Wrapf(ErrSupplyAboveMax, "issued %s exceeds max_supply %s", issued, gs.Params.MaxSupply)
	}
	if want := EraForIssued(gs.Params.MaxSupply, issued); s.Era != want {
		return errorsmod.Wrapf(ErrInvalidGenesis, "state.era %d is inconsistent with issued %s: expected %d", s.Era, issued, want)
	}
	return nil
}

// CheckGenesisSupply refuses a bank supply of mint_denom at genesis above max_supply: such a chain
// could never start (its issuance would already exceed the cap). InitGenesis and the app-wide
// genesis check (`baid genesis validate`, `baid start`) give this same message.
func CheckGenesisSupply(supply math.Int, p Params) error {
	return CheckGenesisSupplyBig(supply.BigInt(), p)
}

// CheckGenesisSupplyBig is CheckGenesisSupply for a sum of genesis balances that may exceed the
// range of a math.Int.
func CheckGenesisSupplyBig(supply *big.Int, p Params) error {
	if p.MaxSupply.IsNil() || supply.Cmp(p.MaxSupply.BigInt()) <= 0 {
		return nil
	}
	return errorsmod.Wrapf(ErrSupplyAboveMax,
		"the genesis bank supply of %s is %s, above max_supply %s (21,000,000 BAI) by %s; lower the genesis balances",
		p.MintDenom, supply, p.MaxSupply, new(big.Int).Sub(supply, p.MaxSupply.BigInt()))
}

// CheckIssuance checks issued − burns = supply for an imported (not fresh) state, where burns
// are the state's fee burns, its recorded burns and otherBurns (the burns other modules keep:
// x/marketplace's registration fees and slashes). Errors wrap ErrInvalidGenesis.
func CheckIssuance(s State, recorded []BurnTotal, otherBurns, supply math.Int) error {
	if s.IsFresh() {
		return nil
	}
	burns := s.TotalBurned.Add(SumBurns(recorded)).Add(otherBurns)
	if !s.Issued.Sub(burns).Equal(supply) {
		return errorsmod.Wrapf(ErrInvalidGenesis,
			"issued %s minus every burn (%s) is %s, but the bank supply is %s: the emission state does not match the balances",
			s.Issued, burns, s.Issued.Sub(burns), supply)
	}
	return nil
}
