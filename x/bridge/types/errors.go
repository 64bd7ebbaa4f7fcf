package types

import errorsmod "cosmossdk.io/errors"

// Registered errors of x/bridge. Codes are never renumbered.
var (
	// ErrInvalidParams: params fail validation.
	ErrInvalidParams = errorsmod.Register(ModuleName, 2, "invalid bridge params")
	// ErrBridgeDisabled: the bridge is not enabled by governance.
	ErrBridgeDisabled = errorsmod.Register(ModuleName, 3, "bridge is disabled; governance must set enabled=true with attesters")
	// ErrBridgePaused: the bridge is paused.
	ErrBridgePaused = errorsmod.Register(ModuleName, 4, "bridge is paused; only governance can unpause it")
	// ErrInvalidEthAddress: a malformed or wrongly checksummed Ethereum address.
	ErrInvalidEthAddress = errorsmod.Register(ModuleName, 5, "invalid Ethereum address; use 0x + 40 hex digits, all lowercase or with a correct EIP-55 checksum")
	// ErrInvalidEthTxHash: a malformed Ethereum transaction hash.
	ErrInvalidEthTxHash = errorsmod.Register(ModuleName, 6, "invalid Ethereum transaction hash; use 0x + 64 hex digits")
	// ErrInvalidDenom: a coin other than ubai.
	ErrInvalidDenom = errorsmod.Register(ModuleName, 7, "invalid denom; the bridge only moves ubai")
	// ErrInvalidAmount: a zero, negative or malformed amount.
	ErrInvalidAmount = errorsmod.Register(ModuleName, 8, "invalid amount; it must be a positive integer")
	// ErrAmountOutOfRange: outside [min_transfer, max_transfer].
	ErrAmountOutOfRange = errorsmod.Register(ModuleName, 9, "amount outside the transfer limits")
	// ErrDailyLimit: the daily limit would be exceeded.
	ErrDailyLimit = errorsmod.Register(ModuleName, 10, "daily bridge limit exceeded; retry after 00:00 UTC or with a smaller amount")
	// ErrNotAttester: the signer is not in params.attesters.
	ErrNotAttester = errorsmod.Register(ModuleName, 11, "signer is not a bridge attester")
	// ErrDuplicateVote: the attester already voted.
	ErrDuplicateVote = errorsmod.Register(ModuleName, 12, "attester already voted")
	// ErrTransferNotFound: no outbound transfer with that nonce.
	ErrTransferNotFound = errorsmod.Register(ModuleName, 13, "outbound transfer not found")
	// ErrTransferFinalized: the outbound transfer is already completed or refunded.
	ErrTransferFinalized = errorsmod.Register(ModuleName, 14, "outbound transfer is already finalised")
	// ErrClaimExecuted: the inbound claim was already executed; replays are refused forever.
	ErrClaimExecuted = errorsmod.Register(ModuleName, 15, "inbound claim already executed")
	// ErrClaimContentMismatch: content differs from the content the threshold agreed on.
	ErrClaimContentMismatch = errorsmod.Register(ModuleName, 16, "attested content differs from the content the attesters agreed on")
	// ErrClaimNotPayable: a retry of a FAILED claim still cannot pay; the claim stays queued.
	ErrClaimNotPayable = errorsmod.Register(ModuleName, 17, "inbound claim cannot be paid yet; it stays queued for retry")
	// ErrInvalidRecipient: a malformed recipient address.
	ErrInvalidRecipient = errorsmod.Register(ModuleName, 18, "invalid recipient address; use a bech32 bai... account address")
	// ErrInvalidSender: a malformed signer address.
	ErrInvalidSender = errorsmod.Register(ModuleName, 19, "invalid signer address")
	// ErrUnpauseNotAllowed: only the authority may unpause.
	ErrUnpauseNotAllowed = errorsmod.Register(ModuleName, 20, "only the governance authority can unpause the bridge")
	// ErrPauseNotAllowed: only attesters and the authority may pause.
	ErrPauseNotAllowed = errorsmod.Register(ModuleName, 21, "only an attester or the governance authority can pause the bridge")
	// ErrInvalidGenesis: genesis state fails validation.
	ErrInvalidGenesis = errorsmod.Register(ModuleName, 22, "invalid bridge genesis")
	// ErrInvariantBroken: the accounting invariant does not hold.
	ErrInvariantBroken = errorsmod.Register(ModuleName, 23, "bridge accounting invariant broken")
	// ErrClaimNotFound: no inbound claim with that id.
	ErrClaimNotFound = errorsmod.Register(ModuleName, 24, "inbound claim not found")
)
