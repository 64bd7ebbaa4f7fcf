package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/access/types"
)

// InitGenesis loads a validated genesis. The batch indexes are derived from the batches, so
// they are rebuilt rather than exported.
func (k Keeper) InitGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	if err := k.ReceiptSeq.Set(ctx, gs.LastReceiptId); err != nil {
		return err
	}
	for _, b := range gs.ReceiptBatches {
		users, err := k.batchUsers(b)
		if err != nil {
			return err
		}
		if err := k.setBatch(ctx, b, users); err != nil {
			return err
		}
	}
	for _, o := range gs.Operators {
		for _, op := range o.Operators {
			bz, err := k.addressCodec.StringToBytes(op)
			if err != nil {
				return err
			}
			if err := k.Operators.Set(ctx, collections.Join(o.ListingId, sdk.AccAddress(bz))); err != nil {
				return err
			}
		}
	}
	for _, a := range gs.Allowlists {
		for _, u := range a.Users {
			bz, err := k.addressCodec.StringToBytes(u)
			if err != nil {
				return err
			}
			// Generation 0: allowlist generations and stale entries are not exported.
			if err := k.Allowlist.Set(ctx, collections.Join3(a.ListingId, uint64(0), sdk.AccAddress(bz))); err != nil {
				return err
			}
		}
	}
	for _, d := range gs.DailyUsage {
		bz, err := k.addressCodec.StringToBytes(d.User)
		if err != nil {
			return err
		}
		if err := k.DailyUsage.Set(ctx, collections.Join3(d.Day, d.ListingId, sdk.AccAddress(bz)), d.Usage); err != nil {
			return err
		}
	}
	for _, t := range gs.ListingUsage {
		if err := k.ListingUsage.Set(ctx, t.ListingId, t.Usage); err != nil {
			return err
		}
	}
	return nil
}

// ExportGenesis exports the whole state in key order. Of each listing's allowlist only the
// current generation is exported (it is imported as generation 0): generations a transfer
// left behind are dead state waiting to be pruned.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	last, err := k.ReceiptSeq.Peek(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: params, LastReceiptId: last}
	err = k.ReceiptBatches.Walk(ctx, nil, func(_ uint64, b types.ReceiptBatch) (bool, error) {
		gs.ReceiptBatches = append(gs.ReceiptBatches, b)
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	if gs.Operators, err = k.exportListingSets(ctx, k.Operators); err != nil {
		return nil, err
	}
	if gs.Allowlists, err = k.exportAllowlists(ctx); err != nil {
		return nil, err
	}
	err = k.DailyUsage.Walk(ctx, nil, func(key collections.Triple[int64, uint64, sdk.AccAddress], u types.Usage) (bool, error) {
		user, err := k.addressCodec.BytesToString(key.K3())
		if err != nil {
			return true, err
		}
		gs.DailyUsage = append(gs.DailyUsage, types.DailyUsage{Day: key.K1(), ListingId: key.K2(), User: user, Usage: u})
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	err = k.ListingUsage.Walk(ctx, nil, func(id uint64, u types.Usage) (bool, error) {
		gs.ListingUsage = append(gs.ListingUsage, types.ListingUsage{ListingId: id, Usage: u})
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	return gs, nil
}

// exportListingSets groups a (listing_id, address) key set by listing, in key order.
func (k Keeper) exportListingSets(ctx context.Context, set collections.KeySet[collections.Pair[uint64, sdk.AccAddress]]) ([]types.ListingOperators, error) {
	var out []types.ListingOperators
	err := set.Walk(ctx, nil, func(key collections.Pair[uint64, sdk.AccAddress]) (bool, error) {
		s, err := k.addressCodec.BytesToString(key.K2())
		if err != nil {
			return true, fmt.Errorf("listing %d: %w", key.K1(), err)
		}
		if n := len(out); n == 0 || out[n-1].ListingId != key.K1() {
			out = append(out, types.ListingOperators{ListingId: key.K1()})
		}
		out[len(out)-1].Operators = append(out[len(out)-1].Operators, s)
		return false, nil
	})
	return out, err
}

// exportAllowlists groups the current generation of every listing's allowlist by listing, in
// key order, skipping the stale generations.
func (k Keeper) exportAllowlists(ctx context.Context) ([]types.ListingAllowlist, error) {
	var out []types.ListingAllowlist
	curListing, curGen, known := uint64(0), uint64(0), false
	err := k.Allowlist.Walk(ctx, nil, func(key collections.Triple[uint64, uint64, sdk.AccAddress]) (bool, error) {
		if !known || key.K1() != curListing {
			g, err := k.AllowlistGenerationOf(ctx, key.K1())
			if err != nil {
				return true, err
			}
			curListing, curGen, known = key.K1(), g, true
		}
		if key.K2() != curGen {
			return false, nil
		}
		s, err := k.addressCodec.BytesToString(key.K3())
		if err != nil {
			return true, fmt.Errorf("listing %d: %w", key.K1(), err)
		}
		if n := len(out); n == 0 || out[n-1].ListingId != key.K1() {
			out = append(out, types.ListingAllowlist{ListingId: key.K1()})
		}
		out[len(out)-1].Users = append(out[len(out)-1].Users, s)
		return false, nil
	})
	return out, err
}
