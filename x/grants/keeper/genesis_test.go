package keeper_test

import (
	"strings"
	"testing"

	"cosmossdk.io/math"
	storetypes "cosmossdk.io/store/types"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	curationtypes "github.com/balanceai/balanceai/x/curation/types"
	"github.com/balanceai/balanceai/x/grants/keeper"
	"github.com/balanceai/balanceai/x/grants/types"
)

// richState builds rewards, a voting grant with votes, an approved grant with a milestone
// in review and reviews, a completed and a rejected grant.
func richState(t *testing.T) *fixture {
	f, res := epochFixture(t)
	f.fund(modelsFund, 3*fundStart)
	f.fund(applicant, appStart)
	f.addListing(10, 1, applicant, 1)
	f.bond(cur1, 400)
	f.bond(cur2, 300)
	f.bond(cur3, 300)
	f.nextBlock()
	f.pay(3, res)
	// Grant 1 is voted while grant 2, approved by governance, has its milestone reviewed.
	id := f.submit(submitMsg(applicant, types.GrantFundModels, 0, 30_000_000, 70_000_000))
	f.vote(cur1, id, types.VoteOptionYes)
	done := f.submit(submitMsg(applicant, types.GrantFundModels, 0, 1_000))
	_, err := f.msg.DecideGrant(f.ctx, &types.MsgDecideGrant{Authority: f.authority, GrantId: done, Approve: true})
	require.NoError(t, err)
	f.submitMilestone(done, 0)
	f.review(cur1, done, 0, true)
	f.endVoting()
	require.Equal(t, types.GrantStatusApproved, f.grant(id).Status)
	f.advance(types.DefaultMilestoneReviewPeriod - types.DefaultGrantVotingPeriod)
	f.endBlock()
	require.Equal(t, types.GrantStatusCompleted, f.grant(done).Status)
	// Grant 1's first milestone is in review with one review.
	f.submitMilestone(id, 0)
	f.review(cur2, id, 0, true)
	rej := f.submit(submitMsg(applicant, types.GrantFundModels, 0, 1_000))
	_, err = f.msg.DecideGrant(f.ctx, &types.MsgDecideGrant{Authority: f.authority, GrantId: rej, Approve: false})
	require.NoError(t, err)
	voting := f.submit(submitMsg(applicant, types.GrantFundModels, 10, 5_000))
	f.vote(cur3, voting, types.VoteOptionAbstain)
	return f
}

func TestGenesisRoundTrip(t *testing.T) {
	f := richState(t)
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, gs.Validate())
	require.Len(t, gs.Grants, 4)
	// The snapshots of the open vote and the open review are exported.
	require.Equal(t, types.GrantStatusVoting, gs.Grants[3].Status)
	require.Positive(t, gs.Grants[3].VotingOpenedHeight)
	require.Equal(t, int64(1000), gs.Grants[3].VotingTotalBonded.Int64())
	require.Equal(t, types.MilestoneStatusInReview, gs.Grants[0].Milestones[0].Status)
	require.Positive(t, gs.Grants[0].Milestones[0].ReviewOpenedHeight)
	require.Equal(t, int64(1000), gs.Grants[0].Milestones[0].ReviewTotalBonded.Int64())
	require.NotEmpty(t, gs.Rewards)
	require.True(t, gs.HasRewardedEpoch)
	require.Equal(t, uint64(3), gs.LastRewardedEpoch)

	// Import into a fresh store with the same bank and keepers, as the chain continuing at
	// the next height.
	k2, ctx := importGenesis(t, f, gs, f.ctx.BlockHeight()+1)
	gs2, err := k2.ExportGenesis(ctx)
	require.NoError(t, err)
	require.Equal(t, gs, gs2)
	require.NoError(t, k2.CheckInvariants(ctx))

	// The queues and indexes are rebuilt the same.
	collect := func(k keeper.Keeper, c sdk.Context, voting bool) []pairKey {
		var out []pairKey
		qs := k.ReviewQueue
		if voting {
			qs = k.VotingQueue
		}
		require.NoError(t, qs.Walk(c, nil, func(p pairKey) (bool, error) { out = append(out, p); return false, nil }))
		return out
	}
	require.Equal(t, collect(f.k, f.ctx, true), collect(k2, ctx, true))
	require.Equal(t, collect(f.k, f.ctx, false), collect(k2, ctx, false))
	require.Len(t, collect(k2, ctx, true), 1)
	require.Len(t, collect(k2, ctx, false), 1)

	// The next grant id continues.
	q2 := keeper.NewQueryServerImpl(k2)
	res, err := q2.Grants(ctx, &types.QueryGrantsRequest{Status: types.GrantStatusApproved})
	require.NoError(t, err)
	require.Len(t, res.Grants, 1)
	sub, err := keeper.NewMsgServerImpl(k2).SubmitGrant(ctx, submitMsg(applicant, types.GrantFundModels, 0, 1))
	require.NoError(t, err)
	require.Equal(t, uint64(5), sub.GrantId)
}

// importGenesis imports gs into a fresh store with f's bank and other keepers, InitChain at
// height and f's block time.
func importGenesis(t *testing.T, f *fixture, gs *types.GenesisState, height int64) (keeper.Keeper, sdk.Context) {
	t.Helper()
	key := storetypes.NewKVStoreKey(types.StoreKey)
	ctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("t2")).Ctx.
		WithBlockTime(f.ctx.BlockTime()).WithBlockHeight(height)
	k := keeper.NewKeeper(f.enc.Codec, runtime.NewKVStoreService(key), f.ak, f.bank, f.market, f.curation, testFunds, f.authority)
	require.NoError(t, k.InitGenesis(ctx, gs))
	return k, ctx
}

func TestGenesisValidate(t *testing.T) {
	f := richState(t)
	good, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, types.DefaultGenesisState().Validate())
	cases := map[string]func(gs *types.GenesisState){
		"reserved mismatch":  func(gs *types.GenesisState) { gs.Funds[0].Reserved = gs.Funds[0].Reserved.AddRaw(1) },
		"unclaimed mismatch": func(gs *types.GenesisState) { gs.Rewards[0].Amount = gs.Rewards[0].Amount.AddRaw(1) },
		"duplicate grant":    func(gs *types.GenesisState) { gs.Grants = append(gs.Grants, gs.Grants[0]) },
		"grant id too high":  func(gs *types.GenesisState) { gs.NextGrantId = 2 },
		"paid mismatch":      func(gs *types.GenesisState) { gs.Grants[0].Paid = gs.Grants[0].Paid.AddRaw(1) },
		"vote unknown grant": func(gs *types.GenesisState) { gs.Votes[0].GrantId = 77 },
		"duplicate review":   func(gs *types.GenesisState) { gs.Reviews = append(gs.Reviews, gs.Reviews[0]) },
		"bad params":         func(gs *types.GenesisState) { gs.Params.MaxQueueItemsPerBlock = 0 },
		"bad reward owner":   func(gs *types.GenesisState) { gs.Rewards[0].Owner = "x" },
		"invisible title":    func(gs *types.GenesisState) { gs.Grants[0].Title = "a\u200bb" },
		"negative snapshot":  func(gs *types.GenesisState) { gs.Grants[0].VotingTotalBonded = math.NewInt(-1) },
		"total reserved below reserved": func(gs *types.GenesisState) {
			gs.Funds[0].TotalReserved = gs.Funds[0].Reserved.SubRaw(1)
		},
		"negative free at submission": func(gs *types.GenesisState) { gs.Grants[0].FreeAtSubmission = math.NewInt(-1) },
		"reserved at submission above the fund's": func(gs *types.GenesisState) {
			gs.Grants[0].TotalReservedAtSubmission = math.NewInt(1 << 62) // more than the fund ever reserved
		},
		"missing snapshot": func(gs *types.GenesisState) { gs.Grants[3].VotingTotalBonded = math.Int{} },
		"tally over snapshot": func(gs *types.GenesisState) {
			gs.Grants[3].Tally.Abstain = gs.Grants[3].VotingTotalBonded.AddRaw(1)
		},
		"review over snapshot": func(gs *types.GenesisState) {
			m := &gs.Grants[0].Milestones[0]
			m.ApproveWeight = m.ReviewTotalBonded.AddRaw(1)
		},
		"voting grant with a paid milestone": func(gs *types.GenesisState) {
			g := &gs.Grants[3]
			require.Equal(t, types.GrantStatusVoting, g.Status)
			g.Milestones[0].Status = types.MilestoneStatusPaid
			g.NextMilestone = 1
			g.Paid = g.Milestones[0].Amount.Amount
		},
		"approved grant stuck on a rejected milestone": func(gs *types.GenesisState) {
			g := &gs.Grants[0]
			require.Equal(t, types.GrantStatusApproved, g.Status)
			g.Milestones[g.NextMilestone].Status = types.MilestoneStatusRejected
		},
		"milestone in another denom": func(gs *types.GenesisState) {
			m := &gs.Grants[0].Milestones[len(gs.Grants[0].Milestones)-1]
			m.Amount.Denom = "uother"
		},
		"reward owner in upper case": func(gs *types.GenesisState) { gs.Rewards[0].Owner = strings.ToUpper(gs.Rewards[0].Owner) },
		"vote curator in upper case": func(gs *types.GenesisState) { gs.Votes[0].Curator = strings.ToUpper(gs.Votes[0].Curator) },
	}
	for name, edit := range cases {
		gs, err := f.k.ExportGenesis(f.ctx)
		require.NoError(t, err)
		edit(gs)
		require.ErrorIs(t, gs.Validate(), types.ErrInvalidGenesis, name)
	}
	require.NoError(t, good.Validate())
}

func TestGrantsQuery(t *testing.T) {
	f := richState(t)
	all, err := f.query.Grants(f.ctx, &types.QueryGrantsRequest{})
	require.NoError(t, err)
	require.Len(t, all.Grants, 4)
	for status, n := range map[types.GrantStatus]int{types.GrantStatusApproved: 1, types.GrantStatusCompleted: 1, types.GrantStatusRejected: 1, types.GrantStatusVoting: 1, types.GrantStatusClosed: 0} {
		res, err := f.query.Grants(f.ctx, &types.QueryGrantsRequest{Status: status})
		require.NoError(t, err)
		require.Len(t, res.Grants, n, status.String())
	}
	page, err := f.query.Grants(f.ctx, &types.QueryGrantsRequest{Applicant: applicant.String(), Pagination: &query.PageRequest{Limit: 3, CountTotal: true}})
	require.NoError(t, err)
	require.Len(t, page.Grants, 3)
	require.Equal(t, uint64(4), page.Pagination.Total)
	rest, err := f.query.Grants(f.ctx, &types.QueryGrantsRequest{Applicant: applicant.String(), Pagination: &query.PageRequest{Key: page.Pagination.NextKey}})
	require.NoError(t, err)
	require.Len(t, rest.Grants, 1)
	require.Equal(t, uint64(4), rest.Grants[0].Id)
	both, err := f.query.Grants(f.ctx, &types.QueryGrantsRequest{Applicant: applicant.String(), Status: types.GrantStatusVoting})
	require.NoError(t, err)
	require.Len(t, both.Grants, 1)

	_, err = f.query.Grants(f.ctx, &types.QueryGrantsRequest{Status: 42})
	require.Error(t, err)
	_, err = f.query.Grants(f.ctx, &types.QueryGrantsRequest{Applicant: "x"})
	require.Error(t, err)
	_, err = f.query.Grant(f.ctx, &types.QueryGrantRequest{Id: 99})
	require.ErrorContains(t, err, "NotFound")
	g, err := f.query.Grant(f.ctx, &types.QueryGrantRequest{Id: 1})
	require.NoError(t, err)
	require.Equal(t, types.GrantStatusApproved, g.Grant.Status)
	_, err = f.query.Rewards(f.ctx, &types.QueryRewardsRequest{Owner: "x"})
	require.ErrorContains(t, err, "InvalidArgument")

	// Offset and count_total count grants that pass the status filter, not index entries:
	// the applicant's grants are 1..4, one of them VOTING.
	voting, err := f.query.Grants(f.ctx, &types.QueryGrantsRequest{Applicant: applicant.String(), Status: types.GrantStatusVoting,
		Pagination: &query.PageRequest{Offset: 1, CountTotal: true, Limit: 5}})
	require.NoError(t, err)
	require.Empty(t, voting.Grants)
	require.Equal(t, uint64(1), voting.Pagination.Total)
	// Reverse pages from the highest id.
	rev, err := f.query.Grants(f.ctx, &types.QueryGrantsRequest{Pagination: &query.PageRequest{Reverse: true, Limit: 1}})
	require.NoError(t, err)
	require.Equal(t, uint64(4), rev.Grants[0].Id)
	require.Len(t, rev.Pagination.NextKey, 8)
	// A page key that is not a next_key, or a key with an offset, is refused, with and without filters.
	for _, r := range []*types.QueryGrantsRequest{
		{Pagination: &query.PageRequest{Key: []byte{1, 2}}},
		{Status: types.GrantStatusVoting, Pagination: &query.PageRequest{Key: []byte{1, 2}}},
		{Applicant: applicant.String(), Pagination: &query.PageRequest{Key: page.Pagination.NextKey, Offset: 1}},
	} {
		_, err = f.query.Grants(f.ctx, r)
		require.Equal(t, codes.InvalidArgument, status.Code(err), "%+v", r)
	}
}

// TestGenesisWithGrantClosedInReview: a grant governance closes while its milestone is in
// review exports a genesis that validates and imports.
func TestGenesisWithGrantClosedInReview(t *testing.T) {
	f := lifecycleFixture(t)
	id := approvedGrant(t, f)
	f.submitMilestone(id, 0)
	f.review(cur1, id, 0, true)
	_, err := f.msg.DecideGrant(f.ctx, &types.MsgDecideGrant{Authority: f.authority, GrantId: id, Approve: false})
	require.NoError(t, err)
	g := f.grant(id)
	require.Equal(t, types.GrantStatusClosed, g.Status)
	require.Equal(t, types.MilestoneStatusInReview, g.Milestones[0].Status)
	require.NoError(t, f.k.CheckInvariants(f.ctx))

	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, gs.Validate())
	k2, ctx := importGenesis(t, f, gs, 0)
	gs2, err := k2.ExportGenesis(ctx)
	require.NoError(t, err)
	require.Equal(t, gs, gs2)
	require.NoError(t, k2.CheckInvariants(ctx))
}

// TestGenesisRestartAtHeightZeroKeepsSnapshots: a genesis exported for a restart at height zero
// keeps the old chain's heights; the open vote's and the open review's snapshot heights move to
// the new chain's first block, where x/curation checkpoints the bonds as exported, so a bond
// made on the new chain neither votes nor reviews.
func TestGenesisRestartAtHeightZeroKeepsSnapshots(t *testing.T) {
	f := richState(t)
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.Greater(t, gs.Grants[3].VotingOpenedHeight, int64(1))
	require.Greater(t, gs.Grants[0].Milestones[0].ReviewOpenedHeight, int64(1))

	k2, ctx := importGenesis(t, f, gs, 0)
	voting, err := k2.Grants.Get(ctx, gs.Grants[3].Id)
	require.NoError(t, err)
	require.Equal(t, int64(1), voting.VotingOpenedHeight)
	reviewed, err := k2.Grants.Get(ctx, gs.Grants[0].Id)
	require.NoError(t, err)
	require.Equal(t, int64(1), reviewed.Milestones[0].ReviewOpenedHeight)
	require.NoError(t, k2.CheckInvariants(ctx))
}

// TestPayoutEpochInvariant: a payout still tallying must name an epoch x/curation will hand
// over (pending or completed): a payout of an epoch it does not know (a hand-made genesis) would
// wait, and hold back every later epoch's rewards, for ever. A tallied payout needs none.
func TestPayoutEpochInvariant(t *testing.T) {
	f := newFixture(t)
	require.NoError(t, f.k.Payout.Set(f.ctx, types.EpochPayout{Epoch: 5}))
	require.ErrorContains(t, f.k.CheckPayoutEpoch(f.ctx), "epoch 5, which x/curation neither finalises nor holds results of")
	require.Error(t, f.k.CheckInvariants(f.ctx))
	f.curation.Pending[5] = true
	require.NoError(t, f.k.CheckPayoutEpoch(f.ctx))
	f.curation.CompleteEpoch(curationtypes.EpochResults{Epoch: 5})
	require.NoError(t, f.k.CheckPayoutEpoch(f.ctx))
	require.NoError(t, f.curation.ReleaseEpochResults(f.ctx, 5))
	require.Error(t, f.k.CheckPayoutEpoch(f.ctx))
	require.NoError(t, f.k.Payout.Set(f.ctx, types.EpochPayout{Epoch: 5, Tallied: true}))
	require.NoError(t, f.k.CheckPayoutEpoch(f.ctx))
}
