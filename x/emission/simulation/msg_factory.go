package simulation

import (
	"context"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/testutil/simsx"

	"github.com/balanceai/balanceai/internal/simutil"
	"github.com/balanceai/balanceai/x/emission/types"
)

// Default weights of the simulated operations (a params file can override them by name).
const (
	// WeightMsgUpdateParams is the weight of a governance proposal carrying MsgUpdateParams.
	WeightMsgUpdateParams = 20
	// WeightMsgUpdateParamsRejected is the weight of a MsgUpdateParams the chain must refuse:
	// sent by an account instead of governance, with a daily emission above 2,480 BAI or
	// another max_supply.
	WeightMsgUpdateParamsRejected = 5
)

// MsgUpdateParamsFactory proposes random valid params through governance.
func MsgUpdateParamsFactory() simsx.SimMsgFactoryFn[*types.MsgUpdateParams] {
	return func(_ context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgUpdateParams) {
		return nil, &types.MsgUpdateParams{
			Authority: testData.ModuleAccountAddress(reporter, "gov"),
			Params:    RandomParams(testData.Rand().Rand),
		}
	}
}

// MsgUpdateParamsRejectedFactory sends MsgUpdateParams from an ordinary account, with params
// that break the protocol's hard rules half of the time; delivery must fail.
func MsgUpdateParamsRejectedFactory() *simsx.ResultHandlingSimMsgFactory[*types.MsgUpdateParams] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(_ context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgUpdateParams, simsx.SimDeliveryResultHandler) {
		from := testData.AnyAccount(reporter)
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		p := RandomParams(testData.Rand().Rand)
		switch testData.Rand().Intn(3) {
		case 0:
			p.DailyEmission = types.DefaultDailyEmission.AddRaw(1 + testData.Rand().Int63n(1_000_000_000))
		case 1:
			p.MaxSupply = types.MaxSupply.Add(math.NewInt(1 + testData.Rand().Int63n(1_000_000)))
		}
		return []simsx.SimAccount{from}, &types.MsgUpdateParams{Authority: from.AddressBech32, Params: p}, simutil.ExpectRejection
	})
}
