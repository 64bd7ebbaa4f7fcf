package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"

	"github.com/balanceai/balanceai/x/marketplace/types"
)

const (
	// maxProposalChecksPerBlock bounds the proposals the EndBlocker looks up per block to
	// find holds of proposals that ended without a hook (cancelled, undecodable).
	maxProposalChecksPerBlock = 8
	// maxNestedMsgDepth bounds how deep authz MsgExec nesting is searched for MsgSlashListing;
	// a proposal nesting deeper is refused.
	maxNestedMsgDepth = 4
	// MaxSlashedListingsPerProposal is types.MaxSlashedListingsPerProposal.
	MaxSlashedListingsPerProposal = types.MaxSlashedListingsPerProposal
)

// GovHooks returns the x/gov hooks that freeze the collateral of every listing a pending
// proposal slashes: a proposal containing MsgSlashListing (also inside authz MsgExec) takes a
// hold on the listing when it is submitted, recording the collateral then as the slash base,
// and releases it when it fails to reach its deposit or its voting period ends. x/gov executes
// a passed proposal's messages before AfterProposalVotingPeriodEnded, so the slash still sees
// the recorded base. It panics unless the keeper was built WithGovProposals.
func (k Keeper) GovHooks() govtypes.GovHooks {
	if k.govProposals == nil {
		panic("x/marketplace: gov hooks need the keeper built WithGovProposals")
	}
	return govHooks{k: k}
}

type govHooks struct{ k Keeper }

var _ govtypes.GovHooks = govHooks{}

// AfterProposalSubmission holds the collateral of each listing the proposal slashes. An
// unknown listing fails the submission: the slash could never execute; so does a proposal
// slashing more than MaxSlashedListingsPerProposal distinct listings.
func (h govHooks) AfterProposalSubmission(ctx context.Context, proposalID uint64) error {
	p, err := h.k.govProposals.Get(ctx, proposalID)
	if err != nil {
		return err
	}
	msgs, err := p.GetMsgs()
	if err != nil {
		return err
	}
	ids, err := slashedListings(msgs, 0)
	if err != nil {
		return err
	}
	distinct := make(map[uint64]struct{}, len(ids))
	for _, id := range ids {
		distinct[id] = struct{}{}
	}
	if len(distinct) > MaxSlashedListingsPerProposal {
		return errorsmod.Wrapf(types.ErrTooManySlashes, "%d distinct listings, at most %d a proposal: submit several proposals",
			len(distinct), MaxSlashedListingsPerProposal)
	}
	for _, id := range ids {
		if err := h.k.holdProposal(ctx, proposalID, id); err != nil {
			return err
		}
	}
	return nil
}

// AfterProposalDeposit implements govtypes.GovHooks.
func (govHooks) AfterProposalDeposit(context.Context, uint64, sdk.AccAddress) error { return nil }

// AfterProposalVote implements govtypes.GovHooks.
func (govHooks) AfterProposalVote(context.Context, uint64, sdk.AccAddress) error { return nil }

// AfterProposalFailedMinDeposit releases the proposal's holds: it was dropped.
func (h govHooks) AfterProposalFailedMinDeposit(ctx context.Context, proposalID uint64) error {
	return h.k.releaseProposal(ctx, proposalID)
}

// AfterProposalVotingPeriodEnded releases the proposal's holds once it is decided (its
// messages, if it passed, have run). An expedited proposal that failed is converted to a
// regular one and stays in its voting period: its holds remain.
func (h govHooks) AfterProposalVotingPeriodEnded(ctx context.Context, proposalID uint64) error {
	ended, err := h.k.proposalEnded(ctx, proposalID)
	if err != nil || !ended {
		return err
	}
	return h.k.releaseProposal(ctx, proposalID)
}

// slashedListings returns the listing ids of the MsgSlashListing in msgs, including those
// nested in authz MsgExec, in order of appearance.
func slashedListings(msgs []sdk.Msg, depth int) ([]uint64, error) {
	var ids []uint64
	for _, msg := range msgs {
		switch m := msg.(type) {
		case *types.MsgSlashListing:
			ids = append(ids, m.Id)
		case *authz.MsgExec:
			if depth >= maxNestedMsgDepth {
				// Not searched: a MsgSlashListing below would take no hold and pass no check.
				return nil, errorsmod.Wrapf(types.ErrNestedTooDeep, "authz MsgExec nested more than %d deep", maxNestedMsgDepth)
			}
			inner, err := m.GetMessages()
			if err != nil {
				return nil, err
			}
			nested, err := slashedListings(inner, depth+1)
			if err != nil {
				return nil, err
			}
			ids = append(ids, nested...)
		}
	}
	return ids, nil
}

// proposalEnded reports whether a proposal is no longer pending: deleted (cancelled, or
// dropped for lack of deposit) or past its voting period.
func (k Keeper) proposalEnded(ctx context.Context, proposalID uint64) (bool, error) {
	p, err := k.govProposals.Get(ctx, proposalID)
	if errors.Is(err, collections.ErrNotFound) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return p.Status != govv1.StatusDepositPeriod && p.Status != govv1.StatusVotingPeriod, nil
}

// sweepProposalHolds releases the holds of proposals that ended without a hook call: x/gov
// has no hook for a cancelled proposal, nor for one it fails because it cannot decode it,
// and a failing hook is only logged. It looks at no more than maxProposalChecksPerBlock
// proposals per block, resuming where the previous block stopped, so every proposal hold is
// checked within a bounded number of blocks. Each proposal is found with one seek, whatever
// the number of listings it holds: a block reads at most maxProposalChecksPerBlock + 1 keys.
func (k Keeper) sweepProposalHolds(ctx context.Context) error {
	if k.govProposals == nil {
		return nil
	}
	cursor, err := k.ProposalHoldCursor.Get(ctx)
	if err != nil && !errors.Is(err, collections.ErrNotFound) {
		return err
	}
	var ids []uint64
	next := uint64(0)
	for from, more := cursor, true; more; {
		pid, found, err := k.firstProposalHold(ctx, from)
		if err != nil {
			return err
		}
		if !found {
			break
		}
		if len(ids) == maxProposalChecksPerBlock {
			next = pid
			break
		}
		ids = append(ids, pid)
		from, more = pid+1, pid < ^uint64(0)
	}

	sdkCtx := sdk.UnwrapSDKContext(ctx)
	for _, pid := range ids {
		ended, err := k.proposalEnded(ctx, pid)
		if err != nil {
			k.Logger(ctx).Error("reading a proposal that holds collateral failed", "proposal", pid, "err", err)
			continue
		}
		if !ended {
			continue
		}
		cacheCtx, write := sdkCtx.CacheContext()
		if err := k.releaseProposal(cacheCtx, pid); err != nil {
			k.Logger(ctx).Error("releasing the holds of an ended proposal failed", "proposal", pid, "err", err)
			continue
		}
		write()
	}
	if next != cursor {
		return k.ProposalHoldCursor.Set(ctx, next)
	}
	return nil
}

// firstProposalHold returns the lowest proposal id at or above from that holds a listing.
func (k Keeper) firstProposalHold(ctx context.Context, from uint64) (uint64, bool, error) {
	rng := new(collections.Range[collections.Pair[uint64, uint64]]).StartInclusive(collections.Join(from, uint64(0)))
	it, err := k.ProposalHolds.Iterate(ctx, rng)
	if err != nil {
		return 0, false, err
	}
	defer it.Close()
	if !it.Valid() {
		return 0, false, nil
	}
	key, err := it.Key()
	if err != nil {
		return 0, false, err
	}
	return key.K1(), true, nil
}
