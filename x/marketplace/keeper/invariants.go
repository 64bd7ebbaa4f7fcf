package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/marketplace/types"
)

// CheckCollateral verifies the collateral invariant: the module account's ubai balance,
// the TotalLocked counter and the sum of the collateral recorded on all listings not
// yet returned are equal. It walks every listing, so the chain never runs it in a block: test
// chains and simulations run it after every block, and `baid q invariants` on demand.
func (k Keeper) CheckCollateral(ctx context.Context) error {
	sum := math.ZeroInt()
	err := k.Listings.Walk(ctx, nil, func(_ uint64, l types.Listing) (bool, error) {
		sum = sum.Add(l.Collateral.Amount)
		return false, nil
	})
	if err != nil {
		return err
	}
	total, err := k.totalLocked(ctx)
	if err != nil {
		return err
	}
	balance := k.bankKeeper.GetBalance(ctx, k.moduleAddr, types.CollateralDenom).Amount
	if !sum.Equal(total) || !total.Equal(balance) {
		return fmt.Errorf("collateral invariant broken: listings hold %s, total_locked is %s, module balance is %s%s",
			sum, total, balance, types.CollateralDenom)
	}
	return nil
}

// CheckHolds verifies that the held state is consistent: every hold is on an existing
// listing with a positive count, and every proposal hold is on an existing listing and
// counted among that listing's holds. It walks every hold, so the chain never runs it in a
// block: test chains and simulations run it after every block, and `baid q invariants` on demand.
func (k Keeper) CheckHolds(ctx context.Context) error {
	err := k.Holds.Walk(ctx, nil, func(id, n uint64) (bool, error) {
		if n == 0 {
			return true, fmt.Errorf("hold invariant broken: listing %d has a hold entry with count 0", id)
		}
		has, err := k.Listings.Has(ctx, id)
		if err != nil {
			return true, err
		}
		if !has {
			return true, fmt.Errorf("hold invariant broken: %d holds on missing listing %d", n, id)
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	// The listing index orders proposal holds by (listing, proposal): count them per listing.
	it, err := k.ProposalHolds.Indexes.Listing.Iterate(ctx, nil)
	if err != nil {
		return err
	}
	defer it.Close()
	var (
		listing uint64
		n       uint64
	)
	check := func() error {
		if n == 0 {
			return nil
		}
		holds, err := k.holdCount(ctx, listing)
		if err != nil {
			return err
		}
		if holds < n {
			return fmt.Errorf("hold invariant broken: listing %d has %d proposal holds but %d holds", listing, n, holds)
		}
		return nil
	}
	for ; it.Valid(); it.Next() {
		key, err := it.FullKey()
		if err != nil {
			return err
		}
		if key.K1() != listing {
			if err := check(); err != nil {
				return err
			}
			listing, n = key.K1(), 0
		}
		n++
	}
	return check()
}

// HoldsInvariant wraps CheckHolds as an sdk.Invariant.
func HoldsInvariant(k Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		if err := k.CheckHolds(ctx); err != nil {
			return sdk.FormatInvariant(types.ModuleName, "holds", err.Error()), true
		}
		return sdk.FormatInvariant(types.ModuleName, "holds", "every hold is on an existing listing"), false
	}
}

// CollateralInvariant wraps CheckCollateral as an sdk.Invariant.
func CollateralInvariant(k Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		if err := k.CheckCollateral(ctx); err != nil {
			return sdk.FormatInvariant(types.ModuleName, "collateral", err.Error()), true
		}
		return sdk.FormatInvariant(types.ModuleName, "collateral", "module balance equals locked collateral"), false
	}
}

// RegisterInvariants registers the marketplace invariants.
func RegisterInvariants(ir sdk.InvariantRegistry, k Keeper) {
	ir.RegisterRoute(types.ModuleName, "collateral", CollateralInvariant(k))
	ir.RegisterRoute(types.ModuleName, "holds", HoldsInvariant(k))
}
