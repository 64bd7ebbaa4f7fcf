//go:build e2e

package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	abcicli "github.com/cometbft/cometbft/abci/client"
	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	"github.com/balanceai/balanceai/testutil/e2e"
)

// promCounters reads the node's Prometheus endpoint and returns every sample of the named
// metrics by its full series (name and labels).
func promCounters(t *testing.T, url string, names ...string) map[string]float64 {
	t.Helper()
	res, err := http.Get(url)
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	out := map[string]float64{}
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		for _, name := range names {
			if !strings.HasPrefix(line, name+"{") {
				continue
			}
			series, value, ok := strings.Cut(line, " ")
			require.True(t, ok, line)
			v, err := strconv.ParseFloat(value, 64)
			require.NoError(t, err, line)
			out[series] = v
		}
	}
	require.NoError(t, sc.Err())
	return out
}

// TestStartPreVerifiesSignatures: baid start verifies a new transaction's signature before
// CometBFT's lock and leaves it in the signature cache, so that its CheckTx and its block both
// find it there: one verification per transaction, none of them inside the lock.
func TestStartPreVerifiesSignatures(t *testing.T) {
	promPort := e2e.FreePort(t)
	n, keys := e2e.SingleNodeChain(t, *baidBin, "balanceai-preverify", []string{"alice"}, "1000000000000ubai",
		func(genesisPath string) {
			home := filepath.Dir(filepath.Dir(genesisPath))
			for _, kv := range [][2]string{
				{"instrumentation.prometheus", "true"},
				{"instrumentation.prometheus_listen_addr", fmt.Sprintf("127.0.0.1:%d", promPort)},
			} {
				out, err := exec.Command(*baidBin, "config", "set", "config", "-s", kv[0], kv[1], "--home", home).CombinedOutput()
				require.NoError(t, err, string(out))
			}
		})
	metrics := fmt.Sprintf("http://127.0.0.1:%d/metrics", promPort)
	const (
		hit   = `balanceai_sig_cache_lookups_total{result="hit"}`
		miss  = `balanceai_sig_cache_lookups_total{result="miss"}`
		valid = `balanceai_sig_cache_preverified_total{result="valid"}`
	)
	read := func() map[string]float64 {
		return promCounters(t, metrics, "balanceai_sig_cache_lookups_total", "balanceai_sig_cache_preverified_total")
	}
	before := read()
	for i := 0; i < 3; i++ {
		res := n.Tx("val", "bank", "send", keys["val"].Address, keys["alice"].Address, fmt.Sprintf("%dubai", 1+i))
		require.Zero(t, res.Code, res.RawLog)
	}
	after := read()
	require.Equal(t, before[valid]+3, after[valid], "each transaction's signature was verified before CheckTx")
	require.Equal(t, before[hit]+6, after[hit], "CheckTx and the block found each signature in the cache")
	require.Equal(t, before[miss], after[miss], "no signature was verified inside the lock")

	// The node's app.toml bounds queries, and a store subspace query (a prefix walk no gas
	// meter bounds, under the consensus lock over abci_query) is refused; a key query answers.
	appToml, err := os.ReadFile(filepath.Join(n.Home, "config", "app.toml"))
	require.NoError(t, err)
	require.Contains(t, string(appToml), `query-gas-limit = "300000000"`)
	var q struct {
		Result struct {
			Response struct {
				Code uint32 `json:"code"`
				Log  string `json:"log"`
			} `json:"response"`
		} `json:"result"`
	}
	require.NoError(t, rpcGet(n.RPCPort, `/abci_query?path="/store/bank/subspace"&data=0x02`, &q))
	require.EqualValues(t, 6, q.Result.Response.Code, q.Result.Response.Log)
	require.Contains(t, q.Result.Response.Log, "subspace queries are not served")
	q.Result.Response.Code, q.Result.Response.Log = 0, ""
	require.NoError(t, rpcGet(n.RPCPort, `/abci_query?path="/store/bank/key"&data=0x02`, &q))
	require.Zero(t, q.Result.Response.Code, q.Result.Response.Log)
}

// TestStartWithoutComet: baid start --with-comet=false serves the app over an ABCI socket to a
// CometBFT run elsewhere, as the SDK's start does.
func TestStartWithoutComet(t *testing.T) {
	n := e2e.NewNode(t, *baidBin, "balanceai-abci", "val")
	n.Init()
	n.AddKey("val")
	n.MustRun("genesis", "add-genesis-account", "val", "1000000000000ubai", "--keyring-backend", "test")
	n.MustRun("genesis", "gentx", "val", "100000000000ubai", "--chain-id", n.ChainID, "--keyring-backend", "test")
	n.MustRun("genesis", "collect-gentxs")
	abciAddr := fmt.Sprintf("tcp://127.0.0.1:%d", e2e.FreePort(t))
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, *baidBin, "start", "--with-comet=false", "--address", abciAddr, "--home", n.Home)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
	})

	var info *abci.ResponseInfo
	require.Eventually(t, func() bool {
		cl := abcicli.NewSocketClient(abciAddr, true)
		if err := cl.Start(); err != nil {
			return false
		}
		defer func() { _ = cl.Stop() }()
		res, err := cl.Info(context.Background(), &abci.RequestInfo{})
		if err != nil {
			return false
		}
		info = res
		return true
	}, 60*time.Second, 200*time.Millisecond, "the ABCI socket answers Info")
	require.Zero(t, info.LastBlockHeight, "a new chain: InitChain has not run")
}

// TestStartExitsWhenAnAddressIsTaken: when the REST or gRPC server cannot listen on its address,
// baid start stops the node and exits with the server's error, instead of running on without the
// server.
func TestStartExitsWhenAnAddressIsTaken(t *testing.T) {
	for _, server := range []string{"rest", "grpc"} {
		t.Run(server, func(t *testing.T) {
			n := e2e.NewNode(t, *baidBin, "balanceai-taken-"+server, "val")
			n.Init()
			n.AddKey("val")
			n.MustRun("genesis", "add-genesis-account", "val", "1000000000000ubai", "--keyring-backend", "test")
			n.MustRun("genesis", "gentx", "val", "100000000000ubai", "--chain-id", n.ChainID, "--keyring-backend", "test")
			n.MustRun("genesis", "collect-gentxs")
			port := n.APIPort
			if server == "grpc" {
				port = n.GRPCPort
			}
			taken, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
			require.NoError(t, err)
			defer taken.Close()

			n.Start()
			require.True(t, n.Exited(60*time.Second), "the node stops when a server cannot listen; log:\n%s", n.Log())
			log := n.Log()
			require.Contains(t, log, fmt.Sprintf("127.0.0.1:%d", port))
			require.Contains(t, log, "address already in use")
		})
	}
}

// TestRestartedNodeChecksAgainstItsLastBlock: a node restarted on its state accepts signed
// transactions before it commits its first block, from every account, and includes them. The
// SDK's check state has height 0 until that first commit, and at height 0 its signature check
// takes every transaction for a genesis transaction signed with account number 0, so all but
// one account's transactions were refused (cosmos-sdk issue 24628).
func TestRestartedNodeChecksAgainstItsLastBlock(t *testing.T) {
	n, keys := e2e.SingleNodeChain(t, *baidBin, "balanceai-restart", []string{"alice"}, "1000000000000ubai", nil)
	n.WaitHeight(3, time.Minute)
	n.Stop()
	// A long wait before the first block after the restart leaves time to check transactions
	// before it.
	n.MustRun("config", "set", "config", "-s", "consensus.timeout_commit", "20s")
	n.Start()
	var height int64
	n.Eventually(time.Minute, "the restarted node's RPC", func() bool { height = n.Height(); return height > 0 })

	var hashes []string
	for _, send := range [][2]string{{"val", "alice"}, {"alice", "val"}} {
		args := []string{"tx", "bank", "send", send[0], keys[send[1]].Address, "1000ubai", "--fees", e2e.DefaultFees,
			"--keyring-backend", "test", "--chain-id", n.ChainID, "--node", n.RPCAddr(), "--yes", "--output", "json"}
		out := n.MustRun(args...)
		var res e2e.TxResult
		require.NoError(t, json.Unmarshal([]byte(e2e.LastJSONLine(out)), &res), out)
		require.Zero(t, res.Code, "%s's send after the restart: %s", send[0], res.RawLog)
		hashes = append(hashes, res.TxHash)
	}
	require.Equal(t, height, n.Height(), "the transactions were checked before the restarted node's first block")
	for _, hash := range hashes {
		res := n.WaitTx(hash)
		require.Zero(t, res.Code, res.RawLog)
	}
}
