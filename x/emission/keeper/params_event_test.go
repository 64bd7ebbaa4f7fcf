package keeper_test

import (
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/emission/types"
)

// TestUpdateParamsEmitsEvent: MsgUpdateParams emits EventParamsUpdated with the new params (the
// same event in every module); a refused update emits nothing.
func TestUpdateParamsEmitsEvent(t *testing.T) {
	f := newFixture(t, types.DefaultParams(), 1)
	p, err := f.k.Params.Get(f.ctx)
	require.NoError(t, err)

	ctx := f.ctx.WithEventManager(sdk.NewEventManager())
	_, err = f.ms.UpdateParams(ctx, &types.MsgUpdateParams{Authority: "bai1notgov", Params: p})
	require.Error(t, err)
	require.Empty(t, ctx.EventManager().Events())

	_, err = f.ms.UpdateParams(ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
	require.NoError(t, err)
	var got []*types.EventParamsUpdated
	for _, e := range ctx.EventManager().Events() {
		ev, err := sdk.ParseTypedEvent(abci.Event(e))
		require.NoError(t, err)
		if pe, ok := ev.(*types.EventParamsUpdated); ok {
			got = append(got, pe)
		}
	}
	require.Equal(t, []*types.EventParamsUpdated{{Params: p}}, got)
}
