package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	"github.com/balanceai/balanceai/x/emission/types"
)

// InitGenesis stores params and state. For a new chain (genesis_supply and total_minted zero)
// genesis_supply is the bank supply of mint_denom at genesis. Era, current daily emission and
// next halving are (re)derived from issued, so an exported state imports unchanged.
func (k Keeper) InitGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	state := gs.State
	if state.IsFresh() {
		state.GenesisSupply = k.bankKeeper.GetSupply(ctx, gs.Params.MintDenom).Amount
		state.Issued = state.GenesisSupply.Add(state.TotalMinted)
		if state.Issued.GT(gs.Params.MaxSupply) {
			return errorsmod.Wrapf(types.ErrSupplyAboveMax, "genesis supply %s%s exceeds max_supply %s", state.Issued, gs.Params.MintDenom, gs.Params.MaxSupply)
		}
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	return k.State.Set(ctx, withDerived(state, gs.Params))
}

// ExportGenesis returns the params and the state (including carry and last_emission_time).
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	state, err := k.State.Get(ctx)
	if err != nil {
		return nil, err
	}
	return &types.GenesisState{Params: params, State: state}, nil
}
