package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/access/types"
)

// RegisterInvariants registers the x/access invariants.
func RegisterInvariants(ir sdk.InvariantRegistry, k Keeper) {
	ir.RegisterRoute(types.ModuleName, "receipt-indexes", ReceiptIndexesInvariant(k))
}

// ReceiptIndexesInvariant checks that the two receipt indexes hold exactly one entry per
// receipt and that no receipt id exceeds the sequence.
func ReceiptIndexesInvariant(k Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		msg, broken := "", false
		if err := CheckReceiptIndexes(ctx, k); err != nil {
			msg, broken = err.Error(), true
		}
		return sdk.FormatInvariant(types.ModuleName, "receipt-indexes", msg), broken
	}
}

// CheckReceiptIndexes is the invariant as a plain function tests call. It walks every
// receipt, so the chain never runs it in a block: test chains and simulations run it after
// every block, and `baid q invariants` on demand.
func CheckReceiptIndexes(ctx context.Context, k Keeper) error {
	last, err := k.ReceiptSeq.Peek(ctx)
	if err != nil {
		return err
	}
	// The IndexedMap (and insertReceipt) keep both indexes; read them back as key sets.
	byListing, byUser := k.receiptEntries.byListing, k.receiptEntries.byUser
	n := 0
	err = k.Receipts.Walk(ctx, nil, func(id uint64, r types.Receipt) (bool, error) {
		n++
		if id > last {
			return true, fmt.Errorf("receipt %d above the sequence %d", id, last)
		}
		user, err := k.addressCodec.StringToBytes(r.User)
		if err != nil {
			return true, err
		}
		checks := []struct {
			name string
			has  func() (bool, error)
		}{
			{"receipts_by_listing", func() (bool, error) { return byListing.Has(ctx, collections.Join(r.ListingId, id)) }},
			{"receipts_by_listing_user", func() (bool, error) {
				return byUser.Has(ctx, collections.Join(collections.Join(r.ListingId, sdk.AccAddress(user)), id))
			}},
		}
		for _, c := range checks {
			ok, err := c.has()
			if err != nil {
				return true, err
			}
			if !ok {
				return true, fmt.Errorf("receipt %d missing from %s", id, c.name)
			}
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	counts := []struct {
		name  string
		count func() (int, error)
	}{
		{"receipts_by_listing", func() (int, error) { return countKeys(ctx, byListing) }},
		{"receipts_by_listing_user", func() (int, error) { return countKeys(ctx, byUser) }},
	}
	for _, c := range counts {
		got, err := c.count()
		if err != nil {
			return err
		}
		if got != n {
			return fmt.Errorf("%s has %d entries for %d receipts", c.name, got, n)
		}
	}
	return nil
}

// countKeys counts a key set's entries.
func countKeys[K any](ctx context.Context, s collections.KeySet[K]) (int, error) {
	n := 0
	err := s.Walk(ctx, nil, func(K) (bool, error) { n++; return false, nil })
	return n, err
}
