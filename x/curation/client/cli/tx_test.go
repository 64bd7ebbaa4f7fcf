package cli_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/balanceai/balanceai/x/curation/client/cli"
	"github.com/balanceai/balanceai/x/curation/types"
)

func TestBuildCommitAndReveal(t *testing.T) {
	const curator = "bai1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5zdy8hm"
	msg, salt, err := cli.BuildCommit(curator, "balanceai-1", "12", "9:30,1:80, 4:65", "pepper")
	require.NoError(t, err)
	require.Equal(t, "pepper", salt)
	// sha256("<curator>|balanceai-1|pepper|12|1:80,4:65,9:30"), the README's example.
	require.Equal(t, "6351ebd0cc13854ec9a24c83c145d1907302e5ca3eba64bfa5359c9172462ce2", msg.Commitment)
	require.Equal(t, curator+"|balanceai-1|pepper|12|1:80,4:65,9:30", types.CommitmentString(curator, "balanceai-1", "pepper", 12, []types.ListingScoreEntry{{ListingId: 9, Score: 30}, {ListingId: 1, Score: 80}, {ListingId: 4, Score: 65}}))

	// Without a chain id there is no commitment to compute.
	_, _, err = cli.BuildCommit(curator, "", "12", "1:80", "pepper")
	require.ErrorContains(t, err, "--chain-id")

	// A random salt is generated and differs between calls.
	m1, s1, err := cli.BuildCommit(curator, "balanceai-1", "12", "1:80", "")
	require.NoError(t, err)
	m2, s2, err := cli.BuildCommit(curator, "balanceai-1", "12", "1:80", "")
	require.NoError(t, err)
	require.Len(t, s1, 32)
	require.NotEqual(t, s1, s2)
	require.NotEqual(t, m1.Commitment, m2.Commitment)

	r, err := cli.BuildReveal(curator, "12", "pepper", "9:30,1:80,4:65")
	require.NoError(t, err)
	require.Equal(t, msg.Commitment, types.ComputeCommitment(r.Curator, "balanceai-1", r.Salt, r.Epoch, r.Scores))

	for _, bad := range [][3]string{{"x", "1:2", "s"}, {"1", "1:101", "s"}, {"1", "1-2", "s"}, {"1", "1:2", "a|b"}} {
		_, _, err := cli.BuildCommit(curator, "balanceai-1", bad[0], bad[1], bad[2])
		require.Error(t, err, bad)
	}
}
