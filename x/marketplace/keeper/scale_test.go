package keeper_test

import (
	"fmt"
	"testing"
	"time"

	"cosmossdk.io/math"
	storetypes "cosmossdk.io/store/types"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/balanceai/balanceai/testutil/fakes"
	"github.com/balanceai/balanceai/x/marketplace/keeper"
	"github.com/balanceai/balanceai/x/marketplace/types"
)

// population builds n listings through genesis: owner "target" holds every
// (n/targetEvery)-th... exactly `hits` listings spread over the id range, which are also
// the only ones tagged "rare"; the rest belong to 1,000 other owners. With retiring set,
// every listing is RETIRING with an unlock time in the past.
func population(tb testing.TB, n, hits int, retiring bool) (sdk.Context, keeper.Keeper, *fakes.Bank, string) {
	tb.Helper()
	_, _, ak, _, _ := newKeeper(tb)
	owner := func(i int) string {
		s, err := ak.AddressCodec().BytesToString(sdk.AccAddress(fmt.Appendf(nil, "owner-%014d", i)))
		require.NoError(tb, err)
		return s
	}
	target := owner(-1)
	others := make([]string, 1000)
	for i := range others {
		others[i] = owner(i)
	}
	gs := types.DefaultGenesisState()
	gs.Params.MaxListingsPerOwner = 100_000
	gs.Listings = make([]types.Listing, 0, n)
	step := n / hits
	for i := 1; i <= n; i++ {
		l := types.Listing{
			Id: uint64(i), Kind: types.ListingKindModel, Owner: others[i%len(others)], Name: "m", Task: "nlp",
			Tags: []string{"llm"}, Endpoint: "https://a.io", MetadataCid: testCIDv0, Version: "1.0.0",
			Collateral: sdk.NewInt64Coin("ubai", 1_000*bai), Status: types.ListingStatusActive,
			Access:    types.AccessPolicy{MinStake: math.ZeroInt(), Mode: types.AccessModePublic},
			CreatedAt: genesisTime, UpdatedAt: genesisTime,
		}
		if i%step == 0 && (i/step) <= hits {
			l.Owner, l.Tags = target, []string{"llm", "rare"}
		}
		if retiring {
			l.Status = types.ListingStatusRetiring
			l.UnlockAt = genesisTime.Add(-time.Duration(n-i+1) * time.Second)
		}
		gs.Listings = append(gs.Listings, l)
	}
	gs.NextListingId = uint64(n + 1)
	ctx, _, ak, bank, k, cms := newKeeperCMS(tb)
	require.NoError(tb, k.InitGenesis(ctx, gs))
	// Commit, as a chain would: iterating a large uncommitted IAVL working set costs
	// O(size) per iterator and would measure the test harness, not the keeper.
	cms.Commit()
	bank.Fund(ak.GetModuleAddress(types.ModuleName), sdk.NewCoins(sdk.NewInt64Coin("ubai", int64(n)*1_000*bai)))
	return ctx, k, bank, target
}

// queryGas runs the listings query on a fresh gas meter and returns the gas used and
// the number of results.
func queryGas(tb testing.TB, ctx sdk.Context, k keeper.Keeper, req *types.QueryListingsRequest) (uint64, int) {
	tb.Helper()
	ctx = ctx.WithGasMeter(storetypes.NewInfiniteGasMeter())
	res, err := keeper.NewQueryServerImpl(k).Listings(ctx, req)
	require.NoError(tb, err)
	return ctx.GasMeter().GasConsumed(), len(res.Listings)
}

// TestQueryCostIndependentOfListings: the store work (gas) of a query by owner or tag
// depends on the number of results, not on the number of listings.
func TestQueryCostIndependentOfListings(t *testing.T) {
	const hits = 10
	type result struct{ owner, tag uint64 }
	var results []result
	for _, n := range []int{1_000, 10_000} {
		ctx, k, _, target := population(t, n, hits, false)
		og, on := queryGas(t, ctx, k, &types.QueryListingsRequest{Owner: target})
		tg, tn := queryGas(t, ctx, k, &types.QueryListingsRequest{Tag: "rare"})
		require.Equal(t, hits, on)
		require.Equal(t, hits, tn)
		results = append(results, result{og, tg})
	}
	// Ten times the listings: the gas may only differ by the few bytes longer varint
	// ids take in the returned values, never by a factor.
	require.InDelta(t, results[0].owner, results[1].owner, float64(results[0].owner)/100, "owner query gas grew with the number of listings")
	require.InDelta(t, results[0].tag, results[1].tag, float64(results[0].tag)/100, "tag query gas grew with the number of listings")
}

// TestEndBlockerBounded: however long the due queue, one EndBlocker returns exactly
// max_unlocks_per_block listings, oldest first, with the same store work.
func TestEndBlockerBounded(t *testing.T) {
	var gas []uint64
	// Both sizes give every owner at least two listings, so each unlock does the same
	// counter writes; the queue is five times longer in the second run.
	for _, n := range []int{2_000, 10_000} {
		ctx, k, bank, _ := population(t, n, 10, true)
		ctx = ctx.WithGasMeter(storetypes.NewInfiniteGasMeter())
		require.NoError(t, k.EndBlocker(ctx))
		gas = append(gas, ctx.GasMeter().GasConsumed())

		retired := 0
		require.NoError(t, k.Listings.Walk(ctx, nil, func(id uint64, l types.Listing) (bool, error) {
			if l.Status == types.ListingStatusRetired {
				retired++
				require.LessOrEqual(t, id, uint64(100), "not the oldest entries were processed")
			}
			return false, nil
		}))
		require.Equal(t, int(types.DefaultMaxUnlocksPerBlock), retired)
		require.NoError(t, k.CheckCollateral(ctx))
		_ = bank
	}
	// Only the byte length of the total-locked counter differs between the runs.
	require.InDelta(t, gas[0], gas[1], float64(gas[0])/1000, "EndBlocker work grew with the queue length")
}

// benchPopulations caches the 100,000-listing states: building one takes a while and
// the testing package calls each benchmark several times with growing b.N.
var benchPopulations = map[bool]*benchPopulation{}

type benchPopulation struct {
	ctx    sdk.Context
	k      keeper.Keeper
	bank   *fakes.Bank
	target string
}

func benchState(b *testing.B, retiring bool) *benchPopulation {
	if p, ok := benchPopulations[retiring]; ok {
		return p
	}
	ctx, k, bank, target := population(b, 100_000, 10, retiring)
	p := &benchPopulation{ctx, k, bank, target}
	benchPopulations[retiring] = p
	return p
}

// BenchmarkListingsByOwner100k: query by owner with 100,000 listings (10 results).
func BenchmarkListingsByOwner100k(b *testing.B) {
	p := benchState(b, false)
	ctx, qs := p.ctx, keeper.NewQueryServerImpl(p.k)
	req := &types.QueryListingsRequest{Owner: p.target, Pagination: &query.PageRequest{Limit: 100}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := qs.Listings(ctx, req)
		if err != nil || len(res.Listings) != 10 {
			b.Fatal(err, len(res.Listings))
		}
	}
}

// BenchmarkListingsByTag100k: query by tag with 100,000 listings (10 results).
func BenchmarkListingsByTag100k(b *testing.B) {
	p := benchState(b, false)
	ctx, qs := p.ctx, keeper.NewQueryServerImpl(p.k)
	req := &types.QueryListingsRequest{Tag: "rare"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := qs.Listings(ctx, req)
		if err != nil || len(res.Listings) != 10 {
			b.Fatal(err, len(res.Listings))
		}
	}
}

// BenchmarkEndBlocker100kQueue: one EndBlocker with 100,000 due entries processes
// max_unlocks_per_block of them. Each iteration runs on a cache of the same state.
func BenchmarkEndBlocker100kQueue(b *testing.B) {
	p := benchState(b, true)
	ctx, k, bank := p.ctx, p.k, p.bank
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cache, _ := ctx.CacheContext()
		saved := bank.Clone()
		if err := k.EndBlocker(cache); err != nil {
			b.Fatal(err)
		}
		bank.Balances, bank.Supply = saved.Balances, saved.Supply
	}
}
