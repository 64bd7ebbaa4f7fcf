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
)
