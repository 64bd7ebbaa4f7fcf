//go:build e2e

package e2e

import (
	"fmt"
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

// snapshotHeights lists the heights of the state-sync snapshots a node has written.
func snapshotHeights(home string) []int64 {
	entries, err := os.ReadDir(filepath.Join(home, "data", "snapshots"))
	if err != nil {
		return nil
	}
	var hs []int64
	for _, e := range entries {
		if h, err := strconv.ParseInt(e.Name(), 10, 64); err == nil && e.IsDir() {
			// A snapshot is complete once its chunk folder has a chunk.
			chunks, _ := os.ReadDir(filepath.Join(home, "data", "snapshots", e.Name(), "3"))
			if len(chunks) > 0 {
				hs = append(hs, h)
			}
		}
	}
	return hs
}

type nodeStatus struct {
	Result struct {
		NodeInfo struct {
			ID string `json:"id"`
		} `json:"node_info"`
		SyncInfo struct {
			EarliestBlockHeight string `json:"earliest_block_height"`
			LatestBlockHeight   string `json:"latest_block_height"`
			CatchingUp          bool   `json:"catching_up"`
		} `json:"sync_info"`
	} `json:"result"`
}

func blockHeader(t *testing.T, port int, h int64) (hash, appHash string) {
	t.Helper()
	var blk struct {
		Result struct {
			BlockID struct {
				Hash string `json:"hash"`
			} `json:"block_id"`
			Block struct {
				Header struct {
					AppHash string `json:"app_hash"`
				} `json:"header"`
			} `json:"block"`
		} `json:"result"`
	}
	require.NoError(t, rpcGet(port, fmt.Sprintf("/block?height=%d", h), &blk))
	return blk.Result.BlockID.Hash, blk.Result.Block.Header.AppHash
}

// TestStateSyncJoin runs the local-process localnet (whose validators take a snapshot every 10
// blocks) and joins a fifth node the way docs/networks.md tells an operator to: baid init, the
// network's genesis, the validators as peers, [statesync] with two validators' RPC servers and a
// trusted height and hash. The node restores a snapshot instead of replaying from height 1, then
// follows the chain with the validators' app hash.
func TestStateSyncJoin(t *testing.T) {
	l := &localnet{t: t, script: repoPath(t, "scripts", "localnet.sh"), dir: t.TempDir()}
	t.Cleanup(func() {
		cmd := exec.Command(l.script, "stop")
		cmd.Env = append(os.Environ(), "LOCALNET_DIR="+l.dir, "BAID="+*baidBin)
		_ = cmd.Run()
	})
	l.run("start")
	validators := []int{0, 1, 2, 3}
	waitHeights(t, validators, 2, 90*time.Second)

	// Wait until two validators hold a snapshot above height 10.
	var snapshot int64
	waitFor(t, 120*time.Second, "state-sync snapshots on node0 and node1", func() bool {
		h0, h1 := snapshotHeights(filepath.Join(l.dir, "node0")), snapshotHeights(filepath.Join(l.dir, "node1"))
		for _, a := range h0 {
			for _, b := range h1 {
				if a == b && a > 10 && a > snapshot {
					snapshot = a
				}
			}
		}
		return snapshot > 0
	})

	// The joining node: its own home and free ports.
	n := e2e.NewNode(t, *baidBin, "balanceai-localnet", "joiner")
	n.Init()
	genesis, err := os.ReadFile(filepath.Join(l.dir, "node0", "config", "genesis.json"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(n.Home, "config", "genesis.json"), genesis, 0o600))
	var peers []string
	for _, i := range validators {
		var st nodeStatus
		require.NoError(t, rpcGet(nodeRPCPort(i), "/status", &st))
		peers = append(peers, fmt.Sprintf("%s@127.0.0.1:%d", st.Result.NodeInfo.ID, 26656+100*i))
	}
	trustHeight := snapshot
	trustHash, _ := blockHeader(t, nodeRPCPort(0), trustHeight)
	require.NotEmpty(t, trustHash)
	set := func(key, value string) { n.MustRun("config", "set", "config", "-s", key, value) }
	set("p2p.persistent_peers", strings.Join(peers, ","))
	set("p2p.addr_book_strict", "false")
	set("p2p.allow_duplicate_ip", "true")
	set("statesync.enable", "true")
	set("statesync.rpc_servers", fmt.Sprintf("127.0.0.1:%d,127.0.0.1:%d", nodeRPCPort(0), nodeRPCPort(1)))
	set("statesync.trust_height", strconv.FormatInt(trustHeight, 10))
	set("statesync.trust_hash", trustHash)
	set("statesync.discovery_time", "5s")
	n.MustRun("genesis", "validate")
	n.Start()

	// Caught up from a snapshot: its first block is above 1 and block 1 is not in its store.
	var st nodeStatus
	n.Eventually(180*time.Second, "the state-synced node to catch up", func() bool {
		if rpcGet(n.RPCPort, "/status", &st) != nil {
			return false
		}
		latest, _ := strconv.ParseInt(st.Result.SyncInfo.LatestBlockHeight, 10, 64)
		return !st.Result.SyncInfo.CatchingUp && latest > snapshot
	})
	earliest, err := strconv.ParseInt(st.Result.SyncInfo.EarliestBlockHeight, 10, 64)
	require.NoError(t, err)
	require.Greater(t, earliest, int64(1), "the node replayed from height 1 instead of restoring a snapshot")
	// The store starts right after a snapshot height (a multiple of the interval, 10).
	require.Zero(t, (earliest-1)%10, "earliest block %d does not follow a snapshot height", earliest)
	require.Contains(t, n.Log(), "Snapshot restored", "the node restored no snapshot")
	require.Error(t, rpcGet(n.RPCPort, "/block?height=1", &struct{}{}), "block 1 must not be in a state-synced node's store")

	// It follows the chain: new blocks, with the validators' app hash.
	next := n.Height() + 3
	n.WaitHeight(next, 60*time.Second)
	waitHeights(t, validators, next, 60*time.Second)
	for h := next - 2; h <= next; h++ {
		_, want := blockHeader(t, nodeRPCPort(0), h)
		_, got := blockHeader(t, n.RPCPort, h)
		require.NotEmpty(t, want)
		require.Equal(t, want, got, "app hash at height %d", h)
		for _, i := range validators[1:] {
			_, other := blockHeader(t, nodeRPCPort(i), h)
			require.Equal(t, want, other, "node%d app hash at height %d", i, h)
		}
	}
	// And answers queries from the restored state.
	n.WaitREST(30 * time.Second)
	var vals struct {
		Validators []struct {
			Status string `json:"status"`
		} `json:"validators"`
	}
	n.RESTJSON("/cosmos/staking/v1beta1/validators", &vals)
	require.Len(t, vals.Validators, 4)
}
