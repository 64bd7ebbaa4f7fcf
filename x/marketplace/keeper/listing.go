package keeper

import (
	"context"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/marketplace/types"
)

// maxComponentGraphNodes bounds the defensive cycle search at registration.
const maxComponentGraphNodes = 4096

// GetListing returns a listing, or ErrListingNotFound.
func (k Keeper) GetListing(ctx context.Context, id uint64) (types.Listing, error) {
	l, err := k.Listings.Get(ctx, id)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return types.Listing{}, errorsmod.Wrapf(types.ErrListingNotFound, "no listing with id %d", id)
	}
	return l, err
}

// ownedInStatus loads listing id, checks that ownerAddr owns it and that its status allows
// action, and returns the owner's canonical address with the listing.
func (k Keeper) ownedInStatus(ctx context.Context, ownerAddr sdk.AccAddress, id uint64, action string, allowed ...types.ListingStatus) (string, types.Listing, error) {
	owner, err := chainutil.AddressString(k.addressCodec, ownerAddr, types.ErrInvalidAddress)
	if err != nil {
		return "", types.Listing{}, err
	}
	l, err := k.ownedListing(ctx, id, owner)
	if err != nil {
		return "", types.Listing{}, err
	}
	return owner, l, requireStatus(l, action, allowed...)
}

// ownedListing loads a listing and checks that owner (canonical) owns it.
func (k Keeper) ownedListing(ctx context.Context, id uint64, owner string) (types.Listing, error) {
	l, err := k.GetListing(ctx, id)
	if err != nil {
		return l, err
	}
	if l.Owner != owner {
		return l, errorsmod.Wrapf(types.ErrNotOwner, "listing %d is owned by %s, not %s", id, l.Owner, owner)
	}
	return l, nil
}

// requireStatus refuses the action unless the listing is in one of the allowed states.
func requireStatus(l types.Listing, action string, allowed ...types.ListingStatus) error {
	for _, s := range allowed {
		if l.Status == s {
			return nil
		}
	}
	return errorsmod.Wrapf(types.ErrInvalidStatus, "cannot %s listing %d: it is %s", action, l.Id, l.Status)
}

// checkUbai refuses a non-positive or non-ubai amount.
func checkUbai(field string, c sdk.Coin) error {
	if c.Denom != types.CollateralDenom {
		return errorsmod.Wrapf(types.ErrInvalidAmount, "%s must be in %s, got %q", field, types.CollateralDenom, c.Denom)
	}
	if c.Amount.IsNil() || !c.Amount.IsPositive() {
		return errorsmod.Wrapf(types.ErrInvalidAmount, "%s must be positive, got %s", field, c)
	}
	return nil
}

// checkComponents checks an agent's components against state: at most max_components,
// each existing and ACTIVE, and no cycle through newID.
//
// Cycles are impossible by construction: components are fixed at registration and
// must already exist, so every edge points to a smaller id. The bounded search below
// guards that property defensively (e.g. against a hand-edited genesis).
func (k Keeper) checkComponents(ctx context.Context, params types.Params, newID uint64, components []uint64) error {
	if uint64(len(components)) > params.MaxComponents {
		return errorsmod.Wrapf(types.ErrInvalidComponents, "an agent may compose at most %d listings, got %d", params.MaxComponents, len(components))
	}
	for _, c := range components {
		l, err := k.GetListing(ctx, c)
		if err != nil {
			if errorsmod.IsOf(err, types.ErrListingNotFound) {
				return errorsmod.Wrapf(types.ErrInvalidComponents, "component %d does not exist", c)
			}
			return err
		}
		if l.Status != types.ListingStatusActive {
			return errorsmod.Wrapf(types.ErrInvalidComponents, "component %d is %s; components must be ACTIVE", c, l.Status)
		}
	}
	return k.checkAcyclic(ctx, newID, components)
}

// checkAcyclic walks the composition graph below components (depth first, each node
// once, at most maxComponentGraphNodes nodes) and refuses a path back to newID or a
// cycle among existing listings.
func (k Keeper) checkAcyclic(ctx context.Context, newID uint64, components []uint64) error {
	const (
		onPath = 1
		done   = 2
	)
	state := map[uint64]uint8{newID: onPath}
	visited := 0
	var visit func(id uint64) error
	visit = func(id uint64) error {
		switch state[id] {
		case onPath:
			return errorsmod.Wrapf(types.ErrInvalidComponents, "composing listing %d would create a cycle", id)
		case done:
			return nil
		}
		visited++
		if visited > maxComponentGraphNodes {
			return errorsmod.Wrapf(types.ErrInvalidComponents, "the composition graph below this agent exceeds %d listings", maxComponentGraphNodes)
		}
		state[id] = onPath
		l, err := k.Listings.Get(ctx, id)
		if err != nil && !errorsmod.IsOf(err, collections.ErrNotFound) {
			return err
		}
		for _, c := range l.Components {
			if err := visit(c); err != nil {
				return err
			}
		}
		state[id] = done
		return nil
	}
	for _, c := range components {
		if err := visit(c); err != nil {
			return err
		}
	}
	return nil
}

// checkMinCollateral refuses collateral not in ubai or below the kind's minimum.
func checkMinCollateral(params types.Params, kind types.ListingKind, c sdk.Coin) error {
	if c.Denom != types.CollateralDenom {
		return errorsmod.Wrapf(types.ErrInvalidCollateral, "collateral must be in %s, got %q", types.CollateralDenom, c.Denom)
	}
	minimum := params.MinCollateral(kind)
	if c.Amount.IsNil() || c.Amount.LT(minimum.Amount) {
		return errorsmod.Wrapf(types.ErrInvalidCollateral, "collateral %s is below the minimum %s for %s", c, minimum, types.KindLabel(kind))
	}
	return nil
}

// RegisterListing validates and stores a new listing owned by ownerAddr, locks its
// collateral in the module account and burns the registration fee. l carries the listing's
// own fields (kind, name, description, task, tags, endpoint, metadata, version, collateral,
// access, components); id, owner, status and times are set here. Every check runs before any
// state or balance changes.
func (k Keeper) RegisterListing(ctx context.Context, ownerAddr sdk.AccAddress, l types.Listing) (uint64, error) {
	owner, err := chainutil.AddressString(k.addressCodec, ownerAddr, types.ErrInvalidAddress)
	if err != nil {
		return 0, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return 0, err
	}
	now := sdk.UnwrapSDKContext(ctx).BlockTime().UTC()
	l.Id, l.Owner, l.Status, l.CreatedAt, l.UpdatedAt, l.StatusChangedAt = 0, owner, types.ListingStatusActive, now, now, now
	if err := types.ValidateListingFields(&l); err != nil {
		return 0, err
	}
	if err := checkMinCollateral(params, l.Kind, l.Collateral); err != nil {
		return 0, err
	}
	live, err := k.ownerLive(ctx, ownerAddr)
	if err != nil {
		return 0, err
	}
	if live >= params.MaxListingsPerOwner {
		return 0, errorsmod.Wrapf(types.ErrOwnerLimit, "%s already has %d live listings, the maximum; retire one first", owner, live)
	}
	if l.Kind == types.ListingKindAgent {
		// The id the listing will get names it in the defensive cycle search.
		next, err := k.ListingSeq.Peek(ctx)
		if err != nil {
			return 0, err
		}
		if err := k.checkComponents(ctx, params, max(next, 1), l.Components); err != nil {
			return 0, err
		}
	}

	fee := params.RegistrationFee
	// Collateral and fee are both ubai: their sum is one amount, which may not fit in 256 bits
	// for a collateral no account could hold.
	if _, err := l.Collateral.Amount.SafeAdd(fee.Amount); err != nil {
		return 0, errorsmod.Wrapf(types.ErrInvalidCollateral, "collateral %s plus the registration fee %s is more than any account can hold", l.Collateral, fee)
	}
	if err := k.bankKeeper.SendCoinsFromAccountToModule(ctx, ownerAddr, types.ModuleName, sdk.NewCoins(l.Collateral).Add(fee)); err != nil {
		return 0, errorsmod.Wrapf(err, "paying collateral %s and registration fee %s", l.Collateral, fee)
	}
	if fee.IsPositive() {
		if err := k.bankKeeper.BurnCoins(ctx, types.ModuleName, sdk.NewCoins(fee)); err != nil {
			return 0, err
		}
		if err := k.addBurned(ctx, k.BurnedRegistrationFees, fee.Amount); err != nil {
			return 0, err
		}
	}
	id, err := k.nextListingID(ctx)
	if err != nil {
		return 0, err
	}
	l.Id = id
	if err := k.setListing(ctx, nil, l); err != nil {
		return 0, err
	}
	return id, sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventListingRegistered{
		Id: id, Kind: l.Kind, Owner: owner, Task: l.Task, Collateral: l.Collateral, FeeBurned: fee, Components: l.Components,
	})
}

// nextListingID draws the next id; ids start at 1 even if genesis never set the sequence.
func (k Keeper) nextListingID(ctx context.Context) (uint64, error) {
	id, err := k.ListingSeq.Next(ctx)
	if err == nil && id == 0 {
		id, err = k.ListingSeq.Next(ctx)
	}
	return id, err
}

// ListingUpdate holds the mutable fields of a listing (MsgUpdateListing).
type ListingUpdate struct {
	Description, Task, Endpoint, MetadataCid, Version string
	Tags                                              []string
	Access                                            types.AccessPolicy
}

// UpdateListing replaces the mutable fields of a listing (owner only; not RETIRED or
// SUSPENDED).
func (k Keeper) UpdateListing(ctx context.Context, ownerAddr sdk.AccAddress, id uint64, u ListingUpdate) error {
	owner, old, err := k.ownedInStatus(ctx, ownerAddr, id, "update", types.ListingStatusActive, types.ListingStatusPaused, types.ListingStatusRetiring)
	if err != nil {
		return err
	}
	if err := types.ValidateMutableFields(u.Description, u.Task, u.Tags, u.Endpoint, u.MetadataCid, u.Version, u.Access); err != nil {
		return err
	}
	l := old
	l.Description, l.Task, l.Tags = u.Description, u.Task, u.Tags
	l.Endpoint, l.MetadataCid, l.Version, l.Access = u.Endpoint, u.MetadataCid, u.Version, u.Access
	l.UpdatedAt = sdk.UnwrapSDKContext(ctx).BlockTime().UTC()
	if err := k.setListing(ctx, &old, l); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventListingUpdated{Id: l.Id, Owner: owner})
}

// DepositCollateral adds ubai collateral to a listing that is ACTIVE or PAUSED.
func (k Keeper) DepositCollateral(ctx context.Context, ownerAddr sdk.AccAddress, id uint64, amount sdk.Coin) error {
	if err := checkUbai("amount", amount); err != nil {
		return err
	}
	owner, old, err := k.ownedInStatus(ctx, ownerAddr, id, "deposit collateral to", types.ListingStatusActive, types.ListingStatusPaused)
	if err != nil {
		return err
	}
	if err := k.bankKeeper.SendCoinsFromAccountToModule(ctx, ownerAddr, types.ModuleName, sdk.NewCoins(amount)); err != nil {
		return err
	}
	l := old
	l.Collateral = l.Collateral.Add(amount)
	l.UpdatedAt = sdk.UnwrapSDKContext(ctx).BlockTime().UTC()
	if err := k.setListing(ctx, &old, l); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventCollateralDeposited{
		Id: l.Id, Owner: owner, Amount: amount, Collateral: l.Collateral,
	})
}

// WithdrawCollateral returns collateral above the kind's minimum to the owner of an
// ACTIVE or PAUSED listing whose collateral is not held (no open flag or slash proposal).
func (k Keeper) WithdrawCollateral(ctx context.Context, ownerAddr sdk.AccAddress, id uint64, amount sdk.Coin) error {
	if err := checkUbai("amount", amount); err != nil {
		return err
	}
	owner, old, err := k.ownedInStatus(ctx, ownerAddr, id, "withdraw collateral from", types.ListingStatusActive, types.ListingStatusPaused)
	if err != nil {
		return err
	}
	held, err := k.IsHeld(ctx, old.Id)
	if err != nil {
		return err
	}
	if held {
		return errorsmod.Wrapf(types.ErrCollateralFrozen,
			"collateral of listing %d is frozen while a flag or slash proposal is open", old.Id)
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	minimum := params.MinCollateral(old.Kind)
	excess := old.Collateral.Amount.Sub(minimum.Amount)
	if amount.Amount.GT(excess) {
		if excess.IsNegative() {
			excess = math.ZeroInt()
		}
		return errorsmod.Wrapf(types.ErrWithdrawBelowMinimum,
			"withdrawing %s from collateral %s would leave less than the minimum %s for %s; at most %s%s can be withdrawn",
			amount, old.Collateral, minimum, types.KindLabel(old.Kind), excess, types.CollateralDenom)
	}
	if err := k.bankKeeper.SendCoinsFromModuleToAccount(ctx, types.ModuleName, ownerAddr, sdk.NewCoins(amount)); err != nil {
		return err
	}
	l := old
	l.Collateral = l.Collateral.Sub(amount)
	l.UpdatedAt = sdk.UnwrapSDKContext(ctx).BlockTime().UTC()
	if err := k.setListing(ctx, &old, l); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventCollateralWithdrawn{
		Id: l.Id, Owner: owner, Amount: amount, Collateral: l.Collateral,
	})
}

// PauseListing moves an ACTIVE listing to PAUSED.
func (k Keeper) PauseListing(ctx context.Context, ownerAddr sdk.AccAddress, id uint64) error {
	owner, old, err := k.ownedInStatus(ctx, ownerAddr, id, "pause", types.ListingStatusActive)
	if err != nil {
		return err
	}
	if err := k.setStatus(ctx, old, types.ListingStatusPaused, time.Time{}); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventListingPaused{Id: id, Owner: owner})
}

// ResumeListing moves a PAUSED listing back to ACTIVE.
func (k Keeper) ResumeListing(ctx context.Context, ownerAddr sdk.AccAddress, id uint64) error {
	owner, old, err := k.ownedInStatus(ctx, ownerAddr, id, "resume", types.ListingStatusPaused)
	if err != nil {
		return err
	}
	if err := k.setStatus(ctx, old, types.ListingStatusActive, time.Time{}); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventListingResumed{Id: id, Owner: owner})
}

// RetireListing moves an ACTIVE or PAUSED listing to RETIRING and queues its collateral
// for return after unlock_period.
func (k Keeper) RetireListing(ctx context.Context, ownerAddr sdk.AccAddress, id uint64) error {
	owner, old, err := k.ownedInStatus(ctx, ownerAddr, id, "retire", types.ListingStatusActive, types.ListingStatusPaused)
	if err != nil {
		return err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	unlockAt := chainutil.WholeSecond(sdk.UnwrapSDKContext(ctx).BlockTime().UTC().Add(params.UnlockPeriod))
	if err := k.UnlockQueue.Set(ctx, chainutil.QueueKeyAt(unlockAt, id)); err != nil {
		return err
	}
	if err := k.setStatus(ctx, old, types.ListingStatusRetiring, unlockAt); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventListingRetiring{Id: id, Owner: owner, UnlockAt: unlockAt})
}

// setStatus changes a listing's status (and unlock time when non-zero).
func (k Keeper) setStatus(ctx context.Context, old types.Listing, status types.ListingStatus, unlockAt time.Time) error {
	l := old
	l.Status = status
	if !unlockAt.IsZero() {
		l.UnlockAt = unlockAt
	}
	l.UpdatedAt = sdk.UnwrapSDKContext(ctx).BlockTime().UTC()
	l.StatusChangedAt = l.UpdatedAt
	return k.setListing(ctx, &old, l)
}

// TransferListing gives a listing to newOwner, who must be a valid address allowed to
// receive funds and under its live-listing limit. RETIRED and SUSPENDED listings
// cannot be transferred. The hooks' AfterListingTransferred runs last; its error fails
// the transfer.
func (k Keeper) TransferListing(ctx context.Context, ownerAddr, newOwnerAddr sdk.AccAddress, id uint64) error {
	owner, err := chainutil.AddressString(k.addressCodec, ownerAddr, types.ErrInvalidAddress)
	if err != nil {
		return err
	}
	newOwner, err := chainutil.AddressString(k.addressCodec, newOwnerAddr, types.ErrInvalidAddress)
	if err != nil {
		return err
	}
	if newOwner == owner {
		return errorsmod.Wrapf(types.ErrInvalidAddress, "new_owner %s is already the owner", newOwner)
	}
	if k.bankKeeper.BlockedAddr(newOwnerAddr) {
		return errorsmod.Wrapf(types.ErrInvalidAddress, "new_owner %s may not receive funds, so collateral could never be returned", newOwner)
	}
	old, err := k.ownedListing(ctx, id, owner)
	if err != nil {
		return err
	}
	if err := requireStatus(old, "transfer", types.ListingStatusActive, types.ListingStatusPaused, types.ListingStatusRetiring); err != nil {
		return err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	live, err := k.ownerLive(ctx, newOwnerAddr)
	if err != nil {
		return err
	}
	if live >= params.MaxListingsPerOwner {
		return errorsmod.Wrapf(types.ErrOwnerLimit, "new owner %s already has %d live listings, the maximum", newOwner, live)
	}
	l := old
	l.Owner = newOwner
	l.UpdatedAt = sdk.UnwrapSDKContext(ctx).BlockTime().UTC()
	if err := k.setListing(ctx, &old, l); err != nil {
		return err
	}
	if k.hooks != nil {
		if err := k.hooks.AfterListingTransferred(ctx, l.Id, ownerAddr, newOwnerAddr); err != nil {
			return err
		}
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventListingTransferred{Id: l.Id, From: owner, To: newOwner})
}

// SlashAndSuspend takes fraction (in (0, 1]) of base, capped at the collateral left, from
// a listing's collateral, sends it to the destination module account (burns it when
// destination is ""), suspends the listing and queues the unslashed rest for return after
// unlock_period (it still waits for any remaining hold). base is the listing's collateral
// (ubai) when the flag or slash proposal was opened, as Hold returned it, so that deposits
// made since do not raise the slash. Any listing that is not already RETIRED or SUSPENDED
// may be slashed. It is the API x/curation and governance (MsgSlashListing) use; it checks
// everything before moving coins.
func (k Keeper) SlashAndSuspend(ctx context.Context, id uint64, fraction math.LegacyDec, base math.Int, destination, reason string) (sdk.Coin, error) {
	zero := sdk.NewCoin(types.CollateralDenom, math.ZeroInt())
	if fraction.IsNil() || !fraction.IsPositive() || fraction.GT(math.LegacyOneDec()) {
		return zero, errorsmod.Wrapf(types.ErrInvalidFraction, "slash fraction must be in (0, 1], got %s", fraction)
	}
	if base.IsNil() || base.IsNegative() {
		return zero, errorsmod.Wrapf(types.ErrInvalidAmount, "slash base must be a non-negative amount of %s, got %s", types.CollateralDenom, base)
	}
	if destination != "" && (destination == types.ModuleName || k.authKeeper.GetModuleAddress(destination) == nil) {
		return zero, errorsmod.Wrapf(types.ErrInvalidDestination, "destination %q must be empty (burn) or another module account's name", destination)
	}
	if len(reason) > types.MaxReasonLength {
		return zero, errorsmod.Wrapf(types.ErrInvalidListing, "reason must be at most %d bytes, got %d", types.MaxReasonLength, len(reason))
	}
	old, err := k.GetListing(ctx, id)
	if err != nil {
		return zero, err
	}
	if err := requireStatus(old, "slash", types.ListingStatusActive, types.ListingStatusPaused, types.ListingStatusRetiring); err != nil {
		return zero, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return zero, err
	}

	slashed := sdk.NewCoin(old.Collateral.Denom, math.MinInt(fraction.MulInt(base).TruncateInt(), old.Collateral.Amount))
	if slashed.IsPositive() {
		coins := sdk.NewCoins(slashed)
		if destination == "" {
			err = k.bankKeeper.BurnCoins(ctx, types.ModuleName, coins)
			if err == nil {
				err = k.addBurned(ctx, k.BurnedSlashes, slashed.Amount)
			}
		} else {
			err = k.bankKeeper.SendCoinsFromModuleToModule(ctx, types.ModuleName, destination, coins)
		}
		if err != nil {
			return zero, err
		}
	}

	// A retiring listing restarts its wait: the rest unlocks unlock_period after the slash.
	if old.Status == types.ListingStatusRetiring {
		if err := k.UnlockQueue.Remove(ctx, chainutil.QueueKeyAt(old.UnlockAt, id)); err != nil {
			return zero, err
		}
	}
	now := sdk.UnwrapSDKContext(ctx).BlockTime().UTC()
	l := old
	l.Collateral = old.Collateral.Sub(slashed)
	l.Status = types.ListingStatusSuspended
	l.UnlockAt = chainutil.WholeSecond(now.Add(params.UnlockPeriod))
	l.UpdatedAt = now
	if old.Status != types.ListingStatusSuspended {
		l.StatusChangedAt = now
	}
	if l.Collateral.IsPositive() {
		if err := k.UnlockQueue.Set(ctx, chainutil.QueueKeyAt(l.UnlockAt, id)); err != nil {
			return zero, err
		}
	}
	if err := k.setListing(ctx, &old, l); err != nil {
		return zero, err
	}
	return slashed, sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventListingSlashed{
		Id: id, Owner: l.Owner, Fraction: fraction, Slashed: slashed, Destination: destination,
		Remaining: l.Collateral, UnlockAt: l.UnlockAt, Reason: reason, Base: base,
	})
}
