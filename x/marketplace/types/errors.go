package types

import errorsmod "cosmossdk.io/errors"

// Registered errors of the marketplace module. Codes are never renumbered.
var (
	// ErrInvalidListing is returned for a listing field that fails validation.
	ErrInvalidListing = errorsmod.Register(ModuleName, 2, "invalid listing")
	// ErrInvalidCID is returned for a metadata_cid that is not a CIDv0 or CIDv1.
	ErrInvalidCID = errorsmod.Register(ModuleName, 3, "invalid metadata CID")
	// ErrInvalidEndpoint is returned for an endpoint that is not an https URL (or http to localhost).
	ErrInvalidEndpoint = errorsmod.Register(ModuleName, 4, "invalid endpoint")
	// ErrInvalidVersion is returned for a version that is not semver.
	ErrInvalidVersion = errorsmod.Register(ModuleName, 5, "invalid version")
	// ErrInvalidTags is returned for too many, too long, non-lowercase or duplicate tags.
	ErrInvalidTags = errorsmod.Register(ModuleName, 6, "invalid tags")
	// ErrInvalidCollateral is returned for collateral in a wrong denom or below the kind's minimum.
	ErrInvalidCollateral = errorsmod.Register(ModuleName, 7, "invalid collateral")
	// ErrInvalidComponents is returned for missing, inactive, duplicate, too many or cyclic components.
	ErrInvalidComponents = errorsmod.Register(ModuleName, 8, "invalid components")
	// ErrListingNotFound is returned when no listing has the given id.
	ErrListingNotFound = errorsmod.Register(ModuleName, 9, "listing not found")
	// ErrNotOwner is returned when the signer is not the listing owner.
	ErrNotOwner = errorsmod.Register(ModuleName, 10, "signer is not the listing owner")
	// ErrInvalidStatus is returned when the listing's status does not allow the action.
	ErrInvalidStatus = errorsmod.Register(ModuleName, 11, "action not allowed in the listing's status")
	// ErrOwnerLimit is returned when an owner would exceed max_listings_per_owner live listings.
	ErrOwnerLimit = errorsmod.Register(ModuleName, 12, "too many live listings for owner")
	// ErrWithdrawBelowMinimum is returned when a withdrawal would leave less than the kind's minimum.
	ErrWithdrawBelowMinimum = errorsmod.Register(ModuleName, 13, "withdrawal would leave collateral below the minimum")
	// ErrInvalidFraction is returned for a slash fraction outside (0, 1].
	ErrInvalidFraction = errorsmod.Register(ModuleName, 14, "invalid slash fraction")
	// ErrInvalidDestination is returned for a slash destination that is not an existing module account.
	ErrInvalidDestination = errorsmod.Register(ModuleName, 15, "invalid slash destination")
	// ErrInvalidParams is returned for parameters that fail validation.
	ErrInvalidParams = errorsmod.Register(ModuleName, 16, "invalid params")
	// ErrInvalidAccessPolicy is returned for a bad access policy.
	ErrInvalidAccessPolicy = errorsmod.Register(ModuleName, 17, "invalid access policy")
	// ErrInvalidAddress is returned for an owner or new owner that is not a valid address.
	ErrInvalidAddress = errorsmod.Register(ModuleName, 18, "invalid address")
	// ErrInvalidAmount is returned for a deposit or withdrawal amount that is not positive ubai.
	ErrInvalidAmount = errorsmod.Register(ModuleName, 19, "invalid amount")
	// ErrInvalidGenesis is returned for an inconsistent genesis state.
	ErrInvalidGenesis = errorsmod.Register(ModuleName, 20, "invalid genesis")
	// ErrCollateralFrozen is returned for a withdrawal while a flag or slash proposal holds the collateral.
	ErrCollateralFrozen = errorsmod.Register(ModuleName, 21, "collateral is frozen")
	// ErrNotHeld is returned when a hold is released on a listing that has none.
	ErrNotHeld = errorsmod.Register(ModuleName, 22, "listing collateral is not held")
	// ErrInvisibleCharacter is returned for displayed text (name, description, task, tags,
	// endpoint, metadata CID, version) with invisible characters (bidi overrides, zero-width
	// spaces, ...) or invalid UTF-8, which would let a listing pass itself off as another.
	ErrInvisibleCharacter = errorsmod.Register(ModuleName, 23, "text contains invisible characters")
	// ErrTooManySlashes is returned for a governance proposal that slashes more listings than
	// MaxSlashedListingsPerProposal.
	ErrTooManySlashes = errorsmod.Register(ModuleName, 24, "proposal slashes too many listings")
	// ErrNestedTooDeep is returned for a governance proposal whose authz MsgExec nesting is too
	// deep to be searched for MsgSlashListing (its slashes would escape their holds and checks).
	ErrNestedTooDeep = errorsmod.Register(ModuleName, 25, "proposal messages nested too deeply")
)
