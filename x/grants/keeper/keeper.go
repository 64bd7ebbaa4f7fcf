package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/address"
	storetypes "cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/log"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/grants/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// GrantIndexes are the secondary indexes of Grants, maintained by the IndexedMap.
type GrantIndexes struct {
	// Status indexes grants by (status, id).
	Status *chainutil.KeptMulti[int32, uint64, types.Grant]
	// Applicant indexes grants by (applicant address bytes, id).
	Applicant *chainutil.KeptMulti[sdk.AccAddress, uint64, types.Grant]
}

// IndexesList implements collections.Indexes.
func (i GrantIndexes) IndexesList() []collections.Index[uint64, types.Grant] {
	return []collections.Index[uint64, types.Grant]{i.Status, i.Applicant}
}

// NewGrantIndexes builds the grant indexes on the schema; ac decodes applicants.
func NewGrantIndexes(sb *collections.SchemaBuilder, ac address.Codec) GrantIndexes {
	return GrantIndexes{
		Status: chainutil.NewKeptMulti(sb, types.GrantsByStatusKey, "grants_by_status",
			collections.Int32Key, collections.Uint64Key,
			func(_ uint64, g types.Grant) (int32, error) { return int32(g.Status), nil }),
		Applicant: chainutil.NewKeptMulti(sb, types.GrantsByApplicantKey, "grants_by_applicant",
			sdk.AccAddressKey, collections.Uint64Key,
			func(_ uint64, g types.Grant) (sdk.AccAddress, error) { return ac.StringToBytes(g.Applicant) }),
	}
}

// Keeper holds the grants state: per-fund bookkeeping, claimable rewards, grants with
// their votes and milestone reviews, and the two time-ordered queues the EndBlocker walks.
//
// Where the coins are: a fund's module account (models_fund / agents_fund, filled by
// x/emission) holds its free balance plus the reserve of its approved grants; the grants
// module account holds the deposits of VOTING grants and every credited, unclaimed epoch
// reward. Epoch rewards are moved out of the fund when they are credited, so a credited
// reward can never be counted as free again: free = fund balance − reserved.
type Keeper struct {
	cdc            codec.BinaryCodec
	storeService   storetypes.KVStoreService
	bankKeeper     types.BankKeeper
	marketKeeper   types.MarketplaceKeeper
	curationKeeper types.CurationKeeper
	addressCodec   address.Codec
	moduleAddr     sdk.AccAddress
	// funds names the module account of each listing kind's fund (declared by the app).
	funds     marketplacetypes.GrantFunds
	fundAddrs map[types.GrantFund]sdk.AccAddress
	// authority is the address allowed to decide grants and update params (gov).
	authority string

	Schema collections.Schema
	// Params are the module parameters.
	Params collections.Item[types.Params]
	// FundStates are the per-fund reserved / unclaimed / totals, by fund.
	FundStates collections.Map[int32, types.FundState]
	// Rewards are claimable rewards by (owner address bytes, fund).
	Rewards collections.Map[collections.Pair[sdk.AccAddress, int32], math.Int]
	// GrantSeq yields grant ids; ids start at 1.
	GrantSeq collections.Sequence
	// Grants are all grants by id, indexed by status and applicant.
	Grants *collections.IndexedMap[uint64, types.Grant, GrantIndexes]
	// Votes are curator votes by (grant id, curator).
	Votes collections.Map[collections.Pair[uint64, sdk.AccAddress], types.GrantVote]
	// VotingQueue holds VOTING grants as (voting end unix seconds, rounded up; grant id).
	VotingQueue chainutil.Queue
	// Reviews are milestone reviews by (grant id, milestone index, curator).
	Reviews collections.Map[collections.Triple[uint64, uint32, sdk.AccAddress], types.MilestoneReview]
	// ReviewQueue holds grants with a milestone in review as (review end unix seconds, rounded up; grant id).
	ReviewQueue chainutil.Queue
	// LastRewardedEpoch is the last curation epoch paid out; an epoch is never paid twice.
	LastRewardedEpoch collections.Item[uint64]
	// Payout is the epoch reward payout in progress, if any (see payEpochs).
	Payout collections.Item[types.EpochPayout]
	// PayoutEntries are the payout's qualifying results not credited yet, by id.
	PayoutEntries collections.Map[uint64, types.PayoutEntry]
}

// NewKeeper returns the grants keeper. funds names the module account of each listing kind's
// fund (the app declares them). It panics when funds is incomplete, the grants module account
// or a fund account is not set up, or the authority is not a valid address.
func NewKeeper(
	cdc codec.BinaryCodec,
	storeService storetypes.KVStoreService,
	ak types.AccountKeeper,
	bk types.BankKeeper,
	mk types.MarketplaceKeeper,
	ck types.CurationKeeper,
	funds marketplacetypes.GrantFunds,
	authority string,
) Keeper {
	moduleAddr := ak.GetModuleAddress(types.ModuleName)
	if moduleAddr == nil {
		panic(fmt.Sprintf("the %s module account has not been set", types.ModuleName))
	}
	if err := funds.Validate(); err != nil {
		panic(fmt.Sprintf("x/%s: %s", types.ModuleName, err))
	}
	fundAddrs := map[types.GrantFund]sdk.AccAddress{}
	for _, f := range types.AllFunds {
		name := funds.For(f.ListingKind())
		addr := ak.GetModuleAddress(name)
		if addr == nil {
			panic(fmt.Sprintf("the %s module account (grant fund) has not been set", name))
		}
		fundAddrs[f] = addr
	}
	if _, err := ak.AddressCodec().StringToBytes(authority); err != nil {
		panic(fmt.Sprintf("invalid %s authority address %q: %s", types.ModuleName, authority, err))
	}

	sb := collections.NewSchemaBuilder(storeService)
	k := Keeper{
		cdc:            cdc,
		storeService:   storeService,
		bankKeeper:     bk,
		marketKeeper:   mk,
		curationKeeper: ck,
		addressCodec:   ak.AddressCodec(),
		moduleAddr:     moduleAddr,
		funds:          funds,
		fundAddrs:      fundAddrs,
		authority:      authority,

		Params: collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		FundStates: collections.NewMap(sb, types.FundStatesKey, "fund_states",
			collections.Int32Key, codec.CollValue[types.FundState](cdc)),
		Rewards: collections.NewMap(sb, types.RewardsKey, "rewards",
			collections.PairKeyCodec(sdk.AccAddressKey, collections.Int32Key), sdk.IntValue),
		GrantSeq: collections.NewSequence(sb, types.GrantSeqKey, "grant_seq"),
		Grants: collections.NewIndexedMap(sb, types.GrantsKey, "grants",
			collections.Uint64Key, codec.CollValue[types.Grant](cdc), NewGrantIndexes(sb, ak.AddressCodec())),
		Votes: collections.NewMap(sb, types.VotesKey, "votes",
			collections.PairKeyCodec(collections.Uint64Key, sdk.AccAddressKey), codec.CollValue[types.GrantVote](cdc)),
		VotingQueue: chainutil.NewQueue(sb, types.VotingQueueKey, "voting_queue"),
		Reviews: collections.NewMap(sb, types.ReviewsKey, "reviews",
			collections.TripleKeyCodec(collections.Uint64Key, collections.Uint32Key, sdk.AccAddressKey),
			codec.CollValue[types.MilestoneReview](cdc)),
		ReviewQueue:       chainutil.NewQueue(sb, types.ReviewQueueKey, "review_queue"),
		LastRewardedEpoch: collections.NewItem(sb, types.LastRewardedEpochKey, "last_rewarded_epoch", collections.Uint64Value),
		Payout:            collections.NewItem(sb, types.PayoutKey, "payout", codec.CollValue[types.EpochPayout](cdc)),
		PayoutEntries: collections.NewMap(sb, types.PayoutEntriesKey, "payout_entries",
			collections.Uint64Key, codec.CollValue[types.PayoutEntry](cdc)),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
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

// GetFundState returns a fund's bookkeeping, zero when never written.
func (k Keeper) GetFundState(ctx context.Context, f types.GrantFund) (types.FundState, error) {
	fs, err := k.FundStates.Get(ctx, int32(f))
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return types.NewFundState(f), nil
	}
	return fs, err
}

// FundAccount returns the name of a fund's module account.
func (k Keeper) FundAccount(f types.GrantFund) string { return k.funds.For(f.ListingKind()) }

// FundAddress returns a fund's module account address.
func (k Keeper) FundAddress(f types.GrantFund) sdk.AccAddress { return k.fundAddrs[f] }

// FundBalance returns the fund account's balance in denom.
func (k Keeper) FundBalance(ctx context.Context, f types.GrantFund, denom string) math.Int {
	return k.bankKeeper.GetBalance(ctx, k.fundAddrs[f], denom).Amount
}

// FreeBalance returns balance − reserved of a fund: what epoch rewards and new grants
// may draw on. Unclaimed rewards are not subtracted because they already left the fund
// (they sit in the grants module account). It is never negative.
func (k Keeper) FreeBalance(ctx context.Context, f types.GrantFund, denom string) (math.Int, error) {
	fs, err := k.GetFundState(ctx, f)
	if err != nil {
		return math.Int{}, err
	}
	free := k.FundBalance(ctx, f, denom).Sub(fs.Reserved)
	if free.IsNegative() {
		return math.ZeroInt(), nil
	}
	return free, nil
}

// votingWeight returns the curator's weight in a vote or review that opened at
// openedHeight: min(bond at the end of block openedHeight-1, bond now), from x/curation's
// snapshot. A curator bonded later (or not at all) has no weight: ErrNotCurator when it has
// no bond now, ErrNoVotingWeight when it bonded after the opening. So a bond added during a
// vote can neither vote nor, through the quorum, defeat the vote.
func (k Keeper) votingWeight(ctx context.Context, curator sdk.AccAddress, name string, openedHeight int64, what string) (math.Int, error) {
	weight, err := k.curationKeeper.VotingWeight(ctx, curator, openedHeight)
	if err != nil {
		return math.Int{}, err
	}
	if !weight.IsNil() && weight.IsPositive() {
		return weight, nil
	}
	c, _, err := k.curationKeeper.GetCurator(ctx, curator, name)
	if err != nil {
		return math.Int{}, err
	}
	if c.Bond.IsNil() || !c.Bond.IsPositive() {
		return math.Int{}, errorsmod.Wrapf(types.ErrNotCurator, "%s has no curator bond", name)
	}
	return math.Int{}, errorsmod.Wrapf(types.ErrNoVotingWeight,
		"%s had no curator bond when the %s opened at height %d; only curators bonded before then take part", name, what, openedHeight)
}

// quorumReached reports whether weight is at least quorum × the total bonded curator weight
// snapshotted when the vote or review opened (and that total is positive).
func quorumReached(weight, totalBonded math.Int, quorum math.LegacyDec) bool {
	if totalBonded.IsNil() || !totalBonded.IsPositive() || weight.IsNil() || !weight.IsPositive() {
		return false
	}
	return math.LegacyNewDecFromInt(weight).GTE(quorum.MulInt(totalBonded))
}

// openSnapshot returns the height a vote or review opening in this block records, and the
// total curator bond at the end of the previous block: the fixed base of its quorum.
func (k Keeper) openSnapshot(ctx context.Context) (int64, math.Int, error) {
	height := sdk.UnwrapSDKContext(ctx).BlockHeight()
	total, err := k.curationKeeper.TotalBondedAt(ctx, height)
	if err != nil {
		return 0, math.Int{}, err
	}
	if total.IsNil() {
		total = math.ZeroInt()
	}
	return height, total, nil
}
