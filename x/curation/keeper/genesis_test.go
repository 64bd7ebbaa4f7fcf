package keeper_test

import (
	"strings"
	"testing"
	"time"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/curation/types"
)

// TestGenesisRoundTrip exports a state with everything in flight (bonds, unbondings, a
// revealed and an unrevealed commitment, a half-finalised epoch, scores, open and resolved
// flags with votes) and imports it into a fresh store: the export of the import is identical.
func TestGenesisRoundTrip(t *testing.T) {
	f := newFixture(t)
	p, _ := f.k.Params.Get(f.ctx)
	p.MaxEpochWorkPerBlock = 100
	require.NoError(t, f.k.Params.Set(f.ctx, p))
	f.block(t0)
	for i := 1; i <= 4; i++ {
		f.bond(i, 12_000*bai)
	}
	// Epoch 0 scored and finalised.
	for i := 1; i <= 3; i++ {
		require.NoError(t, f.commit(i, "g", scores(1, 50+uint64(i))))
	}
	f.block(f.epoch().RevealStart)
	for i := 1; i <= 3; i++ {
		require.NoError(t, f.reveal(i, "g", scores(1, 50+uint64(i))))
	}
	f.block(f.epoch().End)
	// Epoch 1 with reveals and a missing reveal, ended but not finalised yet (BeginBlock only).
	for i := 1; i <= 4; i++ {
		require.NoError(t, f.commit(i, "h", scores(1, 20, 2, 30)))
	}
	f.block(f.epoch().RevealStart)
	for i := 1; i <= 3; i++ {
		require.NoError(t, f.reveal(i, "h", scores(1, 20, 2, 30)))
	}
	_, err := f.msg.UnbondCurator(f.ctx, &types.MsgUnbondCurator{Curator: f.curators[1].String(), Amount: coinBai(2_000)})
	require.NoError(t, err)
	f.flag(3, 100*bai)
	require.NoError(t, f.vote(2, 1, true))
	f.ctx = f.ctx.WithBlockTime(f.epoch().End)
	require.NoError(t, f.k.BeginBlocker(f.ctx))

	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, gs.Validate())
	require.NotEmpty(t, gs.Commitments)
	require.NotEmpty(t, gs.RevealedScores)
	// Each reveal of epoch 1 recorded two scores: half its weight on each.
	for _, r := range gs.RevealedScores {
		require.Equal(t, r.Weight.QuoRaw(2), r.RewardWeight)
	}
	// Reveals whose weight is not their commitment's, or whose reward weights add up to more
	// than it, are refused.
	for name, tamper := range map[string]func(rs []types.RevealedScore){
		"weight not the commitment's":    func(rs []types.RevealedScore) { rs[0].Weight = rs[0].Weight.AddRaw(1) },
		"reward weight above the weight": func(rs []types.RevealedScore) { rs[0].RewardWeight = rs[0].Weight.AddRaw(1) },
		"reward weights above the weight together": func(rs []types.RevealedScore) {
			for i := range rs {
				rs[i].RewardWeight = rs[i].Weight
			}
		},
		"missing reward weight": func(rs []types.RevealedScore) { rs[0].RewardWeight = math.Int{} },
	} {
		bad := *gs
		bad.RevealedScores = append([]types.RevealedScore(nil), gs.RevealedScores...)
		tamper(bad.RevealedScores)
		require.ErrorIs(t, bad.Validate(), types.ErrInvalidGenesis, name)
	}
	require.Equal(t, []uint64{1}, gs.PendingEpochs)
	require.NotEmpty(t, gs.Flags)
	require.NotEmpty(t, gs.FlagVotes)
	require.NotEmpty(t, gs.Unbondings)
	require.NotEmpty(t, gs.ListingScores)
	require.NotEmpty(t, gs.BondHistory)
	require.NotEmpty(t, gs.TotalBondedHistory)

	// An open flag must carry its votes' weights, within what was bonded when it opened, and a
	// listing kind: a tally on anything else would decide wrongly or halt the chain.
	clone := func() *types.GenesisState {
		var c types.GenesisState
		f.enc.Codec.MustUnmarshalJSON(f.enc.Codec.MustMarshalJSON(gs), &c)
		return &c
	}
	for name, mut := range map[string]func(*types.GenesisState){
		"uphold weight missing":   func(g *types.GenesisState) { g.Flags[0].UpholdWeight = math.Int{} },
		"uphold weight not votes": func(g *types.GenesisState) { g.Flags[0].UpholdWeight = g.Flags[0].UpholdWeight.AddRaw(1) },
		"reject weight not votes": func(g *types.GenesisState) { g.Flags[0].RejectWeight = g.Flags[0].RejectWeight.AddRaw(1) },
		"kind unspecified":        func(g *types.GenesisState) { g.Flags[0].ListingKind = 0 },
		"vote above bonded": func(g *types.GenesisState) {
			g.Flags[0].TotalBondedAtOpen = g.Flags[0].UpholdWeight.Add(g.Flags[0].RejectWeight).SubRaw(1)
		},
		"vote weight missing": func(g *types.GenesisState) { g.FlagVotes[0].Weight = math.Int{} },
		"running epoch pending": func(g *types.GenesisState) {
			g.PendingEpochs = append(g.PendingEpochs, g.Epoch.Number)
		},
		"flagger in upper case": func(g *types.GenesisState) { g.Flags[0].Flagger = strings.ToUpper(g.Flags[0].Flagger) },
		// Epoch data of an epoch neither running nor pending would never be finalised.
		"commitment of a later epoch": func(g *types.GenesisState) {
			c := g.Commitments[0]
			c.Epoch, c.Revealed = g.Epoch.Number+1, false
			g.Commitments = append(g.Commitments, c)
		},
		"epoch listing of a finalised epoch": func(g *types.GenesisState) {
			g.EpochListings = append(g.EpochListings, types.EpochListing{Epoch: 0, ListingId: 77})
		},
		"duplicate listing result": func(g *types.GenesisState) {
			r := types.EpochListingResult{Epoch: 1, ListingId: 77, EpochScore: 50, Weight: math.OneInt()}
			g.EpochListingResults = append(g.EpochListingResults, r, r)
		},
		"duplicate curator result": func(g *types.GenesisState) {
			r := types.EpochCuratorResult{Epoch: 1, Curator: g.Curators[0].Address}
			g.EpochCuratorResults = append(g.EpochCuratorResults, r, r)
		},
		"curator in upper case": func(g *types.GenesisState) { g.Curators[0].Address = strings.ToUpper(g.Curators[0].Address) },
	} {
		c := clone()
		require.Equal(t, types.FlagStatusOpen, c.Flags[0].Status)
		mut(c)
		require.ErrorIs(t, c.Validate(), types.ErrInvalidGenesis, name)
	}

	// JSON round trip through the codec, as the app does.
	bz := f.enc.Codec.MustMarshalJSON(gs)
	var gs2 types.GenesisState
	f.enc.Codec.MustUnmarshalJSON(bz, &gs2)
	// The exported chain continues at the next height.
	g := f.importAt(t, &gs2, f.ctx.BlockHeight()+1)
	g.ctx = g.ctx.WithBlockTime(f.ctx.BlockTime()).WithBlockHeight(f.ctx.BlockHeight())
	gs3, err := g.k.ExportGenesis(g.ctx)
	require.NoError(t, err)
	require.Equal(t, string(bz), string(g.enc.Codec.MustMarshalJSON(gs3)))

	// Both continue identically: finish epoch 1 on each.
	for _, x := range []*fixture{f, g} {
		for i := 0; i < 3; i++ {
			x.block(x.ctx.BlockTime().Add(time.Second))
		}
	}
	a, _ := f.k.ExportGenesis(f.ctx)
	b, _ := g.k.ExportGenesis(g.ctx)
	require.Equal(t, a, b)
	require.Empty(t, a.PendingEpochs)
	require.Equal(t, uint64(1), a.Curators[3].EpochsMissed)
}

// TestGenesisRestartAtHeightZero imports a genesis exported for a restart at height zero: its
// bond checkpoints carry the old chain's heights, above the new chain's first blocks. The
// import checkpoints the bonds at the genesis height instead; before, a bond changed in an
// early block of the new chain was not the curator's latest checkpoint (a later height of the
// old chain was), which broke the accounting invariant and every vote weighed from the
// checkpoints.
func TestGenesisRestartAtHeightZero(t *testing.T) {
	f := twoCuratorsAfterNineBlocks(t)
	f.checkInvariant()
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.Greater(t, gs.BondHistory[0].Height, int64(1))

	// The new chain starts at height 1: InitChain imports at height 0.
	g := f.importAt(t, gs, 0)
	g.checkInvariant()
	g.block(f.ctx.BlockTime().Add(time.Minute)) // height 1
	g.bond(2, 1_000*bai)
	g.checkInvariant()
	w, err := g.k.VotingWeight(g.ctx, g.curators[2], g.ctx.BlockHeight()+1)
	require.NoError(t, err)
	require.Equal(t, int64(13_000*bai), w.Int64(), "the bond of the new chain's block weighs from the next block on")
	total, err := g.k.TotalBondedAt(g.ctx, g.ctx.BlockHeight()+1)
	require.NoError(t, err)
	require.Equal(t, int64(25_000*bai), total.Int64())
}

// TestGenesisRestartAtHeightZeroKeepsFlagSnapshots: an open flag's snapshot height from the
// old chain is above the new chain's first blocks; on import it is moved to the first block,
// so it still weighs the bonds as exported and a curator bonding on the new chain cannot vote.
func TestGenesisRestartAtHeightZeroKeepsFlagSnapshots(t *testing.T) {
	f := twoCuratorsAfterNineBlocks(t)
	f.block(f.ctx.BlockTime().Add(time.Minute))
	id := f.flag(1, 100*bai)
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.Greater(t, gs.Flags[0].OpenedHeight, int64(1))

	g := f.importAt(t, gs, 0)
	fl, err := g.k.Flags.Get(g.ctx, id)
	require.NoError(t, err)
	require.Equal(t, int64(1), fl.OpenedHeight)
	g.block(f.ctx.BlockTime().Add(time.Minute)) // height 1
	g.bond(3, 90_000*bai)
	g.block(g.ctx.BlockTime().Add(time.Minute))
	require.ErrorIs(t, g.vote(3, id, true), types.ErrNoVotingWeight, "a bond made on the new chain does not vote")
	require.NoError(t, g.vote(2, id, true), "a curator bonded when the flag opened votes")
	g.checkInvariant()
}

// twoCuratorsAfterNineBlocks is a chain at height 9 where curators 1 and 2 bond 12,000 BAI.
func twoCuratorsAfterNineBlocks(t *testing.T) *fixture {
	f := newFixture(t)
	f.block(t0)
	for i := 0; i < 8; i++ {
		f.block(f.ctx.BlockTime().Add(time.Minute))
	}
	f.bond(1, 12_000*bai)
	f.bond(2, 12_000*bai)
	return f
}

// importAt starts a chain from gs, InitChain at height, with f's bank and marketplace state,
// as a real export carries the other modules along.
func (f *fixture) importAt(t *testing.T, gs *types.GenesisState, height int64) *fixture {
	g := newFixtureAt(t, gs, height)
	g.bank.Balances = map[string]sdk.Coins{}
	for k, v := range f.bank.Balances {
		g.bank.Balances[k] = v
	}
	for id, l := range f.market.Listings {
		g.market.Listings[id] = l
	}
	for id, n := range f.market.Holds {
		g.market.Holds[id] = n
	}
	return g
}

func TestGenesisValidate(t *testing.T) {
	require.NoError(t, types.DefaultGenesisState().Validate())
	bad := types.DefaultGenesisState()
	bad.Params.RevealDuration = bad.Params.EpochDuration
	require.ErrorIs(t, bad.Validate(), types.ErrInvalidGenesis)
	bad = types.DefaultGenesisState()
	bad.NextFlagId = 0
	require.ErrorIs(t, bad.Validate(), types.ErrInvalidGenesis)
	// An epoch without reveal must be a pending epoch, named once.
	bad = types.DefaultGenesisState()
	bad.EpochsWithoutReveal = []uint64{3}
	require.ErrorIs(t, bad.Validate(), types.ErrInvalidGenesis)
	bad.PendingEpochs = []uint64{3}
	require.ErrorIs(t, bad.Validate(), types.ErrInvalidGenesis, "no epoch has started: nothing is pending")
	start := time.Unix(1767225600, 0).UTC()
	epoch := func(n uint64) *types.Epoch {
		return &types.Epoch{Number: n, Start: start, RevealStart: start.Add(time.Hour), End: start.Add(2 * time.Hour)}
	}
	bad.Epoch = epoch(3)
	require.ErrorIs(t, bad.Validate(), types.ErrInvalidGenesis, "the running epoch is not pending")
	bad.Epoch = epoch(4)
	require.NoError(t, bad.Validate())
	bad.EpochsWithoutReveal = []uint64{3, 3}
	require.ErrorIs(t, bad.Validate(), types.ErrInvalidGenesis)
	bad = types.DefaultGenesisState()
	bad.Curators = []types.Curator{{Address: "bai1bad"}}
	require.ErrorIs(t, bad.Validate(), types.ErrInvalidGenesis)
}

// TestZeroHeightRestartKeepsVoteSnapshots: a genesis exported for a restart at height zero is
// rebased (RebaseHeights, by the export height): a flag opened on the old chain keeps reading
// the bonds as they were when it opened, so a curator who bonded after it opened has no weight
// in it on the new chain either, while one bonded before votes with its bond then; the new
// chain's own bond changes come after every old checkpoint.
func TestZeroHeightRestartKeepsVoteSnapshots(t *testing.T) {
	f := twoCuratorsAfterNineBlocks(t)
	f.block(f.ctx.BlockTime().Add(time.Minute))
	id := f.flag(1, 100*bai)
	f.block(f.ctx.BlockTime().Add(time.Minute))
	f.bond(3, 90_000*bai) // after the flag opened
	f.block(f.ctx.BlockTime().Add(time.Minute))
	require.ErrorIs(t, f.vote(3, id, true), types.ErrNoVotingWeight)

	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	gs.RebaseHeights(f.ctx.BlockHeight())
	require.NoError(t, gs.Validate())
	for _, b := range gs.BondHistory {
		require.LessOrEqual(t, b.Height, int64(0), "old checkpoints come before the new chain")
	}
	g := f.importAt(t, gs, 0)
	g.block(f.ctx.BlockTime().Add(time.Minute))
	require.ErrorIs(t, g.vote(3, id, true), types.ErrNoVotingWeight, "bonded after the flag opened")
	require.NoError(t, g.vote(1, id, true))
	fl, err := g.k.Flags.Get(g.ctx, id)
	require.NoError(t, err)
	require.Equal(t, math.NewInt(12_000*bai), fl.UpholdWeight)
	require.True(t, fl.UpholdWeight.LTE(fl.TotalBondedAtOpen))

	// A flag opened on the new chain reads the bonds as exported: curator 3 votes in it.
	g.block(g.ctx.BlockTime().Add(time.Minute))
	id2 := g.flag(2, 100*bai)
	g.block(g.ctx.BlockTime().Add(time.Minute))
	require.NoError(t, g.vote(3, id2, true))
	fl2, err := g.k.Flags.Get(g.ctx, id2)
	require.NoError(t, err)
	require.Equal(t, math.NewInt(90_000*bai), fl2.UpholdWeight)

	again, err := g.k.ExportGenesis(g.ctx)
	require.NoError(t, err)
	require.NoError(t, again.Validate())
}
