package simulation

import (
	"context"
	"fmt"
	"slices"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/simutil"
	"github.com/balanceai/balanceai/x/curation/keeper"
	"github.com/balanceai/balanceai/x/curation/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// Default weights of the simulated operations (a params file can override them by name).
const (
	WeightMsgBondCurator   = 30
	WeightMsgUnbondCurator = 8
	WeightMsgCommitScores  = 40
	WeightMsgFlagListing   = 8
	WeightMsgVoteFlag      = 30
	// WeightMsgUpdateParams weighs a governance proposal.
	WeightMsgUpdateParams = 10
	// WeightInvalid weighs each deliberately invalid message, which the chain must refuse.
	WeightInvalid = 5
)

// bondedCurator returns a random simulation account whose bond reaches min_curator_bond.
func bondedCurator(ctx context.Context, k keeper.Keeper, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter,
	params types.Params, accept func(sdk.AccAddress, types.Curator) bool,
) (simsx.SimAccount, types.Curator) {
	for try := 0; try < 10; try++ {
		a := testData.AccountAt(reporter, testData.Rand().Intn(testData.AccountsCount()))
		c, err := k.Curators.Get(ctx, a.Address)
		if err == nil && c.Bond.GTE(params.MinCuratorBond.Amount) && accept(a.Address, c) {
			return a, c
		}
	}
	// Curators are few among many accounts: walk them, from a random start.
	var found []sdk.AccAddress
	_ = k.Curators.Walk(ctx, nil, func(addr sdk.AccAddress, c types.Curator) (bool, error) {
		if c.Bond.GTE(params.MinCuratorBond.Amount) && testData.HasAccount(addr.String()) && accept(addr, c) {
			found = append(found, addr)
		}
		return len(found) >= 64, nil
	})
	if addr, ok := simutil.Pick(testData.Rand().Rand, found); ok {
		c, _ := k.Curators.Get(ctx, addr)
		return testData.GetAccount(reporter, addr.String()), c
	}
	reporter.Skip("no bonded curator")
	return simsx.SimAccount{}, types.Curator{}
}

func anyCurator(sdk.AccAddress, types.Curator) bool { return true }

// hasPendingReveal reports whether the curator has an unrevealed commitment in the current
// epoch or in an ended epoch not finalised yet (it may not unbond then).
func hasPendingReveal(ctx context.Context, k keeper.Keeper, addr sdk.AccAddress) bool {
	var epochs []uint64
	if e, err := k.CurrentEpoch.Get(ctx); err == nil {
		epochs = append(epochs, e.Number)
	}
	_ = k.PendingEpochs.Walk(ctx, nil, func(e uint64) (bool, error) {
		epochs = append(epochs, e)
		return false, nil
	})
	for _, e := range epochs {
		if c, err := k.Commitments.Get(ctx, collections.Join(e, addr)); err == nil && !c.Revealed {
			return true
		}
	}
	return false
}

// MsgBondCuratorFactory bonds part of an account's balance, enough to reach min_curator_bond.
func MsgBondCuratorFactory(k keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgBondCurator] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgBondCurator) {
		params, err := k.Params.Get(ctx)
		if err != nil {
			reporter.Skip(err.Error())
			return nil, nil
		}
		r := testData.Rand()
		amount := params.MinCuratorBond.AddAmount(math.NewInt(r.Int63n(500_000_000)))
		from := testData.AnyAccount(reporter, simsx.WithLiquidBalanceGTE(amount))
		if reporter.IsSkipped() {
			return nil, nil
		}
		if c, err := k.Curators.Get(ctx, from.Address); err == nil && c.Bond.GTE(params.MinCuratorBond.Amount) {
			// A curator may add any amount.
			amount = sdk.NewCoin(types.Denom, math.NewInt(1+r.Int63n(amount.Amount.Int64())))
		}
		if !from.LiquidBalance().BlockAmount(amount) {
			reporter.Skip("balance too low")
			return nil, nil
		}
		return []simsx.SimAccount{from}, &types.MsgBondCurator{Curator: from.AddressBech32, Amount: amount}
	}
}

// MsgUnbondCuratorFactory unbonds all of a curator's bond or part of it above the minimum,
// when no reveal of the curator is pending.
func MsgUnbondCuratorFactory(k keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgUnbondCurator] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgUnbondCurator) {
		params, err := k.Params.Get(ctx)
		if err != nil {
			reporter.Skip(err.Error())
			return nil, nil
		}
		from, c := bondedCurator(ctx, k, testData, reporter, params, func(addr sdk.AccAddress, _ types.Curator) bool {
			return !hasPendingReveal(ctx, k, addr)
		})
		if reporter.IsSkipped() {
			return nil, nil
		}
		amount := c.Bond
		if excess := c.Bond.Sub(params.MinCuratorBond.Amount); excess.IsPositive() && testData.Rand().Intn(2) == 0 {
			amount = math.NewInt(1 + testData.Rand().Int63n(min(excess.Int64(), 1<<62)))
		}
		return []simsx.SimAccount{from}, &types.MsgUnbondCurator{Curator: from.AddressBech32, Amount: sdk.NewCoin(types.Denom, amount)}
	}
}

// MsgCommitScoresFactory commits a curator's scores of a few ACTIVE listings it does not own
// in the commit phase, and schedules the matching reveal for the reveal phase.
func MsgCommitScoresFactory(k keeper.Keeper, listings simutil.ListingSource) *simsx.LazyStateSimMsgFactory[*types.MsgCommitScores] {
	return simsx.NewSimMsgFactoryWithFutureOps(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, fOpsReg simsx.FutureOpsRegistry) ([]simsx.SimAccount, *types.MsgCommitScores) {
		params, err := k.Params.Get(ctx)
		if err != nil {
			reporter.Skip(err.Error())
			return nil, nil
		}
		sdkCtx := sdk.UnwrapSDKContext(ctx)
		e, err := k.CurrentEpoch.Get(ctx)
		if err != nil || keeper.PhaseAt(e, sdkCtx.BlockTime()) != types.EpochPhaseCommit {
			reporter.Skip("not in a commit phase")
			return nil, nil
		}
		from, _ := bondedCurator(ctx, k, testData, reporter, params, func(addr sdk.AccAddress, _ types.Curator) bool {
			has, err := k.Commitments.Has(ctx, collections.Join(e.Number, addr))
			return err == nil && !has
		})
		if reporter.IsSkipped() {
			return nil, nil
		}
		r := testData.Rand()
		var scores []types.ListingScoreEntry
		for i := 1 + r.Intn(int(min(params.MaxScoresPerEpoch, 4))); i > 0; i-- {
			l, ok := simutil.PickListing(ctx, listings, r.Rand, func(l marketplacetypes.Listing) bool {
				return l.Status == marketplacetypes.ListingStatusActive && l.Owner != from.AddressBech32 &&
					!slices.ContainsFunc(scores, func(s types.ListingScoreEntry) bool { return s.ListingId == l.Id })
			})
			if ok {
				scores = append(scores, types.ListingScoreEntry{ListingId: l.Id, Score: uint32(r.Intn(types.MaxScore + 1))})
			}
		}
		if len(scores) == 0 {
			reporter.Skip("no listing to score")
			return nil, nil
		}
		sorted := types.SortScores(scores)
		salt := fmt.Sprintf("salt-%d", r.Int63())
		commitment := types.ComputeCommitment(from.AddressBech32, sdkCtx.ChainID(), salt, e.Number, sorted)
		fOpsReg.Add(e.RevealStart.Add(time.Second), MsgRevealScoresFactory(k, from.AddressBech32, e.Number, salt, scores))
		return []simsx.SimAccount{from}, &types.MsgCommitScores{Curator: from.AddressBech32, Epoch: e.Number, Commitment: commitment}
	})
}

// MsgRevealScoresFactory reveals a commitment made by MsgCommitScoresFactory, when the block
// falls in that epoch's reveal phase and the curator still has a bond.
func MsgRevealScoresFactory(k keeper.Keeper, curator string, epoch uint64, salt string, scores []types.ListingScoreEntry) simsx.SimMsgFactoryFn[*types.MsgRevealScores] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRevealScores) {
		params, err := k.Params.Get(ctx)
		if err != nil || uint64(len(scores)) > uint64(params.MaxScoresPerEpoch) {
			reporter.Skip("more scores than max_scores_per_epoch allows now")
			return nil, nil
		}
		e, err := k.CurrentEpoch.Get(ctx)
		if err != nil || e.Number != epoch || keeper.PhaseAt(e, sdk.UnwrapSDKContext(ctx).BlockTime()) != types.EpochPhaseReveal {
			reporter.Skip("the reveal phase was missed")
			return nil, nil
		}
		from := testData.GetAccount(reporter, curator)
		if reporter.IsSkipped() {
			return nil, nil
		}
		c, err := k.Curators.Get(ctx, from.Address)
		if err != nil || !c.Bond.IsPositive() {
			reporter.Skip("the curator has no bond left")
			return nil, nil
		}
		return []simsx.SimAccount{from}, &types.MsgRevealScores{Curator: curator, Epoch: epoch, Salt: salt, Scores: scores}
	}
}

// MsgFlagListingFactory flags a listing that is not RETIRED or SUSPENDED and has no open flag,
// with a deposit of at least min_flag_deposit.
func MsgFlagListingFactory(k keeper.Keeper, listings simutil.ListingSource) simsx.SimMsgFactoryFn[*types.MsgFlagListing] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgFlagListing) {
		params, err := k.Params.Get(ctx)
		if err != nil {
			reporter.Skip(err.Error())
			return nil, nil
		}
		r := testData.Rand()
		l, ok := simutil.PickListing(ctx, listings, r.Rand,
			simutil.HasStatus(marketplacetypes.ListingStatusActive, marketplacetypes.ListingStatusPaused, marketplacetypes.ListingStatusRetiring))
		if !ok {
			reporter.Skip("no flaggable listing")
			return nil, nil
		}
		deposit := params.MinFlagDeposit.AddAmount(math.NewInt(r.Int63n(10_000_000)))
		// Owners cannot flag their own listings.
		from := testData.AnyAccount(reporter, simsx.WithLiquidBalanceGTE(deposit), simsx.ExcludeAddresses(l.Owner))
		if reporter.IsSkipped() {
			return nil, nil
		}
		if !from.LiquidBalance().BlockAmount(deposit) {
			reporter.Skip("balance too low")
			return nil, nil
		}
		return []simsx.SimAccount{from}, &types.MsgFlagListing{
			Flagger: from.AddressBech32, ListingId: l.Id, Reason: fmt.Sprintf("simulated flag %d", r.Int63()),
			EvidenceCid: simutil.CID(r.Rand), Deposit: deposit,
		}
	}
}

// openFlag returns a random flag still open for votes, trying a few random ids.
func openFlag(ctx context.Context, k keeper.Keeper, testData *simsx.ChainDataSource) (types.Flag, bool) {
	next, err := k.FlagSeq.Peek(ctx)
	if err != nil || next <= 1 {
		return types.Flag{}, false
	}
	now := sdk.UnwrapSDKContext(ctx).BlockTime()
	for try := 0; try < 10; try++ {
		f, err := k.Flags.Get(ctx, 1+uint64(testData.Rand().Int63n(int64(next-1))))
		if err == nil && f.Status == types.FlagStatusOpen && now.Before(f.VotingEnd) {
			return f, true
		}
	}
	return types.Flag{}, false
}

// MsgVoteFlagFactory has a curator that was bonded before an open flag opened, and does not
// own the flagged listing, vote on it once.
func MsgVoteFlagFactory(k keeper.Keeper, listings simutil.ListingSource) simsx.SimMsgFactoryFn[*types.MsgVoteFlag] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgVoteFlag) {
		params, err := k.Params.Get(ctx)
		if err != nil {
			reporter.Skip(err.Error())
			return nil, nil
		}
		f, ok := openFlag(ctx, k, testData)
		if !ok {
			reporter.Skip("no open flag")
			return nil, nil
		}
		l, err := listings.GetListing(ctx, f.ListingId)
		if err != nil {
			reporter.Skip(err.Error())
			return nil, nil
		}
		from, _ := bondedCurator(ctx, k, testData, reporter, params, func(addr sdk.AccAddress, _ types.Curator) bool {
			if addr.String() == l.Owner {
				return false
			}
			if voted, err := k.FlagVotes.Has(ctx, collections.Join(f.Id, addr)); err != nil || voted {
				return false
			}
			w, err := k.VotingWeight(ctx, addr, f.OpenedHeight)
			return err == nil && w.IsPositive()
		})
		if reporter.IsSkipped() {
			return nil, nil
		}
		return []simsx.SimAccount{from}, &types.MsgVoteFlag{Curator: from.AddressBech32, FlagId: f.Id, Uphold: testData.Rand().Intn(3) > 0}
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

// MsgCommitScoresNotCuratorFactory commits scores from an account without a curator bond;
// the chain must refuse it.
func MsgCommitScoresNotCuratorFactory(k keeper.Keeper) *simsx.ResultHandlingSimMsgFactory[*types.MsgCommitScores] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgCommitScores, simsx.SimDeliveryResultHandler) {
		from := testData.AnyAccount(reporter)
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		if has, err := k.Curators.Has(ctx, from.Address); err != nil || has {
			reporter.Skip("the account is a curator")
			return nil, nil, nil
		}
		e, _ := k.CurrentEpoch.Get(ctx)
		commitment := types.ComputeCommitment(from.AddressBech32, sdk.UnwrapSDKContext(ctx).ChainID(), "salt", e.Number,
			[]types.ListingScoreEntry{{ListingId: 1, Score: 50}})
		return []simsx.SimAccount{from}, &types.MsgCommitScores{Curator: from.AddressBech32, Epoch: e.Number, Commitment: commitment}, simutil.ExpectRejection
	})
}

// MsgUnbondCuratorTooMuchFactory unbonds more than a curator's bond; the chain must refuse it.
func MsgUnbondCuratorTooMuchFactory(k keeper.Keeper) *simsx.ResultHandlingSimMsgFactory[*types.MsgUnbondCurator] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgUnbondCurator, simsx.SimDeliveryResultHandler) {
		params, err := k.Params.Get(ctx)
		if err != nil {
			reporter.Skip(err.Error())
			return nil, nil, nil
		}
		from, c := bondedCurator(ctx, k, testData, reporter, params, anyCurator)
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		return []simsx.SimAccount{from}, &types.MsgUnbondCurator{Curator: from.AddressBech32, Amount: sdk.NewCoin(types.Denom, c.Bond.AddRaw(1))}, simutil.ExpectRejection
	})
}
