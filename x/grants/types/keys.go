package types

import (
	"fmt"

	"cosmossdk.io/collections"

	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

const (
	// ModuleName is the module name; it is also the name of the grants module account, which
	// holds the deposits of grants in voting and the credited, unclaimed epoch rewards. It
	// needs no permissions.
	ModuleName = "grants"
	// StoreKey is the store key of the module.
	StoreKey = ModuleName

	// MaxMilestones is the largest number of milestones of one grant.
	MaxMilestones = 5
	// MaxTitleLength bounds a grant title.
	MaxTitleLength = 140
	// MaxDescriptionLength bounds a milestone description.
	MaxDescriptionLength = 1024
	// MaxCIDLength bounds a CID: an identity-hash CID could otherwise carry arbitrary data.
	MaxCIDLength = 128
)

var (
	// ParamsKey holds the Params.
	ParamsKey = collections.NewPrefix(0)
	// FundStatesKey holds the per-fund bookkeeping by fund.
	FundStatesKey = collections.NewPrefix(1)
	// RewardsKey holds claimable rewards by (owner, fund).
	RewardsKey = collections.NewPrefix(2)
	// GrantSeqKey holds the next grant id.
	GrantSeqKey = collections.NewPrefix(3)
	// GrantsKey holds grants by id.
	GrantsKey = collections.NewPrefix(4)
	// GrantsByStatusKey indexes grants by (status, id).
	GrantsByStatusKey = collections.NewPrefix(5)
	// GrantsByApplicantKey indexes grants by (applicant, id).
	GrantsByApplicantKey = collections.NewPrefix(6)
	// VotesKey holds votes by (grant id, curator).
	VotesKey = collections.NewPrefix(7)
	// VotingQueueKey holds VOTING grants as (voting end unix seconds, grant id).
	VotingQueueKey = collections.NewPrefix(8)
	// ReviewsKey holds milestone reviews by (grant id, milestone index, curator).
	ReviewsKey = collections.NewPrefix(9)
	// ReviewQueueKey holds grants with a milestone in review as (review end unix seconds, grant id).
	ReviewQueueKey = collections.NewPrefix(10)
	// LastRewardedEpochKey holds the last curation epoch paid out, so no epoch is paid twice.
	LastRewardedEpochKey = collections.NewPrefix(11)
	// PayoutKey holds the epoch reward payout in progress.
	PayoutKey = collections.NewPrefix(12)
	// PayoutEntriesKey holds the payout's entries not credited yet, by id.
	PayoutEntriesKey = collections.NewPrefix(13)
)

// AllFunds lists the funds in their canonical order.
var AllFunds = []GrantFund{GrantFundModels, GrantFundAgents}

// Validate checks that f names a fund.
func (f GrantFund) Validate() error {
	switch f {
	case GrantFundModels, GrantFundAgents:
		return nil
	default:
		return fmt.Errorf("fund must be GRANT_FUND_MODELS or GRANT_FUND_AGENTS, got %s", f)
	}
}

// ListingKind returns the marketplace kind the fund rewards and grants. Which module account
// holds the fund of a kind is the app's choice, passed to the keeper (marketplacetypes.GrantFunds).
func (f GrantFund) ListingKind() marketplacetypes.ListingKind {
	switch f {
	case GrantFundModels:
		return marketplacetypes.ListingKindModel
	case GrantFundAgents:
		return marketplacetypes.ListingKindAgent
	default:
		return marketplacetypes.ListingKindUnspecified
	}
}
