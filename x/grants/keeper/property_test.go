package keeper_test

import (
	"fmt"
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	curationtypes "github.com/balanceai/balanceai/x/curation/types"
	"github.com/balanceai/balanceai/x/grants/types"
	mkt "github.com/balanceai/balanceai/x/marketplace/types"
)

// TestEpochPayoutProperties: for random funds, scores and curators, coins are conserved,
// each fund pays at most ⌊free·share⌋ and loses less than one unit per recipient (plus
// the parts nobody qualified for) to rounding, and the invariants hold.
func TestEpochPayoutProperties(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		f := newFixture(t)
		models := rapid.Int64Range(0, 1_000_000_000_000).Draw(rt, "models")
		agents := rapid.Int64Range(0, 1_000_000_000_000).Draw(rt, "agents")
		f.fund(modelsFund, models)
		f.fund(agentsFund, agents)
		var res curationtypes.EpochResults
		n := rapid.IntRange(0, 20).Draw(rt, "listings")
		for i := 1; i <= n; i++ {
			kind := mkt.ListingKind(rapid.IntRange(1, 2).Draw(rt, "kind"))
			f.addListing(uint64(i), kind, addr(fmt.Sprintf("owner%d", i%5)), mkt.ListingStatusActive)
			res.Listings = append(res.Listings, listingResult(uint64(i), kind, uint32(rapid.IntRange(0, 100).Draw(rt, "score"))))
		}
		c := rapid.IntRange(0, 10).Draw(rt, "curators")
		for i := 0; i < c; i++ {
			rep := math.LegacyNewDecWithPrec(int64(rapid.IntRange(0, 1000).Draw(rt, "rep")), 3)
			res.Curators = append(res.Curators, curationtypes.CuratorEpochResult{
				Address: addr(fmt.Sprintf("cur%d", i)).String(), Weight: math.NewInt(rapid.Int64Range(1, 1_000_000_000).Draw(rt, "w")), Reputation: rep,
				Scored: uint32(rapid.IntRange(0, 3).Draw(rt, "scored")),
			})
		}
		total := f.bank.Total(denom)
		f.pay(1, res)
		require.NoError(t, f.k.CheckInvariants(f.ctx))
		require.Equal(t, total, f.bank.Total(denom))
		for _, fc := range []struct {
			fund  types.GrantFund
			start int64
		}{{types.GrantFundModels, models}, {types.GrantFundAgents, agents}} {
			paid := fc.start - f.bank.Balance(f.k.FundAddress(fc.fund), denom).Int64()
			require.LessOrEqual(t, paid, fc.start/2)
			require.GreaterOrEqual(t, paid, int64(0))
			require.Equal(t, paid, f.fundState(fc.fund).Unclaimed.Int64())
			// Lower bound: each part is paid in full but for < 1 unit per recipient.
			pool := fc.start / 2
			curPool, listPool := pool/10, pool-pool/10
			nCur, nList := int64(0), int64(0)
			for _, cr := range res.Curators {
				if cr.Reputation.IsPositive() && cr.Scored > 0 {
					nCur++
				}
			}
			for _, lr := range res.Listings {
				if lr.EpochScore >= 50 && lr.Kind == fc.fund.ListingKind() {
					nList++
				}
			}
			lower := int64(0)
			if nCur > 0 {
				lower += curPool - nCur
			}
			if nList > 0 {
				lower += listPool - nList
			}
			require.GreaterOrEqual(t, paid, lower)
		}
		require.Equal(t, models+agents-f.bank.Balance(modelsFund, denom).Int64()-f.bank.Balance(agentsFund, denom).Int64(), f.bank.Balance(grantsAcc, denom).Int64())
	})
}
