//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/balanceai/balanceai/testutil/e2e"
)

// localnet drives scripts/localnet.sh against a temporary LOCALNET_DIR.
type localnet struct {
	t      *testing.T
	script string
	dir    string
}

func (l *localnet) run(args ...string) string {
	l.t.Helper()
	cmd := exec.Command(l.script, args...)
	cmd.Env = append(os.Environ(), "LOCALNET_DIR="+l.dir, "BAID="+*baidBin)
	out, err := cmd.CombinedOutput()
	require.NoError(l.t, err, "localnet.sh %s: %s", strings.Join(args, " "), out)
	return string(out)
}

func rpcGet(port int, path string, v any) error {
	client := http.Client{Timeout: 3 * time.Second}
	resp, err := client.Get(fmt.Sprintf("http://127.0.0.1:%d%s", port, path))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %d %s", path, resp.StatusCode, body)
	}
	return json.Unmarshal(body, v)
}

func nodeRPCPort(i int) int { return 26657 + 100*i }

// restGet reads a REST path of the node whose API listens on port.
func restGet(port int, path string, v any) error { return rpcGet(port, path, v) }

func height(i int) int64 {
	var st struct {
		Result struct {
			SyncInfo struct {
				LatestBlockHeight string `json:"latest_block_height"`
			} `json:"sync_info"`
		} `json:"result"`
	}
	if rpcGet(nodeRPCPort(i), "/status", &st) != nil {
		return -1
	}
	h, err := strconv.ParseInt(st.Result.SyncInfo.LatestBlockHeight, 10, 64)
	if err != nil {
		return -1
	}
	return h
}

func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func waitHeights(t *testing.T, nodes []int, h int64, timeout time.Duration) {
	t.Helper()
	waitFor(t, timeout, fmt.Sprintf("nodes %v at height %d", nodes, h), func() bool {
		for _, i := range nodes {
			if height(i) < h {
				return false
			}
		}
		return true
	})
}

// TestLocalnetFaults runs the four-validator localnet of scripts/localnet.sh: it keeps making
// blocks with one validator down, stops with two down (no 2/3 quorum), and resumes when they
// come back, with every node on the same app hash and every earlier tx still there.
func TestLocalnetFaults(t *testing.T) {
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	l := &localnet{t: t, script: filepath.Join(root, "scripts", "localnet.sh"), dir: t.TempDir()}
	t.Cleanup(func() {
		cmd := exec.Command(l.script, "stop")
		cmd.Env = append(os.Environ(), "LOCALNET_DIR="+l.dir, "BAID="+*baidBin)
		_ = cmd.Run()
	})

	l.run("start")
	all := []int{0, 1, 2, 3}
	waitHeights(t, all, 3, 90*time.Second)

	// Equal stake per validator.
	var vals struct {
		Result struct {
			Validators []struct {
				VotingPower string `json:"voting_power"`
			} `json:"validators"`
		} `json:"result"`
	}
	require.NoError(t, rpcGet(nodeRPCPort(0), "/validators", &vals))
	require.Len(t, vals.Result.Validators, 4)
	for _, v := range vals.Result.Validators {
		require.Equal(t, vals.Result.Validators[0].VotingPower, v.VotingPower)
	}

	// Some transactions, committed before the faults.
	node0Home := filepath.Join(l.dir, "node0")
	baid := func(args ...string) string {
		out, err := exec.Command(*baidBin, args...).CombinedOutput()
		require.NoError(t, err, "baid %s: %s", strings.Join(args, " "), out)
		return string(out)
	}
	to := strings.TrimSpace(baid("keys", "show", "node1", "-a", "--keyring-backend", "test", "--home", filepath.Join(l.dir, "node1")))
	txIncluded := func(node int, hash string) bool {
		var r struct {
			Result struct {
				Height   string `json:"height"`
				TxResult struct {
					Code uint32 `json:"code"`
				} `json:"tx_result"`
			} `json:"result"`
		}
		return rpcGet(nodeRPCPort(node), "/tx?hash=0x"+hash, &r) == nil && r.Result.Height != "" && r.Result.TxResult.Code == 0
	}
	var hashes []string
	for k := 0; k < 3; k++ {
		out := baid("tx", "bank", "send", "node0", to, fmt.Sprintf("%dubai", 1000+k), "--home", node0Home,
			"--keyring-backend", "test", "--chain-id", "balanceai-localnet", "--node", "tcp://127.0.0.1:26657",
			"--fees", "5000ubai", "--yes", "--output", "json")
		var res struct {
			TxHash string `json:"txhash"`
			Code   uint32 `json:"code"`
		}
		require.NoError(t, json.Unmarshal([]byte(e2e.LastJSONLine(out)), &res), out)
		require.Zero(t, res.Code, out)
		hashes = append(hashes, res.TxHash)
		// The next send reads the account sequence from committed state: wait for this one.
		waitFor(t, 30*time.Second, "tx "+res.TxHash, func() bool { return txIncluded(0, res.TxHash) })
	}
	for _, h := range hashes {
		waitFor(t, 30*time.Second, "tx "+h, func() bool { return txIncluded(0, h) })
	}

	// Nominate the three other validators in one transaction (MsgDelegate x3).
	var valopers []string
	for i := 1; i <= 3; i++ {
		valopers = append(valopers, strings.TrimSpace(baid("keys", "show", fmt.Sprintf("node%d", i), "--bech", "val", "-a",
			"--keyring-backend", "test", "--home", filepath.Join(l.dir, fmt.Sprintf("node%d", i)))))
	}
	nominate := func(validators, amount string) (string, error) {
		out, err := exec.Command(*baidBin, "tx", "nominate", validators, amount, "--from", "node0", "--home", node0Home,
			"--keyring-backend", "test", "--chain-id", "balanceai-localnet", "--node", "tcp://127.0.0.1:26657",
			"--fees", "10000ubai", "--gas", "400000", "--yes", "--output", "json").CombinedOutput()
		return string(out), err
	}
	out, err := nominate(valopers[0]+",baivaloper1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqq92flg3mc", "3000000ubai")
	require.Error(t, err, "nominating an unknown validator must fail: %s", out)
	require.Contains(t, out, "unknown validator baivaloper1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqq92flg3mc")
	out, err = nominate(strings.Join(valopers, ","), "0ubai")
	require.Error(t, err, "nominating a zero amount must fail: %s", out)
	require.Contains(t, out, "amount must be positive")
	out, err = nominate(strings.Join(valopers, ","), "3000002ubai")
	require.NoError(t, err, out)
	var nominated struct {
		TxHash string `json:"txhash"`
		Code   uint32 `json:"code"`
	}
	require.NoError(t, json.Unmarshal([]byte(e2e.LastJSONLine(out)), &nominated), out)
	require.Zero(t, nominated.Code, out)
	waitFor(t, 30*time.Second, "nominate tx", func() bool { return txIncluded(0, nominated.TxHash) })
	hashes = append(hashes, nominated.TxHash)
	var tx struct {
		Result struct {
			Tx string `json:"tx"`
		} `json:"result"`
	}
	require.NoError(t, rpcGet(nodeRPCPort(0), "/tx?hash=0x"+nominated.TxHash, &tx))
	decoded := baid("tx", "decode", tx.Result.Tx)
	require.Equal(t, 3, strings.Count(decoded, "/cosmos.staking.v1beta1.MsgDelegate"), decoded)
	node0Addr := strings.TrimSpace(baid("keys", "show", "node0", "-a", "--keyring-backend", "test", "--home", node0Home))
	wantShares := map[string]string{valopers[0]: "1000002", valopers[1]: "1000000", valopers[2]: "1000000"}
	for valoper, amount := range wantShares {
		var del struct {
			DelegationResponse struct {
				Balance struct {
					Amount string `json:"amount"`
				} `json:"balance"`
			} `json:"delegation_response"`
		}
		require.NoError(t, restGet(1317, "/cosmos/staking/v1beta1/validators/"+valoper+"/delegations/"+node0Addr, &del))
		require.Equal(t, amount, del.DelegationResponse.Balance.Amount, "delegation to %s", valoper)
	}

	// One validator down: 3/4 of the power remains, blocks continue.
	l.run("stop", "3")
	h := height(0)
	waitHeights(t, []int{0, 1, 2}, h+3, 60*time.Second)

	// Two down: 2/4 is below the 2/3 quorum, no block commits. Watching for a while is the only
	// way to see that nothing happens; one block already in flight may still land.
	l.run("stop", "2")
	halted := height(0)
	watchUntil := time.Now().Add(8 * time.Second)
	for time.Now().Before(watchUntil) {
		require.LessOrEqual(t, height(0), halted+1, "a block committed without a 2/3 quorum")
		require.LessOrEqual(t, height(1), halted+1, "a block committed without a 2/3 quorum")
		time.Sleep(500 * time.Millisecond)
	}
	halted = height(0)

	// Both back: the chain resumes and the restarted nodes catch up.
	out = l.run("start")
	require.Contains(t, out, "node0 already running")
	require.Contains(t, out, "node2 started")
	require.Contains(t, out, "node3 started")
	waitHeights(t, all, halted+3, 120*time.Second)
	require.Contains(t, l.run("status"), "node3 height=")

	// Same app hash everywhere at a common height.
	common := halted + 2
	var appHash string
	for _, i := range all {
		var blk struct {
			Result struct {
				Block struct {
					Header struct {
						AppHash string `json:"app_hash"`
					} `json:"header"`
				} `json:"block"`
			} `json:"result"`
		}
		require.NoError(t, rpcGet(nodeRPCPort(i), fmt.Sprintf("/block?height=%d", common), &blk))
		if appHash == "" {
			appHash = blk.Result.Block.Header.AppHash
		}
		require.NotEmpty(t, blk.Result.Block.Header.AppHash)
		require.Equal(t, appHash, blk.Result.Block.Header.AppHash, "node%d app hash at height %d", i, common)
	}

	// Every tx committed before the faults is found on every node.
	for _, i := range all {
		for _, h := range hashes {
			require.True(t, txIncluded(i, h), "tx %s missing on node%d", h, i)
		}
	}
}
