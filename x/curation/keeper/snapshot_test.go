package keeper_test

import (
	"strings"
	"testing"
	"time"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/curation/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// TestBondCheckpoints pins the API x/grants uses: BondAt and TotalBondedAt read the state at
// the end of block height−1 (the last change of a block wins), VotingWeight is
// min(bond then, bond now) and zero for a curator not bonded then.
func TestBondCheckpoints(t *testing.T) {
	f := newFixture(t)
	c1, c2 := f.curators[1], f.curators[2]
	n := func(v int64) math.Int { return math.NewInt(v * bai) }
	bondAt := func(a sdk.AccAddress, h int64) math.Int {
		v, err := f.k.BondAt(f.ctx, a, h)
		require.NoError(t, err)
		return v
	}
	totalAt := func(h int64) math.Int {
		v, err := f.k.TotalBondedAt(f.ctx, h)
		require.NoError(t, err)
		return v
	}
	weight := func(a sdk.AccAddress, h int64) math.Int {
		v, err := f.k.VotingWeight(f.ctx, a, h)
		require.NoError(t, err)
		return v
	}

	f.block(t0) // height 2
	f.bond(1, 10_000*bai)
	f.bond(1, 5_000*bai)         // same block: the checkpoint holds the block's final bond
	f.block(t0.Add(time.Minute)) // height 3
	f.bond(2, 20_000*bai)
	f.block(t0.Add(2 * time.Minute)) // height 4
	_, err := f.msg.UnbondCurator(f.ctx, &types.MsgUnbondCurator{Curator: c1.String(), Amount: coinBai(5_000)})
	require.NoError(t, err)
	f.block(t0.Add(3 * time.Minute)) // height 5
	f.bond(1, 40_000*bai)

	// Before the bond's block, in it (strictly before), and after.
	require.True(t, bondAt(c1, 2).IsZero())
	require.Equal(t, n(15_000), bondAt(c1, 3))
	require.Equal(t, n(15_000), bondAt(c1, 4))
	require.Equal(t, n(10_000), bondAt(c1, 5))
	require.Equal(t, n(50_000), bondAt(c1, 6))
	require.Equal(t, n(50_000), bondAt(c1, 1_000))
	require.True(t, bondAt(c2, 3).IsZero())
	require.Equal(t, n(20_000), bondAt(c2, 4))
	require.True(t, bondAt(f.curators[5], 1_000).IsZero())

	require.True(t, totalAt(2).IsZero())
	require.Equal(t, n(15_000), totalAt(3))
	require.Equal(t, n(35_000), totalAt(4))
	require.Equal(t, n(30_000), totalAt(5))
	require.Equal(t, n(70_000), totalAt(6))

	// A vote opened at height 4: c1 had 15,000 then, 50,000 now → 15,000; c2 was not bonded.
	require.Equal(t, n(15_000), weight(c1, 4))
	require.Equal(t, n(10_000), weight(c1, 5)) // the unbond before height 5 caps it
	require.True(t, weight(c2, 3).IsZero())
	require.Equal(t, n(20_000), weight(c2, 4))
	require.True(t, weight(f.curators[5], 4).IsZero())
	// Unbonding during the vote lowers the weight to the bond now.
	_, err = f.msg.UnbondCurator(f.ctx, &types.MsgUnbondCurator{Curator: c2.String(), Amount: coinBai(10_000)})
	require.NoError(t, err)
	require.Equal(t, n(10_000), weight(c2, 4))
	f.checkInvariant()
}

// TestLateBondDoesNotDefeatQuorum is the audit's attack: three curators bonded 10,000 BAI each
// uphold a flag unanimously; in the last block of the voting period a whale bonds 90,000
// BAI. Measured against the total bonded at tally time (120,000) the 30,000 cast missed the
// 1/3 quorum and the flag was rejected; against the total snapshotted when the flag opened
// it is upheld. The whale cannot vote either.
func TestLateBondDoesNotDefeatQuorum(t *testing.T) {
	f := newFixture(t)
	for i := 1; i <= 3; i++ {
		f.bond(i, 10_000*bai)
	}
	f.block(t0)
	id := f.flag(1, 100*bai)
	fl := mustFlag(t, f, id)
	require.Equal(t, math.NewInt(30_000*bai), fl.TotalBondedAtOpen)
	require.Equal(t, f.ctx.BlockHeight(), fl.OpenedHeight)
	for i := 1; i <= 3; i++ {
		require.NoError(t, f.vote(i, id, true))
	}
	end := fl.VotingEnd
	f.block(end.Add(-time.Second))
	f.bond(4, 90_000*bai)
	before := f.dump()
	require.ErrorIs(t, f.vote(4, id, false), types.ErrNoVotingWeight)
	require.Equal(t, before, f.dump())

	f.block(end)
	fl = mustFlag(t, f, id)
	require.Equal(t, types.FlagStatusUpheld, fl.Status)
	require.Equal(t, marketplacetypes.ListingStatusSuspended, f.market.Listings[1].Status)
	f.checkInvariant()
}

// TestFlagVoteWeightIsSnapshotted: a curator bonded in the flag's own block has no weight, and
// one that adds bond after the flag opened votes with its bond from before.
func TestFlagVoteWeightIsSnapshotted(t *testing.T) {
	f := newFixture(t)
	f.bond(1, 10_000*bai)
	f.bond(2, 10_000*bai)
	f.block(t0)
	f.bond(3, 10_000*bai) // same block as the flag
	id := f.flag(1, 100*bai)
	require.ErrorIs(t, f.vote(3, id, true), types.ErrNoVotingWeight)
	f.bond(1, 90_000*bai)
	require.NoError(t, f.vote(1, id, true))
	require.NoError(t, f.vote(2, id, false))
	fl := mustFlag(t, f, id)
	require.Equal(t, math.NewInt(10_000*bai), fl.UpholdWeight)
	require.Equal(t, math.NewInt(10_000*bai), fl.RejectWeight)
	require.Equal(t, math.NewInt(20_000*bai), fl.TotalBondedAtOpen)
	// 1/2 uphold < 2/3: rejected, though curator 1 now holds 100,000 of 120,000 BAI.
	f.block(fl.VotingEnd)
	require.Equal(t, types.FlagStatusRejected, mustFlag(t, f, id).Status)
}

// TestLateBondDoesNotBuyRevealWeight: a curator that sees the others' reveals and then bonds
// ten times more still weighs its bond at commit time, so it cannot drag the median.
func TestLateBondDoesNotBuyRevealWeight(t *testing.T) {
	f := newFixture(t)
	f.block(t0)
	vals := []uint64{80, 80, 10}
	for i := 1; i <= 3; i++ {
		f.bond(i, 10_000*bai)
		require.NoError(t, f.commit(i, "w", scores(1, vals[i-1])))
	}
	f.block(f.epoch().RevealStart)
	require.NoError(t, f.reveal(1, "w", scores(1, 80)))
	require.NoError(t, f.reveal(2, "w", scores(1, 80)))
	f.bank.Fund(f.curators[3], sdk.NewCoins(sdk.NewInt64Coin("ubai", 100_000*bai)))
	f.bond(3, 100_000*bai)
	require.NoError(t, f.reveal(3, "w", scores(1, 10)))
	c, err := f.k.Commitments.Get(f.ctx, collectionsJoinAddr(f.epoch().Number, f.curators[3]))
	require.NoError(t, err)
	require.Equal(t, math.NewInt(10_000*bai), c.BondAtCommit)
	require.Equal(t, math.NewInt(10_000*bai), c.Weight)
	f.block(f.epoch().End)
	s, err := f.query.Scores(f.ctx, &types.QueryScoresRequest{ListingId: 1})
	require.NoError(t, err)
	require.Equal(t, uint32(80), s.Score.LastEpochScore)
	require.Equal(t, math.NewInt(10_000*bai), f.hook.calls[0].Curators[2].Weight)
}

// TestCopiedCommitmentCannotBeRevealed: a lazy curator commits a copy of another curator's
// commitment (it is public in the tx and the event) and replays that curator's reveal. The
// commitment binds the committing curator, so the replay does not match and changes nothing;
// the copier ends the epoch unrevealed and is slashed. A commitment made for another chain id
// does not reveal either.
func TestCopiedCommitmentCannotBeRevealed(t *testing.T) {
	f := newFixture(t)
	f.block(t0)
	f.bond(1, 10_000*bai)
	f.bond(2, 10_000*bai)
	f.bond(3, 10_000*bai)
	require.NoError(t, f.commit(1, "secret", scores(1, 80)))
	orig, err := f.k.Commitments.Get(f.ctx, collectionsJoinAddr(0, f.curators[1]))
	require.NoError(t, err)
	_, err = f.msg.CommitScores(f.ctx, &types.MsgCommitScores{Curator: f.curators[2].String(), Epoch: 0, Commitment: orig.Commitment})
	require.NoError(t, err)
	foreign := types.ComputeCommitment(f.curators[3].String(), "other-chain-1", "salt3", 0, scores(1, 50))
	_, err = f.msg.CommitScores(f.ctx, &types.MsgCommitScores{Curator: f.curators[3].String(), Epoch: 0, Commitment: foreign})
	require.NoError(t, err)

	f.block(f.epoch().RevealStart)
	require.NoError(t, f.reveal(1, "secret", scores(1, 80)))
	before := f.dump()
	require.ErrorIs(t, f.reveal(2, "secret", scores(1, 80)), types.ErrCommitmentMismatch)
	require.ErrorIs(t, f.reveal(3, "salt3", scores(1, 50)), types.ErrCommitmentMismatch)
	require.Equal(t, before, f.dump())

	f.block(f.epoch().End)
	require.Equal(t, uint64(1), f.curator(2).EpochsMissed)
	require.Equal(t, math.NewInt(9_900*bai), f.curator(2).Bond)
	require.Equal(t, uint64(1), f.curator(1).EpochsRevealed)
	f.checkInvariant()
}

// TestFlagHoldsCollateralAndSlashesItsBase: opening a flag takes a marketplace hold and stores
// the collateral held as the slash base; the tally slashes flag_slash_fraction of that base
// (not of whatever the collateral became), capped at what is left, and releases the hold.
func TestFlagHoldsCollateralAndSlashesItsBase(t *testing.T) {
	for _, tc := range []struct {
		name       string
		later      int64 // collateral (BAI) of the listing at tally time
		wantSlashd int64
	}{
		{"collateral grew: the base is the collateral at opening", 3_000, 500},
		{"collateral shrank: capped at what is left", 300, 300},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			for i := 1; i <= 3; i++ {
				f.bond(i, 10_000*bai)
			}
			f.block(t0)
			id := f.flag(2, 100*bai)
			fl := mustFlag(t, f, id)
			require.Equal(t, sdk.NewInt64Coin("ubai", 1_000*bai), fl.CollateralAtOpen)
			require.Equal(t, map[uint64]int{2: 1}, f.market.Holds)
			for i := 1; i <= 3; i++ {
				require.NoError(t, f.vote(i, id, true))
			}
			l := f.market.Listings[2]
			diff := tc.later*bai - l.Collateral.Amount.Int64()
			if diff > 0 {
				f.bank.Fund(marketAddr(), sdk.NewCoins(sdk.NewInt64Coin("ubai", diff)))
			}
			l.Collateral = sdk.NewInt64Coin("ubai", tc.later*bai)
			f.market.Listings[2] = l

			f.block(fl.VotingEnd)
			fl = mustFlag(t, f, id)
			require.Equal(t, types.FlagStatusUpheld, fl.Status)
			require.Equal(t, sdk.NewInt64Coin("ubai", tc.wantSlashd*bai), fl.Slashed)
			require.Empty(t, f.market.Holds, "the hold is released at the tally")
		})
	}

	// A rejected flag releases its hold too.
	f := newFixture(t)
	f.block(t0)
	id := f.flag(1, 100*bai)
	require.Equal(t, map[uint64]int{1: 1}, f.market.Holds)
	f.block(mustFlag(t, f, id).VotingEnd)
	require.Equal(t, types.FlagStatusRejected, mustFlag(t, f, id).Status)
	require.Empty(t, f.market.Holds)
}

// TestFlagReasonRefusesInvisibleCharacters: a reason with a bidi override, a zero-width
// space, a control character or a newline is refused with ErrInvalidFlag, changing nothing.
func TestFlagReasonRefusesInvisibleCharacters(t *testing.T) {
	f := newFixture(t)
	f.block(t0)
	for _, reason := range []string{
		"serves a different model\u202e",
		"fake\u200bmodel",
		"tab\there",
		"line\nbreak",
		"bad utf-8 \xff",
		"\u00a0",
	} {
		before := f.dump()
		_, err := f.msg.FlagListing(f.ctx, &types.MsgFlagListing{Flagger: f.flagger.String(), ListingId: 1, Reason: reason,
			EvidenceCid: evidence, Deposit: sdk.NewInt64Coin("ubai", 100*bai)})
		require.ErrorIs(t, err, types.ErrInvalidFlag, "%q", reason)
		require.ErrorContains(t, err, "reason")
		require.Equal(t, before, f.dump())
		require.Empty(t, f.market.Holds)
	}
	// Visible non-ASCII text is fine.
	_, err := f.msg.FlagListing(f.ctx, &types.MsgFlagListing{Flagger: f.flagger.String(), ListingId: 1,
		Reason: "modèle différent — 别的模型", EvidenceCid: evidence, Deposit: sdk.NewInt64Coin("ubai", 100*bai)})
	require.NoError(t, err)
}

// TestLongReasonIsCutOnACharacterBoundary: the slash reason handed to the marketplace is the
// flag reason behind a prefix, cut to 512 bytes; the cut never splits a character (a split
// one is invalid UTF-8, which the marketplace may refuse, losing the slash).
func TestLongReasonIsCutOnACharacterBoundary(t *testing.T) {
	f := newFixture(t)
	for i := 1; i <= 3; i++ {
		f.bond(i, 10_000*bai)
	}
	f.block(t0)
	reason := strings.Repeat("€", types.MaxReasonLength/3) // 510 bytes
	res, err := f.msg.FlagListing(f.ctx, &types.MsgFlagListing{Flagger: f.flagger.String(), ListingId: 1, Reason: reason,
		EvidenceCid: evidence, Deposit: sdk.NewInt64Coin("ubai", 100*bai)})
	require.NoError(t, err)
	for i := 1; i <= 3; i++ {
		require.NoError(t, f.vote(i, res.FlagId, true))
	}
	f.block(mustFlag(t, f, res.FlagId).VotingEnd)
	fl := mustFlag(t, f, res.FlagId)
	require.Equal(t, types.FlagStatusUpheld, fl.Status)
	require.Equal(t, sdk.NewInt64Coin("ubai", 500*bai), fl.Slashed)
	require.Len(t, f.market.Reasons, 1)
	require.LessOrEqual(t, len(f.market.Reasons[0]), marketplacetypes.MaxReasonLength)
	require.True(t, strings.HasPrefix(f.market.Reasons[0], "curation flag 1 upheld: €"))
}

// TestBondCheckpointsProperty drives random bonds and unbonds of three curators over random
// blocks and checks BondAt, TotalBondedAt and VotingWeight at every height against a model
// that records the bonds at the end of each block.
func TestBondCheckpointsProperty(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		f := newFixture(t)
		for i := 1; i <= 3; i++ { // at most 8 blocks × 4 bonds × 20,000 BAI each
			f.bank.Fund(f.curators[i], sdk.NewCoins(sdk.NewInt64Coin("ubai", 1_000_000*bai)))
		}
		f.block(t0)
		start := f.ctx.BlockHeight()
		// endOf[h][i] is curator i's bond at the end of block h.
		endOf := map[int64][3]int64{}
		var cur [3]int64
		blocks := rapid.IntRange(1, 8).Draw(rt, "blocks")
		// ops bonds and unbonds at random in the current block.
		ops := func() {
			n := rapid.IntRange(0, 4).Draw(rt, "ops")
			for o := 0; o < n; o++ {
				i := rapid.IntRange(0, 2).Draw(rt, "curator")
				if cur[i] > 0 && rapid.Bool().Draw(rt, "unbond") {
					amt := cur[i] // all of it, or down to the minimum
					if cur[i] > 10_000 && rapid.Bool().Draw(rt, "partial") {
						amt = cur[i] - 10_000
					}
					_, err := f.msg.UnbondCurator(f.ctx, &types.MsgUnbondCurator{Curator: f.curators[i+1].String(), Amount: coinBai(amt)})
					require.NoError(rt, err)
					cur[i] -= amt
				} else {
					amt := int64(rapid.IntRange(10_000, 20_000).Draw(rt, "bond"))
					_, err := f.msg.BondCurator(f.ctx, &types.MsgBondCurator{Curator: f.curators[i+1].String(), Amount: coinBai(amt)})
					require.NoError(rt, err)
					cur[i] += amt
				}
			}
			endOf[f.ctx.BlockHeight()] = cur
		}
		for b := 0; b < blocks; b++ {
			ops()
			f.block(f.ctx.BlockTime().Add(time.Second))
		}
		// The current block changes bonds too, or not: a read at its own height must not see
		// them, a read above it must.
		ops()
		for h := start - 1; h <= f.ctx.BlockHeight()+1; h++ {
			var then [3]int64
			for p := h - 1; p >= start; p-- { // the last block before h
				if v, ok := endOf[p]; ok {
					then = v
					break
				}
			}
			total := int64(0)
			for i := 0; i < 3; i++ {
				total += then[i]
				got, err := f.k.BondAt(f.ctx, f.curators[i+1], h)
				require.NoError(rt, err)
				require.Equal(rt, math.NewInt(then[i]*bai).String(), got.String(), "curator %d at height %d", i, h)
				w, err := f.k.VotingWeight(f.ctx, f.curators[i+1], h)
				require.NoError(rt, err)
				want := then[i]
				if cur[i] < want {
					want = cur[i]
				}
				require.Equal(rt, math.NewInt(want*bai).String(), w.String(), "weight of curator %d at height %d", i, h)
			}
			got, err := f.k.TotalBondedAt(f.ctx, h)
			require.NoError(rt, err)
			require.Equal(rt, math.NewInt(total*bai).String(), got.String(), "total at height %d", h)
		}
		require.NoError(rt, f.k.CheckAccounting(f.ctx))
	})
}
