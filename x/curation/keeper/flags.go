package keeper

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
	"github.com/ipfs/go-cid"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/internal/text"
	"github.com/balanceai/balanceai/x/curation/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// ValidateEvidenceCID checks an evidence CID (v0 or v1) with go-cid.
func ValidateEvidenceCID(s string) error {
	if len(s) == 0 || len(s) > types.MaxCIDLength {
		return errorsmod.Wrapf(types.ErrInvalidFlag, "evidence_cid must be 1-%d characters", types.MaxCIDLength)
	}
	if _, err := cid.Decode(s); err != nil {
		return errorsmod.Wrapf(types.ErrInvalidFlag, "evidence_cid %q is not a CID: %v", s, err)
	}
	return nil
}

// ValidateReason checks a flag reason: 1-512 bytes of visible characters and plain spaces.
// Invisible characters (bidi overrides, zero-width characters, control characters, newlines)
// would let a reason read differently in explorers and wallets than what was signed.
func ValidateReason(reason string) error {
	if len(reason) == 0 || len(reason) > types.MaxReasonLength {
		return errorsmod.Wrapf(types.ErrInvalidFlag, "reason must be 1-%d bytes, got %d", types.MaxReasonLength, len(reason))
	}
	if err := text.CheckVisible(reason); err != nil {
		return errorsmod.Wrapf(types.ErrInvalidFlag, "reason %s", err)
	}
	return nil
}

// FlagListing opens a flag: the deposit moves into the module until the tally, x/marketplace
// holds the listing's collateral (which becomes the slash base), and the voting weights are
// snapshotted at the state before this block (docs/spec/curation.md). A listing may have
// several open flags, each with its own hold, vote and tally: an open flag does not stop
// anyone else from flagging the listing with other evidence.
func (k Keeper) FlagListing(ctx context.Context, addr sdk.AccAddress, listingID uint64, reason, evidenceCID string, deposit sdk.Coin) (uint64, error) {
	canon, err := chainutil.AddressString(k.addressCodec, addr, types.ErrInvalidAddress)
	if err != nil {
		return 0, err
	}
	if err := ValidateReason(reason); err != nil {
		return 0, err
	}
	if err := ValidateEvidenceCID(evidenceCID); err != nil {
		return 0, err
	}
	if err := checkAmount(deposit); err != nil {
		return 0, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return 0, err
	}
	if deposit.Amount.LT(params.MinFlagDeposit.Amount) {
		return 0, errorsmod.Wrapf(types.ErrDepositTooSmall, "deposit %s is below the minimum %s", deposit, params.MinFlagDeposit)
	}
	l, err := k.market.GetListing(ctx, listingID)
	if err != nil {
		return 0, err
	}
	switch l.Status {
	case marketplacetypes.ListingStatusActive, marketplacetypes.ListingStatusPaused, marketplacetypes.ListingStatusRetiring:
	default:
		return 0, errorsmod.Wrapf(types.ErrListingNotFlaggable, "listing %d is %s", l.Id, l.Status)
	}
	if l.Owner == canon {
		// An owner flagging its own listing could only take back part of its own slash as the
		// flagger's reward, ahead of an honest flag.
		return 0, errorsmod.Wrapf(types.ErrOwnListing, "listing %d is owned by %s, who cannot flag it", l.Id, canon)
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	opened := sdkCtx.BlockHeight()
	totalAtOpen, err := k.TotalBondedAt(ctx, opened)
	if err != nil {
		return 0, err
	}
	collateral, err := k.market.Hold(ctx, l.Id)
	if err != nil {
		return 0, err
	}
	if collateral.Denom != types.Denom || collateral.Amount.IsNil() || collateral.Amount.IsNegative() {
		return 0, fmt.Errorf("marketplace holds %s for listing %d, expected a %s amount", collateral, l.Id, types.Denom)
	}
	if err := k.bankKeeper.SendCoinsFromAccountToModule(ctx, addr, types.ModuleName, sdk.NewCoins(deposit)); err != nil {
		return 0, err
	}
	id, err := k.FlagSeq.Next(ctx)
	if err != nil {
		return 0, err
	}
	now := sdkCtx.BlockTime().UTC()
	zero := coin(math.ZeroInt())
	f := types.Flag{
		Id: id, ListingId: l.Id, ListingKind: l.Kind, Flagger: canon, Reason: reason, EvidenceCid: evidenceCID,
		Deposit: deposit, Status: types.FlagStatusOpen, CreatedAt: now, VotingEnd: chainutil.WholeSecond(now.Add(params.FlagVotingPeriod)),
		UpholdWeight: math.ZeroInt(), RejectWeight: math.ZeroInt(), Slashed: zero, FlaggerReward: zero,
		OpenedHeight: opened, TotalBondedAtOpen: totalAtOpen, CollateralAtOpen: collateral, OwnerAtOpen: l.Owner,
	}
	if err := k.Flags.Set(ctx, f.Id, f); err != nil {
		return 0, err
	}
	if err := k.FlagQueue.Set(ctx, chainutil.QueueKeyAt(f.VotingEnd, id)); err != nil {
		return 0, err
	}
	return id, sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventListingFlagged{
		FlagId: id, ListingId: l.Id, Flagger: canon, Deposit: deposit, EvidenceCid: evidenceCID, VotingEnd: f.VotingEnd,
		TotalBondedAtOpen: totalAtOpen, CollateralAtOpen: collateral,
	})
}

// VoteFlag records a bonded curator's vote. Its weight is VotingWeight at the flag's opening
// height: min(bond before the opening block, bond now), so only curators bonded before the
// flag opened vote, and bonding more later adds nothing. The listing's owner may not vote on
// its own flag, nor may its owner when the flag opened (a transfer does not make it a judge).
func (k Keeper) VoteFlag(ctx context.Context, addr sdk.AccAddress, flagID uint64, uphold bool) error {
	canon, err := chainutil.AddressString(k.addressCodec, addr, types.ErrInvalidAddress)
	if err != nil {
		return err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	f, err := k.Flags.Get(ctx, flagID)
	if isNotFound(err) {
		return errorsmod.Wrapf(types.ErrFlagNotFound, "flag %d", flagID)
	}
	if err != nil {
		return err
	}
	now := sdk.UnwrapSDKContext(ctx).BlockTime()
	if f.Status != types.FlagStatusOpen || !now.Before(f.VotingEnd) {
		return errorsmod.Wrapf(types.ErrFlagClosed, "flag %d is %s, voting ended %s", f.Id, f.Status, f.VotingEnd.Format(time.RFC3339))
	}
	if _, err := k.requireCurator(ctx, addr, canon, params); err != nil {
		return err
	}
	l, err := k.market.GetListing(ctx, f.ListingId)
	if err != nil {
		return err
	}
	if l.Owner == canon || f.OwnerAtOpen == canon {
		return errorsmod.Wrapf(types.ErrOwnListing, "listing %d is owned by %s, or was when flag %d opened", l.Id, canon, f.Id)
	}
	vk := collections.Join(f.Id, addr)
	if has, err := k.FlagVotes.Has(ctx, vk); err != nil {
		return err
	} else if has {
		return errorsmod.Wrapf(types.ErrAlreadyVoted, "flag %d", f.Id)
	}
	weight, err := k.VotingWeight(ctx, addr, f.OpenedHeight)
	if err != nil {
		return err
	}
	if !weight.IsPositive() {
		return errorsmod.Wrapf(types.ErrNoVotingWeight, "%s had no bond before block %d, in which flag %d opened", canon, f.OpenedHeight, f.Id)
	}
	if err := k.FlagVotes.Set(ctx, vk, types.FlagVote{FlagId: f.Id, Curator: canon, Uphold: uphold, Weight: weight}); err != nil {
		return err
	}
	if uphold {
		f.UpholdWeight = f.UpholdWeight.Add(weight)
	} else {
		f.RejectWeight = f.RejectWeight.Add(weight)
	}
	if err := k.Flags.Set(ctx, f.Id, f); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventFlagVoted{
		FlagId: f.Id, Curator: canon, Uphold: uphold, Weight: weight,
	})
}

// Upheld reports the flag rule: quorum (cast ≥ 1/3 of the weight snapshotted when the flag
// opened) and threshold (uphold ≥ 2/3 of cast weight), in exact integer arithmetic.
func Upheld(uphold, reject, totalAtOpen math.Int) bool {
	cast := uphold.Add(reject)
	return cast.IsPositive() && cast.MulRaw(3).GTE(totalAtOpen) && uphold.MulRaw(3).GTE(cast.MulRaw(2))
}

// tallyFlags resolves flags whose voting ended, at most limit per block.
func (k Keeper) tallyFlags(ctx sdk.Context, now time.Time, params types.Params) error {
	return k.processDue(ctx, k.FlagQueue, now, params.MaxQueueItemsPerBlock, "curation flag tally failed",
		func(ctx sdk.Context, key chainutil.QueueKey) error { return k.tallyFlag(ctx, key, params) })
}

// tallyFlag resolves one flag against the quorum snapshotted when it opened. Upheld: the
// marketplace slashes flag_slash_fraction of the collateral held at flag opening (capped at
// what is left) into the curation account and suspends the listing; flagger_reward_share of
// the slash goes to the flagger, the rest to the matching grant fund, and the deposit goes
// back. Rejected: the deposit goes to the matching grant fund. If the marketplace refuses the
// slash (the listing left a slashable state meanwhile), the flag is still UPHELD with
// nothing slashed and the deposit is returned. Either way the marketplace hold is released
// last.
func (k Keeper) tallyFlag(ctx sdk.Context, key collections.Pair[int64, uint64], params types.Params) error {
	f, err := k.Flags.Get(ctx, key.K2())
	if err != nil {
		return err
	}
	flagger, _, err := chainutil.DecodeAddress(k.addressCodec, "flagger", f.Flagger, types.ErrInvalidAddress)
	if err != nil {
		return err
	}
	total := f.TotalBondedAtOpen
	fund := k.funds.For(f.ListingKind)
	ev := &types.EventFlagResolved{
		FlagId: f.Id, ListingId: f.ListingId, UpholdWeight: f.UpholdWeight, RejectWeight: f.RejectWeight,
		TotalBonded: total, Slashed: coin(math.ZeroInt()), FlaggerReward: coin(math.ZeroInt()), Fund: fund, FundAmount: coin(math.ZeroInt()),
	}
	if Upheld(f.UpholdWeight, f.RejectWeight, total) {
		f.Status = types.FlagStatusUpheld
		reason := truncateUTF8(fmt.Sprintf("curation flag %d upheld: %s", f.Id, f.Reason), marketplacetypes.MaxReasonLength)
		slashCtx, writeSlash := ctx.CacheContext()
		slashed, err := k.market.SlashAndSuspend(slashCtx, f.ListingId, params.FlagSlashFraction, f.CollateralAtOpen.Amount, types.ModuleName, reason)
		if err != nil {
			ev.SlashError = err.Error()
			slashed = coin(math.ZeroInt())
		} else {
			writeSlash()
		}
		if slashed.Denom != types.Denom {
			return fmt.Errorf("marketplace slashed %s, expected %s", slashed, types.Denom)
		}
		reward := params.FlaggerRewardShare.MulInt(slashed.Amount).TruncateInt()
		rest := slashed.Amount.Sub(reward)
		if reward.IsPositive() {
			if err := k.bankKeeper.SendCoinsFromModuleToAccount(ctx, types.ModuleName, flagger, sdk.NewCoins(coin(reward))); err != nil {
				return err
			}
		}
		if rest.IsPositive() {
			if err := k.bankKeeper.SendCoinsFromModuleToModule(ctx, types.ModuleName, fund, sdk.NewCoins(coin(rest))); err != nil {
				return err
			}
		}
		if err := k.bankKeeper.SendCoinsFromModuleToAccount(ctx, types.ModuleName, flagger, sdk.NewCoins(f.Deposit)); err != nil {
			return err
		}
		f.Slashed, f.FlaggerReward = slashed, coin(reward)
		ev.Slashed, ev.FlaggerReward, ev.FundAmount, ev.DepositReturned = slashed, coin(reward), coin(rest), true
	} else {
		f.Status = types.FlagStatusRejected
		if err := k.bankKeeper.SendCoinsFromModuleToModule(ctx, types.ModuleName, fund, sdk.NewCoins(f.Deposit)); err != nil {
			return err
		}
		ev.FundAmount = f.Deposit
	}
	ev.Status = f.Status
	if err := k.Flags.Set(ctx, f.Id, f); err != nil {
		return err
	}
	if err := k.FlagQueue.Remove(ctx, key); err != nil {
		return err
	}
	if err := k.market.Release(ctx, f.ListingId); err != nil {
		return err
	}
	// Votes of resolved flags are dropped; the weights stay on the flag. At most one vote per curator.
	if err := k.FlagVotes.Clear(ctx, collections.NewPrefixedPairRange[uint64, sdk.AccAddress](f.Id)); err != nil {
		return err
	}
	return ctx.EventManager().EmitTypedEvent(ev)
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
