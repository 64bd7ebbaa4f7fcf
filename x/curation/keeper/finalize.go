package keeper

import (
	"context"
	"fmt"
	"sort"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/curation/types"
)

// Epoch finalisation runs in three steps per ended epoch, lowest epoch first, driven by
// what is left in the store (so it needs no cursor and resumes after a restart or a
// genesis export):
//
//  1. listings: the epoch's revealed scores are read with one iterator (keys are
//     (epoch, listing, curator), so they come grouped by listing); each listing's group gives
//     its bond-weighted median (when ≥ min_curators_per_listing), its curation_score EMA and
//     each revealer's scored/agreed counters (summed in memory, written once per curator per
//     block); the reveals and the EpochListings entry are deleted. Cost: the reveal count.
//  2. commitments: each commitment of the epoch either updates its curator's reputation
//     (revealed) or slashes no_reveal_slash of its bond to the models fund (not revealed);
//     it is deleted. Cost: 1 each.
//  3. completion: the epoch leaves PendingEpochs for CompletedEpochs; its listing and curator
//     results stay stored until the reader (x/grants, in its EndBlocker from the same block
//     on) takes them, a bounded number a block, and releases the epoch. Cost: O(1) (the
//     event's counts are kept as results are stored).
//
// A block spends at most max_epoch_work_per_block units on steps 1-2; a listing is always
// processed whole, so one block does at most max_epoch_work_per_block + (reveals of one
// listing − 1) ≤ budget + number of curators units. Total work is O(revealed scores +
// commitments) and never O(all listings).

// finalizeEpochs spends this block's budget on the pending epochs, lowest first.
func (k Keeper) finalizeEpochs(ctx sdk.Context, params types.Params) error {
	budget := uint64(params.MaxEpochWorkPerBlock)
	for budget > 0 {
		epoch, ok, err := firstKey(ctx, k.PendingEpochs)
		if err != nil || !ok {
			return err
		}
		// Each step in its own cache: a step that fails writes nothing and is logged, and the
		// epoch stays pending and is tried again next block; a blocker error never halts the
		// chain.
		stepCtx, write := ctx.CacheContext()
		done, used, err := k.finalizeStep(stepCtx, epoch, budget, params)
		if err != nil {
			k.Logger(ctx).Error("curation epoch finalisation failed; retried next block", "epoch", epoch, "err", err)
			return nil
		}
		write()
		if !done {
			return nil
		}
		if used >= budget {
			return nil
		}
		budget -= used
	}
	return nil
}

// firstKey returns the lowest key of a key set.
func firstKey(ctx context.Context, ks collections.KeySet[uint64]) (uint64, bool, error) {
	iter, err := ks.Iterate(ctx, nil)
	if err != nil {
		return 0, false, err
	}
	defer iter.Close()
	if !iter.Valid() {
		return 0, false, nil
	}
	k, err := iter.Key()
	return k, err == nil, err
}

// finalizeStep advances one epoch's finalisation within budget; done is true once it completed.
func (k Keeper) finalizeStep(ctx sdk.Context, epoch uint64, budget uint64, params types.Params) (done bool, used uint64, err error) {
	// Step 1: listings. One iterator reads the epoch's reveals, which come grouped by listing.
	groups, err := k.readRevealGroups(ctx, epoch, budget)
	if err != nil {
		return false, 0, err
	}
	if len(groups) > 0 {
		counters := map[string]*agreementCount{}
		for _, g := range groups {
			if err := k.finalizeListing(ctx, epoch, g, params, counters); err != nil {
				return false, used, err
			}
			used += uint64(len(g))
		}
		if err := k.flushCounters(ctx, epoch, counters); err != nil {
			return false, used, err
		}
		if used >= budget {
			return false, used, nil
		}
	}
	// Step 2: commitments (only once no reveal of the epoch is left).
	if has, err := hasPrefix(ctx, k.RevealedScores, collections.NewPrefixedTripleRange[uint64, uint64, sdk.AccAddress](epoch)); err != nil || has {
		return false, used, err
	}
	citer, err := k.Commitments.Iterate(ctx, collections.NewPrefixedPairRange[uint64, sdk.AccAddress](epoch))
	if err != nil {
		return false, used, err
	}
	var commits []collections.KeyValue[collections.Pair[uint64, sdk.AccAddress], types.Commitment]
	for ; citer.Valid() && used+uint64(len(commits)) < budget; citer.Next() {
		kv, err := citer.KeyValue()
		if err != nil {
			citer.Close()
			return false, used, err
		}
		commits = append(commits, kv)
	}
	more := citer.Valid()
	citer.Close()
	for _, kv := range commits {
		if err := k.finalizeCommitment(ctx, kv.Key, kv.Value, params); err != nil {
			return false, used, err
		}
		used++
	}
	if more || used >= budget {
		return false, used, nil
	}
	// Step 3: completion.
	return true, used, k.completeEpoch(ctx, epoch)
}

// agreementCount accumulates a curator's scored/agreed counters within one block.
type agreementCount struct {
	addr           sdk.AccAddress
	scored, agreed uint32
}

// revealGroup is the reveals of one listing, in curator order.
type revealGroup []collections.KeyValue[collections.Triple[uint64, uint64, sdk.AccAddress], types.RevealedScore]

// readRevealGroups reads whole listing groups of the epoch's reveals until at least budget
// reveals are read (the last group is completed, never split).
func (k Keeper) readRevealGroups(ctx context.Context, epoch, budget uint64) ([]revealGroup, error) {
	iter, err := k.RevealedScores.Iterate(ctx, collections.NewPrefixedTripleRange[uint64, uint64, sdk.AccAddress](epoch))
	if err != nil {
		return nil, err
	}
	defer iter.Close()
	var groups []revealGroup
	var cur revealGroup
	read := uint64(0)
	for ; iter.Valid(); iter.Next() {
		kv, err := iter.KeyValue()
		if err != nil {
			return nil, err
		}
		if len(cur) > 0 && kv.Key.K2() != cur[0].Key.K2() {
			groups = append(groups, cur)
			cur = nil
			if read >= budget {
				return groups, nil
			}
		}
		cur = append(cur, kv)
		read++
	}
	if len(cur) > 0 {
		groups = append(groups, cur)
	}
	return groups, nil
}

// hasPrefix reports whether a map holds any key in the range.
func hasPrefix[K, V any](ctx context.Context, m collections.Map[K, V], r collections.Ranger[K]) (bool, error) {
	iter, err := m.Iterate(ctx, r)
	if err != nil {
		return false, err
	}
	defer iter.Close()
	return iter.Valid(), nil
}

// finalizeListing aggregates one listing's reveals into its epoch score (when it has enough
// of them), counts agreement per curator and deletes the reveals and the epoch listing.
func (k Keeper) finalizeListing(ctx sdk.Context, epoch uint64, g revealGroup, params types.Params, counters map[string]*agreementCount) error {
	listingID := g[0].Key.K2()
	lk := collections.Join(epoch, listingID)
	el, err := k.EpochListings.Get(ctx, lk)
	if err != nil {
		return err
	}
	n := uint32(len(g))
	if n >= params.MinCuratorsPerListing && !el.Void {
		ws := make([]types.WeightedScore, len(g))
		for i, kv := range g {
			ws[i] = types.WeightedScore{Score: kv.Value.Score, Weight: kv.Value.Weight}
		}
		if median, ok := types.WeightedMedian(ws); ok {
			// The reward weight counts the stake that agreed with the result, each bond
			// shared by the listings its curator scored: dissent does not raise a listing's
			// reward, and a few bonds scoring many listings weigh no more than they are.
			weight := math.ZeroInt()
			for _, kv := range g {
				if absDiff(kv.Value.Score, median) <= params.AgreementBand && !kv.Value.RewardWeight.IsNil() {
					weight = weight.Add(kv.Value.RewardWeight)
				}
			}
			if err := k.recordListingScore(ctx, el, median, n, weight, params); err != nil {
				return err
			}
			for _, kv := range g {
				addr := kv.Key.K3()
				c, ok := counters[string(addr)]
				if !ok {
					c = &agreementCount{addr: addr}
					counters[string(addr)] = c
				}
				c.scored++
				if absDiff(kv.Value.Score, median) <= params.AgreementBand {
					c.agreed++
				}
			}
		}
	}
	for _, kv := range g {
		if err := k.RevealedScores.Remove(ctx, kv.Key); err != nil {
			return err
		}
	}
	return k.EpochListings.Remove(ctx, lk)
}

// flushCounters adds a block's agreement counters to the commitments, in address order.
func (k Keeper) flushCounters(ctx context.Context, epoch uint64, counters map[string]*agreementCount) error {
	keys := make([]string, 0, len(counters))
	for a := range counters {
		keys = append(keys, a)
	}
	sort.Strings(keys)
	for _, a := range keys {
		c := counters[a]
		ck := collections.Join(epoch, c.addr)
		commit, err := k.Commitments.Get(ctx, ck)
		if err != nil {
			return err
		}
		commit.Scored += c.scored
		commit.Agreed += c.agreed
		if err := k.Commitments.Set(ctx, ck, commit); err != nil {
			return err
		}
	}
	return nil
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

// recordListingScore folds an epoch score into the listing's curation_score (the first
// epoch score initialises it) and stores the epoch result for EpochResults.
func (k Keeper) recordListingScore(ctx sdk.Context, el types.EpochListing, median, curators uint32, weight math.Int, params types.Params) error {
	sample := math.LegacyNewDec(int64(median))
	ls, err := k.ListingScores.Get(ctx, el.ListingId)
	switch {
	case isNotFound(err):
		ls = types.ListingScore{ListingId: el.ListingId, CurationScore: sample}
	case err != nil:
		return err
	default:
		ls.CurationScore = types.EMA(ls.CurationScore, sample, params.ScoreEmaAlpha)
	}
	ls.LastEpochScore = median
	ls.LastEpoch = el.Epoch
	ls.LastCurators = curators
	ls.EpochsScored++
	if err := k.ListingScores.Set(ctx, el.ListingId, ls); err != nil {
		return err
	}
	res := types.EpochListingResult{
		Epoch: el.Epoch, ListingId: el.ListingId, Kind: el.Kind, EpochScore: median,
		CurationScore: ls.CurationScore, Curators: curators, Weight: weight,
	}
	if err := k.EpochListingResults.Set(ctx, collections.Join(el.Epoch, el.ListingId), res); err != nil {
		return err
	}
	if err := k.countResults(ctx, el.Epoch, 1, 0); err != nil {
		return err
	}
	return ctx.EventManager().EmitTypedEvent(&types.EventListingScored{
		Epoch: el.Epoch, ListingId: el.ListingId, EpochScore: median, CurationScore: ls.CurationScore, Curators: curators,
	})
}

// finalizeCommitment updates a revealer's reputation or slashes a non-revealer, then deletes
// the commitment.
func (k Keeper) finalizeCommitment(ctx sdk.Context, ck collections.Pair[uint64, sdk.AccAddress], commit types.Commitment, params types.Params) error {
	addr := ck.K2()
	cur, err := k.Curators.Get(ctx, addr)
	if err != nil {
		return err
	}
	if commit.Revealed {
		agreement := math.LegacyZeroDec()
		if commit.Scored > 0 {
			agreement = math.LegacyNewDec(int64(commit.Agreed)).QuoInt64(int64(commit.Scored))
			cur.Reputation = types.EMA(cur.Reputation, agreement, params.ReputationEmaAlpha)
			cur.LastAgreement = agreement
		}
		cur.EpochsRevealed++
		res := types.EpochCuratorResult{
			Epoch: ck.K1(), Curator: cur.Address, Weight: commit.Weight, Agreement: agreement,
			Reputation: cur.Reputation, Scored: commit.Scored,
		}
		if err := k.EpochCuratorResults.Set(ctx, ck, res); err != nil {
			return err
		}
		if err := k.countResults(ctx, ck.K1(), 0, 1); err != nil {
			return err
		}
		if err := ctx.EventManager().EmitTypedEvent(&types.EventCuratorReputation{
			Epoch: ck.K1(), Curator: cur.Address, Scored: commit.Scored, Agreed: commit.Agreed, Reputation: cur.Reputation,
		}); err != nil {
			return err
		}
	} else {
		cur.EpochsMissed++
		// When the reveal phase had no block (the chain was down) nobody could reveal: the
		// miss is counted, not slashed.
		excused, err := k.EpochsWithoutReveal.Has(ctx, ck.K1())
		if err != nil {
			return err
		}
		if !excused {
			if err := k.slashNoReveal(ctx, addr, ck.K1(), &cur, params); err != nil {
				return err
			}
		}
	}
	if err := k.Curators.Set(ctx, addr, cur); err != nil {
		return err
	}
	return k.Commitments.Remove(ctx, ck)
}

// slashNoReveal slashes no_reveal_slash of a curator's bond for a commitment it did not reveal.
func (k Keeper) slashNoReveal(ctx sdk.Context, addr sdk.AccAddress, epoch uint64, cur *types.Curator, params types.Params) error {
	amt, err := k.slashBond(ctx, addr, cur, params.NoRevealSlash, k.funds.Model)
	if err != nil {
		return err
	}
	return ctx.EventManager().EmitTypedEvent(&types.EventCuratorSlashed{
		Curator: cur.Address, Epoch: epoch, Amount: coin(amt), Destination: k.funds.Model,
		Reason: fmt.Sprintf("committed in epoch %d without revealing", epoch),
	})
}

// completeEpoch ends finalisation: the epoch moves from PendingEpochs to CompletedEpochs,
// where its results wait for TakeEpochResults / ReleaseEpochResults. It reads no result: the
// event's counts were kept as the results were stored.
func (k Keeper) completeEpoch(ctx sdk.Context, epoch uint64) error {
	listings, curators, err := k.resultCounts(ctx, epoch)
	if err != nil {
		return err
	}
	if err := k.EpochResultCounts.Remove(ctx, epoch); err != nil {
		return err
	}
	if err := k.PendingEpochs.Remove(ctx, epoch); err != nil {
		return err
	}
	if err := k.EpochsWithoutReveal.Remove(ctx, epoch); err != nil {
		return err
	}
	if err := k.CompletedEpochs.Set(ctx, epoch); err != nil {
		return err
	}
	return ctx.EventManager().EmitTypedEvent(&types.EventEpochFinalized{
		Epoch: epoch, ListingsScored: listings, CuratorsRevealed: curators,
	})
}

// countResults adds to the numbers of listing and curator results an epoch being finalised
// has stored.
func (k Keeper) countResults(ctx context.Context, epoch uint64, listings, curators uint32) error {
	l, c, err := k.resultCounts(ctx, epoch)
	if err != nil {
		return err
	}
	return k.EpochResultCounts.Set(ctx, epoch, uint64(l+listings)<<32|uint64(c+curators))
}

// resultCounts returns the numbers of listing and curator results an epoch being finalised has
// stored.
func (k Keeper) resultCounts(ctx context.Context, epoch uint64) (listings, curators uint32, err error) {
	n, err := k.EpochResultCounts.Get(ctx, epoch)
	if isNotFound(err) {
		return 0, 0, nil
	}
	return uint32(n >> 32), uint32(n), err
}

// NextCompletedEpoch returns the lowest completed epoch whose results were not released yet.
func (k Keeper) NextCompletedEpoch(ctx context.Context) (uint64, bool, error) {
	return firstKey(ctx, k.CompletedEpochs)
}

// listingResult is a stored listing result as its reader gets it.
func listingResult(v types.EpochListingResult) types.ListingEpochResult {
	return types.ListingEpochResult{
		ListingID: v.ListingId, Kind: v.Kind, EpochScore: v.EpochScore, CurationScore: v.CurationScore, Curators: v.Curators,
		Weight: v.Weight,
	}
}

// curatorResult is a stored curator result as its reader gets it.
func curatorResult(v types.EpochCuratorResult) types.CuratorEpochResult {
	return types.CuratorEpochResult{
		Address: v.Curator, Weight: v.Weight, Agreement: v.Agreement, Reputation: v.Reputation, Scored: v.Scored,
	}
}

// EpochResults returns the stored results of an epoch (listings by id, curators by address),
// all of them: it is for reading an epoch's results outside block execution. x/grants takes
// them in bounded parts (TakeEpochResults).
func (k Keeper) EpochResults(ctx context.Context, epoch uint64) (types.EpochResults, error) {
	results := types.EpochResults{Epoch: epoch}
	err := k.EpochListingResults.Walk(ctx, collections.NewPrefixedPairRange[uint64, uint64](epoch),
		func(_ collections.Pair[uint64, uint64], v types.EpochListingResult) (bool, error) {
			results.Listings = append(results.Listings, listingResult(v))
			return false, nil
		})
	if err != nil {
		return types.EpochResults{}, err
	}
	err = k.EpochCuratorResults.Walk(ctx, collections.NewPrefixedPairRange[uint64, sdk.AccAddress](epoch),
		func(_ collections.Pair[uint64, sdk.AccAddress], v types.EpochCuratorResult) (bool, error) {
			results.Curators = append(results.Curators, curatorResult(v))
			return false, nil
		})
	if err != nil {
		return types.EpochResults{}, err
	}
	return results, nil
}

// TakeEpochResults returns up to limit of a completed epoch's results not taken yet (listings
// by id first, then curators by address) and deletes them from the store; more is true while
// any remain. The reader takes an epoch's results over as many blocks as its budget needs,
// then releases the epoch (ReleaseEpochResults). An epoch that is not completed is refused
// (ErrEpochNotCompleted).
func (k Keeper) TakeEpochResults(ctx context.Context, epoch uint64, limit uint32) (results types.EpochResults, more bool, err error) {
	done, err := k.CompletedEpochs.Has(ctx, epoch)
	if err != nil {
		return types.EpochResults{}, false, err
	}
	if !done {
		return types.EpochResults{}, false, errorsmod.Wrapf(types.ErrEpochNotCompleted, "epoch %d has no completed results to take", epoch)
	}
	results.Epoch = epoch
	listings, more, err := takePrefix(ctx, k.EpochListingResults, collections.NewPrefixedPairRange[uint64, uint64](epoch), limit)
	if err != nil {
		return types.EpochResults{}, false, err
	}
	for _, v := range listings {
		results.Listings = append(results.Listings, listingResult(v))
	}
	if more {
		return results, true, nil
	}
	curators, more, err := takePrefix(ctx, k.EpochCuratorResults, collections.NewPrefixedPairRange[uint64, sdk.AccAddress](epoch), limit-uint32(len(listings)))
	if err != nil {
		return types.EpochResults{}, false, err
	}
	for _, v := range curators {
		results.Curators = append(results.Curators, curatorResult(v))
	}
	return results, more, nil
}

// takePrefix reads up to limit values of range r, deletes them and reports whether any value
// of r is left.
func takePrefix[K, V any](ctx context.Context, m collections.Map[K, V], r collections.Ranger[K], limit uint32) ([]V, bool, error) {
	iter, err := m.Iterate(ctx, r)
	if err != nil {
		return nil, false, err
	}
	var (
		keys   []K
		values []V
	)
	for ; iter.Valid() && uint32(len(keys)) < limit; iter.Next() {
		kv, err := iter.KeyValue()
		if err != nil {
			iter.Close()
			return nil, false, err
		}
		keys = append(keys, kv.Key)
		values = append(values, kv.Value)
	}
	more := iter.Valid()
	iter.Close()
	for _, key := range keys {
		if err := m.Remove(ctx, key); err != nil {
			return nil, false, err
		}
	}
	return values, more, nil
}

// ReleaseEpochResults ends the collection of a completed epoch: its results left untaken are
// deleted (none once TakeEpochResults has reported that none remain; otherwise the cost is
// what is left) and the epoch leaves CompletedEpochs. Releasing an epoch that is not
// completed is refused (ErrEpochNotCompleted).
func (k Keeper) ReleaseEpochResults(ctx context.Context, epoch uint64) error {
	done, err := k.CompletedEpochs.Has(ctx, epoch)
	if err != nil {
		return err
	}
	if !done {
		return errorsmod.Wrapf(types.ErrEpochNotCompleted, "epoch %d has no completed results to release", epoch)
	}
	if err := k.EpochListingResults.Clear(ctx, collections.NewPrefixedPairRange[uint64, uint64](epoch)); err != nil {
		return err
	}
	if err := k.EpochCuratorResults.Clear(ctx, collections.NewPrefixedPairRange[uint64, sdk.AccAddress](epoch)); err != nil {
		return err
	}
	return k.CompletedEpochs.Remove(ctx, epoch)
}

// EpochAwaitingResults reports whether an ended epoch's results are still to be taken: the
// epoch is pending (its finalisation will complete it) or completed and not yet released.
// x/grants' payout-epoch invariant requires it of an epoch its payout has not tallied.
func (k Keeper) EpochAwaitingResults(ctx context.Context, epoch uint64) (bool, error) {
	pending, err := k.PendingEpochs.Has(ctx, epoch)
	if err != nil || pending {
		return pending, err
	}
	return k.CompletedEpochs.Has(ctx, epoch)
}
