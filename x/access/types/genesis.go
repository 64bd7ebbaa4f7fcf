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

// Validate checks the genesis: receipts (unique ids ≤ last_receipt_id, valid records),
// operators and allowlists (one entry per listing, unique valid addresses, operators within
// max_operators), day counters and totals (one per key), then the params.
func (gs GenesisState) Validate() error {
	ac := addresscodec.NewBech32Codec(sdk.GetConfig().GetBech32AccountAddrPrefix())
	seenReceipt := make(map[uint64]struct{}, len(gs.Receipts))
	for i, r := range gs.Receipts {
		if r.Id == 0 || r.Id > gs.LastReceiptId {
			return errorsmod.Wrapf(ErrInvalidGenesis, "receipts[%d]: id %d must be 1..last_receipt_id (%d)", i, r.Id, gs.LastReceiptId)
		}
		if _, dup := seenReceipt[r.Id]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "receipts[%d]: duplicate id %d", i, r.Id)
		}
		seenReceipt[r.Id] = struct{}{}
		if r.ListingId == 0 {
			return errorsmod.Wrapf(ErrInvalidGenesis, "receipts[%d]: listing_id must be >= 1", i)
		}
		if _, err := ac.StringToBytes(r.Operator); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "receipts[%d]: operator %q: %v", i, r.Operator, err)
		}
		rec := UsageRecord{User: r.User, RequestCid: r.RequestCid, ResponseCid: r.ResponseCid, Units: r.Units}
		if _, err := ValidateRecord(ac, rec); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "receipts[%d]: %v", i, err)
		}
	}
	seenOps := make(map[uint64]struct{}, len(gs.Operators))
	for i, o := range gs.Operators {
		if _, dup := seenOps[o.ListingId]; dup || o.ListingId == 0 {
			return errorsmod.Wrapf(ErrInvalidGenesis, "operators[%d]: listing_id %d is 0 or repeated", i, o.ListingId)
		}
		seenOps[o.ListingId] = struct{}{}
		if uint64(len(o.Operators)) > uint64(gs.Params.MaxOperators) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "operators[%d]: %d operators, max_operators is %d", i, len(o.Operators), gs.Params.MaxOperators)
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
