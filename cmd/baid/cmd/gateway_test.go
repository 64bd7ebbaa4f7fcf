package cmd

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/client/flags"

	"github.com/balanceai/balanceai/gateway"
)

// TestGatewayConfigFileAndFlags writes the default gateway.toml with `baid gateway init`,
// adds two listings, and checks start's settings: the file's values, then the flags on top.
func TestGatewayConfigFileAndFlags(t *testing.T) {
	home := t.TempDir()
	newRoot := func() *cobra.Command {
		root := NewRootCmd()
		root.PersistentFlags().String(flags.FlagHome, "", "") // main adds it (svrcmd.Execute)
		root.SetOut(&strings.Builder{})
		root.SetErr(&strings.Builder{})
		return root
	}
	root := newRoot()
	root.SetArgs([]string{"gateway", "init", "--home", home})
	require.NoError(t, root.Execute())
	path := filepath.Join(home, "config", gatewayFile)
	bz, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, gatewayTemplate, string(bz))

	// init refuses to overwrite without --force.
	root = newRoot()
	root.SetArgs([]string{"gateway", "init", "--home", home})
	require.ErrorContains(t, root.Execute(), "--force")

	edited := strings.Replace(string(bz), `batch-size = 50`, `batch-size = 20`, 1)
	edited = strings.Replace(edited, `max-concurrent-requests = 256`, `max-concurrent-requests = 64`, 1)
	edited = strings.Replace(edited, `min-free-disk = 536870912`, `min-free-disk = 1`, 1)
	edited = strings.Replace(edited, `metrics-listen = ""`, `metrics-listen = "127.0.0.1:8481"`, 1)
	edited = strings.Replace(edited, `blocks-retention = "0s"`, `blocks-retention = "720h"`, 1) + `
[[listings]]
id = 3
upstream = "http://127.0.0.1:9003/api"

[[listings]]
id = 4
upstream = "https://model.example/v2"
methods = ["post", "GET"]
paths = ["/v1/", "/health"]
`
	require.NoError(t, os.WriteFile(path, []byte(edited), 0o600))

	cmd := gatewayStartCmd()
	require.NoError(t, cmd.ParseFlags([]string{"--listing", "5", "--upstream", "http://127.0.0.1:9005",
		"--flush-interval", "500ms", "--grpc-addr", "tcp://10.0.0.1:9090"}))
	cfg, file, err := loadGatewayConfig(cmd, home)
	require.NoError(t, err)
	require.Equal(t, 20, cfg.BatchSize)
	require.Equal(t, 64, cfg.MaxConcurrent)
	require.Equal(t, "127.0.0.1:8481", cfg.MetricsListen)
	require.Equal(t, 500*time.Millisecond, cfg.FlushInterval)
	require.Equal(t, 90*time.Second, cfg.ReceiptTTL)
	require.Equal(t, "10.0.0.1:9090", file.GRPC)
	cmd = gatewayStartCmd()
	require.NoError(t, cmd.ParseFlags([]string{"--max-concurrent-requests", "8"}))
	flagged, _, err := loadGatewayConfig(cmd, home)
	require.NoError(t, err)
	require.Equal(t, 8, flagged.MaxConcurrent, "the flag overrides the file")
	require.Equal(t, 720*time.Hour, cfg.BlocksRetention)
	cmd = gatewayStartCmd()
	require.NoError(t, cmd.ParseFlags([]string{"--blocks-retention", "0s"}))
	flagged, _, err = loadGatewayConfig(cmd, home)
	require.NoError(t, err)
	require.Zero(t, flagged.BlocksRetention, "the flag overrides the file")
	require.Equal(t, int64(1), cfg.MinFreeDisk)
	cmd = gatewayStartCmd()
	require.NoError(t, cmd.ParseFlags([]string{"--min-free-disk", "0"}))
	flagged, _, err = loadGatewayConfig(cmd, home)
	require.NoError(t, err)
	require.Zero(t, flagged.MinFreeDisk, "the flag overrides the file")
	cmd = gatewayStartCmd()
	require.NoError(t, cmd.ParseFlags([]string{"--metrics-listen", "127.0.0.1:9999"}))
	flagged, _, err = loadGatewayConfig(cmd, home)
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1:9999", flagged.MetricsListen, "the flag overrides the file")
	require.Equal(t, filepath.Join(home, "data/gateway"), cfg.Dir)
	require.Len(t, cfg.Listings, 3)
	require.Equal(t, "http://127.0.0.1:9003/api", cfg.Listings[3].String())
	require.Equal(t, "https://model.example/v2", cfg.Listings[4].String())
	require.Equal(t, "http://127.0.0.1:9005", cfg.Listings[5].String())
	require.Equal(t, map[uint64]gateway.Routes{4: {Methods: []string{"POST", "GET"}, Paths: []string{"/v1/", "/health"}}}, cfg.Routes,
		"only listing 4 limits its routes; methods are upper-cased")

	// --grpc is the same; a value the server's config reader filled from app.toml's [grpc]
	// table is ignored.
	cmd = gatewayStartCmd()
	require.NoError(t, cmd.ParseFlags([]string{"--grpc", "map[address:127.0.0.1:9090 enable:true]"}))
	_, file, err = loadGatewayConfig(cmd, home)
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1:9090", file.GRPC)
	cmd = gatewayStartCmd()
	require.NoError(t, cmd.ParseFlags([]string{"--grpc", "127.0.0.2:9090"}))
	_, file, err = loadGatewayConfig(cmd, home)
	require.NoError(t, err)
	require.Equal(t, "127.0.0.2:9090", file.GRPC)

	// Bad values are refused with the place to fix them.
	require.NoError(t, os.WriteFile(path, []byte("batch-size = 20\nbogus = 1\n"), 0o600))
	_, _, err = loadGatewayConfig(gatewayStartCmd(), home)
	require.ErrorContains(t, err, "bogus")
	require.NoError(t, os.WriteFile(path, []byte("[[listings]]\nid = 1\nupstream = \"ftp://x\"\n"), 0o600))
	_, _, err = loadGatewayConfig(gatewayStartCmd(), home)
	require.ErrorContains(t, err, "http(s) URL")
	require.NoError(t, os.WriteFile(path, []byte("[[listings]]\nid = 1\nupstream = \"http://x\"\npaths = [\"v1/\"]\n"), 0o600))
	_, _, err = loadGatewayConfig(gatewayStartCmd(), home)
	require.ErrorContains(t, err, `listing 1: path "v1/" must start with /`)
	require.NoError(t, os.WriteFile(path, []byte("blocks-retention = \"30m\"\n[[listings]]\nid = 1\nupstream = \"http://x\"\n"), 0o600))
	cfg, _, err = loadGatewayConfig(gatewayStartCmd(), home)
	require.NoError(t, err)
	require.Equal(t, int64(512<<20), cfg.MinFreeDisk, "the default, when the file does not say")
	cfg.ChainID = "balanceai-1"
	require.ErrorContains(t, cfg.Validate(), "blocks-retention must be 0 (keep every block) or at least 1h")
	require.NoError(t, os.WriteFile(path, []byte("min-free-disk = -1\n[[listings]]\nid = 1\nupstream = \"http://x\"\n"), 0o600))
	cfg, _, err = loadGatewayConfig(gatewayStartCmd(), home)
	require.NoError(t, err)
	cfg.ChainID = "balanceai-1"
	require.ErrorContains(t, cfg.Validate(), "min-free-disk must not be negative")
}

// TestGatewayCallDoesNotFollowRedirects: baid gateway call sends its signed request to the URL
// given and nowhere else; a redirect is the answer.
func TestGatewayCallDoesNotFollowRedirects(t *testing.T) {
	home := t.TempDir()
	var followed atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/elsewhere" {
			followed.Store(true)
			return
		}
		require.NotEmpty(t, r.Header.Get("X-BAI-Signature"))
		http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	run := func(args ...string) error {
		root := NewRootCmd()
		root.PersistentFlags().String(flags.FlagHome, "", "")
		root.SetOut(&strings.Builder{})
		root.SetErr(&strings.Builder{})
		root.SetArgs(append(args, "--home", home, "--keyring-backend", "test"))
		return root.Execute()
	}
	require.NoError(t, run("keys", "add", "caller"))
	err := run("gateway", "call", srv.URL+"/listings/1/x", `{"a":1}`, "--listing", "1", "--from", "caller", "--chain-id", "balanceai-1")
	require.ErrorContains(t, err, "307")
	require.False(t, followed.Load(), "the signed request was not sent to the redirect's target")
}

// TestSecondSignalStopsAtOnce: the first SIGTERM starts the drain (the context is cancelled);
// a second one ends the process at once instead of waiting for the drain. The test runs itself
// as the process to signal.
func TestSecondSignalStopsAtOnce(t *testing.T) {
	if os.Getenv("BAID_TEST_SIGNAL_CHILD") == "1" {
		ctx, stop := stopOnSignal(context.Background())
		defer stop()
		fmt.Println("ready")
		<-ctx.Done()
		fmt.Println("draining")
		select {} // a drain that never ends
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestSecondSignalStopsAtOnce$")
	cmd.Env = append(os.Environ(), "BAID_TEST_SIGNAL_CHILD=1")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	lines := bufio.NewScanner(stdout)
	require.True(t, lines.Scan())
	require.Equal(t, "ready", lines.Text())

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	require.True(t, lines.Scan())
	require.Equal(t, "draining", lines.Text())
	// The first signal did not end it: it is draining.
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-exited:
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit)
		status, ok := exit.Sys().(syscall.WaitStatus)
		require.True(t, ok)
		require.True(t, status.Signaled(), "ended by the second signal")
		require.Equal(t, syscall.SIGTERM, status.Signal())
	case <-time.After(10 * time.Second):
		t.Fatal("a second SIGTERM did not end the process")
	}
}

// TestServeMetrics: the metrics listener answers with its handler until stopped, and then
// refuses connections.
func TestServeMetrics(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	stop := serveMetrics(ln, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("bai_gateway_requests_total 3\n"))
	}), slog.New(slog.NewTextHandler(io.Discard, nil)))
	url := "http://" + ln.Addr().String() + "/metrics"
	res, err := http.Get(url)
	require.NoError(t, err)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	require.Equal(t, "bai_gateway_requests_total 3\n", string(body))
	stop()
	_, err = net.Dial("tcp", ln.Addr().String())
	require.Error(t, err, "closed once stopped")
}
