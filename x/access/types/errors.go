package types

import errorsmod "cosmossdk.io/errors"

// Registered errors of x/access. Codes are never renumbered.
var (
	// ErrInvalidParams: params fail validation.
	ErrInvalidParams = errorsmod.Register(ModuleName, 2, "invalid access params")
	// ErrInvalidAddress: a malformed account address.
	ErrInvalidAddress = errorsmod.Register(ModuleName, 3, "invalid address; use a bech32 bai... account address")
	// ErrListingNotFound: x/marketplace has no listing with that id.
	ErrListingNotFound = errorsmod.Register(ModuleName, 4, "listing not found")
	// ErrNotOwner: the signer is not the listing owner.
	ErrNotOwner = errorsmod.Register(ModuleName, 5, "signer is not the listing owner")
	// ErrTooManyOperators: more operators than params.max_operators.
	ErrTooManyOperators = errorsmod.Register(ModuleName, 6, "too many operators")
	// ErrDuplicateAddress: an address appears twice in one list (or in both add and remove).
	ErrDuplicateAddress = errorsmod.Register(ModuleName, 7, "duplicate address")
	// ErrAllowlistUpdateTooLarge: len(add)+len(remove) is 0 or above params.max_allowlist_update.
	ErrAllowlistUpdateTooLarge = errorsmod.Register(ModuleName, 8, "allowlist update must change 1 to max_allowlist_update users")
	// ErrNotOperator: the signer of MsgRecordUsage is not an operator of the listing.
	ErrNotOperator = errorsmod.Register(ModuleName, 9, "signer is not an operator of the listing; the owner sets operators with MsgSetOperators")
	// ErrListingNotActive: usage can only be recorded for an ACTIVE listing.
	ErrListingNotActive = errorsmod.Register(ModuleName, 10, "listing not active")
	// ErrInvalidRecordCount: a MsgRecordUsage with no records or more than max_receipts_per_msg.
	ErrInvalidRecordCount = errorsmod.Register(ModuleName, 11, "a usage message needs 1 to max_receipts_per_msg records; split larger batches")
	// ErrInvalidRecord: a malformed record (user address, CID, units); the message names its index.
	ErrInvalidRecord = errorsmod.Register(ModuleName, 12, "invalid usage record")
	// ErrAccessDenied: a record's user fails CheckAccess; the message names the index and reason.
	ErrAccessDenied = errorsmod.Register(ModuleName, 13, "access denied")
	// ErrInvalidGenesis: genesis state fails validation.
	ErrInvalidGenesis = errorsmod.Register(ModuleName, 14, "invalid access genesis")
	// ErrCounterOverflow: a usage counter would overflow uint64. No longer returned: the
	// counters saturate at 2^64-1. Kept registered so the code is never reused.
	ErrCounterOverflow = errorsmod.Register(ModuleName, 15, "usage counter overflow")
	// ErrUnitsTooLarge: a record reports more units than params.max_units_per_record; the
	// message names the record's index.
	ErrUnitsTooLarge = errorsmod.Register(ModuleName, 16, "usage record units exceed max_units_per_record")
)
