package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module name; it is also the name of the bridge module account, which
	// holds every locked ubai and needs no mint or burn permission.
	ModuleName = "bridge"
	// StoreKey is the store key of the module.
	StoreKey = ModuleName
	// Denom is the only coin the bridge moves.
	Denom = "ubai"
	// SecondsPerDay turns block time into the UTC day number used by the daily limits.
	SecondsPerDay = int64(86400)
)

var (
	// ParamsKey holds the Params.
	ParamsKey = collections.NewPrefix(0)
	// PausedKey holds the pause switch.
	PausedKey = collections.NewPrefix(1)
	// OutboundSeqKey holds the last issued outbound nonce.
	OutboundSeqKey = collections.NewPrefix(2)
	// OutboundKey holds the outbound transfers by nonce.
	OutboundKey = collections.NewPrefix(3)
	// OutboundBySenderKey indexes outbound transfers by (sender, nonce).
	OutboundBySenderKey = collections.NewPrefix(4)
	// ClaimsKey holds the inbound claims by claim id.
	ClaimsKey = collections.NewPrefix(5)
	// TotalsKey holds the accounting totals.
	TotalsKey = collections.NewPrefix(6)
	// DailyOutboundKey holds the ubai locked per UTC day.
	DailyOutboundKey = collections.NewPrefix(7)
	// DailyInboundKey holds the ubai released per UTC day.
	DailyInboundKey = collections.NewPrefix(8)
	// RetryQueueKey holds the FAILED claims as (queue position, claim id).
	RetryQueueKey = collections.NewPrefix(9)
	// RetryPositionKey maps a queued claim id to its queue position.
	RetryPositionKey = collections.NewPrefix(10)
	// RetrySeqKey holds the next retry queue position.
	RetrySeqKey = collections.NewPrefix(11)
	// ExecutedEventsKey maps each executed Ethereum event, (tx hash, log index), to the claim
	// that paid it. It does not depend on ethereum_chain_id, so changing the chain id cannot
	// make an executed event payable again.
	ExecutedEventsKey = collections.NewPrefix(12)
)
