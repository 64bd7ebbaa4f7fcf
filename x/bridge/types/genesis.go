package types

import (
	"encoding/hex"
	"fmt"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
)

// ZeroTotals returns all-zero accounting.
func ZeroTotals() Totals {
	return Totals{
		TotalLocked:     math.ZeroInt(),
		TotalReleased:   math.ZeroInt(),
		TotalRefunded:   math.ZeroInt(),
		WbaiOutstanding: math.ZeroInt(),
		LockedBalance:   math.ZeroInt(),
	}
}

// DefaultGenesisState returns an empty, disabled bridge.
func DefaultGenesisState() *GenesisState {
	return &GenesisState{
		Params:        DefaultParams(),
		Totals:        ZeroTotals(),
		LastNonce:     0,
		DailyOutbound: []DailyVolume{},
		DailyInbound:  []DailyVolume{},
	}
}

// validCoin checks a bridged amount: positive ubai.
func validCoin(c sdk.Coin) error {
	if c.Denom != Denom {
		return errorsmod.Wrapf(ErrInvalidDenom, "got %q", c.Denom)
	}
	if c.Amount.IsNil() || !c.Amount.IsPositive() {
		return errorsmod.Wrapf(ErrInvalidAmount, "got %s", c.Amount)
	}
	return nil
}

// canonicalVoter checks that a recorded voter is an account address in its canonical
// (lower-case) spelling: votes are told apart by their string, so one attester spelled two
// ways must not count twice.
func canonicalVoter(v string) error {
	if err := chainutil.CheckCanonical(v); err != nil {
		return fmt.Errorf("voter %w", err)
	}
	return nil
}

// nonNegative reports whether an Int is set and >= 0.
func nonNegative(i math.Int) bool { return !i.IsNil() && !i.IsNegative() }

// Validate checks the genesis: no duplicates, well-formed records, and accounting that matches
// the records exactly (locked = Σ transfers, refunded = Σ refunded transfers, released = Σ
// executed claims, wbai_outstanding = Σ completed − released). Params are checked last.
func (gs GenesisState) Validate() error {
	t := gs.Totals
	for _, v := range []math.Int{t.TotalLocked, t.TotalReleased, t.TotalRefunded, t.WbaiOutstanding, t.LockedBalance} {
		if !nonNegative(v) {
			return errorsmod.Wrap(ErrInvalidGenesis, "totals must be set and non-negative")
		}
	}
	if !t.LockedBalance.Equal(t.TotalLocked.Sub(t.TotalReleased).Sub(t.TotalRefunded)) {
		return errorsmod.Wrapf(ErrInvalidGenesis, "locked_balance %s != total_locked - total_released - total_refunded", t.LockedBalance)
	}

	sumAll, sumRefunded, sumCompleted, sumReleased := math.ZeroInt(), math.ZeroInt(), math.ZeroInt(), math.ZeroInt()
	nonces := make(map[uint64]bool, len(gs.OutboundTransfers))
	for _, tr := range gs.OutboundTransfers {
		if tr.Nonce == 0 || tr.Nonce > gs.LastNonce {
			return errorsmod.Wrapf(ErrInvalidGenesis, "transfer nonce %d outside [1, last_nonce %d]", tr.Nonce, gs.LastNonce)
		}
		if nonces[tr.Nonce] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate transfer nonce %d", tr.Nonce)
		}
		nonces[tr.Nonce] = true
		if _, err := sdk.AccAddressFromBech32(tr.Sender); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "transfer %d sender: %s", tr.Nonce, err)
		}
		if _, err := ValidateEthRecipient(tr.EthRecipient); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "transfer %d: %s", tr.Nonce, err)
		}
		if err := validCoin(tr.Amount); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "transfer %d amount: %s", tr.Nonce, err)
		}
		voters := make(map[string]bool, len(tr.Attestations))
		for _, a := range tr.Attestations {
			if err := canonicalVoter(a.Attester); err != nil {
				return errorsmod.Wrapf(ErrInvalidGenesis, "transfer %d: %s", tr.Nonce, err)
			}
			if voters[a.Attester] {
				return errorsmod.Wrapf(ErrInvalidGenesis, "transfer %d: attester %s voted twice", tr.Nonce, a.Attester)
			}
			voters[a.Attester] = true
		}
		sumAll = sumAll.Add(tr.Amount.Amount)
		switch tr.Status {
		case OUTBOUND_STATUS_PENDING:
		case OUTBOUND_STATUS_COMPLETED:
			sumCompleted = sumCompleted.Add(tr.Amount.Amount)
		case OUTBOUND_STATUS_REFUNDED:
			sumRefunded = sumRefunded.Add(tr.Amount.Amount)
		default:
			return errorsmod.Wrapf(ErrInvalidGenesis, "transfer %d has status %s", tr.Nonce, tr.Status)
		}
	}

	claims := make(map[string]ClaimStatus, len(gs.InboundClaims))
	// executed maps each executed Ethereum event (tx hash, log index) to its claim: an event is
	// paid at most once, whatever ethereum_chain_id its claim id was derived under.
	type event struct {
		txHash   string
		logIndex uint64
	}
	executed := make(map[event]string, len(gs.InboundClaims))
	for _, c := range gs.InboundClaims {
		if id, err := hex.DecodeString(c.ClaimId); err != nil || len(id) != 32 || hex.EncodeToString(id) != c.ClaimId {
			return errorsmod.Wrapf(ErrInvalidGenesis, "claim id %q is not 64 lowercase hex digits", c.ClaimId)
		}
		if _, ok := claims[c.ClaimId]; ok {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate claim %s", c.ClaimId)
		}
		claims[c.ClaimId] = c.Status
		if err := validateClaim(c); err != nil {
			return err
		}
		if c.Status == CLAIM_STATUS_EXECUTED {
			sumReleased = sumReleased.Add(c.Amount.Amount)
			ev := event{c.EthTxHash, c.LogIndex}
			if other, dup := executed[ev]; dup {
				return errorsmod.Wrapf(ErrInvalidGenesis, "claims %s and %s both executed Ethereum event %s log %d", other, c.ClaimId, c.EthTxHash, c.LogIndex)
			}
			executed[ev] = c.ClaimId
		}
	}

	if !sumAll.Equal(t.TotalLocked) {
		return errorsmod.Wrapf(ErrInvalidGenesis, "total_locked %s != sum of transfers %s", t.TotalLocked, sumAll)
	}
	if !sumRefunded.Equal(t.TotalRefunded) {
		return errorsmod.Wrapf(ErrInvalidGenesis, "total_refunded %s != sum of refunded transfers %s", t.TotalRefunded, sumRefunded)
	}
	if !sumReleased.Equal(t.TotalReleased) {
		return errorsmod.Wrapf(ErrInvalidGenesis, "total_released %s != sum of executed claims %s", t.TotalReleased, sumReleased)
	}
	if !sumCompleted.Sub(sumReleased).Equal(t.WbaiOutstanding) {
		return errorsmod.Wrapf(ErrInvalidGenesis, "wbai_outstanding %s != completed %s - released %s", t.WbaiOutstanding, sumCompleted, sumReleased)
	}

	queued := make(map[string]bool, len(gs.FailedClaimQueue))
	for _, id := range gs.FailedClaimQueue {
		if queued[id] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "claim %s queued twice", id)
		}
		queued[id] = true
		if st, ok := claims[id]; !ok || st != CLAIM_STATUS_FAILED {
			return errorsmod.Wrapf(ErrInvalidGenesis, "queued claim %s is not a FAILED claim", id)
		}
	}
	for _, c := range gs.InboundClaims {
		// A FAILED claim whose Ethereum event another claim executed can never pay: it has
		// left the retry queue.
		if _, superseded := executed[event{c.EthTxHash, c.LogIndex}]; c.Status == CLAIM_STATUS_FAILED && !queued[c.ClaimId] && !superseded {
			return errorsmod.Wrapf(ErrInvalidGenesis, "FAILED claim %s is missing from failed_claim_queue", c.ClaimId)
		}
	}

	for _, dir := range []struct {
		name string
		days []DailyVolume
	}{{"daily_outbound", gs.DailyOutbound}, {"daily_inbound", gs.DailyInbound}} {
		name := dir.name
		seen := make(map[int64]bool, len(dir.days))
		for _, d := range dir.days {
			if seen[d.Day] {
				return errorsmod.Wrapf(ErrInvalidGenesis, "%s: day %d listed twice", name, d.Day)
			}
			seen[d.Day] = true
			if !nonNegative(d.Amount) {
				return errorsmod.Wrapf(ErrInvalidGenesis, "%s: day %d amount must be non-negative", name, d.Day)
			}
		}
	}

	if err := gs.Params.Validate(); err != nil {
		return errorsmod.Wrap(ErrInvalidGenesis, err.Error())
	}
	return nil
}

// validateClaim checks one inbound claim record.
func validateClaim(c InboundClaim) error {
	norm, err := NormalizeEthTxHash(c.EthTxHash)
	if err != nil {
		return errorsmod.Wrapf(ErrInvalidGenesis, "claim %s: %s", c.ClaimId, err)
	}
	if norm != c.EthTxHash {
		return errorsmod.Wrapf(ErrInvalidGenesis, "claim %s: eth_tx_hash %s must be lowercase (%s)", c.ClaimId, c.EthTxHash, norm)
	}
	voters := map[string]bool{}
	var agreed *ClaimContent
	for i, ct := range c.Contents {
		recipient, err := sdk.AccAddressFromBech32(ct.Recipient)
		if err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "claim %s content %d recipient: %s", c.ClaimId, i, err)
		}
		if err := validCoin(ct.Amount); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "claim %s content %d amount: %s", c.ClaimId, i, err)
		}
		hash, err := ClaimContentHash(c.ClaimId, ct.EthBlock, ct.EthSender, recipient, ct.Amount)
		if err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "claim %s content %d: %s", c.ClaimId, i, err)
		}
		if hash != ct.ContentHash {
			return errorsmod.Wrapf(ErrInvalidGenesis, "claim %s content %d: content_hash %s is not the hash of its fields (%s)", c.ClaimId, i, ct.ContentHash, hash)
		}
		if ct.ContentHash == c.AgreedContentHash {
			agreed = &c.Contents[i]
		}
		for _, v := range ct.Voters {
			if err := canonicalVoter(v); err != nil {
				return errorsmod.Wrapf(ErrInvalidGenesis, "claim %s: %s", c.ClaimId, err)
			}
			if voters[v] {
				return errorsmod.Wrapf(ErrInvalidGenesis, "claim %s: attester %s voted twice", c.ClaimId, v)
			}
			voters[v] = true
		}
	}
	switch c.Status {
	case CLAIM_STATUS_PENDING:
		if c.AgreedContentHash != "" {
			return errorsmod.Wrapf(ErrInvalidGenesis, "pending claim %s has an agreed content", c.ClaimId)
		}
	case CLAIM_STATUS_FAILED, CLAIM_STATUS_EXECUTED:
		if c.AgreedContentHash == "" || agreed == nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "claim %s has no agreed content among its votes", c.ClaimId)
		}
		// What a claim pays is its agreed content, copied when it was agreed.
		if c.EthBlock != agreed.EthBlock || c.EthSender != agreed.EthSender || c.Recipient != agreed.Recipient ||
			!c.Amount.Equal(agreed.Amount) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "claim %s: its block, sender, recipient and amount must be its agreed content's", c.ClaimId)
		}
	default:
		return errorsmod.Wrap(ErrInvalidGenesis, fmt.Sprintf("claim %s has status %s", c.ClaimId, c.Status))
	}
	return nil
}
