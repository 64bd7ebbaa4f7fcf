// Package keeper holds the x/access state and its state transitions.
package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/address"
	corestore "cosmossdk.io/core/store"
	"cosmossdk.io/log"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/access/types"
)

// Keeper holds the x/access state: operators, allowlists, receipt batches with their indexes,
// per-user day counters and per-listing totals.
type Keeper struct {
	cdc               codec.BinaryCodec
	storeService      corestore.KVStoreService
	addressCodec      address.Codec
	marketplaceKeeper types.MarketplaceKeeper
	stakingKeeper     types.StakingKeeper
	// authority is the gov module account, the only signer of MsgUpdateParams.
	authority string

	// Schema is the collections schema.
	Schema collections.Schema
	// Params are the module params.
	Params collections.Item[types.Params]
	// ReceiptSeq issues receipt ids; id n is issued when it moves from n-1 to n.
	ReceiptSeq collections.Sequence
	// ReceiptBatches holds the kept receipts, one batch per MsgRecordUsage, by the batch's
	// first receipt id. A batch is written once and deleted whole (setBatch, removeBatch keep
	// the two indexes below).
	ReceiptBatches collections.Map[uint64, types.ReceiptBatch]
	// BatchesByListing indexes the batches by (listing_id, first receipt id) → records.
	BatchesByListing collections.Map[collections.Pair[uint64, uint64], uint64]
	// BatchesByUser indexes the batches by ((listing_id, user), first receipt id) → that
	// user's records in the batch.
	BatchesByUser collections.Map[collections.Pair[collections.Pair[uint64, sdk.AccAddress], uint64], uint64]
	// Operators holds each listing's operators as (listing_id, operator).
	Operators collections.KeySet[collections.Pair[uint64, sdk.AccAddress]]
	// Allowlist holds each listing's allowlist as (listing_id, generation, user). Only the
	// entries of the listing's current generation (AllowlistGeneration) are its allowlist;
	// older generations were left behind by a transfer and wait in StaleAllowlists.
	Allowlist collections.KeySet[collections.Triple[uint64, uint64, sdk.AccAddress]]
	// AllowlistGeneration holds each listing's current allowlist generation (absent = 0).
	AllowlistGeneration collections.Map[uint64, uint64]
	// StaleAllowlists queues (listing_id, generation) allowlists that no longer count, for the
	// EndBlocker to delete a bounded number of entries per block.
	StaleAllowlists collections.KeySet[collections.Pair[uint64, uint64]]
	// DailyUsage holds per-user day counters as (day, listing_id, user). Day first: the oldest
	// days come first in key order, so the EndBlocker prunes past days from the front.
	DailyUsage collections.Map[collections.Triple[int64, uint64, sdk.AccAddress], types.Usage]
	// ListingUsage holds per-listing all-time totals.
	ListingUsage collections.Map[uint64, types.Usage]
}

// NewKeeper builds the keeper. It panics when the authority does not decode. x/access has no
// module account: it holds no funds.
func NewKeeper(
	cdc codec.BinaryCodec,
	storeService corestore.KVStoreService,
	ak types.AccountKeeper,
	mk types.MarketplaceKeeper,
	sk types.StakingKeeper,
	authority string,
) Keeper {
	addressCodec := ak.AddressCodec()
	if _, err := addressCodec.StringToBytes(authority); err != nil {
		panic(fmt.Errorf("x/access: invalid authority address %q: %w", authority, err))
	}
	if mk == nil || sk == nil {
		panic("x/access: the marketplace and staking keepers are required")
	}
	sb := collections.NewSchemaBuilder(storeService)
	k := Keeper{
		cdc:               cdc,
		storeService:      storeService,
		addressCodec:      addressCodec,
		marketplaceKeeper: mk,
		stakingKeeper:     sk,
		authority:         authority,
		Params:            collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		ReceiptSeq:        collections.NewSequence(sb, types.ReceiptSeqKey, "receipt_seq"),
		ReceiptBatches: collections.NewMap(sb, types.ReceiptBatchesKey, "receipt_batches", collections.Uint64Key,
			codec.CollValue[types.ReceiptBatch](cdc)),
		BatchesByListing: collections.NewMap(sb, types.BatchesByListingKey, "receipt_batches_by_listing",
			collections.PairKeyCodec(collections.Uint64Key, collections.Uint64Key), collections.Uint64Value),
		BatchesByUser: collections.NewMap(sb, types.BatchesByUserKey, "receipt_batches_by_listing_user",
			collections.PairKeyCodec(collections.PairKeyCodec(collections.Uint64Key, sdk.AccAddressKey), collections.Uint64Key),
			collections.Uint64Value),
		Operators: collections.NewKeySet(sb, types.OperatorsKey, "operators",
			collections.PairKeyCodec(collections.Uint64Key, sdk.AccAddressKey)),
		Allowlist: collections.NewKeySet(sb, types.AllowlistKey, "allowlist",
			collections.TripleKeyCodec(collections.Uint64Key, collections.Uint64Key, sdk.AccAddressKey)),
		AllowlistGeneration: collections.NewMap(sb, types.AllowlistGenerationKey, "allowlist_generation",
			collections.Uint64Key, collections.Uint64Value),
		StaleAllowlists: collections.NewKeySet(sb, types.StaleAllowlistsKey, "stale_allowlists",
			collections.PairKeyCodec(collections.Uint64Key, collections.Uint64Key)),
		DailyUsage: collections.NewMap(sb, types.DailyUsageKey, "daily_usage",
			collections.TripleKeyCodec(collections.Int64Key, collections.Uint64Key, sdk.AccAddressKey),
			codec.CollValue[types.Usage](cdc)),
		ListingUsage: collections.NewMap(sb, types.ListingUsageKey, "listing_usage", collections.Uint64Key, codec.CollValue[types.Usage](cdc)),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// GetAuthority returns the gov module address.
func (k Keeper) GetAuthority() string { return k.authority }

// AddressCodec returns the account address codec.
func (k Keeper) AddressCodec() address.Codec { return k.addressCodec }

// Logger returns a module logger.
func (k Keeper) Logger(ctx context.Context) log.Logger {
	return sdk.UnwrapSDKContext(ctx).Logger().With("module", "x/"+types.ModuleName)
}

// Today returns the UTC day number of the block time.
func Today(ctx context.Context) int64 {
	return types.DayOf(sdk.UnwrapSDKContext(ctx).BlockTime().Unix())
}

// isNotFound reports a collections miss.
func isNotFound(err error) bool { return errors.Is(err, collections.ErrNotFound) }

// getUsage reads a counter, zero when absent.
func getUsage[K any](ctx context.Context, m collections.Map[K, types.Usage], key K) (types.Usage, error) {
	u, err := m.Get(ctx, key)
	if isNotFound(err) {
		return types.Usage{}, nil
	}
	return u, err
}
