package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/bridge/types"
)

// InboundAttestation is a validated MsgAttestInbound.
type InboundAttestation struct {
	Attester  sdk.AccAddress
	EthTxHash string
	LogIndex  uint64
	EthBlock  uint64
	EthSender string
	Recipient sdk.AccAddress
	Amount    sdk.Coin
}

// AttestInbound records an attester's claim of a wBAI burn and executes the claim when
// attestation_threshold current attesters agree on identical content.
//
//   - EXECUTED claims refuse every later attestation (ErrClaimExecuted): replay protection.
//     So does every claim of an Ethereum event (tx hash, log index) that another claim
//     executed: claim ids include ethereum_chain_id, the executed set does not, so a chain id
//     change cannot replay an executed event under a new claim id.
//   - PENDING claims take one vote per attester (ErrDuplicateVote otherwise), grouped by
//     content hash; a content reaching the threshold becomes the agreed content.
//   - FAILED claims (agreed but not payable) only take the agreed content
//     (ErrClaimContentMismatch otherwise) while at least the threshold of current attesters
//     are among its voters. An attester that has not voted adds its vote and the claim is
//     retried; one that has voted triggers a retry without a second vote, and the message
//     fails with ErrClaimNotPayable (changing nothing) if the claim still can't pay. Once
//     governance has taken that agreement away, other content reopens the claim (PENDING).
//   - A recipient that is a module account is refused (ErrInvalidRecipient): it could never
//     be paid.
func (k Keeper) AttestInbound(ctx context.Context, in InboundAttestation) (string, types.ClaimStatus, error) {
	params, err := k.currentParams(ctx)
	if err != nil {
		return "", 0, err
	}
	if !k.isAttester(params, in.Attester) {
		return "", 0, errorsmod.Wrapf(types.ErrNotAttester, "%s", in.Attester)
	}
	if params.AttestationThreshold == 0 {
		return "", 0, errorsmod.Wrap(types.ErrBridgeDisabled, "no attestation threshold is configured")
	}
	txHash, err := types.NormalizeEthTxHash(in.EthTxHash)
	if err != nil {
		return "", 0, err
	}
	ethSender, err := types.NormalizeEthAddress(in.EthSender)
	if err != nil {
		return "", 0, err
	}
	if in.Amount.Denom != types.Denom {
		return "", 0, errorsmod.Wrapf(types.ErrInvalidDenom, "got %q, want %s", in.Amount.Denom, types.Denom)
	}
	if in.Amount.Amount.IsNil() || !in.Amount.Amount.IsPositive() {
		return "", 0, errorsmod.Wrapf(types.ErrInvalidAmount, "got %s", in.Amount.Amount)
	}
	// A burn naming a module account can never be paid: refused before it is stored, so that
	// such burns (cheap on Ethereum) cannot fill the retry queue with claims that wait forever.
	if k.bankKeeper.BlockedAddr(in.Recipient) {
		return "", 0, errorsmod.Wrapf(types.ErrInvalidRecipient,
			"%s is a module account, which cannot receive BAI: this burn can never be released", in.Recipient)
	}
	claimID, err := types.DeriveClaimID(params.EthereumChainId, txHash, in.LogIndex)
	if err != nil {
		return "", 0, err
	}
	contentHash, err := types.ClaimContentHash(claimID, in.EthBlock, ethSender, in.Recipient, in.Amount)
	if err != nil {
		return "", 0, err
	}
	attester, err := k.addressCodec.BytesToString(in.Attester)
	if err != nil {
		return "", 0, err
	}
	recipient, err := k.addressCodec.BytesToString(in.Recipient)
	if err != nil {
		return "", 0, err
	}

	sdkCtx := sdk.UnwrapSDKContext(ctx)
	claim, err := k.Claims.Get(ctx, claimID)
	switch {
	case isNotFound(err):
		claim = types.InboundClaim{
			ClaimId:   claimID,
			EthTxHash: txHash,
			LogIndex:  in.LogIndex,
			Status:    types.CLAIM_STATUS_PENDING,
			Amount:    sdk.NewInt64Coin(types.Denom, 0),
			CreatedAt: sdkCtx.BlockTime().UTC(),
			Contents:  []types.ClaimContent{},
		}
	case err != nil:
		return "", 0, err
	}

	if claim.Status == types.CLAIM_STATUS_EXECUTED {
		return "", 0, errorsmod.Wrapf(types.ErrClaimExecuted, "claim %s was executed at height %d", claimID, claim.ExecutedHeight)
	}
	executedBy, err := k.ExecutedBy(ctx, txHash, in.LogIndex)
	if err != nil {
		return "", 0, err
	}
	if executedBy != "" {
		return "", 0, errorsmod.Wrapf(types.ErrClaimExecuted,
			"Ethereum event %s log %d was already paid by claim %s (derived under another ethereum_chain_id); replays are refused",
			txHash, in.LogIndex, executedBy)
	}
	voted := hasVoted(claim, attester)
	if claim.Status == types.CLAIM_STATUS_FAILED && contentHash != claim.AgreedContentHash {
		// An agreement stands while enough current attesters are among its voters. One that
		// governance took away (it removed the attesters that agreed, or raised the threshold)
		// is dropped when a current attester reports other content, and the current attesters
		// agree again: otherwise content agreed by attesters since removed (a wrong recipient,
		// say) would hold the Ethereum event for ever, and the burn could never be paid.
		if countCurrentAttesters(params, agreedVoters(&claim)) >= params.AttestationThreshold {
			return "", 0, errorsmod.Wrapf(types.ErrClaimContentMismatch, "claim %s agreed on content %s, got %s", claimID, claim.AgreedContentHash, contentHash)
		}
		if err := k.reopenClaim(ctx, &claim); err != nil {
			return "", 0, err
		}
	}
	if claim.Status == types.CLAIM_STATUS_FAILED {
		if voted {
			// Retry trigger only. The attempt runs in a cache so nothing is written unless it
			// pays; a still unpayable claim fails the message and changes nothing.
			cacheCtx, write := sdkCtx.CacheContext()
			reason, err := k.tryExecute(cacheCtx, &claim, params)
			if err != nil {
				return "", 0, err
			}
			if reason != "" {
				return "", 0, errorsmod.Wrapf(types.ErrClaimNotPayable, "claim %s: %s", claimID, reason)
			}
			if err := k.Claims.Set(cacheCtx, claimID, claim); err != nil {
				return "", 0, err
			}
			write()
			return claimID, claim.Status, nil
		}
	}

	idx := -1
	for i, c := range claim.Contents {
		if c.ContentHash == contentHash {
			idx = i
			break
		}
	}
	if claim.Status == types.CLAIM_STATUS_PENDING && voted {
		// A second vote is refused, except to re-trigger a tally of the voter's own content:
		// after governance lowered the threshold, votes already cast may now suffice.
		if idx < 0 || !contains(claim.Contents[idx].Voters, attester) ||
			countCurrentAttesters(params, claim.Contents[idx].Voters) < params.AttestationThreshold {
			return "", 0, errorsmod.Wrapf(types.ErrDuplicateVote, "%s already attested claim %s", attester, claimID)
		}
	}

	// Add the vote to its content group.
	if idx < 0 {
		claim.Contents = append(claim.Contents, types.ClaimContent{
			ContentHash: contentHash,
			EthBlock:    in.EthBlock,
			EthSender:   ethSender,
			Recipient:   recipient,
			Amount:      in.Amount,
		})
		idx = len(claim.Contents) - 1
	}
	if !voted {
		claim.Contents[idx].Voters = append(claim.Contents[idx].Voters, attester)
	}
	votes := countCurrentAttesters(params, claim.Contents[idx].Voters)
	if err := sdkCtx.EventManager().EmitTypedEvent(&types.EventInboundAttested{
		ClaimId: claimID, Attester: attester, ContentHash: contentHash, Votes: votes,
	}); err != nil {
		return "", 0, err
	}

	if claim.Status == types.CLAIM_STATUS_PENDING && votes >= params.AttestationThreshold {
		agreed := claim.Contents[idx]
		claim.AgreedContentHash = agreed.ContentHash
		claim.EthBlock = agreed.EthBlock
		claim.EthSender = agreed.EthSender
		claim.Recipient = agreed.Recipient
		claim.Amount = agreed.Amount
		claim.Status = types.CLAIM_STATUS_FAILED // until tryExecute pays it
	}
	if claim.Status == types.CLAIM_STATUS_FAILED {
		if _, err := k.executeOrQueue(ctx, &claim, params); err != nil {
			return "", 0, err
		}
	}
	if err := k.Claims.Set(ctx, claimID, claim); err != nil {
		return "", 0, err
	}
	return claimID, claim.Status, nil
}

// reopenClaim drops a FAILED claim's agreement, which no longer has enough current attesters
// among its voters: the claim is PENDING again, with its votes kept (those of attesters since
// removed do not count), and leaves the retry queue.
func (k Keeper) reopenClaim(ctx context.Context, claim *types.InboundClaim) error {
	previous := claim.AgreedContentHash
	claim.Status = types.CLAIM_STATUS_PENDING
	claim.AgreedContentHash = ""
	claim.EthBlock, claim.EthSender, claim.Recipient = 0, "", ""
	claim.Amount = sdk.NewInt64Coin(types.Denom, 0)
	claim.FailureReason = ""
	if err := k.dequeueRetry(ctx, claim.ClaimId); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventClaimReopened{
		ClaimId: claim.ClaimId, PreviousContentHash: previous,
	})
}

// agreedVoters returns the voters of the claim's agreed content.
func agreedVoters(claim *types.InboundClaim) []string {
	for _, c := range claim.Contents {
		if c.ContentHash == claim.AgreedContentHash {
			return c.Voters
		}
	}
	return nil
}

// contains reports whether list holds s.
func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// hasVoted reports whether attester voted on any content of the claim.
func hasVoted(claim types.InboundClaim, attester string) bool {
	for _, c := range claim.Contents {
		for _, v := range c.Voters {
			if v == attester {
				return true
			}
		}
	}
	return false
}

// executeOrQueue tries to pay an agreed claim; when it cannot, the claim is left FAILED with its
// reason, an EventClaimFailed is emitted when the reason is new, and it is (re)queued at the back
// of the retry queue — unless another claim already paid its Ethereum event, in which case it
// leaves the queue for good.
// It does not store the claim itself. It returns whether the claim was paid.
func (k Keeper) executeOrQueue(ctx context.Context, claim *types.InboundClaim, params currentParams) (bool, error) {
	reason, err := k.tryExecute(ctx, claim, params)
	if err != nil {
		return false, err
	}
	if reason == "" {
		return true, nil
	}
	changed := claim.FailureReason != reason
	claim.Status = types.CLAIM_STATUS_FAILED
	claim.FailureReason = reason
	superseded, err := k.supersededBy(ctx, claim)
	if err != nil {
		return false, err
	}
	if superseded != "" {
		// Another claim paid this Ethereum event: this one can never pay. It stays FAILED
		// (visible, with its reason) but leaves the retry queue.
		if err := k.dequeueRetry(ctx, claim.ClaimId); err != nil {
			return false, err
		}
	} else if err := k.enqueueRetry(ctx, claim.ClaimId); err != nil {
		return false, err
	}
	if !changed {
		// Same blocker as last time: no new event, so retries don't flood indexers.
		return false, nil
	}
	return false, sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventClaimFailed{ClaimId: claim.ClaimId, Reason: reason})
}

// supersededBy returns the id of another claim that executed the claim's Ethereum event (the
// same tx hash and log index under another ethereum_chain_id), or "" when there is none.
func (k Keeper) supersededBy(ctx context.Context, claim *types.InboundClaim) (string, error) {
	by, err := k.ExecutedBy(ctx, claim.EthTxHash, claim.LogIndex)
	if err != nil || by == claim.ClaimId {
		return "", err
	}
	return by, nil
}

// payableReason returns why an agreed claim cannot be paid now, or "" when it can.
func (k Keeper) payableReason(ctx context.Context, claim *types.InboundClaim, params currentParams) (string, error) {
	// First: an Ethereum event is paid at most once, whatever the chain id its claim used.
	by, err := k.supersededBy(ctx, claim)
	if err != nil {
		return "", err
	}
	if by != "" {
		return fmt.Sprintf("Ethereum event %s log %d was already paid by claim %s", claim.EthTxHash, claim.LogIndex, by), nil
	}
	// Only votes of current attesters count, when it pays as when it was agreed: a claim that
	// waited (paused, over a limit) while governance removed the attesters that agreed on it, or
	// raised the threshold, pays only once enough current attesters confirm it.
	if votes := countCurrentAttesters(params, agreedVoters(claim)); votes < params.AttestationThreshold {
		return fmt.Sprintf("%d current attesters agree on it, below the threshold %d: current attesters must confirm it",
			votes, params.AttestationThreshold), nil
	}
	if !params.Enabled {
		return "bridge is disabled", nil
	}
	paused, err := k.IsPaused(ctx)
	if err != nil {
		return "", err
	}
	if paused {
		return "bridge is paused", nil
	}
	recipient, err := k.addressCodec.StringToBytes(claim.Recipient)
	if err != nil {
		return "", err
	}
	if k.bankKeeper.BlockedAddr(recipient) {
		return fmt.Sprintf("recipient %s is a blocked address", claim.Recipient), nil
	}
	amount := claim.Amount.Amount
	totals, err := k.GetTotals(ctx)
	if err != nil {
		return "", err
	}
	if amount.GT(totals.LockedBalance) {
		return fmt.Sprintf("amount %s%s exceeds the locked balance %s%s", amount, types.Denom, totals.LockedBalance, types.Denom), nil
	}
	if bal := k.bankKeeper.GetBalance(ctx, k.moduleAddress, types.Denom); amount.GT(bal.Amount) {
		return fmt.Sprintf("amount %s%s exceeds the bridge account balance %s", amount, types.Denom, bal), nil
	}
	if amount.GT(totals.WbaiOutstanding) {
		return fmt.Sprintf("amount %s%s exceeds the wBAI outstanding %s%s", amount, types.Denom, totals.WbaiOutstanding, types.Denom), nil
	}
	// amount <= wbai_outstanding (bounded by supply), so the sum cannot overflow.
	used, err := dailyUsed(ctx, k.DailyInbound, Day(ctx))
	if err != nil {
		return "", err
	}
	if used.Add(amount).GT(params.DailyInboundLimit) {
		return fmt.Sprintf("daily inbound limit %s%s reached (%s%s released today)", params.DailyInboundLimit, types.Denom, used, types.Denom), nil
	}
	return "", nil
}

// tryExecute pays an agreed claim if possible: BAI from the bridge account to the recipient,
// total_released += amount, wbai_outstanding -= amount, today's inbound counter += amount,
// the Ethereum event joins ExecutedEvents, status EXECUTED and the claim leaves the retry
// queue. It returns the reason when it cannot pay (and then writes nothing). It does not store
// the claim itself.
func (k Keeper) tryExecute(ctx context.Context, claim *types.InboundClaim, params currentParams) (string, error) {
	reason, err := k.payableReason(ctx, claim, params)
	if err != nil || reason != "" {
		return reason, err
	}
	recipient, err := k.addressCodec.StringToBytes(claim.Recipient)
	if err != nil {
		return "", err
	}
	if err := k.bankKeeper.SendCoinsFromModuleToAccount(ctx, types.ModuleName, recipient, sdk.NewCoins(claim.Amount)); err != nil {
		return "", err
	}
	totals, err := k.GetTotals(ctx)
	if err != nil {
		return "", err
	}
	totals.TotalReleased = totals.TotalReleased.Add(claim.Amount.Amount)
	totals.WbaiOutstanding = totals.WbaiOutstanding.Sub(claim.Amount.Amount)
	if err := k.setTotals(ctx, totals); err != nil {
		return "", err
	}
	day := Day(ctx)
	used, err := dailyUsed(ctx, k.DailyInbound, day)
	if err != nil {
		return "", err
	}
	if err := k.DailyInbound.Set(ctx, day, used.Add(claim.Amount.Amount)); err != nil {
		return "", err
	}
	if err := k.dequeueRetry(ctx, claim.ClaimId); err != nil {
		return "", err
	}
	if err := k.ExecutedEvents.Set(ctx, collections.Join(claim.EthTxHash, claim.LogIndex), claim.ClaimId); err != nil {
		return "", err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	claim.Status = types.CLAIM_STATUS_EXECUTED
	claim.FailureReason = ""
	claim.ExecutedHeight = sdkCtx.BlockHeight()
	return "", sdkCtx.EventManager().EmitTypedEvent(&types.EventClaimExecuted{
		ClaimId: claim.ClaimId, Recipient: claim.Recipient, Amount: claim.Amount,
		EthTxHash: claim.EthTxHash, LogIndex: claim.LogIndex,
	})
}

// enqueueRetry puts a claim at the back of the retry queue (moving it if already queued).
func (k Keeper) enqueueRetry(ctx context.Context, claimID string) error {
	if err := k.dequeueRetry(ctx, claimID); err != nil {
		return err
	}
	pos, err := k.RetrySeq.Next(ctx)
	if err != nil {
		return err
	}
	if err := k.RetryQueue.Set(ctx, pairKey(pos, claimID)); err != nil {
		return err
	}
	return k.RetryPosition.Set(ctx, claimID, pos)
}

// dequeueRetry removes a claim from the retry queue if it is there.
func (k Keeper) dequeueRetry(ctx context.Context, claimID string) error {
	pos, err := k.RetryPosition.Get(ctx, claimID)
	if isNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := k.RetryQueue.Remove(ctx, pairKey(pos, claimID)); err != nil {
		return err
	}
	return k.RetryPosition.Remove(ctx, claimID)
}
