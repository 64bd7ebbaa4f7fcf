package types

import errorsmod "cosmossdk.io/errors"

// Registered errors of x/curation. Codes are never renumbered.
var (
	// ErrInvalidParams: params fail validation.
	ErrInvalidParams = errorsmod.Register(ModuleName, 2, "invalid curation params")
	// ErrInvalidGenesis: genesis fails validation.
	ErrInvalidGenesis = errorsmod.Register(ModuleName, 3, "invalid curation genesis")
	// ErrInvalidAddress: a malformed address.
	ErrInvalidAddress = errorsmod.Register(ModuleName, 4, "invalid address; use a bech32 bai... account address")
	// ErrInvalidAmount: a zero, negative, malformed or non-ubai amount.
	ErrInvalidAmount = errorsmod.Register(ModuleName, 5, "invalid amount; it must be a positive ubai amount")
	// ErrBondTooSmall: a bond below min_curator_bond.
	ErrBondTooSmall = errorsmod.Register(ModuleName, 6, "curator bond below min_curator_bond")
	// ErrNotCurator: the signer holds no (or too small a) curator bond.
	ErrNotCurator = errorsmod.Register(ModuleName, 7, "signer is not a bonded curator with at least min_curator_bond")
	// ErrInsufficientBond: unbonding more than the bond.
	ErrInsufficientBond = errorsmod.Register(ModuleName, 8, "unbond amount exceeds the bond")
	// ErrCommitmentPending: unbonding while a commitment waits for its reveal.
	ErrCommitmentPending = errorsmod.Register(ModuleName, 9, "a commitment is waiting for its reveal; reveal (or let the epoch end) before unbonding")
	// ErrNoEpoch: no epoch has started yet.
	ErrNoEpoch = errorsmod.Register(ModuleName, 10, "no scoring epoch has started yet")
	// ErrWrongEpoch: the message names an epoch other than the current one.
	ErrWrongEpoch = errorsmod.Register(ModuleName, 11, "wrong epoch; query the current epoch with `baid q curation epoch`")
	// ErrWrongPhase: commit outside the commit phase or reveal outside the reveal phase.
	ErrWrongPhase = errorsmod.Register(ModuleName, 12, "wrong epoch phase")
	// ErrAlreadyCommitted: a second commitment in one epoch.
	ErrAlreadyCommitted = errorsmod.Register(ModuleName, 13, "curator already committed this epoch")
	// ErrInvalidCommitment: not 64 lowercase hex digits.
	ErrInvalidCommitment = errorsmod.Register(ModuleName, 14, "invalid commitment; use the lowercase hex SHA-256 (64 digits) of \"<curator>|<chain_id>|<salt>|<epoch>|<id>:<score>,...\"")
	// ErrNoCommitment: a reveal without a commitment.
	ErrNoCommitment = errorsmod.Register(ModuleName, 15, "no commitment for this curator and epoch")
	// ErrAlreadyRevealed: a second reveal.
	ErrAlreadyRevealed = errorsmod.Register(ModuleName, 16, "scores already revealed this epoch")
	// ErrCommitmentMismatch: the reveal does not hash to the commitment.
	ErrCommitmentMismatch = errorsmod.Register(ModuleName, 17, "revealed salt and scores do not match the commitment")
	// ErrInvalidScores: empty, too many, duplicate or out-of-range scores.
	ErrInvalidScores = errorsmod.Register(ModuleName, 18, "invalid scores")
	// ErrInvalidSalt: empty, too long or containing '|'.
	ErrInvalidSalt = errorsmod.Register(ModuleName, 19, "invalid salt; use 1-128 bytes without '|'")
	// ErrOwnListing: a curator scoring (or voting on a flag of) its own listing.
	ErrOwnListing = errorsmod.Register(ModuleName, 20, "curators cannot score or judge their own listings")
	// Code 21 is not used: it refused a reveal scoring a listing not ACTIVE since before the
	// epoch; such a score is now skipped.
	// ErrListingNotFlaggable: flagging a listing that is RETIRED or SUSPENDED.
	ErrListingNotFlaggable = errorsmod.Register(ModuleName, 22, "listing cannot be flagged; only ACTIVE, PAUSED or RETIRING listings can")
	// Code 23 is not used: it refused a second open flag on a listing, which is now allowed.
	// ErrInvalidFlag: bad reason or evidence CID.
	ErrInvalidFlag = errorsmod.Register(ModuleName, 24, "invalid flag")
	// ErrDepositTooSmall: a deposit below min_flag_deposit.
	ErrDepositTooSmall = errorsmod.Register(ModuleName, 25, "flag deposit below min_flag_deposit")
	// ErrFlagNotFound: no flag with that id.
	ErrFlagNotFound = errorsmod.Register(ModuleName, 26, "flag not found")
	// ErrFlagClosed: voting on a flag that is resolved or past its voting end.
	ErrFlagClosed = errorsmod.Register(ModuleName, 27, "flag voting is closed")
	// ErrAlreadyVoted: a second vote by a curator.
	ErrAlreadyVoted = errorsmod.Register(ModuleName, 28, "curator already voted on this flag")
	// ErrInvariantBroken: the accounting invariant does not hold.
	ErrInvariantBroken = errorsmod.Register(ModuleName, 29, "curation accounting invariant broken")
	// ErrNoVotingWeight: voting on a flag opened before the curator bonded.
	ErrNoVotingWeight = errorsmod.Register(ModuleName, 30, "no voting weight: only curators bonded before the block in which the vote opened may vote")
	// ErrEpochNotCompleted: releasing the results of an epoch that is not completed (or already released).
	ErrEpochNotCompleted = errorsmod.Register(ModuleName, 31, "epoch results not completed")
)
