// Package grants_test runs x/grants inside the real BalanceAI app (testutil.NewChain):
// x/emission fills models_fund and agents_fund every block, three curators score four
// listings in commit-reveal epochs of x/curation, and the curation epoch-end hook pays the
// epoch rewards. Every block is checked against an independent model: each fund's balance
// moves by exactly the emission it received minus the rewards credited and the milestones
// paid, and every epoch payout is recomputed from the free balance, the scores, the bonds
// and the reputations.
package grants_test

import (
	"fmt"
	"sort"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/balanceai/balanceai/app"
	appkeepers "github.com/balanceai/balanceai/app/keepers"
	"github.com/balanceai/balanceai/testutil"
	curationtypes "github.com/balanceai/balanceai/x/curation/types"
	"github.com/balanceai/balanceai/x/grants/keeper"
	"github.com/balanceai/balanceai/x/grants/types"
	mkttypes "github.com/balanceai/balanceai/x/marketplace/types"
)

const (
	denom        = "ubai"
	bai          = int64(1_000_000)
	blockTime    = 5 * time.Second
	epochLength  = 60 * time.Second
	revealLength = 20 * time.Second
	votingPeriod = 30 * time.Second
	reviewPeriod = 60 * time.Second
	cidV1        = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
	cidV0        = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"
)

var (
	modelsFund = authtypes.NewModuleAddress(appkeepers.ModelsFundName)
	agentsFund = authtypes.NewModuleAddress(appkeepers.AgentsFundName)
	grantsAcct = authtypes.NewModuleAddress(types.ModuleName)
	funds      = []types.GrantFund{types.GrantFundModels, types.GrantFundAgents}
	noFee      = sdk.NewCoins()
)

// The listings, in registration order (ids 1-4), and what every curator scores them.
type listingSpec struct {
	owner string
	kind  mkttypes.ListingKind
	// scores by curator index; the bond-weighted median is the epoch score.
	scores [3]uint32
	median uint32
}

var listingSpecs = []listingSpec{
	{owner: "alice", kind: mkttypes.ListingKindModel, scores: [3]uint32{70, 70, 70}, median: 70},
	{owner: "bob", kind: mkttypes.ListingKindModel, scores: [3]uint32{40, 40, 40}, median: 40}, // below min_reward_score
	// cur3 (bond 30k of 60k) disagrees: the lower weighted median is still 55, cur3's
	// agreement (3 of 4 within the band) lowers its reputation, and its bond is not in the
	// listing's reward weight.
	{owner: "dave", kind: mkttypes.ListingKindModel, scores: [3]uint32{55, 55, 90}, median: 55},
	{owner: "carol", kind: mkttypes.ListingKindAgent, scores: [3]uint32{80, 80, 80}, median: 80},
}

var (
	curatorNames = []string{"cur1", "cur2", "cur3"}
	curatorBonds = []int64{10_000 * bai, 20_000 * bai, 30_000 * bai}
)

func chainConfig() testutil.Config {
	return testutil.Config{
		Stakes:    []math.Int{math.NewInt(1_000_000 * bai)},
		Accounts:  []string{"alice", "bob", "carol", "dave", "cur1", "cur2", "cur3"},
		Balance:   math.NewInt(1_000_000 * bai),
		BlockTime: blockTime,
		ModifyGenesis: func(gen app.GenesisState, a *app.App) app.GenesisState {
			cdc := a.AppCodec()
			var cg curationtypes.GenesisState
			cdc.MustUnmarshalJSON(gen[curationtypes.ModuleName], &cg)
			cg.Params.EpochDuration = epochLength
			cg.Params.RevealDuration = revealLength
			cg.Params.FlagVotingPeriod = votingPeriod
			gen[curationtypes.ModuleName] = cdc.MustMarshalJSON(&cg)
			var gg types.GenesisState
			cdc.MustUnmarshalJSON(gen[types.ModuleName], &gg)
			gg.Params.GrantVotingPeriod = votingPeriod
			gg.Params.MilestoneReviewPeriod = reviewPeriod
			gen[types.ModuleName] = cdc.MustMarshalJSON(&gg)
			return gen
		},
	}
}

// snapshot is what the grants accounting depends on, read on committed state.
type snapshot struct {
	minted   math.Int
	fund     map[types.GrantFund]math.Int
	reserved map[types.GrantFund]math.Int
	grants   math.Int
	rewards  map[string]math.Int // owner -> claimable, both funds
}

// harness drives the chain block by block and keeps the model's running totals.
type harness struct {
	t *testing.T
	c *testutil.Chain
	k keeper.Keeper
	q types.QueryServer

	start     snapshot
	emitted   map[types.GrantFund]math.Int // emission into each fund since the start
	forfeited map[types.GrantFund]math.Int // vetoed deposits into each fund
	credited  map[types.GrantFund]math.Int // epoch rewards credited out of each fund
	granted   map[types.GrantFund]math.Int // milestones paid out of each fund
	claimed   math.Int                     // rewards claimed out of the grants account
	// rewarded lists the epochs paid out, in order.
	rewarded []uint64
	// payout is, per epoch paid, per owner, the credit of each fund.
	payout map[uint64]map[string]math.Int
	// scored are the epochs in which the three curators revealed.
	scored map[uint64]bool
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	c := testutil.NewChain(t, chainConfig())
	h := &harness{
		t: t, c: c, k: c.App.GrantsKeeper, q: keeper.NewQueryServerImpl(c.App.GrantsKeeper),
		emitted: zeroes(), forfeited: zeroes(), credited: zeroes(), granted: zeroes(), claimed: math.ZeroInt(),
		payout: map[uint64]map[string]math.Int{}, scored: map[uint64]bool{},
	}
	h.start = h.snap()
	params, err := h.k.GetParams(c.Ctx())
	require.NoError(t, err)
	require.Equal(t, votingPeriod, params.GrantVotingPeriod)
	require.Equal(t, reviewPeriod, params.MilestoneReviewPeriod)
	require.Equal(t, "0.500000000000000000", params.EpochRewardShare.String())
	require.Equal(t, "0.100000000000000000", params.CuratorRewardShare.String())
	require.EqualValues(t, 50, params.MinRewardScore)
	return h
}

func zeroes() map[types.GrantFund]math.Int {
	return map[types.GrantFund]math.Int{types.GrantFundModels: math.ZeroInt(), types.GrantFundAgents: math.ZeroInt()}
}

func (h *harness) acc(name string) *testutil.Account {
	a, ok := h.c.Accounts[name]
	require.True(h.t, ok, "no account %s", name)
	return a
}

func (h *harness) addr(name string) string { return h.acc(name).Address.String() }

func (h *harness) snap() snapshot {
	h.t.Helper()
	ctx := h.c.Ctx()
	st, err := h.c.App.EmissionKeeper.State.Get(ctx)
	require.NoError(h.t, err)
	s := snapshot{
		minted: st.TotalMinted, fund: zeroes(), reserved: zeroes(), rewards: map[string]math.Int{},
		grants: h.c.App.BankKeeper.GetBalance(ctx, grantsAcct, denom).Amount,
	}
	for _, f := range funds {
		s.fund[f] = h.c.App.BankKeeper.GetBalance(ctx, h.k.FundAddress(f), denom).Amount
		fs, err := h.k.GetFundState(ctx, f)
		require.NoError(h.t, err)
		s.reserved[f] = fs.Reserved
	}
	require.NoError(h.t, h.k.Rewards.Walk(ctx, nil, func(key collections.Pair[sdk.AccAddress, int32], amt math.Int) (bool, error) {
		owner := key.K1().String()
		cur, ok := s.rewards[owner]
		if !ok {
			cur = math.ZeroInt()
		}
		s.rewards[owner] = cur.Add(amt)
		return false, nil
	}))
	return s
}

func (s snapshot) reward(owner string) math.Int {
	if r, ok := s.rewards[owner]; ok {
		return r
	}
	return math.ZeroInt()
}

// typedEvents returns the typed events of type T in a list of ABCI events.
func typedEvents[T proto.Message](t *testing.T, events []abci.Event) []T {
	return testutil.TypedEvents[T](t, events)
}

// block finalizes the next block with txs and checks it against the model. wantCodes gives
// the expected result code of each tx (nil: all succeed).
func (h *harness) block(wantCodes []uint32, txs ...[]byte) *abci.ResponseFinalizeBlock {
	h.t.Helper()
	t, c := h.t, h.c
	before := h.snap()
	res := c.NextBlock(c.AllSigners(), txs...)
	require.Len(t, res.TxResults, len(txs))
	var events []abci.Event
	for i, r := range res.TxResults {
		want := uint32(0)
		if wantCodes != nil {
			want = wantCodes[i]
		}
		require.Equalf(t, want, r.Code, "height %d tx %d: %s", c.Height, i, r.Log)
		events = append(events, r.Events...)
	}
	events = append(events, res.Events...)
	after := h.snap()
	ctx := c.Ctx()

	// Emission into each fund: 24 % of the block's mint, floored (x/emission's split).
	mint := after.minted.Sub(before.minted)
	require.True(t, mint.IsPositive(), "height %d minted %s", c.Height, mint)
	in := mint.MulRaw(24).QuoRaw(100)

	// What left the funds: credited rewards and paid milestones; what came in besides
	// emission: forfeited deposits.
	credited, paid, forfeit := zeroes(), zeroes(), zeroes()
	creditsBy := map[string]math.Int{}
	for _, ev := range typedEvents[*types.EventRewardCredited](t, events) {
		credited[ev.Fund] = credited[ev.Fund].Add(ev.Amount)
		key := fmt.Sprintf("%s/%d", ev.Owner, ev.Fund)
		if cur, ok := creditsBy[key]; ok {
			creditsBy[key] = cur.Add(ev.Amount)
		} else {
			creditsBy[key] = ev.Amount
		}
	}
	for _, ev := range typedEvents[*types.EventMilestonePaid](t, events) {
		g, err := h.k.GetGrant(ctx, ev.GrantId)
		require.NoError(t, err)
		paid[g.Fund] = paid[g.Fund].Add(ev.Amount.Amount)
	}
	for _, ev := range typedEvents[*types.EventGrantDecided](t, events) {
		if ev.DepositForfeited {
			g, err := h.k.GetGrant(ctx, ev.GrantId)
			require.NoError(t, err)
			forfeit[g.Fund] = forfeit[g.Fund].Add(g.Deposit.Amount)
		}
	}
	claimed := math.ZeroInt()
	for _, ev := range typedEvents[*types.EventRewardsClaimed](t, events) {
		claimed = claimed.Add(ev.Amount.Amount)
	}
	// No curator was slashed into a fund (everyone reveals) and no flag was resolved.
	require.Empty(t, typedEvents[*curationtypes.EventCuratorSlashed](t, events), "height %d", c.Height)

	for _, f := range funds {
		want := before.fund[f].Add(in).Add(forfeit[f]).Sub(credited[f]).Sub(paid[f])
		require.Truef(t, want.Equal(after.fund[f]), "height %d %s: balance %s, want %s + emission %s + forfeited %s - credited %s - milestones %s",
			c.Height, f, after.fund[f], before.fund[f], in, forfeit[f], credited[f], paid[f])
		h.emitted[f] = h.emitted[f].Add(in)
		h.forfeited[f] = h.forfeited[f].Add(forfeit[f])
		h.credited[f] = h.credited[f].Add(credited[f])
		h.granted[f] = h.granted[f].Add(paid[f])
	}
	h.claimed = h.claimed.Add(claimed)

	// Epoch payouts, recomputed independently.
	for _, ev := range typedEvents[*types.EventEpochRewards](t, res.Events) {
		h.checkPayout(ev, before, in, res.Events)
	}
	seen := map[uint64]bool{}
	for _, ev := range typedEvents[*types.EventEpochRewards](t, res.Events) {
		seen[ev.Epoch] = true
	}
	for e := range seen {
		h.rewarded = append(h.rewarded, e)
	}
	sort.Slice(h.rewarded, func(i, j int) bool { return h.rewarded[i] < h.rewarded[j] })
	// Every credit is in the claimable state: rewards after = before + credits - claims.
	owners := map[string]bool{}
	for o := range before.rewards {
		owners[o] = true
	}
	for o := range after.rewards {
		owners[o] = true
	}
	claimedBy := map[string]math.Int{}
	for _, ev := range typedEvents[*types.EventRewardsClaimed](t, events) {
		claimedBy[ev.Owner] = ev.Amount.Amount
	}
	for o := range owners {
		want := before.reward(o)
		for _, f := range funds {
			if cr, ok := creditsBy[fmt.Sprintf("%s/%d", o, f)]; ok {
				want = want.Add(cr)
			}
		}
		if cl, ok := claimedBy[o]; ok {
			require.Truef(t, before.reward(o).Equal(cl), "height %d: %s claimed %s, had %s claimable", c.Height, o, cl, before.reward(o))
			want = want.Sub(cl)
		}
		require.Truef(t, want.Equal(after.reward(o)), "height %d: %s claimable %s, want %s", c.Height, o, after.reward(o), want)
	}

	h.checkTotals(after)
	return res
}

// checkTotals checks the books since the start: per fund, what emission (and forfeits) put
// in equals what remains plus the rewards credited and the milestones paid; the rewards
// credited equal those claimed plus those still claimable; the grants account holds
// exactly the claimable rewards and the deposits of VOTING grants; and the invariants hold.
func (h *harness) checkTotals(now snapshot) {
	h.t.Helper()
	t, ctx := h.t, h.c.Ctx()
	totalCredited := math.ZeroInt()
	for _, f := range funds {
		in := h.start.fund[f].Add(h.emitted[f]).Add(h.forfeited[f])
		out := now.fund[f].Add(h.credited[f]).Add(h.granted[f])
		require.Truef(t, in.Equal(out), "height %d %s: start %s + emitted %s + forfeited %s != balance %s + credited %s + granted %s",
			h.c.Height, f, h.start.fund[f], h.emitted[f], h.forfeited[f], now.fund[f], h.credited[f], h.granted[f])
		totalCredited = totalCredited.Add(h.credited[f])
		fs, err := h.k.GetFundState(ctx, f)
		require.NoError(t, err)
		require.Truef(t, fs.TotalRewarded.Equal(h.credited[f]), "%s total_rewarded %s, credited %s", f, fs.TotalRewarded, h.credited[f])
		require.Truef(t, fs.TotalGranted.Equal(h.granted[f]), "%s total_granted %s, granted %s", f, fs.TotalGranted, h.granted[f])
	}
	claimable := math.ZeroInt()
	for _, r := range now.rewards {
		claimable = claimable.Add(r)
	}
	require.Truef(t, totalCredited.Equal(h.claimed.Add(claimable)), "height %d: credited %s != claimed %s + claimable %s",
		h.c.Height, totalCredited, h.claimed, claimable)
	deposits := math.ZeroInt()
	require.NoError(t, h.k.Grants.Walk(ctx, nil, func(_ uint64, g types.Grant) (bool, error) {
		if g.Status == types.GrantStatusVoting {
			deposits = deposits.Add(g.Deposit.Amount)
		}
		return false, nil
	}))
	require.Truef(t, now.grants.Equal(claimable.Add(deposits)), "height %d: grants account %s != claimable %s + voting deposits %s",
		h.c.Height, now.grants, claimable, deposits)
	require.NoError(t, h.k.CheckInvariants(ctx), "height %d", h.c.Height)
}

// checkPayout recomputes one fund's epoch payout: pool = ⌊free/2⌋, curators ⌊pool/10⌋ by
// bond × reputation, the rest to the fund's kind of listings scored ≥ 50, pro rata to score.
func (h *harness) checkPayout(ev *types.EventEpochRewards, before snapshot, in math.Int, endEvents []abci.Event) {
	h.t.Helper()
	t, ctx := h.t, h.c.Ctx()
	f := ev.Fund
	// The hook runs in curation's EndBlock: after emission (BeginBlock) and the txs, before
	// grants' EndBlock. Milestone payments move balance and reserve alike, so the free balance
	// the hook saw is the previous balance plus this block's emission minus the reserve.
	free := before.fund[f].Add(in).Sub(before.reserved[f])
	require.Truef(t, free.Equal(ev.Free), "epoch %d %s: free %s, want %s", ev.Epoch, f, ev.Free, free)
	pool := free.QuoRaw(2)
	require.True(t, pool.Equal(ev.Pool), "epoch %d %s: pool %s, want %s", ev.Epoch, f, ev.Pool, pool)
	curatorPool := pool.QuoRaw(10)
	listingPool := pool.Sub(curatorPool)

	want := map[string]math.Int{}
	scored := h.scored[ev.Epoch]
	add := func(owner string, amt math.Int) {
		if !amt.IsPositive() {
			return
		}
		if cur, ok := want[owner]; ok {
			want[owner] = cur.Add(amt)
		} else {
			want[owner] = amt
		}
	}
	// Curators: bond × reputation (its 18-decimal integer), read after the epoch.
	weights := make([]math.Int, len(curatorNames))
	totalW := math.ZeroInt()
	for i, name := range curatorNames {
		cur, found, err := h.c.App.CurationKeeper.GetCurator(ctx, h.acc(name).Address, h.addr(name))
		require.NoError(t, err)
		require.True(t, found)
		require.True(t, cur.Bond.Equal(math.NewInt(curatorBonds[i])))
		weights[i] = cur.Bond.Mul(math.NewIntFromBigInt(cur.Reputation.BigInt()))
		totalW = totalW.Add(weights[i])
	}
	curatorsPaid := math.ZeroInt()
	for i, name := range curatorNames {
		if !scored {
			break // nobody revealed: the whole pool stays in the fund
		}
		amt := curatorPool.Mul(weights[i]).Quo(totalW)
		add(h.addr(name), amt)
		curatorsPaid = curatorsPaid.Add(amt)
	}
	// Listings of the fund's kind scored at least 50.
	kind := mkttypes.ListingKindModel
	if f == types.GrantFundAgents {
		kind = mkttypes.ListingKindAgent
	}
	// A listing's weight: the bonds of the curators within the agreement band (15) of its
	// median, each divided by the number of listings the curator scored (all of them).
	listingWeight := func(l listingSpec) math.Int {
		w := math.ZeroInt()
		for i, sc := range l.scores {
			if max(sc, l.median)-min(sc, l.median) <= 15 {
				w = w.Add(math.NewInt(curatorBonds[i]).QuoRaw(int64(len(listingSpecs))))
			}
		}
		return w
	}
	totalScore := math.ZeroInt()
	for _, l := range listingSpecs {
		if l.kind == kind && l.median >= 50 {
			totalScore = totalScore.Add(listingWeight(l).MulRaw(int64(l.median)))
		}
	}
	listingsPaid := math.ZeroInt()
	for _, l := range listingSpecs {
		if !scored || l.kind != kind || l.median < 50 {
			continue
		}
		amt := listingPool.Mul(listingWeight(l).MulRaw(int64(l.median))).Quo(totalScore)
		add(h.addr(l.owner), amt)
		listingsPaid = listingsPaid.Add(amt)
	}
	require.Truef(t, curatorsPaid.Equal(ev.CuratorsPaid), "epoch %d %s: curators paid %s, want %s", ev.Epoch, f, ev.CuratorsPaid, curatorsPaid)
	require.Truef(t, listingsPaid.Equal(ev.ListingsPaid), "epoch %d %s: listings paid %s, want %s", ev.Epoch, f, ev.ListingsPaid, listingsPaid)
	dust := pool.Sub(curatorsPaid).Sub(listingsPaid)
	require.False(t, dust.IsNegative())
	if scored {
		// Rounding loses less than one ubai per recipient.
		require.Truef(t, dust.LT(math.NewInt(int64(len(want)))) || dust.IsZero(), "epoch %d %s: dust %s for %d recipients", ev.Epoch, f, dust, len(want))
	} else {
		require.True(t, dust.Equal(pool), "epoch %d %s: an unscored epoch pays nothing", ev.Epoch, f)
	}

	// The credits of this fund, as events say, equal the model's.
	got := map[string]math.Int{}
	for _, cr := range typedEvents[*types.EventRewardCredited](t, endEvents) {
		if cr.Epoch == ev.Epoch && cr.Fund == f {
			if cur, ok := got[cr.Owner]; ok {
				got[cr.Owner] = cur.Add(cr.Amount)
			} else {
				got[cr.Owner] = cr.Amount
			}
		}
	}
	require.Equal(t, len(want), len(got), "epoch %d %s: credits %v, want %v", ev.Epoch, f, got, want)
	for o, amt := range want {
		require.Truef(t, amt.Equal(got[o]), "epoch %d %s: %s credited %s, want %s", ev.Epoch, f, o, got[o], amt)
	}
	if h.payout[ev.Epoch] == nil {
		h.payout[ev.Epoch] = map[string]math.Int{}
	}
	for o, amt := range want {
		if cur, ok := h.payout[ev.Epoch][o]; ok {
			h.payout[ev.Epoch][o] = cur.Add(amt)
		} else {
			h.payout[ev.Epoch][o] = amt
		}
	}
}

// tick finalizes an empty block.
func (h *harness) tick() { h.t.Helper(); h.block(nil) }

// untilReviewDecided finalizes empty blocks until the review of grant id's milestone idx
// ends, checking it stays IN_REVIEW before its review end and is decided in the first block
// that reaches it.
func (h *harness) untilReviewDecided(id uint64, idx uint32) {
	h.t.Helper()
	end := h.grant(id).Milestones[idx].ReviewEnd
	for i := 0; h.nextTime().Before(end); i++ {
		require.Less(h.t, i, 50, "review of grant %d milestone %d never ends", id, idx)
		h.tick()
		require.Equal(h.t, types.MilestoneStatusInReview, h.grant(id).Milestones[idx].Status, "decided at %s before the review end %s", h.c.Time, end)
	}
	h.tick()
	require.NotEqual(h.t, types.MilestoneStatusInReview, h.grant(id).Milestones[idx].Status, "not decided at %s, review end %s", h.c.Time, end)
}

// deliver signs each (account, msg) pair into one block and expects the given codes.
func (h *harness) deliver(wantCodes []uint32, sends ...send) *abci.ResponseFinalizeBlock {
	h.t.Helper()
	txs := make([][]byte, len(sends))
	for i, s := range sends {
		txs[i] = h.c.SignTx(h.acc(s.from), noFee, s.msg)
	}
	// A tx refused in DeliverTx (not by the ante handler) still uses its sequence, as SignTx assumes.
	return h.block(wantCodes, txs...)
}

// send is one message signed by an account.
type send struct {
	from string
	msg  sdk.Msg
}

func (h *harness) epoch() curationtypes.Epoch {
	h.t.Helper()
	e, err := h.c.App.CurationKeeper.CurrentEpoch.Get(h.c.Ctx())
	require.NoError(h.t, err)
	return e
}

// nextTime is the time of the next block.
func (h *harness) nextTime() time.Time { return h.c.Time.Add(h.c.BlockTime) }

func (h *harness) lastRewarded() (uint64, bool) {
	e, err := h.c.App.GrantsKeeper.LastRewardedEpoch.Get(h.c.Ctx())
	if err != nil {
		return 0, false
	}
	return e, true
}

// scoreEpoch has the three curators commit and reveal their scores in the first epoch
// whose commit phase the next block reaches and which opened after the listings were
// registered (a listing is scored from the epoch after its registration), then runs blocks
// until that epoch is paid out.
func (h *harness) scoreEpoch() uint64 {
	h.t.Helper()
	t := h.t
	var registered time.Time
	for id := range listingSpecs {
		l, err := h.c.App.MarketplaceKeeper.GetListing(h.c.Ctx(), uint64(id+1))
		require.NoError(t, err)
		if l.CreatedAt.After(registered) {
			registered = l.CreatedAt
		}
	}
	e := h.epoch()
	for i := 0; !h.nextTime().Before(e.RevealStart) || !registered.Before(e.Start); i++ {
		require.Less(t, i, 50, "no commit phase reached")
		h.tick()
		e = h.epoch()
	}
	salts := make([]string, len(curatorNames))
	scores := make([][]curationtypes.ListingScoreEntry, len(curatorNames))
	var commits []send
	for i, name := range curatorNames {
		salts[i] = fmt.Sprintf("salt-%s-%d", name, e.Number)
		for id, l := range listingSpecs {
			scores[i] = append(scores[i], curationtypes.ListingScoreEntry{ListingId: uint64(id + 1), Score: l.scores[i]})
		}
		commits = append(commits, send{name, &curationtypes.MsgCommitScores{
			Curator: h.addr(name), Epoch: e.Number,
			Commitment: curationtypes.ComputeCommitment(h.addr(name), testutil.ChainID, salts[i], e.Number, curationtypes.SortScores(scores[i])),
		}})
	}
	h.deliver(nil, commits...)
	for i := 0; h.nextTime().Before(e.RevealStart); i++ {
		require.Less(t, i, 50)
		h.tick()
	}
	var reveals []send
	for i, name := range curatorNames {
		reveals = append(reveals, send{name, &curationtypes.MsgRevealScores{Curator: h.addr(name), Epoch: e.Number, Salt: salts[i], Scores: scores[i]}})
	}
	h.scored[e.Number] = true
	h.deliver(nil, reveals...)
	for i := 0; ; i++ {
		require.Less(t, i, 50, "epoch %d not paid out", e.Number)
		if last, ok := h.lastRewarded(); ok && last >= e.Number {
			break
		}
		h.tick()
	}
	last, _ := h.lastRewarded()
	require.Equal(t, e.Number, last)
	require.Contains(t, h.rewarded, e.Number)
	// The listings' epoch scores are the expected medians.
	for id, l := range listingSpecs {
		ls, err := h.c.App.CurationKeeper.ListingScores.Get(h.c.Ctx(), uint64(id+1))
		require.NoError(t, err)
		require.Equal(t, e.Number, ls.LastEpoch, "listing %d", id+1)
		require.Equal(t, l.median, ls.LastEpochScore, "listing %d", id+1)
	}
	h.checkFundsQuery()
	return e.Number
}

// checkFundsQuery checks the funds query: balance = free + reserved, unclaimed as recorded.
func (h *harness) checkFundsQuery() {
	h.t.Helper()
	res, err := h.q.Funds(h.c.Ctx(), &types.QueryFundsRequest{})
	require.NoError(h.t, err)
	require.Len(h.t, res.Funds, 2)
	for _, fi := range res.Funds {
		bal := h.c.App.BankKeeper.GetBalance(h.c.Ctx(), h.k.FundAddress(fi.Fund), denom)
		require.Equal(h.t, bal, fi.Balance)
		require.Truef(h.t, fi.Balance.Amount.Equal(fi.Free.Add(fi.Reserved)), "%s: balance %s != free %s + reserved %s", fi.Fund, fi.Balance, fi.Free, fi.Reserved)
	}
	require.NoError(h.t, h.k.CheckFunds(h.c.Ctx()))
}

func (h *harness) claimable(name string) math.Int {
	h.t.Helper()
	res, err := h.q.Rewards(h.c.Ctx(), &types.QueryRewardsRequest{Owner: h.addr(name)})
	require.NoError(h.t, err)
	sum := math.ZeroInt()
	for _, r := range res.Rewards {
		sum = sum.Add(r.Amount)
	}
	require.True(h.t, sum.Equal(res.Total.Amount), "%s: rewards %v, total %s", name, res.Rewards, res.Total)
	return res.Total.Amount
}

func (h *harness) balance(name string) math.Int { return h.c.Balance(h.acc(name).Address) }

func (h *harness) grant(id uint64) types.Grant {
	h.t.Helper()
	g, err := h.k.GetGrant(h.c.Ctx(), id)
	require.NoError(h.t, err)
	return g
}

// claim has name claim its rewards and checks it was paid exactly what was claimable.
func (h *harness) claim(name string) math.Int {
	h.t.Helper()
	want := h.claimable(name)
	require.True(h.t, want.IsPositive(), "%s has nothing to claim", name)
	before := h.balance(name)
	h.deliver(nil, send{name, &types.MsgClaimRewards{Owner: h.addr(name)}})
	require.Truef(h.t, h.balance(name).Sub(before).Equal(want), "%s was paid %s, claimable %s", name, h.balance(name).Sub(before), want)
	require.True(h.t, h.claimable(name).IsZero())
	return want
}

func registerMsg(owner string, kind mkttypes.ListingKind, i int) *mkttypes.MsgRegisterListing {
	coll := int64(1_000) * bai
	if kind == mkttypes.ListingKindAgent {
		coll = 500 * bai
	}
	return &mkttypes.MsgRegisterListing{
		Owner: owner, Kind: kind, Name: fmt.Sprintf("Listing %d", i), Description: "test listing",
		Task: "nlp", Tags: []string{"llm"}, Endpoint: "https://node.example.com/v1", MetadataCid: cidV1,
		Version: "1.0.0", Collateral: sdk.NewInt64Coin(denom, coll),
		Access: mkttypes.AccessPolicy{MinStake: math.ZeroInt(), Mode: mkttypes.AccessModePublic},
	}
}

// TestEmissionCurationGrants runs emission → curation → grants over several epochs in one
// app, checking every block's books (see harness.block), every epoch payout against the
// model, claims, a curator-voted grant paying its first milestone and a vetoed one.
func TestEmissionCurationGrants(t *testing.T) {
	h := newHarness(t)
	c := h.c
	require.True(t, h.start.fund[types.GrantFundModels].IsZero(), "the first block mints nothing")

	// Four listings and three curators in one block.
	var setup []send
	for i, l := range listingSpecs {
		setup = append(setup, send{l.owner, registerMsg(h.addr(l.owner), l.kind, i+1)})
	}
	for i, name := range curatorNames {
		setup = append(setup, send{name, &curationtypes.MsgBondCurator{Curator: h.addr(name), Amount: sdk.NewInt64Coin(denom, curatorBonds[i])}})
	}
	h.deliver(nil, setup...)
	for i, l := range listingSpecs {
		got, err := c.App.MarketplaceKeeper.GetListing(c.Ctx(), uint64(i+1))
		require.NoError(t, err)
		require.Equal(t, h.addr(l.owner), got.Owner)
		require.Equal(t, l.kind, got.Kind)
	}

	// Epoch 1, the first after the listings were registered, is scored: after it, the owner of
	// the listing scored 70 has a claimable reward, the listing scored 40 earns nothing.
	e0 := h.scoreEpoch()
	require.Equal(t, uint64(1), e0)
	aliceReward := h.claimable("alice")
	require.True(t, aliceReward.IsPositive())
	require.True(t, aliceReward.Equal(h.payout[e0][h.addr("alice")]))
	require.True(t, h.claimable("bob").IsZero(), "a listing scored 40 < min_reward_score earns nothing")
	require.True(t, h.claimable("dave").IsPositive())
	require.True(t, h.claimable("carol").IsPositive())
	// cur3 disagreed once: with 3x cur1's bond it earns less than 3x cur1's share.
	c1, c3 := h.claimable("cur1"), h.claimable("cur3")
	require.True(t, c1.IsPositive())
	require.True(t, c3.LT(c1.MulRaw(3)), "cur1 %s, cur3 %s", c1, c3)
	require.True(t, c3.GT(c1), "cur1 %s, cur3 %s", c1, c3)

	// Claims pay exactly once.
	h.claim("alice")
	aliceBal := h.balance("alice")
	grantsBal := c.App.BankKeeper.GetBalance(c.Ctx(), grantsAcct, denom).Amount
	res := h.deliver([]uint32{types.ErrNoRewards.ABCICode()}, send{"alice", &types.MsgClaimRewards{Owner: h.addr("alice")}})
	require.Contains(t, res.TxResults[0].Log, "no claimable rewards")
	require.Equal(t, types.ModuleName, res.TxResults[0].Codespace)
	require.True(t, aliceBal.Equal(h.balance("alice")))
	if len(typedEvents[*types.EventEpochRewards](t, res.Events)) == 0 {
		require.True(t, grantsBal.Equal(c.App.BankKeeper.GetBalance(c.Ctx(), grantsAcct, denom).Amount))
	}

	// A grant proposal: at most 10 % of the models fund's free balance.
	free, err := h.k.FreeBalance(c.Ctx(), types.GrantFundModels, denom)
	require.NoError(t, err)
	// The next block adds emission to the fund; the bound is read at execution, so a total
	// of the current 10 % is safely below it and 10 % of twice the balance is above it.
	maxNow := free.QuoRaw(10)
	m0, m1 := maxNow.QuoRaw(2), maxNow.QuoRaw(3)
	tooMuch := free.MulRaw(2).QuoRaw(10)
	grantMsg := func(applicant string, fund types.GrantFund, listing uint64, amts ...math.Int) *types.MsgSubmitGrant {
		m := &types.MsgSubmitGrant{Applicant: h.addr(applicant), Fund: fund, ListingId: listing, Title: "Multilingual fine-tune", DetailsCid: cidV1}
		for i, a := range amts {
			m.Milestones = append(m.Milestones, types.MilestoneInput{Amount: sdk.NewCoin(denom, a), Description: fmt.Sprintf("milestone %d", i)})
		}
		return m
	}
	h.deliver([]uint32{types.ErrGrantTooLarge.ABCICode()}, send{"alice", grantMsg("alice", types.GrantFundModels, 1, tooMuch)})
	agentsFree, err := h.k.FreeBalance(c.Ctx(), types.GrantFundAgents, denom)
	require.NoError(t, err)
	deposit := math.NewInt(50 * bai)
	aliceBal, bobBal := h.balance("alice"), h.balance("bob")
	h.deliver(nil,
		send{"alice", grantMsg("alice", types.GrantFundModels, 1, m0, m1)},
		send{"bob", grantMsg("bob", types.GrantFundAgents, 0, agentsFree.QuoRaw(20))})
	require.True(t, aliceBal.Sub(deposit).Equal(h.balance("alice")), "the deposit is taken")
	require.True(t, bobBal.Sub(deposit).Equal(h.balance("bob")))
	g1, g2 := h.grant(1), h.grant(2)
	require.Equal(t, types.GrantStatusVoting, g1.Status)
	require.Equal(t, types.GrantStatusVoting, g2.Status)
	require.Equal(t, cidV1, g1.DetailsCid)

	// Curators vote: every curator YES on grant 1; NO and NO_WITH_VETO (30k of 50k cast) on grant 2.
	h.deliver(nil,
		send{"cur1", &types.MsgVoteGrant{Curator: h.addr("cur1"), GrantId: 1, Option: types.VoteOptionYes}},
		send{"cur2", &types.MsgVoteGrant{Curator: h.addr("cur2"), GrantId: 1, Option: types.VoteOptionYes}},
		send{"cur3", &types.MsgVoteGrant{Curator: h.addr("cur3"), GrantId: 1, Option: types.VoteOptionYes}},
		send{"cur2", &types.MsgVoteGrant{Curator: h.addr("cur2"), GrantId: 2, Option: types.VoteOptionNo}},
		send{"cur3", &types.MsgVoteGrant{Curator: h.addr("cur3"), GrantId: 2, Option: types.VoteOptionNoWithVeto}},
	)
	// A second vote and a non-curator's vote are refused.
	h.deliver([]uint32{types.ErrAlreadyVoted.ABCICode(), types.ErrNotCurator.ABCICode()},
		send{"cur1", &types.MsgVoteGrant{Curator: h.addr("cur1"), GrantId: 1, Option: types.VoteOptionNo}},
		send{"dave", &types.MsgVoteGrant{Curator: h.addr("dave"), GrantId: 1, Option: types.VoteOptionNo}})
	require.True(t, h.grant(1).Tally.Yes.Equal(math.NewInt(60_000*bai)))
	require.True(t, h.grant(1).Tally.No.IsZero())

	for i := 0; h.grant(1).Status == types.GrantStatusVoting; i++ {
		require.Less(t, i, 20, "grant 1 still voting")
		require.True(t, c.Time.Before(g1.VotingEnd), "voting ended at %s but grant 1 is still VOTING at %s", g1.VotingEnd, c.Time)
		h.tick()
	}
	require.False(t, c.Time.Before(g1.VotingEnd), "tallied at %s before the voting end %s", c.Time, g1.VotingEnd)
	g1 = h.grant(1)
	require.Equal(t, types.GrantStatusApproved, g1.Status, g1.Outcome)
	require.True(t, aliceBal.Equal(h.balance("alice")), "the deposit is returned on approval")
	fs, err := h.k.GetFundState(c.Ctx(), types.GrantFundModels)
	require.NoError(t, err)
	require.True(t, fs.Reserved.Equal(m0.Add(m1)), "reserved %s", fs.Reserved)
	g2 = h.grant(2)
	require.Equal(t, types.GrantStatusRejected, g2.Status)
	require.True(t, g2.DepositForfeited, g2.Outcome)
	require.True(t, bobBal.Sub(deposit).Equal(h.balance("bob")), "a vetoed grant's deposit is not returned")
	require.True(t, h.forfeited[types.GrantFundAgents].Equal(deposit), "the vetoed deposit went to agents_fund")

	// The first milestone: submitted by alice, reviewed by curators, decided at the end of
	// its review period: cur1 (10k) and cur2 (20k) approve, 30k of the 60k snapshotted when
	// the review opened (quorum 20k), and nobody rejects.
	h.deliver(nil, send{"alice", &types.MsgSubmitMilestone{Applicant: h.addr("alice"), GrantId: 1, Index: 0, EvidenceCid: cidV0}})
	require.Equal(t, types.MilestoneStatusInReview, h.grant(1).Milestones[0].Status)
	require.True(t, h.grant(1).Milestones[0].ReviewTotalBonded.Equal(math.NewInt(60_000*bai)))
	aliceBal = h.balance("alice")
	h.deliver(nil, send{"cur1", &types.MsgReviewMilestone{Curator: h.addr("cur1"), GrantId: 1, Index: 0, Approve: true}})
	require.Equal(t, types.MilestoneStatusInReview, h.grant(1).Milestones[0].Status)
	h.deliver(nil, send{"cur2", &types.MsgReviewMilestone{Curator: h.addr("cur2"), GrantId: 1, Index: 0, Approve: true}})
	require.Equal(t, types.MilestoneStatusInReview, h.grant(1).Milestones[0].Status, "a quorum of approvals pays nothing before the review end")
	require.True(t, aliceBal.Equal(h.balance("alice")))
	h.untilReviewDecided(1, 0)
	g1 = h.grant(1)
	require.Equal(t, types.MilestoneStatusPaid, g1.Milestones[0].Status)
	require.Equal(t, types.GrantStatusApproved, g1.Status)
	require.EqualValues(t, 1, g1.NextMilestone)
	require.True(t, g1.Paid.Equal(m0))
	require.True(t, h.balance("alice").Sub(aliceBal).Equal(m0), "alice was paid %s, milestone %s", h.balance("alice").Sub(aliceBal), m0)
	require.True(t, h.granted[types.GrantFundModels].Equal(m0))
	fs, err = h.k.GetFundState(c.Ctx(), types.GrantFundModels)
	require.NoError(t, err)
	require.True(t, fs.Reserved.Equal(m1))
	// The paid milestone cannot be reviewed (or paid) again.
	h.deliver([]uint32{types.ErrInvalidStatus.ABCICode()},
		send{"cur3", &types.MsgReviewMilestone{Curator: h.addr("cur3"), GrantId: 1, Index: 0, Approve: true}})
	require.True(t, h.balance("alice").Sub(aliceBal).Equal(m0))

	// Two more scored epochs: the payout draws on the free balance only (the reserve of
	// grant 1 is left alone, checked in checkPayout).
	e1 := h.scoreEpoch()
	e2 := h.scoreEpoch()
	require.Greater(t, e2, e1)
	require.Greater(t, e1, e0)
	for e := e0; e <= e2; e++ {
		require.Contains(t, h.rewarded, e, "every epoch is paid out, scored or not")
	}
	fs, err = h.k.GetFundState(c.Ctx(), types.GrantFundModels)
	require.NoError(t, err)
	require.True(t, fs.Reserved.Equal(m1), "the reserve stays through the payouts")

	// Everyone claims: each is paid exactly its claimable; nothing is left to claim and the
	// grants account is empty.
	for _, name := range []string{"alice", "dave", "carol", "cur1", "cur2", "cur3"} {
		h.claim(name)
	}
	require.True(t, h.claimable("bob").IsZero())
	now := h.snap()
	require.Empty(t, now.rewards)
	require.True(t, now.grants.IsZero(), "grants account holds %s", now.grants)

	// The books: per fund, emission in (+ the vetoed deposit) = what remains + rewards paid
	// out + milestones paid; all rewards credited were claimed.
	total := math.ZeroInt()
	for _, f := range funds {
		require.True(t, h.emitted[f].Add(h.forfeited[f]).Equal(now.fund[f].Add(h.credited[f]).Add(h.granted[f])))
		total = total.Add(h.credited[f])
		t.Logf("%s: emitted %s, forfeited %s, credited %s, granted %s, remaining %s (reserved %s)",
			f, h.emitted[f], h.forfeited[f], h.credited[f], h.granted[f], now.fund[f], now.reserved[f])
	}
	require.True(t, total.Equal(h.claimed))
	t.Logf("%d blocks, epochs rewarded %v (scored %v), claimed %s", c.Height, h.rewarded, h.scored, h.claimed)
}
