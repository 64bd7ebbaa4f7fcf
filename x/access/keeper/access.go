package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/access/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// getListing returns the listing, or nil (and no error) when x/marketplace has none with
// that id.
func (k Keeper) getListing(ctx context.Context, id uint64) (*marketplacetypes.Listing, error) {
	l, err := k.marketplaceKeeper.GetListing(ctx, id)
	if err != nil {
		if errors.Is(err, marketplacetypes.ErrListingNotFound) || isNotFound(err) {
			return nil, nil
		}
		return nil, err
	}
	return &l, nil
}

// mustGetListing returns the listing or ErrListingNotFound.
func (k Keeper) mustGetListing(ctx context.Context, id uint64) (marketplacetypes.Listing, error) {
	l, err := k.getListing(ctx, id)
	if err != nil {
		return marketplacetypes.Listing{}, err
	}
	if l == nil {
		return marketplacetypes.Listing{}, errorsmod.Wrapf(types.ErrListingNotFound, "no listing with id %d", id)
	}
	return *l, nil
}

// EligibleStake returns the user's eligible stake: the tokens of its delegations, as
// x/staking's GetDelegatorBonded values them. Tokens being unbonded do not count, so
// undelegating lowers eligibility in the same block.
func (k Keeper) EligibleStake(ctx context.Context, user sdk.AccAddress) (math.Int, error) {
	s, err := k.stakingKeeper.GetDelegatorBonded(ctx, user)
	if err != nil {
		return math.ZeroInt(), err
	}
	if s.IsNil() || s.IsNegative() {
		return math.ZeroInt(), nil
	}
	return s, nil
}

// AllowlistGenerationOf returns the listing's current allowlist generation (0 until the
// listing is first transferred).
func (k Keeper) AllowlistGenerationOf(ctx context.Context, listingID uint64) (uint64, error) {
	g, err := k.AllowlistGeneration.Get(ctx, listingID)
	if isNotFound(err) {
		return 0, nil
	}
	return g, err
}

// IsAllowlisted reports whether user is on the listing's allowlist: its current generation.
func (k Keeper) IsAllowlisted(ctx context.Context, listingID uint64, user sdk.AccAddress) (bool, error) {
	gen, err := k.AllowlistGenerationOf(ctx, listingID)
	if err != nil {
		return false, err
	}
	return k.Allowlist.Has(ctx, collections.Join3(listingID, gen, user))
}

// IsOperator reports whether addr is an operator of the listing.
func (k Keeper) IsOperator(ctx context.Context, listingID uint64, addr sdk.AccAddress) (bool, error) {
	return k.Operators.Has(ctx, collections.Join(listingID, addr))
}

// UsageOn returns the user's usage of the listing on the given UTC day.
func (k Keeper) UsageOn(ctx context.Context, day int64, listingID uint64, user sdk.AccAddress) (types.Usage, error) {
	return getUsage(ctx, k.DailyUsage, collections.Join3(day, listingID, user))
}

// CheckAccess decides whether user may be served one more request by the listing now
// (docs/spec/access.md). A missing listing is a decision (ReasonListingNotFound), not an error.
func (k Keeper) CheckAccess(ctx context.Context, listingID uint64, user sdk.AccAddress) (types.Decision, error) {
	listing, err := k.getListing(ctx, listingID)
	if err != nil {
		return types.Decision{}, err
	}
	stake, err := k.EligibleStake(ctx, user)
	if err != nil {
		return types.Decision{}, err
	}
	if listing == nil {
		return types.Decide(nil, stake, false, 0), nil
	}
	onList, err := k.IsAllowlisted(ctx, listingID, user)
	if err != nil {
		return types.Decision{}, err
	}
	used, err := k.UsageOn(ctx, Today(ctx), listingID, user)
	if err != nil {
		return types.Decision{}, err
	}
	return types.Decide(listing, stake, onList, used.Requests), nil
}

// checkOwner loads the listing and checks that owner signed for it.
func (k Keeper) checkOwner(ctx context.Context, listingID uint64, owner string) (sdk.AccAddress, error) {
	ownerBz, err := k.addressCodec.StringToBytes(owner)
	if err != nil || len(ownerBz) == 0 {
		return nil, errorsmod.Wrapf(types.ErrInvalidAddress, "owner %q", owner)
	}
	listing, err := k.mustGetListing(ctx, listingID)
	if err != nil {
		return nil, err
	}
	listingOwner, err := k.addressCodec.StringToBytes(listing.Owner)
	if err != nil || !sdk.AccAddress(listingOwner).Equals(sdk.AccAddress(ownerBz)) {
		return nil, errorsmod.Wrapf(types.ErrNotOwner, "listing %d is owned by %s, not %s", listingID, listing.Owner, owner)
	}
	return ownerBz, nil
}

// SetOperators replaces the listing's operators with ops (already decoded, unique, within
// max_operators). The old set is bounded by max_operators as it was when set, so clearing it
// is bounded work.
func (k Keeper) SetOperators(ctx context.Context, listingID uint64, ops []sdk.AccAddress) error {
	if _, err := k.clearOperators(ctx, listingID); err != nil {
		return err
	}
	for _, op := range ops {
		if err := k.Operators.Set(ctx, collections.Join(listingID, op)); err != nil {
			return err
		}
	}
	return nil
}

// clearOperators removes the listing's operators and returns them in address byte order.
func (k Keeper) clearOperators(ctx context.Context, listingID uint64) ([]sdk.AccAddress, error) {
	rng := collections.NewPrefixedPairRange[uint64, sdk.AccAddress](listingID)
	var old []sdk.AccAddress
	err := k.Operators.Walk(ctx, rng, func(key collections.Pair[uint64, sdk.AccAddress]) (bool, error) {
		old = append(old, key.K2())
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	for _, op := range old {
		if err := k.Operators.Remove(ctx, collections.Join(listingID, op)); err != nil {
			return nil, err
		}
	}
	return old, nil
}

// GetOperators returns the listing's operators in address byte order.
func (k Keeper) GetOperators(ctx context.Context, listingID uint64) ([]string, error) {
	var out []string
	rng := collections.NewPrefixedPairRange[uint64, sdk.AccAddress](listingID)
	err := k.Operators.Walk(ctx, rng, func(key collections.Pair[uint64, sdk.AccAddress]) (bool, error) {
		s, err := k.addressCodec.BytesToString(key.K2())
		if err != nil {
			return true, err
		}
		out = append(out, s)
		return false, nil
	})
	return out, err
}

// UpdateAllowlist adds then removes users (already decoded, unique, disjoint) in the listing's
// current allowlist generation.
func (k Keeper) UpdateAllowlist(ctx context.Context, listingID uint64, add, remove []sdk.AccAddress) error {
	gen, err := k.AllowlistGenerationOf(ctx, listingID)
	if err != nil {
		return err
	}
	for _, u := range add {
		if err := k.Allowlist.Set(ctx, collections.Join3(listingID, gen, u)); err != nil {
			return err
		}
	}
	for _, u := range remove {
		if err := k.Allowlist.Remove(ctx, collections.Join3(listingID, gen, u)); err != nil {
			return err
		}
	}
	return nil
}

// userBatch is what a MsgRecordUsage reads and writes once per distinct user: the user's
// eligibility, read before its first record, and its day counter, written after the last.
type userBatch struct {
	batchUser      // the user and its records in this message
	loaded    bool // stake, allowed and today have been read
	stake     math.Int
	allowed   bool
	today     types.Usage
}

// RecordUsage validates every record before writing anything, then stores the receipts,
// bumps the day counters and the listing totals, and emits one EventUsageBatchRecorded.
// Each record consumes exactly one request of its user's daily quota (units are counted but
// do not consume quota); a record is checked as CheckAccess would check it, with the earlier
// records of the same message already counted. The first bad record fails the whole message
// with an error naming its index. The records become consecutive receipt ids, in order.
//
// The records are stored as one ReceiptBatch with one listing index entry and one entry per
// distinct user; the receipt sequence, the listing totals and each distinct user's day
// counter are read and written once per message. No key is written per record.
func (k Keeper) RecordUsage(ctx context.Context, operator sdk.AccAddress, listingID uint64, records []types.UsageRecord) ([]uint64, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	if len(records) == 0 || uint64(len(records)) > uint64(params.MaxReceiptsPerMsg) {
		return nil, errorsmod.Wrapf(types.ErrInvalidRecordCount, "got %d records, max_receipts_per_msg is %d", len(records), params.MaxReceiptsPerMsg)
	}
	listing, err := k.mustGetListing(ctx, listingID)
	if err != nil {
		return nil, err
	}
	isOp, err := k.IsOperator(ctx, listingID, operator)
	if err != nil {
		return nil, err
	}
	if !isOp {
		return nil, errorsmod.Wrapf(types.ErrNotOperator, "%s is not an operator of listing %d", operator, listingID)
	}
	if listing.Status != marketplacetypes.ListingStatusActive {
		return nil, errorsmod.Wrapf(types.ErrListingNotActive, "listing %d is %s", listingID, listing.Status)
	}

	day := Today(ctx)
	// Per-user state is read once per message. A user is its address bytes (byAddr): one
	// address may be written as several strings (bech32 is also valid in upper case), and byName
	// only spares decoding a string seen before. The maps are only looked up, never iterated:
	// the writes below follow users, in the order of first appearance.
	byName := map[string]*userBatch{}
	byAddr := map[string]*userBatch{}
	var users []*userBatch
	for i, rec := range records {
		// The record is checked in the documented order: user, CIDs, units, access.
		ub, named := byName[rec.User]
		if !named {
			userBz, err := types.DecodeRecordUser(k.addressCodec, rec.User)
			if err != nil {
				return nil, errorsmod.Wrapf(err, "record %d", i)
			}
			if ub = byAddr[string(userBz)]; ub == nil {
				ub = &userBatch{batchUser: batchUser{addr: userBz}}
				byAddr[string(userBz)] = ub
			}
			byName[rec.User] = ub
		}
		if err := types.ValidateRecordFields(rec); err != nil {
			return nil, errorsmod.Wrapf(err, "record %d", i)
		}
		if rec.Units > params.MaxUnitsPerRecord {
			return nil, errorsmod.Wrapf(types.ErrUnitsTooLarge, "record %d: units %d exceed max_units_per_record %d",
				i, rec.Units, params.MaxUnitsPerRecord)
		}
		if !ub.loaded {
			var err error
			if ub.stake, err = k.EligibleStake(ctx, ub.addr); err != nil {
				return nil, err
			}
			if ub.allowed, err = k.IsAllowlisted(ctx, listingID, ub.addr); err != nil {
				return nil, err
			}
			if ub.today, err = k.UsageOn(ctx, day, listingID, ub.addr); err != nil {
				return nil, err
			}
			ub.loaded = true
			users = append(users, ub)
		}
		d := types.Decide(&listing, ub.stake, ub.allowed, ub.today.Requests)
		if !d.Allowed {
			return nil, errorsmod.Wrapf(types.ErrAccessDenied,
				"record %d: user %s %s (stake %s, required %s, quota %d, used today %d)",
				i, rec.User, d.Reason, d.Stake, d.RequiredStake, d.Quota, d.UsedToday)
		}
		// The counters are statistics: they saturate rather than fail, so no record (however
		// large, within max_units_per_record) can make later usage of the listing unrecordable.
		ub.today = ub.today.Add(types.Usage{Requests: 1, Units: rec.Units})
		ub.records++
	}

	sdkCtx := sdk.UnwrapSDKContext(ctx)
	now := sdkCtx.BlockTime()
	opStr, err := k.addressCodec.BytesToString(operator)
	if err != nil {
		return nil, err
	}
	total, err := getUsage(ctx, k.ListingUsage, listingID)
	if err != nil {
		return nil, err
	}
	last, err := k.ReceiptSeq.Peek(ctx)
	if err != nil {
		return nil, err
	}
	// The sequence holds the last receipt id; ids start at 1.
	batch := types.ReceiptBatch{
		FirstReceiptId: last + 1, ListingId: listingID, Operator: opStr,
		Time: now, Height: sdkCtx.BlockHeight(), Records: records,
	}
	ids := make([]uint64, len(records))
	units := uint64(0)
	for i, rec := range records {
		total = total.Add(types.Usage{Requests: 1, Units: rec.Units})
		units = types.SaturatingAdd(units, rec.Units)
		ids[i] = batch.FirstReceiptId + uint64(i)
	}
	last = ids[len(ids)-1]
	batchUsers := make([]batchUser, len(users))
	for i, ub := range users {
		batchUsers[i] = ub.batchUser
	}
	if err := k.setBatch(ctx, batch, batchUsers); err != nil {
		return nil, err
	}
	if err := k.ReceiptSeq.Set(ctx, last); err != nil {
		return nil, err
	}
	for _, ub := range users {
		if err := k.DailyUsage.Set(ctx, collections.Join3(day, listingID, ub.addr), ub.today); err != nil {
			return nil, err
		}
	}
	if err := k.ListingUsage.Set(ctx, listingID, total); err != nil {
		return nil, err
	}
	if err := sdkCtx.EventManager().EmitTypedEvent(&types.EventUsageBatchRecorded{
		ListingId: listingID, Operator: opStr, FirstReceiptId: batch.FirstReceiptId, LastReceiptId: last,
		Records: uint64(len(ids)), Units: units, Users: uint64(len(users)), Day: day,
	}); err != nil {
		return nil, err
	}
	return ids, nil
}
