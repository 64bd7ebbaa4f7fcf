//go:build e2e

package e2e

import (
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"
)

// subtract returns a - b for decimal integer strings.
func subtract(t *testing.T, a string, b int64) string {
	t.Helper()
	v, ok := math.NewIntFromString(a)
	require.True(t, ok, "not an integer: %q", a)
	return v.SubRaw(b).String()
}
