// Package keeper holds the x/curation state and logic: curator bonds and the unbonding queue,
// commit-reveal scoring epochs with their bounded epoch-end finalisation, and flags.
package keeper

import (
	"context"
	"errors"
	"fmt"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/address"
	corestore "cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/log"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/curation/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// FlagIndexes are the secondary indexes of Flags, kept by the IndexedMap.
type FlagIndexes struct {
	// Status indexes flags by (status, id): flags_by_status.
	Status *chainutil.KeptMulti[int32, uint64, types.Flag]
	// Listing indexes flags by (listing id, id): flags_by_listing.
	Listing *chainutil.KeptMulti[uint64, uint64, types.Flag]
}

// IndexesList implements collections.Indexes.
func (i FlagIndexes) IndexesList() []collections.Index[uint64, types.Flag] {
	return []collections.Index[uint64, types.Flag]{i.Status, i.Listing}
}

// Keeper holds the curation state.
type Keeper struct {
	cdc          codec.BinaryCodec
	storeService corestore.KVStoreService
	addressCodec address.Codec
	bankKeeper   types.BankKeeper
	market       types.MarketplaceKeeper
	// funds are the grant fund accounts slashed bonds go to, by listing kind (declared by the app).
	funds marketplacetypes.GrantFunds
	// moduleAddress is the curation module account: bonds, unbonding ubai and open flag deposits.
	moduleAddress sdk.AccAddress
	// authority is the gov module account, the only signer of MsgUpdateParams.
	authority string

	// Schema is the collections schema.
	Schema collections.Schema
	// Params are the module params.
	Params collections.Item[types.Params]
	// Curators are the curator records by account.
	Curators collections.Map[sdk.AccAddress, types.Curator]
	// TotalBonded is Σ curator bond.
	TotalBonded collections.Item[math.Int]
	// BondHistory holds each curator's bond at the end of every block in which it changed, by
	// (curator, height). Votes weigh curators by their bond before the vote opened from it.
	BondHistory collections.Map[collections.Pair[sdk.AccAddress, int64], math.Int]
	// TotalBondedHistory holds total_bonded at the end of every block in which it changed, by
	// height: the quorum's denominator of a vote is read from it.
	TotalBondedHistory collections.Map[int64, math.Int]
	// Unbondings are the unbonding entries by id.
	Unbondings collections.Map[uint64, types.Unbonding]
	// UnbondingQueue orders unbondings as (completion unix seconds rounded up, id).
	UnbondingQueue chainutil.Queue
	// UnbondingSeq hands out unbonding ids from 1.
	UnbondingSeq collections.Sequence
	// EpochStart is the genesis epoch_start in unix nanoseconds (epoch 0's start when set).
	EpochStart collections.Item[int64]
	// CurrentEpoch is the running epoch.
	CurrentEpoch collections.Item[types.Epoch]
	// Commitments are the commitments of epochs not finalised yet, by (epoch, curator).
	Commitments collections.Map[collections.Pair[uint64, sdk.AccAddress], types.Commitment]
	// RevealedScores are the revealed scores of epochs not finalised yet, by (epoch, listing, curator).
	RevealedScores collections.Map[collections.Triple[uint64, uint64, sdk.AccAddress], types.RevealedScore]
	// EpochListings are the listings scored in epochs not finalised yet, by (epoch, listing).
	EpochListings collections.Map[collections.Pair[uint64, uint64], types.EpochListing]
	// PendingEpochs are ended epochs whose finalisation has not completed, lowest first.
	PendingEpochs collections.KeySet[uint64]
	// EpochsWithoutReveal are ended epochs, not yet finalised, whose reveal phase had no block.
	EpochsWithoutReveal collections.KeySet[uint64]
	// EpochListingResults hold listing results of epochs being finalised, and of completed
	// epochs until ReleaseEpochResults.
	EpochListingResults collections.Map[collections.Pair[uint64, uint64], types.EpochListingResult]
	// EpochCuratorResults hold curator results of epochs being finalised, and of completed
	// epochs until ReleaseEpochResults.
	EpochCuratorResults collections.Map[collections.Pair[uint64, sdk.AccAddress], types.EpochCuratorResult]
	// CompletedEpochs are finalised epochs whose results wait to be collected, lowest first.
	// x/grants collects them in its EndBlocker (TakeEpochResults, a bounded number a block,
	// then ReleaseEpochResults), from the block that completed them on: curation never calls
	// into the module that reads it.
	CompletedEpochs collections.KeySet[uint64]
	// EpochResultCounts count, per epoch being finalised, the listing and curator results it
	// stored, as listings<<32 | curators, so that completing it reads no result.
	EpochResultCounts collections.Map[uint64, uint64]
	// ListingScores are the listings' curation scores.
	ListingScores collections.Map[uint64, types.ListingScore]
	// Flags are all flags by id, indexed by status (flags_by_status) and by listing
	// (flags_by_listing).
	Flags *collections.IndexedMap[uint64, types.Flag, FlagIndexes]
	// FlagSeq hands out flag ids from 1.
	FlagSeq collections.Sequence
	// FlagQueue orders open flags as (voting end unix seconds rounded up, id).
	FlagQueue chainutil.Queue
	// FlagVotes are the votes on open flags by (flag, curator).
	FlagVotes collections.Map[collections.Pair[uint64, sdk.AccAddress], types.FlagVote]
}

// NewKeeper builds the keeper. funds names the grant fund account of each listing kind (the app
// declares them). It panics when the authority does not decode, funds is incomplete, or the
// curation module account or a grant fund account is not configured.
func NewKeeper(
	cdc codec.BinaryCodec,
	storeService corestore.KVStoreService,
	ak types.AccountKeeper,
	bk types.BankKeeper,
	mk types.MarketplaceKeeper,
	funds marketplacetypes.GrantFunds,
	authority string,
) Keeper {
	addressCodec := ak.AddressCodec()
	if _, err := addressCodec.StringToBytes(authority); err != nil {
		panic(fmt.Errorf("x/curation: invalid authority address %q: %w", authority, err))
	}
	if err := funds.Validate(); err != nil {
		panic(fmt.Errorf("x/curation: %w", err))
	}
	for _, name := range append([]string{types.ModuleName}, funds.Names()...) {
		if ak.GetModuleAddress(name) == nil {
			panic(fmt.Errorf("x/curation: the %q module account has not been set (add it to maccPerms)", name))
		}
	}
	if mk == nil {
		panic("x/curation: the marketplace keeper is nil")
	}

	sb := collections.NewSchemaBuilder(storeService)
	k := Keeper{
		cdc:           cdc,
		storeService:  storeService,
		addressCodec:  addressCodec,
		bankKeeper:    bk,
		market:        mk,
		funds:         funds,
		moduleAddress: ak.GetModuleAddress(types.ModuleName),
		authority:     authority,

		Params:      collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		Curators:    collections.NewMap(sb, types.CuratorsKey, "curators", sdk.AccAddressKey, codec.CollValue[types.Curator](cdc)),
		TotalBonded: collections.NewItem(sb, types.TotalBondedKey, "total_bonded", sdk.IntValue),
		BondHistory: collections.NewMap(sb, types.BondHistoryKey, "bond_history",
			collections.PairKeyCodec(sdk.AccAddressKey, collections.Int64Key), sdk.IntValue),
		TotalBondedHistory: collections.NewMap(sb, types.TotalBondedHistoryKey, "total_bonded_history", collections.Int64Key, sdk.IntValue),
		Unbondings:         collections.NewMap(sb, types.UnbondingsKey, "unbondings", collections.Uint64Key, codec.CollValue[types.Unbonding](cdc)),
		UnbondingQueue:     chainutil.NewQueue(sb, types.UnbondingQueueKey, "unbonding_queue"),
		UnbondingSeq:       collections.NewSequence(sb, types.UnbondingSeqKey, "unbonding_seq"),
		EpochStart:         collections.NewItem(sb, types.EpochStartKey, "epoch_start", collections.Int64Value),
		CurrentEpoch:       collections.NewItem(sb, types.CurrentEpochKey, "current_epoch", codec.CollValue[types.Epoch](cdc)),
		Commitments: collections.NewMap(sb, types.CommitmentsKey, "commitments",
			collections.PairKeyCodec(collections.Uint64Key, sdk.AccAddressKey), codec.CollValue[types.Commitment](cdc)),
		RevealedScores: collections.NewMap(sb, types.RevealedScoresKey, "revealed_scores",
			collections.TripleKeyCodec(collections.Uint64Key, collections.Uint64Key, sdk.AccAddressKey), codec.CollValue[types.RevealedScore](cdc)),
		EpochListings: collections.NewMap(sb, types.EpochListingsKey, "epoch_listings",
			collections.PairKeyCodec(collections.Uint64Key, collections.Uint64Key), codec.CollValue[types.EpochListing](cdc)),
		PendingEpochs:       collections.NewKeySet(sb, types.PendingEpochsKey, "pending_epochs", collections.Uint64Key),
		EpochsWithoutReveal: collections.NewKeySet(sb, types.EpochsWithoutRevealKey, "epochs_without_reveal", collections.Uint64Key),
		EpochListingResults: collections.NewMap(sb, types.EpochListingResultsKey, "epoch_listing_results",
			collections.PairKeyCodec(collections.Uint64Key, collections.Uint64Key), codec.CollValue[types.EpochListingResult](cdc)),
		EpochCuratorResults: collections.NewMap(sb, types.EpochCuratorResultsKey, "epoch_curator_results",
			collections.PairKeyCodec(collections.Uint64Key, sdk.AccAddressKey), codec.CollValue[types.EpochCuratorResult](cdc)),
		CompletedEpochs: collections.NewKeySet(sb, types.CompletedEpochsKey, "completed_epochs", collections.Uint64Key),
		EpochResultCounts: collections.NewMap(sb, types.EpochResultCountsKey, "epoch_result_counts",
			collections.Uint64Key, collections.Uint64Value),
		ListingScores: collections.NewMap(sb, types.ListingScoresKey, "listing_scores", collections.Uint64Key, codec.CollValue[types.ListingScore](cdc)),
		Flags: collections.NewIndexedMap(sb, types.FlagsKey, "flags", collections.Uint64Key, codec.CollValue[types.Flag](cdc),
			FlagIndexes{
				Status: chainutil.NewKeptMulti(sb, types.FlagsByStatusKey, "flags_by_status", collections.Int32Key, collections.Uint64Key,
					func(_ uint64, f types.Flag) (int32, error) { return int32(f.Status), nil }),
				Listing: chainutil.NewKeptMulti(sb, types.FlagsByListingKey, "flags_by_listing", collections.Uint64Key, collections.Uint64Key,
					func(_ uint64, f types.Flag) (uint64, error) { return f.ListingId, nil }),
			}),
		FlagSeq:   collections.NewSequence(sb, types.FlagSeqKey, "flag_seq"),
		FlagQueue: chainutil.NewQueue(sb, types.FlagQueueKey, "flag_queue"),
		FlagVotes: collections.NewMap(sb, types.FlagVotesKey, "flag_votes",
			collections.PairKeyCodec(collections.Uint64Key, sdk.AccAddressKey), codec.CollValue[types.FlagVote](cdc)),
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

// ModuleAddress returns the curation module account address.
func (k Keeper) ModuleAddress() sdk.AccAddress { return k.moduleAddress }

// Logger returns a module logger.
func (k Keeper) Logger(ctx context.Context) log.Logger {
	return sdk.UnwrapSDKContext(ctx).Logger().With("module", "x/"+types.ModuleName)
}

// isNotFound reports a collections miss.
func isNotFound(err error) bool { return errors.Is(err, collections.ErrNotFound) }

// GetTotalBonded returns Σ curator bond, zero when never written.
func (k Keeper) GetTotalBonded(ctx context.Context) (math.Int, error) {
	v, err := k.TotalBonded.Get(ctx)
	if isNotFound(err) {
		return math.ZeroInt(), nil
	}
	return v, err
}

func (k Keeper) addTotalBonded(ctx context.Context, delta math.Int) error {
	t, err := k.GetTotalBonded(ctx)
	if err != nil {
		return err
	}
	t = t.Add(delta)
	if t.IsNegative() {
		return errorsmod.Wrapf(types.ErrInvariantBroken, "total bonded would be %s", t)
	}
	if err := k.TotalBonded.Set(ctx, t); err != nil {
		return err
	}
	return k.TotalBondedHistory.Set(ctx, sdk.UnwrapSDKContext(ctx).BlockHeight(), t)
}

// GetCurator returns a curator, or a zero-bond record with the initial reputation.
func (k Keeper) GetCurator(ctx context.Context, addr sdk.AccAddress, canon string) (types.Curator, bool, error) {
	c, err := k.Curators.Get(ctx, addr)
	if isNotFound(err) {
		return types.Curator{
			Address: canon, Bond: math.ZeroInt(), Unbonding: math.ZeroInt(), Slashed: math.ZeroInt(),
			Reputation: types.InitialReputation, LastAgreement: math.LegacyZeroDec(),
		}, false, nil
	}
	return c, err == nil, err
}

// coin builds a ubai coin.
func coin(amt math.Int) sdk.Coin { return sdk.NewCoin(types.Denom, amt) }

// timeFromNanos turns unix nanoseconds into a UTC time.
func timeFromNanos(ns int64) time.Time { return time.Unix(0, ns).UTC() }
