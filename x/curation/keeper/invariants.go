package keeper

import (
	"context"
	"fmt"
	"slices"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/curation/types"
)

// CheckAccounting verifies
//
//	curation account ubai == Σ curator bond + Σ curator unbonding + Σ OPEN flag deposits
//	total_bonded == Σ curator bond,  Σ curator unbonding == Σ unbonding entries (per curator)
//	each curator's last bond checkpoint == its bond,  last total checkpoint == total_bonded
//
// It walks every record, so the chain never runs it in a block: test chains and simulations run
// it after every block, and `baid q invariants` on demand.
func (k Keeper) CheckAccounting(ctx context.Context) error {
	bonds, unbonding := math.ZeroInt(), math.ZeroInt()
	perCurator := map[string]math.Int{}
	if err := k.Curators.Walk(ctx, nil, func(addr sdk.AccAddress, c types.Curator) (bool, error) {
		bonds = bonds.Add(c.Bond)
		unbonding = unbonding.Add(c.Unbonding)
		perCurator[c.Address] = c.Unbonding
		last, _, err := k.latestBond(ctx, addr)
		if err != nil {
			return true, err
		}
		if !last.Equal(c.Bond) {
			return true, fmt.Errorf("%w: curator %s bond %s != its last bond checkpoint %s", types.ErrInvariantBroken, c.Address, c.Bond, last)
		}
		return false, nil
	}); err != nil {
		return err
	}
	entries := map[string]math.Int{}
	if err := k.Unbondings.Walk(ctx, nil, func(_ uint64, u types.Unbonding) (bool, error) {
		prev, ok := entries[u.Curator]
		if !ok {
			prev = math.ZeroInt()
		}
		entries[u.Curator] = prev.Add(u.Amount)
		return false, nil
	}); err != nil {
		return err
	}
	for addr, want := range perCurator {
		got, ok := entries[addr]
		if !ok {
			got = math.ZeroInt()
		}
		if !got.Equal(want) {
			return fmt.Errorf("%w: curator %s unbonding %s != Σ entries %s", types.ErrInvariantBroken, addr, want, got)
		}
	}
	deposits := math.ZeroInt()
	if err := k.walkOpenFlags(ctx, func(f types.Flag) {
		deposits = deposits.Add(f.Deposit.Amount)
	}); err != nil {
		return err
	}
	total, err := k.GetTotalBonded(ctx)
	if err != nil {
		return err
	}
	if !total.Equal(bonds) {
		return fmt.Errorf("%w: total_bonded %s != Σ bonds %s", types.ErrInvariantBroken, total, bonds)
	}
	if last, _, err := k.latestTotalBonded(ctx); err != nil {
		return err
	} else if !last.Equal(total) {
		return fmt.Errorf("%w: total_bonded %s != its last checkpoint %s", types.ErrInvariantBroken, total, last)
	}
	want := bonds.Add(unbonding).Add(deposits)
	bal := k.bankKeeper.GetBalance(ctx, k.moduleAddress, types.Denom)
	if !bal.Amount.Equal(want) {
		return fmt.Errorf("%w: curation account holds %s but bonds %s + unbonding %s + open flag deposits %s = %s",
			types.ErrInvariantBroken, bal, bonds, unbonding, deposits, want)
	}
	return nil
}

// AccountingInvariant wraps CheckAccounting as an sdk.Invariant.
func AccountingInvariant(k Keeper) sdk.Invariant {
	return chainutil.Invariant(types.ModuleName, "accounting", k.CheckAccounting, "curation accounting holds")
}

// CheckFlagHolds checks that each open flag holds its listing's collateral, and nothing else
// does: per listing, the holds besides governance slash proposals' (x/marketplace) equal the
// open flags on it. A flag whose hold is missing could never be tallied (its Release fails),
// and a hold no flag or proposal will release would freeze the collateral for ever.
func (k Keeper) CheckFlagHolds(ctx context.Context) error {
	open := map[uint64]uint64{}
	if err := k.walkOpenFlags(ctx, func(f types.Flag) { open[f.ListingId]++ }); err != nil {
		return err
	}
	matched := map[uint64]bool{}
	if err := k.market.WalkFlagHolds(ctx, func(id, holds uint64) error {
		if open[id] != holds {
			return fmt.Errorf("%w: listing %d has %d holds besides governance proposals' but %d open flags",
				types.ErrInvariantBroken, id, holds, open[id])
		}
		matched[id] = true
		return nil
	}); err != nil {
		return err
	}
	ids := make([]uint64, 0, len(open))
	for id := range open {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if !matched[id] {
			return fmt.Errorf("%w: listing %d has %d open flags but no hold of theirs", types.ErrInvariantBroken, id, open[id])
		}
	}
	return nil
}

// walkOpenFlags calls fn with every OPEN flag, in id order, through the status index.
func (k Keeper) walkOpenFlags(ctx context.Context, fn func(types.Flag)) error {
	return k.Flags.Indexes.Status.Walk(ctx, collections.NewPrefixedPairRange[int32, uint64](int32(types.FlagStatusOpen)),
		func(_ int32, id uint64) (bool, error) {
			f, err := k.Flags.Get(ctx, id)
			if err != nil {
				return true, err
			}
			fn(f)
			return false, nil
		})
}

// FlagHoldsInvariant wraps CheckFlagHolds as an sdk.Invariant.
func FlagHoldsInvariant(k Keeper) sdk.Invariant {
	return chainutil.Invariant(types.ModuleName, "flag-holds", k.CheckFlagHolds, "every open flag holds its listing, and only they do besides proposals")
}

// RegisterInvariants registers the curation invariants.
func RegisterInvariants(ir sdk.InvariantRegistry, k Keeper) {
	ir.RegisterRoute(types.ModuleName, "accounting", AccountingInvariant(k))
	ir.RegisterRoute(types.ModuleName, "flag-holds", FlagHoldsInvariant(k))
}
