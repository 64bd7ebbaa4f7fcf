package keeper_test

import (
	"testing"
	"time"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/balanceai/balanceai/x/curation/types"
)

func TestBondUnbondQueue(t *testing.T) {
	f := newFixture(t)
	f.block(t0)
	f.bond(0, 10_000*bai)
	f.bond(0, 5*bai) // top-ups of any size once above the minimum
	c := f.curator(0)
	require.Equal(t, math.NewInt(10_005*bai), c.Bond)
	require.Equal(t, types.InitialReputation, c.Reputation)
	total, _ := f.k.GetTotalBonded(f.ctx)
	require.Equal(t, math.NewInt(10_005*bai), total)
	f.checkInvariant()

	before := f.bank.Balance(f.curators[0], "ubai")
	res, err := f.msg.UnbondCurator(f.ctx, &types.MsgUnbondCurator{Curator: f.curators[0].String(), Amount: sdk.NewInt64Coin("ubai", 10_005*bai)})
	require.NoError(t, err)
	require.Equal(t, t0.Add(21*24*time.Hour), res.CompletionTime)
	c = f.curator(0)
	require.True(t, c.Bond.IsZero())
	require.Equal(t, math.NewInt(10_005*bai), c.Unbonding)
	f.checkInvariant()

	// A second, later unbonding of another curator; both queued in time order.
	f.bond(1, 20_000*bai)
	f.at(t0.Add(time.Hour))
	_, err = f.msg.UnbondCurator(f.ctx, &types.MsgUnbondCurator{Curator: f.curators[1].String(), Amount: sdk.NewInt64Coin("ubai", 10_000*bai)})
	require.NoError(t, err)

	f.block(t0.Add(21*24*time.Hour - time.Second)) // not yet
	require.Equal(t, before, f.bank.Balance(f.curators[0], "ubai"))
	f.block(t0.Add(21 * 24 * time.Hour))
	require.Equal(t, before.Add(math.NewInt(10_005*bai)), f.bank.Balance(f.curators[0], "ubai"))
	require.True(t, f.curator(0).Unbonding.IsZero())
	require.Equal(t, math.NewInt(10_000*bai), f.curator(1).Unbonding) // still waiting
	f.block(t0.Add(21*24*time.Hour + time.Hour))
	require.True(t, f.curator(1).Unbonding.IsZero())
	require.Equal(t, math.NewInt(10_000*bai), f.curator(1).Bond)
	f.checkInvariant()
}

func TestUnbondingQueueIsBounded(t *testing.T) {
	f := newFixture(t)
	f.block(t0)
	p, _ := f.k.Params.Get(f.ctx)
	p.MaxQueueItemsPerBlock = 2
	require.NoError(t, f.k.Params.Set(f.ctx, p))
	f.bond(0, 15_000*bai)
	for i := 0; i < 5; i++ {
		_, err := f.msg.UnbondCurator(f.ctx, &types.MsgUnbondCurator{Curator: f.curators[0].String(), Amount: sdk.NewInt64Coin("ubai", 1_000*bai)})
		require.NoError(t, err)
	}
	done := t0.Add(22 * 24 * time.Hour)
	for _, left := range []int64{3, 1, 0} {
		f.block(done)
		require.Equal(t, math.NewInt(left*1_000*bai), f.curator(0).Unbonding)
		done = done.Add(time.Second)
	}
	f.checkInvariant()
}

func TestBondErrors(t *testing.T) {
	f := newFixture(t)
	f.block(t0)
	f.bond(1, 10_000*bai)
	poor := sdk.AccAddress("poor-curator-0000000")
	cases := []struct {
		name string
		msg  *types.MsgBondCurator
		err  error
	}{
		{"bad address", &types.MsgBondCurator{Curator: "cosmos1xyz", Amount: sdk.NewInt64Coin("ubai", 10_000*bai)}, types.ErrInvalidAddress},
		{"wrong denom", &types.MsgBondCurator{Curator: f.curators[0].String(), Amount: sdk.NewInt64Coin("stake", 10_000*bai)}, types.ErrInvalidAmount},
		{"zero", &types.MsgBondCurator{Curator: f.curators[0].String(), Amount: sdk.Coin{Denom: "ubai", Amount: math.ZeroInt()}}, types.ErrInvalidAmount},
		{"below minimum", &types.MsgBondCurator{Curator: f.curators[0].String(), Amount: sdk.NewInt64Coin("ubai", 9_999*bai)}, types.ErrBondTooSmall},
		{"no funds", &types.MsgBondCurator{Curator: poor.String(), Amount: sdk.NewInt64Coin("ubai", 10_000*bai)}, sdkerrors.ErrInsufficientFunds},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := f.dump()
			_, err := f.msg.BondCurator(f.ctx, tc.msg)
			require.ErrorIs(t, err, tc.err)
			require.Equal(t, before, f.dump())
		})
	}

	ucases := []struct {
		name string
		who  int
		amt  int64
		err  error
	}{
		{"not a curator", 0, 1 * bai, types.ErrInsufficientBond},
		{"more than bond", 1, 10_001 * bai, types.ErrInsufficientBond},
		{"rest below minimum", 1, 1 * bai, types.ErrBondTooSmall},
	}
	for _, tc := range ucases {
		t.Run(tc.name, func(t *testing.T) {
			before := f.dump()
			_, err := f.msg.UnbondCurator(f.ctx, &types.MsgUnbondCurator{Curator: f.curators[tc.who].String(), Amount: sdk.NewInt64Coin("ubai", tc.amt)})
			require.ErrorIs(t, err, tc.err)
			require.Equal(t, before, f.dump())
		})
	}

	// An unrevealed commitment blocks unbonding until it is revealed.
	require.NoError(t, f.commit(1, "s", scores(1, 50)))
	before := f.dump()
	_, err := f.msg.UnbondCurator(f.ctx, &types.MsgUnbondCurator{Curator: f.curators[1].String(), Amount: sdk.NewInt64Coin("ubai", 10_000*bai)})
	require.ErrorIs(t, err, types.ErrCommitmentPending)
	require.Equal(t, before, f.dump())
	f.at(f.epoch().RevealStart)
	require.NoError(t, f.reveal(1, "s", scores(1, 50)))
	_, err = f.msg.UnbondCurator(f.ctx, &types.MsgUnbondCurator{Curator: f.curators[1].String(), Amount: sdk.NewInt64Coin("ubai", 10_000*bai)})
	require.NoError(t, err)
	f.checkInvariant()
}
