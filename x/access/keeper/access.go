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
	rng := collections.NewPrefixedPairRange[uint64, sdk.AccAddress](listingID)
	var old []collections.Pair[uint64, sdk.AccAddress]
	err := k.Operators.Walk(ctx, rng, func(key collections.Pair[uint64, sdk.AccAddress]) (bool, error) {
		old = append(old, key)
		return false, nil
	})
	if err != nil {
		return err
	}
	for _, key := range old {
		if err := k.Operators.Remove(ctx, key); err != nil {
			return err
		}
	}
	for _, op := range ops {
		if err := k.Operators.Set(ctx, collections.Join(listingID, op)); err != nil {
			return err
		}
	}
	return nil
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

// checkedRecord is a validated record with its decoded user and access decision.
type checkedRecord struct {
	rec      types.UsageRecord
	user     sdk.AccAddress
	decision types.Decision
}

// RecordUsage validates every record before writing anything, then stores the receipts,
// bumps the day counters and the listing totals, and emits one EventUsageRecorded per record.
// Each record consumes exactly one request of its user's daily quota (units are counted but
// do not consume quota); a record is checked as CheckAccess would check it, with the earlier
// records of the same message already counted. The first bad record fails the whole message
// with an error naming its index.
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
	// Per-user state read once per message; the maps are only looked up, never iterated.
	stakes := map[string]math.Int{}
	allowed := map[string]bool{}
	used := map[string]uint64{}
	checked := make([]checkedRecord, len(records))
	for i, rec := range records {
		userBz, err := types.ValidateRecord(k.addressCodec, rec)
		if err != nil {
			return nil, errorsmod.Wrapf(err, "record %d", i)
		}
		if rec.Units > params.MaxUnitsPerRecord {
			return nil, errorsmod.Wrapf(types.ErrUnitsTooLarge, "record %d: units %d exceed max_units_per_record %d",
				i, rec.Units, params.MaxUnitsPerRecord)
		}
		user := sdk.AccAddress(userBz)
		key := string(userBz)
		stake, ok := stakes[key]
		if !ok {
			if stake, err = k.EligibleStake(ctx, user); err != nil {
				return nil, err
			}
			stakes[key] = stake
			if allowed[key], err = k.IsAllowlisted(ctx, listingID, user); err != nil {
				return nil, err
			}
			u, err := k.UsageOn(ctx, day, listingID, user)
			if err != nil {
				return nil, err
			}
			used[key] = u.Requests
		}
		d := types.Decide(&listing, stake, allowed[key], used[key])
		if !d.Allowed {
			return nil, errorsmod.Wrapf(types.ErrAccessDenied,
				"record %d: user %s %s (stake %s, required %s, quota %d, used today %d)",
				i, rec.User, d.Reason, d.Stake, d.RequiredStake, d.Quota, d.UsedToday)
		}
		used[key] = types.SaturatingAdd(used[key], 1)
		d.UsedToday = used[key]
		checked[i] = checkedRecord{rec: rec, user: user, decision: d}
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
	ids := make([]uint64, 0, len(checked))
	for _, c := range checked {
		// The counters are statistics: they saturate rather than fail, so no record (however
		// large, within max_units_per_record) can make later usage of the listing unrecordable.
		one := types.Usage{Requests: 1, Units: c.rec.Units}
		total = total.Add(one)
		dayKey := collections.Join3(day, listingID, c.user)
		du, err := getUsage(ctx, k.DailyUsage, dayKey)
		if err != nil {
			return nil, err
		}
		if err := k.DailyUsage.Set(ctx, dayKey, du.Add(one)); err != nil {
			return nil, err
		}
		id, err := k.ReceiptSeq.Next(ctx)
		if err != nil {
			return nil, err
		}
		id++ // the sequence starts at 0; receipt ids start at 1
		receipt := types.Receipt{
			Id: id, ListingId: listingID, Operator: opStr, User: c.rec.User,
			RequestCid: c.rec.RequestCid, ResponseCid: c.rec.ResponseCid, Units: c.rec.Units,
			Time: now, Height: sdkCtx.BlockHeight(),
		}
		if err := k.setReceipt(ctx, receipt); err != nil {
			return nil, err
		}
		ids = append(ids, id)
		// The same event EmitTypedEvent would emit, built without its JSON round trip.
		ev := types.EventUsageRecorded{
			ReceiptId: id, ListingId: listingID, Operator: opStr, User: c.rec.User,
			RequestCid: c.rec.RequestCid, ResponseCid: c.rec.ResponseCid, Units: c.rec.Units,
			Day: day, UsedToday: c.decision.UsedToday, Quota: c.decision.Quota, Unlimited: c.decision.Unlimited,
		}
		sdkCtx.EventManager().EmitEvent(sdk.Event(ev.ToEvent()))
	}
	if err := k.ListingUsage.Set(ctx, listingID, total); err != nil {
		return nil, err
	}
	return ids, nil
}

// setReceipt stores a receipt (the IndexedMap keeps its two indexes) and its pruning queue entry.
func (k Keeper) setReceipt(ctx context.Context, r types.Receipt) error {
	if err := k.Receipts.Set(ctx, r.Id, r); err != nil {
		return err
	}
	return k.ReceiptQueue.Set(ctx, collections.Join(r.Time.Unix(), r.Id))
}

// removeReceipt deletes a receipt (and its index entries) and its queue entry.
func (k Keeper) removeReceipt(ctx context.Context, r types.Receipt) error {
	if err := k.Receipts.Remove(ctx, r.Id); err != nil {
		return err
	}
	return k.ReceiptQueue.Remove(ctx, collections.Join(r.Time.Unix(), r.Id))
}
