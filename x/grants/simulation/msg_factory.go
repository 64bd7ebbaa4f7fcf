package simulation

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/simutil"
	"github.com/balanceai/balanceai/x/grants/keeper"
	"github.com/balanceai/balanceai/x/grants/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// Default weights of the simulated operations (a params file can override them by name).
const (
	WeightMsgSubmitGrant     = 20
	WeightMsgVoteGrant       = 40
	WeightMsgSubmitMilestone = 20
	WeightMsgReviewMilestone = 30
	WeightMsgClaimRewards    = 20
	WeightMsgDecideGrant     = 10
	WeightMsgUpdateParams    = 10
	// WeightInvalid weighs each deliberately invalid message, which the chain must refuse.
	WeightInvalid = 5
)

// Curators reads the curator bonds grant votes and milestone reviews weigh (x/curation).
type Curators interface {
	VotingWeight(ctx context.Context, curator sdk.AccAddress, openedHeight int64) (math.Int, error)
}

// pickGrant returns a random grant for which accept holds, trying a few random ids.
func pickGrant(ctx context.Context, k keeper.Keeper, testData *simsx.ChainDataSource, accept func(types.Grant) bool) (types.Grant, bool) {
	next, err := k.GrantSeq.Peek(ctx)
	if err != nil || next <= 1 {
		return types.Grant{}, false
	}
	for try := 0; try < 10; try++ {
		g, err := k.GetGrant(ctx, 1+uint64(testData.Rand().Int63n(int64(next-1))))
		if err == nil && accept(g) {
			return g, true
		}
	}
	return types.Grant{}, false
}

// weightedCurator returns a random simulation account other than the applicant with voting
// weight at openedHeight for which accept holds.
func weightedCurator(ctx context.Context, curators Curators, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter,
	applicant string, openedHeight int64, accept func(addr string) bool,
) simsx.SimAccount {
	for try := 0; try < 20; try++ {
		a := testData.AccountAt(reporter, testData.Rand().Intn(testData.AccountsCount()))
		if a.AddressBech32 == applicant || !accept(a.AddressBech32) {
			continue
		}
		if w, err := curators.VotingWeight(ctx, a.Address, openedHeight); err == nil && w.IsPositive() {
			return a
		}
	}
	reporter.Skip("no curator with voting weight found")
	return simsx.SimAccount{}
}

// MsgSubmitGrantFactory applies for a grant within max_grant_fraction of the fund's free
// balance, for the applicant's own listing of the fund's kind half of the time.
func MsgSubmitGrantFactory(k keeper.Keeper, listings simutil.ListingSource) simsx.SimMsgFactoryFn[*types.MsgSubmitGrant] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgSubmitGrant) {
		params, err := k.Params.Get(ctx)
		if err != nil {
			reporter.Skip(err.Error())
			return nil, nil
		}
		r := testData.Rand()
		fund := types.AllFunds[r.Intn(len(types.AllFunds))]
		free, err := k.FreeBalance(ctx, fund, params.Denom)
		if err != nil {
			reporter.Skip(err.Error())
			return nil, nil
		}
		maxTotal := params.MaxGrantFraction.MulInt(free).TruncateInt()
		if maxTotal.LT(math.NewInt(types.MaxMilestones)) {
			reporter.Skip("the fund has too little free balance")
			return nil, nil
		}
		var (
			applicant simsx.SimAccount
			listingID uint64
		)
		if r.Intn(2) == 0 {
			l, owner := simutil.PickOwnedListing(ctx, listings, testData, reporter, func(l marketplacetypes.Listing) bool {
				return l.Kind == fund.ListingKind() && l.Status != marketplacetypes.ListingStatusSuspended && l.Status != marketplacetypes.ListingStatusRetired
			})
			if reporter.IsSkipped() {
				return nil, nil
			}
			applicant, listingID = owner, l.Id
		} else {
			applicant = testData.AnyAccount(reporter)
			if reporter.IsSkipped() {
				return nil, nil
			}
		}
		if params.GrantDeposit.IsPositive() && !applicant.LiquidBalance().BlockAmount(params.GrantDeposit) {
			reporter.Skip("cannot pay the grant deposit")
			return nil, nil
		}
		n := 1 + r.Intn(types.MaxMilestones)
		per := maxTotal.QuoRaw(int64(n))
		var milestones []types.MilestoneInput
		for i := 0; i < n; i++ {
			amount := math.NewInt(1 + r.Int63n(min(per.Int64(), 1<<62)))
			milestones = append(milestones, types.MilestoneInput{
				Amount: sdk.NewCoin(params.Denom, amount), Description: fmt.Sprintf("milestone %d: deliver part %d", i, r.Int63()),
			})
		}
		return []simsx.SimAccount{applicant}, &types.MsgSubmitGrant{
			Applicant: applicant.AddressBech32, Fund: fund, ListingId: listingID,
			Title: fmt.Sprintf("simulated grant %d", r.Int63()), DetailsCid: simutil.CID(r.Rand), Milestones: milestones,
		}
	}
}

// MsgVoteGrantFactory has a curator with voting weight vote once on a grant in voting.
func MsgVoteGrantFactory(k keeper.Keeper, curators Curators) simsx.SimMsgFactoryFn[*types.MsgVoteGrant] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgVoteGrant) {
		now := sdk.UnwrapSDKContext(ctx).BlockTime()
		g, ok := pickGrant(ctx, k, testData, func(g types.Grant) bool {
			return g.Status == types.GrantStatusVoting && now.Before(g.VotingEnd)
		})
		if !ok {
			reporter.Skip("no grant in voting")
			return nil, nil
		}
		from := weightedCurator(ctx, curators, testData, reporter, g.Applicant, g.VotingOpenedHeight, func(addr string) bool {
			bz, err := testData.AddressCodec().StringToBytes(addr)
			if err != nil {
				return false
			}
			voted, err := k.Votes.Has(ctx, collections.Join(g.Id, sdk.AccAddress(bz)))
			return err == nil && !voted
		})
		if reporter.IsSkipped() {
			return nil, nil
		}
		option := types.VoteOption(1 + testData.Rand().Intn(4))
		return []simsx.SimAccount{from}, &types.MsgVoteGrant{Curator: from.AddressBech32, GrantId: g.Id, Option: option}
	}
}

// MsgSubmitMilestoneFactory submits the evidence of an approved grant's next milestone.
func MsgSubmitMilestoneFactory(k keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgSubmitMilestone] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgSubmitMilestone) {
		g, ok := pickGrant(ctx, k, testData, func(g types.Grant) bool {
			return g.Status == types.GrantStatusApproved && int(g.NextMilestone) < len(g.Milestones) &&
				g.Milestones[g.NextMilestone].Status == types.MilestoneStatusPending && testData.HasAccount(g.Applicant)
		})
		if !ok {
			reporter.Skip("no approved grant with a pending milestone")
			return nil, nil
		}
		from := testData.GetAccount(reporter, g.Applicant)
		if reporter.IsSkipped() {
			return nil, nil
		}
		return []simsx.SimAccount{from}, &types.MsgSubmitMilestone{
			Applicant: from.AddressBech32, GrantId: g.Id, Index: g.NextMilestone, EvidenceCid: simutil.CID(testData.Rand().Rand),
		}
	}
}

// MsgReviewMilestoneFactory has a curator with voting weight review a milestone in review once.
func MsgReviewMilestoneFactory(k keeper.Keeper, curators Curators) simsx.SimMsgFactoryFn[*types.MsgReviewMilestone] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgReviewMilestone) {
		now := sdk.UnwrapSDKContext(ctx).BlockTime()
		var index uint32
		g, ok := pickGrant(ctx, k, testData, func(g types.Grant) bool {
			if g.Status != types.GrantStatusApproved {
				return false
			}
			for i, m := range g.Milestones {
				if m.Status == types.MilestoneStatusInReview && now.Before(m.ReviewEnd) {
					index = uint32(i)
					return true
				}
			}
			return false
		})
		if !ok {
			reporter.Skip("no milestone in review")
			return nil, nil
		}
		m := g.Milestones[index]
		from := weightedCurator(ctx, curators, testData, reporter, g.Applicant, m.ReviewOpenedHeight, func(addr string) bool {
			bz, err := testData.AddressCodec().StringToBytes(addr)
			if err != nil {
				return false
			}
			reviewed, err := k.Reviews.Has(ctx, collections.Join3(g.Id, index, sdk.AccAddress(bz)))
			return err == nil && !reviewed
		})
		if reporter.IsSkipped() {
			return nil, nil
		}
		return []simsx.SimAccount{from}, &types.MsgReviewMilestone{Curator: from.AddressBech32, GrantId: g.Id, Index: index, Approve: testData.Rand().Intn(4) > 0}
	}
}

// rewardOwners returns up to 64 simulation accounts with claimable rewards.
func rewardOwners(ctx context.Context, k keeper.Keeper, testData *simsx.ChainDataSource) []string {
	var owners []string
	_ = k.Rewards.Walk(ctx, nil, func(key collections.Pair[sdk.AccAddress, int32], amount math.Int) (bool, error) {
		owner, err := testData.AddressCodec().BytesToString(key.K1())
		if err != nil {
			return true, err
		}
		if amount.IsPositive() && testData.HasAccount(owner) && (len(owners) == 0 || owners[len(owners)-1] != owner) {
			owners = append(owners, owner)
		}
		return len(owners) >= 64, nil
	})
	return owners
}

// MsgClaimRewardsFactory claims the rewards of an account that has some.
func MsgClaimRewardsFactory(k keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgClaimRewards] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgClaimRewards) {
		owner, ok := simutil.Pick(testData.Rand().Rand, rewardOwners(ctx, k, testData))
		if !ok {
			reporter.Skip("no rewards to claim")
			return nil, nil
		}
		from := testData.GetAccount(reporter, owner)
		if reporter.IsSkipped() {
			return nil, nil
		}
		return []simsx.SimAccount{from}, &types.MsgClaimRewards{Owner: from.AddressBech32}
	}
}

// MsgDecideGrantFactory proposes, through governance, to approve or reject a grant in voting
// or to close an approved one.
func MsgDecideGrantFactory(k keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgDecideGrant] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgDecideGrant) {
		g, ok := pickGrant(ctx, k, testData, func(g types.Grant) bool {
			return g.Status == types.GrantStatusVoting || g.Status == types.GrantStatusApproved
		})
		if !ok {
			reporter.Skip("no grant to decide")
			return nil, nil
		}
		approve := g.Status == types.GrantStatusVoting && testData.Rand().Intn(2) == 0
		return nil, &types.MsgDecideGrant{Authority: testData.ModuleAccountAddress(reporter, "gov"), GrantId: g.Id, Approve: approve}
	}
}

// MsgUpdateParamsFactory proposes random valid params through governance.
func MsgUpdateParamsFactory() simsx.SimMsgFactoryFn[*types.MsgUpdateParams] {
	return func(_ context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgUpdateParams) {
		return nil, &types.MsgUpdateParams{
			Authority: testData.ModuleAccountAddress(reporter, "gov"),
			Params:    RandomParams(testData.Rand().Rand),
		}
	}
}

// MsgClaimRewardsNoneFactory claims from an account without rewards; the chain must refuse it.
func MsgClaimRewardsNoneFactory(k keeper.Keeper) *simsx.ResultHandlingSimMsgFactory[*types.MsgClaimRewards] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgClaimRewards, simsx.SimDeliveryResultHandler) {
		from := testData.AnyAccount(reporter)
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		if rewards, err := k.RewardsOf(ctx, from.Address); err != nil || len(rewards) > 0 {
			reporter.Skip("the account has rewards")
			return nil, nil, nil
		}
		return []simsx.SimAccount{from}, &types.MsgClaimRewards{Owner: from.AddressBech32}, simutil.ExpectRejection
	})
}

// MsgDecideGrantNotAuthorityFactory decides a grant from an ordinary account; the chain must
// refuse it.
func MsgDecideGrantNotAuthorityFactory() *simsx.ResultHandlingSimMsgFactory[*types.MsgDecideGrant] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgDecideGrant, simsx.SimDeliveryResultHandler) {
		from := testData.AnyAccount(reporter)
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		return []simsx.SimAccount{from}, &types.MsgDecideGrant{Authority: from.AddressBech32, GrantId: 1, Approve: true}, simutil.ExpectRejection
	})
}
