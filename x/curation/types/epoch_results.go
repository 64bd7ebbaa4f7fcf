package types

import (
	"cosmossdk.io/math"

	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// EpochResults are what a completed scoring epoch leaves for other modules to read
// (Keeper.EpochResults; x/grants pays epoch rewards from them).
type EpochResults struct {
	// Epoch is the finalised epoch number.
	Epoch uint64
	// Listings are the listings that reached min_curators_per_listing, by listing id.
	Listings []ListingEpochResult
	// Curators are the curators that revealed, by address bytes.
	Curators []CuratorEpochResult
}

// ListingEpochResult is one listing's outcome of an epoch.
type ListingEpochResult struct {
	// ListingID is the listing.
	ListingID uint64
	// Kind is the listing kind (MODEL or AGENT), which picks the grant fund.
	Kind marketplacetypes.ListingKind
	// EpochScore is the bond-weighted (lower) median of the epoch's revealed scores, 0-100.
	EpochScore uint32
	// CurationScore is the listing's curation_score (EMA) after this epoch, in [0, 100].
	CurationScore math.LegacyDec
	// Curators is the number of revealed scores behind EpochScore.
	Curators uint32
	// Weight (ubai) is the stake that agreed with EpochScore: the reward weights (each reveal's
	// weight divided by the scores it recorded) of the scores within agreement_band of it.
	Weight math.Int
}

// CuratorEpochResult is one revealing curator's outcome of an epoch.
type CuratorEpochResult struct {
	// Address is the curator's bech32 account address.
	Address string
	// Weight is the weight of its reveal, min(bond at commit, bond at reveal), in ubai.
	Weight math.Int
	// Agreement is the share of its consensus-reaching scores within agreement_band (0 when none).
	Agreement math.LegacyDec
	// Reputation is the curator's reputation after this epoch, in [0, 1].
	Reputation math.LegacyDec
	// Scored counts the curator's scores on listings that reached a consensus.
	Scored uint32
}
