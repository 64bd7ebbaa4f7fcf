// Package e2e drives a built baid binary the way a user does: it creates chains with the
// standard commands, starts nodes on free 127.0.0.1 ports, sends transactions and reads answers
// over the CLI and REST. Every node it starts is stopped when the test ends.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Node is one baid node home and, once started, its process.
type Node struct {
	T        testing.TB
	Bin      string
	Home     string
	ChainID  string
	Moniker  string
	RPCPort  int
	P2PPort  int
	APIPort  int
	GRPCPort int
	cmd      *exec.Cmd
	exited   chan struct{}
	logPath  string
}

// Test ports are taken from [portLow, portHigh), below Linux's ephemeral range (32768 and up by
// default). A port the kernel picks for "127.0.0.1:0" comes from the range it also gives outgoing
// connections: once the probe closes it, a connection the test or a node opens can take it as
// its local port before the node binds it. Ports below the range are never given that way.
const (
	portLow  = 20000
	portHigh = 32000
)

var (
	portMu   sync.Mutex
	portNext int
)

// FreePort returns a TCP port on 127.0.0.1 that was free when asked. It is below the ephemeral
// range, and no port is returned twice in one test process. Each process starts at its own
// offset, so test processes running side by side rarely probe the same ports.
func FreePort(t testing.TB) int {
	t.Helper()
	portMu.Lock()
	defer portMu.Unlock()
	if portNext == 0 {
		portNext = portLow + (os.Getpid()*97)%(portHigh-portLow)
	}
	for range portHigh - portLow {
		p := portNext
		portNext++
		if portNext == portHigh {
			portNext = portLow
		}
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			continue
		}
		require.NoError(t, l.Close())
		return p
	}
	t.Fatalf("no free port on 127.0.0.1 in [%d, %d)", portLow, portHigh)
	return 0
}

// NewNode prepares a node home in a temporary folder with free ports.
func NewNode(t testing.TB, bin, chainID, moniker string) *Node {
	t.Helper()
	require.NotEmpty(t, bin, "the path of a built baid is required (make test passes -baid)")
	_, err := os.Stat(bin)
	require.NoError(t, err, "baid binary not found")
	return &Node{
		T: t, Bin: bin, Home: filepath.Join(t.TempDir(), moniker), ChainID: chainID, Moniker: moniker,
		RPCPort: FreePort(t), P2PPort: FreePort(t), APIPort: FreePort(t), GRPCPort: FreePort(t),
	}
}

// Run executes baid with args and --home, and returns stdout, stderr and the error.
func (n *Node) Run(args ...string) (string, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args = append(args, "--home", n.Home)
	cmd := exec.CommandContext(ctx, n.Bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.String(), stderr.String(), err
}

// MustRun executes baid and fails the test on error; it returns stdout.
func (n *Node) MustRun(args ...string) string {
	n.T.Helper()
	out, errOut, err := n.Run(args...)
	require.NoError(n.T, err, "baid %s\nstdout: %s\nstderr: %s", strings.Join(args, " "), out, errOut)
	return out
}

// Init runs `baid init` and points every listener at the node's 127.0.0.1 ports with 1 s blocks.
func (n *Node) Init() {
	n.T.Helper()
	n.MustRun("init", n.Moniker, "--chain-id", n.ChainID)
	n.MustRun("config", "set", "client", "chain-id", n.ChainID)
	n.MustRun("config", "set", "client", "keyring-backend", "test")
	n.MustRun("config", "set", "client", "node", n.RPCAddr())
	set := func(file, key, value string) { n.MustRun("config", "set", file, "-s", key, value) }
	set("config", "consensus.timeout_commit", "1s")
	set("config", "rpc.laddr", n.RPCAddr())
	set("config", "p2p.laddr", fmt.Sprintf("tcp://127.0.0.1:%d", n.P2PPort))
	set("config", "rpc.pprof_laddr", "")
	set("config", "p2p.pex", "false")
	set("app", "api.address", fmt.Sprintf("tcp://127.0.0.1:%d", n.APIPort))
	set("app", "grpc.address", fmt.Sprintf("127.0.0.1:%d", n.GRPCPort))
	set("app", "grpc-web.enable", "false")
}

// AddKey creates a key in the test keyring and returns its address.
func (n *Node) AddKey(name string) string {
	n.T.Helper()
	n.MustRun("keys", "add", name, "--keyring-backend", "test", "--output", "json")
	return n.KeyAddress(name)
}

// KeyAddress returns the address of a key.
func (n *Node) KeyAddress(name string) string {
	n.T.Helper()
	return strings.TrimSpace(n.MustRun("keys", "show", name, "-a", "--keyring-backend", "test"))
}

// RPCAddr is the CometBFT RPC address.
func (n *Node) RPCAddr() string { return fmt.Sprintf("tcp://127.0.0.1:%d", n.RPCPort) }

// RESTURL is the base URL of the REST API.
func (n *Node) RESTURL() string { return fmt.Sprintf("http://127.0.0.1:%d", n.APIPort) }

// Start starts the node and stops it when the test ends.
func (n *Node) Start() {
	n.T.Helper()
	n.logPath = filepath.Join(n.Home, "node.log")
	logFile, err := os.Create(n.logPath)
	require.NoError(n.T, err)
	n.cmd = exec.Command(n.Bin, "start", "--home", n.Home)
	n.cmd.Stdout, n.cmd.Stderr = logFile, logFile
	require.NoError(n.T, n.cmd.Start())
	n.exited = make(chan struct{})
	go func() {
		_ = n.cmd.Wait()
		logFile.Close()
		close(n.exited)
	}()
	n.T.Cleanup(n.Stop)
}

// Stop stops the node: SIGTERM, then SIGKILL after 20 s.
func (n *Node) Stop() {
	if n.cmd == nil || n.cmd.Process == nil {
		return
	}
	select {
	case <-n.exited:
		return
	default:
	}
	_ = n.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-n.exited:
	case <-time.After(20 * time.Second):
		_ = n.cmd.Process.Kill()
		<-n.exited
	}
}

// Exited reports whether the node's process ended, waiting for it up to timeout.
func (n *Node) Exited(timeout time.Duration) bool {
	select {
	case <-n.exited:
		return true
	case <-time.After(timeout):
		return false
	}
}

// Log returns the node's log so far.
func (n *Node) Log() string {
	bz, _ := os.ReadFile(n.logPath)
	return string(bz)
}

// Height returns the height of the latest state the application has committed (ABCI Info), or
// -1 when the node does not answer. State at every height up to it can be queried. CometBFT's own
// latest block height (/status) can be one ahead: it stores a block before the application has
// executed and committed it, and a query at that height is refused until then.
func (n *Node) Height() int64 {
	body, code, err := n.get(fmt.Sprintf("http://127.0.0.1:%d/abci_info", n.RPCPort))
	if err != nil || code != http.StatusOK {
		return -1
	}
	var info struct {
		Result struct {
			Response struct {
				LastBlockHeight string `json:"last_block_height"`
			} `json:"response"`
		} `json:"result"`
	}
	if json.Unmarshal(body, &info) != nil {
		return -1
	}
	h, err := strconv.ParseInt(info.Result.Response.LastBlockHeight, 10, 64)
	if err != nil {
		return -1
	}
	return h
}

// WaitHeight waits until the node reports at least height h.
func (n *Node) WaitHeight(h int64, timeout time.Duration) {
	n.T.Helper()
	n.Eventually(timeout, fmt.Sprintf("height %d", h), func() bool {
		select {
		case <-n.exited:
			n.T.Fatalf("node exited early; log:\n%s", tail(n.Log(), 4000))
		default:
		}
		return n.Height() >= h
	})
}

// Eventually polls cond every 200 ms until it holds or the timeout passes.
func (n *Node) Eventually(timeout time.Duration, what string, cond func() bool) {
	n.T.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			n.T.Fatalf("timed out after %s waiting for %s; node log tail:\n%s", timeout, what, tail(n.Log(), 3000))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// REST GETs a path of the REST API and returns the body and status code.
func (n *Node) REST(path string) ([]byte, int) {
	n.T.Helper()
	body, code, err := n.get(n.RESTURL() + path)
	require.NoError(n.T, err)
	return body, code
}

// RESTJSON GETs a REST path, requires 200 and decodes the answer into v.
func (n *Node) RESTJSON(path string, v any) {
	n.T.Helper()
	body, code := n.REST(path)
	require.Equal(n.T, http.StatusOK, code, "GET %s: %s", path, body)
	require.NoError(n.T, json.Unmarshal(body, v), "GET %s: %s", path, body)
}

func (n *Node) get(url string) ([]byte, int, error) {
	client := http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return body, resp.StatusCode, err
}

// WaitREST waits until the REST server answers.
func (n *Node) WaitREST(timeout time.Duration) {
	n.T.Helper()
	n.Eventually(timeout, "the REST server", func() bool {
		_, code, err := n.get(n.RESTURL() + "/cosmos/base/tendermint/v1beta1/node_info")
		return err == nil && code == http.StatusOK
	})
}

func tail(s string, max int) string {
	if len(s) > max {
		return s[len(s)-max:]
	}
	return s
}
