package simulation

import (
	"context"
	"fmt"
	"slices"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/balanceai/balanceai/internal/simutil"
	"github.com/balanceai/balanceai/x/marketplace/keeper"
	"github.com/balanceai/balanceai/x/marketplace/types"
)

// Default weights of the simulated operations (a params file can override them by name).
const (
	WeightMsgRegisterListing    = 60
	WeightMsgUpdateListing      = 20
	WeightMsgDepositCollateral  = 20
	WeightMsgWithdrawCollateral = 15
	WeightMsgPauseListing       = 10
	WeightMsgResumeListing      = 10
	WeightMsgRetireListing      = 8
	WeightMsgTransferListing    = 8
	// WeightMsgSlashListing and WeightMsgUpdateParams weigh governance proposals.
	WeightMsgSlashListing = 10
	WeightMsgUpdateParams = 10
	// WeightInvalid weighs each deliberately invalid message, which the chain must refuse.
	WeightInvalid = 5
)

// ownedCount is the number of listings of owner in any state (at least its live listings).
func ownedCount(ctx context.Context, q types.QueryServer, owner string) (uint64, error) {
	res, err := q.Listings(ctx, &types.QueryListingsRequest{Owner: owner, Pagination: &query.PageRequest{Limit: 1, CountTotal: true}})
	if err != nil {
		return 0, err
	}
	return res.Pagination.Total, nil
}

// MsgRegisterListingFactory registers a model, or an agent composing ACTIVE listings, with
// collateral above the minimum that the owner can pay with the registration fee.
func MsgRegisterListingFactory(k keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgRegisterListing] {
	q := keeper.NewQueryServerImpl(k)
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRegisterListing) {
		r := testData.Rand()
		params, err := k.GetParams(ctx)
		if err != nil {
			reporter.Skip(err.Error())
			return nil, nil
		}
		kind := types.ListingKindModel
		if r.Intn(3) == 0 {
			kind = types.ListingKindAgent
		}
		minimum := params.MinCollateral(kind)
		collateral := minimum.AddAmount(math.NewInt(r.Int63n(50_000_000)))
		owner := testData.AnyAccount(reporter, simsx.WithLiquidBalanceGTE(collateral.Add(params.RegistrationFee)))
		if reporter.IsSkipped() {
			return nil, nil
		}
		if n, err := ownedCount(ctx, q, owner.AddressBech32); err != nil || n >= params.MaxListingsPerOwner {
			reporter.Skip("owner at its listing limit")
			return nil, nil
		}
		l := types.Listing{Name: fmt.Sprintf("sim %s %d", kind, r.Int63())}
		RandomListingFields(r.Rand, &l)
		var components []uint64
		if kind == types.ListingKindAgent && params.MaxComponents > 0 {
			for i := r.Intn(int(min(params.MaxComponents, 3)) + 1); i > 0; i-- {
				c, ok := simutil.PickListing(ctx, k, r.Rand, simutil.HasStatus(types.ListingStatusActive))
				if ok && !slices.Contains(components, c.Id) {
					components = append(components, c.Id)
				}
			}
		}
		if !owner.LiquidBalance().BlockAmount(collateral.Add(params.RegistrationFee)) {
			reporter.Skip("balance too low")
			return nil, nil
		}
		return []simsx.SimAccount{owner}, &types.MsgRegisterListing{
			Owner: owner.AddressBech32, Kind: kind, Name: l.Name, Description: l.Description, Task: l.Task, Tags: l.Tags,
			Endpoint: l.Endpoint, MetadataCid: l.MetadataCid, Version: l.Version, Collateral: collateral,
			Access: l.Access, Components: components,
		}
	}
}

// MsgUpdateListingFactory replaces the mutable fields of a listing that is not RETIRED or
// SUSPENDED.
func MsgUpdateListingFactory(k keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgUpdateListing] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgUpdateListing) {
		l, owner := simutil.PickOwnedListing(ctx, k, testData, reporter, simutil.HasStatus(types.ListingStatusActive, types.ListingStatusPaused, types.ListingStatusRetiring))
		if reporter.IsSkipped() {
			return nil, nil
		}
		RandomListingFields(testData.Rand().Rand, &l)
		return []simsx.SimAccount{owner}, &types.MsgUpdateListing{
			Owner: owner.AddressBech32, Id: l.Id, Description: l.Description, Task: l.Task, Tags: l.Tags,
			Endpoint: l.Endpoint, MetadataCid: l.MetadataCid, Version: l.Version, Access: l.Access,
		}
	}
}

// MsgDepositCollateralFactory adds part of the owner's balance to an ACTIVE or PAUSED listing.
func MsgDepositCollateralFactory(k keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgDepositCollateral] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgDepositCollateral) {
		l, owner := simutil.PickOwnedListing(ctx, k, testData, reporter, simutil.HasStatus(types.ListingStatusActive, types.ListingStatusPaused))
		if reporter.IsSkipped() {
			return nil, nil
		}
		amount := owner.LiquidBalance().RandSubsetCoin(reporter, types.CollateralDenom)
		if reporter.IsSkipped() {
			return nil, nil
		}
		return []simsx.SimAccount{owner}, &types.MsgDepositCollateral{Owner: owner.AddressBech32, Id: l.Id, Amount: amount}
	}
}

// MsgWithdrawCollateralFactory withdraws part of the excess over the minimum of an ACTIVE or
// PAUSED listing whose collateral is not held.
func MsgWithdrawCollateralFactory(k keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgWithdrawCollateral] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgWithdrawCollateral) {
		params, err := k.GetParams(ctx)
		if err != nil {
			reporter.Skip(err.Error())
			return nil, nil
		}
		l, owner := simutil.PickOwnedListing(ctx, k, testData, reporter, func(l types.Listing) bool {
			if !simutil.HasStatus(types.ListingStatusActive, types.ListingStatusPaused)(l) {
				return false
			}
			held, err := k.IsHeld(ctx, l.Id)
			return err == nil && !held && l.Collateral.Amount.GT(params.MinCollateral(l.Kind).Amount)
		})
		if reporter.IsSkipped() {
			return nil, nil
		}
		excess := l.Collateral.Amount.Sub(params.MinCollateral(l.Kind).Amount)
		amount := sdk.NewCoin(types.CollateralDenom, math.NewInt(1+testData.Rand().Int63n(min(excess.Int64(), 1<<62))))
		return []simsx.SimAccount{owner}, &types.MsgWithdrawCollateral{Owner: owner.AddressBech32, Id: l.Id, Amount: amount}
	}
}

// MsgPauseListingFactory pauses an ACTIVE listing.
func MsgPauseListingFactory(k keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgPauseListing] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgPauseListing) {
		l, owner := simutil.PickOwnedListing(ctx, k, testData, reporter, simutil.HasStatus(types.ListingStatusActive))
		if reporter.IsSkipped() {
			return nil, nil
		}
		return []simsx.SimAccount{owner}, &types.MsgPauseListing{Owner: owner.AddressBech32, Id: l.Id}
	}
}

// MsgResumeListingFactory resumes a PAUSED listing.
func MsgResumeListingFactory(k keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgResumeListing] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgResumeListing) {
		l, owner := simutil.PickOwnedListing(ctx, k, testData, reporter, simutil.HasStatus(types.ListingStatusPaused))
		if reporter.IsSkipped() {
			return nil, nil
		}
		return []simsx.SimAccount{owner}, &types.MsgResumeListing{Owner: owner.AddressBech32, Id: l.Id}
	}
}

// MsgRetireListingFactory retires an ACTIVE or PAUSED listing.
func MsgRetireListingFactory(k keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgRetireListing] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRetireListing) {
		l, owner := simutil.PickOwnedListing(ctx, k, testData, reporter, simutil.HasStatus(types.ListingStatusActive, types.ListingStatusPaused))
		if reporter.IsSkipped() {
			return nil, nil
		}
		return []simsx.SimAccount{owner}, &types.MsgRetireListing{Owner: owner.AddressBech32, Id: l.Id}
	}
}

// MsgTransferListingFactory gives a listing that is not RETIRED or SUSPENDED to another
// account under its listing limit.
func MsgTransferListingFactory(k keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgTransferListing] {
	q := keeper.NewQueryServerImpl(k)
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgTransferListing) {
		params, err := k.GetParams(ctx)
		if err != nil {
			reporter.Skip(err.Error())
			return nil, nil
		}
		l, owner := simutil.PickOwnedListing(ctx, k, testData, reporter, simutil.HasStatus(types.ListingStatusActive, types.ListingStatusPaused, types.ListingStatusRetiring))
		if reporter.IsSkipped() {
			return nil, nil
		}
		to := testData.AnyAccount(reporter, simsx.ExcludeAccounts(owner))
		if reporter.IsSkipped() {
			return nil, nil
		}
		if n, err := ownedCount(ctx, q, to.AddressBech32); err != nil || n >= params.MaxListingsPerOwner {
			reporter.Skip("new owner at its listing limit")
			return nil, nil
		}
		return []simsx.SimAccount{owner}, &types.MsgTransferListing{Owner: owner.AddressBech32, Id: l.Id, NewOwner: to.AddressBech32}
	}
}

// MsgSlashListingFactory proposes, through governance, to slash a listing that is not
// RETIRED or SUSPENDED, burning the slash or sending it to a grant fund.
func MsgSlashListingFactory(k keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgSlashListing] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgSlashListing) {
		l, _ := simutil.PickOwnedListing(ctx, k, testData, reporter, simutil.HasStatus(types.ListingStatusActive, types.ListingStatusPaused, types.ListingStatusRetiring))
		if reporter.IsSkipped() {
			return nil, nil
		}
		r := testData.Rand()
		destination := ""
		if r.Intn(2) == 0 {
			destination = "models_fund"
		}
		return nil, &types.MsgSlashListing{
			Authority:   testData.ModuleAccountAddress(reporter, "gov"),
			Id:          l.Id,
			Fraction:    math.LegacyNewDecWithPrec(1+r.Int63n(100), 2),
			Reason:      "simulated slash",
			Destination: destination,
		}
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

// MsgRegisterListingBelowMinimumFactory registers a listing with less collateral than its
// kind's minimum; the chain must refuse it.
func MsgRegisterListingBelowMinimumFactory(k keeper.Keeper) *simsx.ResultHandlingSimMsgFactory[*types.MsgRegisterListing] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRegisterListing, simsx.SimDeliveryResultHandler) {
		params, err := k.GetParams(ctx)
		if err != nil || !params.MinModelCollateral.IsPositive() {
			reporter.Skip("no minimum to fall below")
			return nil, nil, nil
		}
		owner := testData.AnyAccount(reporter, simsx.WithLiquidBalanceGTE(params.MinModelCollateral.Add(params.RegistrationFee)))
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		r := testData.Rand()
		l := types.Listing{Name: "under-collateralised model"}
		RandomListingFields(r.Rand, &l)
		below := params.MinModelCollateral.SubAmount(math.NewInt(1 + r.Int63n(params.MinModelCollateral.Amount.Int64())))
		return []simsx.SimAccount{owner}, &types.MsgRegisterListing{
			Owner: owner.AddressBech32, Kind: types.ListingKindModel, Name: l.Name, Description: l.Description, Task: l.Task,
			Tags: l.Tags, Endpoint: l.Endpoint, MetadataCid: l.MetadataCid, Version: l.Version, Collateral: below, Access: l.Access,
		}, simutil.ExpectRejection
	})
}

// MsgWithdrawCollateralNotOwnerFactory withdraws from a listing the signer does not own; the
// chain must refuse it.
func MsgWithdrawCollateralNotOwnerFactory(k keeper.Keeper) *simsx.ResultHandlingSimMsgFactory[*types.MsgWithdrawCollateral] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgWithdrawCollateral, simsx.SimDeliveryResultHandler) {
		l, owner := simutil.PickOwnedListing(ctx, k, testData, reporter, func(l types.Listing) bool { return l.Collateral.IsPositive() })
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		thief := testData.AnyAccount(reporter, simsx.ExcludeAccounts(owner))
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		return []simsx.SimAccount{thief}, &types.MsgWithdrawCollateral{Owner: thief.AddressBech32, Id: l.Id, Amount: l.Collateral}, simutil.ExpectRejection
	})
}

// MsgSlashListingNotAuthorityFactory slashes a listing from an ordinary account; the chain
// must refuse it.
func MsgSlashListingNotAuthorityFactory(k keeper.Keeper) *simsx.ResultHandlingSimMsgFactory[*types.MsgSlashListing] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgSlashListing, simsx.SimDeliveryResultHandler) {
		l, _ := simutil.PickOwnedListing(ctx, k, testData, reporter, simutil.HasStatus(types.ListingStatusActive))
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		from := testData.AnyAccount(reporter)
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		return []simsx.SimAccount{from}, &types.MsgSlashListing{
			Authority: from.AddressBech32, Id: l.Id, Fraction: math.LegacyOneDec(), Reason: "not governance",
		}, simutil.ExpectRejection
	})
}
