// Package modtest holds the checks every BalanceAI module's tests share: the contracts all
// modules keep (the EventParamsUpdated of MsgUpdateParams, AutoCLI options that match the
// protos). It never imports the app.
package modtest

import (
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// CheckParamsUpdatedEvent checks the contract every module's MsgUpdateParams keeps: an update
// signed by another authority is refused and emits nothing; the authority's update emits exactly
// want (the module's EventParamsUpdated{params}). update sends MsgUpdateParams signed by the given
// authority on ctx.
func CheckParamsUpdatedEvent(t *testing.T, ctx sdk.Context, authority string, want proto.Message, update func(ctx sdk.Context, authority string) error) {
	t.Helper()
	ctx = ctx.WithEventManager(sdk.NewEventManager())
	require.Error(t, update(ctx, "bai1notgov"))
	require.Empty(t, ctx.EventManager().Events(), "a refused update emits nothing")

	require.NoError(t, update(ctx, authority))
	var got []proto.Message
	for _, e := range ctx.EventManager().Events() {
		ev, err := sdk.ParseTypedEvent(abci.Event(e))
		require.NoError(t, err)
		if proto.MessageName(ev) == proto.MessageName(want) {
			got = append(got, ev)
		}
	}
	require.Equal(t, []proto.Message{want}, got)
}
