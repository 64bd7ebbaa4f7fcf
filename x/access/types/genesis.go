package types

import (
	errorsmod "cosmossdk.io/errors"

	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// DefaultGenesisState returns the default genesis: default params and no state.
func DefaultGenesisState() *GenesisState {
	return &GenesisState{Params: DefaultParams()}
}

// Validate checks the genesis: receipt batches (in id order, not overlapping, ids ≤
// last_receipt_id, valid records),
// operators and allowlists (one entry per listing, unique valid addresses, operators within
// max_operators), day counters and totals (one per key), then the params.
func (gs GenesisState) Validate() error {
	ac := addresscodec.NewBech32Codec(sdk.GetConfig().GetBech32AccountAddrPrefix())
	prevLast := uint64(0) // the last receipt id of the batch before
	for i, b := range gs.ReceiptBatches {
		if b.FirstReceiptId == 0 || (i > 0 && b.FirstReceiptId <= prevLast) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "receipt_batches[%d]: first_receipt_id %d must be >= 1 and above the batch before's last receipt (%d): batches are in id order and do not overlap", i, b.FirstReceiptId, prevLast)
		}
		// max_receipts_per_msg bounds a batch when it is written (governance may lower it below
		// batches written earlier), and pruning deletes a due batch in one block: the genesis
		// bound is the highest value.
		if len(b.Records) == 0 || len(b.Records) > int(MaxMaxReceiptsPerMsg) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "receipt_batches[%d]: %d records, 1 to %d", i, len(b.Records), MaxMaxReceiptsPerMsg)
		}
		last := b.FirstReceiptId + uint64(len(b.Records)) - 1
		if last < b.FirstReceiptId || last > gs.LastReceiptId {
			return errorsmod.Wrapf(ErrInvalidGenesis, "receipt_batches[%d]: receipts %d..%d must be within 1..last_receipt_id (%d)", i, b.FirstReceiptId, last, gs.LastReceiptId)
		}
		prevLast = last
		if b.ListingId == 0 {
			return errorsmod.Wrapf(ErrInvalidGenesis, "receipt_batches[%d]: listing_id must be >= 1", i)
		}
		if _, err := ac.StringToBytes(b.Operator); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "receipt_batches[%d]: operator %q: %v", i, b.Operator, err)
		}
		for j, rec := range b.Records {
			if _, err := ValidateRecord(ac, rec); err != nil {
				return errorsmod.Wrapf(ErrInvalidGenesis, "receipt_batches[%d]: record %d: %v", i, j, err)
			}
		}
	}
	seenOps := make(map[uint64]struct{}, len(gs.Operators))
	for i, o := range gs.Operators {
		if _, dup := seenOps[o.ListingId]; dup || o.ListingId == 0 {
			return errorsmod.Wrapf(ErrInvalidGenesis, "operators[%d]: listing_id %d is 0 or repeated", i, o.ListingId)
		}
		seenOps[o.ListingId] = struct{}{}
		// max_operators bounds a set when it is written: governance may lower it below sets
		// written earlier, which stay as they are, so the genesis bound is the highest value.
		if uint64(len(o.Operators)) > uint64(MaxMaxOperators) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "operators[%d]: %d operators, at most %d", i, len(o.Operators), MaxMaxOperators)
		}
		if _, err := DecodeAddresses(ac, "operators", o.Operators); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "operators[%d]: %v", i, err)
		}
	}
	seenAllow := make(map[uint64]struct{}, len(gs.Allowlists))
	for i, a := range gs.Allowlists {
		if _, dup := seenAllow[a.ListingId]; dup || a.ListingId == 0 {
			return errorsmod.Wrapf(ErrInvalidGenesis, "allowlists[%d]: listing_id %d is 0 or repeated", i, a.ListingId)
		}
		seenAllow[a.ListingId] = struct{}{}
		if _, err := DecodeAddresses(ac, "users", a.Users); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "allowlists[%d]: %v", i, err)
		}
	}
	type dayKey struct {
		day     int64
		listing uint64
		user    string
	}
	seenDay := make(map[dayKey]struct{}, len(gs.DailyUsage))
	for i, d := range gs.DailyUsage {
		user, err := ac.StringToBytes(d.User)
		if err != nil || len(user) == 0 {
			return errorsmod.Wrapf(ErrInvalidGenesis, "daily_usage[%d]: user %q is not a valid address", i, d.User)
		}
		k := dayKey{d.Day, d.ListingId, string(user)}
		if _, dup := seenDay[k]; dup || d.ListingId == 0 {
			return errorsmod.Wrapf(ErrInvalidGenesis, "daily_usage[%d]: listing_id 0 or repeated (day, listing, user)", i)
		}
		seenDay[k] = struct{}{}
	}
	seenTotals := make(map[uint64]struct{}, len(gs.ListingUsage))
	for i, t := range gs.ListingUsage {
		if _, dup := seenTotals[t.ListingId]; dup || t.ListingId == 0 {
			return errorsmod.Wrapf(ErrInvalidGenesis, "listing_usage[%d]: listing_id %d is 0 or repeated", i, t.ListingId)
		}
		seenTotals[t.ListingId] = struct{}{}
	}
	if err := gs.Params.Validate(); err != nil {
		return errorsmod.Wrapf(ErrInvalidGenesis, "params: %v", err)
	}
	return nil
}
