package keeper

import (
	"context"
	"fmt"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/emission/types"
)

// CheckInvariants verifies the issuance account:
//   - issued == genesis_supply + total_minted;
//   - issued ≤ max_supply;
//   - era == EraForIssued(max_supply, issued) and next_halving_at == threshold(era);
//   - carry in [0, 1);
//   - the emission module account holds no mint_denom between blocks (every mint is paid out).
func (k Keeper) CheckInvariants(ctx context.Context) error {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	s, err := k.State.Get(ctx)
	if err != nil {
		return err
	}
	if sum := s.GenesisSupply.Add(s.TotalMinted); !s.Issued.Equal(sum) {
		return errorsmod.Wrapf(types.ErrInvariantBroken, "issued %s != genesis_supply + total_minted %s", s.Issued, sum)
	}
	if s.Issued.GT(p.MaxSupply) {
		return errorsmod.Wrapf(types.ErrInvariantBroken, "issued %s > max_supply %s", s.Issued, p.MaxSupply)
	}
	if want := types.EraForIssued(p.MaxSupply, s.Issued); s.Era != want {
		return errorsmod.Wrapf(types.ErrInvariantBroken, "era %d inconsistent with issued %s (expected %d)", s.Era, s.Issued, want)
	}
	if want := types.Threshold(p.MaxSupply, s.Era); !s.NextHalvingAt.Equal(want) {
		return errorsmod.Wrapf(types.ErrInvariantBroken, "next_halving_at %s != threshold %s", s.NextHalvingAt, want)
	}
	if s.Carry.IsNegative() || s.Carry.GTE(math.LegacyOneDec()) {
		return errorsmod.Wrapf(types.ErrInvariantBroken, "carry %s outside [0, 1)", s.Carry)
	}
	if bal := k.bankKeeper.GetBalance(ctx, k.authKeeper.GetModuleAddress(types.ModuleName), p.MintDenom); !bal.IsZero() {
		return errorsmod.Wrapf(types.ErrInvariantBroken, "emission module account holds %s", bal)
	}
	return nil
}

// SupplyInvariant wraps CheckInvariants as an sdk.Invariant for apps that register invariants.
func SupplyInvariant(k Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		if err := k.CheckInvariants(ctx); err != nil {
			return sdk.FormatInvariant(types.ModuleName, "supply", fmt.Sprintf("%s\n", err)), true
		}
		return sdk.FormatInvariant(types.ModuleName, "supply", "issuance account consistent\n"), false
	}
}
