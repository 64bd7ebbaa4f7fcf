package cmd

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	_ "github.com/balanceai/balanceai/app" // bech32 prefixes
)

func valAddr(b byte) string {
	return sdk.ValAddress(append(make([]byte, 19), b)).String()
}

func TestNominateMsgsSplitsEquallyRemainderToFirst(t *testing.T) {
	vals := []string{valAddr(1), valAddr(2), valAddr(3)}
	msgs, err := NominateMsgs("bai1delegator", vals, sdk.NewInt64Coin("ubai", 1_000_000_001))
	require.NoError(t, err)
	require.Len(t, msgs, 3)
	want := []int64{333_333_335, 333_333_333, 333_333_333}
	var total int64
	for i, m := range msgs {
		d := m.(*stakingtypes.MsgDelegate)
		require.Equal(t, vals[i], d.ValidatorAddress)
		require.Equal(t, "bai1delegator", d.DelegatorAddress)
		require.Equal(t, want[i], d.Amount.Amount.Int64())
		total += d.Amount.Amount.Int64()
	}
	require.Equal(t, int64(1_000_000_001), total)
}

func TestNominateRefusals(t *testing.T) {
	vals := []string{valAddr(1), valAddr(2)}
	_, err := NominateMsgs("bai1x", vals, sdk.NewInt64Coin("ubai", 0))
	require.ErrorContains(t, err, "amount must be positive")
	_, err = NominateMsgs("bai1x", vals, sdk.NewInt64Coin("ubai", 1))
	require.ErrorContains(t, err, "too small to split")
	_, err = NominateMsgs("bai1x", nil, sdk.NewInt64Coin("ubai", 10))
	require.ErrorContains(t, err, "no validator")

	_, err = parseValidatorList(vals[0] + "," + vals[0])
	require.ErrorContains(t, err, "listed twice")
	_, err = parseValidatorList("baivaloper1nope")
	require.ErrorContains(t, err, "invalid validator address")
	_, err = parseValidatorList(" , ")
	require.ErrorContains(t, err, "no validator given")
	got, err := parseValidatorList(vals[0] + ", " + vals[1])
	require.NoError(t, err)
	require.Equal(t, vals, got)
}
