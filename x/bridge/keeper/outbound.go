package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/bridge/types"
)

// requireOpen refuses when the bridge is disabled or paused.
func (k Keeper) requireOpen(ctx context.Context, params currentParams) error {
	if !params.Enabled {
		return types.ErrBridgeDisabled
	}
	paused, err := k.IsPaused(ctx)
	if err != nil {
		return err
	}
	if paused {
		return types.ErrBridgePaused
	}
	return nil
}

// Lock validates a lock, moves the BAI into the bridge account and records a PENDING outbound
// transfer. Every check runs before the first write, so a refused lock changes nothing.
func (k Keeper) Lock(ctx context.Context, sender sdk.AccAddress, ethRecipient string, amount sdk.Coin) (uint64, error) {
	params, err := k.currentParams(ctx)
	if err != nil {
		return 0, err
	}
	if err := k.requireOpen(ctx, params); err != nil {
		return 0, err
	}
	recipient, err := types.ValidateEthRecipient(ethRecipient)
	if err != nil {
		return 0, err
	}
	if amount.Denom != types.Denom {
		return 0, errorsmod.Wrapf(types.ErrInvalidDenom, "got %q, want %s", amount.Denom, types.Denom)
	}
	if amount.Amount.IsNil() || !amount.Amount.IsPositive() {
		return 0, errorsmod.Wrapf(types.ErrInvalidAmount, "got %s", amount.Amount)
	}
	if amount.Amount.LT(params.MinTransfer) || amount.Amount.GT(params.MaxTransfer) {
		return 0, errorsmod.Wrapf(types.ErrAmountOutOfRange, "%s%s is outside [%s, %s]%s",
			amount.Amount, types.Denom, params.MinTransfer, params.MaxTransfer, types.Denom)
	}
	// amount <= max_transfer, so the sum below cannot overflow.
	day := Day(ctx)
	used, err := dailyUsed(ctx, k.DailyOutbound, day)
	if err != nil {
		return 0, err
	}
	newUsed := used.Add(amount.Amount)
	if newUsed.GT(params.DailyOutboundLimit) {
		return 0, errorsmod.Wrapf(types.ErrDailyLimit, "outbound today %s + %s exceeds %s%s",
			used, amount.Amount, params.DailyOutboundLimit, types.Denom)
	}

	// The bank send is the only step that can fail for the user (insufficient funds); it runs
	// first so a failure leaves the bridge records untouched.
	if err := k.bankKeeper.SendCoinsFromAccountToModule(ctx, sender, types.ModuleName, sdk.NewCoins(amount)); err != nil {
		return 0, err
	}
	seq, err := k.OutboundSeq.Next(ctx)
	if err != nil {
		return 0, err
	}
	nonce := seq + 1
	senderStr, err := k.addressCodec.BytesToString(sender)
	if err != nil {
		return 0, err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	transfer := types.OutboundTransfer{
		Nonce:         nonce,
		Sender:        senderStr,
		EthRecipient:  recipient,
		Amount:        amount,
		Status:        types.OUTBOUND_STATUS_PENDING,
		CreatedAt:     sdkCtx.BlockTime().UTC(),
		CreatedHeight: sdkCtx.BlockHeight(),
		Attestations:  []types.OutboundAttestation{},
	}
	if err := k.Outbound.Set(ctx, nonce, transfer); err != nil {
		return 0, err
	}
	if err := k.DailyOutbound.Set(ctx, day, newUsed); err != nil {
		return 0, err
	}
	totals, err := k.GetTotals(ctx)
	if err != nil {
		return 0, err
	}
	totals.TotalLocked = totals.TotalLocked.Add(amount.Amount)
	if err := k.setTotals(ctx, totals); err != nil {
		return 0, err
	}
	return nonce, sdkCtx.EventManager().EmitTypedEvent(&types.EventLock{
		Nonce:        nonce,
		Sender:       senderStr,
		EthRecipient: recipient,
		Amount:       amount,
	})
}

// AttestOutbound records an attester's vote on an outbound transfer. Votes are counted per
// content (eth_tx_hash, success); when attestation_threshold current attesters agree on one
// content the transfer is COMPLETED (the BAI now backs wBAI) or REFUNDED (BAI back to the
// sender). A refund does not give back the sender's share of the daily outbound counter: the
// limit caps what leaves per day, and refunds are rare enough not to matter.
func (k Keeper) AttestOutbound(ctx context.Context, attester sdk.AccAddress, nonce uint64, ethTxHash string, success bool) (types.OutboundStatus, error) {
	params, err := k.currentParams(ctx)
	if err != nil {
		return 0, err
	}
	if !k.isAttester(params, attester) {
		return 0, errorsmod.Wrapf(types.ErrNotAttester, "%s", sdk.AccAddress(attester))
	}
	// Finalising while paused is refused: a pause is how attesters stop a suspected attack,
	// and a refund is a release of BAI.
	if err := k.requireOpen(ctx, params); err != nil {
		return 0, err
	}
	hash := ""
	if ethTxHash != "" || success {
		if hash, err = types.NormalizeEthTxHash(ethTxHash); err != nil {
			return 0, err
		}
	}
	transfer, err := k.Outbound.Get(ctx, nonce)
	if err != nil {
		if isNotFound(err) {
			return 0, errorsmod.Wrapf(types.ErrTransferNotFound, "nonce %d", nonce)
		}
		return 0, err
	}
	if transfer.Status != types.OUTBOUND_STATUS_PENDING {
		return 0, errorsmod.Wrapf(types.ErrTransferFinalized, "transfer %d is %s", nonce, transfer.Status)
	}
	attesterStr, err := k.addressCodec.BytesToString(attester)
	if err != nil {
		return 0, err
	}
	voted := false
	for _, a := range transfer.Attestations {
		if a.Attester == attesterStr {
			voted = true
			if a.EthTxHash != hash || a.Success != success {
				return 0, errorsmod.Wrapf(types.ErrDuplicateVote, "%s already attested transfer %d", attesterStr, nonce)
			}
		}
	}
	if !voted {
		transfer.Attestations = append(transfer.Attestations, types.OutboundAttestation{Attester: attesterStr, EthTxHash: hash, Success: success})
	}
	var agreeing []string
	for _, a := range transfer.Attestations {
		if a.EthTxHash == hash && a.Success == success {
			agreeing = append(agreeing, a.Attester)
		}
	}
	votes := countCurrentAttesters(params, agreeing)
	if voted && votes < params.AttestationThreshold {
		// Repeating one's own vote only serves to re-tally after governance lowered the
		// threshold; otherwise it is a duplicate.
		return 0, errorsmod.Wrapf(types.ErrDuplicateVote, "%s already attested transfer %d", attesterStr, nonce)
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	if err := sdkCtx.EventManager().EmitTypedEvent(&types.EventOutboundAttested{
		Nonce: nonce, Attester: attesterStr, EthTxHash: hash, Success: success, Votes: votes,
	}); err != nil {
		return 0, err
	}

	if votes >= params.AttestationThreshold {
		if err := k.finalizeOutbound(ctx, &transfer, hash, success); err != nil {
			return 0, err
		}
	}
	if err := k.Outbound.Set(ctx, nonce, transfer); err != nil {
		return 0, err
	}
	return transfer.Status, nil
}

// finalizeOutbound completes or refunds a transfer whose threshold was reached.
func (k Keeper) finalizeOutbound(ctx context.Context, transfer *types.OutboundTransfer, hash string, success bool) error {
	totals, err := k.GetTotals(ctx)
	if err != nil {
		return err
	}
	transfer.EthTxHash = hash
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	if success {
		transfer.Status = types.OUTBOUND_STATUS_COMPLETED
		totals.WbaiOutstanding = totals.WbaiOutstanding.Add(transfer.Amount.Amount)
		if err := k.setTotals(ctx, totals); err != nil {
			return err
		}
		return sdkCtx.EventManager().EmitTypedEvent(&types.EventOutboundCompleted{
			Nonce: transfer.Nonce, EthTxHash: hash, Amount: transfer.Amount,
		})
	}

	sender, err := k.addressCodec.StringToBytes(transfer.Sender)
	if err != nil {
		return err
	}
	if err := k.bankKeeper.SendCoinsFromModuleToAccount(ctx, types.ModuleName, sender, sdk.NewCoins(transfer.Amount)); err != nil {
		return err
	}
	transfer.Status = types.OUTBOUND_STATUS_REFUNDED
	totals.TotalRefunded = totals.TotalRefunded.Add(transfer.Amount.Amount)
	if err := k.setTotals(ctx, totals); err != nil {
		return err
	}
	return sdkCtx.EventManager().EmitTypedEvent(&types.EventOutboundRefunded{
		Nonce: transfer.Nonce, Sender: transfer.Sender, Amount: transfer.Amount, EthTxHash: hash,
	})
}
