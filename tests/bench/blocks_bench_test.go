package bench_test

import (
	"fmt"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/testutil"
	accesstypes "github.com/balanceai/balanceai/x/access/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// blockChain is a chain whose state was filled directly through the keepers' collections; its
// empty blocks are finalized and committed without the test chain's invariant checks (the
// stored listings have no escrowed collateral).
type blockChain struct {
	name      string
	c         *testutil.Chain
	wall, cpu time.Duration
}

// blockChains are BenchmarkBeginEndBlock's chains.
var blockChains []*blockChain

// populateBatch is how many entries are written between commits while filling state.
const populateBatch = 100_000

// newBlockChain returns a chain with listings stored listings (ACTIVE, with owners among four
// accounts) and receipts stored usage receipts (recorded now, on listings 1..min(listings, 10),
// with their indexes, as x/access keeps them).
func newBlockChain(b *testing.B, name string, listings, receipts int) *blockChain {
	b.Helper()
	c := testutil.NewChain(b, testutil.Config{
		Stakes:    []math.Int{math.NewInt(100_000 * bai)},
		Accounts:  []string{"o0", "o1", "o2", "o3"},
		Balance:   math.NewInt(150_000 * bai),
		BlockTime: 5 * time.Second,
	})
	bc := &blockChain{name: name, c: c}
	owners := []string{c.Accounts["o0"].Address.String(), c.Accounts["o1"].Address.String(),
		c.Accounts["o2"].Address.String(), c.Accounts["o3"].Address.String()}
	mk := c.App.MarketplaceKeeper
	ak := c.App.AccessKeeper
	for start := 0; start < listings; start += populateBatch {
		ctx := c.Ctx()
		for i := start; i < min(listings, start+populateBatch); i++ {
			id := uint64(i + 1)
			require.NoError(b, mk.Listings.Set(ctx, id, marketplacetypes.Listing{
				Id: id, Kind: marketplacetypes.ListingKindModel, Owner: owners[i%4], Name: fmt.Sprintf("model-%d", id),
				Task: "nlp", Endpoint: "https://node.example.com/v1", MetadataCid: cidV1, Version: "1.0.0",
				Collateral: ubai(1), Access: marketplacetypes.AccessPolicy{MinStake: math.ZeroInt(), Mode: marketplacetypes.AccessModePublic},
				Status: marketplacetypes.ListingStatusActive, CreatedAt: c.Time, UpdatedAt: c.Time,
			}))
		}
		require.NoError(b, mk.ListingSeq.Set(ctx, uint64(min(listings, start+populateBatch))))
		bc.block(b, false)
	}
	users := make([]sdk.AccAddress, 0, len(c.Accounts))
	for _, n := range []string{"o0", "o1", "o2", "o3"} {
		users = append(users, c.Accounts[n].Address)
	}
	for start := 0; start < receipts; start += populateBatch {
		ctx := c.Ctx()
		for i := start; i < min(receipts, start+populateBatch); i++ {
			id := uint64(i + 1)
			listing := uint64(i%min(listings, 10) + 1)
			user := users[i%len(users)]
			// One record a batch: the most store entries a number of receipts can take.
			require.NoError(b, ak.ReceiptBatches.Set(ctx, id, accesstypes.ReceiptBatch{
				FirstReceiptId: id, ListingId: listing, Operator: owners[0], Time: c.Time, Height: c.Height,
				Records: []accesstypes.UsageRecord{{User: user.String(), RequestCid: cidV1, ResponseCid: cidV0, Units: 100}},
			}))
			require.NoError(b, ak.BatchesByListing.Set(ctx, collections.Join(listing, id), 1))
			require.NoError(b, ak.BatchesByUser.Set(ctx, collections.Join(collections.Join(listing, user), id), 1))
		}
		require.NoError(b, ak.ReceiptSeq.Set(ctx, uint64(min(receipts, start+populateBatch))))
		bc.block(b, false)
	}
	return bc
}

// block finalizes and commits an empty block; timed adds FinalizeBlock's wall and CPU time.
func (bc *blockChain) block(b *testing.B, timed bool) {
	b.Helper()
	c := bc.c
	req := &abci.RequestFinalizeBlock{
		Height: c.Height + 1, Time: c.Time.Add(c.BlockTime),
		DecidedLastCommit: abci.CommitInfo{Votes: []abci.VoteInfo{{
			Validator:   abci.Validator{Address: c.Validators[0].ConsAddr, Power: c.Validators[0].Stake.Quo(sdk.DefaultPowerReduction).Int64()},
			BlockIdFlag: cmtproto.BlockIDFlagCommit,
		}}},
		ProposerAddress: c.Validators[0].ConsAddr,
	}
	cpu0 := processCPU(b)
	t0 := time.Now()
	_, err := c.App.FinalizeBlock(req)
	if timed {
		bc.wall += time.Since(t0)
		bc.cpu += processCPU(b) - cpu0
	}
	require.NoError(b, err)
	_, err = c.App.Commit()
	require.NoError(b, err)
	c.Height, c.Time = req.Height, req.Time
}

// BenchmarkBeginEndBlock times FinalizeBlock of an empty block (PreBlock, BeginBlock and
// EndBlock of every module) on chains holding 10, 10,000 and 100,000 listings and 10 listings
// with 1,000,000 usage receipts. The chains take turns block by block so that they see the same
// machine load; it reports each one's wall and CPU time per block and the ratios to the chain
// with 10 listings, which must stay near 1: no Begin/EndBlocker may walk all listings or
// receipts (`make bench-blocks`). Filling the large chains takes a minute or two.
func BenchmarkBeginEndBlock(b *testing.B) {
	b.StopTimer()
	// The testing package calls a benchmark with b.N = 1 before the real run: the chains are
	// filled once and kept.
	if blockChains == nil {
		blockChains = []*blockChain{
			newBlockChain(b, "l10", 10, 0),
			newBlockChain(b, "l10k", 10_000, 0),
			newBlockChain(b, "l100k", 100_000, 0),
			newBlockChain(b, "r1M", 10, 1_000_000),
		}
		// A few untimed blocks first, so each chain's caches are warm.
		for i := 0; i < 3; i++ {
			for _, bc := range blockChains {
				bc.block(b, false)
			}
		}
	}
	chains := blockChains
	for _, bc := range chains {
		bc.wall, bc.cpu = 0, 0
	}
	for n := 0; n < b.N; n++ {
		for k := range chains {
			// Rotate who goes first.
			chains[(n+k)%len(chains)].block(b, true)
		}
	}
	base := chains[0]
	for _, bc := range chains {
		b.ReportMetric(float64(bc.wall.Nanoseconds())/float64(b.N), bc.name+"-ns/block")
		b.ReportMetric(float64(bc.cpu.Nanoseconds())/float64(b.N), bc.name+"-cpu-ns/block")
		if bc != base {
			b.ReportMetric(float64(bc.cpu)/float64(base.cpu), bc.name+"/l10-cpu")
			b.ReportMetric(float64(bc.wall)/float64(base.wall), bc.name+"/l10-wall")
		}
	}
	b.ReportMetric(0, "ns/op")
}
