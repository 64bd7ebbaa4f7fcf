package keeper_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	curationtypes "github.com/balanceai/balanceai/x/curation/types"
	"github.com/balanceai/balanceai/x/grants/types"
	mkt "github.com/balanceai/balanceai/x/marketplace/types"
)

// payoutEpoch is an epoch of 40 scored listings (odd ids MODEL, even AGENT; every fourth
// below min_reward_score, every fifth suspended) and 9 curators (every third with no score
// that reached a consensus), over funded funds. qualifying counts the results that become
// payout entries.
func payoutEpoch(t *testing.T, budget uint32) (f *fixture, res curationtypes.EpochResults, qualifying int) {
	f = newFixture(t)
	p := types.DefaultParams()
	p.MaxQueueItemsPerBlock = budget
	_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
	require.NoError(t, err)
	f.fund(modelsFund, 10_000_000_007)
	f.fund(agentsFund, 3_000_000_001)
	for i := uint64(1); i <= 40; i++ {
		kind, status, score := mkt.ListingKindModel, mkt.ListingStatusActive, uint32(50+i)
		if i%2 == 0 {
			kind = mkt.ListingKindAgent
		}
		if i%4 == 0 {
			score = 49
		}
		if i%5 == 0 {
			status = mkt.ListingStatusSuspended
		}
		if score >= 50 && status == mkt.ListingStatusActive {
			qualifying++
		}
		f.addListing(i, kind, addr(fmt.Sprintf("owner%d", i%7)), status)
		res.Listings = append(res.Listings, listingResult(i, kind, score))
	}
	for i := 0; i < 9; i++ {
		c := curatorResult(addr(fmt.Sprintf("cur%d", i)), int64(1_000+37*i), "0.8")
		if i%3 == 0 {
			c = noneScored(c)
		} else {
			qualifying++
		}
		res.Curators = append(res.Curators, c)
	}
	return f, res, qualifying
}

// payoutOutcome is what a payout leaves: the credits, the fund states and every balance.
func (f *fixture) payoutOutcome() string {
	f.t.Helper()
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(f.t, err)
	require.Nil(f.t, gs.Payout)
	require.Empty(f.t, gs.PayoutEntries)
	return fmt.Sprintf("%v|%v|%s", gs.Rewards, gs.Funds, f.bank.Snapshot())
}

// TestEpochPayoutBoundedPerBlock: an epoch's payout takes at most max_queue_items_per_block
// results and entries a block, so a large epoch is paid over several blocks (one unit per
// result read, one per entry credited), and pays exactly what the same epoch pays in one block.
// The payout query shows the payout while it lasts.
func TestEpochPayoutBoundedPerBlock(t *testing.T) {
	whole, res, qualifying := payoutEpoch(t, 100)
	failed, blocks := whole.payEpoch(5, res)
	require.Empty(t, failed)
	require.Equal(t, 1, blocks)
	want := whole.payoutOutcome()
	require.Positive(t, whole.reward(addr("owner1")))
	require.Positive(t, whole.reward(addr("cur1")))

	for _, budget := range []uint32{1, 7, 49} {
		t.Run(fmt.Sprintf("budget=%d", budget), func(t *testing.T) {
			f, res, _ := payoutEpoch(t, budget)
			res.Epoch = 5
			f.curation.CompleteEpoch(res)
			units := len(res.Listings) + len(res.Curators) + qualifying
			blocks := 0
			for ; ; blocks++ {
				left := len(f.curation.Completed[5].Listings) + len(f.curation.Completed[5].Curators)
				f.endBlock()
				after := len(f.curation.Completed[5].Listings) + len(f.curation.Completed[5].Curators)
				require.LessOrEqual(t, left-after, int(budget), "results taken in one block")
				paying, err := f.k.Payout.Has(f.ctx)
				require.NoError(t, err)
				q, err := f.query.Payout(f.ctx, &types.QueryPayoutRequest{})
				require.NoError(t, err)
				require.Equal(t, paying, q.InProgress)
				if !paying {
					require.Zero(t, q.Payout.Epoch)
					break
				}
				require.Equal(t, uint64(5), q.Payout.Epoch)
				require.Len(t, q.Payout.Funds, 2)
				// Between blocks the pools are out of the funds and the credits so far are claimable.
				require.Positive(t, f.bank.Balance(grantsAcc, denom).Int64())
			}
			require.Equal(t, (units+int(budget)-1)/int(budget), blocks+1)
			require.Empty(t, f.curation.Completed, "the epoch is released")
			require.Equal(t, want, f.payoutOutcome())
		})
	}
}

// TestEpochPayoutFailsMidway: a credit that fails in a later block marks the payout failed
// (reported once); the credits of the earlier blocks stay, the entries left are dropped
// uncredited and the rest of the pools returns to the funds.
func TestEpochPayoutFailsMidway(t *testing.T) {
	f, res, _ := payoutEpoch(t, 5)
	total := f.bank.Total(denom)
	models, agents := f.bank.Balance(modelsFund, denom), f.bank.Balance(agentsFund, denom)
	// Listing 33's owner cannot be credited: its entry is among the last ones.
	l := f.market.Listings[33]
	l.Owner = "not-an-address"
	f.market.Listings[33] = l
	failed, blocks := f.payEpoch(5, res)
	require.Greater(t, blocks, 3)
	require.Len(t, failed, 1)
	require.Contains(t, failed[0].Error, "decoding bech32")
	require.Equal(t, total, f.bank.Total(denom))

	credited := f.fundState(types.GrantFundModels).Unclaimed.Add(f.fundState(types.GrantFundAgents).Unclaimed)
	require.True(t, credited.IsPositive(), "the credits before the failure stay")
	require.Equal(t, credited, f.bank.Balance(grantsAcc, denom), "the grants account holds the credits only")
	require.Equal(t, models.Add(agents).Sub(credited), f.bank.Balance(modelsFund, denom).Add(f.bank.Balance(agentsFund, denom)))
	// The curators' entries come after the listings' (x/curation hands listings first).
	require.Zero(t, f.reward(addr("cur1")), "the entries after the failure are not credited")
	require.Empty(t, f.curation.Completed)
	last, err := f.k.LastRewardedEpoch.Get(f.ctx)
	require.NoError(t, err)
	require.Equal(t, uint64(5), last, "a failed payout is not retried")
}

// TestEpochPayoutGenesisMidway: a payout in progress is exported (with the results x/curation
// has not handed over yet, in curation's genesis) and goes on after the import to the same
// outcome.
func TestEpochPayoutGenesisMidway(t *testing.T) {
	whole, res, _ := payoutEpoch(t, 6)
	require.Empty(t, first(whole.payEpoch(5, res)))
	want := whole.payoutOutcome()

	for _, cut := range []int{1, 8, 12} { // in the tally, one result before its end, in the credits
		t.Run(fmt.Sprintf("after=%d", cut), func(t *testing.T) {
			f, res, _ := payoutEpoch(t, 6)
			res.Epoch = 5
			f.curation.CompleteEpoch(res)
			for i := 0; i < cut; i++ {
				f.endBlock()
			}
			gs, err := f.k.ExportGenesis(f.ctx)
			require.NoError(t, err)
			require.NotNil(t, gs.Payout)
			require.NoError(t, gs.Validate())
			k2, ctx := importGenesis(t, f, gs, f.ctx.BlockHeight()+1)
			gs2, err := k2.ExportGenesis(ctx)
			require.NoError(t, err)
			require.Equal(t, gs, gs2)
			require.NoError(t, k2.CheckInvariants(ctx))
			f.k, f.ctx = k2, ctx
			for paying := true; paying; {
				f.endBlock()
				paying, err = f.k.Payout.Has(f.ctx)
				require.NoError(t, err)
			}
			require.Equal(t, want, f.payoutOutcome())
		})
	}
}

// TestGenesisValidatePayout refuses a payout in progress that does not hold together.
func TestGenesisValidatePayout(t *testing.T) {
	f, res, _ := payoutEpoch(t, 6)
	res.Epoch = 5
	f.curation.CompleteEpoch(res)
	for i := 0; i < 10; i++ {
		f.endBlock()
	}
	good, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, good.Validate())
	require.NotEmpty(t, good.PayoutEntries)
	cases := map[string]func(gs *types.GenesisState){
		"entries without payout": func(gs *types.GenesisState) { gs.Payout = nil },
		"other epoch":            func(gs *types.GenesisState) { gs.LastRewardedEpoch = 4 },
		"missing fund":           func(gs *types.GenesisState) { gs.Payout.Funds = gs.Payout.Funds[:1] },
		"funds out of order": func(gs *types.GenesisState) {
			gs.Payout.Funds[0], gs.Payout.Funds[1] = gs.Payout.Funds[1], gs.Payout.Funds[0]
		},
		"credited over pool": func(gs *types.GenesisState) {
			gs.Payout.Funds[0].ListingsPaid = gs.Payout.Funds[0].ListingPool.AddRaw(1)
		},
		"negative weight total": func(gs *types.GenesisState) { gs.Payout.CuratorWeight = math.NewInt(-1) },
		"entry id at next":      func(gs *types.GenesisState) { gs.PayoutEntries[0].Id = gs.Payout.NextEntry },
		"duplicate entry":       func(gs *types.GenesisState) { gs.PayoutEntries = append(gs.PayoutEntries, gs.PayoutEntries[0]) },
		"bad entry owner":       func(gs *types.GenesisState) { gs.PayoutEntries[0].Owner = "x" },
		"zero entry weight":     func(gs *types.GenesisState) { gs.PayoutEntries[0].Weight = math.ZeroInt() },
		"listing entry without fund": func(gs *types.GenesisState) {
			gs.PayoutEntries[0].ListingId, gs.PayoutEntries[0].Fund = 1, types.GrantFundUnspecified
		},
		"curator entry with fund": func(gs *types.GenesisState) {
			gs.PayoutEntries[0].ListingId, gs.PayoutEntries[0].Fund = 0, types.GrantFundModels
		},
		// Entries weighing more than their pool's total would be credited more than the pool.
		"entries above their total weight": func(gs *types.GenesisState) {
			e := gs.PayoutEntries[0]
			if e.ListingId == 0 {
				gs.Payout.CuratorWeight = e.Weight.SubRaw(1)
				return
			}
			for i := range gs.Payout.Funds {
				if gs.Payout.Funds[i].Fund == e.Fund {
					gs.Payout.Funds[i].ListingWeight = e.Weight.SubRaw(1)
				}
			}
		},
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			gs, err := f.k.ExportGenesis(f.ctx)
			require.NoError(t, err)
			mutate(gs)
			require.ErrorIs(t, gs.Validate(), types.ErrInvalidGenesis)
		})
	}
}

func first[A, B any](a A, _ B) A { return a }
