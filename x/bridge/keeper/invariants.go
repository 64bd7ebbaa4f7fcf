package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/bridge/types"
)

// CheckAccounting verifies the bridge accounting against the records and the bank:
//
//	bridge account ubai == total_locked − total_released − total_refunded == locked_balance
//	wbai_outstanding == Σ COMPLETED transfers − total_released  (so released ≤ completed ≤ locked)
//	locked_balance == wbai_outstanding + Σ PENDING transfers
//	total_locked == Σ transfers, total_refunded == Σ REFUNDED, total_released == Σ EXECUTED claims
//
// It walks every record, so the chain never runs it in a block: test chains and simulations run
// it after every block, and `baid q invariants` on demand.
func (k Keeper) CheckAccounting(ctx context.Context) error {
	t, err := k.GetTotals(ctx)
	if err != nil {
		return err
	}
	if t.TotalReleased.GT(t.TotalLocked) {
		return fmt.Errorf("%w: released %s exceeds locked %s", types.ErrInvariantBroken, t.TotalReleased, t.TotalLocked)
	}
	lb := t.TotalLocked.Sub(t.TotalReleased).Sub(t.TotalRefunded)
	if !lb.Equal(t.LockedBalance) {
		return fmt.Errorf("%w: locked_balance %s != locked − released − refunded %s", types.ErrInvariantBroken, t.LockedBalance, lb)
	}
	bal := k.bankKeeper.GetBalance(ctx, k.moduleAddress, types.Denom)
	if !bal.Amount.Equal(lb) {
		return fmt.Errorf("%w: bridge account holds %s but locked − released − refunded is %s", types.ErrInvariantBroken, bal, lb)
	}
	all, pending, completed, refunded, released := math.ZeroInt(), math.ZeroInt(), math.ZeroInt(), math.ZeroInt(), math.ZeroInt()
	if err := k.Outbound.Walk(ctx, nil, func(_ uint64, tr types.OutboundTransfer) (bool, error) {
		all = all.Add(tr.Amount.Amount)
		switch tr.Status {
		case types.OUTBOUND_STATUS_PENDING:
			pending = pending.Add(tr.Amount.Amount)
		case types.OUTBOUND_STATUS_COMPLETED:
			completed = completed.Add(tr.Amount.Amount)
		case types.OUTBOUND_STATUS_REFUNDED:
			refunded = refunded.Add(tr.Amount.Amount)
		}
		return false, nil
	}); err != nil {
		return err
	}
	if err := k.Claims.Walk(ctx, nil, func(_ string, c types.InboundClaim) (bool, error) {
		if c.Status == types.CLAIM_STATUS_EXECUTED {
			released = released.Add(c.Amount.Amount)
		}
		return false, nil
	}); err != nil {
		return err
	}
	switch {
	case !all.Equal(t.TotalLocked):
		return fmt.Errorf("%w: total_locked %s != Σ transfers %s", types.ErrInvariantBroken, t.TotalLocked, all)
	case !refunded.Equal(t.TotalRefunded):
		return fmt.Errorf("%w: total_refunded %s != Σ refunded %s", types.ErrInvariantBroken, t.TotalRefunded, refunded)
	case !released.Equal(t.TotalReleased):
		return fmt.Errorf("%w: total_released %s != Σ executed claims %s", types.ErrInvariantBroken, t.TotalReleased, released)
	case !completed.Sub(released).Equal(t.WbaiOutstanding):
		return fmt.Errorf("%w: wbai_outstanding %s != completed %s − released %s", types.ErrInvariantBroken, t.WbaiOutstanding, completed, released)
	case !t.WbaiOutstanding.Add(pending).Equal(lb):
		return fmt.Errorf("%w: locked_balance %s != wbai_outstanding %s + pending %s", types.ErrInvariantBroken, lb, t.WbaiOutstanding, pending)
	}
	return nil
}

// AccountingInvariant wraps CheckAccounting as an sdk.Invariant.
func AccountingInvariant(k Keeper) sdk.Invariant {
	return chainutil.Invariant(types.ModuleName, "accounting", k.CheckAccounting, "bridge accounting holds")
}

// CheckExecutedEvents verifies the executed-event set: every EXECUTED claim's Ethereum event
// (tx hash, log index) maps to that claim, and every entry maps to an EXECUTED claim of that
// event — so no event was paid twice. It walks every claim, so the chain never runs it in a
// block: test chains and simulations run it after every block, and `baid q invariants` on demand.
func (k Keeper) CheckExecutedEvents(ctx context.Context) error {
	executed := 0
	if err := k.Claims.Walk(ctx, nil, func(id string, c types.InboundClaim) (bool, error) {
		if c.Status != types.CLAIM_STATUS_EXECUTED {
			return false, nil
		}
		executed++
		by, err := k.ExecutedBy(ctx, c.EthTxHash, c.LogIndex)
		if err != nil {
			return true, err
		}
		if by != id {
			return true, fmt.Errorf("%w: executed claim %s: its event %s log %d maps to claim %q", types.ErrInvariantBroken, id, c.EthTxHash, c.LogIndex, by)
		}
		return false, nil
	}); err != nil {
		return err
	}
	entries := 0
	if err := k.ExecutedEvents.Walk(ctx, nil, func(_ collections.Pair[string, uint64], _ string) (bool, error) {
		entries++
		return false, nil
	}); err != nil {
		return err
	}
	if entries != executed {
		return fmt.Errorf("%w: %d executed-event entries for %d executed claims", types.ErrInvariantBroken, entries, executed)
	}
	return nil
}

// ExecutedEventsInvariant wraps CheckExecutedEvents as an sdk.Invariant.
func ExecutedEventsInvariant(k Keeper) sdk.Invariant {
	return chainutil.Invariant(types.ModuleName, "executed-events", k.CheckExecutedEvents,
		"every executed Ethereum event was paid once")
}

// RegisterInvariants registers the bridge invariants.
func RegisterInvariants(ir sdk.InvariantRegistry, k Keeper) {
	ir.RegisterRoute(types.ModuleName, "accounting", AccountingInvariant(k))
	ir.RegisterRoute(types.ModuleName, "executed-events", ExecutedEventsInvariant(k))
}
