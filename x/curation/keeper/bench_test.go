package keeper_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/curation/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// setupFullEpoch: 100 curators each reveal max_scores_per_epoch (256) scores on 256 listings
// (25,600 revealed scores); the returned fixture is at the epoch's end, not yet processed.
func setupFullEpoch(b testing.TB, work uint32) *fixture {
	f := newFixture(b)
	p, _ := f.k.Params.Get(f.ctx)
	p.MaxEpochWorkPerBlock = work
	require.NoError(b, f.k.Params.Set(f.ctx, p))
	f.block(t0)
	for id := uint64(100); id < 356; id++ {
		f.addListing(marketplacetypes.Listing{Id: id, Kind: marketplacetypes.ListingKind(1 + id%2), Owner: f.owner.String(),
			Status: marketplacetypes.ListingStatusActive, Collateral: sdk.NewInt64Coin("ubai", 1_000*bai), UpdatedAt: t0.Add(-time.Hour)})
	}
	f.curators = nil
	all := make([][]types.ListingScoreEntry, 100)
	for i := 0; i < 100; i++ {
		a := sdk.AccAddress(fmt.Sprintf("benchcurator%08d", i))
		f.curators = append(f.curators, a)
		f.bank.Fund(a, sdk.NewCoins(sdk.NewInt64Coin("ubai", 20_000*bai)))
		f.bond(i, int64(10_000+i)*bai)
		for id := uint64(100); id < 356; id++ {
			all[i] = append(all[i], types.ListingScoreEntry{ListingId: id, Score: uint32((id*31 + uint64(i)*17) % 101)})
		}
		require.NoError(b, f.commit(i, "bench", all[i]))
	}
	f.block(f.epoch().RevealStart)
	for i := 0; i < 100; i++ {
		require.NoError(b, f.reveal(i, "bench", all[i]))
	}
	f.ctx = f.ctx.WithBlockTime(f.epoch().End)
	return f
}

// BenchmarkEpochEnd measures the whole epoch-end work for 100 curators × 256 scores in one
// block (budget 30,000 units).
func BenchmarkEpochEnd(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		f := setupFullEpoch(b, 30_000)
		b.StartTimer()
		require.NoError(b, f.k.BeginBlocker(f.ctx))
		require.NoError(b, f.k.EndBlocker(f.ctx))
		b.StopTimer()
		f.hook.collect(b, f.ctx, f.k)
		require.Len(b, f.hook.calls, 1)
		require.Len(b, f.hook.calls[0].Listings, 256)
		require.Len(b, f.hook.calls[0].Curators, 100)
	}
}

// BenchmarkEpochEndBlock measures one block of epoch-end work at the default budget (10,000
// units): the per-block cost the chain actually pays.
func BenchmarkEpochEndBlock(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		f := setupFullEpoch(b, types.DefaultMaxEpochWorkPerBlock)
		require.NoError(b, f.k.BeginBlocker(f.ctx))
		b.StartTimer()
		require.NoError(b, f.k.EndBlocker(f.ctx))
		b.StopTimer()
		f.hook.collect(b, f.ctx, f.k)
		require.Empty(b, f.hook.calls) // 25,600 reveals need three blocks at this budget
	}
}

// TestFullEpochSpreadsOverBlocks checks the default budget splits the 100 × 256 epoch into
// three blocks and that each block stays within budget + one listing.
func TestFullEpochSpreadsOverBlocks(t *testing.T) {
	f := setupFullEpoch(t, types.DefaultMaxEpochWorkPerBlock)
	blocks := 0
	for len(f.hook.calls) == 0 {
		before, _ := f.k.ExportGenesis(f.ctx)
		f.block(f.ctx.BlockTime().Add(time.Second))
		after, _ := f.k.ExportGenesis(f.ctx)
		work := len(before.RevealedScores) - len(after.RevealedScores) + len(before.Commitments) - len(after.Commitments)
		require.LessOrEqual(t, work, types.DefaultMaxEpochWorkPerBlock+100)
		blocks++
	}
	require.Equal(t, 3, blocks)
	require.Len(t, f.hook.calls[0].Listings, 256)
	f.checkInvariant()
}
