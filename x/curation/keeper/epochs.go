package keeper

import (
	"context"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/curation/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// PhaseAt returns the phase of epoch e at time t: COMMIT in [start, reveal_start), REVEAL in
// [reveal_start, end), UNSPECIFIED outside the epoch.
func PhaseAt(e types.Epoch, t time.Time) types.EpochPhase {
	switch {
	case t.Before(e.Start):
		return types.EpochPhaseUnspecified
	case t.Before(e.RevealStart):
		return types.EpochPhaseCommit
	case t.Before(e.End):
		return types.EpochPhaseReveal
	default:
		return types.EpochPhaseUnspecified
	}
}

// newEpoch lays out epoch number from start with the current params. When the chain was
// down for a whole epoch (now ≥ start + epoch_duration), it starts at now instead: empty
// epochs are skipped rather than replayed one per block.
func newEpoch(number uint64, start, now time.Time, p types.Params) types.Epoch {
	if !now.Before(start.Add(p.EpochDuration)) {
		start = now
	}
	end := start.Add(p.EpochDuration)
	return types.Epoch{Number: number, Start: start.UTC(), RevealStart: end.Add(-p.RevealDuration).UTC(), End: end.UTC()}
}

// advanceEpoch starts epoch 0 or, when the block time reached the running epoch's end,
// ends it (queueing it for finalisation) and starts the next. It runs in BeginBlock so that
// every tx of a block sees the epoch its block time falls in. Epoch 0 starts at the genesis
// epoch_start when set (once the block time reaches it), else at the first block's time.
// Param changes take effect from the next epoch.
func (k Keeper) advanceEpoch(ctx context.Context) error {
	now := sdk.UnwrapSDKContext(ctx).BlockTime().UTC()
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	cur, err := k.CurrentEpoch.Get(ctx)
	var next types.Epoch
	switch {
	case isNotFound(err):
		start := now
		if ns, err := k.EpochStart.Get(ctx); err == nil {
			start = time.Unix(0, ns).UTC()
			if now.Before(start) {
				return nil // epoch 0 has not begun yet
			}
		} else if !isNotFound(err) {
			return err
		}
		next = newEpoch(0, start, now, params)
	case err != nil:
		return err
	case now.Before(cur.End):
		if cur.RevealOpened || now.Before(cur.RevealStart) {
			return nil
		}
		// The first block of the reveal phase: curators can reveal.
		cur.RevealOpened = true
		return k.CurrentEpoch.Set(ctx, cur)
	default:
		if err := k.PendingEpochs.Set(ctx, cur.Number); err != nil {
			return err
		}
		if !cur.RevealOpened {
			// No block fell in the reveal phase: nobody could reveal.
			if err := k.EpochsWithoutReveal.Set(ctx, cur.Number); err != nil {
				return err
			}
		}
		next = newEpoch(cur.Number+1, cur.End, now, params)
	}
	if err := k.CurrentEpoch.Set(ctx, next); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventEpochStarted{Epoch: next})
}

// epochFor loads the current epoch and checks the message's epoch and the phase.
func (k Keeper) epochFor(ctx context.Context, epoch uint64, want types.EpochPhase) (types.Epoch, error) {
	e, err := k.CurrentEpoch.Get(ctx)
	if isNotFound(err) {
		return e, types.ErrNoEpoch
	}
	if err != nil {
		return e, err
	}
	if epoch != e.Number {
		return e, errorsmod.Wrapf(types.ErrWrongEpoch, "current epoch is %d, got %d", e.Number, epoch)
	}
	now := sdk.UnwrapSDKContext(ctx).BlockTime()
	if got := PhaseAt(e, now); got != want {
		return e, errorsmod.Wrapf(types.ErrWrongPhase, "epoch %d is in %s at %s; %s runs from %s to %s",
			e.Number, got, now.UTC().Format(time.RFC3339), want, phaseStart(e, want).Format(time.RFC3339), phaseEnd(e, want).Format(time.RFC3339))
	}
	return e, nil
}

func phaseStart(e types.Epoch, p types.EpochPhase) time.Time {
	if p == types.EpochPhaseReveal {
		return e.RevealStart
	}
	return e.Start
}

func phaseEnd(e types.Epoch, p types.EpochPhase) time.Time {
	if p == types.EpochPhaseReveal {
		return e.End
	}
	return e.RevealStart
}

// requireCurator returns the curator when its bond is at least min_curator_bond.
func (k Keeper) requireCurator(ctx context.Context, addr sdk.AccAddress, canon string, params types.Params) (types.Curator, error) {
	c, found, err := k.GetCurator(ctx, addr, canon)
	if err != nil {
		return c, err
	}
	if !found || c.Bond.LT(params.MinCuratorBond.Amount) {
		return c, errorsmod.Wrapf(types.ErrNotCurator, "%s has bond %s, minimum %s", canon, coin(c.Bond), params.MinCuratorBond)
	}
	return c, nil
}

// CommitScores records a curator's commitment for the current epoch (commit phase, once),
// with the curator's bond at this moment: the reveal weighs at most that much, so bonding
// more after seeing others' reveals buys no weight.
func (k Keeper) CommitScores(ctx context.Context, addr sdk.AccAddress, epoch uint64, commitment string) error {
	canon, err := chainutil.AddressString(k.addressCodec, addr, types.ErrInvalidAddress)
	if err != nil {
		return err
	}
	if err := types.ValidateCommitment(commitment); err != nil {
		return err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if _, err := k.epochFor(ctx, epoch, types.EpochPhaseCommit); err != nil {
		return err
	}
	cur, err := k.requireCurator(ctx, addr, canon, params)
	if err != nil {
		return err
	}
	key := collections.Join(epoch, addr)
	if has, err := k.Commitments.Has(ctx, key); err != nil {
		return err
	} else if has {
		return errorsmod.Wrapf(types.ErrAlreadyCommitted, "epoch %d", epoch)
	}
	// weight stays zero until the reveal.
	c := types.Commitment{Epoch: epoch, Curator: canon, Commitment: commitment, Weight: math.ZeroInt(), BondAtCommit: cur.Bond}
	if err := k.Commitments.Set(ctx, key, c); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventScoresCommitted{
		Curator: canon, Epoch: epoch, Commitment: commitment,
	})
}

// RevealScores checks a reveal against the curator's commitment and records its scores. The
// commitment binds the curator and the chain id, so a commitment copied from another curator
// cannot be revealed by the copier. Each score weighs min(bond at commit, bond now).
// The whole reveal is refused for a structural problem (mismatch, range, duplicates, too
// many, unknown listing) and for a score of the curator's own listing. Only listings ACTIVE
// when the epoch opened (x/marketplace StatusBefore the epoch start) are scored, as they were
// when the curator committed: a score for one that left ACTIVE during the epoch counts, so
// its owner cannot escape a bad epoch score, nor pick the reveals that count, by pausing it;
// a score for one registered after the start, or not ACTIVE at it, is skipped (the reveal
// succeeds, the score never counts), however its status changed since. So is a score for a
// listing that may have become the curator's during the epoch (updated_at ≥ epoch start).
// Every check runs before anything is written.
func (k Keeper) RevealScores(ctx context.Context, addr sdk.AccAddress, epoch uint64, salt string, scores []types.ListingScoreEntry) (recorded, skipped uint32, err error) {
	canon, err := chainutil.AddressString(k.addressCodec, addr, types.ErrInvalidAddress)
	if err != nil {
		return 0, 0, err
	}
	if err := types.ValidateSalt(salt); err != nil {
		return 0, 0, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return 0, 0, err
	}
	sorted, err := types.ValidateScores(scores, params.MaxScoresPerEpoch)
	if err != nil {
		return 0, 0, err
	}
	e, err := k.epochFor(ctx, epoch, types.EpochPhaseReveal)
	if err != nil {
		return 0, 0, err
	}
	key := collections.Join(epoch, addr)
	commit, err := k.Commitments.Get(ctx, key)
	if isNotFound(err) {
		return 0, 0, errorsmod.Wrapf(types.ErrNoCommitment, "%s did not commit in epoch %d", canon, epoch)
	}
	if err != nil {
		return 0, 0, err
	}
	if commit.Revealed {
		return 0, 0, errorsmod.Wrapf(types.ErrAlreadyRevealed, "epoch %d", epoch)
	}
	chainID := sdk.UnwrapSDKContext(ctx).ChainID()
	if got := types.ComputeCommitment(canon, chainID, salt, epoch, sorted); got != commit.Commitment {
		return 0, 0, errorsmod.Wrapf(types.ErrCommitmentMismatch, "sha256(%q) = %s, committed %s",
			types.CommitmentString(canon, chainID, salt, epoch, sorted), got, commit.Commitment)
	}
	c, found, err := k.GetCurator(ctx, addr, canon)
	if err != nil {
		return 0, 0, err
	}
	weight := math.MinInt(commit.BondAtCommit, c.Bond)
	if !found || !weight.IsPositive() {
		return 0, 0, errorsmod.Wrapf(types.ErrNotCurator, "%s has no bond", canon)
	}

	type accepted struct {
		entry types.ListingScoreEntry
		kind  marketplacetypes.ListingKind
	}
	keep := make([]accepted, 0, len(sorted))
	for _, s := range sorted {
		l, err := k.market.GetListing(ctx, s.ListingId)
		if err != nil {
			return 0, 0, errorsmod.Wrapf(types.ErrInvalidScores, "listing %d: %v", s.ListingId, err)
		}
		// Only a listing ACTIVE when the epoch opened is scored in it, whatever became of it
		// since; one registered after is scored from the next epoch. Scores for a listing
		// registered later (curators who guessed its id) or paused then (honest curators leave
		// it out; it could be resumed, or resumed and paused again, during the epoch) would
		// come only from curators who expected that, who would be its only judges. Skipped
		// rather than refused: a curator who scored a listing resumed during the commit phase,
		// when it looked ACTIVE, keeps the rest of the reveal.
		before, registered, err := k.market.StatusBefore(ctx, l.Id, e.Start)
		if err != nil {
			return 0, 0, err
		}
		if !registered || before != marketplacetypes.ListingStatusActive {
			skipped++
			continue
		}
		changedThisEpoch := !l.UpdatedAt.Before(e.Start)
		if l.Owner == canon {
			if changedThisEpoch {
				// Became the curator's after the epoch opened: the curator may have committed
				// while it was someone else's, so the reveal stands, but nobody scores their own.
				skipped++
				continue
			}
			return 0, 0, errorsmod.Wrapf(types.ErrOwnListing, "listing %d is owned by %s", s.ListingId, canon)
		}
		keep = append(keep, accepted{s, l.Kind})
	}

	// In the listing rewards the bond counts once, shared by the listings the curator scored:
	// one bond scoring many listings would otherwise weigh as many bonds.
	rewardWeight := math.ZeroInt()
	if len(keep) > 0 {
		rewardWeight = weight.QuoRaw(int64(len(keep)))
	}
	recordedScores := make([]types.ListingScoreEntry, 0, len(keep))
	for _, a := range keep {
		if err := k.setReveal(ctx, epoch, a.entry, addr, canon, weight, rewardWeight, a.kind); err != nil {
			return 0, 0, err
		}
		recordedScores = append(recordedScores, a.entry)
	}
	commit.Revealed = true
	commit.Weight = weight
	if err := k.Commitments.Set(ctx, key, commit); err != nil {
		return 0, 0, err
	}
	recorded = uint32(len(recordedScores))
	return recorded, skipped, sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventScoresRevealed{
		Curator: canon, Epoch: epoch, Scores: recordedScores, Skipped: skipped, Weight: weight,
	})
}

// setReveal stores a curator's revealed score of a listing and the listing's entry for the
// epoch (made at its first reveal).
func (k Keeper) setReveal(ctx context.Context, epoch uint64, entry types.ListingScoreEntry, addr sdk.AccAddress, canon string, weight, rewardWeight math.Int, kind marketplacetypes.ListingKind) error {
	rs := types.RevealedScore{
		Epoch: epoch, ListingId: entry.ListingId, Curator: canon, Score: entry.Score, Weight: weight, RewardWeight: rewardWeight,
	}
	if err := k.RevealedScores.Set(ctx, collections.Join3(epoch, entry.ListingId, addr), rs); err != nil {
		return err
	}
	lk := collections.Join(epoch, entry.ListingId)
	has, err := k.EpochListings.Has(ctx, lk)
	if err != nil || has {
		return err
	}
	return k.EpochListings.Set(ctx, lk, types.EpochListing{Epoch: epoch, ListingId: entry.ListingId, Kind: kind})
}
