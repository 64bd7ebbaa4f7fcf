// Package keeper holds the x/access state and its state transitions.
package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/collections/indexes"
	"cosmossdk.io/core/address"
	corestore "cosmossdk.io/core/store"
	"cosmossdk.io/log"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/access/types"
)

// ReceiptIndexes are the secondary indexes of Receipts, kept by the IndexedMap.
type ReceiptIndexes struct {
	// Listing indexes receipts by (listing id, receipt id): receipts_by_listing.
	Listing *indexes.Multi[uint64, uint64, types.Receipt]
	// User indexes receipts by ((listing id, user), receipt id): receipts_by_listing_user.
	User *indexes.Multi[collections.Pair[uint64, sdk.AccAddress], uint64, types.Receipt]
}

// IndexesList implements collections.Indexes.
func (i ReceiptIndexes) IndexesList() []collections.Index[uint64, types.Receipt] {
	return []collections.Index[uint64, types.Receipt]{i.Listing, i.User}
}

// NewReceiptIndexes builds the receipt indexes on the schema; ac decodes users.
func NewReceiptIndexes(sb *collections.SchemaBuilder, ac address.Codec) ReceiptIndexes {
	return ReceiptIndexes{
		Listing: indexes.NewMulti(sb, types.ReceiptsByListingKey, "receipts_by_listing",
			collections.Uint64Key, collections.Uint64Key,
			func(_ uint64, r types.Receipt) (uint64, error) { return r.ListingId, nil }),
		User: indexes.NewMulti(sb, types.ReceiptsByUserKey, "receipts_by_listing_user",
			collections.PairKeyCodec(collections.Uint64Key, sdk.AccAddressKey), collections.Uint64Key,
			func(_ uint64, r types.Receipt) (collections.Pair[uint64, sdk.AccAddress], error) {
				user, err := ac.StringToBytes(r.User)
				return collections.Join(r.ListingId, sdk.AccAddress(user)), err
			}),
	}
}

// receiptEntries are plain collections over the entries of Receipts and of its two indexes,
// with the IndexedMap's own codecs (the indexes' through chainutil.IndexKeys): the queries page
// through the index entries, the invariant reads them, and insertReceipt writes a new receipt
// through them, without the previous-value read of IndexedMap.Set (a receipt id from the
// sequence never had one). Reads other than these, removal and genesis go through Receipts.
type receiptEntries struct {
	values    collections.Map[uint64, types.Receipt]
	byListing collections.KeySet[collections.Pair[uint64, uint64]]
	byUser    collections.KeySet[collections.Pair[collections.Pair[uint64, sdk.AccAddress], uint64]]
}

func newReceiptEntries(storeService corestore.KVStoreService, receipts *collections.IndexedMap[uint64, types.Receipt, ReceiptIndexes]) receiptEntries {
	return receiptEntries{
		// A schema of its own, never built: the prefix is Receipts', registered once.
		values: collections.NewMap(collections.NewSchemaBuilder(storeService), types.ReceiptsKey, "receipts",
			receipts.KeyCodec(), receipts.ValueCodec()),
		byListing: chainutil.IndexKeys(storeService, types.ReceiptsByListingKey, receipts.Indexes.Listing.KeyCodec()),
		byUser:    chainutil.IndexKeys(storeService, types.ReceiptsByUserKey, receipts.Indexes.User.KeyCodec()),
	}
}

// Keeper holds the x/access state: operators, allowlists, receipts with their indexes,
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
	// Receipts holds the kept receipts by id, indexed by listing and by (listing, user).
	Receipts *collections.IndexedMap[uint64, types.Receipt, ReceiptIndexes]
	// receiptEntries reads and writes the entries of Receipts and its indexes directly.
	receiptEntries receiptEntries
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
		Receipts: collections.NewIndexedMap(sb, types.ReceiptsKey, "receipts", collections.Uint64Key,
			codec.CollValue[types.Receipt](cdc), NewReceiptIndexes(sb, addressCodec)),
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
	k.receiptEntries = newReceiptEntries(storeService, k.Receipts)
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
