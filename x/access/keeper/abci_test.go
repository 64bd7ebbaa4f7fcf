package keeper_test

import (
	"testing"
	"time"

	"cosmossdk.io/collections"
	"github.com/stretchr/testify/require"

	abci "github.com/cometbft/cometbft/abci/types"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/access/keeper"
	"github.com/balanceai/balanceai/x/access/types"
)

// blockStake is enough stake for any fixture listing.
var blockStake = bai(1000)

type collTriple = collections.Triple[int64, uint64, sdk.AccAddress]

func receiptIDs(t *testing.T, f *fixture) []uint64 {
	t.Helper()
	var ids []uint64
	require.NoError(t, f.k.ReceiptBatches.Walk(f.ctx, nil, func(_ uint64, b types.ReceiptBatch) (bool, error) {
		for _, r := range keeper.Receipts(b) {
			ids = append(ids, r.Id)
		}
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

// TestPruningBoundedAndExact: a block deletes whole batches, oldest first and only when due,
// up to max_prunes_per_block store entries (a batch, its listing index entry and one entry per
// distinct user); the first due batch always goes, so a batch larger than the bound goes
// alone. The event counts receipts.
func TestPruningBoundedAndExact(t *testing.T) {
	f := newFixture(t)
	f.setParams(t, func(p *types.Params) { p.MaxPrunesPerBlock = 6 })
	user := f.users[0]
	for _, u := range f.users {
		f.sk.Delegate(u, blockStake)
	}

	// Batches at t0: ids 1-3 (3 users: 5 entries), 4, 5 (3 entries each), 6-7 (one user: 3
	// entries); at t0+1h: 8-9.
	t0 := blockTime
	_, err := f.record(lUnlimited, rec(f.users[0], 1), rec(f.users[1], 1), rec(f.users[2], 1))
	require.NoError(t, err)
	_, err = f.record(lUnlimited, rec(user, 1))
	require.NoError(t, err)
	_, err = f.record(lUnlimited, rec(user, 1))
	require.NoError(t, err)
	_, err = f.record(lUnlimited, rec(user, 1), rec(user, 1))
	require.NoError(t, err)
	f.at(t0.Add(time.Hour))
	_, err = f.record(lUnlimited, rec(user, 1), rec(user, 1))
	require.NoError(t, err)

	retention := types.DefaultReceiptRetention
	// One second before expiry nothing goes.
	f.at(t0.Add(retention - time.Second))
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Len(t, receiptIDs(t, f), 9)

	// At expiry: the 3-user batch (5 entries); 4 would make 8 entries.
	f.at(t0.Add(retention))
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, []uint64{4, 5, 6, 7, 8, 9}, receiptIDs(t, f))
	require.Equal(t, []types.EventReceiptsPruned{{Count: 3, LastReceiptId: 3}}, prunedEvents(t, f))
	// Then 4 and 5 (6 entries); 6-7 would make 9.
	f.at(t0.Add(retention + time.Second))
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, []uint64{6, 7, 8, 9}, receiptIDs(t, f))
	require.Equal(t, []types.EventReceiptsPruned{{Count: 2, LastReceiptId: 5}}, prunedEvents(t, f))
	// Then 6-7, and never the batch that is not due.
	f.at(t0.Add(retention + 2*time.Second))
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, []uint64{8, 9}, receiptIDs(t, f), "only the expired batches go")
	require.Equal(t, []types.EventReceiptsPruned{{Count: 2, LastReceiptId: 7}}, prunedEvents(t, f))
	f.at(t0.Add(retention + 3*time.Second))
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, []uint64{8, 9}, receiptIDs(t, f))
	require.Empty(t, prunedEvents(t, f))
	f.requireInvariant(t)

	// The indexes follow the batches.
	byListing, err := f.query.UsageByListing(f.ctx, &types.QueryUsageByListingRequest{ListingId: lUnlimited})
	require.NoError(t, err)
	require.Len(t, byListing.Receipts, 2)
	require.Equal(t, uint64(2), byListing.Pagination.Total)
	require.Equal(t, uint64(9), byListing.Totals.Requests, "totals are all-time")
	byUser, err := f.query.UsageByUser(f.ctx, &types.QueryUsageByUserRequest{ListingId: lUnlimited, User: user.String()})
	require.NoError(t, err)
	require.Len(t, byUser.Receipts, 2)

	empty := true
	f.at(t0.Add(time.Hour + retention))
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Empty(t, receiptIDs(t, f))
	f.requireInvariant(t)
	require.NoError(t, f.k.BatchesByUser.Walk(f.ctx, nil, func(collections.Pair[collections.Pair[uint64, sdk.AccAddress], uint64], uint64) (bool, error) {
		empty = false
		return true, nil
	}))
	require.NoError(t, f.k.BatchesByListing.Walk(f.ctx, nil, func(collections.Pair[uint64, uint64], uint64) (bool, error) {
		empty = false
		return true, nil
	}))
	require.True(t, empty, "no index entry outlives its batch")

	// A batch over the bound goes alone: 5 entries against a bound of 2.
	f.setParams(t, func(p *types.Params) { p.MaxPrunesPerBlock = 2 })
	_, err = f.record(lUnlimited, rec(f.users[0], 1), rec(f.users[1], 1), rec(f.users[2], 1))
	require.NoError(t, err)
	_, err = f.record(lUnlimited, rec(user, 1))
	require.NoError(t, err)
	f.at(f.ctx.BlockTime().Add(retention))
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, []types.EventReceiptsPruned{{Count: 3, LastReceiptId: 12}}, prunedEvents(t, f), "10-12 alone (5 entries)")
	require.Equal(t, []uint64{13}, receiptIDs(t, f))
	f.at(f.ctx.BlockTime().Add(time.Second))
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, []types.EventReceiptsPruned{{Count: 1, LastReceiptId: 13}}, prunedEvents(t, f))
	require.Empty(t, receiptIDs(t, f))
	f.requireInvariant(t)
}

// prunedEvents returns the EventReceiptsPruned of the current block.
func prunedEvents(t *testing.T, f *fixture) []types.EventReceiptsPruned {
	t.Helper()
	var out []types.EventReceiptsPruned
	for _, e := range f.ctx.EventManager().Events() {
		if e.Type != "balanceai.access.v1.EventReceiptsPruned" {
			continue
		}
		msg, err := sdk.ParseTypedEvent(abci.Event(e))
		require.NoError(t, err)
		out = append(out, *msg.(*types.EventReceiptsPruned))
	}
	return out
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
