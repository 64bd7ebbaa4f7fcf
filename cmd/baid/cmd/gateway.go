package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	toml "github.com/pelletier/go-toml/v2"
	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"

	"github.com/balanceai/balanceai/app"
	"github.com/balanceai/balanceai/gateway"
	"github.com/balanceai/balanceai/gateway/auth"
	"github.com/balanceai/balanceai/gateway/chain"
)

// gatewayFile is the gateway's configuration file, in the node home's config folder.
const gatewayFile = "gateway.toml"

// gatewayTOML is gateway.toml.
type gatewayTOML struct {
	ChainID          string           `toml:"chain-id"`
	GRPC             string           `toml:"grpc"`
	From             string           `toml:"from"`
	Listen           string           `toml:"listen"`
	MetricsListen    string           `toml:"metrics-listen"`
	GasPrices        string           `toml:"gas-prices"`
	DataDir          string           `toml:"data-dir"`
	TimestampWindow  string           `toml:"timestamp-window"`
	ReplayCacheSize  int              `toml:"replay-cache-size"`
	AccessCacheTTL   string           `toml:"access-cache-ttl"`
	UpstreamTimeout  string           `toml:"upstream-timeout"`
	MaxBodyBytes     int64            `toml:"max-body-bytes"`
	MaxResponseBytes int64            `toml:"max-response-bytes"`
	MaxConcurrent    int              `toml:"max-concurrent-requests"`
	BatchSize        int              `toml:"batch-size"`
	FlushInterval    string           `toml:"flush-interval"`
	ReceiptTTL       string           `toml:"receipt-ttl"`
	MaxInFlight      int              `toml:"max-in-flight"`
	IPFSAPI          string           `toml:"ipfs-api"`
	BlocksRetention  string           `toml:"blocks-retention"`
	MinFreeDisk      *int64           `toml:"min-free-disk"`
	Listings         []gatewayListing `toml:"listings"`
}

type gatewayListing struct {
	ID       uint64   `toml:"id"`
	Upstream string   `toml:"upstream"`
	Methods  []string `toml:"methods"`
	Paths    []string `toml:"paths"`
}

const gatewayTemplate = `# BalanceAI AI node: baid gateway start reads this file; its flags override it.
# See docs/gateway.md for the request protocol and the operator's guide.

# Chain id callers sign for and receipts are sent to; empty: asked from the node at start.
chain-id = ""
# gRPC address of a BalanceAI node (queries x/access, broadcasts receipts).
grpc = "127.0.0.1:9090"
# Keyring key that signs usage receipts: an x/access operator of every listing below
# (baid tx access set-operators ...), funded for fees.
from = ""
# Address the gateway serves callers on.
listen = "127.0.0.1:8480"
# Address to serve Prometheus metrics (/metrics) on instead, e.g. "127.0.0.1:8481" (keep it
# loopback or private); empty: /metrics is served on listen with the callers' routes.
metrics-listen = ""
# Fee paid per unit of gas of a receipt transaction.
gas-prices = "0.0025ubai"
# Content store (blocks/) and receipt queue (queue/); relative to the node home.
data-dir = "data/gateway"

# A caller's X-BAI-Timestamp may differ from this node's clock by at most this much.
timestamp-window = "60s"
# Nonces remembered (replay protection) at most; a full cache refuses with 503.
replay-cache-size = 1000000
# How long an x/access CheckAccess answer is reused for the same caller.
access-cache-ttl = "2s"
# Time the model's API has to answer; a timeout answers 504 and is not charged.
upstream-timeout = "60s"
# Largest request body accepted (413 above) and largest model answer (502 above).
max-body-bytes = 8388608
max-response-bytes = 33554432
# Authenticated calls served at once; more wait for none and get 503 (with Retry-After).
# Bodies of authenticated callers with access being read share a budget of this times
# max-body-bytes (2 GiB); those read before their signature is checked (no X-BAI-Body-SHA256),
# a quarter of that, at most 2 times max-body-bytes from one IP address (an IPv6 /64). A quarter of this (at least 2) is how many callers may wait on the
# chain for their access answer. Calls being served hold at most this times (max-body-bytes +
# max-response-bytes) of bodies and answers.
max-concurrent-requests = 256

# Usage records per MsgRecordUsage; at most the chain's access max_receipts_per_msg.
batch-size = 50
# A partial batch is sent once its oldest record waited this long.
flush-interval = "2s"
# Timeout of a receipt transaction (unordered; the chain accepts at most 10m).
receipt-ttl = "90s"
# Receipt transactions in flight at once.
max-in-flight = 4
# Kubo RPC URL (e.g. http://127.0.0.1:5001): also put and pin every block there. Empty: off.
ipfs-api = ""
# Remove a block from the content store once it was last written this long ago (at least 1h),
# unless a usage record not yet committed refers to it; its CID stays on chain. "0s" keeps
# every block.
blocks-retention = "0s"
# A call is refused (503, not charged) before the model is called while the data directory's
# disk has less than this many bytes free; 0: not checked.
min-free-disk = 536870912

# The listings this node serves, each in front of its model's HTTP API. Repeat the block for
# more listings. --listing and --upstream add one from the command line.
# methods and paths, optional, limit what callers may reach: the HTTP methods, and the paths
# under /listings/<id>, each admitting itself and what is under it ("/v1/completions" admits
# "/v1/completions/x", not "/v1/completions-admin"; "/v1/" all of /v1/). Without them every
# method and path under the upstream URL is forwarded, a model server's administration routes
# included.
# [[listings]]
# id = 1
# upstream = "http://127.0.0.1:8000"
# methods = ["POST"]
# paths = ["/v1/"]
`

// GatewayCmd is `baid gateway`: the AI node in front of a model's API, and its caller.
func GatewayCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "gateway",
		Short: "AI node: serve a model through BalanceAI (signed, stake-gated, receipted calls)",
		Long: `The AI node a provider runs next to its model's HTTP API. Callers sign each request
(ADR-036, as Keplr's signArbitrary); the node checks on chain that they may use the listing,
forwards the call, keeps request and response as IPFS blocks and records the usage on chain
exactly once. See docs/gateway.md.`,
		RunE: client.ValidateCmd,
	}
	cmd.AddCommand(gatewayInitCmd(), gatewayStartCmd(), gatewayCallCmd())
	return cmd
}

func gatewayInitCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented default gateway.toml into the node home's config folder",
		Example: `  baid gateway init
  baid gateway init --home ~/.baid --force`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			clientCtx := client.GetClientContextFromCmd(cmd)
			path := filepath.Join(clientCtx.HomeDir, "config", gatewayFile)
			force, _ := cmd.Flags().GetBool("force")
			if _, err := os.Stat(path); err == nil && !force {
				return fmt.Errorf("%s exists; use --force to overwrite it", path)
			}
			if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
				return err
			}
			if err := os.WriteFile(path, []byte(gatewayTemplate), 0o600); err != nil {
				return err
			}
			cmd.Println(path)
			return nil
		},
	}
	cmd.Flags().Bool("force", false, "overwrite an existing gateway.toml")
	return cmd
}

func gatewayStartCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "start",
		Short: "Run the AI node in front of a model's HTTP API",
		Long: `Run the AI node. Settings come from <home>/config/gateway.toml (baid gateway init writes
one) and the flags, which override it. The --from key must be an x/access operator of the
listing and hold BAI for fees. Stop with Ctrl-C or SIGTERM: requests in progress finish and the
receipt queue is flushed (what cannot be sent stays on disk for the next start); a second
Ctrl-C or SIGTERM stops at once.`,
		Example: `  baid gateway start --listing 1 --upstream http://127.0.0.1:8000 --from operator \
    --grpc-addr 127.0.0.1:9090 --listen 127.0.0.1:8480 --keyring-backend test`,
		Args: cobra.NoArgs,
		RunE: runGatewayStart,
	}
	f := cmd.Flags()
	f.Uint64("listing", 0, "listing id to serve (with --upstream); more in gateway.toml")
	f.String("upstream", "", "base URL of the model's HTTP API for --listing")
	f.String("listen", "", "address to serve callers on (default 127.0.0.1:8480)")
	f.String("metrics-listen", "", "address to serve /metrics on instead of --listen (default: on --listen)")
	f.String(flags.FlagGRPC, "", "gRPC address of a BalanceAI node (default 127.0.0.1:9090)")
	f.String("grpc", "", "same as --grpc-addr")
	f.String(flags.FlagFrom, "", "keyring key that signs usage receipts (an operator of the listing)")
	f.String(flags.FlagChainID, "", "chain id (default: asked from the node)")
	f.String(flags.FlagGasPrices, "", "fee per unit of gas of receipt transactions (default 0.0025ubai)")
	f.String("data-dir", "", "content store and receipt queue directory (default <home>/data/gateway)")
	f.Int("batch-size", 0, "usage records per transaction (default 50)")
	f.Duration("flush-interval", 0, "send a partial batch after its oldest record waited this long (default 2s)")
	f.Duration("receipt-ttl", 0, "timeout of a receipt transaction, 10s-10m (default 90s)")
	f.Duration("access-cache-ttl", -1, "reuse a CheckAccess answer this long (default 2s)")
	f.Duration("timestamp-window", 0, "accepted difference between a caller's timestamp and this clock (default 60s)")
	f.Duration("upstream-timeout", 0, "time the model has to answer (default 60s)")
	f.Int64("max-body-bytes", 0, "largest request body (default 8 MiB)")
	f.Int("max-concurrent-requests", 0, "calls served at once; more get 503 (default 256)")
	f.String("ipfs-api", "", "Kubo RPC URL to also put and pin every block on")
	f.Duration("blocks-retention", 0, "remove blocks last written this long ago (at least 1h) once their records are committed (default 0: keep every block)")
	f.Int64("min-free-disk", 0, "refuse calls while the data directory's disk has fewer bytes free (default 512 MiB; 0: not checked)")
	f.String(flags.FlagKeyringBackend, "os", "keyring backend (os|file|kwallet|pass|test|memory)")
	f.Duration("drain-timeout", 30*time.Second, "on shutdown, time allowed to finish requests and flush receipts")
	return cmd
}

// loadGatewayConfig merges gateway.toml (if present) and the flags.
func loadGatewayConfig(cmd *cobra.Command, home string) (gateway.Config, gatewayTOML, error) {
	cfg := gateway.DefaultConfig()
	file := gatewayTOML{GRPC: "127.0.0.1:9090", GasPrices: "0.0025ubai", DataDir: "data/gateway"}
	path := filepath.Join(home, "config", gatewayFile)
	if bz, err := os.ReadFile(path); err == nil {
		dec := toml.NewDecoder(bytes.NewReader(bz))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&file); err != nil {
			var strict *toml.StrictMissingError
			if errors.As(err, &strict) {
				return cfg, file, fmt.Errorf("%s: unknown settings:\n%s", path, strict.String())
			}
			return cfg, file, fmt.Errorf("%s: %w", path, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return cfg, file, err
	}
	f := cmd.Flags()
	str := func(name string, dst *string) {
		if f.Changed(name) {
			*dst, _ = f.GetString(name)
		}
	}
	// The server's config reader also fills flags from app.toml keys of the same name, and
	// app.toml has a [grpc] table: a value rendered from a table is not an address.
	if f.Changed("grpc") {
		if v, _ := f.GetString("grpc"); !strings.HasPrefix(v, "map[") {
			file.GRPC = v
		}
	}
	str(flags.FlagGRPC, &file.GRPC)
	str(flags.FlagFrom, &file.From)
	str(flags.FlagChainID, &file.ChainID)
	str(flags.FlagGasPrices, &file.GasPrices)
	str("data-dir", &file.DataDir)
	str("listen", &file.Listen)
	str("metrics-listen", &file.MetricsListen)
	str("ipfs-api", &file.IPFSAPI)
	file.GRPC = strings.TrimPrefix(strings.TrimPrefix(file.GRPC, "tcp://"), "http://")

	dur := func(s string, dst *time.Duration, name string) error {
		if s != "" {
			d, err := time.ParseDuration(s)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			*dst = d
		}
		if f.Changed(name) {
			*dst, _ = f.GetDuration(name)
		}
		return nil
	}
	for _, d := range []struct {
		s    string
		dst  *time.Duration
		name string
	}{
		{file.TimestampWindow, &cfg.TimestampWindow, "timestamp-window"},
		{file.AccessCacheTTL, &cfg.AccessCacheTTL, "access-cache-ttl"},
		{file.UpstreamTimeout, &cfg.UpstreamTimeout, "upstream-timeout"},
		{file.FlushInterval, &cfg.FlushInterval, "flush-interval"},
		{file.ReceiptTTL, &cfg.ReceiptTTL, "receipt-ttl"},
		{file.BlocksRetention, &cfg.BlocksRetention, "blocks-retention"},
	} {
		if err := dur(d.s, d.dst, d.name); err != nil {
			return cfg, file, err
		}
	}
	setInt := func(v int, dst *int, name string) {
		if v != 0 {
			*dst = v
		}
		if f.Changed(name) {
			*dst, _ = f.GetInt(name)
		}
	}
	setInt(file.BatchSize, &cfg.BatchSize, "batch-size")
	setInt(file.MaxConcurrent, &cfg.MaxConcurrent, "max-concurrent-requests")
	if file.ReplayCacheSize != 0 {
		cfg.ReplayCacheSize = file.ReplayCacheSize
	}
	if file.MaxInFlight != 0 {
		cfg.MaxInFlight = file.MaxInFlight
	}
	if file.MaxBodyBytes != 0 {
		cfg.MaxBodyBytes = file.MaxBodyBytes
	}
	if f.Changed("max-body-bytes") {
		cfg.MaxBodyBytes, _ = f.GetInt64("max-body-bytes")
	}
	if file.MaxResponseBytes != 0 {
		cfg.MaxResponseBytes = file.MaxResponseBytes
	}
	if file.MinFreeDisk != nil {
		cfg.MinFreeDisk = *file.MinFreeDisk
	}
	if f.Changed("min-free-disk") {
		cfg.MinFreeDisk, _ = f.GetInt64("min-free-disk")
	}
	if file.Listen != "" {
		cfg.Listen = file.Listen
	}
	cfg.MetricsListen = file.MetricsListen
	cfg.IPFSAPI = file.IPFSAPI
	cfg.ChainID = file.ChainID
	cfg.Bech32Prefix = app.Bech32PrefixAccAddr
	cfg.Dir = file.DataDir
	if !filepath.IsAbs(cfg.Dir) {
		cfg.Dir = filepath.Join(home, cfg.Dir)
	}

	cfg.Listings = map[uint64]*url.URL{}
	add := func(id uint64, upstream string) error {
		if id == 0 {
			return errors.New("listing id must be positive")
		}
		u, err := url.Parse(upstream)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("listing %d: upstream %q must be an http(s) URL", id, upstream)
		}
		cfg.Listings[id] = u
		return nil
	}
	for _, l := range file.Listings {
		if err := add(l.ID, l.Upstream); err != nil {
			return cfg, file, fmt.Errorf("%s: %w", path, err)
		}
		if len(l.Methods) > 0 || len(l.Paths) > 0 {
			if cfg.Routes == nil {
				cfg.Routes = map[uint64]gateway.Routes{}
			}
			rt := gateway.Routes{Paths: l.Paths}
			for _, m := range l.Methods {
				rt.Methods = append(rt.Methods, strings.ToUpper(m))
			}
			if err := rt.Validate(); err != nil {
				return cfg, file, fmt.Errorf("%s: listing %d: %w", path, l.ID, err)
			}
			cfg.Routes[l.ID] = rt
		}
	}
	if f.Changed("listing") || f.Changed("upstream") {
		id, _ := f.GetUint64("listing")
		up, _ := f.GetString("upstream")
		if err := add(id, up); err != nil {
			return cfg, file, fmt.Errorf("--listing/--upstream: %w", err)
		}
	}
	return cfg, file, nil
}

// gatewayCallClient sends a signed call and does not follow redirects: following one would hand
// the signed headers and body to another host (an AI node of the same listing could serve the
// copy); a redirect is printed as the answer.
var gatewayCallClient = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func runGatewayStart(cmd *cobra.Command, _ []string) error {
	clientCtx, err := client.GetClientQueryContext(cmd)
	if err != nil {
		return err
	}
	cfg, file, err := loadGatewayConfig(cmd, clientCtx.HomeDir)
	if err != nil {
		return err
	}
	if file.From == "" {
		return errors.New("--from (or from in gateway.toml) must name the operator key that signs usage receipts")
	}
	gasPrice, err := sdk.ParseDecCoin(file.GasPrices)
	if err != nil {
		return fmt.Errorf("gas-prices %q: %w", file.GasPrices, err)
	}
	logger := slog.New(slog.NewJSONHandler(cmd.ErrOrStderr(), nil))

	ctx, stop := stopOnSignal(cmd.Context())
	defer stop()
	if cfg.ChainID == "" {
		cfg.ChainID = clientCtx.ChainID
	}
	probe, err := chain.Dial(chain.Config{GRPCAddr: file.GRPC, ClientCtx: clientCtx})
	if err != nil {
		return err
	}
	qctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	nodeChainID, _, _, latestErr := probe.Latest(qctx)
	cancel()
	_ = probe.Close()
	switch {
	case latestErr == nil && cfg.ChainID == "":
		cfg.ChainID = nodeChainID
	case latestErr == nil && cfg.ChainID != nodeChainID:
		return fmt.Errorf("chain id %q does not match the node's %q", cfg.ChainID, nodeChainID)
	case latestErr != nil && cfg.ChainID == "":
		return fmt.Errorf("the node at %s cannot be reached to learn the chain id (%v); set --chain-id", file.GRPC, latestErr)
	}

	cl, err := chain.Dial(chain.Config{GRPCAddr: file.GRPC, ClientCtx: clientCtx, From: file.From, ChainID: cfg.ChainID, GasPrice: gasPrice})
	if err != nil {
		return err
	}
	defer cl.Close()
	if latestErr == nil {
		// The batch size and the units cap follow x/access's params: the gateway reads them when
		// it starts serving and again every minute.
		for id := range cfg.Listings {
			qctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			ops, err := cl.Operators(qctx, id)
			cancel()
			if err != nil {
				return fmt.Errorf("listing %d: %w", id, err)
			}
			found := false
			for _, o := range ops {
				found = found || o == cl.Operator().String()
			}
			if !found {
				return fmt.Errorf("%s (key %q) is not an operator of listing %d; the owner adds it with: baid tx access set-operators %d %s --from <owner>",
					cl.Operator(), file.From, id, id, cl.Operator())
			}
		}
	} else {
		logger.Warn("the chain is unreachable: callers get 503 and receipts queue until it is back", "err", latestErr)
	}

	g, err := gateway.New(cfg, cl, logger)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return err
	}
	if cfg.MetricsListen != "" {
		mln, err := net.Listen("tcp", cfg.MetricsListen)
		if err != nil {
			ln.Close()
			return fmt.Errorf("metrics-listen: %w", err)
		}
		stopMetrics := serveMetrics(mln, g.MetricsHandler(), logger)
		defer stopMetrics()
	}
	drain, _ := cmd.Flags().GetDuration("drain-timeout")
	return g.Run(ctx, ln, drain)
}

// serveMetrics serves h on ln until the returned function is called, which closes ln and the
// connections open on it.
func serveMetrics(ln net.Listener, h http.Handler, logger *slog.Logger) (stop func()) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("metrics listener stopped", "err", err)
		}
	}()
	logger.Info("metrics listening", "addr", ln.Addr().String())
	return func() {
		_ = srv.Close()
		<-done
	}
}

// stopOnSignal returns a context cancelled by the first SIGINT or SIGTERM. Once it is, the
// signals have their default effect again, so a second one ends the process at once instead of
// waiting for the drain.
func stopOnSignal(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case <-signals:
		case <-ctx.Done():
		}
		// Before the context is cancelled: whoever sees it cancelled sees the default again.
		signal.Stop(signals)
		cancel()
	}()
	return ctx, cancel
}

func gatewayCallCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "call [url] [body]",
		Short: "Call a model through an AI node, signing the request with a keyring key",
		Long: `Send one signed request to an AI node (baid gateway start) and print the model's answer.
The URL is the node's address with the path /listings/<id>/<path at the model>; the body is the
second argument, --data-file, or empty. The request CID and response CID the node returns are
printed to stderr (or in the JSON with --output json); both are fetchable at <node>/ipfs/<cid>.`,
		Example: `  baid gateway call --listing 1 --from bob http://127.0.0.1:8480/listings/1/v1/completions '{"prompt":"hi"}'
  baid gateway call --listing 1 --from bob --method GET http://127.0.0.1:8480/listings/1/health --output json`,
		Args: cobra.RangeArgs(1, 2),
		RunE: runGatewayCall,
	}
	f := cmd.Flags()
	f.Uint64("listing", 0, "listing id the request is for (must match the URL)")
	f.String(flags.FlagFrom, "", "keyring key that signs the request (the caller)")
	f.String(flags.FlagChainID, "", "chain id (default: client config)")
	f.String("method", "", "HTTP method (default POST with a body, GET without)")
	f.String("data-file", "", "read the body from this file")
	f.StringArrayP("header", "H", nil, "extra header 'Name: value' (repeatable)")
	f.String(flags.FlagKeyringBackend, "os", "keyring backend (os|file|kwallet|pass|test|memory)")
	f.StringP(flags.FlagOutput, "o", "text", "output format (text|json)")
	f.Duration("timeout", 2*time.Minute, "request timeout")
	return cmd
}

func runGatewayCall(cmd *cobra.Command, args []string) error {
	clientCtx, err := client.GetClientQueryContext(cmd)
	if err != nil {
		return err
	}
	f := cmd.Flags()
	listing, _ := f.GetUint64("listing")
	from, _ := f.GetString(flags.FlagFrom)
	if listing == 0 || from == "" {
		return errors.New("--listing and --from are required")
	}
	if clientCtx.ChainID == "" {
		return errors.New("no chain id: pass --chain-id or set it with baid config set client chain-id <id>")
	}
	target, err := url.Parse(args[0])
	if err != nil || (target.Scheme != "http" && target.Scheme != "https") {
		return fmt.Errorf("%q is not an http(s) URL", args[0])
	}
	if want := fmt.Sprintf("/listings/%d/", listing); !strings.HasPrefix(target.Path+"/", want) {
		return fmt.Errorf("the URL path must start with %s (the listing given by --listing)", want)
	}
	var body []byte
	if path, _ := f.GetString("data-file"); path != "" {
		if body, err = os.ReadFile(path); err != nil {
			return err
		}
	} else if len(args) == 2 {
		body = []byte(args[1])
	}
	method, _ := f.GetString("method")
	if method == "" {
		method = http.MethodGet
		if len(body) > 0 {
			method = http.MethodPost
		}
	}
	rec, err := clientCtx.Keyring.Key(from)
	if err != nil {
		return fmt.Errorf("key %q: %w", from, err)
	}
	addr, err := rec.GetAddress()
	if err != nil {
		return err
	}
	timeout, _ := f.GetDuration("timeout")
	ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, strings.ToUpper(method), target.String(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	hdrs, _ := f.GetStringArray("header")
	for _, h := range hdrs {
		k, v, ok := strings.Cut(h, ":")
		if !ok {
			return fmt.Errorf("header %q: expected 'Name: value'", h)
		}
		req.Header.Add(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	if len(body) > 0 && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	signed := auth.Request{
		ChainID: clientCtx.ChainID, ListingID: listing, Method: req.Method, Path: req.URL.RequestURI(),
		Body: body, Timestamp: time.Now().Unix(), Nonce: auth.NewNonce(),
	}
	err = auth.SignRequest(req.Header, signed, addr.String(), func(signBytes []byte) ([]byte, []byte, error) {
		sig, pub, err := clientCtx.Keyring.Sign(from, signBytes, signing.SignMode_SIGN_MODE_LEGACY_AMINO_JSON)
		if err != nil {
			return nil, nil, err
		}
		return sig, pub.Bytes(), nil
	})
	if err != nil {
		return err
	}
	res, err := gatewayCallClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if format, _ := f.GetString(flags.FlagOutput); format == "json" {
		headers := map[string]string{}
		for k := range res.Header {
			headers[k] = res.Header.Get(k)
		}
		bz, err := json.Marshal(map[string]any{
			"status": res.StatusCode, "request_cid": res.Header.Get(gateway.HeaderRequestCID),
			"response_cid": res.Header.Get(gateway.HeaderResponseCID), "headers": headers, "body": string(out),
		})
		if err != nil {
			return err
		}
		cmd.Println(string(bz))
	} else {
		fmt.Fprintf(cmd.ErrOrStderr(), "%s\n", res.Status)
		if c := res.Header.Get(gateway.HeaderRequestCID); c != "" {
			fmt.Fprintf(cmd.ErrOrStderr(), "request CID:  %s\nresponse CID: %s\n", c, res.Header.Get(gateway.HeaderResponseCID))
		}
		_, _ = cmd.OutOrStdout().Write(out)
		if len(out) > 0 && out[len(out)-1] != '\n' {
			cmd.Println()
		}
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return fmt.Errorf("the AI node answered %s", res.Status)
	}
	return nil
}
