package types

import (
	"math/bits"

	"cosmossdk.io/math"

	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// The CheckAccess reason vocabulary. Clients match on these exact strings; they are checked
// in this order and the first that applies is reported.
const (
	// ReasonNone: the user is allowed.
	ReasonNone = ""
	// ReasonListingNotFound: no listing has the id.
	ReasonListingNotFound = "listing not found"
	// ReasonListingNotActive: the listing is PAUSED, RETIRING, RETIRED or SUSPENDED.
	ReasonListingNotActive = "listing not active"
	// ReasonNotOnAllowlist: the listing is in ALLOWLIST mode and the user is not on it.
	ReasonNotOnAllowlist = "not on allowlist"
	// ReasonStakeBelowMinimum: the user's eligible stake is below the listing's min_stake.
	ReasonStakeBelowMinimum = "stake below minimum"
	// ReasonQuotaExhausted: the user used the whole daily quota of the current UTC day.
	ReasonQuotaExhausted = "quota exhausted"
)

// Reasons lists the vocabulary, for documentation and tests.
var Reasons = []string{
	ReasonNone, ReasonListingNotFound, ReasonListingNotActive,
	ReasonNotOnAllowlist, ReasonStakeBelowMinimum, ReasonQuotaExhausted,
}

// Decision is the outcome of an access check.
type Decision struct {
	// Allowed is true when one more request may be served now.
	Allowed bool
	// Reason is empty when allowed, else one of the Reason* constants.
	Reason string
	// Stake is the user's eligible stake.
	Stake math.Int
	// RequiredStake is the listing's min_stake.
	RequiredStake math.Int
	// Quota is the daily quota; 0 when Unlimited or when the user is not eligible.
	Quota uint64
	// Unlimited is true when requests_per_day is 0.
	Unlimited bool
	// UsedToday is the requests already counted today.
	UsedToday uint64
}

// Quota computes requests_per_day × floor(stake / min_stake) (requests_per_day when min_stake
// is 0), saturating at MaxUint64. It returns unlimited = true when requests_per_day is 0. The
// caller must have checked stake ≥ min_stake; below the minimum the quota is 0.
func Quota(policy marketplacetypes.AccessPolicy, stake math.Int) (quota uint64, unlimited bool) {
	if policy.RequestsPerDay == 0 {
		return 0, true
	}
	minStake := policy.MinStake
	if minStake.IsNil() || !minStake.IsPositive() {
		return policy.RequestsPerDay, false
	}
	if stake.IsNil() || stake.LT(minStake) {
		return 0, false
	}
	units := stake.Quo(minStake)
	if !units.IsUint64() {
		return ^uint64(0), false
	}
	hi, lo := bits.Mul64(policy.RequestsPerDay, units.Uint64())
	if hi != 0 {
		return ^uint64(0), false
	}
	return lo, false
}

// Decide applies the access rules of docs/spec/access.md to a listing (nil = not found), the user's
// eligible stake, whether the user is on the listing's allowlist, and the requests already
// used in the current UTC day. It is pure: CheckAccess and MsgRecordUsage both use it, the
// latter with used counting the earlier records of the same message.
func Decide(listing *marketplacetypes.Listing, stake math.Int, onAllowlist bool, used uint64) Decision {
	d := Decision{Stake: stake, RequiredStake: math.ZeroInt(), UsedToday: used}
	if d.Stake.IsNil() {
		d.Stake = math.ZeroInt()
	}
	if listing == nil {
		d.Reason = ReasonListingNotFound
		return d
	}
	policy := listing.Access
	if !policy.MinStake.IsNil() {
		d.RequiredStake = policy.MinStake
	}
	_, d.Unlimited = Quota(policy, d.Stake)
	if listing.Status != marketplacetypes.ListingStatusActive {
		d.Reason = ReasonListingNotActive
		return d
	}
	if policy.Mode == marketplacetypes.AccessModeAllowlist && !onAllowlist {
		d.Reason = ReasonNotOnAllowlist
		return d
	}
	if d.Stake.LT(d.RequiredStake) {
		d.Reason = ReasonStakeBelowMinimum
		return d
	}
	d.Quota, d.Unlimited = Quota(policy, d.Stake)
	if !d.Unlimited && used >= d.Quota {
		d.Reason = ReasonQuotaExhausted
		return d
	}
	d.Allowed = true
	return d
}

// DayOf returns the UTC day number of a unix time in seconds (floor division, so times
// before 1970 still map to the day they fall in).
func DayOf(unix int64) int64 {
	d := unix / SecondsPerDay
	if unix%SecondsPerDay < 0 {
		d--
	}
	return d
}

// Add returns u + o with each counter saturating at 2^64-1: a statistic that reached the
// ceiling stays there, and recording usage never fails because of it.
func (u Usage) Add(o Usage) Usage {
	return Usage{Requests: SaturatingAdd(u.Requests, o.Requests), Units: SaturatingAdd(u.Units, o.Units)}
}

// SaturatingAdd returns a + b, or 2^64-1 when the sum would overflow.
func SaturatingAdd(a, b uint64) uint64 {
	sum, carry := bits.Add64(a, b, 0)
	if carry != 0 {
		return ^uint64(0)
	}
	return sum
}
