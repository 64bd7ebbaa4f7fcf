package keeper

import (
	"context"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/curation/types"
)

// checkAmount checks a positive ubai coin.
func checkAmount(c sdk.Coin) error {
	if c.Denom != types.Denom || c.Amount.IsNil() || !c.Amount.IsPositive() {
		return errorsmod.Wrapf(types.ErrInvalidAmount, "got %s", c)
	}
	return nil
}

// Bond adds amount to a curator's bond; the resulting bond must reach min_curator_bond.
func (k Keeper) Bond(ctx context.Context, addr sdk.AccAddress, amount sdk.Coin) (sdk.Coin, error) {
	canon, err := chainutil.AddressString(k.addressCodec, addr, types.ErrInvalidAddress)
	if err != nil {
		return sdk.Coin{}, err
	}
	if err := checkAmount(amount); err != nil {
		return sdk.Coin{}, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return sdk.Coin{}, err
	}
	c, _, err := k.GetCurator(ctx, addr, canon)
	if err != nil {
		return sdk.Coin{}, err
	}
	newBond := c.Bond.Add(amount.Amount)
	if newBond.LT(params.MinCuratorBond.Amount) {
		return sdk.Coin{}, errorsmod.Wrapf(types.ErrBondTooSmall, "bond would be %s, minimum is %s", coin(newBond), params.MinCuratorBond)
	}
	if err := k.bankKeeper.SendCoinsFromAccountToModule(ctx, addr, types.ModuleName, sdk.NewCoins(amount)); err != nil {
		return sdk.Coin{}, err
	}
	c.Bond = newBond
	if err := k.Curators.Set(ctx, addr, c); err != nil {
		return sdk.Coin{}, err
	}
	if err := k.recordBond(ctx, addr, newBond); err != nil {
		return sdk.Coin{}, err
	}
	if err := k.addTotalBonded(ctx, amount.Amount); err != nil {
		return sdk.Coin{}, err
	}
	return coin(newBond), sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventCuratorBonded{
		Curator: canon, Amount: amount, Bond: coin(newBond),
	})
}

// Unbond moves amount of a curator's bond into the unbonding queue. The remaining bond must
// be zero or at least min_curator_bond, and no commitment of an unfinalised epoch may be
// waiting for its reveal (that would let a curator dodge the no-reveal slash).
func (k Keeper) Unbond(ctx context.Context, addr sdk.AccAddress, amount sdk.Coin) (types.Unbonding, error) {
	canon, err := chainutil.AddressString(k.addressCodec, addr, types.ErrInvalidAddress)
	if err != nil {
		return types.Unbonding{}, err
	}
	if err := checkAmount(amount); err != nil {
		return types.Unbonding{}, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return types.Unbonding{}, err
	}
	c, found, err := k.GetCurator(ctx, addr, canon)
	if err != nil {
		return types.Unbonding{}, err
	}
	if !found || c.Bond.LT(amount.Amount) {
		return types.Unbonding{}, errorsmod.Wrapf(types.ErrInsufficientBond, "bond %s, unbond %s", coin(c.Bond), amount)
	}
	rest := c.Bond.Sub(amount.Amount)
	if rest.IsPositive() && rest.LT(params.MinCuratorBond.Amount) {
		return types.Unbonding{}, errorsmod.Wrapf(types.ErrBondTooSmall, "remaining bond %s must be 0 or at least %s", coin(rest), params.MinCuratorBond)
	}
	if err := k.checkNoPendingReveal(ctx, addr); err != nil {
		return types.Unbonding{}, err
	}
	id, err := k.UnbondingSeq.Next(ctx)
	if err != nil {
		return types.Unbonding{}, err
	}
	now := sdk.UnwrapSDKContext(ctx).BlockTime().UTC()
	u := types.Unbonding{Id: id, Curator: canon, Amount: amount.Amount, CompletionTime: chainutil.WholeSecond(now.Add(params.CuratorUnbondingPeriod))}
	if err := k.Unbondings.Set(ctx, id, u); err != nil {
		return u, err
	}
	if err := k.UnbondingQueue.Set(ctx, chainutil.QueueKeyAt(u.CompletionTime, id)); err != nil {
		return u, err
	}
	c.Bond = rest
	c.Unbonding = c.Unbonding.Add(amount.Amount)
	if err := k.Curators.Set(ctx, addr, c); err != nil {
		return u, err
	}
	if err := k.recordBond(ctx, addr, rest); err != nil {
		return u, err
	}
	if err := k.addTotalBonded(ctx, amount.Amount.Neg()); err != nil {
		return u, err
	}
	return u, sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventCuratorUnbonding{
		Curator: canon, UnbondingId: id, Amount: amount, Bond: coin(rest), CompletionTime: u.CompletionTime,
	})
}

// checkNoPendingReveal refuses when the curator has an unrevealed commitment in the current
// epoch or in an ended epoch not finalised yet (at most a few epochs: the pending queue).
func (k Keeper) checkNoPendingReveal(ctx context.Context, addr sdk.AccAddress) error {
	epochs := []uint64{}
	if e, err := k.CurrentEpoch.Get(ctx); err == nil {
		epochs = append(epochs, e.Number)
	} else if !isNotFound(err) {
		return err
	}
	if err := k.PendingEpochs.Walk(ctx, nil, func(e uint64) (bool, error) {
		epochs = append(epochs, e)
		return len(epochs) > 8, nil // the pending queue is short; never walk far
	}); err != nil {
		return err
	}
	for _, e := range epochs {
		c, err := k.Commitments.Get(ctx, collections.Join(e, addr))
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return err
		}
		if !c.Revealed {
			return errorsmod.Wrapf(types.ErrCommitmentPending, "epoch %d", e)
		}
	}
	return nil
}

// completeUnbondings pays out matured unbondings, at most limit per block, oldest first.
func (k Keeper) completeUnbondings(ctx sdk.Context, now time.Time, limit uint32) error {
	return k.processDue(ctx, k.UnbondingQueue, now, limit, "curator unbonding payout failed",
		func(ctx sdk.Context, key chainutil.QueueKey) error { return k.completeUnbonding(ctx, key) })
}

func (k Keeper) completeUnbonding(ctx context.Context, key collections.Pair[int64, uint64]) error {
	u, err := k.Unbondings.Get(ctx, key.K2())
	if err != nil {
		return err
	}
	addr, canon, err := chainutil.DecodeAddress(k.addressCodec, "curator", u.Curator, types.ErrInvalidAddress)
	if err != nil {
		return err
	}
	c, err := k.Curators.Get(ctx, addr)
	if err != nil {
		return err
	}
	if err := k.bankKeeper.SendCoinsFromModuleToAccount(ctx, types.ModuleName, addr, sdk.NewCoins(coin(u.Amount))); err != nil {
		return err
	}
	c.Unbonding = c.Unbonding.Sub(u.Amount)
	if err := k.Curators.Set(ctx, addr, c); err != nil {
		return err
	}
	if err := k.Unbondings.Remove(ctx, u.Id); err != nil {
		return err
	}
	if err := k.UnbondingQueue.Remove(ctx, key); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventUnbondingCompleted{
		Curator: canon, UnbondingId: u.Id, Amount: coin(u.Amount),
	})
}

// slashBond takes fraction of a curator's bond and sends it to a grant fund; the caller
// stores the curator record.
func (k Keeper) slashBond(ctx context.Context, addr sdk.AccAddress, c *types.Curator, fraction math.LegacyDec, fund string) (math.Int, error) {
	amt := fraction.MulInt(c.Bond).TruncateInt()
	if !amt.IsPositive() {
		return math.ZeroInt(), nil
	}
	if err := k.bankKeeper.SendCoinsFromModuleToModule(ctx, types.ModuleName, fund, sdk.NewCoins(coin(amt))); err != nil {
		return math.ZeroInt(), err
	}
	c.Bond = c.Bond.Sub(amt)
	c.Slashed = c.Slashed.Add(amt)
	if err := k.recordBond(ctx, addr, c.Bond); err != nil {
		return math.ZeroInt(), err
	}
	if err := k.addTotalBonded(ctx, amt.Neg()); err != nil {
		return math.ZeroInt(), err
	}
	return amt, nil
}
