package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module name; it is also the name of the curation module account, which
	// holds the curators' bonds, the unbonding ubai and the open flags' deposits. It needs no
	// mint or burn permission: slashes go to the grant funds by module-to-module sends.
	ModuleName = "curation"
	// StoreKey is the store key of the module.
	StoreKey = ModuleName
	// Denom is the only coin bonded and deposited.
	Denom = "ubai"

	// MaxScore is the highest score a curator can give.
	MaxScore = 100
	// MaxSaltLength bounds the commitment salt.
	MaxSaltLength = 128
	// MaxReasonLength bounds a flag reason (the marketplace accepts slash reasons up to 512 bytes).
	MaxReasonLength = 512
	// MaxCIDLength bounds an evidence CID: an identity-hash CID could otherwise carry arbitrary data.
	MaxCIDLength = 128
)

var (
	// ParamsKey holds the Params.
	ParamsKey = collections.NewPrefix(0)
	// CuratorsKey holds the curators by account address.
	CuratorsKey = collections.NewPrefix(1)
	// TotalBondedKey holds the sum of all curator bonds (the flag quorum's denominator).
	TotalBondedKey = collections.NewPrefix(2)
	// UnbondingsKey holds the unbonding entries by id.
	UnbondingsKey = collections.NewPrefix(3)
	// UnbondingQueueKey holds (completion unix seconds, unbonding id).
	UnbondingQueueKey = collections.NewPrefix(4)
	// UnbondingSeqKey holds the next unbonding id.
	UnbondingSeqKey = collections.NewPrefix(5)
	// EpochStartKey holds the genesis epoch_start (epoch 0's start when set).
	EpochStartKey = collections.NewPrefix(6)
	// CurrentEpochKey holds the running epoch.
	CurrentEpochKey = collections.NewPrefix(7)
	// CommitmentsKey holds commitments by (epoch, curator).
	CommitmentsKey = collections.NewPrefix(8)
	// RevealedScoresKey holds revealed scores by (epoch, listing, curator).
	RevealedScoresKey = collections.NewPrefix(9)
	// EpochListingsKey holds the listings scored per epoch as (epoch, listing) → kind.
	EpochListingsKey = collections.NewPrefix(10)
	// PendingEpochsKey holds the ended epochs whose finalisation is not complete.
	PendingEpochsKey = collections.NewPrefix(11)
	// EpochListingResultsKey holds per-epoch listing results until they are released.
	EpochListingResultsKey = collections.NewPrefix(12)
	// EpochCuratorResultsKey holds per-epoch curator results until they are released.
	EpochCuratorResultsKey = collections.NewPrefix(13)
	// ListingScoresKey holds the listings' curation scores.
	ListingScoresKey = collections.NewPrefix(14)
	// FlagsKey holds the flags by id.
	FlagsKey = collections.NewPrefix(15)
	// FlagsByStatusKey indexes flags by (status, id).
	FlagsByStatusKey = collections.NewPrefix(16)
	// FlagSeqKey holds the next flag id.
	FlagSeqKey = collections.NewPrefix(17)
	// FlagQueueKey holds open flags as (voting end unix seconds, flag id).
	FlagQueueKey = collections.NewPrefix(18)
	// FlagVotesKey holds votes by (flag id, curator).
	FlagVotesKey = collections.NewPrefix(19)
	// Prefix 20 is not used: it held a listing's one open flag when a listing could have only
	// one.
	// BondHistoryKey holds bond checkpoints by (curator, height): the bond at the end of each
	// block in which it changed.
	BondHistoryKey = collections.NewPrefix(21)
	// TotalBondedHistoryKey holds total-bond checkpoints by height.
	TotalBondedHistoryKey = collections.NewPrefix(22)
	// CompletedEpochsKey holds the finalised epochs whose results wait to be collected.
	CompletedEpochsKey = collections.NewPrefix(23)
	// EpochsWithoutRevealKey holds the ended epochs whose reveal phase had no block.
	EpochsWithoutRevealKey = collections.NewPrefix(24)
	// EpochResultCountsKey holds, per epoch being finalised, how many listing and curator
	// results it has stored (for EventEpochFinalized).
	EpochResultCountsKey = collections.NewPrefix(25)
	// FlagsByListingKey indexes flags by (listing id, flag id).
	FlagsByListingKey = collections.NewPrefix(26)
)
