package keeper_test

import (
	"testing"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/curation/keeper"
	"github.com/balanceai/balanceai/x/curation/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

const evidence = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"

func (f *fixture) flag(listing uint64, deposit int64) uint64 {
	f.t.Helper()
	res, err := f.msg.FlagListing(f.ctx, &types.MsgFlagListing{Flagger: f.flagger.String(), ListingId: listing,
		Reason: "serves a different model", EvidenceCid: evidence, Deposit: sdk.NewInt64Coin("ubai", deposit)})
	require.NoError(f.t, err)
	return res.FlagId
}

func (f *fixture) vote(i int, id uint64, uphold bool) error {
	_, err := f.msg.VoteFlag(f.ctx, &types.MsgVoteFlag{Curator: f.curators[i].String(), FlagId: id, Uphold: uphold})
	return err
}

func TestFlagUpheld(t *testing.T) {
	f := newFixture(t)
	// Curators bond in the block before the flag's: only they vote.
	for i := 1; i <= 3; i++ {
		f.bond(i, 10_000*bai)
	}
	f.block(t0)
	flaggerBefore := f.bank.Balance(f.flagger, "ubai")
	id := f.flag(4, 150*bai) // AGENT → agents_fund
	require.Equal(t, uint64(1), id)
	f.checkInvariant()
	require.NoError(t, f.vote(1, id, true))
	require.NoError(t, f.vote(2, id, true))
	require.NoError(t, f.vote(3, id, false))
	// 2/3 of cast uphold, cast = all bonded weight ≥ 1/3.
	require.ErrorIs(t, f.vote(1, id, false), types.ErrAlreadyVoted)

	fund := f.bank.ModuleBalance(testFunds.Agent, "ubai")
	f.block(t0.Add(3*24*time.Hour - time.Second))
	require.Equal(t, types.FlagStatusOpen, mustFlag(t, f, id).Status)
	votes := func() int {
		ks, err := f.k.FlagVotes.Iterate(f.ctx, collections.NewPrefixedPairRange[uint64, sdk.AccAddress](id))
		require.NoError(t, err)
		keys, err := ks.Keys()
		require.NoError(t, err)
		return len(keys)
	}
	require.Equal(t, 3, votes())
	f.block(t0.Add(3 * 24 * time.Hour))
	// The votes of a resolved flag are dropped; the weights stay on the flag.
	require.Zero(t, votes())

	fl := mustFlag(t, f, id)
	require.Equal(t, types.FlagStatusUpheld, fl.Status)
	// 50 % of 1,000 BAI = 500 BAI slashed: 50 BAI to the flagger, 450 BAI to agents_fund, deposit back.
	require.Equal(t, sdk.NewInt64Coin("ubai", 500*bai), fl.Slashed)
	require.Equal(t, sdk.NewInt64Coin("ubai", 50*bai), fl.FlaggerReward)
	require.Equal(t, flaggerBefore.Add(math.NewInt(50*bai)), f.bank.Balance(f.flagger, "ubai"))
	require.Equal(t, fund.Add(math.NewInt(450*bai)), f.bank.ModuleBalance(testFunds.Agent, "ubai"))
	require.Equal(t, marketplacetypes.ListingStatusSuspended, f.market.Listings[4].Status)
	require.Equal(t, []string{"4:0.500000000000000000:curation:500000000ubai"}, f.market.Slashes)
	f.checkInvariant()
	// The hold is released.
	require.Zero(t, f.market.Holds[4])
	res, err := f.query.Flags(f.ctx, &types.QueryFlagsRequest{Status: types.FlagStatusUpheld})
	require.NoError(t, err)
	require.Len(t, res.Flags, 1)
	res, _ = f.query.Flags(f.ctx, &types.QueryFlagsRequest{Status: types.FlagStatusOpen})
	require.Empty(t, res.Flags)
}

// TestSeveralOpenFlagsOnOneListing: an open flag does not stop anyone else from flagging the
// listing (an owner's own flag cannot shut out an honest one). Each flag takes its own hold and
// is voted and tallied on its own: the first one upheld slashes and suspends; one upheld after
// it finds the listing suspended, slashes nothing and returns its deposit; one rejected
// forfeits its deposit. The collateral is held until the last of them is tallied.
func TestSeveralOpenFlagsOnOneListing(t *testing.T) {
	f := newFixture(t)
	for i := 1; i <= 3; i++ {
		f.bond(i, 10_000*bai)
	}
	f.block(t0)
	// An account the owner controls flags first, with a reason that says nothing.
	ownerAcc := sdk.AccAddress("owner-sybil-00000000")
	f.bank.Fund(ownerAcc, sdk.NewCoins(sdk.NewInt64Coin("ubai", 1_000*bai)))
	res, err := f.msg.FlagListing(f.ctx, &types.MsgFlagListing{Flagger: ownerAcc.String(), ListingId: 1,
		Reason: "placeholder", EvidenceCid: evidence, Deposit: sdk.NewInt64Coin("ubai", 100*bai)})
	require.NoError(t, err)
	sybil := res.FlagId
	require.Equal(t, 1, f.market.Holds[1])
	// An hour later an honest flagger still flags it, and a third flag follows.
	f.block(t0.Add(time.Hour))
	honest := f.flag(1, 200*bai)
	f.block(t0.Add(2 * time.Hour))
	late := f.flag(1, 100*bai)
	require.Equal(t, 3, f.market.Holds[1])
	f.checkInvariant()

	byListing := func(status types.FlagStatus) []uint64 {
		t.Helper()
		res, err := f.query.Flags(f.ctx, &types.QueryFlagsRequest{ListingId: 1, Status: status})
		require.NoError(t, err)
		var ids []uint64
		for _, fl := range res.Flags {
			require.Equal(t, uint64(1), fl.ListingId)
			ids = append(ids, fl.Id)
		}
		return ids
	}
	require.Equal(t, []uint64{sybil, honest, late}, byListing(types.FlagStatusOpen))
	require.Empty(t, byListing(types.FlagStatusUpheld))
	other, err := f.query.Flags(f.ctx, &types.QueryFlagsRequest{ListingId: 2})
	require.NoError(t, err)
	require.Empty(t, other.Flags)

	// Curators reject the empty flag and uphold the two with evidence.
	for i := 1; i <= 3; i++ {
		require.NoError(t, f.vote(i, sybil, false))
		require.NoError(t, f.vote(i, honest, true))
		require.NoError(t, f.vote(i, late, true))
	}
	ownerAccBefore := f.bank.Balance(ownerAcc, "ubai")
	flaggerBefore := f.bank.Balance(f.flagger, "ubai")
	fund := f.bank.ModuleBalance(testFunds.Model, "ubai")

	// The owner's flag is tallied first: rejected, its deposit goes to models_fund, the
	// listing stays held by the other two.
	f.block(t0.Add(3 * 24 * time.Hour))
	require.Equal(t, types.FlagStatusRejected, mustFlag(t, f, sybil).Status)
	require.Equal(t, marketplacetypes.ListingStatusActive, f.market.Listings[1].Status)
	require.Equal(t, 2, f.market.Holds[1])
	require.Equal(t, ownerAccBefore, f.bank.Balance(ownerAcc, "ubai"))
	require.Equal(t, fund.Add(math.NewInt(100*bai)), f.bank.ModuleBalance(testFunds.Model, "ubai"))

	// The honest flag: upheld, 500 BAI slashed, 50 BAI and the deposit to its flagger.
	f.block(t0.Add(3*24*time.Hour + time.Hour))
	fl := mustFlag(t, f, honest)
	require.Equal(t, types.FlagStatusUpheld, fl.Status)
	require.Equal(t, sdk.NewInt64Coin("ubai", 500*bai), fl.Slashed)
	require.Equal(t, marketplacetypes.ListingStatusSuspended, f.market.Listings[1].Status)
	require.Equal(t, flaggerBefore.Add(math.NewInt(250*bai)), f.bank.Balance(f.flagger, "ubai"))
	require.Equal(t, 1, f.market.Holds[1])

	// The late flag: upheld with nothing left to slash, its deposit back; the last hold goes.
	f.block(t0.Add(3*24*time.Hour + 2*time.Hour))
	fl = mustFlag(t, f, late)
	require.Equal(t, types.FlagStatusUpheld, fl.Status)
	require.True(t, fl.Slashed.IsZero())
	require.Equal(t, flaggerBefore.Add(math.NewInt(350*bai)), f.bank.Balance(f.flagger, "ubai"))
	require.Zero(t, f.market.Holds[1])
	require.Equal(t, []string{"1:0.500000000000000000:curation:500000000ubai"}, f.market.Slashes)
	require.Equal(t, fund.Add(math.NewInt(100*bai+450*bai)), f.bank.ModuleBalance(testFunds.Model, "ubai"))
	require.Empty(t, byListing(types.FlagStatusOpen))
	require.Equal(t, []uint64{honest, late}, byListing(types.FlagStatusUpheld))
	f.checkInvariant()
}

func TestFlagRejected(t *testing.T) {
	for _, tc := range []struct {
		name  string
		votes func(f *fixture, id uint64)
	}{
		{"no quorum", func(f *fixture, id uint64) {
			require.NoError(t, f.vote(1, id, true)) // 10k of 40k bonded < 1/3
		}},
		{"below two thirds", func(f *fixture, id uint64) {
			require.NoError(t, f.vote(1, id, true))
			require.NoError(t, f.vote(2, id, false))
		}},
		{"nobody voted", func(*fixture, uint64) {}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			for i := 1; i <= 4; i++ {
				f.bond(i, 10_000*bai)
			}
			f.block(t0)
			flaggerBefore := f.bank.Balance(f.flagger, "ubai")
			id := f.flag(1, 100*bai) // MODEL → models_fund
			tc.votes(f, id)
			fund := f.bank.ModuleBalance(testFunds.Model, "ubai")
			f.block(t0.Add(3 * 24 * time.Hour))
			fl := mustFlag(t, f, id)
			require.Equal(t, types.FlagStatusRejected, fl.Status)
			require.Equal(t, flaggerBefore.Sub(math.NewInt(100*bai)), f.bank.Balance(f.flagger, "ubai"))
			require.Equal(t, fund.Add(math.NewInt(100*bai)), f.bank.ModuleBalance(testFunds.Model, "ubai"))
			require.Equal(t, marketplacetypes.ListingStatusActive, f.market.Listings[1].Status)
			require.Empty(t, f.market.Slashes)
			f.checkInvariant()
		})
	}
}

func TestUpheldRule(t *testing.T) {
	n := math.NewInt
	require.True(t, keeper.Upheld(n(2), n(1), n(9)))   // cast 3 = 1/3 of 9, uphold 2/3
	require.False(t, keeper.Upheld(n(2), n(1), n(10))) // cast below 1/3
	require.False(t, keeper.Upheld(n(3), n(2), n(6)))  // 3/5 < 2/3
	require.False(t, keeper.Upheld(n(0), n(0), n(0)))
}

func TestFlagErrors(t *testing.T) {
	f := newFixture(t)
	f.bond(1, 10_000*bai)
	f.bond(0, 10_000*bai)
	f.block(t0)
	open := f.flag(2, 100*bai)
	f.market.Listings[3] = func() marketplacetypes.Listing {
		l := f.market.Listings[3]
		l.Status = marketplacetypes.ListingStatusRetired
		return l
	}()
	good := types.MsgFlagListing{Flagger: f.flagger.String(), ListingId: 1, Reason: "r", EvidenceCid: evidence, Deposit: sdk.NewInt64Coin("ubai", 100*bai)}
	mod := func(fn func(m *types.MsgFlagListing)) *types.MsgFlagListing { m := good; fn(&m); return &m }
	cases := []struct {
		name string
		msg  *types.MsgFlagListing
		err  error
	}{
		{"bad cid", mod(func(m *types.MsgFlagListing) { m.EvidenceCid = "not-a-cid" }), types.ErrInvalidFlag},
		{"empty reason", mod(func(m *types.MsgFlagListing) { m.Reason = "" }), types.ErrInvalidFlag},
		{"small deposit", mod(func(m *types.MsgFlagListing) { m.Deposit = sdk.NewInt64Coin("ubai", 99*bai) }), types.ErrDepositTooSmall},
		{"wrong denom", mod(func(m *types.MsgFlagListing) { m.Deposit = sdk.NewInt64Coin("stake", 100*bai) }), types.ErrInvalidAmount},
		{"unknown listing", mod(func(m *types.MsgFlagListing) { m.ListingId = 99 }), marketplacetypes.ErrListingNotFound},
		{"retired listing", mod(func(m *types.MsgFlagListing) { m.ListingId = 3 }), types.ErrListingNotFlaggable},
		{"own listing", mod(func(m *types.MsgFlagListing) { m.Flagger = f.owner.String() }), types.ErrOwnListing},
		{"bad flagger", mod(func(m *types.MsgFlagListing) { m.Flagger = "x" }), types.ErrInvalidAddress},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := f.dump()
			_, err := f.msg.FlagListing(f.ctx, tc.msg)
			require.ErrorIs(t, err, tc.err)
			require.Equal(t, before, f.dump())
		})
	}

	// Owner of listing 6 is curator 0: flag it, then curator 0 may not vote.
	own := f.flag(6, 100*bai)
	vcases := []struct {
		name string
		run  func() error
		err  error
	}{
		{"non-curator", func() error { return f.vote(2, open, true) }, types.ErrNotCurator},
		{"unknown flag", func() error { return f.vote(1, 42, true) }, types.ErrFlagNotFound},
		{"own listing", func() error { return f.vote(0, own, true) }, types.ErrOwnListing},
		{"twice", func() error {
			require.NoError(t, f.vote(1, open, true))
			return f.vote(1, open, false)
		}, types.ErrAlreadyVoted},
		{"after voting end", func() error {
			f.at(t0.Add(3 * 24 * time.Hour))
			defer f.at(t0)
			return f.vote(0, open, true)
		}, types.ErrFlagClosed},
	}
	for _, tc := range vcases {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			before := ""
			if tc.name == "twice" {
				err = tc.run()
				before = f.dump() // the first vote is allowed; compare after it
				require.ErrorIs(t, f.vote(1, open, true), tc.err)
				require.Equal(t, before, f.dump())
				return
			}
			before = f.dump()
			err = tc.run()
			require.ErrorIs(t, err, tc.err)
			require.Equal(t, before, f.dump())
		})
	}

	// Curator 0 gives listing 6 away after its flag opened: still not a judge of that flag.
	require.Equal(t, f.curators[0].String(), mustFlag(t, f, own).OwnerAtOpen)
	l := f.market.Listings[6]
	l.Owner = f.owner.String()
	f.market.Listings[6] = l
	before := f.dump()
	require.ErrorIs(t, f.vote(0, own, true), types.ErrOwnListing)
	require.Equal(t, before, f.dump())
}

func mustFlag(t *testing.T, f *fixture, id uint64) types.Flag {
	t.Helper()
	res, err := f.query.Flag(f.ctx, &types.QueryFlagRequest{Id: id})
	require.NoError(t, err)
	return res.Flag
}

// TestSubSecondTimesRoundUp: a flag opened or an unbonding started inside a second gets a
// whole-second voting_end / completion_time, so voting stays open until the very block that
// tallies the flag, and the unbonding is paid in the first block whose time reaches its
// completion time (before the rounding, a block 0.6 s after voting_end refused votes and
// still left the flag OPEN).
func TestSubSecondTimesRoundUp(t *testing.T) {
	f := newFixture(t)
	for i := 1; i <= 3; i++ {
		f.bond(i, 10_000*bai)
	}
	f.block(t0)
	f.at(t0.Add(400 * time.Millisecond))
	id := f.flag(4, 100*bai)
	end := t0.Add(3*24*time.Hour + time.Second)
	require.Equal(t, end, mustFlag(t, f, id).VotingEnd)
	res, err := f.msg.UnbondCurator(f.ctx, &types.MsgUnbondCurator{Curator: f.curators[3].String(), Amount: sdk.NewInt64Coin("ubai", 10_000*bai)})
	require.NoError(t, err)
	require.Equal(t, t0.Add(21*24*time.Hour+time.Second), res.CompletionTime)

	// 0.6 s after the unrounded end: still open, votes count, nothing tallied.
	f.block(end.Add(-400 * time.Millisecond))
	require.NoError(t, f.vote(1, id, true))
	require.NoError(t, f.vote(2, id, true))
	f.block(end.Add(-time.Nanosecond))
	require.Equal(t, types.FlagStatusOpen, mustFlag(t, f, id).Status)
	f.block(end)
	require.ErrorIs(t, f.vote(3, id, true), types.ErrFlagClosed)
	require.Equal(t, types.FlagStatusUpheld, mustFlag(t, f, id).Status)

	before := f.bank.Balance(f.curators[3], "ubai")
	f.block(res.CompletionTime.Add(-time.Nanosecond))
	require.Equal(t, before, f.bank.Balance(f.curators[3], "ubai"))
	f.block(res.CompletionTime)
	require.Equal(t, before.Add(math.NewInt(10_000*bai)), f.bank.Balance(f.curators[3], "ubai"))
	f.checkInvariant()
}

// TestFailedTallyRetriedBehindTheQueue: a queued item whose processing fails is retried an hour
// later, not at the head of the queue every block, so it cannot starve the items behind it.
func TestFailedTallyRetriedBehindTheQueue(t *testing.T) {
	f := newFixture(t)
	p, _ := f.k.Params.Get(f.ctx)
	p.MaxQueueItemsPerBlock = 1
	require.NoError(t, f.k.Params.Set(f.ctx, p))
	for i := 1; i <= 3; i++ {
		f.bond(i, 10_000*bai)
	}
	f.block(t0)
	id := f.flag(4, 150*bai)
	for i := 1; i <= 3; i++ {
		require.NoError(t, f.vote(i, id, true))
	}
	// A queue entry whose flag cannot be tallied (no such flag), due before the real one.
	broken := chainutil.QueueKeyAt(t0.Add(time.Second), 999)
	require.NoError(t, f.k.FlagQueue.Set(f.ctx, broken))

	end := t0.Add(3 * 24 * time.Hour)
	f.block(end)
	has, err := f.k.FlagQueue.Has(f.ctx, broken)
	require.NoError(t, err)
	require.False(t, has, "the failed entry left the head of the queue")
	has, err = f.k.FlagQueue.Has(f.ctx, chainutil.QueueKeyAt(end.Add(time.Hour), 999))
	require.NoError(t, err)
	require.True(t, has, "it is retried an hour later")
	f.block(end.Add(time.Second))
	require.Equal(t, types.FlagStatusUpheld, mustFlag(t, f, id).Status, "the flag behind it was tallied")
}

// TestFlagHoldsInvariant: per listing, the holds besides governance proposals' equal the open
// flags on it; a flag without its hold (it could never be tallied) or a hold without a flag (the
// collateral frozen for ever), as a hand-made genesis could give, breaks the invariant.
func TestFlagHoldsInvariant(t *testing.T) {
	f := newFixture(t)
	for i := 1; i <= 3; i++ {
		f.bond(i, 10_000*bai)
	}
	f.block(t0)
	f.flag(4, 150*bai)
	f.checkInvariant()

	delete(f.market.Holds, 4)
	require.ErrorContains(t, f.k.CheckFlagHolds(f.ctx), "listing 4 has 1 open flags but no hold of theirs")
	f.market.Holds[4] = 2
	require.ErrorContains(t, f.k.CheckFlagHolds(f.ctx), "listing 4 has 2 holds besides governance proposals' but 1 open flags")
	f.market.Holds[4] = 1
	f.market.Holds[1] = 1
	require.ErrorContains(t, f.k.CheckFlagHolds(f.ctx), "listing 1 has 1 holds besides governance proposals' but 0 open flags")
	delete(f.market.Holds, 1)
	f.checkInvariant()
}
