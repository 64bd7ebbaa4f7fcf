package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/testutil/modtest"
	"github.com/balanceai/balanceai/x/access/types"
)

// TestUpdateParamsEmitsEvent: MsgUpdateParams emits EventParamsUpdated with the new params (the
// same event in every module); a refused update emits nothing.
func TestUpdateParamsEmitsEvent(t *testing.T) {
	f := newFixture(t)
	p, err := f.k.Params.Get(f.ctx)
	require.NoError(t, err)
	modtest.CheckParamsUpdatedEvent(t, f.ctx, f.authority, &types.EventParamsUpdated{Params: p}, func(ctx sdk.Context, authority string) error {
		_, err := f.msg.UpdateParams(ctx, &types.MsgUpdateParams{Authority: authority, Params: p})
		return err
	})
}
