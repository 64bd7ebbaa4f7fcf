package keeper_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	curationtypes "github.com/balanceai/balanceai/x/curation/types"
	mkt "github.com/balanceai/balanceai/x/marketplace/types"
)

// BenchmarkEpochPayout measures one epoch payout, through the EndBlocker over as many blocks as
// max_queue_items_per_block needs, over a store with the given numbers of scored listings (half
// MODEL, half AGENT, scores 0-100, so about half qualify) and revealing curators. The work is
// O(listings + curators): the time per listing stays flat as the sizes grow, and blocks/op
// grows with them while the time a block (ns/block) stays bounded by the budget.
func BenchmarkEpochPayout(b *testing.B) {
	for _, size := range []struct{ listings, curators int }{{10, 3}, {100, 30}, {1000, 100}, {4000, 300}} {
		b.Run(fmt.Sprintf("listings=%d/curators=%d", size.listings, size.curators), func(b *testing.B) {
			f := newFixture(b)
			var res curationtypes.EpochResults
			for i := 1; i <= size.listings; i++ {
				kind := mkt.ListingKindModel
				if i%2 == 0 {
					kind = mkt.ListingKindAgent
				}
				f.addListing(uint64(i), kind, addr(fmt.Sprintf("owner%d", i)), mkt.ListingStatusActive)
				res.Listings = append(res.Listings, listingResult(uint64(i), kind, uint32(i*37%101)))
			}
			for i := 0; i < size.curators; i++ {
				res.Curators = append(res.Curators, curatorResult(addr(fmt.Sprintf("curator%d", i)), int64(10_000_000_000+i), "0.75"))
			}
			f.fund(modelsFund, 1_000_000_000_000_000)
			f.fund(agentsFund, 1_000_000_000_000_000)
			b.ReportAllocs()
			b.ResetTimer()
			blocks := 0
			for i := 0; i < b.N; i++ {
				// Each iteration pays a new epoch into the same store (credits accumulate), in as
				// many blocks as the budget needs.
				res.Epoch = uint64(i + 1)
				f.curation.CompleteEpoch(res)
				for inProgress := true; inProgress || len(f.curation.Completed) > 0; blocks++ {
					require.NoError(b, f.k.EndBlocker(f.ctx))
					var err error
					inProgress, err = f.k.Payout.Has(f.ctx)
					require.NoError(b, err)
				}
			}
			b.StopTimer()
			require.NoError(b, f.k.CheckInvariants(f.ctx))
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(size.listings+size.curators), "ns/recipient")
			b.ReportMetric(float64(blocks)/float64(b.N), "blocks/op")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(blocks), "ns/block")
		})
	}
}
