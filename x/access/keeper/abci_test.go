package keeper_test

import (
	"testing"
	"time"

	"cosmossdk.io/collections"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/access/types"
)

// blockStake is enough stake for any fixture listing.
var blockStake = bai(1000)

type collTriple = collections.Triple[int64, uint64, sdk.AccAddress]

func receiptIDs(t *testing.T, f *fixture) []uint64 {
	t.Helper()
	var ids []uint64
	require.NoError(t, f.k.Receipts.Walk(f.ctx, nil, func(id uint64, _ types.Receipt) (bool, error) {
		ids = append(ids, id)
		return false, nil
	}))
	return ids
}

// TestPruningGoesByIDNeverEarly: receipts are pruned lowest id first. A receipt recorded at an
// earlier time than a lower id (a restart from an export with an earlier genesis time) waits
// for that id: pruned late, never before it is due.
func TestPruningGoesByIDNeverEarly(t *testing.T) {
	f := newFixture(t)
	user := f.users[0]
	f.sk.Delegate(user, blockStake)
	t0 := blockTime
	f.at(t0.Add(time.Hour))
	_, err := f.record(lUnlimited, rec(user, 1)) // id 1, at t0+1h
	require.NoError(t, err)
	f.at(t0)
	_, err = f.record(lUnlimited, rec(user, 1)) // id 2, at t0
	require.NoError(t, err)

	retention := types.DefaultReceiptRetention
	f.at(t0.Add(retention))
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, []uint64{1, 2}, receiptIDs(t, f), "id 2 is due but waits for id 1")
	f.at(t0.Add(time.Hour + retention - time.Second))
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, []uint64{1, 2}, receiptIDs(t, f), "id 1 is not due yet")
	f.at(t0.Add(time.Hour + retention))
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Empty(t, receiptIDs(t, f))
	f.requireInvariant(t)
}

func TestPruningBoundedAndExact(t *testing.T) {
	f := newFixture(t)
	f.setParams(t, func(p *types.Params) { p.MaxPrunesPerBlock = 3 })
	user := f.users[0]
	f.sk.Delegate(user, blockStake)

	// 7 receipts at t0 (ids 1-7), 2 at t0+1h (ids 8-9).
	t0 := blockTime
	recs := make([]types.UsageRecord, 7)
	for i := range recs {
		recs[i] = rec(user, 1)
	}
	_, err := f.record(lUnlimited, recs...)
	require.NoError(t, err)
	f.at(t0.Add(time.Hour))
	_, err = f.record(lUnlimited, rec(user, 1), rec(user, 1))
	require.NoError(t, err)

	retention := types.DefaultReceiptRetention
	// One second before expiry nothing goes.
	f.at(t0.Add(retention - time.Second))
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Len(t, receiptIDs(t, f), 9)

	// At expiry: 3 per block, oldest first, and never the later ones.
	f.at(t0.Add(retention))
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, []uint64{4, 5, 6, 7, 8, 9}, receiptIDs(t, f))
	require.Equal(t, 1, f.countEvents("balanceai.access.v1.EventReceiptsPruned"))
	f.at(t0.Add(retention + time.Second))
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, []uint64{7, 8, 9}, receiptIDs(t, f))
	f.at(t0.Add(retention + 2*time.Second))
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, []uint64{8, 9}, receiptIDs(t, f), "only the expired receipt goes")
	f.at(t0.Add(retention + 3*time.Second))
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, []uint64{8, 9}, receiptIDs(t, f))
	require.Zero(t, f.countEvents("balanceai.access.v1.EventReceiptsPruned"))
	f.requireInvariant(t)

	// The indexes follow the receipts.
	byListing, err := f.query.UsageByListing(f.ctx, &types.QueryUsageByListingRequest{ListingId: lUnlimited})
	require.NoError(t, err)
	require.Len(t, byListing.Receipts, 2)
	require.Equal(t, uint64(9), byListing.Totals.Requests, "totals are all-time")

	f.at(t0.Add(time.Hour + retention))
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Empty(t, receiptIDs(t, f))
	f.requireInvariant(t)
}

func TestPruneDayCountersBounded(t *testing.T) {
	f := newFixture(t)
	f.setParams(t, func(p *types.Params) { p.MaxPrunesPerBlock = 2 })
	for _, u := range f.users {
		f.sk.Delegate(u, blockStake)
		_, err := f.record(lUnlimited, rec(u, 1))
		require.NoError(t, err)
	}
	countDays := func() int {
		n := 0
		require.NoError(t, f.k.DailyUsage.Walk(f.ctx, nil, func(_ collTriple, _ types.Usage) (bool, error) { n++; return false, nil }))
		return n
	}
	require.Equal(t, 4, countDays())
	// Same day: nothing to prune.
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, 4, countDays())

	f.at(blockTime.Add(24 * time.Hour))
	_, err := f.record(lUnlimited, rec(f.users[0], 1)) // today's counter stays
	require.NoError(t, err)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, 3, countDays())
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, 1, countDays())
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, 1, countDays())
	require.Equal(t, uint64(1), f.check(t, lUnlimited, f.users[0]).UsedToday)
}
