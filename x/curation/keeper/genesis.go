package keeper

import (
	"context"
	"slices"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/curation/types"
)

// InitGenesis loads a validated genesis. total_bonded is recomputed from the curators. The
// bond checkpoints are loaded as exported; a genesis without them gets one per bonded curator
// and one for the total at the height before the first block, so curators bonded at genesis
// can vote on what opens in the first block.
func (k Keeper) InitGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	if gs.EpochStart != nil {
		if err := k.EpochStart.Set(ctx, gs.EpochStart.UnixNano()); err != nil {
			return err
		}
	}
	if gs.Epoch != nil {
		if err := k.CurrentEpoch.Set(ctx, *gs.Epoch); err != nil {
			return err
		}
	}
	total := math.ZeroInt()
	for _, c := range gs.Curators {
		addr, _, err := chainutil.DecodeAddress(k.addressCodec, "curator", c.Address, types.ErrInvalidAddress)
		if err != nil {
			return err
		}
		if err := k.Curators.Set(ctx, addr, c); err != nil {
			return err
		}
		total = total.Add(c.Bond)
	}
	if err := k.TotalBonded.Set(ctx, total); err != nil {
		return err
	}
	if err := k.initHistories(ctx, gs, total); err != nil {
		return err
	}
	for _, u := range gs.Unbondings {
		if err := k.Unbondings.Set(ctx, u.Id, u); err != nil {
			return err
		}
		if err := k.UnbondingQueue.Set(ctx, chainutil.QueueKeyAt(u.CompletionTime, u.Id)); err != nil {
			return err
		}
	}
	if err := k.UnbondingSeq.Set(ctx, gs.NextUnbondingId); err != nil {
		return err
	}
	for _, c := range gs.Commitments {
		addr, _, err := chainutil.DecodeAddress(k.addressCodec, "curator", c.Curator, types.ErrInvalidAddress)
		if err != nil {
			return err
		}
		if err := k.Commitments.Set(ctx, collections.Join(c.Epoch, addr), c); err != nil {
			return err
		}
	}
	for _, r := range gs.RevealedScores {
		addr, _, err := chainutil.DecodeAddress(k.addressCodec, "curator", r.Curator, types.ErrInvalidAddress)
		if err != nil {
			return err
		}
		if err := k.RevealedScores.Set(ctx, collections.Join3(r.Epoch, r.ListingId, addr), r); err != nil {
			return err
		}
	}
	for _, l := range gs.EpochListings {
		if err := k.EpochListings.Set(ctx, collections.Join(l.Epoch, l.ListingId), l); err != nil {
			return err
		}
	}
	for _, e := range gs.PendingEpochs {
		if err := k.PendingEpochs.Set(ctx, e); err != nil {
			return err
		}
	}
	for _, e := range gs.EpochsWithoutReveal {
		if err := k.EpochsWithoutReveal.Set(ctx, e); err != nil {
			return err
		}
	}
	// The result counts of the pending epochs are those of their results.
	for _, r := range gs.EpochListingResults {
		if err := k.EpochListingResults.Set(ctx, collections.Join(r.Epoch, r.ListingId), r); err != nil {
			return err
		}
		if err := k.countResults(ctx, r.Epoch, 1, 0); err != nil {
			return err
		}
	}
	for _, r := range gs.EpochCuratorResults {
		addr, _, err := chainutil.DecodeAddress(k.addressCodec, "curator", r.Curator, types.ErrInvalidAddress)
		if err != nil {
			return err
		}
		if err := k.EpochCuratorResults.Set(ctx, collections.Join(r.Epoch, addr), r); err != nil {
			return err
		}
		if err := k.countResults(ctx, r.Epoch, 0, 1); err != nil {
			return err
		}
	}
	for _, s := range gs.ListingScores {
		if err := k.ListingScores.Set(ctx, s.ListingId, s); err != nil {
			return err
		}
	}
	first := chainutil.FirstBlockHeight(ctx)
	for _, f := range gs.Flags {
		// An open flag's snapshot height from a genesis exported for a restart at height zero
		// is above the new chain's first block: it reads the bonds checkpointed before that
		// block (initHistories), the bonds as exported.
		if f.Status == types.FlagStatusOpen && f.OpenedHeight > first {
			f.OpenedHeight = first
		}
		if err := k.Flags.Set(ctx, f.Id, f); err != nil {
			return err
		}
		if f.Status == types.FlagStatusOpen {
			if err := k.FlagQueue.Set(ctx, chainutil.QueueKeyAt(f.VotingEnd, f.Id)); err != nil {
				return err
			}
		}
	}
	for _, v := range gs.FlagVotes {
		addr, _, err := chainutil.DecodeAddress(k.addressCodec, "curator", v.Curator, types.ErrInvalidAddress)
		if err != nil {
			return err
		}
		if err := k.FlagVotes.Set(ctx, collections.Join(v.FlagId, addr), v); err != nil {
			return err
		}
	}
	return k.FlagSeq.Set(ctx, gs.NextFlagId)
}

// ExportGenesis exports the whole state, including epochs in flight.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: params}
	if ns, err := k.EpochStart.Get(ctx); err == nil {
		t := timeFromNanos(ns)
		gs.EpochStart = &t
	} else if !isNotFound(err) {
		return nil, err
	}
	if e, err := k.CurrentEpoch.Get(ctx); err == nil {
		gs.Epoch = &e
	} else if !isNotFound(err) {
		return nil, err
	}
	if gs.Curators, err = values(ctx, k.Curators); err != nil {
		return nil, err
	}
	if gs.Unbondings, err = values(ctx, k.Unbondings); err != nil {
		return nil, err
	}
	if gs.NextUnbondingId, err = k.UnbondingSeq.Peek(ctx); err != nil {
		return nil, err
	}
	if gs.Commitments, err = values(ctx, k.Commitments); err != nil {
		return nil, err
	}
	if gs.RevealedScores, err = values(ctx, k.RevealedScores); err != nil {
		return nil, err
	}
	if gs.EpochListings, err = values(ctx, k.EpochListings); err != nil {
		return nil, err
	}
	if err := k.PendingEpochs.Walk(ctx, nil, func(e uint64) (bool, error) {
		gs.PendingEpochs = append(gs.PendingEpochs, e)
		return false, nil
	}); err != nil {
		return nil, err
	}
	// A completed epoch whose results were not all taken yet (x/grants takes them a bounded
	// number a block, from the block that completes the epoch on) is exported as pending with
	// the results left: with nothing left to finalise, it completes again in the first block
	// and x/grants goes on taking them (its payout in progress is in its own genesis).
	if err := k.CompletedEpochs.Walk(ctx, nil, func(e uint64) (bool, error) {
		gs.PendingEpochs = append(gs.PendingEpochs, e)
		return false, nil
	}); err != nil {
		return nil, err
	}
	slices.Sort(gs.PendingEpochs)
	if err := k.EpochsWithoutReveal.Walk(ctx, nil, func(e uint64) (bool, error) {
		gs.EpochsWithoutReveal = append(gs.EpochsWithoutReveal, e)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if gs.EpochListingResults, err = values(ctx, k.EpochListingResults); err != nil {
		return nil, err
	}
	if gs.EpochCuratorResults, err = values(ctx, k.EpochCuratorResults); err != nil {
		return nil, err
	}
	if gs.ListingScores, err = values(ctx, k.ListingScores); err != nil {
		return nil, err
	}
	flags, err := k.Flags.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	if gs.Flags, err = flags.Values(); err != nil {
		return nil, err
	}
	if gs.FlagVotes, err = values(ctx, k.FlagVotes); err != nil {
		return nil, err
	}
	if gs.NextFlagId, err = k.FlagSeq.Peek(ctx); err != nil {
		return nil, err
	}
	if err := k.BondHistory.Walk(ctx, nil, func(key collections.Pair[sdk.AccAddress, int64], bond math.Int) (bool, error) {
		addr, err := k.addressCodec.BytesToString(key.K1())
		if err != nil {
			return true, err
		}
		gs.BondHistory = append(gs.BondHistory, types.BondCheckpoint{Curator: addr, Height: key.K2(), Bond: bond})
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.TotalBondedHistory.Walk(ctx, nil, func(h int64, total math.Int) (bool, error) {
		gs.TotalBondedHistory = append(gs.TotalBondedHistory, types.TotalBondedCheckpoint{Height: h, Total: total})
		return false, nil
	}); err != nil {
		return nil, err
	}
	return gs, nil
}

// initHistories loads the bond checkpoints, or creates them at the height before the first
// block (InitChain runs at height 0, or at initial_height when that is above 1) when the
// genesis has none, or when it has checkpoints above that height: a genesis exported for a
// restart at height zero keeps the old chain's heights, which would otherwise read as later
// than every checkpoint of the new chain's first blocks.
func (k Keeper) initHistories(ctx context.Context, gs *types.GenesisState, total math.Int) error {
	h := sdk.UnwrapSDKContext(ctx).BlockHeight() - 1
	if h < 0 {
		h = 0
	}
	if len(gs.TotalBondedHistory) == 0 || historyAbove(gs, h) {
		for _, c := range gs.Curators {
			if !c.Bond.IsPositive() {
				continue
			}
			addr, _, err := chainutil.DecodeAddress(k.addressCodec, "curator", c.Address, types.ErrInvalidAddress)
			if err != nil {
				return err
			}
			if err := k.BondHistory.Set(ctx, collections.Join(addr, h), c.Bond); err != nil {
				return err
			}
		}
		if !total.IsPositive() {
			return nil // zero is what an empty history reads as
		}
		return k.TotalBondedHistory.Set(ctx, h, total)
	}
	for _, b := range gs.BondHistory {
		addr, _, err := chainutil.DecodeAddress(k.addressCodec, "curator", b.Curator, types.ErrInvalidAddress)
		if err != nil {
			return err
		}
		if err := k.BondHistory.Set(ctx, collections.Join(addr, b.Height), b.Bond); err != nil {
			return err
		}
	}
	for _, t := range gs.TotalBondedHistory {
		if err := k.TotalBondedHistory.Set(ctx, t.Height, t.Total); err != nil {
			return err
		}
	}
	return nil
}

// historyAbove reports whether a bond checkpoint of the genesis is above height h.
func historyAbove(gs *types.GenesisState, h int64) bool {
	for _, b := range gs.BondHistory {
		if b.Height > h {
			return true
		}
	}
	for _, t := range gs.TotalBondedHistory {
		if t.Height > h {
			return true
		}
	}
	return false
}

// values collects every value of a map in key order.
func values[K, V any](ctx context.Context, m collections.Map[K, V]) ([]V, error) {
	iter, err := m.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	return iter.Values()
}
