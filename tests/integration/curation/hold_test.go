package curation_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"

	"github.com/balanceai/balanceai/x/curation/types"
)

// TestRetiringListingCannotEscapeAFlag: a listing retired just before its flag is tallied keeps
// its collateral locked while the flag is open (x/curation holds it in x/marketplace), so the
// upheld flag still slashes it; only the rest is returned afterwards.
func TestRetiringListingCannotEscapeAFlag(t *testing.T) {
	const votingPeriod = 10 * time.Hour
	e := newEnv(t, time.Hour, func(p *types.Params) { p.FlagVotingPeriod = votingPeriod })
	c1, c2, c3 := e.cur[0], e.cur[1], e.cur[2]
	model := e.register(marketplacetypes.ListingKindModel, "Summariser", 2_000*bai)
	e.batch(tx(c1, e.bondMsg(c1, bond)), tx(c2, e.bondMsg(c2, bond)), tx(c3, e.bondMsg(c3, bond)))

	e.ok(e.owner, &marketplacetypes.MsgRetireListing{Owner: e.owner.Address.String(), Id: model})
	unlockAt := e.listing(model).UnlockAt
	require.Equal(t, marketplacetypes.ListingStatusRetiring, e.listing(model).Status)

	// Flag it five hours before the unlock: voting ends five hours after it.
	for e.c.Time.Add(5 * time.Hour).Before(unlockAt) {
		e.c.NextBlock(e.c.AllSigners())
	}
	e.ok(e.flagger, &types.MsgFlagListing{
		Flagger: e.flagger.Address.String(), ListingId: model, Reason: "serves a different model",
		EvidenceCid: evidenceCID, Deposit: ubai(100 * bai),
	})
	e.batch(
		tx(c1, &types.MsgVoteFlag{Curator: c1.Address.String(), FlagId: 1, Uphold: true}),
		tx(c2, &types.MsgVoteFlag{Curator: c2.Address.String(), FlagId: 1, Uphold: true}),
		tx(c3, &types.MsgVoteFlag{Curator: c3.Address.String(), FlagId: 1, Uphold: true}),
	)

	// Past the unlock time, the flag still open: the collateral stays.
	for !e.c.Time.After(unlockAt.Add(time.Hour)) {
		e.c.NextBlock(e.c.AllSigners())
	}
	require.Equal(t, types.FlagStatusOpen, e.flag(1).Status)
	l := e.listing(model)
	require.Equal(t, marketplacetypes.ListingStatusRetiring, l.Status)
	require.Equal(t, int64(2_000*bai), l.Collateral.Amount.Int64())

	// The tally slashes half; the other half unlocks after the unlock period.
	for e.flag(1).Status == types.FlagStatusOpen {
		e.c.NextBlock(e.c.AllSigners())
	}
	require.Equal(t, types.FlagStatusUpheld, e.flag(1).Status)
	l = e.listing(model)
	require.Equal(t, marketplacetypes.ListingStatusSuspended, l.Status)
	require.Equal(t, int64(1_000*bai), l.Collateral.Amount.Int64())
	e.invariant()
}
