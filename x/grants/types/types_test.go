package types_test

import (
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/balanceai/balanceai/x/grants/types"
)

func TestDefaultParamsValid(t *testing.T) {
	require.NoError(t, types.DefaultParams().Validate())
	require.NoError(t, types.DefaultGenesisState().Validate())
	p := types.DefaultParams()
	p.PassThreshold = math.LegacyOneDec()
	require.ErrorIs(t, p.Validate(), types.ErrInvalidParams)
	p = types.DefaultParams()
	p.VetoThreshold = math.LegacyDec{}
	require.ErrorIs(t, p.Validate(), types.ErrInvalidParams)
	p = types.DefaultParams()
	p.Denom = ""
	require.ErrorIs(t, p.Validate(), types.ErrInvalidParams)
}

func TestValidateCID(t *testing.T) {
	require.NoError(t, types.ValidateCID("c", "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"))
	require.NoError(t, types.ValidateCID("c", "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"))
	for _, bad := range []string{"", "Qm", "bafy", "hello world", string(make([]byte, 200))} {
		require.ErrorIs(t, types.ValidateCID("c", bad), types.ErrInvalidCID, bad)
	}
}

// FuzzValidateCID: never panics; anything accepted is within the length bound.
func FuzzValidateCID(f *testing.F) {
	for _, s := range []string{"bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi", "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG", "", "z", "f01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if types.ValidateCID("c", s) == nil && (len(s) == 0 || len(s) > types.MaxCIDLength) {
			t.Fatalf("accepted %q", s)
		}
	})
}

func TestValidateMilestones(t *testing.T) {
	ms := []types.MilestoneInput{{Amount: sdkCoin(5), Description: "a"}, {Amount: sdkCoin(7), Description: "b"}}
	total, err := types.ValidateMilestones(ms, "ubai")
	require.NoError(t, err)
	require.Equal(t, int64(12), total.Int64())
	_, err = types.ValidateMilestones(ms, "uatom")
	require.ErrorIs(t, err, types.ErrInvalidAmount)
}

// TestRebaseHeightsMovesVotesInProgress: a rebase moves the snapshot heights of the votes in
// progress only (a voting grant's, the review of an approved grant's milestone in review),
// not those of decided votes, which nothing reads again.
func TestRebaseHeightsMovesVotesInProgress(t *testing.T) {
	gs := types.GenesisState{Grants: []types.Grant{
		{Id: 1, Status: types.GrantStatusVoting, VotingOpenedHeight: 90},
		{Id: 2, Status: types.GrantStatusApproved, VotingOpenedHeight: 50, NextMilestone: 1, Milestones: []types.Milestone{
			{Status: types.MilestoneStatusPaid, ReviewOpenedHeight: 60},
			{Status: types.MilestoneStatusInReview, ReviewOpenedHeight: 95},
		}},
		{Id: 3, Status: types.GrantStatusApproved, VotingOpenedHeight: 40, Milestones: []types.Milestone{
			{Status: types.MilestoneStatusPending},
		}},
		{Id: 4, Status: types.GrantStatusRejected, VotingOpenedHeight: 30},
	}}
	gs.RebaseHeights(100)
	require.Equal(t, int64(-10), gs.Grants[0].VotingOpenedHeight)
	require.Equal(t, int64(50), gs.Grants[1].VotingOpenedHeight)
	require.Equal(t, int64(60), gs.Grants[1].Milestones[0].ReviewOpenedHeight)
	require.Equal(t, int64(-5), gs.Grants[1].Milestones[1].ReviewOpenedHeight)
	require.Equal(t, int64(40), gs.Grants[2].VotingOpenedHeight)
	require.Equal(t, int64(30), gs.Grants[3].VotingOpenedHeight)
}
