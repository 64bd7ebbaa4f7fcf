package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	curationtypes "github.com/balanceai/balanceai/x/curation/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/grants/types"
)

// payEpochs advances the epoch reward payouts by at most budget results and entries: the
// payout in progress, then the next completed curation epoch (normally the one x/curation
// completed in this block's EndBlocker), lowest first, as long as budget is left. A payout
// moves through these steps, each a bounded number of items a block:
//
//  1. begin (no budget): an epoch at or before the last rewarded one is refused; each fund's
//     pool = ⌊free × epoch_reward_share⌋ moves from the fund to the grants module account, so
//     it is no longer free, and the epoch becomes the last rewarded one;
//  2. tally (one unit a result): the epoch's results are taken from x/curation; each that
//     qualifies becomes a PayoutEntry with its weight, and the weights are summed per pool;
//     once none is left the epoch is released;
//  3. credit (one unit an entry): each entry is credited its share of its pools (see credit)
//     and deleted;
//  4. finish (no budget): what is left of each pool (rounding dust, shares nobody qualified
//     for) returns to its fund and EventEpochRewards reports each fund's payout.
//
// Steps 1-3 each run in a cache context. One that fails (or panics) writes nothing, is logged
// and reported (EventEpochRewardsFailed), and marks the payout failed: the results and entries
// left are then dropped uncredited, what was credited stays, and the rest of the pools returns
// to the funds. The chain goes on.
func (k Keeper) payEpochs(ctx sdk.Context, budget uint32) error {
	for budget > 0 {
		p, err := k.Payout.Get(ctx)
		switch {
		case errorsmod.IsOf(err, collections.ErrNotFound):
			epoch, ok, err := k.curationKeeper.NextCompletedEpoch(ctx)
			if err != nil || !ok {
				return err
			}
			if p, err = k.beginPayout(ctx, epoch); err != nil {
				return err
			}
		case err != nil:
			return err
		}
		used, done, err := k.payoutStep(ctx, &p, budget)
		if err != nil {
			return err
		}
		if !done {
			return k.Payout.Set(ctx, p)
		}
		if err := k.Payout.Remove(ctx); err != nil {
			return err
		}
		budget -= used
	}
	return nil
}

// beginPayout starts the payout of epoch (step 1 of payEpochs). When it cannot start, nothing
// is taken from the funds and the payout is a failed one, which only drops the results.
func (k Keeper) beginPayout(ctx sdk.Context, epoch uint64) (types.EpochPayout, error) {
	p := types.EpochPayout{Epoch: epoch, CuratorWeight: math.ZeroInt()}
	for _, f := range types.AllFunds {
		p.Funds = append(p.Funds, types.FundPayout{
			Fund: f, Free: math.ZeroInt(), CuratorPool: math.ZeroInt(), ListingPool: math.ZeroInt(),
			ListingWeight: math.ZeroInt(), CuratorsPaid: math.ZeroInt(), ListingsPaid: math.ZeroInt(),
		})
	}
	err := k.attempt(ctx, &p, func(ctx sdk.Context, p *types.EpochPayout) error {
		last, err := k.LastRewardedEpoch.Get(ctx)
		switch {
		case err == nil && epoch <= last:
			return errorsmod.Wrapf(types.ErrEpochAlreadyRewarded, "epoch %d, last rewarded %d", epoch, last)
		case err != nil && !errorsmod.IsOf(err, collections.ErrNotFound):
			return err
		}
		params, err := k.Params.Get(ctx)
		if err != nil {
			return err
		}
		for i := range p.Funds {
			fp := &p.Funds[i]
			free, err := k.FreeBalance(ctx, fp.Fund, params.Denom)
			if err != nil {
				return err
			}
			pool := params.EpochRewardShare.MulInt(free).TruncateInt()
			if pool.IsPositive() {
				coins := sdk.NewCoins(sdk.NewCoin(params.Denom, pool))
				if err := k.bankKeeper.SendCoinsFromModuleToModule(ctx, k.FundAccount(fp.Fund), types.ModuleName, coins); err != nil {
					return err
				}
			}
			fp.Free = free
			fp.CuratorPool = params.CuratorRewardShare.MulInt(pool).TruncateInt()
			fp.ListingPool = pool.Sub(fp.CuratorPool)
		}
		return k.LastRewardedEpoch.Set(ctx, epoch)
	})
	return p, err
}

// payoutStep runs steps 2-4 of payEpochs on p within budget; done is true once the payout has
// finished. It waits (done false, nothing used) while the epoch is not completed in x/curation:
// after a genesis import, x/curation completes it again in its first blocks.
func (k Keeper) payoutStep(ctx sdk.Context, p *types.EpochPayout, budget uint32) (used uint32, done bool, err error) {
	for !p.Tallied {
		if used >= budget {
			return used, false, nil
		}
		n, more, err := k.tallyStep(ctx, p, budget-used)
		if errorsmod.IsOf(err, curationtypes.ErrEpochNotCompleted) {
			return used, false, nil
		}
		if err != nil {
			return used, false, err
		}
		used += n
		if !more {
			if err := k.curationKeeper.ReleaseEpochResults(ctx, p.Epoch); err != nil {
				return used, false, err
			}
			p.Tallied = true
		}
	}
	for {
		if used >= budget {
			return used, false, nil
		}
		n, more, err := k.creditStep(ctx, p, budget-used)
		if err != nil {
			return used, false, err
		}
		used += n
		if !more {
			return used, true, k.finishPayout(ctx, p)
		}
	}
}

// tallyStep takes up to limit of the epoch's results and keeps the qualifying ones as entries
// (step 2); once the payout has failed, the results are taken and dropped.
func (k Keeper) tallyStep(ctx sdk.Context, p *types.EpochPayout, limit uint32) (used uint32, more bool, err error) {
	res, more, err := k.curationKeeper.TakeEpochResults(ctx, p.Epoch, limit)
	if err != nil {
		return 0, false, err
	}
	if !p.Failed {
		err = k.attempt(ctx, p, func(ctx sdk.Context, p *types.EpochPayout) error { return k.tally(ctx, p, res) })
	}
	return uint32(len(res.Listings) + len(res.Curators)), more, err
}

// tally keeps the qualifying results of res as p's entries and adds their weights to p's
// totals. Curators: weight = bond × reputation, with reputation in its exact 18-decimal
// integer form so that the split is integer arithmetic; only curators with at least one score
// on a listing that reached a consensus take part (a reveal of scores that all fell short of
// min_curators_per_listing risked no disagreement and did no curating). Listings: only those
// at or above min_reward_score that still exist and are neither suspended nor retired when
// read; the listing's kind picks the fund, its owner then is paid.
func (k Keeper) tally(ctx sdk.Context, p *types.EpochPayout, res curationtypes.EpochResults) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	add := func(e types.PayoutEntry) error {
		e.Id = p.NextEntry
		p.NextEntry++
		return k.PayoutEntries.Set(ctx, e.Id, e)
	}
	for _, c := range res.Curators {
		if c.Scored == 0 || c.Weight.IsNil() || !c.Weight.IsPositive() || c.Reputation.IsNil() || !c.Reputation.IsPositive() {
			continue
		}
		_, owner, err := chainutil.DecodeAddress(k.addressCodec, "curator", c.Address, types.ErrInvalidAddress)
		if err != nil {
			k.Logger(ctx).Error("skipping curator with a bad address in epoch results", "epoch", p.Epoch, "curator", c.Address)
			continue
		}
		w := c.Weight.Mul(math.NewIntFromBigInt(c.Reputation.BigInt()))
		if err := add(types.PayoutEntry{Owner: owner, Weight: w}); err != nil {
			return err
		}
		p.CuratorWeight = p.CuratorWeight.Add(w)
	}
	for _, r := range res.Listings {
		if r.EpochScore < params.MinRewardScore || r.EpochScore == 0 || r.Weight.IsNil() || !r.Weight.IsPositive() {
			continue
		}
		l, err := k.marketKeeper.GetListing(ctx, r.ListingID)
		if err != nil {
			k.Logger(ctx).Info("scored listing not found; not rewarded", "epoch", p.Epoch, "listing", r.ListingID)
			continue
		}
		if l.Status == marketplacetypes.ListingStatusSuspended || l.Status == marketplacetypes.ListingStatusRetired {
			continue
		}
		var f types.GrantFund
		switch l.Kind {
		case marketplacetypes.ListingKindModel:
			f = types.GrantFundModels
		case marketplacetypes.ListingKindAgent:
			f = types.GrantFundAgents
		default:
			continue
		}
		w := math.NewInt(int64(r.EpochScore)).Mul(r.Weight)
		if err := add(types.PayoutEntry{Owner: l.Owner, ListingId: l.Id, Fund: f, Weight: w}); err != nil {
			return err
		}
		fp := fundPayout(p, f)
		fp.ListingWeight = fp.ListingWeight.Add(w)
	}
	return nil
}

// creditStep credits up to limit entries, lowest id first, and deletes them (step 3); more is
// true while entries remain. Once the payout has failed, the entries are dropped uncredited.
func (k Keeper) creditStep(ctx sdk.Context, p *types.EpochPayout, limit uint32) (used uint32, more bool, err error) {
	entries, more, err := k.firstEntries(ctx, limit)
	if err != nil {
		return 0, false, err
	}
	if !p.Failed {
		if err := k.attempt(ctx, p, func(ctx sdk.Context, p *types.EpochPayout) error { return k.credit(ctx, p, entries) }); err != nil {
			return 0, false, err
		}
	}
	for _, e := range entries {
		if err := k.PayoutEntries.Remove(ctx, e.Id); err != nil {
			return 0, false, err
		}
	}
	return uint32(len(entries)), more, nil
}

// firstEntries returns up to limit payout entries, lowest id first, and whether more remain.
func (k Keeper) firstEntries(ctx sdk.Context, limit uint32) ([]types.PayoutEntry, bool, error) {
	iter, err := k.PayoutEntries.Iterate(ctx, nil)
	if err != nil {
		return nil, false, err
	}
	defer iter.Close()
	var entries []types.PayoutEntry
	for ; iter.Valid() && uint32(len(entries)) < limit; iter.Next() {
		e, err := iter.Value()
		if err != nil {
			return nil, false, err
		}
		entries = append(entries, e)
	}
	return entries, iter.Valid(), nil
}

// credit credits entries (creditStep deletes them). Each fund's pool is split as
//
//	curator pool  = ⌊pool × curator_reward_share⌋, shared by weight × reputation
//	listing pool  = pool − curator pool, shared among the fund's qualifying listings pro rata
//	                to epoch score × weight (the stake that agreed with the score, each
//	                curator's bond shared by the listings it scored)
//
// A listing's share follows the curation stake behind its score, not only the score: three
// curators of the smallest bond who alone score their owner's listings 100 earn them a share
// in line with their bonds, not most of the pool. Every share is rounded down with exact
// integer arithmetic over the totals of the whole epoch, so a pool's credits never exceed it.
func (k Keeper) credit(ctx sdk.Context, p *types.EpochPayout, entries []types.PayoutEntry) error {
	unclaimed := map[types.GrantFund]math.Int{}
	pay := func(e types.PayoutEntry, fp *types.FundPayout, amount math.Int) error {
		if !amount.IsPositive() {
			return nil
		}
		if err := k.addReward(ctx, e.Owner, fp.Fund, amount); err != nil {
			return err
		}
		if cur, ok := unclaimed[fp.Fund]; ok {
			unclaimed[fp.Fund] = cur.Add(amount)
		} else {
			unclaimed[fp.Fund] = amount
		}
		return ctx.EventManager().EmitTypedEvent(&types.EventRewardCredited{
			Epoch: p.Epoch, Fund: fp.Fund, Owner: e.Owner, ListingId: e.ListingId, Amount: amount,
		})
	}
	for _, e := range entries {
		if e.ListingId == 0 {
			for i := range p.Funds {
				fp := &p.Funds[i]
				amount := share(fp.CuratorPool, e.Weight, p.CuratorWeight)
				if err := pay(e, fp, amount); err != nil {
					return err
				}
				if amount.IsPositive() {
					fp.CuratorsPaid = fp.CuratorsPaid.Add(amount)
					fp.Curators++
				}
			}
		} else {
			fp := fundPayout(p, e.Fund)
			if fp == nil {
				return errorsmod.Wrapf(types.ErrInvalidFund, "payout entry %d has fund %s", e.Id, e.Fund)
			}
			amount := share(fp.ListingPool, e.Weight, fp.ListingWeight)
			if err := pay(e, fp, amount); err != nil {
				return err
			}
			if amount.IsPositive() {
				fp.ListingsPaid = fp.ListingsPaid.Add(amount)
				fp.Listings++
			}
		}
	}
	for _, f := range types.AllFunds {
		amount, ok := unclaimed[f]
		if !ok {
			continue
		}
		fs, err := k.GetFundState(ctx, f)
		if err != nil {
			return err
		}
		fs.Unclaimed = fs.Unclaimed.Add(amount)
		fs.TotalRewarded = fs.TotalRewarded.Add(amount)
		if err := k.FundStates.Set(ctx, int32(f), fs); err != nil {
			return err
		}
	}
	return nil
}

// finishPayout returns what is left of each pool to its fund and, unless the payout failed,
// reports each fund's payout (step 4).
func (k Keeper) finishPayout(ctx sdk.Context, p *types.EpochPayout) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	for _, fp := range p.Funds {
		if left := fp.Left(); left.IsPositive() {
			coins := sdk.NewCoins(sdk.NewCoin(params.Denom, left))
			if err := k.bankKeeper.SendCoinsFromModuleToModule(ctx, types.ModuleName, k.FundAccount(fp.Fund), coins); err != nil {
				return err
			}
		}
		if p.Failed {
			continue
		}
		if err := ctx.EventManager().EmitTypedEvent(&types.EventEpochRewards{
			Epoch: p.Epoch, Fund: fp.Fund, Free: fp.Free, Pool: fp.CuratorPool.Add(fp.ListingPool),
			CuratorsPaid: fp.CuratorsPaid, ListingsPaid: fp.ListingsPaid, Listings: fp.Listings, Curators: fp.Curators,
		}); err != nil {
			return err
		}
	}
	return nil
}

// reportPayoutFailure logs a failed payout step and emits EventEpochRewardsFailed.
func (k Keeper) reportPayoutFailure(ctx sdk.Context, epoch uint64, cause error) error {
	k.Logger(ctx).Error("epoch reward payout failed", "epoch", epoch, "err", cause)
	return ctx.EventManager().EmitTypedEvent(&types.EventEpochRewardsFailed{Epoch: epoch, Error: cause.Error()})
}

// attempt runs a step of payout p: fn, given a copy of p, in a cache context. On success fn's
// writes are kept and p becomes the copy. When fn fails (or panics) nothing of it is written,
// and p is marked failed and the failure reported (EventEpochRewardsFailed).
func (k Keeper) attempt(ctx sdk.Context, p *types.EpochPayout, fn func(sdk.Context, *types.EpochPayout) error) error {
	next := *p
	next.Funds = append([]types.FundPayout(nil), p.Funds...)
	cacheCtx, write := ctx.CacheContext()
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("epoch payout panicked: %v", r)
			}
		}()
		return fn(cacheCtx, &next)
	}()
	if err != nil {
		p.Failed = true
		return k.reportPayoutFailure(ctx, p.Epoch, err)
	}
	write()
	*p = next
	return nil
}

// fundPayout returns p's payout of fund f (nil for an unknown fund).
func fundPayout(p *types.EpochPayout, f types.GrantFund) *types.FundPayout {
	for i := range p.Funds {
		if p.Funds[i].Fund == f {
			return &p.Funds[i]
		}
	}
	return nil
}

// share returns ⌊pool × weight / total⌋, or zero when pool or total is not positive.
func share(pool, weight, total math.Int) math.Int {
	if !pool.IsPositive() || !total.IsPositive() {
		return math.ZeroInt()
	}
	return pool.Mul(weight).Quo(total)
}

// addReward adds amount to owner's claimable reward from fund.
func (k Keeper) addReward(ctx context.Context, ownerStr string, f types.GrantFund, amount math.Int) error {
	owner, err := k.addressCodec.StringToBytes(ownerStr)
	if err != nil {
		return err
	}
	key := collections.Join(sdk.AccAddress(owner), int32(f))
	cur, err := k.Rewards.Get(ctx, key)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		cur = math.ZeroInt()
	} else if err != nil {
		return err
	}
	return k.Rewards.Set(ctx, key, cur.Add(amount))
}

// RewardsOf returns owner's non-zero claimable rewards, one per fund, in fund order. It reads
// the owner's entry of each fund (there are two) rather than iterating the owner's prefix: an
// iterator over a block's cache store costs in proportion to what the block already wrote.
func (k Keeper) RewardsOf(ctx context.Context, owner sdk.AccAddress) ([]types.Reward, error) {
	ownerStr, err := k.addressCodec.BytesToString(owner)
	if err != nil {
		return nil, err
	}
	var out []types.Reward
	for _, f := range types.AllFunds {
		amt, err := k.Rewards.Get(ctx, collections.Join(owner, int32(f)))
		if errorsmod.IsOf(err, collections.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, types.Reward{Owner: ownerStr, Fund: f, Amount: amt})
	}
	return out, nil
}

// ClaimRewards pays owner everything credited to it, from both funds, out of the grants
// module account, and clears the credits: a reward is paid exactly once.
func (k Keeper) ClaimRewards(ctx context.Context, ownerAddr sdk.AccAddress) (sdk.Coin, error) {
	owner, err := chainutil.AddressString(k.addressCodec, ownerAddr, types.ErrInvalidAddress)
	if err != nil {
		return sdk.Coin{}, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return sdk.Coin{}, err
	}
	rewards, err := k.RewardsOf(ctx, ownerAddr)
	if err != nil {
		return sdk.Coin{}, err
	}
	total := math.ZeroInt()
	for _, r := range rewards {
		total = total.Add(r.Amount)
	}
	if !total.IsPositive() {
		return sdk.Coin{}, errorsmod.Wrapf(types.ErrNoRewards, "%s has no claimable rewards", owner)
	}
	for _, r := range rewards {
		if err := k.Rewards.Remove(ctx, collections.Join(ownerAddr, int32(r.Fund))); err != nil {
			return sdk.Coin{}, err
		}
		fs, err := k.GetFundState(ctx, r.Fund)
		if err != nil {
			return sdk.Coin{}, err
		}
		fs.Unclaimed = fs.Unclaimed.Sub(r.Amount)
		if fs.Unclaimed.IsNegative() {
			return sdk.Coin{}, errorsmod.Wrapf(sdkerrors.ErrLogic, "unclaimed rewards of %s would become negative", r.Fund)
		}
		if err := k.FundStates.Set(ctx, int32(r.Fund), fs); err != nil {
			return sdk.Coin{}, err
		}
	}
	paid := sdk.NewCoin(params.Denom, total)
	if err := k.bankKeeper.SendCoinsFromModuleToAccount(ctx, types.ModuleName, ownerAddr, sdk.NewCoins(paid)); err != nil {
		return sdk.Coin{}, err
	}
	if err := sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventRewardsClaimed{Owner: owner, Amount: paid}); err != nil {
		return sdk.Coin{}, err
	}
	return paid, nil
}
