package cmd

import (
	"io"
	"os"
	"strings"
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
	// The same validator spelled in upper case is the same validator.
	_, err = parseValidatorList(vals[0] + "," + strings.ToUpper(vals[0]))
	require.ErrorContains(t, err, "listed twice")
	got, err := parseValidatorList(strings.ToUpper(vals[1]))
	require.NoError(t, err)
	require.Equal(t, []string{vals[1]}, got)
	_, err = parseValidatorList("baivaloper1nope")
	require.ErrorContains(t, err, "invalid validator address")
	_, err = parseValidatorList(" , ")
	require.ErrorContains(t, err, "no validator given")
	got, err = parseValidatorList(vals[0] + ", " + vals[1])
	require.NoError(t, err)
	require.Equal(t, vals, got)
}

// With --offline the node is not asked: the messages are built from the arguments alone.
func TestNominateOffline(t *testing.T) {
	home := t.TempDir()
	_, err := runBaid(t, "keys", "add", "alice", "--keyring-backend", "test", "--home", home)
	require.NoError(t, err)
	// The SDK prints a generated transaction to the process's stdout.
	r, w, err := os.Pipe()
	require.NoError(t, err)
	stdout := os.Stdout
	os.Stdout = w
	_, err = runBaid(t, "tx", "nominate", valAddr(1)+","+valAddr(2), "3000001ubai", "--from", "alice",
		"--offline", "--generate-only", "--account-number", "1", "--sequence", "0",
		"--keyring-backend", "test", "--home", home, "--node", "tcp://127.0.0.1:1")
	os.Stdout = stdout
	require.NoError(t, w.Close())
	require.NoError(t, err)
	bz, err := io.ReadAll(r)
	require.NoError(t, err)
	out := string(bz)
	require.Contains(t, out, `"validator_address":"`+valAddr(1)+`"`)
	require.Contains(t, out, `"amount":"1500001"`)
	_, err = runBaid(t, "tx", "nominate", valAddr(1), "5uother", "--from", "alice", "--offline", "--generate-only",
		"--keyring-backend", "test", "--home", home)
	require.ErrorContains(t, err, "amount must be in the bond denom ubai")
}
