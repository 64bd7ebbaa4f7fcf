package keeper

import (
	"context"
	"fmt"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/collections/indexes"
	"cosmossdk.io/core/address"
	storetypes "cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/log"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/marketplace/types"
)

// ListingIndexes are the secondary indexes of Listings, maintained by the IndexedMap on
// every Set/Remove.
type ListingIndexes struct {
	// Owner indexes listings by (owner address bytes, id).
	Owner *chainutil.KeptMulti[sdk.AccAddress, uint64, types.Listing]
	// Status indexes listings by (status, id).
	Status *chainutil.KeptMulti[int32, uint64, types.Listing]
	// Kind indexes listings by (kind, id).
	Kind *chainutil.KeptMulti[int32, uint64, types.Listing]
	// Task indexes listings by (task, id).
	Task *chainutil.KeptMulti[string, uint64, types.Listing]
	// Tag indexes listings by (tag, id), one entry per tag (tags are multi-valued).
	Tag *chainutil.MultiRefIndex[string, types.Listing]
}

// IndexesList implements collections.Indexes.
func (i ListingIndexes) IndexesList() []collections.Index[uint64, types.Listing] {
	return []collections.Index[uint64, types.Listing]{i.Owner, i.Status, i.Kind, i.Task, i.Tag}
}

// NewListingIndexes builds the listing indexes on the schema; ac decodes owners.
func NewListingIndexes(sb *collections.SchemaBuilder, ac address.Codec) ListingIndexes {
	return ListingIndexes{
		Owner: chainutil.NewKeptMulti(sb, types.ListingsByOwnerKey, "listings_by_owner",
			sdk.AccAddressKey, collections.Uint64Key,
			func(_ uint64, l types.Listing) (sdk.AccAddress, error) { return ac.StringToBytes(l.Owner) }),
		Status: chainutil.NewKeptMulti(sb, types.ListingsByStatusKey, "listings_by_status",
			collections.Int32Key, collections.Uint64Key,
			func(_ uint64, l types.Listing) (int32, error) { return int32(l.Status), nil }),
		Kind: chainutil.NewKeptMulti(sb, types.ListingsByKindKey, "listings_by_kind",
			collections.Int32Key, collections.Uint64Key,
			func(_ uint64, l types.Listing) (int32, error) { return int32(l.Kind), nil }),
		Task: chainutil.NewKeptMulti(sb, types.ListingsByTaskKey, "listings_by_task",
			collections.StringKey, collections.Uint64Key,
			func(_ uint64, l types.Listing) (string, error) { return l.Task, nil }),
		Tag: chainutil.NewMultiRefIndex(sb, types.ListingsByTagKey, "listings_by_tag", collections.StringKey,
			func(l types.Listing) []string { return l.Tags }),
	}
}

// Keeper holds the marketplace state: listings with their indexes, the unlock queue,
// and the counters behind the totals query and the collateral invariant.
type Keeper struct {
	cdc          codec.BinaryCodec
	storeService storetypes.KVStoreService
	authKeeper   types.AccountKeeper
	bankKeeper   types.BankKeeper
	addressCodec address.Codec
	moduleAddr   sdk.AccAddress
	// authority is the address allowed to slash listings and update params (gov).
	authority string
	// govProposals reads governance proposals (WithGovProposals); nil disables the gov hooks.
	govProposals types.GovProposals
	// govSlashDestinations are the module accounts a governance slash may be sent to
	// (WithGovSlashDestinations); without them governance can only burn.
	govSlashDestinations []string
	// hooks are called after listing changes other modules follow (SetHooks); may be nil.
	hooks types.MarketplaceHooks

	Schema collections.Schema
	// Params are the module parameters.
	Params collections.Item[types.Params]
	// ListingSeq yields listing ids; ids start at 1.
	ListingSeq collections.Sequence
	// Listings are all listings by id, indexed by owner, status, kind and task.
	Listings *collections.IndexedMap[uint64, types.Listing, ListingIndexes]
	// UnlockQueue holds (unlock unix seconds, id) of listings whose collateral is due back.
	UnlockQueue chainutil.Queue
	// Counts counts listings by (kind, status).
	Counts collections.Map[collections.Pair[int32, int32], uint64]
	// OwnerLiveCount counts each owner's live (not RETIRED) listings.
	OwnerLiveCount collections.Map[sdk.AccAddress, uint64]
	// TotalLocked is the collateral (ubai) held for listings not yet returned.
	TotalLocked collections.Item[math.Int]
	// BurnedRegistrationFees is the cumulative ubai burned as registration fees.
	BurnedRegistrationFees collections.Item[math.Int]
	// BurnedSlashes is the cumulative ubai of slashed collateral that was burned.
	BurnedSlashes collections.Item[math.Int]
	// Holds counts the open holds on each listing's collateral (x/curation flags and pending
	// governance slash proposals); a listing with no hold has no entry.
	Holds collections.Map[uint64, uint64]
	// ProposalHolds maps (proposal id, listing id) to the listing's collateral (ubai) when
	// the proposal was submitted, for pending proposals containing MsgSlashListing.
	ProposalHolds *collections.IndexedMap[collections.Pair[uint64, uint64], math.Int, ProposalHoldIndexes]
	// ProposalHoldCursor is the proposal id at which the sweep of ended proposals resumes.
	ProposalHoldCursor collections.Item[uint64]
	// StatusHistory is each listing's status from a moment on: (listing id, status_changed_at)
	// → status, one point per registration and status change, so that the status a listing
	// had at any earlier time can be read (StatusBefore).
	StatusHistory collections.Map[collections.Pair[uint64, time.Time], int32]
}

// ProposalHoldIndexes index ProposalHolds by listing.
type ProposalHoldIndexes struct {
	// Listing indexes proposal holds by (listing id, proposal id).
	Listing *indexes.ReversePair[uint64, uint64, math.Int]
}

// IndexesList implements collections.Indexes.
func (i ProposalHoldIndexes) IndexesList() []collections.Index[collections.Pair[uint64, uint64], math.Int] {
	return []collections.Index[collections.Pair[uint64, uint64], math.Int]{i.Listing}
}

// Option configures optional keeper behaviour.
type Option func(*Keeper)

// WithGovProposals lets the keeper read governance proposals: a pending proposal containing
// MsgSlashListing then freezes the listing's collateral (see GovHooks).
func WithGovProposals(p types.GovProposals) Option {
	return func(k *Keeper) { k.govProposals = p }
}

// WithGovSlashDestinations names the module accounts a governance MsgSlashListing may send a
// slash to (besides burning it): accounts with no accounting of their own, like the grant
// funds. A module account that keeps books of what it holds (bonds, deposits, locked BAI, the
// staking pools, the community pool) would see its balance stop matching them.
func WithGovSlashDestinations(names ...string) Option {
	return func(k *Keeper) { k.govSlashDestinations = append([]string(nil), names...) }
}

// NewKeeper returns the marketplace keeper. It panics when the module account is not
// set up or the authority is not a valid address.
func NewKeeper(
	cdc codec.BinaryCodec,
	storeService storetypes.KVStoreService,
	ak types.AccountKeeper,
	bk types.BankKeeper,
	authority string,
	opts ...Option,
) Keeper {
	moduleAddr := ak.GetModuleAddress(types.ModuleName)
	if moduleAddr == nil {
		panic(fmt.Sprintf("the %s module account has not been set", types.ModuleName))
	}
	if _, err := ak.AddressCodec().StringToBytes(authority); err != nil {
		panic(fmt.Sprintf("invalid %s authority address %q: %s", types.ModuleName, authority, err))
	}

	sb := collections.NewSchemaBuilder(storeService)
	k := Keeper{
		cdc:          cdc,
		storeService: storeService,
		authKeeper:   ak,
		bankKeeper:   bk,
		addressCodec: ak.AddressCodec(),
		moduleAddr:   moduleAddr,
		authority:    authority,

		Params:     collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		ListingSeq: collections.NewSequence(sb, types.ListingSeqKey, "listing_seq"),
		Listings: collections.NewIndexedMap(sb, types.ListingsKey, "listings",
			collections.Uint64Key, codec.CollValue[types.Listing](cdc), NewListingIndexes(sb, ak.AddressCodec())),
		UnlockQueue: chainutil.NewQueue(sb, types.UnlockQueueKey, "unlock_queue"),
		Counts: collections.NewMap(sb, types.CountsKey, "counts",
			collections.PairKeyCodec(collections.Int32Key, collections.Int32Key), collections.Uint64Value),
		OwnerLiveCount: collections.NewMap(sb, types.OwnerLiveCountKey, "owner_live_count",
			sdk.AccAddressKey, collections.Uint64Value),
		TotalLocked: collections.NewItem(sb, types.TotalLockedKey, "total_locked", sdk.IntValue),
		BurnedRegistrationFees: collections.NewItem(sb, types.BurnedRegistrationFeesKey,
			"burned_registration_fees", sdk.IntValue),
		BurnedSlashes: collections.NewItem(sb, types.BurnedSlashesKey, "burned_slashes", sdk.IntValue),
		Holds:         collections.NewMap(sb, types.HoldsKey, "holds", collections.Uint64Key, collections.Uint64Value),
		ProposalHolds: collections.NewIndexedMap(sb, types.ProposalHoldsKey, "proposal_holds",
			collections.PairKeyCodec(collections.Uint64Key, collections.Uint64Key), sdk.IntValue,
			ProposalHoldIndexes{Listing: indexes.NewReversePair[math.Int](sb, types.ProposalHoldsByListingKey,
				"proposal_holds_by_listing", collections.PairKeyCodec(collections.Uint64Key, collections.Uint64Key))}),
		ProposalHoldCursor: collections.NewItem(sb, types.ProposalHoldCursorKey, "proposal_hold_cursor", collections.Uint64Value),
		StatusHistory: collections.NewMap(sb, types.StatusHistoryKey, "status_history",
			collections.PairKeyCodec(collections.Uint64Key, sdk.TimeKey), collections.Int32Value),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	for _, opt := range opts {
		opt(&k)
	}
	return k
}

// SetHooks installs the marketplace hooks (types.NewMultiMarketplaceHooks combines several).
// It may be called once, while the app is wired: copies of the keeper made before it do not
// see the hooks, so the app calls it before handing the keeper to the module.
func (k *Keeper) SetHooks(h types.MarketplaceHooks) *Keeper {
	if k.hooks != nil {
		panic("x/marketplace: hooks already set")
	}
	k.hooks = h
	return k
}

// GetAuthority returns the module authority (the gov module account).
func (k Keeper) GetAuthority() string { return k.authority }

// Logger returns a module logger.
func (k Keeper) Logger(ctx context.Context) log.Logger {
	return sdk.UnwrapSDKContext(ctx).Logger().With("module", "x/"+types.ModuleName)
}

// GetParams returns the module parameters.
func (k Keeper) GetParams(ctx context.Context) (types.Params, error) {
	return k.Params.Get(ctx)
}

// totalLocked returns the TotalLocked counter, zero when unset.
func (k Keeper) totalLocked(ctx context.Context) (math.Int, error) {
	v, err := k.TotalLocked.Get(ctx)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return math.ZeroInt(), nil
	}
	return v, err
}

// BurnedTotals returns the cumulative ubai the module has burned, by source: registration
// fees and slashed collateral whose destination was the burn. Both are zero until
// something is burned. x/emission adds them to its supply summary.
func (k Keeper) BurnedTotals(ctx context.Context) (registrationFees, slashes math.Int, err error) {
	if registrationFees, err = intOrZero(ctx, k.BurnedRegistrationFees); err != nil {
		return math.Int{}, math.Int{}, err
	}
	if slashes, err = intOrZero(ctx, k.BurnedSlashes); err != nil {
		return math.Int{}, math.Int{}, err
	}
	return registrationFees, slashes, nil
}

// addBurned adds a burned amount to one of the burn counters.
func (k Keeper) addBurned(ctx context.Context, counter collections.Item[math.Int], amount math.Int) error {
	total, err := intOrZero(ctx, counter)
	if err != nil {
		return err
	}
	return counter.Set(ctx, total.Add(amount))
}

// intOrZero reads an Int item, zero when unset.
func intOrZero(ctx context.Context, item collections.Item[math.Int]) (math.Int, error) {
	v, err := item.Get(ctx)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return math.ZeroInt(), nil
	}
	return v, err
}

// setListing writes a listing and keeps everything derived from it consistent: the
// IndexedMap indexes (owner, status, kind, task, tags), the (kind, status)
// counts, the owners' live counters and TotalLocked. old is the stored value before the
// change, nil for a new listing. Callers move coins and manage the unlock queue.
func (k Keeper) setListing(ctx context.Context, old *types.Listing, l types.Listing) error {
	if err := k.Listings.Set(ctx, l.Id, l); err != nil {
		return err
	}

	// A registration or a status change is a point of the status history.
	if old == nil || old.Status != l.Status {
		if err := k.addStatusPoint(ctx, old, l); err != nil {
			return err
		}
	}

	// Counters by (kind, status), untouched when neither changes.
	if old == nil || old.Kind != l.Kind || old.Status != l.Status {
		if old != nil {
			if err := k.addCount(ctx, old.Kind, old.Status, -1); err != nil {
				return err
			}
		}
		if err := k.addCount(ctx, l.Kind, l.Status, 1); err != nil {
			return err
		}
	}

	// Live listings per owner: a listing holds a slot from registration until RETIRED. The
	// counters are untouched when the owner and liveness do not change.
	oldLive := old != nil && old.Status != types.ListingStatusRetired
	live := l.Status != types.ListingStatusRetired
	if old == nil || old.Owner != l.Owner || oldLive != live {
		if oldLive {
			if err := k.addOwnerLive(ctx, old.Owner, -1); err != nil {
				return err
			}
		}
		if live {
			if err := k.addOwnerLive(ctx, l.Owner, 1); err != nil {
				return err
			}
		}
	}

	// TotalLocked follows the collateral recorded on listings.
	delta := l.Collateral.Amount
	if old != nil {
		delta = delta.Sub(old.Collateral.Amount)
	}
	if !delta.IsZero() {
		total, err := k.totalLocked(ctx)
		if err != nil {
			return err
		}
		total = total.Add(delta)
		if total.IsNegative() {
			return fmt.Errorf("total locked collateral would become negative (%s)", total)
		}
		if err := k.TotalLocked.Set(ctx, total); err != nil {
			return err
		}
	}
	return nil
}

func (k Keeper) addCount(ctx context.Context, kind types.ListingKind, status types.ListingStatus, delta int64) error {
	key := collections.Join(int32(kind), int32(status))
	n, err := k.Counts.Get(ctx, key)
	if err != nil && !errorsmod.IsOf(err, collections.ErrNotFound) {
		return err
	}
	if delta < 0 {
		if n == 0 {
			return fmt.Errorf("listing count for %s/%s would become negative", kind, status)
		}
		n--
	} else {
		n++
	}
	if n == 0 {
		return k.Counts.Remove(ctx, key)
	}
	return k.Counts.Set(ctx, key, n)
}

func (k Keeper) addOwnerLive(ctx context.Context, ownerStr string, delta int64) error {
	owner, err := k.addressCodec.StringToBytes(ownerStr)
	if err != nil {
		return err
	}
	n, err := k.OwnerLiveCount.Get(ctx, owner)
	if err != nil && !errorsmod.IsOf(err, collections.ErrNotFound) {
		return err
	}
	if delta < 0 {
		if n == 0 {
			return fmt.Errorf("live listing count of %s would become negative", ownerStr)
		}
		n--
	} else {
		n++
	}
	if n == 0 {
		return k.OwnerLiveCount.Remove(ctx, owner)
	}
	return k.OwnerLiveCount.Set(ctx, owner, n)
}

// ownerLive returns the number of live listings of owner.
func (k Keeper) ownerLive(ctx context.Context, owner sdk.AccAddress) (uint64, error) {
	n, err := k.OwnerLiveCount.Get(ctx, owner)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return 0, nil
	}
	return n, err
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
