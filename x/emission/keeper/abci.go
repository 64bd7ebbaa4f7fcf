package keeper

import (
	"context"
	"time"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/telemetry"
	sdk "github.com/cosmos/cosmos-sdk/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/balanceai/balanceai/x/emission/types"
)

// BeginBlocker mints the emission for the BFT time since the previous block, burns
// fee_burn_share of the previous block's fees and distributes the rest. It must run before
// x/distribution's BeginBlocker, which would otherwise pay the fees by power. In both modes it
// empties the fee collector, so that at the next block the fee collector holds exactly that
// block's transaction fees: emission is never taken for fees.
//
// Work is bounded by the number of validators in the previous block's last commit.
func (k Keeper) BeginBlocker(ctx context.Context) error {
	defer telemetry.ModuleMeasureSince(types.ModuleName, telemetry.Now(), telemetry.MetricKeyBeginBlocker)

	sdkCtx := sdk.UnwrapSDKContext(ctx)
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	state, err := k.State.Get(ctx)
	if err != nil {
		return err
	}
	denom := params.MintDenom
	now := sdkCtx.BlockTime()
	coins := func(amt math.Int) sdk.Coins { return sdk.NewCoins(sdk.NewCoin(denom, amt)) }

	// 1. Mint for the elapsed BFT time. The first block only starts the clock. A gap longer
	// than max_emission_interval mints only the interval: the rest is deliberately not issued.
	var elapsed time.Duration
	lastTime := state.LastEmissionTime
	if !lastTime.IsZero() && now.After(lastTime) {
		elapsed = now.Sub(lastTime) // saturates at the maximum Duration, then clamped
		if elapsed > params.MaxEmissionInterval {
			elapsed = params.MaxEmissionInterval
		}
	}
	mint, err := types.ComputeMint(types.MintInput{
		Issued:        state.Issued,
		Carry:         state.Carry,
		Era:           state.Era,
		Elapsed:       elapsed,
		DailyEmission: params.DailyEmission,
		MaxSupply:     params.MaxSupply,
	})
	if err != nil {
		return err
	}
	if mint.Minted.IsPositive() {
		if err := k.bankKeeper.MintCoins(ctx, types.ModuleName, coins(mint.Minted)); err != nil {
			return err
		}
	}

	// 2. Burn fee_burn_share of the previous block's fees (the ante accepts mint_denom fees only).
	feeAddr := k.authKeeper.GetModuleAddress(k.feeCollectorName)
	fees := k.bankKeeper.GetBalance(ctx, feeAddr, denom).Amount
	burned := types.FeeBurn(fees, params.FeeBurnShare)
	if burned.IsPositive() {
		if err := k.bankKeeper.SendCoinsFromModuleToModule(ctx, k.feeCollectorName, types.ModuleName, coins(burned)); err != nil {
			return err
		}
		if err := k.bankKeeper.BurnCoins(ctx, types.ModuleName, coins(burned)); err != nil {
			return err
		}
	}
	feesToValidators := fees.Sub(burned)

	// 3. Split the mint; the four parts add up to it exactly.
	split := types.SplitMint(mint.Minted, params)
	if err := k.sendFromEmission(ctx, k.funds.Model, coins(split.Models)); err != nil {
		return err
	}
	if err := k.sendFromEmission(ctx, k.funds.Agent, coins(split.Agents)); err != nil {
		return err
	}
	communityPool := split.Development

	// 4. Validator rewards.
	dust := math.ZeroInt()
	var paid int
	switch params.ValidatorRewardMode {
	case types.VALIDATOR_REWARD_MODE_EQUAL:
		// The unburned fees join the staking part: the whole pot is shared equally.
		if feesToValidators.IsPositive() {
			if err := k.bankKeeper.SendCoinsFromModuleToModule(ctx, k.feeCollectorName, types.ModuleName, coins(feesToValidators)); err != nil {
				return err
			}
		}
		pot := split.Staking.Add(feesToValidators)
		paid, dust, err = k.allocateEqually(ctx, pot, denom)
		if err != nil {
			return err
		}
		communityPool = communityPool.Add(dust)
	default: // PROPORTIONAL (params validation admits no other mode)
		// The staking part joins the unburned fees in the fee collector and both are paid out
		// now, by voting power, with x/distribution's own rule (AllocateTokens over the last
		// commit; the community pool when it is empty). Nothing is left for x/distribution's
		// BeginBlocker, which skips height 1: whatever stayed there would be taken for the next
		// block's fees and half of it burned.
		if err := k.sendFromEmission(ctx, k.feeCollectorName, coins(split.Staking)); err != nil {
			return err
		}
		votes := sdkCtx.VoteInfos()
		var power int64
		for _, v := range votes {
			power += v.Validator.Power
		}
		if err := k.distrKeeper.AllocateTokens(ctx, power, votes); err != nil {
			return err
		}
	}
	if communityPool.IsPositive() {
		if err := k.distrKeeper.FundCommunityPool(ctx, coins(communityPool), k.authKeeper.GetModuleAddress(types.ModuleName)); err != nil {
			return err
		}
	}

	// 5. State and events.
	state.TotalMinted = state.TotalMinted.Add(mint.Minted)
	state.TotalBurned = state.TotalBurned.Add(burned)
	state.Issued = mint.Issued
	state.Carry = mint.Carry
	if now.After(lastTime) {
		state.LastEmissionTime = now
	}
	state = withDerived(state, params)
	if err := k.State.Set(ctx, state); err != nil {
		return err
	}

	for _, h := range mint.Halvings {
		daily := types.DailyEmissionForEra(params.DailyEmission, h.Era)
		exact := types.ExactDailyEmission(params.DailyEmission, h.Era)
		if h.CapReached {
			daily, exact = math.ZeroInt(), "0"
		}
		if err := sdkCtx.EventManager().EmitTypedEvent(&types.EventHalving{
			Era:                h.Era,
			Threshold:          h.Threshold,
			DailyEmission:      daily,
			ReachedAt:          lastTime.Add(h.Offset),
			Height:             sdkCtx.BlockHeight(),
			CapReached:         h.CapReached,
			DailyEmissionExact: exact,
		}); err != nil {
			return err
		}
		k.Logger(ctx).Info("emission halving", "era", h.Era, "threshold", h.Threshold, "cap_reached", h.CapReached)
	}
	return sdkCtx.EventManager().EmitTypedEvent(&types.EventEmission{
		Minted:            sdk.NewCoin(denom, mint.Minted),
		Staking:           sdk.NewCoin(denom, split.Staking),
		Models:            sdk.NewCoin(denom, split.Models),
		Agents:            sdk.NewCoin(denom, split.Agents),
		Development:       sdk.NewCoin(denom, split.Development),
		FeesCollected:     sdk.NewCoin(denom, fees),
		FeesBurned:        sdk.NewCoin(denom, burned),
		FeesToValidators:  sdk.NewCoin(denom, feesToValidators),
		ValidatorsPaid:    uint32(paid),
		CommunityPoolDust: sdk.NewCoin(denom, dust),
		Era:               state.Era,
		TimeDelta:         elapsed,
		Issued:            state.Issued,
	})
}

// allocateEqually shares pot (held by the emission account) equally among the validators that
// signed the previous block, through x/distribution so that commission and delegators are
// honoured. It returns the number of validators paid and the dust (pot - n*part) left in the
// emission account for the community pool. With no signer (the first blocks of a chain, whose
// last commit is empty) the whole pot is dust and goes to the community pool.
func (k Keeper) allocateEqually(ctx context.Context, pot math.Int, denom string) (int, math.Int, error) {
	if !pot.IsPositive() {
		return 0, math.ZeroInt(), nil
	}
	signers, err := k.signingValidators(ctx)
	if err != nil {
		return 0, math.ZeroInt(), err
	}
	part, dust := types.SplitEqually(pot, len(signers))
	if !part.IsPositive() {
		return 0, pot, nil
	}
	total := sdk.NewCoins(sdk.NewCoin(denom, part.MulRaw(int64(len(signers)))))
	// AllocateTokensToValidator only books rewards: the tokens must sit in the distribution
	// module account, as x/distribution's own AllocateTokens arranges.
	if err := k.bankKeeper.SendCoinsFromModuleToModule(ctx, types.ModuleName, distrtypes.ModuleName, total); err != nil {
		return 0, math.ZeroInt(), err
	}
	reward := sdk.NewDecCoinsFromCoins(sdk.NewCoin(denom, part))
	for _, val := range signers {
		if err := k.distrKeeper.AllocateTokensToValidator(ctx, val, reward); err != nil {
			return 0, math.ZeroInt(), err
		}
	}
	return len(signers), dust, nil
}

// signingValidators returns, in last-commit order, the validators whose vote for the previous
// block was a commit (BlockIDFlagCommit). Absent and nil votes are skipped, as are consensus
// addresses the staking keeper no longer knows.
func (k Keeper) signingValidators(ctx context.Context) ([]stakingtypes.ValidatorI, error) {
	votes := sdk.UnwrapSDKContext(ctx).VoteInfos()
	vals := make([]stakingtypes.ValidatorI, 0, len(votes))
	for _, v := range votes {
		if v.BlockIdFlag != cmtproto.BlockIDFlagCommit {
			continue
		}
		val, err := k.stakingKeeper.ValidatorByConsAddr(ctx, sdk.ConsAddress(v.Validator.Address))
		if err != nil || val == nil {
			continue
		}
		vals = append(vals, val)
	}
	return vals, nil
}

// sendFromEmission moves a positive amount from the emission account to a module account.
func (k Keeper) sendFromEmission(ctx context.Context, recipient string, amt sdk.Coins) error {
	if amt.IsZero() {
		return nil
	}
	return k.bankKeeper.SendCoinsFromModuleToModule(ctx, types.ModuleName, recipient, amt)
}
