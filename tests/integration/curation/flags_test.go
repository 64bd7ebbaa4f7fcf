package curation_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/testutil"
	"github.com/balanceai/balanceai/x/curation/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

const flagVotingPeriod = 60 * time.Second

// blockDeltas is what one block did to the balances a flag tally touches.
type blockDeltas struct {
	flagger, owner, curation, market, models, agents math.Int
}

// TestFlagsThroughTheApp runs two flags end to end through the real x/marketplace keeper,
// with four bonded curators of 10,000 BAI each (one of them the listings' owner):
//
//   - flag 1 on a MODEL listing with 2,000 BAI collateral, 100 BAI deposit: 20,000 BAI uphold
//     and 10,000 reject (quorum 30,000 ≥ 40,000/3, uphold exactly 2/3 of cast) → UPHELD in the
//     first block whose time reaches voting_end: the listing is SUSPENDED, 50 % (1,000 BAI) of
//     its collateral is slashed, 10 % of that (100 BAI) goes to the flagger, 900 BAI to
//     models_fund, and the 100 BAI deposit goes back to the flagger.
//   - flag 2 on an AGENT listing, 150 BAI deposit: 10,000 uphold, 20,000 reject → REJECTED:
//     the deposit goes to agents_fund and the listing keeps its collateral and status.
//
// A curator cannot vote twice, a non-curator cannot vote, the owner cannot judge its own
// listing, and nobody votes after voting_end; each refusal changes nothing but the fee.
func TestFlagsThroughTheApp(t *testing.T) {
	e := newEnv(t, 5*time.Second, func(p *types.Params) { p.FlagVotingPeriod = flagVotingPeriod })
	c1, c2, c3 := e.cur[0], e.cur[1], e.cur[2]

	model := e.register(marketplacetypes.ListingKindModel, "Summariser", 2_000*bai)
	agent := e.register(marketplacetypes.ListingKindAgent, "Researcher", 500*bai)
	e.batch(tx(c1, e.bondMsg(c1, bond)), tx(c2, e.bondMsg(c2, bond)), tx(c3, e.bondMsg(c3, bond)), tx(e.owner, e.bondMsg(e.owner, bond)))

	// Flag 1: the deposit moves into the curation account.
	flaggerBefore, curationBefore := e.balance(e.flagger.Address), e.balance(curationAddr)
	res := e.ok(e.flagger, &types.MsgFlagListing{
		Flagger: e.flagger.Address.String(), ListingId: model, Reason: "the endpoint serves a different model",
		EvidenceCid: evidenceCID, Deposit: ubai(100 * bai),
	})
	var flagged types.MsgFlagListingResponse
	testutil.MsgResponse(t, res, &flagged)
	require.Equal(t, uint64(1), flagged.FlagId)
	require.Equal(t, flaggerBefore.SubRaw(100*bai+txFee).String(), e.balance(e.flagger.Address).String())
	require.Equal(t, curationBefore.AddRaw(100*bai).String(), e.balance(curationAddr).String())
	f1 := e.flag(1)
	require.Equal(t, types.FlagStatusOpen, f1.Status)
	require.Equal(t, model, f1.ListingId)
	require.Equal(t, marketplacetypes.ListingKindModel, f1.ListingKind)
	require.Equal(t, evidenceCID, f1.EvidenceCid)
	require.Equal(t, e.c.Time.Add(flagVotingPeriod).UTC(), f1.VotingEnd)
	e.invariant()

	// Refused flags.
	flagMsg := func(id uint64, cidStr string, deposit int64) sdk.Msg {
		return &types.MsgFlagListing{Flagger: e.flagger.Address.String(), ListingId: id, Reason: "spam", EvidenceCid: cidStr, Deposit: ubai(deposit)}
	}
	e.refuse(types.ErrDepositTooSmall, "below the minimum 100000000ubai", e.flagger, flagMsg(agent, evidenceCID, 100*bai-1))
	e.refuse(types.ErrInvalidFlag, "is not a CID", e.flagger, flagMsg(agent, "not-a-cid", 100*bai))

	// Flag 2, on the agent.
	res = e.ok(e.flagger, flagMsg(agent, evidenceCID, 150*bai))
	testutil.MsgResponse(t, res, &flagged)
	require.Equal(t, uint64(2), flagged.FlagId)
	require.Equal(t, marketplacetypes.ListingKindAgent, e.flag(2).ListingKind)
	require.Equal(t, []uint64{1, 2}, e.flagIDs(types.FlagStatusOpen))

	vote := func(acc interface{ String() string }, id uint64, uphold bool) sdk.Msg {
		return &types.MsgVoteFlag{Curator: acc.String(), FlagId: id, Uphold: uphold}
	}
	e.batch(
		tx(c1, vote(c1.Address, 1, true)), tx(c2, vote(c2.Address, 1, true)), tx(c3, vote(c3.Address, 1, false)),
	)
	e.refuse(types.ErrAlreadyVoted, "flag 1", c1, vote(c1.Address, 1, false))
	e.refuse(types.ErrNotCurator, "has bond 0ubai", e.outsider, vote(e.outsider.Address, 1, true))
	e.refuse(types.ErrNotCurator, "has bond 0ubai", e.flagger, vote(e.flagger.Address, 1, true))
	e.refuse(types.ErrOwnListing, "is owned by", e.owner, vote(e.owner.Address, 1, false))
	e.refuse(types.ErrFlagNotFound, "flag 99", c1, vote(c1.Address, 99, true))
	e.batch(
		tx(c1, vote(c1.Address, 2, false)), tx(c2, vote(c2.Address, 2, false)), tx(c3, vote(c3.Address, 2, true)),
	)
	f1 = e.flag(1)
	require.Equal(t, math.NewInt(2*bond).String(), f1.UpholdWeight.String())
	require.Equal(t, math.NewInt(bond).String(), f1.RejectWeight.String(), "the refused second vote did not count")
	f2 := e.flag(2)
	require.Equal(t, math.NewInt(bond).String(), f2.UpholdWeight.String())
	require.Equal(t, math.NewInt(2*bond).String(), f2.RejectWeight.String())
	e.invariant()

	// Blocks until both flags are resolved; each resolves in the first block whose time
	// reached its voting_end, and the block's balance changes are exactly the tally's.
	resolved := map[uint64]bool{}
	for i := 0; len(resolved) < 2; i++ {
		require.Less(t, i, 40, "flags never resolved")
		before := e.deltaBase()
		prevTime := e.c.Time
		block := e.c.NextBlock(e.c.AllSigners())
		d := e.deltas(before)
		models, agents := emissionTo(t, block)
		for id, f := range map[uint64]types.Flag{1: e.flag(1), 2: e.flag(2)} {
			if resolved[id] || f.Status == types.FlagStatusOpen {
				require.True(t, resolved[id] || e.c.Time.Before(f.VotingEnd), "flag %d still open at %s, voting ended %s", id, e.c.Time, f.VotingEnd)
				continue
			}
			resolved[id] = true
			require.False(t, e.c.Time.Before(f.VotingEnd), "flag %d resolved at %s before voting_end %s", id, e.c.Time, f.VotingEnd)
			require.True(t, prevTime.Before(f.VotingEnd), "flag %d should have resolved in the block at %s", id, prevTime)
			evs := typedEvents[*types.EventFlagResolved](t, block)
			require.Len(t, evs, 1, "one flag per block here")
			ev := evs[0]
			require.Equal(t, id, ev.FlagId)
			require.Equal(t, math.NewInt(4*bond).String(), ev.TotalBonded.String())
			require.Empty(t, ev.SlashError)
			if id == 1 {
				// Upheld: 50 % of 2,000 BAI slashed; 10 % of it to the flagger, 90 % to models_fund.
				require.Equal(t, types.FlagStatusUpheld, f.Status)
				require.Equal(t, ubai(1_000*bai), f.Slashed)
				require.Equal(t, ubai(100*bai), f.FlaggerReward)
				require.Equal(t, types.FlagStatusUpheld, ev.Status)
				require.Equal(t, ubai(1_000*bai), ev.Slashed)
				require.Equal(t, ubai(100*bai), ev.FlaggerReward)
				require.Equal(t, "models_fund", ev.Fund)
				require.Equal(t, ubai(900*bai), ev.FundAmount)
				require.True(t, ev.DepositReturned)
				l := e.listing(model)
				require.Equal(t, marketplacetypes.ListingStatusSuspended, l.Status)
				require.Equal(t, ubai(1_000*bai), l.Collateral)
				require.Equal(t, e.c.Time.UTC(), l.UpdatedAt.UTC())
				slashedEv := typedEvents[*marketplacetypes.EventListingSlashed](t, block)
				require.Len(t, slashedEv, 1)
				require.Equal(t, "curation", slashedEv[0].Destination)
				require.Equal(t, ubai(1_000*bai), slashedEv[0].Slashed)
				require.Contains(t, slashedEv[0].Reason, "curation flag 1 upheld")

				require.Equal(t, math.NewInt(100*bai+100*bai).String(), d.flagger.String(), "reward + deposit back")
				require.Equal(t, math.NewInt(-1_000*bai).String(), d.market.String(), "the slash leaves the marketplace account")
				require.Equal(t, math.NewInt(-100*bai).String(), d.curation.String(), "the slash passes through; the deposit leaves")
				require.Equal(t, models.AddRaw(900*bai).String(), d.models.String(), "emission + 90 % of the slash")
				require.Equal(t, agents.String(), d.agents.String())
				require.True(t, d.owner.IsZero(), "the owner gets nothing back")
				require.Equal(t, math.NewInt(900*bai).String(), transfers(t, block, curationAddr, modelsFundAddr).String())
			} else {
				// Rejected: the deposit goes to agents_fund (the listing is an AGENT).
				require.Equal(t, types.FlagStatusRejected, f.Status)
				require.True(t, f.Slashed.IsZero())
				require.True(t, f.FlaggerReward.IsZero())
				require.Equal(t, types.FlagStatusRejected, ev.Status)
				require.Equal(t, "agents_fund", ev.Fund)
				require.Equal(t, ubai(150*bai), ev.FundAmount)
				require.False(t, ev.DepositReturned)
				l := e.listing(agent)
				require.Equal(t, marketplacetypes.ListingStatusActive, l.Status)
				require.Equal(t, ubai(500*bai), l.Collateral)
				require.Empty(t, typedEvents[*marketplacetypes.EventListingSlashed](t, block))

				require.True(t, d.flagger.IsZero(), "the deposit is lost")
				require.True(t, d.market.IsZero())
				require.Equal(t, math.NewInt(-150*bai).String(), d.curation.String())
				require.Equal(t, agents.AddRaw(150*bai).String(), d.agents.String(), "emission + the deposit")
				require.Equal(t, models.String(), d.models.String())
				require.Equal(t, math.NewInt(150*bai).String(), transfers(t, block, curationAddr, agentsFundAddr).String())
			}
		}
		e.invariant()
	}
	require.Equal(t, []uint64{1}, e.flagIDs(types.FlagStatusUpheld))
	require.Equal(t, []uint64{2}, e.flagIDs(types.FlagStatusRejected))
	require.Empty(t, e.flagIDs(types.FlagStatusOpen))
	require.Equal(t, math.NewInt(4*bond).String(), e.balance(curationAddr).String(), "only the bonds are left")

	// Resolved flags drop their votes and release their listing's hold.
	ctx := e.c.Ctx()
	for _, id := range []uint64{model, agent} {
		held, err := e.c.App.MarketplaceKeeper.IsHeld(ctx, id)
		require.NoError(t, err)
		require.False(t, held)
	}
	votes, err := e.c.App.CurationKeeper.FlagVotes.Iterate(ctx, nil)
	require.NoError(t, err)
	keys, err := votes.Keys()
	require.NoError(t, err)
	require.Empty(t, keys)

	// Voting is over; a SUSPENDED listing cannot be flagged again; the agent can.
	e.refuse(types.ErrFlagClosed, "is FLAG_STATUS_UPHELD", c1, vote(c1.Address, 1, true))
	e.refuse(types.ErrFlagClosed, "is FLAG_STATUS_REJECTED", c2, vote(c2.Address, 2, true))
	e.refuse(types.ErrListingNotFlaggable, "LISTING_STATUS_SUSPENDED", e.flagger, flagMsg(model, evidenceCID, 100*bai))
	res = e.ok(e.outsider, &types.MsgFlagListing{Flagger: e.outsider.Address.String(), ListingId: agent, Reason: "again", EvidenceCid: cidV1, Deposit: ubai(100 * bai)})
	testutil.MsgResponse(t, res, &flagged)
	require.Equal(t, uint64(3), flagged.FlagId)
	e.invariant()

	// An open flag does not stop another: the flagger flags the agent too, and each flag holds
	// the collateral.
	res = e.ok(e.flagger, flagMsg(agent, evidenceCID, 100*bai))
	testutil.MsgResponse(t, res, &flagged)
	require.Equal(t, uint64(4), flagged.FlagId)
	require.Equal(t, []uint64{3, 4}, e.flagIDs(types.FlagStatusOpen))
	var byListing types.QueryFlagsResponse
	require.NoError(t, e.query("Flags", &types.QueryFlagsRequest{ListingId: agent}, &byListing))
	ids := []uint64{}
	for _, f := range byListing.Flags {
		ids = append(ids, f.Id)
	}
	require.Equal(t, []uint64{2, 3, 4}, ids)
	holds, err := e.c.App.MarketplaceKeeper.Holds.Get(e.c.Ctx(), agent)
	require.NoError(t, err)
	require.Equal(t, uint64(2), holds)
	e.invariant()
}

type deltaBase struct{ flagger, owner, curation, market, models, agents math.Int }

func (e *env) deltaBase() deltaBase {
	return deltaBase{
		flagger: e.balance(e.flagger.Address), owner: e.balance(e.owner.Address), curation: e.balance(curationAddr),
		market: e.balance(marketAddr), models: e.balance(modelsFundAddr), agents: e.balance(agentsFundAddr),
	}
}

func (e *env) deltas(b deltaBase) blockDeltas {
	now := e.deltaBase()
	return blockDeltas{
		flagger: now.flagger.Sub(b.flagger), owner: now.owner.Sub(b.owner), curation: now.curation.Sub(b.curation),
		market: now.market.Sub(b.market), models: now.models.Sub(b.models), agents: now.agents.Sub(b.agents),
	}
}
