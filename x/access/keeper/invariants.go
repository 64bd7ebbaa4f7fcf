package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/access/types"
)

// RegisterInvariants registers the x/access invariants.
func RegisterInvariants(ir sdk.InvariantRegistry, k Keeper) {
	ir.RegisterRoute(types.ModuleName, "receipt-indexes", ReceiptIndexesInvariant(k))
}

// ReceiptIndexesInvariant checks that the receipt batches do not overlap, that no receipt id
// exceeds the sequence, and that the two batch indexes hold exactly one entry per batch (by
// listing) and per distinct user of a batch (by listing and user), each counting its records.
func ReceiptIndexesInvariant(k Keeper) sdk.Invariant {
	return chainutil.Invariant(types.ModuleName, "receipt-indexes",
		func(ctx context.Context) error { return CheckReceiptIndexes(ctx, k) }, "")
}

// CheckReceiptIndexes is the invariant as a plain function tests call. It walks every
// batch, so the chain never runs it in a block: test chains and simulations run it after
// every block, and `baid q invariants` on demand.
func CheckReceiptIndexes(ctx context.Context, k Keeper) error {
	seq, err := k.ReceiptSeq.Peek(ctx)
	if err != nil {
		return err
	}
	batches, userEntries := 0, 0
	prevLast := uint64(0)
	err = k.ReceiptBatches.Walk(ctx, nil, func(id uint64, b types.ReceiptBatch) (bool, error) {
		batches++
		if id != b.FirstReceiptId || len(b.Records) == 0 {
			return true, fmt.Errorf("batch stored under %d has first_receipt_id %d and %d records", id, b.FirstReceiptId, len(b.Records))
		}
		if id <= prevLast {
			return true, fmt.Errorf("batch %d overlaps the batch before, which ends at %d", id, prevLast)
		}
		prevLast = lastReceiptID(b)
		if prevLast > seq || prevLast < id {
			return true, fmt.Errorf("batch %d: receipts up to %d, above the sequence %d", id, prevLast, seq)
		}
		n, err := k.BatchesByListing.Get(ctx, collections.Join(b.ListingId, id))
		if err != nil {
			return true, fmt.Errorf("batch %d: receipt_batches_by_listing: %w", id, err)
		}
		if n != uint64(len(b.Records)) {
			return true, fmt.Errorf("batch %d: receipt_batches_by_listing counts %d records, the batch has %d", id, n, len(b.Records))
		}
		users, err := k.batchUsers(b)
		if err != nil {
			return true, err
		}
		for _, u := range users {
			n, err := k.BatchesByUser.Get(ctx, collections.Join(collections.Join(b.ListingId, u.addr), id))
			if err != nil {
				return true, fmt.Errorf("batch %d: receipt_batches_by_listing_user %s: %w", id, u.addr, err)
			}
			if n != u.records {
				return true, fmt.Errorf("batch %d: receipt_batches_by_listing_user %s counts %d records, the batch has %d", id, u.addr, n, u.records)
			}
		}
		userEntries += len(users)
		return false, nil
	})
	if err != nil {
		return err
	}
	counts := []struct {
		name  string
		want  int
		count func() (int, error)
	}{
		{"receipt_batches_by_listing", batches, func() (int, error) { return countEntries(ctx, k.BatchesByListing) }},
		{"receipt_batches_by_listing_user", userEntries, func() (int, error) { return countEntries(ctx, k.BatchesByUser) }},
	}
	for _, c := range counts {
		got, err := c.count()
		if err != nil {
			return err
		}
		if got != c.want {
			return fmt.Errorf("%s has %d entries, the batches need %d", c.name, got, c.want)
		}
	}
	return nil
}

// countEntries counts a map's entries.
func countEntries[K any](ctx context.Context, m collections.Map[K, uint64]) (int, error) {
	n := 0
	err := m.Walk(ctx, nil, func(K, uint64) (bool, error) { n++; return false, nil })
	return n, err
}
