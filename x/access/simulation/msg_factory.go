package simulation

import (
	"context"
	"slices"

	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/simutil"
	"github.com/balanceai/balanceai/x/access/keeper"
	"github.com/balanceai/balanceai/x/access/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// Default weights of the simulated operations (a params file can override them by name).
const (
	WeightMsgSetOperators = 20
	WeightMsgSetAllowlist = 20
	WeightMsgRecordUsage  = 60
	// WeightMsgUpdateParams weighs a governance proposal.
	WeightMsgUpdateParams = 10
	// WeightInvalid weighs each deliberately invalid message, which the chain must refuse.
	WeightInvalid = 5
)

// distinctAccounts returns up to n distinct random simulation accounts.
func distinctAccounts(testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		a := testData.AccountAt(reporter, testData.Rand().Intn(testData.AccountsCount()))
		if a.AddressBech32 != "" && !slices.Contains(out, a.AddressBech32) {
			out = append(out, a.AddressBech32)
		}
	}
	return out
}

// MsgSetOperatorsFactory replaces the operators of a listing owned by a simulation account
// with up to four simulation accounts (within max_operators).
func MsgSetOperatorsFactory(k keeper.Keeper, listings simutil.ListingSource) simsx.SimMsgFactoryFn[*types.MsgSetOperators] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgSetOperators) {
		params, err := k.Params.Get(ctx)
		if err != nil {
			reporter.Skip(err.Error())
			return nil, nil
		}
		l, owner := simutil.PickOwnedListing(ctx, listings, testData, reporter, simutil.AnyListing)
		if reporter.IsSkipped() {
			return nil, nil
		}
		ops := distinctAccounts(testData, reporter, testData.Rand().Intn(int(min(params.MaxOperators, 4))+1))
		return []simsx.SimAccount{owner}, &types.MsgSetOperators{Owner: owner.AddressBech32, ListingId: l.Id, Operators: ops}
	}
}

// MsgSetAllowlistFactory adds and removes simulation accounts on a listing's allowlist
// (within max_allowlist_update).
func MsgSetAllowlistFactory(k keeper.Keeper, listings simutil.ListingSource) simsx.SimMsgFactoryFn[*types.MsgSetAllowlist] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgSetAllowlist) {
		params, err := k.Params.Get(ctx)
		if err != nil {
			reporter.Skip(err.Error())
			return nil, nil
		}
		l, owner := simutil.PickOwnedListing(ctx, listings, testData, reporter, simutil.AnyListing)
		if reporter.IsSkipped() {
			return nil, nil
		}
		users := distinctAccounts(testData, reporter, 1+testData.Rand().Intn(int(min(params.MaxAllowlistUpdate, 6))))
		split := testData.Rand().Intn(len(users) + 1)
		return []simsx.SimAccount{owner}, &types.MsgSetAllowlist{Owner: owner.AddressBech32, ListingId: l.Id, Add: users[:split], Remove: users[split:]}
	}
}

// MsgRecordUsageFactory has an operator of an ACTIVE listing record one request for each of
// a few users whom CheckAccess allows.
func MsgRecordUsageFactory(k keeper.Keeper, listings simutil.ListingSource) simsx.SimMsgFactoryFn[*types.MsgRecordUsage] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRecordUsage) {
		params, err := k.Params.Get(ctx)
		if err != nil {
			reporter.Skip(err.Error())
			return nil, nil
		}
		r := testData.Rand()
		var operator string
		l, ok := simutil.PickListing(ctx, listings, r.Rand, func(l marketplacetypes.Listing) bool {
			if l.Status != marketplacetypes.ListingStatusActive {
				return false
			}
			ops, err := k.GetOperators(ctx, l.Id)
			if err != nil {
				return false
			}
			for _, op := range ops {
				if testData.HasAccount(op) {
					operator = op
					return true
				}
			}
			return false
		})
		if !ok {
			reporter.Skip("no ACTIVE listing with a simulation account as operator")
			return nil, nil
		}
		op := testData.GetAccount(reporter, operator)
		if reporter.IsSkipped() {
			return nil, nil
		}
		var records []types.UsageRecord
		for _, user := range distinctAccounts(testData, reporter, int(min(params.MaxReceiptsPerMsg, 5))) {
			d, err := k.CheckAccess(ctx, l.Id, sdk.MustAccAddressFromBech32(user))
			if err != nil || !d.Allowed {
				continue
			}
			records = append(records, types.UsageRecord{
				User: user, RequestCid: simutil.CID(r.Rand), ResponseCid: simutil.CID(r.Rand),
				Units: 1 + uint64(r.Int63n(int64(params.MaxUnitsPerRecord))),
			})
		}
		if len(records) == 0 {
			reporter.Skip("no user may use the listing now")
			return nil, nil
		}
		return []simsx.SimAccount{op}, &types.MsgRecordUsage{Operator: op.AddressBech32, ListingId: l.Id, Records: records}
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

// MsgSetOperatorsNotOwnerFactory sets the operators of a listing the signer does not own; the
// chain must refuse it.
func MsgSetOperatorsNotOwnerFactory(listings simutil.ListingSource) *simsx.ResultHandlingSimMsgFactory[*types.MsgSetOperators] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgSetOperators, simsx.SimDeliveryResultHandler) {
		l, owner := simutil.PickOwnedListing(ctx, listings, testData, reporter, simutil.AnyListing)
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		other := testData.AnyAccount(reporter, simsx.ExcludeAccounts(owner))
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		return []simsx.SimAccount{other}, &types.MsgSetOperators{Owner: other.AddressBech32, ListingId: l.Id, Operators: []string{other.AddressBech32}}, simutil.ExpectRejection
	})
}

// MsgRecordUsageNotOperatorFactory records usage from an account that is not an operator of
// the listing; the chain must refuse it.
func MsgRecordUsageNotOperatorFactory(k keeper.Keeper, listings simutil.ListingSource) *simsx.ResultHandlingSimMsgFactory[*types.MsgRecordUsage] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRecordUsage, simsx.SimDeliveryResultHandler) {
		r := testData.Rand()
		l, ok := simutil.PickListing(ctx, listings, r.Rand, simutil.AnyListing)
		if !ok {
			reporter.Skip("no listing yet")
			return nil, nil, nil
		}
		from := testData.AnyAccount(reporter)
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		if isOp, err := k.IsOperator(ctx, l.Id, from.Address); err != nil || isOp {
			reporter.Skip("the account is an operator")
			return nil, nil, nil
		}
		rec := types.UsageRecord{User: from.AddressBech32, RequestCid: simutil.CID(r.Rand), ResponseCid: simutil.CID(r.Rand), Units: 1}
		return []simsx.SimAccount{from}, &types.MsgRecordUsage{Operator: from.AddressBech32, ListingId: l.Id, Records: []types.UsageRecord{rec}}, simutil.ExpectRejection
	})
}
