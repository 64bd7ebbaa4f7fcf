package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module name. x/access holds no funds and has no module account.
	ModuleName = "access"
	// StoreKey is the store key of the module. It is not the module name: "acc" (x/auth's store
	// key) is a prefix of "access", and store keys must not prefix one another.
	StoreKey = "stakeaccess"
	// SecondsPerDay turns block time into the UTC day number the daily quotas count in.
	SecondsPerDay = int64(86400)
)

var (
	// ParamsKey holds the Params.
	ParamsKey = collections.NewPrefix(0)
	// ReceiptSeqKey holds the last issued receipt id.
	ReceiptSeqKey = collections.NewPrefix(1)
	// ReceiptBatchesKey holds the receipts, one ReceiptBatch per MsgRecordUsage, by the batch's
	// first receipt id.
	ReceiptBatchesKey = collections.NewPrefix(2)
	// BatchesByListingKey indexes the batches by (listing_id, first receipt id); the value is
	// the batch's number of records.
	BatchesByListingKey = collections.NewPrefix(3)
	// BatchesByUserKey indexes the batches by ((listing_id, user), first receipt id), one entry
	// per user a batch serves; the value is the number of that user's records in the batch.
	BatchesByUserKey = collections.NewPrefix(4)
	// Prefix 5 is not used: batches are pruned in id order, which is their time order.
	// OperatorsKey holds the operator set as (listing_id, operator).
	OperatorsKey = collections.NewPrefix(6)
	// AllowlistKey holds the allowlists as (listing_id, generation, user); only the entries of
	// the listing's current generation count.
	AllowlistKey = collections.NewPrefix(7)
	// DailyUsageKey holds per-user day counters as (day, listing_id, user); day first, so the
	// map is its own pruning queue.
	DailyUsageKey = collections.NewPrefix(8)
	// ListingUsageKey holds per-listing all-time totals by listing_id.
	ListingUsageKey = collections.NewPrefix(9)
	// AllowlistGenerationKey holds each listing's current allowlist generation by listing_id
	// (absent = 0); a listing transfer moves it on, which empties the allowlist at once.
	AllowlistGenerationKey = collections.NewPrefix(10)
	// StaleAllowlistsKey queues the (listing_id, generation) allowlists left behind by a
	// transfer, for the EndBlocker to delete.
	StaleAllowlistsKey = collections.NewPrefix(11)
)
