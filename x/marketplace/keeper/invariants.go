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
// yet returned are equal. It walks every listing, so it is for tests and debugging.
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
}
