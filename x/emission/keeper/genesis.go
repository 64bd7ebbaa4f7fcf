package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	"github.com/balanceai/balanceai/x/emission/types"
)

// InitGenesis stores params and state. For a new chain (genesis_supply and total_minted zero)
// genesis_supply is the bank supply of mint_denom at genesis. A bank supply above max_supply is
// refused. Era, current daily emission and next halving are (re)derived from issued, so an
// exported state imports unchanged.
func (k Keeper) InitGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	supply := k.bankKeeper.GetSupply(ctx, gs.Params.MintDenom).Amount
	if err := types.CheckGenesisSupply(supply, gs.Params); err != nil {
		return err
	}
	state := gs.State
	// Burns other modules keep (x/marketplace's, imported after this module) can only add to
	// the burns known here: issued − these burns is at least the supply. The exact identity
	// is checked across modules before the node starts (baid's genesis check).
	if !state.IsFresh() {
		known := state.TotalBurned.Add(types.SumBurns(gs.RecordedBurns))
		if state.Issued.Sub(known).LT(supply) {
			return errorsmod.Wrapf(types.ErrInvalidGenesis,
				"issued %s minus the burns recorded here (%s) is below the bank supply %s: the emission state does not account for the coins that exist",
				state.Issued, known, supply)
		}
	}
	if state.IsFresh() {
		state.GenesisSupply = supply
		state.Issued = state.GenesisSupply.Add(state.TotalMinted)
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	for _, b := range gs.RecordedBurns {
		if err := k.RecordedBurns.Set(ctx, b.Source, b.Amount); err != nil {
			return err
		}
	}
	return k.State.Set(ctx, withDerived(state, gs.Params))
}

// ExportGenesis returns the params, the state (including carry and last_emission_time) and the
// recorded burn totals.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	state, err := k.State.Get(ctx)
	if err != nil {
		return nil, err
	}
	burns, err := k.recordedBurnsList(ctx)
	if err != nil {
		return nil, err
	}
	return &types.GenesisState{Params: params, State: state, RecordedBurns: burns}, nil
}
