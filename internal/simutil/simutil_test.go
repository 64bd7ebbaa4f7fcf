package simutil

import (
	"errors"
	"math/rand"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/stretchr/testify/require"
)

func TestExpectRejection(t *testing.T) {
	require.Error(t, ExpectRejection(nil))
	require.NoError(t, ExpectRejection(errors.New("refused")))
}

func TestGeneratorsAreValidAndDeterministic(t *testing.T) {
	r1, r2 := rand.New(rand.NewSource(7)), rand.New(rand.NewSource(7))
	for i := 0; i < 50; i++ {
		c := CID(r1)
		require.Equal(t, c, CID(r2))
		parsed, err := cid.Decode(c)
		require.NoError(t, err)
		require.EqualValues(t, 1, parsed.Version())

		s := Slug(r1, 8)
		require.Equal(t, s, Slug(r2, 8))
		require.NotEmpty(t, s)
		require.LessOrEqual(t, len(s), 8)
		require.Regexp(t, `^[a-z0-9]+$`, s)

		v := Semver(r1)
		require.Equal(t, v, Semver(r2))
		require.Regexp(t, `^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$`, v)
	}
	_, ok := Pick[int](r1, nil)
	require.False(t, ok)
	v, ok := Pick(r1, []int{4})
	require.True(t, ok)
	require.Equal(t, 4, v)
}
