package simulation

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"slices"
	"time"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/simutil"
	"github.com/balanceai/balanceai/x/bridge/keeper"
	"github.com/balanceai/balanceai/x/bridge/types"
)

// Default weights of the simulated operations (a params file can override them by name).
const (
	WeightMsgLock           = 40
	WeightMsgAttestOutbound = 40
	WeightMsgAttestInbound  = 20
	WeightMsgSetPaused      = 2
	// WeightMsgUnpause and WeightMsgUpdateParams weigh governance proposals.
	WeightMsgUnpause      = 10
	WeightMsgUpdateParams = 10
	// WeightInvalid weighs each deliberately invalid message, which the chain must refuse.
	WeightInvalid = 5
)

// open reports whether the bridge is enabled and not paused, with its params.
func open(ctx context.Context, k keeper.Keeper) (types.Params, bool) {
	params, err := k.Params.Get(ctx)
	if err != nil || !params.Enabled {
		return params, false
	}
	paused, err := k.IsPaused(ctx)
	return params, err == nil && !paused
}

// attester returns a random simulation account among the current attesters for which accept
// holds.
func attester(testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, params types.Params, accept func(string) bool) simsx.SimAccount {
	var candidates []string
	for _, a := range params.Attesters {
		if testData.HasAccount(a) && accept(a) {
			candidates = append(candidates, a)
		}
	}
	a, ok := simutil.Pick(testData.Rand().Rand, candidates)
	if !ok {
		reporter.Skip("no attester available")
		return simsx.SimAccount{}
	}
	return testData.GetAccount(reporter, a)
}

// MsgLockFactory locks an amount within [min_transfer, max_transfer] and today's remaining
// outbound limit, while the bridge is open.
func MsgLockFactory(k keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgLock] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgLock) {
		params, ok := open(ctx, k)
		if !ok {
			reporter.Skip("the bridge is closed")
			return nil, nil
		}
		used, err := k.DailyOutbound.Get(ctx, keeper.Day(ctx))
		if err != nil {
			used = math.ZeroInt()
		}
		upper := math.MinInt(params.MaxTransfer, params.DailyOutboundLimit.Sub(used))
		if upper.LT(params.MinTransfer) {
			reporter.Skip("today's outbound limit is reached")
			return nil, nil
		}
		r := testData.Rand()
		amount := params.MinTransfer.Add(math.NewInt(r.Int63n(min(upper.Sub(params.MinTransfer).Int64(), 1_000_000_000_000) + 1)))
		coin := sdk.NewCoin(types.Denom, amount)
		from := testData.AnyAccount(reporter, simsx.WithLiquidBalanceGTE(coin))
		if reporter.IsSkipped() {
			return nil, nil
		}
		if !from.LiquidBalance().BlockAmount(coin) {
			reporter.Skip("balance too low")
			return nil, nil
		}
		return []simsx.SimAccount{from}, &types.MsgLock{Sender: from.AddressBech32, EthRecipient: RandomEthAddress(r.Rand), Amount: coin}
	}
}

// outboundOutcome is what Ethereum did with transfer nonce, the same for every attester: one
// transfer in four failed (and is refunded), the others were minted in a transaction whose
// hash follows from the nonce.
func outboundOutcome(nonce uint64) (hash string, success bool) {
	if nonce%4 == 0 {
		return "", false
	}
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], nonce)
	sum := sha256.Sum256(b[:])
	return "0x" + hex.EncodeToString(sum[:]), true
}

// MsgAttestOutboundFactory has an attester that has not attested a PENDING transfer attest
// its outcome, while the bridge is open.
func MsgAttestOutboundFactory(k keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgAttestOutbound] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgAttestOutbound) {
		params, ok := open(ctx, k)
		if !ok || params.AttestationThreshold == 0 {
			reporter.Skip("the bridge is closed")
			return nil, nil
		}
		last, err := k.OutboundSeq.Peek(ctx)
		if err != nil || last == 0 {
			reporter.Skip("no transfer yet")
			return nil, nil
		}
		r := testData.Rand()
		for try := 0; try < 10; try++ {
			t, err := k.Outbound.Get(ctx, 1+uint64(r.Int63n(int64(last))))
			if err != nil || t.Status != types.OUTBOUND_STATUS_PENDING {
				continue
			}
			from := attester(testData, reporter, params, func(a string) bool {
				return !slices.ContainsFunc(t.Attestations, func(at types.OutboundAttestation) bool { return at.Attester == a })
			})
			if reporter.IsSkipped() {
				return nil, nil
			}
			hash, success := outboundOutcome(t.Nonce)
			return []simsx.SimAccount{from}, &types.MsgAttestOutbound{Attester: from.AddressBech32, Nonce: t.Nonce, EthTxHash: hash, Success: success}
		}
		reporter.Skip("no pending transfer found")
		return nil, nil
	}
}

// MsgAttestInboundFactory has an attester report a new burn of wBAI on Ethereum for a
// simulation account, and schedules the other attesters' matching reports over the next hours.
func MsgAttestInboundFactory(k keeper.Keeper) *simsx.LazyStateSimMsgFactory[*types.MsgAttestInbound] {
	return simsx.NewSimMsgFactoryWithFutureOps(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, fOpsReg simsx.FutureOpsRegistry) ([]simsx.SimAccount, *types.MsgAttestInbound) {
		params, err := k.Params.Get(ctx)
		if err != nil || params.AttestationThreshold == 0 {
			reporter.Skip("no attestation threshold")
			return nil, nil
		}
		totals, err := k.GetTotals(ctx)
		if err != nil || !totals.WbaiOutstanding.IsPositive() {
			reporter.Skip("no wBAI on Ethereum to burn")
			return nil, nil
		}
		from := attester(testData, reporter, params, func(string) bool { return true })
		if reporter.IsSkipped() {
			return nil, nil
		}
		recipient := testData.AnyAccount(reporter)
		if reporter.IsSkipped() {
			return nil, nil
		}
		r := testData.Rand()
		msg := types.MsgAttestInbound{
			EthTxHash: RandomEthTxHash(r.Rand), LogIndex: uint64(r.Intn(8)), EthBlock: 1 + uint64(r.Int63n(20_000_000)),
			EthSender: RandomEthAddress(r.Rand), Recipient: recipient.AddressBech32,
			Amount: sdk.NewCoin(types.Denom, math.NewInt(1+r.Int63n(min(totals.WbaiOutstanding.Int64(), 1<<62)))),
		}
		now := sdk.UnwrapSDKContext(ctx).BlockTime()
		for _, other := range params.Attesters {
			if other != from.AddressBech32 && testData.HasAccount(other) {
				m := msg
				m.Attester = other
				fOpsReg.Add(now.Add(time.Duration(1+r.Intn(4*3600))*time.Second), msgAttestInboundAgainFactory(k, m))
			}
		}
		msg.Attester = from.AddressBech32
		return []simsx.SimAccount{from}, &msg
	})
}

// msgAttestInboundAgainFactory is another attester's report of the same burn, while the
// claim is not executed, the attester still is one and has not reported it yet.
func msgAttestInboundAgainFactory(k keeper.Keeper, msg types.MsgAttestInbound) simsx.SimMsgFactoryFn[*types.MsgAttestInbound] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgAttestInbound) {
		params, err := k.Params.Get(ctx)
		if err != nil || params.AttestationThreshold == 0 || !slices.Contains(params.Attesters, msg.Attester) {
			reporter.Skip("not an attester any more")
			return nil, nil
		}
		id, err := types.DeriveClaimID(params.EthereumChainId, msg.EthTxHash, msg.LogIndex)
		if err != nil {
			reporter.Skip(err.Error())
			return nil, nil
		}
		if claim, err := k.Claims.Get(ctx, id); err == nil {
			if claim.Status == types.CLAIM_STATUS_EXECUTED {
				reporter.Skip("the claim was executed")
				return nil, nil
			}
			for _, c := range claim.Contents {
				if slices.Contains(c.Voters, msg.Attester) {
					reporter.Skip("already attested")
					return nil, nil
				}
			}
		}
		if by, err := k.ExecutedBy(ctx, msg.EthTxHash, msg.LogIndex); err != nil || by != "" {
			reporter.Skip("the burn was paid")
			return nil, nil
		}
		from := testData.GetAccount(reporter, msg.Attester)
		if reporter.IsSkipped() {
			return nil, nil
		}
		m := msg
		return []simsx.SimAccount{from}, &m
	}
}

// MsgSetPausedFactory has an attester pause the bridge.
func MsgSetPausedFactory(k keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgSetPaused] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgSetPaused) {
		params, err := k.Params.Get(ctx)
		if err != nil {
			reporter.Skip(err.Error())
			return nil, nil
		}
		from := attester(testData, reporter, params, func(string) bool { return true })
		if reporter.IsSkipped() {
			return nil, nil
		}
		return []simsx.SimAccount{from}, &types.MsgSetPaused{Signer: from.AddressBech32, Paused: true}
	}
}

// MsgUnpauseFactory proposes, through governance, to unpause the bridge.
func MsgUnpauseFactory() simsx.SimMsgFactoryFn[*types.MsgSetPaused] {
	return func(_ context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgSetPaused) {
		return nil, &types.MsgSetPaused{Signer: testData.ModuleAccountAddress(reporter, "gov"), Paused: false}
	}
}

// MsgUpdateParamsFactory proposes random valid params through governance, with simulation
// accounts as attesters.
func MsgUpdateParamsFactory() simsx.SimMsgFactoryFn[*types.MsgUpdateParams] {
	return func(_ context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgUpdateParams) {
		r := testData.Rand()
		var attesters []string
		for i := 1 + r.Intn(5); i > 0; i-- {
			a := testData.AccountAt(reporter, r.Intn(testData.AccountsCount()))
			if !slices.Contains(attesters, a.AddressBech32) {
				attesters = append(attesters, a.AddressBech32)
			}
		}
		return nil, &types.MsgUpdateParams{
			Authority: testData.ModuleAccountAddress(reporter, "gov"),
			Params:    RandomParams(r.Rand, attesters),
		}
	}
}

// MsgLockBelowMinimumFactory locks less than min_transfer; the chain must refuse it.
func MsgLockBelowMinimumFactory(k keeper.Keeper) *simsx.ResultHandlingSimMsgFactory[*types.MsgLock] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgLock, simsx.SimDeliveryResultHandler) {
		params, err := k.Params.Get(ctx)
		if err != nil || params.MinTransfer.LTE(math.OneInt()) {
			reporter.Skip("no amount below the minimum")
			return nil, nil, nil
		}
		from := testData.AnyAccount(reporter, simsx.WithLiquidBalanceGTE(sdk.NewCoin(types.Denom, params.MinTransfer)))
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		amount := sdk.NewCoin(types.Denom, math.NewInt(1+testData.Rand().Int63n(params.MinTransfer.Int64()-1)))
		return []simsx.SimAccount{from}, &types.MsgLock{Sender: from.AddressBech32, EthRecipient: RandomEthAddress(testData.Rand().Rand), Amount: amount}, simutil.ExpectRejection
	})
}

// MsgAttestOutboundNotAttesterFactory attests a transfer from an account that is not an
// attester; the chain must refuse it.
func MsgAttestOutboundNotAttesterFactory(k keeper.Keeper) *simsx.ResultHandlingSimMsgFactory[*types.MsgAttestOutbound] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgAttestOutbound, simsx.SimDeliveryResultHandler) {
		params, err := k.Params.Get(ctx)
		if err != nil {
			reporter.Skip(err.Error())
			return nil, nil, nil
		}
		from := testData.AnyAccount(reporter, simsx.ExcludeAddresses(params.Attesters...))
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		hash, success := outboundOutcome(1)
		return []simsx.SimAccount{from}, &types.MsgAttestOutbound{Attester: from.AddressBech32, Nonce: 1, EthTxHash: hash, Success: success}, simutil.ExpectRejection
	})
}

// MsgUnpauseNotAuthorityFactory unpauses the bridge from an ordinary account; the chain must
// refuse it.
func MsgUnpauseNotAuthorityFactory() *simsx.ResultHandlingSimMsgFactory[*types.MsgSetPaused] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgSetPaused, simsx.SimDeliveryResultHandler) {
		from := testData.AnyAccount(reporter)
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		return []simsx.SimAccount{from}, &types.MsgSetPaused{Signer: from.AddressBech32, Paused: false}, simutil.ExpectRejection
	})
}
