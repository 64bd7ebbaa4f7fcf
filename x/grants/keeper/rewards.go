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

// payCompletedEpochs pays every curation epoch completed and not yet collected (normally the
// one x/curation completed in this block's EndBlocker), lowest first, and releases its results.
// A payout runs in a cache context: when it fails nothing of it is written, the failure is
// logged and reported (EventEpochRewardsFailed), the epoch is released all the same (it is
// never paid later) and the chain goes on.
func (k Keeper) payCompletedEpochs(ctx sdk.Context) error {
	for {
		epoch, ok, err := k.curationKeeper.NextCompletedEpoch(ctx)
		if err != nil || !ok {
			return err
		}
		if err := k.payEpoch(ctx, epoch); err != nil {
			k.Logger(ctx).Error("epoch reward payout failed", "epoch", epoch, "err", err)
			if err := ctx.EventManager().EmitTypedEvent(&types.EventEpochRewardsFailed{Epoch: epoch, Error: err.Error()}); err != nil {
				return err
			}
		}
		if err := k.curationKeeper.ReleaseEpochResults(ctx, epoch); err != nil {
			return err
		}
	}
}

// payEpoch reads one completed epoch's results and pays them in a cache context, written only
// on success; a panic is turned into an error.
func (k Keeper) payEpoch(ctx sdk.Context, epoch uint64) (err error) {
	results, err := k.curationKeeper.EpochResults(ctx, epoch)
	if err != nil {
		return err
	}
	cacheCtx, write := ctx.CacheContext()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("epoch payout panicked: %v", r)
		}
		if err == nil {
			write()
		}
	}()
	return k.DistributeEpochRewards(cacheCtx, epoch, results)
}

// credit is one pending reward credit of an epoch payout.
type credit struct {
	owner     string
	listingID uint64
	amount    math.Int
}

// weighted is a recipient with an integer weight.
type weighted struct {
	owner     string
	listingID uint64
	weight    math.Int
}

// DistributeEpochRewards pays out one curation epoch from each fund:
//
//	pool          = ⌊free × epoch_reward_share⌋
//	curator pool  = ⌊pool × curator_reward_share⌋, split by bond × reputation
//	listing pool  = pool − curator pool, split pro rata to epoch score × weight (the bonds
//	                of the curators whose reveals made the score) among the fund's kind of
//	                listings scoring ≥ min_reward_score
//
// A listing's share follows the curation stake behind its score, not only the score: three
// curators of the smallest bond who alone score their owner's listings 100 earn them a share
// in line with their bonds, not most of the pool.
//
// Every share is rounded down with exact integer arithmetic, so the credits never exceed
// the pool; the rounding dust, and a whole part when nobody qualifies for it, stays in the
// fund. The credited total moves from the fund to the grants module account in one send
// and is recorded as claimable per (owner, fund). The work is O(scored listings +
// curators): one marketplace lookup per qualifying listing and two passes over each list.
// An epoch at or before the last rewarded one is refused, so no epoch is paid twice.
func (k Keeper) DistributeEpochRewards(ctx context.Context, epoch uint64, results curationtypes.EpochResults) error {
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

	// Curators: weight = bond × reputation, with reputation in its exact 18-decimal integer
	// form so that the split is integer arithmetic. Only curators with at least one score on a
	// listing that reached a consensus take part: a reveal of scores that all fell short of
	// min_curators_per_listing risked no disagreement and did no curating.
	var curators []weighted
	curatorTotal := math.ZeroInt()
	for _, c := range results.Curators {
		if c.Scored == 0 || c.Weight.IsNil() || !c.Weight.IsPositive() || c.Reputation.IsNil() || !c.Reputation.IsPositive() {
			continue
		}
		_, owner, err := chainutil.DecodeAddress(k.addressCodec, "curator", c.Address, types.ErrInvalidAddress)
		if err != nil {
			k.Logger(ctx).Error("skipping curator with a bad address in epoch results", "epoch", epoch, "curator", c.Address)
			continue
		}
		w := c.Weight.Mul(math.NewIntFromBigInt(c.Reputation.BigInt()))
		curators = append(curators, weighted{owner: owner, weight: w})
		curatorTotal = curatorTotal.Add(w)
	}

	// Listings: only those at or above min_reward_score that still exist and are neither
	// suspended nor retired; the listing's kind picks the fund, its current owner is paid.
	listings := map[types.GrantFund][]weighted{}
	listingTotals := map[types.GrantFund]math.Int{types.GrantFundModels: math.ZeroInt(), types.GrantFundAgents: math.ZeroInt()}
	for _, r := range results.Listings {
		if r.EpochScore < params.MinRewardScore || r.EpochScore == 0 {
			continue
		}
		l, err := k.marketKeeper.GetListing(ctx, r.ListingID)
		if err != nil {
			k.Logger(ctx).Info("scored listing not found; not rewarded", "epoch", epoch, "listing", r.ListingID)
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
		if r.Weight.IsNil() || !r.Weight.IsPositive() {
			continue
		}
		w := math.NewInt(int64(r.EpochScore)).Mul(r.Weight)
		listings[f] = append(listings[f], weighted{owner: l.Owner, listingID: l.Id, weight: w})
		listingTotals[f] = listingTotals[f].Add(w)
	}

	for _, f := range types.AllFunds {
		if err := k.payFund(ctx, epoch, f, params, curators, curatorTotal, listings[f], listingTotals[f]); err != nil {
			return err
		}
	}
	return k.LastRewardedEpoch.Set(ctx, epoch)
}

// split returns ⌊pool × w / total⌋ for each recipient (nothing when total is zero).
func split(pool math.Int, recipients []weighted, total math.Int) []credit {
	if !pool.IsPositive() || !total.IsPositive() {
		return nil
	}
	out := make([]credit, 0, len(recipients))
	for _, r := range recipients {
		amt := pool.Mul(r.weight).Quo(total)
		if amt.IsPositive() {
			out = append(out, credit{owner: r.owner, listingID: r.listingID, amount: amt})
		}
	}
	return out
}

// payFund computes and credits one fund's epoch payout.
func (k Keeper) payFund(
	ctx context.Context, epoch uint64, f types.GrantFund, params types.Params,
	curators []weighted, curatorTotal math.Int, listings []weighted, listingTotal math.Int,
) error {
	free, err := k.FreeBalance(ctx, f, params.Denom)
	if err != nil {
		return err
	}
	pool := params.EpochRewardShare.MulInt(free).TruncateInt()
	curatorPool := params.CuratorRewardShare.MulInt(pool).TruncateInt()
	listingPool := pool.Sub(curatorPool)

	curatorCredits := split(curatorPool, curators, curatorTotal)
	listingCredits := split(listingPool, listings, listingTotal)
	curatorsPaid, listingsPaid := math.ZeroInt(), math.ZeroInt()
	for _, c := range curatorCredits {
		curatorsPaid = curatorsPaid.Add(c.amount)
	}
	for _, c := range listingCredits {
		listingsPaid = listingsPaid.Add(c.amount)
	}
	total := curatorsPaid.Add(listingsPaid)

	sdkCtx := sdk.UnwrapSDKContext(ctx)
	if total.IsPositive() {
		coins := sdk.NewCoins(sdk.NewCoin(params.Denom, total))
		if err := k.bankKeeper.SendCoinsFromModuleToModule(ctx, k.FundAccount(f), types.ModuleName, coins); err != nil {
			return err
		}
		for _, c := range append(curatorCredits, listingCredits...) {
			if err := k.addReward(ctx, c.owner, f, c.amount); err != nil {
				return err
			}
			if err := sdkCtx.EventManager().EmitTypedEvent(&types.EventRewardCredited{
				Epoch: epoch, Fund: f, Owner: c.owner, ListingId: c.listingID, Amount: c.amount,
			}); err != nil {
				return err
			}
		}
		fs, err := k.GetFundState(ctx, f)
		if err != nil {
			return err
		}
		fs.Unclaimed = fs.Unclaimed.Add(total)
		fs.TotalRewarded = fs.TotalRewarded.Add(total)
		if err := k.FundStates.Set(ctx, int32(f), fs); err != nil {
			return err
		}
	}
	return sdkCtx.EventManager().EmitTypedEvent(&types.EventEpochRewards{
		Epoch: epoch, Fund: f, Free: free, Pool: pool,
		CuratorsPaid: curatorsPaid, ListingsPaid: listingsPaid,
		Listings: uint32(len(listingCredits)), Curators: uint32(len(curatorCredits)),
	})
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
