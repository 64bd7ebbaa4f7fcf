package app

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestOwnProtoAnnotations: the start-up check covers the Msg services of all six modules, and
// they carry the signer and amino annotations.
func TestOwnProtoAnnotations(t *testing.T) {
	own, err := ownProtoFiles()
	require.NoError(t, err)
	for _, m := range []string{"emission", "marketplace", "curation", "grants", "access", "bridge"} {
		_, err := own.FindFileByPath("balanceai/" + m + "/v1/tx.proto")
		require.NoError(t, err, "module %s", m)
	}
	require.NoError(t, validateOwnProtoAnnotations())
}
