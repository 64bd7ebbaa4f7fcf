//go:build e2e

package e2e

import (
	"bytes"
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
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"github.com/cosmos/cosmos-sdk/types/bech32"

	"github.com/balanceai/balanceai/gateway/auth"
	"github.com/balanceai/balanceai/gateway/cas"
	"github.com/balanceai/balanceai/testutil/e2e"
)

// gwModel is the model stand-in: an HTTP API on a fixed address that can be taken down and
// brought back.
type gwModel struct {
	t    testing.TB
	addr string
	srv  *http.Server
}

func (m *gwModel) start() {
	m.t.Helper()
	ln, err := net.Listen("tcp", m.addr)
	require.NoError(m.t, err)
	m.addr = ln.Addr().String()
	m.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/v1/completions":
			w.Header().Set("Content-Type", "application/json")
			_, _ = fmt.Fprintf(w, `{"model":"stand-in","user":%q,"completion":%q}`, r.Header.Get("X-BAI-User"), strings.ToUpper(string(body)))
		default:
			http.Error(w, "no such route", http.StatusInternalServerError)
		}
	})}
	go func() { _ = m.srv.Serve(ln) }()
	m.t.Cleanup(m.stop)
}

func (m *gwModel) stop() {
	if m.srv != nil {
		_ = m.srv.Close()
		m.srv = nil
	}
}

// gwProcess is a running `baid gateway start`.
type gwProcess struct {
	t      testing.TB
	cmd    *exec.Cmd
	exited chan struct{}
	url    string
	log    string
}

func startGateway(t testing.TB, n *e2e.Node, listen, upstream string, extra ...string) *gwProcess {
	t.Helper()
	p := &gwProcess{t: t, url: "http://" + listen, log: filepath.Join(n.Home, "gateway.log")}
	logFile, err := os.OpenFile(p.log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	require.NoError(t, err)
	p.cmd = exec.Command(n.Bin, "gateway", "start", "--home", n.Home, "--listing", "1", "--upstream", upstream,
		"--from", "operator", "--keyring-backend", "test", "--grpc-addr", fmt.Sprintf("127.0.0.1:%d", n.GRPCPort),
		"--listen", listen, "--flush-interval", "1s", "--receipt-ttl", "20s", "--access-cache-ttl", "20s",
		"--gas-prices", "0.0025ubai")
	p.cmd.Args = append(p.cmd.Args, extra...)
	p.cmd.Stdout, p.cmd.Stderr = logFile, logFile
	require.NoError(t, p.cmd.Start())
	p.exited = make(chan struct{})
	go func() { _ = p.cmd.Wait(); logFile.Close(); close(p.exited) }()
	t.Cleanup(func() { p.signal(syscall.SIGKILL) })
	n.Eventually(30*time.Second, "gateway /healthz", func() bool {
		select {
		case <-p.exited:
			bz, _ := os.ReadFile(p.log)
			t.Fatalf("gateway exited:\n%s", bz)
		default:
		}
		res, err := http.Get(p.url + "/healthz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	})
	return p
}

func (p *gwProcess) signal(sig syscall.Signal) {
	select {
	case <-p.exited:
		return
	default:
	}
	_ = p.cmd.Process.Signal(sig)
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
}

func (p *gwProcess) metric(name string) float64 {
	res, err := http.Get(p.url + "/metrics")
	if err != nil {
		return -1
	}
	defer res.Body.Close()
	bz, _ := io.ReadAll(res.Body)
	for _, line := range strings.Split(string(bz), "\n") {
		if rest, ok := strings.CutPrefix(line, name+" "); ok {
			v, _ := strconv.ParseFloat(rest, 64)
			return v
		}
	}
	return -1
}

// gwCall is `baid gateway call --output json`.
type gwCall struct {
	Status      int    `json:"status"`
	RequestCID  string `json:"request_cid"`
	ResponseCID string `json:"response_cid"`
	Body        string `json:"body"`
}

func callGateway(t *testing.T, n *e2e.Node, gw, from, body string) gwCall {
	t.Helper()
	out, errOut, _ := n.Run("gateway", "call", "--listing", "1", "--from", from, "--keyring-backend", "test",
		"--chain-id", n.ChainID, "--output", "json", gw+"/listings/1/v1/completions", body)
	var c gwCall
	require.NoError(t, json.Unmarshal([]byte(e2e.LastJSONLine(out)), &c), "stdout %s stderr %s", out, errOut)
	return c
}

// rawCall sends a request signed by a key held by the test.
func rawCall(t *testing.T, url, chainID, body string, key *secp256k1.PrivKey, ts int64, nonce string, tamper bool) (int, string) {
	t.Helper()
	addr, err := bech32.ConvertAndEncode("bai", key.PubKey().Address())
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, url+"/listings/1/v1/completions", strings.NewReader(body))
	require.NoError(t, err)
	signed := auth.Request{ChainID: chainID, ListingID: 1, Method: "POST", Path: "/listings/1/v1/completions",
		Body: []byte(body), Timestamp: ts, Nonce: nonce}
	require.NoError(t, auth.SignRequest(req.Header, signed, addr, func(b []byte) ([]byte, []byte, error) {
		sig, err := key.Sign(b)
		return sig, key.PubKey().Bytes(), err
	}))
	if tamper {
		// Another body, the signed one's hash not declared: the node reads the body before it
		// checks the signature, which does not match it. (A caller that declares the hash is
		// checked for access before its body is read: the gateway package's tests cover a
		// tampered body there.)
		req.Header.Del(auth.HeaderBodyHash)
		req.Body = io.NopCloser(strings.NewReader(body + " "))
		req.ContentLength++
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	var e struct {
		Reason string `json:"reason"`
	}
	bz, _ := io.ReadAll(res.Body)
	_ = json.Unmarshal(bz, &e)
	return res.StatusCode, e.Reason
}

type gwUsage struct {
	Receipts []struct {
		User        string `json:"user"`
		RequestCID  string `json:"request_cid"`
		ResponseCID string `json:"response_cid"`
	} `json:"receipts"`
}

// TestGatewayDoneWhen runs a real chain, a model stand-in and `baid gateway` as separate
// processes and calls the model through BalanceAI as a user would.
func TestGatewayDoneWhen(t *testing.T) {
	n, keys := e2e.SingleNodeChain(t, *baidBin, "balanceai-gateway", []string{"provider", "operator", "bob", "carol", "eve"},
		"1000000000000ubai", nil)
	valoper := strings.TrimSpace(n.MustRun("keys", "show", "val", "--bech", "val", "-a", "--keyring-backend", "test"))
	ok := func(res e2e.TxResult) {
		t.Helper()
		require.Zero(t, res.Code, res.RawLog)
	}
	// A model listing: 100 BAI minimum stake, 3 requests a day per 100 BAI.
	ok(n.Tx("provider", "marketplace", "register-model", "Shouting model", "text-generation", "https://model.example/v1",
		"bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku", "1.0.0", "1000000000ubai",
		"--min-stake", "100000000", "--requests-per-day", "3"))
	ok(n.SignAndBroadcast("provider", n.GenerateOnly("provider", "access", "set-operators", "1", keys["operator"].Address), "amino-json"))
	ok(n.Tx("bob", "staking", "delegate", valoper, "1000000000ubai"))  // quota 30
	ok(n.Tx("carol", "staking", "delegate", valoper, "100000000ubai")) // quota 3

	model := &gwModel{t: t, addr: "127.0.0.1:0"}
	model.start()
	listen := fmt.Sprintf("127.0.0.1:%d", e2e.FreePort(t))
	gw := startGateway(t, n, listen, "http://"+model.addr)
	bob := keys["bob"].Address
	usage := func(user string) gwUsage {
		var u gwUsage
		n.RESTJSON("/balanceai/access/v1/usage/1/"+user, &u)
		return u
	}
	usedToday := func(user string) string {
		var c struct {
			UsedToday string `json:"used_today"`
		}
		n.RESTJSON("/balanceai/access/v1/check/1/"+user, &c)
		return c.UsedToday
	}
	served := map[string]int{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("gateway log:\n%s", mustRead(gw.log))
		}
	})

	// 1. A staked user is served; the receipt reaches the chain with the CIDs of the exact
	// bytes, and the node serves those bytes back.
	body := `{"prompt":"hello balanceai"}`
	c := callGateway(t, n, gw.url, "bob", body)
	require.Equal(t, http.StatusOK, c.Status, c.Body)
	served["bob"]++
	require.Contains(t, c.Body, "HELLO BALANCEAI")
	reqCID, _ := cas.CID([]byte(body))
	respCID, _ := cas.CID([]byte(c.Body))
	require.Equal(t, reqCID.String(), c.RequestCID)
	require.Equal(t, respCID.String(), c.ResponseCID)
	for cid, want := range map[string]string{c.RequestCID: body, c.ResponseCID: c.Body} {
		req, _ := http.NewRequest(http.MethodGet, gw.url+"/ipfs/"+cid, nil)
		req.Header.Set("Accept", "application/vnd.ipld.raw")
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		got, _ := io.ReadAll(res.Body)
		res.Body.Close()
		require.Equal(t, "application/vnd.ipld.raw", res.Header.Get("Content-Type"))
		require.Equal(t, want, string(got))
	}
	n.Eventually(60*time.Second, "bob's receipt on chain", func() bool { return len(usage(bob).Receipts) == 1 })
	r := usage(bob).Receipts[0]
	require.Equal(t, []string{bob, c.RequestCID, c.ResponseCID}, []string{r.User, r.RequestCID, r.ResponseCID})
	var q struct {
		Receipts []struct {
			RequestCID string `json:"request_cid"`
		} `json:"receipts"`
	}
	n.Query(&q, "access", "user-usage", "1", bob)
	require.Len(t, q.Receipts, 1)
	require.Equal(t, c.RequestCID, q.Receipts[0].RequestCID)

	// 2. An unstaked user: 403 with the chain's reason.
	c = callGateway(t, n, gw.url, "eve", `{"prompt":"x"}`)
	require.Equal(t, http.StatusForbidden, c.Status)
	require.Contains(t, c.Body, "stake below minimum")

	// 3. Bad signature, replayed nonce, stale timestamp: 401.
	key := secp256k1.GenPrivKeyFromSecret([]byte("gateway-e2e"))
	now := time.Now().Unix()
	status, reason := rawCall(t, gw.url, n.ChainID, `{"a":1}`, key, now, auth.NewNonce(), true)
	require.Equal(t, []any{http.StatusUnauthorized, auth.ReasonBadSignature}, []any{status, reason})
	nonce := auth.NewNonce()
	status, _ = rawCall(t, gw.url, n.ChainID, `{"a":1}`, key, now, nonce, false)
	require.Equal(t, http.StatusForbidden, status) // authenticated; no stake
	status, reason = rawCall(t, gw.url, n.ChainID, `{"a":1}`, key, now, nonce, false)
	require.Equal(t, []any{http.StatusUnauthorized, auth.ReasonReplay}, []any{status, reason})
	status, reason = rawCall(t, gw.url, n.ChainID, `{"a":1}`, key, now-300, auth.NewNonce(), false)
	require.Equal(t, []any{http.StatusUnauthorized, auth.ReasonStale}, []any{status, reason})
	status, reason = rawCall(t, gw.url, "galileo-1", `{"a":1}`, key, now, auth.NewNonce(), false)
	require.Equal(t, []any{http.StatusUnauthorized, auth.ReasonBadSignature}, []any{status, reason})

	// 4. The quota: carol may make 3 requests today; the 4th is refused with Retry-After.
	for i := 0; i < 3; i++ {
		c = callGateway(t, n, gw.url, "carol", fmt.Sprintf(`{"i":%d}`, i))
		require.Equal(t, http.StatusOK, c.Status, c.Body)
		served["carol"]++
	}
	c = callGateway(t, n, gw.url, "carol", `{"i":3}`)
	require.Equal(t, http.StatusTooManyRequests, c.Status, c.Body)

	// 5. The model down: 502, not charged.
	model.stop()
	c = callGateway(t, n, gw.url, "bob", `{"prompt":"anyone?"}`)
	require.Equal(t, http.StatusBadGateway, c.Status, c.Body)
	model.start()
	n.Eventually(60*time.Second, "receipts settled", func() bool {
		return usedToday(bob) == strconv.Itoa(served["bob"]) && usedToday(keys["carol"].Address) == "3"
	})

	// 6. The chain stopped: a caller with a fresh decision is served and its receipt is recorded
	// once the chain is back; a caller without one gets 503.
	c = callGateway(t, n, gw.url, "bob", `{"prompt":"warm the decision"}`)
	require.Equal(t, http.StatusOK, c.Status, c.Body)
	served["bob"]++
	n.Stop()
	c = callGateway(t, n, gw.url, "bob", `{"prompt":"while the chain sleeps"}`)
	require.Equal(t, http.StatusOK, c.Status, c.Body)
	served["bob"]++
	offlineCID := c.RequestCID
	status, reason = rawCall(t, gw.url, n.ChainID, `{"a":2}`, secp256k1.GenPrivKeyFromSecret([]byte("new")), time.Now().Unix(), auth.NewNonce(), false)
	require.Equal(t, []any{http.StatusServiceUnavailable, "chain_unreachable"}, []any{status, reason})
	n.Start()
	n.WaitREST(60 * time.Second)
	n.Eventually(90*time.Second, "the offline receipt on chain", func() bool {
		for _, r := range usage(bob).Receipts {
			if r.RequestCID == offlineCID {
				return true
			}
		}
		return false
	})

	// 7. SIGKILL with a batch in flight, then restart: every served request is recorded
	// exactly once.
	for i := 0; i < 5; i++ {
		c = callGateway(t, n, gw.url, "bob", fmt.Sprintf(`{"burst":%d}`, i))
		require.Equal(t, http.StatusOK, c.Status, c.Body)
		served["bob"]++
	}
	n.Eventually(30*time.Second, "a batch in flight", func() bool { return gw.metric("bai_gateway_receipts_in_flight") > 0 })
	gw.signal(syscall.SIGKILL)
	gw = startGateway(t, n, listen, "http://"+model.addr)
	want := strconv.Itoa(served["bob"])
	n.Eventually(90*time.Second, "used_today = served", func() bool { return usedToday(bob) == want })
	n.WaitHeight(n.Height()+5, 30*time.Second)
	require.Equal(t, want, usedToday(bob), "no record counted twice")
	require.Zero(t, gw.metric("bai_gateway_receipts_queued")+gw.metric("bai_gateway_receipts_in_flight"))

	// A graceful stop flushes and exits 0.
	gw.signal(syscall.SIGTERM)
	require.Equal(t, 0, gw.cmd.ProcessState.ExitCode(), "%s", mustRead(gw.log))
	require.True(t, bytes.Contains([]byte(mustRead(gw.log)), []byte("all receipts committed")))
}

func mustRead(path string) string {
	bz, _ := os.ReadFile(path)
	return string(bz)
}
