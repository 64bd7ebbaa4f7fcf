package keeper_test

import (
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	curationtypes "github.com/balanceai/balanceai/x/curation/types"
	"github.com/balanceai/balanceai/x/grants/types"
	mkt "github.com/balanceai/balanceai/x/marketplace/types"
)

func listingResult(id uint64, kind mkt.ListingKind, score uint32) curationtypes.ListingEpochResult {
	return curationtypes.ListingEpochResult{ListingID: id, Kind: kind, EpochScore: score, CurationScore: math.LegacyNewDec(int64(score)), Curators: 3,
		Weight: math.NewInt(30_000_000_000)}
}

func curatorResult(a sdk.AccAddress, weight int64, rep string) curationtypes.CuratorEpochResult {
	return curationtypes.CuratorEpochResult{Address: a.String(), Weight: math.NewInt(weight), Reputation: math.LegacyMustNewDecFromStr(rep), Agreement: math.LegacyOneDec(), Scored: 2}
}

// noneScored is c with none of its scores on a listing that reached a consensus.
func noneScored(c curationtypes.CuratorEpochResult) curationtypes.CuratorEpochResult {
	c.Scored, c.Agreement = 0, math.LegacyZeroDec()
	return c
}

func (f *fixture) reward(owner sdk.AccAddress) int64 {
	f.t.Helper()
	res, err := f.query.Rewards(f.ctx, &types.QueryRewardsRequest{Owner: owner.String()})
	require.NoError(f.t, err)
	return res.Total.Amount.Int64()
}

// epochFixture: two funds with odd balances, listings of both kinds (one below the minimum,
// one suspended, one missing) and two curators with different bond × reputation.
func epochFixture(t *testing.T) (*fixture, curationtypes.EpochResults) {
	f := newFixture(t)
	f.fund(modelsFund, 1_000_003)
	f.fund(agentsFund, 500_000)
	f.addListing(1, mkt.ListingKindModel, addr("alice"), mkt.ListingStatusActive)
	f.addListing(2, mkt.ListingKindModel, addr("bob"), mkt.ListingStatusPaused)
	f.addListing(3, mkt.ListingKindModel, addr("carol"), mkt.ListingStatusActive)
	f.addListing(4, mkt.ListingKindAgent, addr("dave"), mkt.ListingStatusActive)
	f.addListing(5, mkt.ListingKindModel, addr("erin"), mkt.ListingStatusSuspended)
	res := curationtypes.EpochResults{
		Epoch: 3,
		Listings: []curationtypes.ListingEpochResult{
			listingResult(1, mkt.ListingKindModel, 70),
			listingResult(2, mkt.ListingKindModel, 90),
			listingResult(3, mkt.ListingKindModel, 49), // below min_reward_score
			listingResult(4, mkt.ListingKindAgent, 60),
			listingResult(5, mkt.ListingKindModel, 80),  // suspended
			listingResult(6, mkt.ListingKindModel, 100), // not in the marketplace
		},
		Curators: []curationtypes.CuratorEpochResult{
			curatorResult(addr("cur1"), 100, "0.5"),
			curatorResult(addr("cur2"), 300, "1"),
			curatorResult(addr("cur3"), 500, "0"),             // zero reputation: nothing
			noneScored(curatorResult(addr("cur4"), 900, "1")), // no score reached a consensus: nothing
		},
	}
	return f, res
}

// TestEpochRewardMath checks every share to the unit: pool = ⌊free/2⌋, curators ⌊pool/10⌋
// by bond × reputation (50 : 300 = 1 : 6), listings the rest pro rata to score; dust stays.
func TestEpochRewardMath(t *testing.T) {
	f, res := epochFixture(t)
	total0 := f.bank.Total(denom)
	f.pay(3, res)
	f.checkInvariants()

	// Models: free 1,000,003 → pool 500,001; curators 50,000; listings 450,001 over 70 + 90.
	//   alice ⌊450001·70/160⌋ = 196,875; bob ⌊450001·90/160⌋ = 253,125 (dust 1)
	//   cur1 ⌊50000·1/7⌋ = 7,142; cur2 ⌊50000·6/7⌋ = 42,857 (dust 1)
	// Agents: free 500,000 → pool 250,000; curators 25,000; dave alone 225,000.
	//   cur1 ⌊25000/7⌋ = 3,571; cur2 ⌊150000/7⌋ = 21,428 (dust 1)
	require.Equal(t, int64(196_875), f.reward(addr("alice")))
	require.Equal(t, int64(253_125), f.reward(addr("bob")))
	require.Equal(t, int64(0), f.reward(addr("carol")))
	require.Equal(t, int64(225_000), f.reward(addr("dave")))
	require.Equal(t, int64(0), f.reward(addr("erin")))
	require.Equal(t, int64(7_142+3_571), f.reward(addr("cur1")))
	require.Equal(t, int64(42_857+21_428), f.reward(addr("cur2")))
	require.Equal(t, int64(0), f.reward(addr("cur4")))
	require.Equal(t, int64(0), f.reward(addr("cur3")))

	modelsPaid := int64(196_875 + 253_125 + 7_142 + 42_857)
	agentsPaid := int64(225_000 + 3_571 + 21_428)
	require.Equal(t, int64(1_000_003)-modelsPaid, f.bank.Balance(modelsFund, denom).Int64(), "dust stays in the models fund")
	require.Equal(t, int64(500_000)-agentsPaid, f.bank.Balance(agentsFund, denom).Int64(), "dust stays in the agents fund")
	require.Equal(t, modelsPaid+agentsPaid, f.bank.Balance(grantsAcc, denom).Int64(), "credited rewards sit in the grants account")
	require.Equal(t, total0, f.bank.Total(denom))
	require.Equal(t, int64(modelsPaid), f.fundState(types.GrantFundModels).Unclaimed.Int64())
	require.Equal(t, int64(agentsPaid), f.fundState(types.GrantFundAgents).TotalRewarded.Int64())

	// Per-fund view of cur1's credits.
	q, err := f.query.Rewards(f.ctx, &types.QueryRewardsRequest{Owner: addr("cur1").String()})
	require.NoError(t, err)
	require.Equal(t, []types.Reward{
		{Owner: addr("cur1").String(), Fund: types.GrantFundModels, Amount: math.NewInt(7_142)},
		{Owner: addr("cur1").String(), Fund: types.GrantFundAgents, Amount: math.NewInt(3_571)},
	}, q.Rewards)

	// The same epoch (or an older one) is never paid twice.
	before := f.state()
	for _, epoch := range []uint64{3, 2} {
		failed, _ := f.payEpoch(epoch, res)
		require.Len(t, failed, 1)
		require.Equal(t, epoch, failed[0].Epoch)
		require.Contains(t, failed[0].Error, types.ErrEpochAlreadyRewarded.Error())
		require.Empty(t, f.curation.Completed, "the refused epoch's results are dropped")
	}
	require.Equal(t, before, f.state())

	// The next epoch pays half of what is free now (unclaimed rewards are no longer in the fund).
	f.pay(4, curationtypes.EpochResults{Listings: res.Listings[:1]})
	f.checkInvariants()
	free := int64(1_000_003) - modelsPaid // 500,004 → pool 250,002; no curators → listing part 225,002 to alice
	require.Equal(t, int64(196_875+(free/2-free/2/10)), f.reward(addr("alice")))
	require.Equal(t, free-(free/2-free/2/10), f.bank.Balance(modelsFund, denom).Int64(), "the unpaid curator share stays in the fund")
}

// TestEpochRewardsRespectReserve checks that a fund's reserve is never paid out as rewards.
func TestEpochRewardsRespectReserve(t *testing.T) {
	f := newFixture(t)
	f.fund(modelsFund, 1_000_000_000)
	f.fund(addr("app"), 100_000_000)
	f.addListing(1, mkt.ListingKindModel, addr("alice"), mkt.ListingStatusActive)
	id := f.submit(submitMsg(addr("app"), types.GrantFundModels, 0, 100_000_000))
	_, err := f.msg.DecideGrant(f.ctx, &types.MsgDecideGrant{Authority: f.authority, GrantId: id, Approve: true})
	require.NoError(t, err)
	f.pay(0, curationtypes.EpochResults{Listings: []curationtypes.ListingEpochResult{listingResult(1, mkt.ListingKindModel, 70)}})
	f.checkInvariants()
	// free 900,000,000 → pool 450,000,000; no curators → alice 405,000,000.
	require.Equal(t, int64(405_000_000), f.reward(addr("alice")))
	require.Equal(t, int64(595_000_000), f.bank.Balance(modelsFund, denom).Int64())
	funds, err := f.query.Funds(f.ctx, &types.QueryFundsRequest{})
	require.NoError(t, err)
	require.Equal(t, int64(595_000_000), funds.Funds[0].Balance.Amount.Int64())
	require.Equal(t, int64(100_000_000), funds.Funds[0].Reserved.Int64())
	require.Equal(t, int64(495_000_000), funds.Funds[0].Free.Int64())
	require.Equal(t, int64(405_000_000), funds.Funds[0].Unclaimed.Int64())
	require.Equal(t, types.GrantFundAgents, funds.Funds[1].Fund)
}

// TestClaimRewards pays everything claimable from both funds exactly once.
func TestClaimRewards(t *testing.T) {
	f, res := epochFixture(t)
	f.pay(3, res)

	out, err := f.msg.ClaimRewards(f.ctx, &types.MsgClaimRewards{Owner: addr("cur1").String()})
	require.NoError(t, err)
	require.Equal(t, coin(7_142+3_571), out.Amount)
	require.Equal(t, int64(7_142+3_571), f.bank.Balance(addr("cur1"), denom).Int64())
	require.Equal(t, int64(0), f.reward(addr("cur1")))
	f.checkInvariants()

	before := f.state()
	_, err = f.msg.ClaimRewards(f.ctx, &types.MsgClaimRewards{Owner: addr("cur1").String()})
	require.ErrorIs(t, err, types.ErrNoRewards)
	require.Equal(t, before, f.state())
	_, err = f.msg.ClaimRewards(f.ctx, &types.MsgClaimRewards{Owner: addr("nobody").String()})
	require.ErrorIs(t, err, types.ErrNoRewards)
	_, err = f.msg.ClaimRewards(f.ctx, &types.MsgClaimRewards{Owner: "bai1notanaddress"})
	require.ErrorIs(t, err, types.ErrInvalidAddress)
	require.Equal(t, before, f.state())

	for _, who := range []string{"alice", "bob", "dave", "cur2"} {
		_, err := f.msg.ClaimRewards(f.ctx, &types.MsgClaimRewards{Owner: addr(who).String()})
		require.NoError(t, err)
		f.checkInvariants()
	}
	require.Equal(t, int64(0), f.bank.Balance(grantsAcc, denom).Int64(), "everything credited was claimed")
	require.True(t, f.fundState(types.GrantFundModels).Unclaimed.IsZero())
	require.True(t, f.fundState(types.GrantFundAgents).Unclaimed.IsZero())
	require.Equal(t, int64(253_125), f.bank.Balance(addr("bob"), denom).Int64())
}

// TestListingRewardsFollowTheStakeBehindTheScore: three curators of the smallest bond who alone
// score their owner's listing 100 earn it a share in line with their bonds (epoch score ×
// the weight of its reveals), not most of the pool as a score-only split would.
func TestListingRewardsFollowTheStakeBehindTheScore(t *testing.T) {
	f := newFixture(t)
	f.fund(modelsFund, 1_000_000)
	f.addListing(1, mkt.ListingKindModel, addr("honest"), mkt.ListingStatusActive)
	f.addListing(2, mkt.ListingKindModel, addr("sybil"), mkt.ListingStatusActive)
	honest := listingResult(1, mkt.ListingKindModel, 80)
	honest.Weight = math.NewInt(1_000_000_000_000) // 1M BAI of curators
	sybil := listingResult(2, mkt.ListingKindModel, 100)
	sybil.Weight = math.NewInt(30_000_000_000) // three 10k BAI curators
	unweighted := listingResult(3, mkt.ListingKindModel, 100)
	unweighted.Weight = math.Int{} // a result without a weight earns nothing
	f.addListing(3, mkt.ListingKindModel, addr("none"), mkt.ListingStatusActive)
	f.pay(1, curationtypes.EpochResults{
		Listings: []curationtypes.ListingEpochResult{honest, sybil, unweighted}})
	f.checkInvariants()
	// pool 500,000, listings 450,000 (the curators' 50,000 stays: none qualifies):
	//   honest ⌊450000 × 80·1e12 / (80·1e12 + 100·3e10)⌋ = 433,734; sybil ⌊450000 × 3/83⌋ = 16,265.
	// By score alone the sybil listing would have taken 100/180 of it: 250,000.
	require.Equal(t, int64(433_734), f.reward(addr("honest")))
	require.Equal(t, int64(16_265), f.reward(addr("sybil")))
	require.Zero(t, f.reward(addr("none")))
}
