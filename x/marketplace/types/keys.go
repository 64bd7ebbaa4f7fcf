package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the name of the marketplace module; also its module account name.
	ModuleName = "marketplace"

	// StoreKey is the KV store key of the module.
	StoreKey = ModuleName

	// CollateralDenom is the only denom accepted as collateral and fee.
	CollateralDenom = "ubai"
)

var (
	// ParamsKey holds the module Params.
	ParamsKey = collections.NewPrefix(0)
	// ListingSeqKey holds the sequence the next listing id is drawn from.
	ListingSeqKey = collections.NewPrefix(1)
	// ListingsKey holds listings by id.
	ListingsKey = collections.NewPrefix(2)
	// ListingsByOwnerKey indexes listings by (owner, id).
	ListingsByOwnerKey = collections.NewPrefix(3)
	// ListingsByStatusKey indexes listings by (status, id).
	ListingsByStatusKey = collections.NewPrefix(4)
	// ListingsByKindKey indexes listings by (kind, id).
	ListingsByKindKey = collections.NewPrefix(5)
	// ListingsByTaskKey indexes listings by (task, id).
	ListingsByTaskKey = collections.NewPrefix(6)
	// ListingsByTagKey indexes listings by (tag, id); one entry per tag.
	ListingsByTagKey = collections.NewPrefix(7)
	// UnlockQueueKey orders pending collateral returns by (unlock unix seconds, id).
	UnlockQueueKey = collections.NewPrefix(8)
	// CountsKey counts listings by (kind, status).
	CountsKey = collections.NewPrefix(9)
	// OwnerLiveCountKey counts each owner's live (not RETIRED) listings.
	OwnerLiveCountKey = collections.NewPrefix(10)
	// TotalLockedKey holds the total collateral (ubai) held for listings not yet returned.
	TotalLockedKey = collections.NewPrefix(11)
	// BurnedRegistrationFeesKey holds the cumulative ubai burned as registration fees.
	BurnedRegistrationFeesKey = collections.NewPrefix(12)
	// BurnedSlashesKey holds the cumulative ubai of slashed collateral that was burned.
	BurnedSlashesKey = collections.NewPrefix(13)
	// HoldsKey counts the open holds (flags, slash proposals) on each listing's collateral.
	HoldsKey = collections.NewPrefix(14)
	// ProposalHoldsKey holds the collateral at submission of each (proposal, listing) a
	// pending governance slash proposal holds.
	ProposalHoldsKey = collections.NewPrefix(15)
	// ProposalHoldsByListingKey indexes ProposalHolds by (listing, proposal).
	ProposalHoldsByListingKey = collections.NewPrefix(16)
	// ProposalHoldCursorKey holds the proposal id the sweep of ended proposals resumes at.
	ProposalHoldCursorKey = collections.NewPrefix(17)
	// StatusHistoryKey holds each listing's status changes: (listing id, time) → status.
	StatusHistoryKey = collections.NewPrefix(18)
)
