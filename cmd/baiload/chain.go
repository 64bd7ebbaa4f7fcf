package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	toml "github.com/pelletier/go-toml/v2"
)

// LocalChain is a single-validator chain the tool created and runs.
type LocalChain struct {
	Bin       string
	Home      string
	ChainID   string
	RPCPort   int
	P2PPort   int
	PromPort  int
	PprofPort int
	cmd       *exec.Cmd
	exited    chan struct{}
	logFile   *os.File
}

// ChainOptions describe the chain to create.
type ChainOptions struct {
	Bin      string
	Home     string
	ChainID  string
	Accounts []*Account
	// Balance is each load account's genesis balance in ubai.
	Balance int64
	// MempoolSize is the mempool's capacity in txs.
	MempoolSize int
	// SigCache turns the verified-signature cache on.
	SigCache bool
	// Pprof serves net/http/pprof on a free port.
	Pprof bool
	// Env is added to the node's environment (e.g. GODEBUG=gctrace=1).
	Env []string
	// TimeoutCommit is consensus.timeout_commit.
	TimeoutCommit time.Duration
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (c *LocalChain) run(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.Bin, append(args, "--home", c.Home)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("baid %s: %w\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
	}
	return out.String(), nil
}

// CreateChain writes a new single-validator chain home with the standard commands (init, keys
// add, genesis add-genesis-account, gentx, collect-gentxs); the load accounts are genesis
// accounts with account numbers 1..n (the validator is 0).
func CreateChain(o ChainOptions) (*LocalChain, error) {
	c := &LocalChain{Bin: o.Bin, Home: o.Home, ChainID: o.ChainID}
	for _, p := range []*int{&c.RPCPort, &c.P2PPort, &c.PromPort, &c.PprofPort} {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		*p = port
	}
	steps := [][]string{
		{"init", "baiload", "--chain-id", o.ChainID},
		{"keys", "add", "val", "--keyring-backend", "test", "--output", "json"},
		{"genesis", "add-genesis-account", "val", "1000000000000" + "ubai", "--keyring-backend", "test"},
	}
	for _, s := range steps {
		if _, err := c.run(s...); err != nil {
			return nil, err
		}
	}
	if err := editGenesis(filepath.Join(o.Home, "config", "genesis.json"), o.Accounts, o.Balance); err != nil {
		return nil, err
	}
	for _, s := range [][]string{
		{"genesis", "gentx", "val", "500000000000ubai", "--chain-id", o.ChainID, "--keyring-backend", "test"},
		{"genesis", "collect-gentxs"},
	} {
		if _, err := c.run(s...); err != nil {
			return nil, err
		}
	}
	pprof := ""
	if o.Pprof {
		pprof = fmt.Sprintf("127.0.0.1:%d", c.PprofPort)
	}
	if err := editTOML(filepath.Join(o.Home, "config", "config.toml"), map[string]any{
		"consensus.timeout_commit":               o.TimeoutCommit.String(),
		"rpc.laddr":                              fmt.Sprintf("tcp://127.0.0.1:%d", c.RPCPort),
		"rpc.pprof_laddr":                        pprof,
		"rpc.max_open_connections":               int64(2000),
		"p2p.laddr":                              fmt.Sprintf("tcp://127.0.0.1:%d", c.P2PPort),
		"p2p.pex":                                false,
		"mempool.size":                           int64(o.MempoolSize),
		"mempool.cache_size":                     int64(o.MempoolSize),
		"tx_index.indexer":                       "kv",
		"instrumentation.prometheus":             true,
		"instrumentation.prometheus_listen_addr": fmt.Sprintf("127.0.0.1:%d", c.PromPort),
		"instrumentation.namespace":              "cometbft",
	}); err != nil {
		return nil, err
	}
	if err := editTOML(filepath.Join(o.Home, "config", "app.toml"), map[string]any{
		"minimum-gas-prices": "0" + "ubai",
		"api.enable":         false,
		"grpc.enable":        false,
		"grpc-web.enable":    false,
		"sig-cache.enable":   o.SigCache,
	}); err != nil {
		return nil, err
	}
	return c, nil
}

// editGenesis adds the load accounts (account numbers 1..n, balance each), enables the bridge
// (the load's locks), and lets an owner keep enough listings for any run.
func editGenesis(path string, accs []*Account, balance int64) error {
	bz, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(bz))
	dec.UseNumber()
	var gen map[string]any
	if err := dec.Decode(&gen); err != nil {
		return err
	}
	appState := gen["app_state"].(map[string]any)
	auth := appState["auth"].(map[string]any)
	bank := appState["bank"].(map[string]any)
	accounts, _ := auth["accounts"].([]any)
	if len(accounts) != 1 {
		return fmt.Errorf("genesis has %d accounts before the load accounts, want the validator's only", len(accounts))
	}
	balances, _ := bank["balances"].([]any)
	amount := strconv.FormatInt(balance, 10)
	for _, a := range accs {
		accounts = append(accounts, map[string]any{
			"@type": "/cosmos.auth.v1beta1.BaseAccount", "address": a.Address.String(), "pub_key": nil,
			"account_number": strconv.FormatUint(a.AccNum, 10), "sequence": "0",
		})
		balances = append(balances, map[string]any{
			"address": a.Address.String(), "coins": []any{map[string]any{"denom": "ubai", "amount": amount}},
		})
	}
	auth["accounts"] = accounts
	bank["balances"] = balances
	// Supply is recomputed from the balances when empty.
	bank["supply"] = []any{}

	bridge := appState["bridge"].(map[string]any)
	valAddr := accounts[0].(map[string]any)["address"]
	bridge["params"] = map[string]any{
		"enabled": true, "ethereum_chain_id": "1", "token_contract": tokenContract,
		"attesters": []any{valAddr}, "attestation_threshold": 1,
		"min_transfer": "1000000", "max_transfer": "1000000000",
		"daily_outbound_limit": "1000000000000000", "daily_inbound_limit": "1000000000000000",
		"max_retries_per_block": 20,
	}
	mp := appState["marketplace"].(map[string]any)["params"].(map[string]any)
	mp["max_listings_per_owner"] = 100000
	out, err := json.MarshalIndent(gen, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o600)
}

// editTOML sets dotted keys ("table.key") of a TOML file.
func editTOML(path string, set map[string]any) error {
	bz, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := toml.Unmarshal(bz, &doc); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for key, v := range set {
		table, name, nested := strings.Cut(key, ".")
		if !nested {
			doc[key] = v
			continue
		}
		t, ok := doc[table].(map[string]any)
		if !ok {
			t = map[string]any{}
			doc[table] = t
		}
		t[name] = v
	}
	out, err := toml.Marshal(doc)
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o600)
}

// Start runs `baid start` with the node's log in <home>/node.log.
func (c *LocalChain) Start(env []string) error {
	f, err := os.Create(filepath.Join(c.Home, "node.log"))
	if err != nil {
		return err
	}
	c.logFile = f
	c.cmd = exec.Command(c.Bin, "start", "--home", c.Home)
	c.cmd.Env = append(os.Environ(), env...)
	c.cmd.Stdout, c.cmd.Stderr = f, f
	if err := c.cmd.Start(); err != nil {
		return err
	}
	c.exited = make(chan struct{})
	go func() {
		_ = c.cmd.Wait()
		f.Close()
		close(c.exited)
	}()
	return nil
}

// Pid is the node process id.
func (c *LocalChain) Pid() int { return c.cmd.Process.Pid }

// Exited says whether the node process has ended.
func (c *LocalChain) Exited() bool {
	select {
	case <-c.exited:
		return true
	default:
		return false
	}
}

// Stop sends SIGTERM, then SIGKILL after 20 s.
func (c *LocalChain) Stop() {
	if c.cmd == nil || c.cmd.Process == nil || c.Exited() {
		return
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.exited:
	case <-time.After(20 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.exited
	}
}

// LogTail returns the end of the node's log.
func (c *LocalChain) LogTail(n int) string {
	bz, _ := os.ReadFile(filepath.Join(c.Home, "node.log"))
	if len(bz) > n {
		bz = bz[len(bz)-n:]
	}
	return string(bz)
}

// ProcessCPU is the user+system CPU time of process pid so far.
func ProcessCPU(pid int) (time.Duration, error) {
	bz, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return ProcStatCPU(string(bz), clockTicks)
}

// clockTicks is USER_HZ, 100 on every Linux architecture Go supports.
const clockTicks = 100
