package types

import errorsmod "cosmossdk.io/errors"

// Registered errors of the grants module. Codes are never renumbered.
var (
	// ErrInvalidAddress is returned for a signer or owner that is not a valid address.
	ErrInvalidAddress = errorsmod.Register(ModuleName, 2, "invalid address")
	// ErrInvalidFund is returned for a fund other than GRANT_FUND_MODELS or GRANT_FUND_AGENTS.
	ErrInvalidFund = errorsmod.Register(ModuleName, 3, "invalid fund")
	// ErrNoRewards is returned by a claim when nothing is claimable.
	ErrNoRewards = errorsmod.Register(ModuleName, 4, "no rewards to claim")
	// ErrInvalidGrant is returned for a title, listing or milestone list that fails validation.
	ErrInvalidGrant = errorsmod.Register(ModuleName, 5, "invalid grant")
	// ErrInvalidCID is returned for a details or evidence CID that is not a CIDv0 or CIDv1.
	ErrInvalidCID = errorsmod.Register(ModuleName, 6, "invalid CID")
	// ErrInvalidAmount is returned for a milestone amount that is not positive in params.denom.
	ErrInvalidAmount = errorsmod.Register(ModuleName, 7, "invalid amount")
	// ErrGrantTooLarge is returned when a grant asks more than max_grant_fraction of the fund's free balance.
	ErrGrantTooLarge = errorsmod.Register(ModuleName, 8, "grant exceeds max_grant_fraction of the fund's free balance")
	// ErrListingNotFound is returned for a listing_id no listing has.
	ErrListingNotFound = errorsmod.Register(ModuleName, 9, "listing not found")
	// ErrNotListingOwner is returned when the applicant does not own the listing.
	ErrNotListingOwner = errorsmod.Register(ModuleName, 10, "applicant is not the listing owner")
	// ErrGrantNotFound is returned when no grant has the given id.
	ErrGrantNotFound = errorsmod.Register(ModuleName, 11, "grant not found")
	// ErrInvalidStatus is returned when the grant's or milestone's status does not allow the action.
	ErrInvalidStatus = errorsmod.Register(ModuleName, 12, "action not allowed in the current status")
	// ErrNotCurator is returned when the signer has no curator bond.
	ErrNotCurator = errorsmod.Register(ModuleName, 13, "signer is not a bonded curator")
	// ErrAlreadyVoted is returned for a second vote or review by the same curator.
	ErrAlreadyVoted = errorsmod.Register(ModuleName, 14, "curator already voted")
	// ErrInvalidVoteOption is returned for an unknown vote option.
	ErrInvalidVoteOption = errorsmod.Register(ModuleName, 15, "invalid vote option")
	// ErrVotingClosed is returned for a vote after the voting period ended (before the tally ran).
	ErrVotingClosed = errorsmod.Register(ModuleName, 16, "voting period has ended")
	// ErrNotApplicant is returned when the signer is not the grant's applicant.
	ErrNotApplicant = errorsmod.Register(ModuleName, 17, "signer is not the grant applicant")
	// ErrInvalidMilestone is returned for a milestone index out of range or out of order.
	ErrInvalidMilestone = errorsmod.Register(ModuleName, 18, "invalid milestone")
	// ErrReviewClosed is returned for a review after the review period ended (before expiry ran).
	ErrReviewClosed = errorsmod.Register(ModuleName, 19, "milestone review period has ended")
	// ErrInvalidParams is returned for parameters that fail validation.
	ErrInvalidParams = errorsmod.Register(ModuleName, 20, "invalid params")
	// ErrInvalidGenesis is returned for an inconsistent genesis state.
	ErrInvalidGenesis = errorsmod.Register(ModuleName, 21, "invalid genesis")
	// ErrEpochAlreadyRewarded is returned when an epoch at or before the last rewarded one is handed in again.
	ErrEpochAlreadyRewarded = errorsmod.Register(ModuleName, 22, "epoch already rewarded")
	// ErrListingKindMismatch is returned when a grant's listing is not of the fund's kind.
	ErrListingKindMismatch = errorsmod.Register(ModuleName, 23, "listing kind does not match the fund")
	// ErrSelfDealing is returned when an applicant votes on or reviews its own grant.
	ErrSelfDealing = errorsmod.Register(ModuleName, 24, "applicant cannot vote on or review its own grant")
	// ErrNoVotingWeight is returned when a bonded curator votes or reviews but was not bonded
	// when the vote or review opened: only the curators snapshotted then have a weight.
	ErrNoVotingWeight = errorsmod.Register(ModuleName, 25, "curator was not bonded when the vote or review opened")
	// ErrInvisibleCharacter is returned for a grant title or milestone description holding a
	// character that does not render (bidi controls, zero-width spaces, other format characters).
	ErrInvisibleCharacter = errorsmod.Register(ModuleName, 26, "text contains an invisible character")
)
