package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/access/types"
)

// InitGenesis loads a validated genesis. The receipt indexes and the pruning queue are
// derived from the receipts, so they are rebuilt rather than exported.
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
	for _, r := range gs.Receipts {
		user, err := k.addressCodec.StringToBytes(r.User)
		if err != nil {
			return err
		}
		if err := k.setReceipt(ctx, r, user); err != nil {
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
			if err := k.Allowlist.Set(ctx, collections.Join(a.ListingId, sdk.AccAddress(bz))); err != nil {
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

// ExportGenesis exports the whole state in key order.
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
	err = k.Receipts.Walk(ctx, nil, func(_ uint64, r types.Receipt) (bool, error) {
		gs.Receipts = append(gs.Receipts, r)
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	if gs.Operators, err = k.exportListingSets(ctx, k.Operators); err != nil {
		return nil, err
	}
	allow, err := k.exportListingSets(ctx, k.Allowlist)
	if err != nil {
		return nil, err
	}
	for _, a := range allow {
		gs.Allowlists = append(gs.Allowlists, types.ListingAllowlist{ListingId: a.ListingId, Users: a.Operators})
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
