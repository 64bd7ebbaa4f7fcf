package simutil

import (
	"context"
	"math/rand"

	"github.com/cosmos/cosmos-sdk/testutil/simsx"

	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// ListingSource reads marketplace listings (the marketplace keeper).
type ListingSource interface {
	GetListing(ctx context.Context, id uint64) (marketplacetypes.Listing, error)
}

// lastListingID returns the highest listing id (0 when there is none). Listing ids are dense
// from 1 and listings are never deleted, so a binary search over GetListing finds it in a
// few reads however many listings exist.
func lastListingID(ctx context.Context, src ListingSource) uint64 {
	exists := func(id uint64) bool { _, err := src.GetListing(ctx, id); return err == nil }
	if !exists(1) {
		return 0
	}
	hi := uint64(2)
	for exists(hi) {
		hi *= 2
	}
	lo := hi / 2 // exists(lo), !exists(hi)
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if exists(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// PickListing returns a random listing for which accept holds, trying up to ten random ids;
// ok is false when none of them matched.
func PickListing(ctx context.Context, src ListingSource, r *rand.Rand, accept func(marketplacetypes.Listing) bool) (l marketplacetypes.Listing, ok bool) {
	last := lastListingID(ctx, src)
	if last == 0 {
		return l, false
	}
	for try := 0; try < 10; try++ {
		l, err := src.GetListing(ctx, 1+uint64(r.Int63n(int64(last))))
		if err == nil && accept(l) {
			return l, true
		}
	}
	return l, false
}

// PickOwnedListing returns a random listing owned by a simulation account for which accept
// holds, and that account; it skips the operation when none is found.
func PickOwnedListing(ctx context.Context, src ListingSource, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter,
	accept func(marketplacetypes.Listing) bool,
) (marketplacetypes.Listing, simsx.SimAccount) {
	l, ok := PickListing(ctx, src, testData.Rand().Rand, func(l marketplacetypes.Listing) bool {
		return testData.HasAccount(l.Owner) && accept(l)
	})
	if !ok {
		reporter.Skip("no matching listing found")
		return l, simsx.SimAccount{}
	}
	return l, testData.GetAccount(reporter, l.Owner)
}

// HasStatus accepts listings in one of the given states.
func HasStatus(statuses ...marketplacetypes.ListingStatus) func(marketplacetypes.Listing) bool {
	return func(l marketplacetypes.Listing) bool {
		for _, s := range statuses {
			if l.Status == s {
				return true
			}
		}
		return false
	}
}

// AnyListing accepts every listing.
func AnyListing(marketplacetypes.Listing) bool { return true }
