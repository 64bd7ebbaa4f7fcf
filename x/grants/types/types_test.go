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
