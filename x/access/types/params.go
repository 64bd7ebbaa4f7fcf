package types

import (
	"time"

	errorsmod "cosmossdk.io/errors"
)

// Default parameter values (docs/spec/access.md).
const (
	DefaultMaxOperators       = uint32(16)
	DefaultMaxAllowlistUpdate = uint32(100)
	DefaultMaxReceiptsPerMsg  = uint32(100)
	DefaultReceiptRetention   = 30 * 24 * time.Hour
	DefaultMaxPrunesPerBlock  = uint32(1000)
	// DefaultMaxUnitsPerRecord bounds the units one usage record may report.
	DefaultMaxUnitsPerRecord = uint64(1_000_000)

	// Upper bounds governance cannot exceed: they keep one message, and one EndBlocker, cheap.
	MaxMaxOperators       = uint32(256)
	MaxMaxAllowlistUpdate = uint32(1000)
	MaxMaxReceiptsPerMsg  = uint32(1000)
	MaxMaxPrunesPerBlock  = uint32(10000)
	// MinReceiptRetention keeps at least a full day of receipts: the daily quota is counted
	// from day counters, not receipts, but operators and curators read today's receipts.
	MinReceiptRetention = 24 * time.Hour
	// MaxReceiptRetention bounds how long receipts are kept.
	MaxReceiptRetention = 366 * 24 * time.Hour
)

// DefaultParams returns the default params.
func DefaultParams() Params {
	return Params{
		MaxOperators:       DefaultMaxOperators,
		MaxAllowlistUpdate: DefaultMaxAllowlistUpdate,
		MaxReceiptsPerMsg:  DefaultMaxReceiptsPerMsg,
		ReceiptRetention:   DefaultReceiptRetention,
		MaxPrunesPerBlock:  DefaultMaxPrunesPerBlock,
		MaxUnitsPerRecord:  DefaultMaxUnitsPerRecord,
	}
}

// Validate checks every param against its bounds.
func (p Params) Validate() error {
	if p.MaxOperators == 0 || p.MaxOperators > MaxMaxOperators {
		return errorsmod.Wrapf(ErrInvalidParams, "max_operators must be 1-%d, got %d", MaxMaxOperators, p.MaxOperators)
	}
	if p.MaxAllowlistUpdate == 0 || p.MaxAllowlistUpdate > MaxMaxAllowlistUpdate {
		return errorsmod.Wrapf(ErrInvalidParams, "max_allowlist_update must be 1-%d, got %d", MaxMaxAllowlistUpdate, p.MaxAllowlistUpdate)
	}
	if p.MaxReceiptsPerMsg == 0 || p.MaxReceiptsPerMsg > MaxMaxReceiptsPerMsg {
		return errorsmod.Wrapf(ErrInvalidParams, "max_receipts_per_msg must be 1-%d, got %d", MaxMaxReceiptsPerMsg, p.MaxReceiptsPerMsg)
	}
	if p.ReceiptRetention < MinReceiptRetention || p.ReceiptRetention > MaxReceiptRetention {
		return errorsmod.Wrapf(ErrInvalidParams, "receipt_retention must be %s-%s, got %s", MinReceiptRetention, MaxReceiptRetention, p.ReceiptRetention)
	}
	if p.ReceiptRetention%time.Second != 0 {
		return errorsmod.Wrapf(ErrInvalidParams, "receipt_retention must be whole seconds, got %s", p.ReceiptRetention)
	}
	if p.MaxPrunesPerBlock == 0 || p.MaxPrunesPerBlock > MaxMaxPrunesPerBlock {
		return errorsmod.Wrapf(ErrInvalidParams, "max_prunes_per_block must be 1-%d, got %d", MaxMaxPrunesPerBlock, p.MaxPrunesPerBlock)
	}
	// No upper bound: the counters saturate, so even 2^64-1 units cannot break a listing.
	if p.MaxUnitsPerRecord == 0 {
		return errorsmod.Wrap(ErrInvalidParams, "max_units_per_record must be at least 1, got 0")
	}
	return nil
}
