//go:build e2e

package e2e

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/balanceai/balanceai/testutil/e2e"
)

type balancesResponse struct {
	Balances []struct {
		Denom  string `json:"denom"`
		Amount string `json:"amount"`
	} `json:"balances"`
}

func (b balancesResponse) ubai() string {
	for _, c := range b.Balances {
		if c.Denom == "ubai" {
			return c.Amount
		}
	}
	return "0"
}

// TestFoundationUserFlow builds a chain with the standard commands, sends BAI and reads the
// balances back over the CLI and REST; bad sends are refused and change no balance.
func TestFoundationUserFlow(t *testing.T) {
	n, keys := e2e.SingleNodeChain(t, *baidBin, "balanceai-e2e", []string{"alice", "bob"}, "1000000000000ubai", nil)
	alice, bob := keys["alice"].Address, keys["bob"].Address

	version := n.MustRun("version", "--long", "--output", "json")
	require.Contains(t, version, `"name":"BalanceAI"`)
	require.Contains(t, version, `"server_name":"baid"`)
	require.Regexp(t, `"commit":"[0-9a-f]{40}"`, version, "make build stamps the git commit")

	res := n.Tx("alice", "bank", "send", alice, bob, "2500000ubai")
	require.Zero(t, res.Code, res.RawLog)

	var cli balancesResponse
	n.Query(&cli, "bank", "balances", bob)
	require.Equal(t, "1000002500000", cli.ubai())
	var rest balancesResponse
	n.RESTJSON("/cosmos/bank/v1beta1/balances/"+bob, &rest)
	require.Equal(t, "1000002500000", rest.ubai())

	var meta struct {
		Metadata struct {
			Display string `json:"display"`
			Symbol  string `json:"symbol"`
		} `json:"metadata"`
	}
	n.RESTJSON("/cosmos/bank/v1beta1/denoms_metadata/ubai", &meta)
	require.Equal(t, "bai", meta.Metadata.Display)
	require.Equal(t, "BAI", meta.Metadata.Symbol)

	// A malformed recipient is refused before anything is broadcast.
	errOut := n.TxErr("alice", "bank", "send", alice, "bai1notanaddress", "1ubai")
	require.Contains(t, strings.ToLower(errOut), "bech32")

	// Beyond the balance: the tx is included but fails, and no balance moves but the fee.
	var aliceBefore balancesResponse
	n.Query(&aliceBefore, "bank", "balances", alice)
	res = n.Tx("alice", "bank", "send", alice, bob, "999999999999999ubai")
	require.NotZero(t, res.Code)
	require.Contains(t, res.RawLog, "insufficient funds")
	var bobAfter, aliceAfter balancesResponse
	n.Query(&bobAfter, "bank", "balances", bob)
	require.Equal(t, "1000002500000", bobAfter.ubai())
	n.Query(&aliceAfter, "bank", "balances", alice)
	require.Equal(t, subtract(t, aliceBefore.ubai(), 5000), aliceAfter.ubai())

	// The same send signed in amino-JSON mode, as Keplr and Ledger sign.
	unsigned := n.GenerateOnly("alice", "bank", "send", alice, bob, "1000000ubai")
	res = n.SignAndBroadcast("alice", unsigned, "amino-json")
	require.Zero(t, res.Code, res.RawLog)
	n.RESTJSON("/cosmos/bank/v1beta1/balances/"+bob, &rest)
	require.Equal(t, "1000003500000", rest.ubai())
}
