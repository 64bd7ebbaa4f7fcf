package keeper

import (
	"context"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Bond checkpoints make votes immune to late bonds (docs/spec/curation.md). Every write of a curator's
// bond also writes (curator, block height) → bond, and every write of total_bonded writes
// height → total; a second change in the same block overwrites the first, so a checkpoint is
// the value at the end of its block. A vote that opens in block h reads the checkpoints
// strictly before h — the state before the block in which it opened — so nothing done in
// that block or later (a bond added in the opening block, or in the last block of the voting
// period) changes who may vote or the quorum's denominator. Each lookup is at most one reverse
// iterator step, never a scan of the curators.
//
// Nothing is pruned: x/grants reads the same checkpoints for votes and reviews that open at
// any height, and a checkpoint is only written by a tx that changed a bond or by the epoch
// end's no-reveal slash of a committed curator.

// recordBond checkpoints a curator's bond at the current height.
func (k Keeper) recordBond(ctx context.Context, addr sdk.AccAddress, bond math.Int) error {
	return k.BondHistory.Set(ctx, collections.Join(addr, sdk.UnwrapSDKContext(ctx).BlockHeight()), bond)
}

// BondAt returns the curator's bond at the end of block height−1 (zero if it had none): the
// bond before the block at height ran.
func (k Keeper) BondAt(ctx context.Context, curator sdk.AccAddress, height int64) (math.Int, error) {
	v, _, err := firstValue(k.BondHistory.Iterate(ctx,
		collections.NewPrefixedPairRange[sdk.AccAddress, int64](curator).EndExclusive(height).Descending()))
	return v, err
}

// TotalBondedAt returns the total curator bond at the end of block height−1 (zero before the
// first bond).
//
// Every change of total_bonded also checkpoints it at the current height, so the last
// checkpoint is total_bonded itself (genesis validation and the accounting invariant hold them
// equal). A vote opening now (height = the current block's), in a block that has not changed
// the total, therefore reads total_bonded with two point reads instead of an iterator over the
// block's writes.
func (k Keeper) TotalBondedAt(ctx context.Context, height int64) (math.Int, error) {
	if current := sdk.UnwrapSDKContext(ctx).BlockHeight(); height > current {
		return k.GetTotalBonded(ctx)
	} else if height == current {
		changed, err := k.TotalBondedHistory.Has(ctx, current)
		if err != nil {
			return math.Int{}, err
		}
		if !changed {
			return k.GetTotalBonded(ctx)
		}
	}
	v, _, err := firstValue(k.TotalBondedHistory.Iterate(ctx, new(collections.Range[int64]).EndExclusive(height).Descending()))
	return v, err
}

// VotingWeight returns a curator's weight in a vote that opened at openedHeight:
// min(BondAt(openedHeight), bond now). It is zero for a curator not bonded before the
// opening block, so bonding after a vote opens adds no weight, and unbonding or being
// slashed during the vote lowers it.
func (k Keeper) VotingWeight(ctx context.Context, curator sdk.AccAddress, openedHeight int64) (math.Int, error) {
	then, err := k.BondAt(ctx, curator, openedHeight)
	if err != nil || !then.IsPositive() {
		return math.ZeroInt(), err
	}
	c, err := k.Curators.Get(ctx, curator)
	if isNotFound(err) {
		return math.ZeroInt(), nil
	}
	if err != nil {
		return math.ZeroInt(), err
	}
	return math.MinInt(then, c.Bond), nil
}

// latestBond returns a curator's last checkpoint (any height) and whether it has one.
func (k Keeper) latestBond(ctx context.Context, curator sdk.AccAddress) (math.Int, bool, error) {
	return firstValue(k.BondHistory.Iterate(ctx, collections.NewPrefixedPairRange[sdk.AccAddress, int64](curator).Descending()))
}

// latestTotalBonded returns the last total-bond checkpoint and whether there is one.
func (k Keeper) latestTotalBonded(ctx context.Context) (math.Int, bool, error) {
	return firstValue(k.TotalBondedHistory.Iterate(ctx, new(collections.Range[int64]).Descending()))
}

// firstValue returns the value of an iterator's first entry and whether there is one (zero
// when there is none), and closes the iterator.
func firstValue[K any](iter collections.Iterator[K, math.Int], err error) (math.Int, bool, error) {
	if err != nil {
		return math.Int{}, false, err
	}
	defer iter.Close()
	if !iter.Valid() {
		return math.ZeroInt(), false, nil
	}
	v, err := iter.Value()
	return v, err == nil, err
}
