package curation_test

import (
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/balanceai/balanceai/testutil"
	"github.com/balanceai/balanceai/x/curation/types"
	grantstypes "github.com/balanceai/balanceai/x/grants/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"

	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
)

const (
	epochDuration  = 40 * time.Second
	revealDuration = 20 * time.Second
	bond           = 10_000 * bai
)

func dec(s string) math.LegacyDec { return math.LegacyMustNewDecFromStr(s) }

// TestEpochScoringThroughTheApp drives two 40 s scoring epochs (20 s reveal phase) with 2 s
// blocks through the real app:
//
//   - epoch 1: curators 1-3 (10,000 BAI each) score listing 1 with 80, 70 and 10 and curators
//     1-2 score listing 2; curator 4 commits a copy of curator 1's commitment (public in the
//     tx) and tries to replay curator 1's reveal, which is refused: the commitment hashes the
//     committing curator. Listing 1 gets 70 (the median), listing 2 nothing
//     (2 < min_curators_per_listing); curator 4, which never revealed, loses 1 % of its bond
//     to models_fund; reputations move 0.5 → 0.75 / 0.75 / 0.25; curator 4 keeps 0.5.
//   - epoch 2: curator 3 bonds 20,000 BAI more before committing, so its reveal weighs 30,000
//     BAI against 10,000 + 10,000: scores 60, 50 and 20 give a bond-weighted median of 20 (the
//     plain median would be 50); curation_score = 0.5·20 + 0.5·70 = 45. Curator 2 bonds
//     20,000 BAI more after committing: its reveal still weighs its 10,000 BAI at commit time
//     (with 30,000 on 50 the median would be 50). Curator 4, slashed below min_curator_bond,
//     may no longer commit.
//
// Along the way the refusals (double commit, wrong epoch, reveal in the commit phase, commit
// in the reveal phase, wrong salt, non-curator) change nothing but the signer's fee.
func TestEpochScoringThroughTheApp(t *testing.T) {
	e := newEnv(t, 2*time.Second, func(p *types.Params) {
		p.EpochDuration = epochDuration
		p.RevealDuration = revealDuration
	})
	c1, c2, c3, c4 := e.cur[0], e.cur[1], e.cur[2], e.cur[3]

	// Epoch 0 starts at the first block.
	ep := e.epoch()
	require.Equal(t, uint64(0), ep.Number)
	require.Equal(t, int64(1), e.c.Height)
	require.Equal(t, e.c.Time.UTC(), ep.Start, "epoch 0 starts at block 1")
	require.Equal(t, ep.Start.Add(epochDuration), ep.End)
	require.Equal(t, ep.End.Add(-revealDuration), ep.RevealStart)
	require.Equal(t, types.EpochPhaseCommit, ep.Phase)

	l1 := e.register(marketplacetypes.ListingKindModel, "Summariser", 1_000*bai)
	l2 := e.register(marketplacetypes.ListingKindModel, "Translator", 1_000*bai)
	e.batch(tx(c1, e.bondMsg(c1, bond)), tx(c2, e.bondMsg(c2, bond)), tx(c3, e.bondMsg(c3, bond)), tx(c4, e.bondMsg(c4, bond)))
	require.Equal(t, math.NewInt(4*bond).String(), e.balance(curationAddr).String())
	e.invariant()

	// ---- Epoch 1: commit phase.
	e.waitPhase(1, types.EpochPhaseCommit)
	copied := *e.commitMsg(c1, 1, "salt-one", sc(l1, 80), sc(l2, 40))
	copied.Curator = c4.Address.String()
	e.batch(
		tx(c1, e.commitMsg(c1, 1, "salt-one", sc(l1, 80), sc(l2, 40))),
		tx(c2, e.commitMsg(c2, 1, "salt-two", sc(l2, 45), sc(l1, 70))),
		tx(c3, e.commitMsg(c3, 1, "salt-three", sc(l1, 10))),
		tx(c4, &copied),
	)
	e.refuse(types.ErrAlreadyCommitted, "epoch 1", c1, e.commitMsg(c1, 1, "again", sc(l1, 20)))
	e.refuse(types.ErrWrongEpoch, "current epoch is 1, got 2", c2, e.commitMsg(c2, 2, "early", sc(l1, 20)))
	e.refuse(types.ErrNotCurator, "has bond 0ubai", e.outsider, e.commitMsg(e.outsider, 1, "x", sc(l1, 20)))
	e.refuse(types.ErrWrongPhase, "EPOCH_PHASE_COMMIT", c1, e.revealMsg(c1, 1, "salt-one", sc(l1, 80), sc(l2, 40)))

	// ---- Epoch 1: reveal phase.
	e.waitPhase(1, types.EpochPhaseReveal)
	e.refuse(types.ErrWrongPhase, "EPOCH_PHASE_REVEAL", e.outsider, e.commitMsg(e.outsider, 1, "late", sc(l1, 20)))
	e.refuse(types.ErrCommitmentMismatch, "do not match", c1, e.revealMsg(c1, 1, "salt-wrong", sc(l1, 80), sc(l2, 40)))
	e.refuse(types.ErrCommitmentMismatch, "do not match", c1, e.revealMsg(c1, 1, "salt-one", sc(l1, 81), sc(l2, 40)))
	e.refuse(types.ErrNoCommitment, "did not commit", e.outsider, e.revealMsg(e.outsider, 1, "x", sc(l1, 20)))
	res := e.batch(
		tx(c1, e.revealMsg(c1, 1, "salt-one", sc(l2, 40), sc(l1, 80))), // any order: the reveal sorts
		tx(c2, e.revealMsg(c2, 1, "salt-two", sc(l1, 70), sc(l2, 45))),
		tx(c3, e.revealMsg(c3, 1, "salt-three", sc(l1, 10))),
	)
	var rev types.MsgRevealScoresResponse
	testutil.MsgResponse(t, res.TxResults[0], &rev)
	require.Equal(t, uint32(2), rev.Recorded)
	require.Zero(t, rev.Skipped)
	// The copier replays curator 1's reveal, now public: it does not hash to its commitment.
	e.refuse(types.ErrCommitmentMismatch, "do not match", c4, e.revealMsg(c4, 1, "salt-one", sc(l2, 40), sc(l1, 80)))
	e.refuse(types.ErrAlreadyRevealed, "epoch 1", c3, e.revealMsg(c3, 1, "salt-three", sc(l1, 10)))
	e.invariant()

	// ---- Epoch 1 ends: the block that starts epoch 2 finalises it.
	e.untilEpochEnd(2)
	c4Before := e.balance(c4.Address)
	curationBefore := e.balance(curationAddr)
	modelsBefore := e.balance(modelsFundAddr)
	block := e.untilEpoch(2)
	ep = e.epoch()
	require.Equal(t, types.EpochPhaseCommit, ep.Phase)
	require.False(t, e.c.Time.Before(ep.Start), "epoch 2 started at %s, block time %s", ep.Start, e.c.Time)

	s1, err := e.score(l1)
	require.NoError(t, err)
	require.Equal(t, uint32(70), s1.LastEpochScore, "median of 80, 70, 10 with equal bonds")
	require.Equal(t, dec("70").String(), s1.CurationScore.String(), "the first epoch score initialises the EMA")
	require.Equal(t, uint64(1), s1.LastEpoch)
	require.Equal(t, uint32(3), s1.LastCurators)
	require.Equal(t, uint64(1), s1.EpochsScored)
	_, err = e.score(l2)
	require.ErrorContains(t, err, "has no curation score yet", "2 reveals < min_curators_per_listing")

	// Reputation: EMA with alpha 0.5 from 0.5 of the share of scores within 15 of consensus
	// (listing 2 has no consensus, so only listing 1 counts).
	for _, want := range []struct {
		name       string
		rep, agree string
		revealed   uint64
	}{{"cur1", "0.75", "1", 1}, {"cur2", "0.75", "1", 1}, {"cur3", "0.25", "0", 1}} {
		cu := e.curator(e.c.Accounts[want.name])
		require.Equal(t, dec(want.rep).String(), cu.Reputation.String(), want.name)
		require.Equal(t, dec(want.agree).String(), cu.LastAgreement.String(), want.name)
		require.Equal(t, want.revealed, cu.EpochsRevealed, want.name)
		require.Zero(t, cu.EpochsMissed, want.name)
		require.Equal(t, math.NewInt(bond).String(), cu.Bond.String(), want.name)
	}

	// No reveal: 1 % of curator 4's bond goes to models_fund; its reputation stays.
	slash := bond / 100
	cu4 := e.curator(c4)
	require.Equal(t, math.NewInt(bond-slash).String(), cu4.Bond.String())
	require.Equal(t, math.NewInt(slash).String(), cu4.Slashed.String())
	require.Equal(t, uint64(1), cu4.EpochsMissed)
	require.Zero(t, cu4.EpochsRevealed)
	require.Equal(t, types.InitialReputation.String(), cu4.Reputation.String())
	require.Equal(t, c4Before.String(), e.balance(c4.Address).String(), "the slash comes out of the bond, not the account")
	require.Equal(t, curationBefore.SubRaw(slash).String(), e.balance(curationAddr).String())
	require.Equal(t, math.NewInt(slash).String(), transfers(t, block, curationAddr, modelsFundAddr).String())
	// models_fund: + emission + the slash − the epoch's pool x/grants took + what of the pool
	// was not credited (the rounding dust), which x/grants returned once the epoch was paid.
	models, _ := emissionTo(t, block)
	out := transfers(t, block, modelsFundAddr, nil)
	back := transfers(t, block, authtypes.NewModuleAddress(grantstypes.ModuleName), modelsFundAddr)
	require.True(t, back.LT(out), "the pool was credited")
	require.Equal(t, modelsBefore.Add(models).AddRaw(slash).Sub(out).Add(back).String(), e.balance(modelsFundAddr).String())
	require.Equal(t, out.String(), transfers(t, block, modelsFundAddr, authtypes.NewModuleAddress(grantstypes.ModuleName)).String(),
		"only x/grants takes from models_fund")
	var total types.QueryCuratorsResponse
	require.NoError(t, e.query("Curators", &types.QueryCuratorsRequest{}, &total))
	require.Len(t, total.Curators, 4)
	tb, err := e.c.App.CurationKeeper.GetTotalBonded(e.c.Ctx())
	require.NoError(t, err)
	require.Equal(t, math.NewInt(4*bond-slash).String(), tb.String())

	slashed := typedEvents[*types.EventCuratorSlashed](t, block)
	require.Len(t, slashed, 1)
	require.Equal(t, c4.Address.String(), slashed[0].Curator)
	require.Equal(t, ubai(slash), slashed[0].Amount)
	require.Equal(t, "models_fund", slashed[0].Destination)
	fin := typedEvents[*types.EventEpochFinalized](t, block)
	require.Len(t, fin, 1)
	require.Equal(t, uint64(1), fin[0].Epoch)
	require.Equal(t, uint32(1), fin[0].ListingsScored)
	require.Equal(t, uint32(3), fin[0].CuratorsRevealed)
	require.Empty(t, typedEvents[*grantstypes.EventEpochRewardsFailed](t, block), "x/grants paid the completed epoch")
	lastPaid, err := e.c.App.GrantsKeeper.LastRewardedEpoch.Get(e.c.Ctx())
	require.NoError(t, err)
	require.Equal(t, uint64(1), lastPaid, "x/grants collected the epoch in the block that completed it")
	_, pendingResults, err := e.c.App.CurationKeeper.NextCompletedEpoch(e.c.Ctx())
	require.NoError(t, err)
	require.False(t, pendingResults, "the collected results are released")
	scored := typedEvents[*types.EventListingScored](t, block)
	require.Len(t, scored, 1)
	require.Equal(t, l1, scored[0].ListingId)
	require.Equal(t, uint32(70), scored[0].EpochScore)
	e.invariant()

	// Curator 4 is below min_curator_bond now and may not commit.
	e.refuse(types.ErrNotCurator, "has bond 9900000000ubai", c4, e.commitMsg(c4, 2, "salt", sc(l1, 50)))

	// ---- Epoch 2: bond weight decides the median.
	e.waitPhase(2, types.EpochPhaseCommit)
	e.ok(c3, e.bondMsg(c3, 2*bond)) // bonded before committing: it counts
	e.batch(
		tx(c1, e.commitMsg(c1, 2, "s1", sc(l1, 60))),
		tx(c2, e.commitMsg(c2, 2, "s2", sc(l1, 50))),
		tx(c3, e.commitMsg(c3, 2, "s3", sc(l1, 20))),
	)
	e.ok(c2, e.bondMsg(c2, 2*bond)) // bonded after committing: the reveal weighs the bond at commit
	e.waitPhase(2, types.EpochPhaseReveal)
	res = e.batch(
		tx(c1, e.revealMsg(c1, 2, "s1", sc(l1, 60))),
		tx(c2, e.revealMsg(c2, 2, "s2", sc(l1, 50))),
		tx(c3, e.revealMsg(c3, 2, "s3", sc(l1, 20))),
	)
	e.untilEpoch(3)

	s1, err = e.score(l1)
	require.NoError(t, err)
	require.Equal(t, uint32(20), s1.LastEpochScore, "30,000 BAI on 20 outweighs 10,000 on 50 and 10,000 on 60")
	revealed := typedEvents[*types.EventScoresRevealed](t, &abci.ResponseFinalizeBlock{Events: res.TxResults[1].Events})
	require.Len(t, revealed, 1)
	require.Equal(t, math.NewInt(bond).String(), revealed[0].Weight.String(), "curator 2's weight is its bond at commit")
	require.Equal(t, dec("45").String(), s1.CurationScore.String(), "0.5·20 + 0.5·70")
	require.Equal(t, uint64(2), s1.LastEpoch)
	require.Equal(t, uint64(2), s1.EpochsScored)
	for _, want := range []struct{ name, rep string }{{"cur1", "0.375"}, {"cur2", "0.375"}, {"cur3", "0.625"}} {
		cu := e.curator(e.c.Accounts[want.name])
		require.Equal(t, dec(want.rep).String(), cu.Reputation.String(), want.name)
		require.Equal(t, uint64(2), cu.EpochsRevealed, want.name)
	}
	cu4 = e.curator(c4)
	require.Equal(t, uint64(1), cu4.EpochsMissed, "no commitment, no slash")
	require.Equal(t, math.NewInt(bond-slash).String(), cu4.Bond.String())
	e.invariant()

	// Unbonding is allowed again once nothing waits for a reveal.
	e.ok(c4, &types.MsgUnbondCurator{Curator: c4.Address.String(), Amount: ubai(bond - slash)})
	require.True(t, e.curator(c4).Bond.IsZero())
	e.invariant()
}
