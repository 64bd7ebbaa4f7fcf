package slots

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPerKey: each key takes up to its limit, independently of the others, and a key whose
// things are all done is forgotten.
func TestPerKey(t *testing.T) {
	var p PerKey
	require.True(t, p.Take("a", 2))
	require.True(t, p.Take("a", 2))
	require.False(t, p.Take("a", 2), "a is at its limit")
	require.True(t, p.Take("b", 2), "b is not")
	p.Done("a")
	require.True(t, p.Take("a", 2), "a has room again")
	p.Done("a")
	p.Done("a")
	p.Done("b")
	require.Zero(t, p.Len())
}
