package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
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

// CheckIndexes verifies what is kept beside the listings as they change: each index (owner,
// status, kind, task, tag) holds exactly one entry per listing and reference, the counts by
// (kind, status) count the listings, and each owner's live counter counts their listings that
// are not RETIRED. It walks every listing and index entry, so the chain never runs it in a block.
func (k Keeper) CheckIndexes(ctx context.Context) error {
	want := map[string]bool{}
	counts := map[[2]int32]uint64{} // (kind, status)
	live := map[string]uint64{}
	err := k.Listings.Walk(ctx, nil, func(id uint64, l types.Listing) (bool, error) {
		owner, err := k.addressCodec.StringToBytes(l.Owner)
		if err != nil {
			return true, fmt.Errorf("listing %d: owner %q: %w", id, l.Owner, err)
		}
		want[indexEntry("owner", string(owner), id)] = true
		want[indexEntry("status", fmt.Sprint(int32(l.Status)), id)] = true
		want[indexEntry("kind", fmt.Sprint(int32(l.Kind)), id)] = true
		want[indexEntry("task", l.Task, id)] = true
		for _, tag := range l.Tags {
			want[indexEntry("tag", tag, id)] = true
		}
		counts[[2]int32{int32(l.Kind), int32(l.Status)}]++
		if l.Status != types.ListingStatusRetired {
			live[string(owner)]++
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	seen := 0
	check := func(e string) error {
		if !want[e] {
			return fmt.Errorf("index entry %s matches no listing", e)
		}
		seen++
		return nil
	}
	idx := k.Listings.Indexes
	number := func(r int32) string { return fmt.Sprint(r) }
	if err := walkIndex(ctx, idx.Owner, "owner", func(r sdk.AccAddress) string { return string(r) }, check); err != nil {
		return err
	}
	if err := walkIndex(ctx, idx.Status, "status", number, check); err != nil {
		return err
	}
	if err := walkIndex(ctx, idx.Kind, "kind", number, check); err != nil {
		return err
	}
	if err := walkIndex(ctx, idx.Task, "task", func(r string) string { return r }, check); err != nil {
		return err
	}
	if err := idx.Tag.Keys().Walk(ctx, nil, func(key collections.Pair[string, uint64]) (bool, error) {
		return false, check(indexEntry("tag", key.K1(), key.K2()))
	}); err != nil {
		return err
	}
	if seen != len(want) {
		return fmt.Errorf("listing indexes hold %d entries, the listings need %d", seen, len(want))
	}

	stored := 0
	if err := k.Counts.Walk(ctx, nil, func(key collections.Pair[int32, int32], n uint64) (bool, error) {
		stored++
		if want := counts[[2]int32{key.K1(), key.K2()}]; want != n {
			return true, fmt.Errorf("count of %s/%s is %d, listings: %d",
				types.ListingKind(key.K1()), types.ListingStatus(key.K2()), n, want)
		}
		return false, nil
	}); err != nil {
		return err
	}
	if stored != len(counts) {
		return fmt.Errorf("%d (kind, status) counts stored, listings have %d", stored, len(counts))
	}
	stored = 0
	if err := k.OwnerLiveCount.Walk(ctx, nil, func(owner sdk.AccAddress, n uint64) (bool, error) {
		stored++
		if live[string(owner)] != n {
			return true, fmt.Errorf("live listings of %s: counter %d, listings %d", owner, n, live[string(owner)])
		}
		return false, nil
	}); err != nil {
		return err
	}
	if stored != len(live) {
		return fmt.Errorf("%d owners have a live counter, %d own live listings", stored, len(live))
	}
	return nil
}

// indexEntry names an index entry for CheckIndexes.
func indexEntry(index, ref string, id uint64) string { return fmt.Sprintf("%s/%x/%d", index, ref, id) }

// walkIndex passes each entry of a listing index to check, named by indexEntry.
func walkIndex[R any](ctx context.Context, idx *chainutil.KeptMulti[R, uint64, types.Listing], name string,
	show func(R) string, check func(string) error,
) error {
	return idx.Walk(ctx, nil, func(ref R, id uint64) (bool, error) {
		return false, check(indexEntry(name, show(ref), id))
	})
}

// IndexesInvariant wraps CheckIndexes as an sdk.Invariant.
func IndexesInvariant(k Keeper) sdk.Invariant {
	return chainutil.Invariant(types.ModuleName, "indexes", k.CheckIndexes, "indexes and counters match the listings")
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
	return chainutil.Invariant(types.ModuleName, "holds", k.CheckHolds, "every hold is on an existing listing")
}

// CollateralInvariant wraps CheckCollateral as an sdk.Invariant.
func CollateralInvariant(k Keeper) sdk.Invariant {
	return chainutil.Invariant(types.ModuleName, "collateral", k.CheckCollateral, "module balance equals locked collateral")
}

// RegisterInvariants registers the marketplace invariants.
func RegisterInvariants(ir sdk.InvariantRegistry, k Keeper) {
	ir.RegisterRoute(types.ModuleName, "collateral", CollateralInvariant(k))
	ir.RegisterRoute(types.ModuleName, "holds", HoldsInvariant(k))
	ir.RegisterRoute(types.ModuleName, "indexes", IndexesInvariant(k))
	ir.RegisterRoute(types.ModuleName, "status-history", StatusHistoryInvariant(k))
}
