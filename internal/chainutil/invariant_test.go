package chainutil_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/chainutil"
)

// A failing check breaks the invariant with its error; a passing one reports ok.
func TestInvariant(t *testing.T) {
	fail := chainutil.Invariant("mod", "route", func(context.Context) error { return errors.New("off by one") }, "fine")
	msg, broken := fail(sdk.Context{})
	require.True(t, broken)
	require.Equal(t, sdk.FormatInvariant("mod", "route", "off by one"), msg)

	pass := chainutil.Invariant("mod", "route", func(context.Context) error { return nil }, "fine")
	msg, broken = pass(sdk.Context{})
	require.False(t, broken)
	require.Equal(t, sdk.FormatInvariant("mod", "route", "fine"), msg)
}
