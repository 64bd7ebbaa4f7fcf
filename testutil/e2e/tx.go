package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/stretchr/testify/require"
)

// TxResult is what a node reports about a transaction.
type TxResult struct {
	TxHash    string `json:"txhash"`
	Height    string `json:"height"`
	Code      uint32 `json:"code"`
	Codespace string `json:"codespace"`
	RawLog    string `json:"raw_log"`
	Events    []struct {
		Type       string `json:"type"`
		Attributes []struct {
			Key   string `json:"key"`
			Value string `json:"value"`
		} `json:"attributes"`
	} `json:"events"`
}

// DefaultFees pays for 200,000 gas at the default minimum gas price.
const DefaultFees = "5000ubai"

// Tx runs `baid tx <args> --from from -y` and, when the node accepted it into the mempool, waits
// until it is in a block. It returns the broadcast result when CheckTx refused the tx and the
// block result otherwise.
func (n *Node) Tx(from string, args ...string) TxResult {
	n.T.Helper()
	args = append(append([]string{"tx"}, args...),
		"--from", from, "--keyring-backend", "test", "--chain-id", n.ChainID, "--node", n.RPCAddr(),
		"--yes", "--output", "json")
	if !hasFlag(args, "--fees") && !hasFlag(args, "--gas-prices") {
		args = append(args, "--fees", DefaultFees)
	}
	out, errOut, err := n.Run(args...)
	require.NoError(n.T, err, "baid %s\nstdout: %s\nstderr: %s", strings.Join(args, " "), out, errOut)
	return n.awaitBroadcast(out)
}

// TxErr runs a `baid tx` command expected to be refused before broadcast (bad arguments) and
// returns its error output.
func (n *Node) TxErr(from string, args ...string) string {
	n.T.Helper()
	args = append(append([]string{"tx"}, args...),
		"--from", from, "--keyring-backend", "test", "--chain-id", n.ChainID, "--node", n.RPCAddr(),
		"--yes", "--output", "json", "--fees", DefaultFees)
	out, errOut, err := n.Run(args...)
	require.Error(n.T, err, "expected baid %s to fail; stdout: %s", strings.Join(args, " "), out)
	return errOut + out
}

// SignAndBroadcast signs an unsigned tx (proto JSON, as `--generate-only` writes it) with
// `baid tx sign --sign-mode <mode>`, broadcasts it with `baid tx broadcast` and waits for the block.
func (n *Node) SignAndBroadcast(from string, unsigned []byte, signMode string) TxResult {
	n.T.Helper()
	dir := n.T.TempDir()
	unsignedPath := filepath.Join(dir, "unsigned.json")
	require.NoError(n.T, os.WriteFile(unsignedPath, unsigned, 0o600))
	signed := n.MustRun("tx", "sign", unsignedPath, "--from", from, "--keyring-backend", "test",
		"--chain-id", n.ChainID, "--node", n.RPCAddr(), "--sign-mode", signMode)
	signedPath := filepath.Join(dir, "signed.json")
	require.NoError(n.T, os.WriteFile(signedPath, []byte(signed), 0o600))
	out := n.MustRun("tx", "broadcast", signedPath, "--node", n.RPCAddr(), "--output", "json")
	return n.awaitBroadcast(out)
}

// GenerateOnly runs `baid tx <args> --generate-only` and returns the unsigned tx JSON.
func (n *Node) GenerateOnly(from string, args ...string) []byte {
	n.T.Helper()
	args = append(append([]string{"tx"}, args...),
		"--from", from, "--keyring-backend", "test", "--chain-id", n.ChainID, "--node", n.RPCAddr(),
		"--generate-only", "--fees", DefaultFees)
	return []byte(n.MustRun(args...))
}

func (n *Node) awaitBroadcast(out string) TxResult {
	n.T.Helper()
	var res TxResult
	require.NoError(n.T, json.Unmarshal([]byte(LastJSONLine(out)), &res), "broadcast output: %s", out)
	if res.Code != 0 {
		return res
	}
	return n.WaitTx(res.TxHash)
}

// WaitTx waits until the tx is in a block and returns its result.
func (n *Node) WaitTx(hash string) TxResult {
	n.T.Helper()
	var res TxResult
	n.Eventually(30*time.Second, "tx "+hash, func() bool {
		out, _, err := n.Run("q", "tx", hash, "--node", n.RPCAddr(), "--output", "json")
		if err != nil {
			return false
		}
		return json.Unmarshal([]byte(out), &res) == nil && res.Height != "" && res.Height != "0"
	})
	return res
}

// Query runs `baid q <args> --output json` and decodes the answer into v.
func (n *Node) Query(v any, args ...string) {
	n.T.Helper()
	args = append(append([]string{"q"}, args...), "--node", n.RPCAddr(), "--output", "json")
	out := n.MustRun(args...)
	require.NoError(n.T, json.Unmarshal([]byte(out), v), "baid %s: %s", strings.Join(args, " "), out)
}

// Event returns the value of the first attribute key of the first event of the given type.
func (r TxResult) Event(eventType, key string) string {
	for _, e := range r.Events {
		if e.Type != eventType {
			continue
		}
		for _, a := range e.Attributes {
			if a.Key == key {
				return strings.Trim(a.Value, `"`)
			}
		}
	}
	return ""
}

func hasFlag(args []string, flag string) bool {
	for _, a := range args {
		if a == flag || strings.HasPrefix(a, flag+"=") {
			return true
		}
	}
	return false
}

// LastJSONLine returns the last line that looks like a JSON object (baid may print notices first).
func LastJSONLine(out string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(strings.TrimSpace(lines[i]), "{") {
			return lines[i]
		}
	}
	return out
}
