package types_test

import (
	"math/big"
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/balanceai/balanceai/x/access/types"
	mkt "github.com/balanceai/balanceai/x/marketplace/types"
)

func listing(status mkt.ListingStatus, mode mkt.AccessMode, minStake int64, rpd uint64) *mkt.Listing {
	return &mkt.Listing{Status: status, Access: mkt.AccessPolicy{MinStake: math.NewInt(minStake), RequestsPerDay: rpd, Mode: mode}}
}

// The quota is requests_per_day × floor(stake / min_stake), saturating, checked against big
// integer arithmetic.
func TestQuotaProperty(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		rpd := rapid.Uint64().Draw(rt, "rpd")
		minStake := rapid.Int64Range(0, 1<<62).Draw(rt, "min")
		stakeHi := rapid.Uint64().Draw(rt, "stakeHi")
		stakeLo := rapid.Uint64().Draw(rt, "stakeLo")
		stakeBig := new(big.Int).Lsh(new(big.Int).SetUint64(stakeHi), uint(rapid.IntRange(0, 64).Draw(rt, "shift")))
		stakeBig.Add(stakeBig, new(big.Int).SetUint64(stakeLo))
		stake := math.NewIntFromBigInt(stakeBig)
		policy := mkt.AccessPolicy{MinStake: math.NewInt(minStake), RequestsPerDay: rpd, Mode: mkt.AccessModePublic}

		quota, unlimited := types.Quota(policy, stake)
		if rpd == 0 {
			require.True(rt, unlimited)
			require.Zero(rt, quota)
			return
		}
		require.False(rt, unlimited)
		var want *big.Int
		switch {
		case minStake == 0:
			want = new(big.Int).SetUint64(rpd)
		default:
			units := new(big.Int).Quo(stakeBig, big.NewInt(minStake))
			want = new(big.Int).Mul(units, new(big.Int).SetUint64(rpd))
		}
		maxU := new(big.Int).SetUint64(^uint64(0))
		if want.Cmp(maxU) > 0 {
			want = maxU
		}
		require.Equal(rt, want.Uint64(), quota)
	})
}

// Decide: allowed exactly when every rule passes, and the reason is the first failing rule.
func TestDecideProperty(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		found := rapid.Bool().Draw(rt, "found")
		status := mkt.ListingStatus(rapid.IntRange(1, 5).Draw(rt, "status"))
		mode := mkt.AccessMode(rapid.IntRange(1, 2).Draw(rt, "mode"))
		minStake := rapid.Int64Range(0, 1000).Draw(rt, "min")
		rpd := rapid.Uint64Range(0, 10).Draw(rt, "rpd")
		stake := rapid.Int64Range(0, 5000).Draw(rt, "stake")
		onList := rapid.Bool().Draw(rt, "onList")
		used := rapid.Uint64Range(0, 100).Draw(rt, "used")
		var l *mkt.Listing
		if found {
			l = listing(status, mode, minStake, rpd)
		}
		d := types.Decide(l, math.NewInt(stake), onList, used)
		require.Equal(rt, d.Allowed, d.Reason == types.ReasonNone)
		require.Contains(rt, types.Reasons, d.Reason)
		var want string
		switch {
		case !found:
			want = types.ReasonListingNotFound
		case status != mkt.ListingStatusActive:
			want = types.ReasonListingNotActive
		case mode == mkt.AccessModeAllowlist && !onList:
			want = types.ReasonNotOnAllowlist
		case stake < minStake:
			want = types.ReasonStakeBelowMinimum
		case rpd != 0 && minStake == 0 && used >= rpd:
			want = types.ReasonQuotaExhausted
		case rpd != 0 && minStake > 0 && used >= rpd*uint64(stake/minStake):
			want = types.ReasonQuotaExhausted
		}
		require.Equal(rt, want, d.Reason)
	})
}

func TestDayOf(t *testing.T) {
	require.Equal(t, int64(0), types.DayOf(0))
	require.Equal(t, int64(0), types.DayOf(86399))
	require.Equal(t, int64(1), types.DayOf(86400))
	require.Equal(t, int64(-1), types.DayOf(-1))
}

// TestUsageAddSaturates: counters stop at 2^64-1 instead of failing, so one huge record can
// never make every later record of a listing fail.
func TestUsageAddSaturates(t *testing.T) {
	maxU := ^uint64(0)
	require.Equal(t, types.Usage{Requests: maxU, Units: 2}, types.Usage{Requests: maxU, Units: 1}.Add(types.Usage{Requests: 1, Units: 1}))
	require.Equal(t, types.Usage{Requests: 1, Units: maxU}, types.Usage{Units: maxU}.Add(types.Usage{Requests: 1, Units: maxU}))
	require.Equal(t, types.Usage{Requests: 4, Units: 6}, types.Usage{Requests: 1, Units: 2}.Add(types.Usage{Requests: 3, Units: 4}))
	require.Equal(t, maxU, types.SaturatingAdd(maxU-1, 1))
	require.Equal(t, maxU, types.SaturatingAdd(maxU-1, 2))
	require.Equal(t, uint64(5), types.SaturatingAdd(2, 3))
}

func TestParamsValidate(t *testing.T) {
	require.NoError(t, types.DefaultParams().Validate())
	require.Equal(t, uint64(1_000_000), types.DefaultParams().MaxUnitsPerRecord)
	unbounded := types.DefaultParams()
	unbounded.MaxUnitsPerRecord = ^uint64(0)
	require.NoError(t, unbounded.Validate())
	cases := map[string]func(p *types.Params){
		"max_operators 0":            func(p *types.Params) { p.MaxOperators = 0 },
		"max_operators too big":      func(p *types.Params) { p.MaxOperators = types.MaxMaxOperators + 1 },
		"max_allowlist_update 0":     func(p *types.Params) { p.MaxAllowlistUpdate = 0 },
		"max_receipts_per_msg 0":     func(p *types.Params) { p.MaxReceiptsPerMsg = 0 },
		"max_receipts_per_msg big":   func(p *types.Params) { p.MaxReceiptsPerMsg = types.MaxMaxReceiptsPerMsg + 1 },
		"retention below a day":      func(p *types.Params) { p.ReceiptRetention = types.MinReceiptRetention - 1e9 },
		"retention above a year":     func(p *types.Params) { p.ReceiptRetention = types.MaxReceiptRetention + 1e9 },
		"retention fractional":       func(p *types.Params) { p.ReceiptRetention += 1 },
		"max_prunes_per_block 0":     func(p *types.Params) { p.MaxPrunesPerBlock = 0 },
		"max_prunes_per_block large": func(p *types.Params) { p.MaxPrunesPerBlock = types.MaxMaxPrunesPerBlock + 1 },
		"max_units_per_record 0":     func(p *types.Params) { p.MaxUnitsPerRecord = 0 },
	}
	for name, mut := range cases {
		t.Run(name, func(t *testing.T) {
			p := types.DefaultParams()
			mut(&p)
			require.ErrorIs(t, p.Validate(), types.ErrInvalidParams)
		})
	}
}
