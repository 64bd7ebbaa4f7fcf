package curation_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/balanceai/balanceai/testutil"
	"github.com/balanceai/balanceai/x/curation/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// TestLateBondDoesNotDefeatAFlag is the late-bond attack through the real app: curators 1-3
// (10,000 BAI each) uphold a flag unanimously; in the last block before voting_end curator 4
// bonds 1,000,000 BAI. Against the total bonded at tally time (1,030,000 BAI) the 30,000 cast
// would miss the 1/3 quorum and reject the flag; the quorum is measured against the 30,000
// BAI snapshotted when the flag opened, so the flag is upheld and the listing slashed. The
// late curator's vote is refused, and curator 3, which added bond after the flag opened,
// votes with its bond from before.
func TestLateBondDoesNotDefeatAFlag(t *testing.T) {
	const votingPeriod = 60 * time.Second
	e := newEnv(t, 5*time.Second, func(p *types.Params) { p.FlagVotingPeriod = votingPeriod })
	c1, c2, c3, whale := e.cur[0], e.cur[1], e.cur[2], e.cur[3]
	model := e.register(marketplacetypes.ListingKindModel, "Summariser", 2_000*bai)
	e.batch(tx(c1, e.bondMsg(c1, bond)), tx(c2, e.bondMsg(c2, bond)), tx(c3, e.bondMsg(c3, bond)))

	res := e.ok(e.flagger, &types.MsgFlagListing{
		Flagger: e.flagger.Address.String(), ListingId: model, Reason: "serves a different model",
		EvidenceCid: evidenceCID, Deposit: ubai(100 * bai),
	})
	var flagged types.MsgFlagListingResponse
	testutil.MsgResponse(t, res, &flagged)
	f := e.flag(flagged.FlagId)
	require.Equal(t, e.c.Height, f.OpenedHeight)
	require.Equal(t, math.NewInt(3*bond).String(), f.TotalBondedAtOpen.String())
	require.Equal(t, ubai(2_000*bai), f.CollateralAtOpen)
	held, err := e.c.App.MarketplaceKeeper.IsHeld(e.c.Ctx(), model)
	require.NoError(t, err)
	require.True(t, held, "the open flag holds the listing's collateral")

	e.ok(c3, e.bondMsg(c3, 5*bond))
	vote := func(acc interface{ String() string }, uphold bool) *types.MsgVoteFlag {
		return &types.MsgVoteFlag{Curator: acc.String(), FlagId: f.Id, Uphold: uphold}
	}
	e.batch(tx(c1, vote(c1.Address, true)), tx(c2, vote(c2.Address, true)), tx(c3, vote(c3.Address, true)))
	require.Equal(t, math.NewInt(3*bond).String(), e.flag(f.Id).UpholdWeight.String(), "curator 3 votes its 10,000 BAI from before the flag")

	// The last two blocks before voting_end: the whale bonds, then tries to vote.
	for e.c.Time.Add(3 * e.c.BlockTime).Before(f.VotingEnd) {
		e.c.NextBlock(e.c.AllSigners())
	}
	e.ok(whale, e.bondMsg(whale, 1_000_000*bai))
	e.refuse(types.ErrNoVotingWeight, "had no bond before block", whale, vote(whale.Address, false))
	require.True(t, e.c.Time.Before(f.VotingEnd))
	total, err := e.c.App.CurationKeeper.GetTotalBonded(e.c.Ctx())
	require.NoError(t, err)
	require.Equal(t, math.NewInt(8*bond+1_000_000*bai).String(), total.String())

	var block = e.c.NextBlock(e.c.AllSigners())
	for i := 0; e.flag(f.Id).Status == types.FlagStatusOpen; i++ {
		require.Less(t, i, 5, "flag never tallied")
		block = e.c.NextBlock(e.c.AllSigners())
	}
	f = e.flag(f.Id)
	require.Equal(t, types.FlagStatusUpheld, f.Status)
	require.Equal(t, ubai(1_000*bai), f.Slashed)
	evs := typedEvents[*types.EventFlagResolved](t, block)
	require.Len(t, evs, 1)
	require.Equal(t, math.NewInt(3*bond).String(), evs[0].TotalBonded.String(), "the quorum's denominator is the snapshot")
	require.Equal(t, marketplacetypes.ListingStatusSuspended, e.listing(model).Status)
	held, err = e.c.App.MarketplaceKeeper.IsHeld(e.c.Ctx(), model)
	require.NoError(t, err)
	require.False(t, held, "the tally released the hold")
	e.invariant()
}
