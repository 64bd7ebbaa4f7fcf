package keeper_test

import (
	"testing"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/balanceai/balanceai/x/curation/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

func TestEpochSchedule(t *testing.T) {
	f := newFixture(t)
	_, err := f.query.Epoch(f.ctx, &types.QueryEpochRequest{})
	require.Error(t, err) // nothing before the first block
	f.block(t0.Add(5 * time.Second))
	e := f.epoch()
	start := t0.Add(5 * time.Second)
	require.Equal(t, types.Epoch{Number: 0, Start: start, RevealStart: start.Add(18 * time.Hour), End: start.Add(24 * time.Hour)}, e)
	q, err := f.query.Epoch(f.ctx, &types.QueryEpochRequest{})
	require.NoError(t, err)
	require.Equal(t, types.EpochPhaseCommit, q.Phase)
	f.block(start.Add(18 * time.Hour))
	q, _ = f.query.Epoch(f.ctx, &types.QueryEpochRequest{})
	require.Equal(t, types.EpochPhaseReveal, q.Phase)
	require.Equal(t, uint64(0), q.Number)
	// The epoch rolls at the first block at or after end; the next starts at the old end.
	f.block(start.Add(24*time.Hour + 7*time.Second))
	e = f.epoch()
	require.Equal(t, uint64(1), e.Number)
	require.Equal(t, start.Add(24*time.Hour), e.Start)
	// A chain down for more than an epoch restarts the schedule at the block time.
	late := start.Add(100 * time.Hour)
	f.block(late)
	e = f.epoch()
	require.Equal(t, uint64(2), e.Number)
	require.Equal(t, late, e.Start)

	// A genesis epoch_start in the future delays epoch 0 until it is reached.
	gs := types.DefaultGenesisState()
	es := t0.Add(time.Hour)
	gs.EpochStart = &es
	g := newFixtureWith(t, gs)
	g.block(t0)
	_, err = g.k.CurrentEpoch.Get(g.ctx)
	require.Error(t, err)
	g.block(t0.Add(90 * time.Minute))
	require.Equal(t, es, g.epoch().Start)
}

// devnetScenario: curators 1-3 bonded 10,000 BAI each score listing 1 with 80, 70 and 10.
func devnetScenario(t *testing.T) *fixture {
	f := newFixture(t)
	f.block(t0)
	for i := 1; i <= 3; i++ {
		f.bond(i, 10_000*bai)
	}
	vals := []uint64{80, 70, 10}
	for i := 1; i <= 3; i++ {
		require.NoError(t, f.commit(i, "salt", scores(1, vals[i-1], 4, 60)))
	}
	f.block(f.epoch().RevealStart)
	for i := 1; i <= 3; i++ {
		require.NoError(t, f.reveal(i, "salt", scores(4, 60, 1, vals[i-1]))) // any order
	}
	f.block(f.epoch().End)
	return f
}

// TestRewardWeightCountsEachBondOnce: three curators who score fifty listings of one owner
// bring their bonds to the listing rewards once, not fifty times; a dissenting score adds
// nothing to a listing's reward weight.
func TestRewardWeightCountsEachBondOnce(t *testing.T) {
	f := newFixture(t)
	ring := []types.ListingScoreEntry{}
	for id := uint64(10); id < 60; id++ {
		f.addListing(marketplacetypes.Listing{Id: id, Kind: marketplacetypes.ListingKindModel, Owner: sdk.AccAddress("ring-owner-000000000").String(),
			Status: marketplacetypes.ListingStatusActive, Collateral: sdk.NewInt64Coin("ubai", 1_000*bai),
			CreatedAt: t0.Add(-time.Hour), UpdatedAt: t0.Add(-time.Hour)})
		ring = append(ring, types.ListingScoreEntry{ListingId: id, Score: 100})
	}
	f.block(t0)
	for i := 1; i <= 3; i++ {
		f.bond(i, 10_000*bai)
		require.NoError(t, f.commit(i, "salt", ring))
	}
	f.bond(4, 50_000*bai)
	f.bond(5, 50_000*bai)
	f.bond(0, 10_000*bai)
	require.NoError(t, f.commit(4, "salt", scores(1, 80)))
	require.NoError(t, f.commit(5, "salt", scores(1, 80)))
	require.NoError(t, f.commit(0, "salt", scores(1, 0)))
	f.block(f.epoch().RevealStart)
	for i := 1; i <= 3; i++ {
		require.NoError(t, f.reveal(i, "salt", ring))
	}
	for _, i := range []int{4, 5, 0} {
		require.NoError(t, f.reveal(i, "salt", scores(1, map[int]uint64{4: 80, 5: 80, 0: 0}[i])))
	}
	f.block(f.epoch().End)
	for i := 0; i < 10 && len(f.hook.calls) == 0; i++ {
		f.block(f.ctx.BlockTime().Add(time.Second))
	}
	require.Len(t, f.hook.calls, 1)
	results := f.hook.calls[0].Listings
	require.Len(t, results, 51)
	require.Equal(t, uint64(1), results[0].ListingID)
	require.Equal(t, uint32(80), results[0].EpochScore)
	require.Equal(t, math.NewInt(100_000*bai), results[0].Weight, "the two 50,000 BAI bonds that agreed; the dissenting 0 adds nothing")
	ringWeight := math.ZeroInt()
	for _, r := range results[1:] {
		require.Equal(t, uint32(100), r.EpochScore)
		require.Equal(t, math.NewInt(3*10_000*bai/50), r.Weight)
		ringWeight = ringWeight.Add(r.Weight)
	}
	require.Equal(t, math.NewInt(3*10_000*bai), ringWeight, "the ring's three bonds, once each, across its fifty listings")
}

func TestCommitRevealHappyPath(t *testing.T) {
	f := devnetScenario(t)
	s, err := f.query.Scores(f.ctx, &types.QueryScoresRequest{ListingId: 1})
	require.NoError(t, err)
	require.Equal(t, uint32(70), s.Score.LastEpochScore)
	require.Equal(t, math.LegacyNewDec(70), s.Score.CurationScore)
	require.Equal(t, uint32(3), s.Score.LastCurators)
	require.Equal(t, uint64(0), s.Score.LastEpoch)

	// Agreement: 80 and 70 are within 15 of 70, 10 is not; reputation EMA from 0.5 with alpha 0.5.
	require.Equal(t, math.LegacyMustNewDecFromStr("0.75"), f.curator(1).Reputation)
	require.Equal(t, math.LegacyMustNewDecFromStr("0.75"), f.curator(2).Reputation)
	require.Equal(t, math.LegacyMustNewDecFromStr("0.5"), f.curator(3).LastAgreement) // 1 of 2 (listing 4 agrees)
	require.Equal(t, math.LegacyMustNewDecFromStr("0.5"), f.curator(3).Reputation)

	// The hook got the epoch's results, in listing and curator order.
	require.Len(t, f.hook.calls, 1)
	r := f.hook.calls[0]
	require.Equal(t, uint64(0), r.Epoch)
	require.Len(t, r.Listings, 2)
	require.Equal(t, types.ListingEpochResult{ListingID: 1, Kind: marketplacetypes.ListingKindModel, EpochScore: 70, CurationScore: math.LegacyNewDec(70), Curators: 3,
		Weight: math.NewInt(2 * 10_000 * bai / 2)}, r.Listings[0],
		"the weight is the bonds of the two reveals within the band of 70 (curator 3's 10 adds nothing), each shared by the two listings its curator scored")
	require.Equal(t, marketplacetypes.ListingKindAgent, r.Listings[1].Kind)
	require.Equal(t, math.NewInt(3*10_000*bai/2), r.Listings[1].Weight, "listing 4: three agreeing reveals, half a bond each")
	require.Len(t, r.Curators, 3)
	require.Equal(t, math.NewInt(10_000*bai), r.Curators[0].Weight)

	// Nothing of the epoch is left behind.
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.Empty(t, gs.Commitments)
	require.Empty(t, gs.RevealedScores)
	require.Empty(t, gs.EpochListings)
	require.Empty(t, gs.PendingEpochs)
	require.Empty(t, gs.EpochListingResults)
	require.Empty(t, gs.EpochCuratorResults)
	f.checkInvariant()

	// Epoch 1: epoch score 40 → EMA 0.5·40 + 0.5·70 = 55.
	for i := 1; i <= 3; i++ {
		require.NoError(t, f.commit(i, "s2", scores(1, 40)))
	}
	f.block(f.epoch().RevealStart)
	for i := 1; i <= 3; i++ {
		require.NoError(t, f.reveal(i, "s2", scores(1, 40)))
	}
	f.block(f.epoch().End)
	s, _ = f.query.Scores(f.ctx, &types.QueryScoresRequest{ListingId: 1})
	require.Equal(t, math.LegacyNewDec(55), s.Score.CurationScore)
	require.Equal(t, uint32(40), s.Score.LastEpochScore)
	require.Equal(t, uint64(2), s.Score.EpochsScored)
	require.Equal(t, math.LegacyMustNewDecFromStr("0.75"), f.curator(3).Reputation) // 0.5·1 + 0.5·0.5
	require.Equal(t, uint64(2), f.curator(3).EpochsRevealed)
}

func TestTooFewCuratorsGiveNoScore(t *testing.T) {
	f := newFixture(t)
	f.block(t0)
	for i := 1; i <= 2; i++ {
		f.bond(i, 10_000*bai)
		require.NoError(t, f.commit(i, "x", scores(1, 50)))
	}
	f.block(f.epoch().RevealStart)
	for i := 1; i <= 2; i++ {
		require.NoError(t, f.reveal(i, "x", scores(1, 50)))
	}
	f.block(f.epoch().End)
	_, err := f.query.Scores(f.ctx, &types.QueryScoresRequest{ListingId: 1})
	require.Error(t, err)
	require.Equal(t, types.InitialReputation, f.curator(1).Reputation) // no consensus, no change
	require.Len(t, f.hook.calls, 1)
	require.Empty(t, f.hook.calls[0].Listings)
	require.Len(t, f.hook.calls[0].Curators, 2)
}

func TestMedianResistsOutliers(t *testing.T) {
	f := newFixture(t)
	f.block(t0)
	// Three honest curators with 60 % of the weight score 60-64; two whales... of 40 % score 0 and 100.
	bonds := []int64{20_000, 20_000, 20_000, 20_000, 20_000}
	vals := []uint64{0, 60, 62, 64, 100}
	for i := 1; i <= 5; i++ {
		f.bond(i, bonds[i-1]*bai)
		require.NoError(t, f.commit(i, "m", scores(1, vals[i-1])))
	}
	f.block(f.epoch().RevealStart)
	for i := 1; i <= 5; i++ {
		require.NoError(t, f.reveal(i, "m", scores(1, vals[i-1])))
	}
	f.block(f.epoch().End)
	s, err := f.query.Scores(f.ctx, &types.QueryScoresRequest{ListingId: 1})
	require.NoError(t, err)
	require.Equal(t, uint32(62), s.Score.LastEpochScore)
}

// oneRevealOfTwo is epoch 0 in its reveal phase: curators 1 and 2 bonded 10,000 BAI and
// committed, and only curator 1 revealed.
func oneRevealOfTwo(t *testing.T) *fixture {
	f := newFixture(t)
	f.block(t0)
	f.bond(1, 10_000*bai)
	f.bond(2, 10_000*bai)
	require.NoError(t, f.commit(1, "a", scores(1, 50)))
	require.NoError(t, f.commit(2, "a", scores(1, 50)))
	f.block(f.epoch().RevealStart)
	require.NoError(t, f.reveal(1, "a", scores(1, 50)))
	return f
}

func TestNoRevealSlash(t *testing.T) {
	f := oneRevealOfTwo(t)
	fundBefore := f.bank.ModuleBalance(testFunds.Model, "ubai")
	f.block(f.epoch().End)
	// 1 % of 10,000 BAI = 100 BAI to the models fund.
	require.Equal(t, math.NewInt(9_900*bai), f.curator(2).Bond)
	require.Equal(t, math.NewInt(100*bai), f.curator(2).Slashed)
	require.Equal(t, uint64(1), f.curator(2).EpochsMissed)
	require.Equal(t, fundBefore.Add(math.NewInt(100*bai)), f.bank.ModuleBalance(testFunds.Model, "ubai"))
	require.Equal(t, math.NewInt(10_000*bai), f.curator(1).Bond)
	total, _ := f.k.GetTotalBonded(f.ctx)
	require.Equal(t, math.NewInt(19_900*bai), total)
	f.checkInvariant()
	// Below the minimum now: no more commits until topped up.
	require.ErrorIs(t, f.commit(2, "b", scores(1, 50)), types.ErrNotCurator)
	f.bond(2, 100*bai)
	require.NoError(t, f.commit(2, "b", scores(1, 50)))
}

// TestNoRevealSlashExcusedWithoutARevealBlock: when the chain was down for a whole reveal
// phase nobody could reveal, so nobody is slashed for it; one block in the phase is enough for
// the slash to apply again.
func TestNoRevealSlashExcusedWithoutARevealBlock(t *testing.T) {
	f := newFixture(t)
	f.block(t0)
	f.bond(1, 10_000*bai)
	require.NoError(t, f.commit(1, "a", scores(1, 50)))
	e := f.epoch()
	require.False(t, e.RevealOpened)
	// Down from the commit phase to past the end: the next block ends the epoch.
	f.ctx = f.ctx.WithBlockTime(e.End.Add(time.Minute)).WithBlockHeight(f.ctx.BlockHeight() + 1)
	require.NoError(t, f.k.BeginBlocker(f.ctx))
	has, err := f.k.EpochsWithoutReveal.Has(f.ctx, e.Number)
	require.NoError(t, err)
	require.True(t, has)
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.Equal(t, []uint64{e.Number}, gs.EpochsWithoutReveal)
	require.NoError(t, gs.Validate())
	require.NoError(t, f.k.EndBlocker(f.ctx))
	f.hook.collect(f.t, f.ctx, f.k)
	require.Equal(t, math.NewInt(10_000*bai), f.curator(1).Bond, "not slashed: there was no block to reveal in")
	require.True(t, f.curator(1).Slashed.IsZero())
	require.Equal(t, uint64(1), f.curator(1).EpochsMissed)
	has, err = f.k.EpochsWithoutReveal.Has(f.ctx, e.Number)
	require.NoError(t, err)
	require.False(t, has, "forgotten once the epoch is finalised")
	f.checkInvariant()

	// The next epoch has a block in its reveal phase: not revealing is slashed.
	require.NoError(t, f.commit(1, "b", scores(1, 50)))
	f.block(f.epoch().RevealStart)
	require.True(t, f.epoch().RevealOpened)
	f.block(f.epoch().End)
	require.Equal(t, math.NewInt(9_900*bai), f.curator(1).Bond)
	require.Equal(t, uint64(2), f.curator(1).EpochsMissed)
	f.checkInvariant()
}

// TestListingPausedDuringEpochIsStillScored: a score for a listing its owner paused after
// the epoch opened counts (the curator judged it while it was ACTIVE); a score for a listing
// paused before the epoch opened is skipped, and the rest of the reveal counts.
func TestListingPausedDuringEpochIsStillScored(t *testing.T) {
	f := newFixture(t)
	f.block(t0)
	f.bond(1, 10_000*bai)
	require.NoError(t, f.commit(1, "g", scores(1, 10, 2, 90)))
	// The owner pauses listing 2 during the epoch: the reveal must still go through.
	f.market.SetStatus(2, marketplacetypes.ListingStatusPaused, f.epoch().Start.Add(time.Hour))
	f.block(f.epoch().RevealStart)
	res, err := f.msg.RevealScores(f.ctx, &types.MsgRevealScores{Curator: f.curators[1].String(), Epoch: 0, Salt: "g", Scores: scores(1, 10, 2, 90)})
	require.NoError(t, err)
	require.Equal(t, uint32(2), res.Recorded)
	require.Zero(t, res.Skipped)
	for _, id := range []uint64{1, 2} {
		el, err := f.k.EpochListings.Get(f.ctx, collectionsJoin(0, id))
		require.NoError(t, err)
		require.False(t, el.Void)
		rs, err := f.k.RevealedScores.Get(f.ctx, collections.Join3(uint64(0), id, f.curators[1]))
		require.NoError(t, err)
		require.Equal(t, scores(1, 10, 2, 90)[id-1].Score, rs.Score)
	}
	f.checkInvariant()

	// Paused since before the next epoch opened: its score is skipped, even when the owner
	// touched the listing during the epoch (updated_at moves, its status does not).
	f.block(f.epoch().End)
	require.NoError(t, f.commit(1, "h", scores(1, 10, 2, 90)))
	f.block(f.epoch().RevealStart)
	l := f.market.Listings[2]
	l.UpdatedAt = f.ctx.BlockTime()
	f.market.Listings[2] = l
	res, err = f.msg.RevealScores(f.ctx, &types.MsgRevealScores{Curator: f.curators[1].String(), Epoch: 1, Salt: "h", Scores: scores(1, 10, 2, 90)})
	require.NoError(t, err)
	require.Equal(t, uint32(1), res.Recorded)
	require.Equal(t, uint32(1), res.Skipped)
	has, err := f.k.EpochListings.Has(f.ctx, collectionsJoin(1, 2))
	require.NoError(t, err)
	require.False(t, has)
}

// TestListingInactiveWhenTheEpochOpenedIsNotScored: a listing PAUSED when the epoch opened is
// left out by honest curators. Curators who scored it anyway are its only judges, so their
// scores are skipped, however the owner changes its status during the epoch: resumed (ACTIVE at
// the reveal), or resumed and paused again (which moves status_changed_at into the epoch). A
// curator who scored it after it was resumed in the commit phase, when it looked ACTIVE, keeps
// the rest of the reveal and is not slashed.
func TestListingInactiveWhenTheEpochOpenedIsNotScored(t *testing.T) {
	for _, mode := range []string{"resumed", "resumed-and-paused", "resumed-in-commit"} {
		t.Run(mode, func(t *testing.T) {
			f := newFixture(t)
			f.block(t0)
			require.Equal(t, marketplacetypes.ListingStatusPaused, f.market.Listings[5].Status, "paused before the epoch opened")
			for i := 1; i <= 3; i++ {
				f.bond(i, 10_000*bai)
			}
			if mode == "resumed-in-commit" {
				f.market.SetStatus(5, marketplacetypes.ListingStatusActive, f.epoch().Start.Add(time.Hour))
			}
			for i := 1; i <= 3; i++ {
				require.NoError(t, f.commit(i, "x", scores(1, 50, 5, 100)))
			}
			f.block(f.epoch().RevealStart)
			switch mode {
			case "resumed":
				f.market.SetStatus(5, marketplacetypes.ListingStatusActive, f.ctx.BlockTime())
			case "resumed-and-paused":
				f.market.SetStatus(5, marketplacetypes.ListingStatusActive, f.ctx.BlockTime())
				f.market.SetStatus(5, marketplacetypes.ListingStatusPaused, f.ctx.BlockTime())
			}
			for i := 1; i <= 3; i++ {
				res, err := f.msg.RevealScores(f.ctx, &types.MsgRevealScores{Curator: f.curators[i].String(), Epoch: 0, Salt: "x", Scores: scores(1, 50, 5, 100)})
				require.NoError(t, err)
				require.Equal(t, uint32(1), res.Recorded)
				require.Equal(t, uint32(1), res.Skipped)
			}
			has, err := f.k.EpochListings.Has(f.ctx, collectionsJoin(0, 5))
			require.NoError(t, err)
			require.False(t, has)
			f.block(f.epoch().End)
			_, err = f.query.Scores(f.ctx, &types.QueryScoresRequest{ListingId: 5})
			require.Error(t, err, "listing 5 has no score")
			res, err := f.query.Scores(f.ctx, &types.QueryScoresRequest{ListingId: 1})
			require.NoError(t, err)
			require.Equal(t, math.LegacyNewDec(50), res.Score.CurationScore)
			for i := 1; i <= 3; i++ {
				require.Equal(t, math.NewInt(10_000*bai), f.curator(i).Bond, "no curator slashed")
			}
			f.checkInvariant()
		})
	}
}

// TestOwnerCannotEscapeOrPickTheReveals: an owner who pauses a listing once the reveals it
// likes are in, or during the ones it does not like and resumes afterwards, gets the median of
// every reveal, the same as if it had not touched the listing.
func TestOwnerCannotEscapeOrPickTheReveals(t *testing.T) {
	for _, mode := range []string{"untouched", "pause-after-favourable", "paused-during-unfavourable"} {
		f := newFixture(t)
		f.block(t0)
		vals := []uint64{90, 85, 80, 10, 10}
		bonds := []int64{10_000, 10_000, 10_000, 40_000, 40_000}
		for i := 1; i <= 5; i++ {
			f.bond(i, bonds[i-1]*bai)
			require.NoError(t, f.commit(i, "p", scores(1, vals[i-1])))
		}
		f.block(f.epoch().RevealStart)
		setStatus := func(st marketplacetypes.ListingStatus) {
			l := f.market.Listings[1]
			l.Status, l.UpdatedAt, l.StatusChangedAt = st, f.ctx.BlockTime(), f.ctx.BlockTime()
			f.market.Listings[1] = l
		}
		order := []int{1, 2, 3, 4, 5}
		if mode == "paused-during-unfavourable" {
			order = []int{4, 5, 1, 2, 3}
			setStatus(marketplacetypes.ListingStatusPaused)
		}
		for n, i := range order {
			if mode == "pause-after-favourable" && n == 3 {
				setStatus(marketplacetypes.ListingStatusPaused)
			}
			if mode == "paused-during-unfavourable" && n == 2 {
				setStatus(marketplacetypes.ListingStatusActive)
			}
			require.NoError(t, f.reveal(i, "p", scores(1, vals[i-1])))
		}
		f.block(f.epoch().End)
		res, err := f.query.Scores(f.ctx, &types.QueryScoresRequest{ListingId: 1})
		require.NoError(t, err, mode)
		require.Equal(t, math.LegacyNewDec(10), res.Score.CurationScore, "%s: the weighted median of all five reveals", mode)
		require.Len(t, f.hook.calls[0].Listings, 1, mode)
		f.checkInvariant()
	}
}

// TestListingTransferredToItsCuratorIsSkipped: a listing that became the revealing curator's
// during the epoch is skipped for that curator only; the other reveals still score it.
func TestListingTransferredToItsCuratorIsSkipped(t *testing.T) {
	f := newFixture(t)
	f.block(t0)
	for i := 1; i <= 4; i++ {
		f.bond(i, 10_000*bai)
		require.NoError(t, f.commit(i, "t", scores(1, 40+uint64(i))))
	}
	f.block(f.epoch().RevealStart)
	l := f.market.Listings[1]
	l.Owner, l.UpdatedAt = f.curators[4].String(), f.ctx.BlockTime()
	f.market.Listings[1] = l
	for i := 1; i <= 3; i++ {
		require.NoError(t, f.reveal(i, "t", scores(1, 40+uint64(i))))
	}
	res, err := f.msg.RevealScores(f.ctx, &types.MsgRevealScores{Curator: f.curators[4].String(), Epoch: 0, Salt: "t", Scores: scores(1, 44)})
	require.NoError(t, err)
	require.Zero(t, res.Recorded)
	require.Equal(t, uint32(1), res.Skipped)
	f.block(f.epoch().End)
	q, err := f.query.Scores(f.ctx, &types.QueryScoresRequest{ListingId: 1})
	require.NoError(t, err)
	require.Equal(t, math.LegacyNewDec(42), q.Score.CurationScore, "the median of the three other reveals")
	f.checkInvariant()
}

// TestListingRegisteredDuringTheEpochIsNotScored: curators who commit scores for the next
// listing id and register it once the reveal phase opens (or during the commit phase) are not
// its judges for that epoch; the listing is scored from the next epoch.
func TestListingRegisteredDuringTheEpochIsNotScored(t *testing.T) {
	f := newFixture(t)
	f.block(t0)
	for i := 1; i <= 3; i++ {
		f.bond(i, 10_000*bai)
		require.NoError(t, f.commit(i, "x", scores(1, 50, 7, 100, 8, 100)))
	}
	during := marketplacetypes.Listing{Id: 8, Kind: marketplacetypes.ListingKindAgent, Owner: f.owner.String(),
		Status: marketplacetypes.ListingStatusActive, Collateral: sdk.NewInt64Coin("ubai", 500*bai),
		CreatedAt: f.epoch().Start, UpdatedAt: f.epoch().Start}
	f.addListing(during) // registered as the commit phase opened
	f.block(f.epoch().RevealStart)
	guessed := during
	guessed.Id, guessed.CreatedAt, guessed.UpdatedAt = 7, f.ctx.BlockTime(), f.ctx.BlockTime()
	f.addListing(guessed) // registered in the reveal phase under the id the curators guessed
	for i := 1; i <= 3; i++ {
		res, err := f.msg.RevealScores(f.ctx, &types.MsgRevealScores{Curator: f.curators[i].String(), Epoch: 0, Salt: "x", Scores: scores(1, 50, 7, 100, 8, 100)})
		require.NoError(t, err)
		require.Equal(t, uint32(1), res.Recorded)
		require.Equal(t, uint32(2), res.Skipped)
	}
	for _, id := range []uint64{7, 8} {
		has, err := f.k.EpochListings.Has(f.ctx, collectionsJoin(0, id))
		require.NoError(t, err)
		require.False(t, has, "listing %d has nothing recorded for the epoch", id)
	}
	f.block(f.epoch().End)
	require.Len(t, f.hook.calls[0].Listings, 1)
	require.Equal(t, uint64(1), f.hook.calls[0].Listings[0].ListingID)
	for _, id := range []uint64{7, 8} {
		_, err := f.query.Scores(f.ctx, &types.QueryScoresRequest{ListingId: id})
		require.Error(t, err, "listing %d has no score", id)
	}
	f.checkInvariant()

	// The next epoch scores them like any other listing.
	for i := 1; i <= 3; i++ {
		require.NoError(t, f.commit(i, "y", scores(7, 60, 8, 40)))
	}
	f.block(f.epoch().RevealStart)
	for i := 1; i <= 3; i++ {
		require.NoError(t, f.reveal(i, "y", scores(7, 60, 8, 40)))
	}
	f.block(f.epoch().End)
	s, err := f.query.Scores(f.ctx, &types.QueryScoresRequest{ListingId: 7})
	require.NoError(t, err)
	require.Equal(t, uint32(60), s.Score.LastEpochScore)
	f.checkInvariant()
}

func TestCommitRevealErrors(t *testing.T) {
	type env struct {
		f *fixture
	}
	cases := []struct {
		name string
		// run prepares state (bonded curator 1 by default, commit phase of epoch 0) and returns the failing call.
		run func(e env) error
		err error
	}{
		{"commit: bad commitment", func(e env) error {
			_, err := e.f.msg.CommitScores(e.f.ctx, &types.MsgCommitScores{Curator: e.f.curators[1].String(), Epoch: 0, Commitment: "ABCD"})
			return err
		}, types.ErrInvalidCommitment},
		{"commit: uppercase hex", func(e env) error {
			c := types.ComputeCommitment(e.f.curators[1].String(), testChainID, "s", 0, scores(1, 1))
			_, err := e.f.msg.CommitScores(e.f.ctx, &types.MsgCommitScores{Curator: e.f.curators[1].String(), Epoch: 0, Commitment: upper(c)})
			return err
		}, types.ErrInvalidCommitment},
		{"commit: wrong epoch", func(e env) error {
			_, err := e.f.msg.CommitScores(e.f.ctx, &types.MsgCommitScores{Curator: e.f.curators[1].String(), Epoch: 1, Commitment: types.ComputeCommitment(e.f.curators[1].String(), testChainID, "s", 1, scores(1, 1))})
			return err
		}, types.ErrWrongEpoch},
		{"commit: in reveal phase", func(e env) error {
			e.f.at(e.f.epoch().RevealStart)
			return e.f.commit(1, "s", scores(1, 50))
		}, types.ErrWrongPhase},
		{"commit: twice", func(e env) error {
			require.NoError(e.f.t, e.f.commit(1, "s", scores(1, 50)))
			return e.f.commit(1, "t", scores(1, 60))
		}, types.ErrAlreadyCommitted},
		{"commit: not a curator", func(e env) error { return e.f.commit(2, "s", scores(1, 50)) }, types.ErrNotCurator},
		{"commit: bad address", func(e env) error {
			_, err := e.f.msg.CommitScores(e.f.ctx, &types.MsgCommitScores{Curator: "bai1nope", Epoch: 0, Commitment: types.ComputeCommitment(e.f.curators[1].String(), testChainID, "s", 0, scores(1, 1))})
			return err
		}, types.ErrInvalidAddress},
		{"reveal: in commit phase", func(e env) error {
			require.NoError(e.f.t, e.f.commit(1, "s", scores(1, 50)))
			return e.f.reveal(1, "s", scores(1, 50))
		}, types.ErrWrongPhase},
		{"reveal: wrong salt", func(e env) error {
			require.NoError(e.f.t, e.f.commit(1, "s", scores(1, 50)))
			e.f.at(e.f.epoch().RevealStart)
			return e.f.reveal(1, "S", scores(1, 50))
		}, types.ErrCommitmentMismatch},
		{"reveal: different score", func(e env) error {
			require.NoError(e.f.t, e.f.commit(1, "s", scores(1, 50)))
			e.f.at(e.f.epoch().RevealStart)
			return e.f.reveal(1, "s", scores(1, 51))
		}, types.ErrCommitmentMismatch},
		{"reveal: wrong epoch", func(e env) error {
			require.NoError(e.f.t, e.f.commit(1, "s", scores(1, 50)))
			e.f.at(e.f.epoch().RevealStart)
			_, err := e.f.msg.RevealScores(e.f.ctx, &types.MsgRevealScores{Curator: e.f.curators[1].String(), Epoch: 1, Salt: "s", Scores: scores(1, 50)})
			return err
		}, types.ErrWrongEpoch},
		{"reveal: no commitment", func(e env) error {
			e.f.at(e.f.epoch().RevealStart)
			return e.f.reveal(1, "s", scores(1, 50))
		}, types.ErrNoCommitment},
		{"reveal: twice", func(e env) error {
			require.NoError(e.f.t, e.f.commit(1, "s", scores(1, 50)))
			e.f.at(e.f.epoch().RevealStart)
			require.NoError(e.f.t, e.f.reveal(1, "s", scores(1, 50)))
			return e.f.reveal(1, "s", scores(1, 50))
		}, types.ErrAlreadyRevealed},
		{"reveal: own listing", func(e env) error {
			e.f.bond(0, 10_000*bai)
			require.NoError(e.f.t, e.f.commit(0, "s", scores(1, 50, 6, 100)))
			e.f.at(e.f.epoch().RevealStart)
			return e.f.reveal(0, "s", scores(1, 50, 6, 100))
		}, types.ErrOwnListing},
		{"reveal: unknown listing", func(e env) error {
			require.NoError(e.f.t, e.f.commit(1, "s", scores(77, 50)))
			e.f.at(e.f.epoch().RevealStart)
			return e.f.reveal(1, "s", scores(77, 50))
		}, types.ErrInvalidScores},
		{"reveal: score above 100", func(e env) error {
			require.NoError(e.f.t, e.f.commit(1, "s", scores(1, 101)))
			e.f.at(e.f.epoch().RevealStart)
			return e.f.reveal(1, "s", scores(1, 101))
		}, types.ErrInvalidScores},
		{"reveal: duplicate listing", func(e env) error {
			require.NoError(e.f.t, e.f.commit(1, "s", scores(1, 5, 1, 5)))
			e.f.at(e.f.epoch().RevealStart)
			return e.f.reveal(1, "s", scores(1, 5, 1, 5))
		}, types.ErrInvalidScores},
		{"reveal: too many scores", func(e env) error {
			p, _ := e.f.k.Params.Get(e.f.ctx)
			p.MaxScoresPerEpoch = 2
			require.NoError(e.f.t, e.f.k.Params.Set(e.f.ctx, p))
			require.NoError(e.f.t, e.f.commit(1, "s", scores(1, 5, 2, 5, 3, 5)))
			e.f.at(e.f.epoch().RevealStart)
			return e.f.reveal(1, "s", scores(1, 5, 2, 5, 3, 5))
		}, types.ErrInvalidScores},
		{"reveal: empty", func(e env) error {
			require.NoError(e.f.t, e.f.commit(1, "s", nil))
			e.f.at(e.f.epoch().RevealStart)
			return e.f.reveal(1, "s", nil)
		}, types.ErrInvalidScores},
		{"reveal: salt with separator", func(e env) error {
			require.NoError(e.f.t, e.f.commit(1, "a|b", scores(1, 5)))
			e.f.at(e.f.epoch().RevealStart)
			return e.f.reveal(1, "a|b", scores(1, 5))
		}, types.ErrInvalidSalt},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.block(t0)
			f.bond(1, 10_000*bai)
			e := env{f: f}
			// Snapshot right before the failing call: wrap run so setup steps are excluded.
			var before string
			orig := f.msg
			f.msg = &snapshotMsg{MsgServer: orig, before: func() { before = f.dump() }}
			err := tc.run(e)
			require.ErrorIs(t, err, tc.err)
			require.Equal(t, before, f.dump(), "a refused message changed state")
		})
	}
}

// snapshotMsg takes a snapshot before every Msg, so the last snapshot is the state right
// before the failing one.
type snapshotMsg struct {
	types.MsgServer
	before func()
}

func (s *snapshotMsg) CommitScores(ctx contextT, m *types.MsgCommitScores) (*types.MsgCommitScoresResponse, error) {
	s.before()
	return s.MsgServer.CommitScores(ctx, m)
}

func (s *snapshotMsg) RevealScores(ctx contextT, m *types.MsgRevealScores) (*types.MsgRevealScoresResponse, error) {
	s.before()
	return s.MsgServer.RevealScores(ctx, m)
}

func (s *snapshotMsg) BondCurator(ctx contextT, m *types.MsgBondCurator) (*types.MsgBondCuratorResponse, error) {
	s.before()
	return s.MsgServer.BondCurator(ctx, m)
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'f' {
			b[i] = c - 32
		}
	}
	return string(b)
}

func TestBoundedEpochEnd(t *testing.T) {
	run := func(work uint32) (*fixture, int) {
		f := newFixture(t)
		p, _ := f.k.Params.Get(f.ctx)
		p.MaxEpochWorkPerBlock = work
		require.NoError(t, f.k.Params.Set(f.ctx, p))
		f.block(t0)
		// 5 curators × 60 listings = 300 reveals + 5 commitments.
		for id := uint64(10); id < 70; id++ {
			f.addListing(marketplacetypes.Listing{Id: id, Kind: marketplacetypes.ListingKindModel, Owner: f.owner.String(),
				Status: marketplacetypes.ListingStatusActive, Collateral: sdk.NewInt64Coin("ubai", 1_000*bai), UpdatedAt: t0.Add(-time.Hour)})
		}
		for i := 1; i <= 5; i++ {
			f.bond(i, int64(10_000+i)*bai)
			var s []types.ListingScoreEntry
			for id := uint64(10); id < 70; id++ {
				s = append(s, types.ListingScoreEntry{ListingId: id, Score: uint32((id*7 + uint64(i)*13) % 101)})
			}
			require.NoError(t, f.commit(i, "b", s))
		}
		f.block(f.epoch().RevealStart)
		for i := 1; i <= 5; i++ {
			var s []types.ListingScoreEntry
			for id := uint64(10); id < 70; id++ {
				s = append(s, types.ListingScoreEntry{ListingId: id, Score: uint32((id*7 + uint64(i)*13) % 101)})
			}
			require.NoError(t, f.reveal(i, "b", s))
		}
		end := f.epoch().End
		blocks := 0
		for len(f.hook.calls) == 0 {
			f.block(end.Add(time.Duration(blocks) * time.Second))
			blocks++
			require.Less(t, blocks, 100)
		}
		return f, blocks
	}
	big, oneBlock := run(10_000)
	require.Equal(t, 1, oneBlock)
	small, blocks := run(100)
	// 300 reveals + 5 commitments at ≤ 100 (+ one listing of 5) per block: 4 blocks.
	require.Equal(t, 4, blocks)
	require.Equal(t, big.hook.calls[0], small.hook.calls[0])
	require.Len(t, small.hook.calls[0].Listings, 60)
	for id := uint64(10); id < 70; id++ {
		a, _ := big.k.ListingScores.Get(big.ctx, id)
		b, _ := small.k.ListingScores.Get(small.ctx, id)
		require.Equal(t, a, b)
	}
	small.checkInvariant()
}

// TestCompletedEpochWaitsForCollection: a completed epoch's results stay stored until its
// reader (x/grants) releases them; curation calls no other module. Exported before collection,
// the epoch comes back as pending and completes again with the same results.
func TestCompletedEpochWaitsForCollection(t *testing.T) {
	f := newFixture(t)
	f.hook.off = true
	f.block(t0)
	for i := 1; i <= 3; i++ {
		f.bond(i, 10_000*bai)
		require.NoError(t, f.commit(i, "h", scores(1, 50)))
	}
	f.block(f.epoch().RevealStart)
	for i := 1; i <= 3; i++ {
		require.NoError(t, f.reveal(i, "h", scores(1, 50)))
	}
	f.block(f.epoch().End)
	pending, err := f.k.PendingEpochs.Has(f.ctx, 0)
	require.NoError(t, err)
	require.False(t, pending)
	epoch, ok, err := f.k.NextCompletedEpoch(f.ctx)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, uint64(0), epoch)
	res, err := f.k.EpochResults(f.ctx, 0)
	require.NoError(t, err)
	require.Len(t, res.Listings, 1)
	require.Equal(t, uint32(50), res.Listings[0].EpochScore)
	require.Len(t, res.Curators, 3)

	// Export before collection: the epoch is pending again in the genesis, with its results.
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.Contains(t, gs.PendingEpochs, uint64(0))
	require.NoError(t, gs.Validate())
	g := newFixtureWith(t, gs)
	g.block(f.ctx.BlockTime().Add(time.Second))
	require.Len(t, g.hook.calls, 1)
	require.Equal(t, res, g.hook.calls[0])
	// Both completions report the same counts: the imported node counted the results it imported.
	for _, ctx := range []sdk.Context{f.ctx, g.ctx} {
		fin := finalizedEvents(t, ctx)
		require.Len(t, fin, 1)
		require.Equal(t, types.EventEpochFinalized{Epoch: 0, ListingsScored: 1, CuratorsRevealed: 3}, *fin[0])
	}

	// The reader takes the results in parts, listings by id first, then curators; taken
	// results are gone from the store.
	part, more, err := f.k.TakeEpochResults(f.ctx, 0, 2)
	require.NoError(t, err)
	require.True(t, more)
	require.Equal(t, res.Listings, part.Listings)
	require.Equal(t, res.Curators[:1], part.Curators)
	part, more, err = f.k.TakeEpochResults(f.ctx, 0, 5)
	require.NoError(t, err)
	require.False(t, more)
	require.Empty(t, part.Listings)
	require.Equal(t, res.Curators[1:], part.Curators)
	_, _, err = f.k.TakeEpochResults(f.ctx, 1, 5)
	require.ErrorIs(t, err, types.ErrEpochNotCompleted, "an epoch not completed has nothing to take")

	awaiting := func(epoch uint64) bool {
		ok, err := f.k.EpochAwaitingResults(f.ctx, epoch)
		require.NoError(t, err)
		return ok
	}
	require.True(t, awaiting(0), "completed, not yet released")
	require.False(t, awaiting(7), "never ended")
	require.NoError(t, f.k.ReleaseEpochResults(f.ctx, 0))
	require.False(t, awaiting(0), "released")
	require.NoError(t, f.k.PendingEpochs.Set(f.ctx, 8))
	require.True(t, awaiting(8), "pending: its finalisation will complete it")
	require.NoError(t, f.k.PendingEpochs.Remove(f.ctx, 8))
	_, ok, err = f.k.NextCompletedEpoch(f.ctx)
	require.NoError(t, err)
	require.False(t, ok)
	res, err = f.k.EpochResults(f.ctx, 0)
	require.NoError(t, err)
	require.Empty(t, res.Listings)
	require.Empty(t, res.Curators)
	require.ErrorIs(t, f.k.ReleaseEpochResults(f.ctx, 0), types.ErrEpochNotCompleted)
}

// TestFailedFinalisationDoesNotHaltTheChain: a finalisation step that fails (here the
// no-reveal slash cannot be paid) writes nothing, does not fail the block, and is tried again
// next block.
func TestFailedFinalisationDoesNotHaltTheChain(t *testing.T) {
	f := oneRevealOfTwo(t)
	account := string(authtypes.NewModuleAddress(types.ModuleName))
	held := f.bank.Balances[account]
	f.bank.Balances[account] = sdk.NewCoins()
	f.block(f.epoch().End) // fails the block if finalisation's error escapes
	require.True(t, f.curator(2).Slashed.IsZero(), "the failed step wrote nothing")
	pending, err := f.k.PendingEpochs.Has(f.ctx, 0)
	require.NoError(t, err)
	require.True(t, pending)

	f.bank.Balances[account] = held
	f.block(f.ctx.BlockTime().Add(time.Second))
	require.Equal(t, math.NewInt(100*bai), f.curator(2).Slashed)
	pending, err = f.k.PendingEpochs.Has(f.ctx, 0)
	require.NoError(t, err)
	require.False(t, pending)
	f.checkInvariant()
}

// finalizedEvents returns the EventEpochFinalized events emitted through ctx.
func finalizedEvents(t *testing.T, ctx sdk.Context) []*types.EventEpochFinalized {
	t.Helper()
	var out []*types.EventEpochFinalized
	for _, e := range ctx.EventManager().Events() {
		if e.Type != proto.MessageName(&types.EventEpochFinalized{}) {
			continue
		}
		ev, err := sdk.ParseTypedEvent(abci.Event(e))
		require.NoError(t, err)
		out = append(out, ev.(*types.EventEpochFinalized))
	}
	return out
}
