package types

import (
	"bytes"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Default parameter values. The bridge starts disabled with no attesters: governance (or a
// devnet genesis) must set attesters, a threshold and the token contract before enabling it.
var (
	// DefaultEthereumChainID is Ethereum mainnet.
	DefaultEthereumChainID = uint64(1)
	// DefaultMinTransfer is 1 BAI.
	DefaultMinTransfer = math.NewInt(1_000_000)
	// DefaultMaxTransfer is 100,000 BAI.
	DefaultMaxTransfer = math.NewInt(100_000_000_000)
	// DefaultDailyOutboundLimit is 500,000 BAI per UTC day.
	DefaultDailyOutboundLimit = math.NewInt(500_000_000_000)
	// DefaultDailyInboundLimit is 500,000 BAI per UTC day.
	DefaultDailyInboundLimit = math.NewInt(500_000_000_000)
	// DefaultMaxRetriesPerBlock bounds the EndBlocker's retries of failed claims.
	DefaultMaxRetriesPerBlock = uint32(20)
	// MaxMaxRetriesPerBlock is the largest accepted max_retries_per_block.
	MaxMaxRetriesPerBlock = uint32(1000)
	// MaxAttesters bounds the attester set (and so the votes stored per transfer or claim).
	MaxAttesters = 100
)

// DefaultParams returns the params of a new network: disabled, no attesters.
func DefaultParams() Params {
	return Params{
		Enabled:              false,
		EthereumChainId:      DefaultEthereumChainID,
		TokenContract:        "",
		Attesters:            []string{},
		AttestationThreshold: 0,
		MinTransfer:          DefaultMinTransfer,
		MaxTransfer:          DefaultMaxTransfer,
		DailyOutboundLimit:   DefaultDailyOutboundLimit,
		DailyInboundLimit:    DefaultDailyInboundLimit,
		MaxRetriesPerBlock:   DefaultMaxRetriesPerBlock,
	}
}

// Validate checks every field and its bounds. Attesters are decoded with the SDK's configured
// bech32 account prefix (bai on this chain).
func (p Params) Validate() error {
	if len(p.Attesters) > MaxAttesters {
		return errorsmod.Wrapf(ErrInvalidParams, "%d attesters; at most %d", len(p.Attesters), MaxAttesters)
	}
	seen := make([][]byte, 0, len(p.Attesters))
	for _, a := range p.Attesters {
		bz, err := sdk.AccAddressFromBech32(a)
		if err != nil {
			return errorsmod.Wrapf(ErrInvalidParams, "attester %q is not a valid bech32 account address: %s", a, err)
		}
		for _, s := range seen {
			if bytes.Equal(s, bz) {
				return errorsmod.Wrapf(ErrInvalidParams, "attester %s is listed twice", a)
			}
		}
		seen = append(seen, bz)
	}
	if int(p.AttestationThreshold) > len(p.Attesters) {
		return errorsmod.Wrapf(ErrInvalidParams, "attestation_threshold %d exceeds the %d attesters", p.AttestationThreshold, len(p.Attesters))
	}
	// A threshold of half the attesters or fewer would let two disjoint groups each agree on a
	// different content; a strict majority can be reached by one group only.
	if p.AttestationThreshold != 0 && uint64(p.AttestationThreshold)*2 <= uint64(len(p.Attesters)) {
		return errorsmod.Wrapf(ErrInvalidParams,
			"attestation_threshold %d must be more than half of the %d attesters: at least %d",
			p.AttestationThreshold, len(p.Attesters), MinAttestationThreshold(len(p.Attesters)))
	}
	if p.Enabled {
		if p.AttestationThreshold < 1 {
			return errorsmod.Wrap(ErrInvalidParams, "an enabled bridge needs attestation_threshold >= 1 (and attesters)")
		}
		if p.EthereumChainId == 0 {
			return errorsmod.Wrap(ErrInvalidParams, "an enabled bridge needs a non-zero ethereum_chain_id")
		}
		if p.TokenContract == "" {
			return errorsmod.Wrap(ErrInvalidParams, "an enabled bridge needs token_contract (the wBAI contract)")
		}
	}
	if p.TokenContract != "" {
		sum, err := NormalizeEthAddress(p.TokenContract)
		if err != nil {
			return errorsmod.Wrapf(ErrInvalidParams, "token_contract: %s", err)
		}
		if sum != p.TokenContract {
			return errorsmod.Wrapf(ErrInvalidParams, "token_contract %s must be in EIP-55 checksum form: %s", p.TokenContract, sum)
		}
		if sum == zeroEthAddress {
			return errorsmod.Wrap(ErrInvalidParams, "token_contract cannot be the zero address")
		}
	}
	for _, f := range []struct {
		name string
		v    math.Int
	}{
		{"min_transfer", p.MinTransfer},
		{"max_transfer", p.MaxTransfer},
		{"daily_outbound_limit", p.DailyOutboundLimit},
		{"daily_inbound_limit", p.DailyInboundLimit},
	} {
		if f.v.IsNil() || !f.v.IsPositive() {
			return errorsmod.Wrapf(ErrInvalidParams, "%s must be positive, got %s", f.name, f.v)
		}
	}
	if p.MinTransfer.GT(p.MaxTransfer) {
		return errorsmod.Wrapf(ErrInvalidParams, "min_transfer %s exceeds max_transfer %s", p.MinTransfer, p.MaxTransfer)
	}
	if p.MaxRetriesPerBlock < 1 || p.MaxRetriesPerBlock > MaxMaxRetriesPerBlock {
		return errorsmod.Wrapf(ErrInvalidParams, "max_retries_per_block %d must be in [1, %d]", p.MaxRetriesPerBlock, MaxMaxRetriesPerBlock)
	}
	return nil
}

// MinAttestationThreshold is the smallest accepted non-zero attestation_threshold for n
// attesters: a strict majority, floor(n/2)+1.
func MinAttestationThreshold(n int) uint32 {
	return uint32(n/2 + 1)
}
