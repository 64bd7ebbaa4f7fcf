package keeper_test

import (
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	curationtypes "github.com/balanceai/balanceai/x/curation/types"
	"github.com/balanceai/balanceai/x/grants/types"
)

// TestEndBlockerCollectsCompletedEpochs: the EndBlocker pays the epochs x/curation completed
// (read from the curation keeper, never pushed by it) and releases their results; an epoch it
// cannot pay is released as well, reported by EventEpochRewardsFailed, without halting.
func TestEndBlockerCollectsCompletedEpochs(t *testing.T) {
	f, res := epochFixture(t)
	res.Epoch = 3
	f.curation.CompleteEpoch(res)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	f.checkInvariants()
	require.Empty(t, f.curation.Completed, "collected results are released")
	last, err := f.k.LastRewardedEpoch.Get(f.ctx)
	require.NoError(t, err)
	require.Equal(t, uint64(3), last)
	require.Equal(t, int64(196_875), f.reward(addr("alice")), "paid as TestEpochRewardMath expects")

	// Epoch 2 comes after epoch 3 was paid: refused, nothing written, released, reported.
	before := f.bank.Total(denom)
	ctx := f.ctx.WithEventManager(sdk.NewEventManager())
	f.curation.CompleteEpoch(curationtypes.EpochResults{Epoch: 2, Listings: res.Listings})
	require.NoError(t, f.k.EndBlocker(ctx))
	require.Empty(t, f.curation.Completed)
	require.Equal(t, before, f.bank.Total(denom))
	var failed []*types.EventEpochRewardsFailed
	for _, e := range ctx.EventManager().Events() {
		ev, err := sdk.ParseTypedEvent(abci.Event(e))
		require.NoError(t, err)
		if fe, ok := ev.(*types.EventEpochRewardsFailed); ok {
			failed = append(failed, fe)
		}
	}
	require.Len(t, failed, 1)
	require.Equal(t, uint64(2), failed[0].Epoch)
	require.Contains(t, failed[0].Error, "already")
}
