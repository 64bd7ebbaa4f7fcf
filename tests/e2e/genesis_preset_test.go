//go:build e2e

package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/balanceai/balanceai/testutil/e2e"
)

// repoPath returns a path inside the repository.
func repoPath(t *testing.T, elem ...string) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	return filepath.Join(append([]string{root}, elem...)...)
}

// recoverKey imports a mnemonic into the node's test keyring and returns the address.
func recoverKey(t *testing.T, n *e2e.Node, name, mnemonic string) string {
	t.Helper()
	cmd := exec.Command(n.Bin, "keys", "add", name, "--recover", "--keyring-backend", "test", "--home", n.Home)
	cmd.Stdin = strings.NewReader(mnemonic + "\n")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "keys add --recover: %s", out)
	return n.KeyAddress(name)
}

// galileoTestKey returns a key of networks/galileo-1/test-keys.json.
func galileoTestKey(t *testing.T, name string) (address, mnemonic string) {
	t.Helper()
	bz, err := os.ReadFile(repoPath(t, "networks", "galileo-1", "test-keys.json"))
	require.NoError(t, err)
	var file struct {
		Keys []struct{ Name, Address, Mnemonic string }
	}
	require.NoError(t, json.Unmarshal(bz, &file))
	for _, k := range file.Keys {
		if k.Name == name {
			return k.Address, k.Mnemonic
		}
	}
	t.Fatalf("no test key %s", name)
	return "", ""
}

// bootPreset makes a node's genesis with `baid genesis preset`, adds the node's validator the
// way an operator does (gentx of an allocated account, collect-gentxs, validate), starts it and
// waits for blocks.
func bootPreset(t *testing.T, network, chainID, allocation string, addKey func(n *e2e.Node) string) *e2e.Node {
	t.Helper()
	n := e2e.NewNode(t, *baidBin, chainID, "val-"+network)
	n.Init()
	valAddr := addKey(n)
	_, stderr, err := n.Run("genesis", "preset", network, "--allocation", allocation)
	require.NoError(t, err, stderr)
	require.Contains(t, stderr, "Wrote the "+network+" genesis (chain id "+chainID)
	n.MustRun("genesis", "gentx", "val", "50000000000ubai", "--chain-id", chainID, "--keyring-backend", "test",
		"--moniker", "val-"+network)
	n.MustRun("genesis", "collect-gentxs")
	n.MustRun("genesis", "validate")
	n.Start()
	n.WaitHeight(3, 90*time.Second)
	n.WaitREST(30 * time.Second)

	var st struct {
		Result struct {
			NodeInfo struct {
				Network string `json:"network"`
			} `json:"node_info"`
		} `json:"result"`
	}
	require.NoError(t, rpcGet(n.RPCPort, "/status", &st))
	require.Equal(t, chainID, st.Result.NodeInfo.Network)

	// The gentx's account is the allocated one, and its stake is bonded.
	var vals struct {
		Validators []struct {
			OperatorAddress string `json:"operator_address"`
			Tokens          string `json:"tokens"`
			Status          string `json:"status"`
		} `json:"validators"`
	}
	n.RESTJSON("/cosmos/staking/v1beta1/validators", &vals)
	require.Len(t, vals.Validators, 1)
	require.Equal(t, "50000000000", vals.Validators[0].Tokens)
	require.Equal(t, "BOND_STATUS_BONDED", vals.Validators[0].Status)
	valoper := strings.TrimSpace(n.MustRun("keys", "show", "val", "--bech", "val", "-a", "--keyring-backend", "test"))
	require.Equal(t, valoper, vals.Validators[0].OperatorAddress)
	require.NotEmpty(t, valAddr)

	// The network's governance periods and the protocol's supply are in force.
	var gov struct {
		Params struct {
			VotingPeriod string `json:"voting_period"`
		} `json:"params"`
	}
	n.RESTJSON("/cosmos/gov/v1/params/voting", &gov)
	want := map[string]string{"mainnet": "432000s", "galileo": "86400s"}[network]
	require.Equal(t, want, gov.Params.VotingPeriod)
	var genesisDoc struct {
		Result struct {
			Genesis struct {
				AppState struct {
					Bank struct {
						Supply []struct{ Denom, Amount string } `json:"supply"`
					} `json:"bank"`
				} `json:"app_state"`
			} `json:"genesis"`
		} `json:"result"`
	}
	require.NoError(t, rpcGet(n.RPCPort, "/genesis", &genesisDoc))
	require.Equal(t, "5880000000000", genesisDoc.Result.Genesis.AppState.Bank.Supply[0].Amount)
	return n
}

// TestPresetGenesisBoot writes the Galileo genesis from the committed example allocation and a
// mainnet genesis from an allocation made here, and boots a validator on each.
func TestPresetGenesisBoot(t *testing.T) {
	t.Run("galileo", func(t *testing.T) {
		addr, mnemonic := galileoTestKey(t, "galileo-val-0")
		bootPreset(t, "galileo", "galileo-1", repoPath(t, "networks", "galileo-1", "allocation.example.csv"), func(n *e2e.Node) string {
			require.Equal(t, addr, recoverKey(t, n, "val", mnemonic))
			return addr
		})
	})
	t.Run("mainnet", func(t *testing.T) {
		alloc := filepath.Join(t.TempDir(), "allocation.json")
		bootPreset(t, "mainnet", "balanceai-1", alloc, func(n *e2e.Node) string {
			val := n.AddKey("val")
			rest := n.AddKey("treasury")
			body := fmt.Sprintf(`[
  {"address": %q, "amount": "200000000000", "label": "validator"},
  {"address": %q, "amount": "5680000000000", "vesting": {"end": "2040-01-01T00:00:00Z"}, "label": "treasury"}
]`, val, rest)
			require.NoError(t, os.WriteFile(alloc, []byte(body), 0o600))
			return val
		})
	})
}

// TestPresetGenesisRefusesOffByOne: an allocation 1 ubai short or over is refused with the
// difference, and the node's genesis file is left as it was.
func TestPresetGenesisRefusesOffByOne(t *testing.T) {
	n := e2e.NewNode(t, *baidBin, "galileo-1", "coordinator")
	n.Init()
	genesisPath := filepath.Join(n.Home, "config", "genesis.json")
	before, err := os.ReadFile(genesisPath)
	require.NoError(t, err)
	example, err := os.ReadFile(repoPath(t, "networks", "galileo-1", "allocation.example.csv"))
	require.NoError(t, err)
	require.Contains(t, string(example), ",480000000000,")

	for amount, want := range map[string]string{
		"479999999999": "the allocation sums to 5879999999999 ubai (5879999.999999 BAI), 1 ubai (0.000001 BAI) short of the genesis supply of 5880000000000 ubai (5,880,000 BAI): add 1 ubai",
		"480000000001": "the allocation sums to 5880000000001 ubai (5880000.000001 BAI), 1 ubai (0.000001 BAI) over the genesis supply of 5880000000000 ubai (5,880,000 BAI): remove 1 ubai",
	} {
		alloc := filepath.Join(t.TempDir(), "allocation.csv")
		require.NoError(t, os.WriteFile(alloc, bytes.Replace(example, []byte(",480000000000,"), []byte(","+amount+","), 1), 0o600))
		for _, network := range []string{"galileo", "mainnet"} {
			stdout, stderr, err := n.Run("genesis", "preset", network, "--allocation", alloc)
			require.Error(t, err, "an allocation of %s must be refused: %s%s", amount, stdout, stderr)
			require.Contains(t, stderr, want)
			after, err := os.ReadFile(genesisPath)
			require.NoError(t, err)
			require.Equal(t, before, after, "a refused preset must not touch the genesis")
		}
	}
}
