package types

import errorsmod "cosmossdk.io/errors"

// x/emission errors. Codes are never renumbered.
var (
	// ErrInvalidParams is returned for parameters that fail validation.
	ErrInvalidParams = errorsmod.Register(ModuleName, 2, "invalid emission params")
	// ErrInvalidGenesis is returned for a genesis state that fails validation.
	ErrInvalidGenesis = errorsmod.Register(ModuleName, 3, "invalid emission genesis")
	// ErrSupplyAboveMax is returned when issuance would exceed max_supply.
	ErrSupplyAboveMax = errorsmod.Register(ModuleName, 4, "issued supply above max supply")
	// ErrInvariantBroken is returned by the invariant checks.
	ErrInvariantBroken = errorsmod.Register(ModuleName, 5, "emission invariant broken")
	// ErrMaxSupplyFixed is returned for params (genesis or update) whose max_supply is not the
	// fixed 21,000,000 BAI cap.
	ErrMaxSupplyFixed = errorsmod.Register(ModuleName, 6, "max_supply is fixed at 21,000,000 BAI")
	// ErrHalvingIrreversible is returned for a params update that raises daily_emission once a
	// halving has passed: the current rate would climb back towards a rate already halved.
	ErrHalvingIrreversible = errorsmod.Register(ModuleName, 7, "a passed halving cannot be undone")
)
