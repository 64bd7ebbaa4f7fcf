package gateway

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sync/semaphore"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"github.com/cosmos/cosmos-sdk/types/bech32"

	"github.com/balanceai/balanceai/gateway/auth"
	"github.com/balanceai/balanceai/gateway/cas"
	"github.com/balanceai/balanceai/gateway/queue"
	accesstypes "github.com/balanceai/balanceai/x/access/types"
)

// fakeChain is an in-memory chain: CheckAccess answers per user, and unordered receipt
// transactions that are kept in a mempool until commit() includes them.
type fakeChain struct {
	mu        sync.Mutex
	down      bool
	access    map[string]*accesstypes.QueryCheckAccessResponse
	denied    map[string]bool // users whose records fail on chain
	refusing  map[string]bool // users whose records the chain refuses when simulating a batch
	inactive  map[uint64]bool // listings whose batches the chain refuses (not active)
	mempool   map[string][]byte
	committed map[string]TxResult
	records   []accesstypes.UsageRecord // every record committed
	drop      bool                      // Broadcast loses the transaction
	checkTx   string                    // if set, Broadcast refuses every transaction with this log
	now       time.Time
	params    accesstypes.Params
}

type fakeTx struct {
	Listing uint64                    `json:"listing"`
	Records []accesstypes.UsageRecord `json:"records"`
	Timeout time.Time                 `json:"timeout"`
}

func newFakeChain() *fakeChain {
	return &fakeChain{
		access: map[string]*accesstypes.QueryCheckAccessResponse{}, denied: map[string]bool{},
		refusing: map[string]bool{}, inactive: map[uint64]bool{},
		mempool: map[string][]byte{}, committed: map[string]TxResult{}, now: time.Unix(1767225600, 0),
		params: accesstypes.DefaultParams(),
	}
}

func (f *fakeChain) AccessParams(context.Context) (accesstypes.Params, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return accesstypes.Params{}, fmt.Errorf("connection refused")
	}
	return f.params, nil
}

func (f *fakeChain) CheckAccess(ctx context.Context, _ uint64, user string) (*accesstypes.QueryCheckAccessResponse, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return nil, fmt.Errorf("connection refused")
	}
	res, ok := f.access[user]
	if !ok {
		return &accesstypes.QueryCheckAccessResponse{Reason: "stake below minimum"}, nil
	}
	cp := *res
	used := uint64(0)
	for _, r := range f.records {
		if r.User == user {
			used++
		}
	}
	cp.UsedToday = used
	if !cp.Unlimited && used >= cp.Quota {
		cp.Allowed, cp.Reason = false, reasonQuota
	}
	return &cp, nil
}

func (f *fakeChain) SignUsage(_ context.Context, listing uint64, recs []accesstypes.UsageRecord, timeout time.Time) ([]byte, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return nil, "", fmt.Errorf("connection refused")
	}
	// Signing simulates the transaction first, as the chain client does.
	if max := f.params.MaxReceiptsPerMsg; max > 0 && uint32(len(recs)) > max {
		return nil, "", &RefusedError{Log: fmt.Sprintf("got %d records, max_receipts_per_msg is %d: invalid record count", len(recs), max)}
	}
	if f.inactive[listing] {
		return nil, "", &RefusedError{Log: fmt.Sprintf("listing %d is not active: listing not active", listing)}
	}
	for i, r := range recs {
		if f.refusing[r.User] {
			return nil, "", &RefusedError{Log: fmt.Sprintf("record %d: user %s stake below minimum: access denied", i, r.User)}
		}
	}
	bz, _ := json.Marshal(fakeTx{Listing: listing, Records: recs, Timeout: timeout})
	return bz, fmt.Sprintf("%X", sha256.Sum256(bz)), nil
}

func (f *fakeChain) Broadcast(_ context.Context, tx []byte) (BroadcastResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return BroadcastResult{}, fmt.Errorf("connection refused")
	}
	h := fmt.Sprintf("%X", sha256.Sum256(tx))
	if _, ok := f.committed[h]; ok {
		return BroadcastResult{Code: 32, Log: "failed to add unordered nonce: already used"}, nil
	}
	if _, ok := f.mempool[h]; ok {
		return BroadcastResult{Duplicate: true}, nil
	}
	if f.checkTx != "" {
		return BroadcastResult{Code: 13, Log: f.checkTx}, nil
	}
	if !f.drop {
		f.mempool[h] = tx
	}
	return BroadcastResult{}, nil
}

// commit includes the mempool in a block at the chain's time.
func (f *fakeChain) commit() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for h, bz := range f.mempool {
		var tx fakeTx
		_ = json.Unmarshal(bz, &tx)
		delete(f.mempool, h)
		if tx.Timeout.Before(f.now) {
			continue
		}
		res := TxResult{Found: true}
		for i, r := range tx.Records {
			if f.denied[r.User] {
				res = TxResult{Found: true, Code: 6, Log: fmt.Sprintf("failed to execute message; message index: 0: record %d: user %s stake below minimum: access denied", i, r.User)}
				break
			}
		}
		if res.Code == 0 {
			f.records = append(f.records, tx.Records...)
		}
		f.committed[h] = res
	}
}

func (f *fakeChain) GetTx(_ context.Context, hash string) (TxResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return TxResult{}, fmt.Errorf("connection refused")
	}
	return f.committed[hash], nil
}

func (f *fakeChain) LatestTime(context.Context) (time.Time, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return time.Time{}, fmt.Errorf("connection refused")
	}
	return f.now, nil
}

func (f *fakeChain) advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

func (f *fakeChain) allow(user string, quota uint64) {
	f.mu.Lock()
	f.access[user] = &accesstypes.QueryCheckAccessResponse{Allowed: true, Quota: quota, Day: 20454}
	f.mu.Unlock()
}

func (f *fakeChain) committedRecords() []accesstypes.UsageRecord {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]accesstypes.UsageRecord(nil), f.records...)
}

type caller struct {
	key  *secp256k1.PrivKey
	addr string
}

func newCaller(seed string) caller {
	k := secp256k1.GenPrivKeyFromSecret([]byte(seed))
	addr, _ := bech32.ConvertAndEncode("bai", k.PubKey().Address())
	return caller{key: k, addr: addr}
}

type env struct {
	t        *testing.T
	chain    *fakeChain
	gw       *Gateway
	srv      *httptest.Server
	upstream *httptest.Server
	dir      string
	clock    *time.Time
	cfg      Config
}

const testChainID = "balanceai-test"

func newEnv(t *testing.T, upstream http.HandlerFunc) *env {
	t.Helper()
	e := &env{t: t, chain: newFakeChain(), dir: t.TempDir()}
	e.upstream = httptest.NewServer(upstream)
	t.Cleanup(e.upstream.Close)
	u, _ := url.Parse(e.upstream.URL + "/api")
	e.cfg = DefaultConfig()
	e.cfg.ChainID = testChainID
	e.cfg.Listings = map[uint64]*url.URL{1: u}
	e.cfg.Dir = e.dir
	e.cfg.AccessCacheTTL = 0
	e.cfg.UpstreamTimeout = 500 * time.Millisecond
	e.cfg.BatchSize = 10
	now := e.chain.now
	e.clock = &now
	e.start()
	return e
}

// start (re)creates the gateway on the same directory, as a restarted process would.
func (e *env) start() {
	gw, err := newGateway(e.cfg, e.chain, slog.New(slog.NewTextHandler(io.Discard, nil)), func() time.Time { return *e.clock })
	require.NoError(e.t, err)
	if e.srv != nil {
		e.srv.Close()
	}
	e.gw = gw
	e.srv = httptest.NewServer(gw.Handler())
	e.t.Cleanup(e.srv.Close)
}

func (e *env) tick(d time.Duration) {
	*e.clock = e.clock.Add(d)
	e.chain.advance(d)
}

// sign sets the credential headers of req, signed by c.
func (c caller) sign(t *testing.T, h http.Header, req auth.Request) {
	t.Helper()
	require.NoError(t, auth.SignRequest(h, req, c.addr, func(b []byte) ([]byte, []byte, error) {
		sig, err := c.key.Sign(b)
		return sig, c.key.PubKey().Bytes(), err
	}))
}

// signedRequest is a POST of body to base+path (/listings/<id>/...) signed by c at time ts.
func signedRequest(t *testing.T, c caller, base, path, body string, ts int64) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	listing, _ := strconv.ParseUint(strings.Split(path, "/")[2], 10, 64)
	c.sign(t, req.Header, auth.Request{ChainID: testChainID, ListingID: listing, Method: http.MethodPost,
		Path: req.URL.RequestURI(), Body: []byte(body), Timestamp: ts, Nonce: auth.NewNonce()})
	return req
}

// call sends a request signed by c; edit may change the request after signing.
func (e *env) call(c caller, path, body string, edit func(*http.Request)) (*http.Response, []byte) {
	e.t.Helper()
	req := signedRequest(e.t, c, e.srv.URL, path, body, e.clock.Unix())
	if edit != nil {
		edit(req)
	}
	return e.send(req)
}

// send sends req and returns the answer and its body.
func (e *env) send(req *http.Request) (*http.Response, []byte) {
	e.t.Helper()
	res, err := http.DefaultClient.Do(req)
	require.NoError(e.t, err)
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res, out
}

func echo(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	w.Header().Set("Content-Type", "application/json")
	_, _ = fmt.Fprintf(w, `{"path":%q,"user":%q,"echo":%q}`, r.URL.RequestURI(), r.Header.Get(HeaderUser), body)
}

func reasonOf(t *testing.T, body []byte) string {
	t.Helper()
	var e apiError
	require.NoError(t, json.Unmarshal(body, &e), string(body))
	return e.Reason
}

func TestServedRequestIsStoredAndRecordedOnce(t *testing.T) {
	e := newEnv(t, echo)
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 10)

	res, body := e.call(bob, "/listings/1/v1/completions?x=1", `{"prompt":"hi"}`, nil)
	require.Equal(t, http.StatusOK, res.StatusCode, string(body))
	require.Contains(t, string(body), `"path":"/api/v1/completions?x=1"`)
	require.Contains(t, string(body), bob.addr)
	reqCID, _ := cas.CID([]byte(`{"prompt":"hi"}`))
	respCID, _ := cas.CID(body)
	require.Equal(t, reqCID.String(), res.Header.Get(HeaderRequestCID))
	require.Equal(t, respCID.String(), res.Header.Get(HeaderResponseCID))

	// Both bodies are served back as raw blocks.
	for c, want := range map[string][]byte{reqCID.String(): []byte(`{"prompt":"hi"}`), respCID.String(): body} {
		r, err := http.Get(e.srv.URL + "/ipfs/" + c)
		require.NoError(t, err)
		got, _ := io.ReadAll(r.Body)
		r.Body.Close()
		require.Equal(t, want, got)
	}

	// The record is on disk before the answer; a flush sends it, the commit settles it.
	p, f, _ := e.gw.queue.Counts()
	require.Equal(t, []int{1, 0}, []int{p, f})
	require.NoError(t, e.gw.Flush(context.Background(), true))
	p, f, _ = e.gw.queue.Counts()
	require.Equal(t, []int{0, 1}, []int{p, f})
	e.chain.commit()
	require.NoError(t, e.gw.Flush(context.Background(), true))
	p, f, _ = e.gw.queue.Counts()
	require.Equal(t, []int{0, 0}, []int{p, f})
	require.Equal(t, []accesstypes.UsageRecord{{User: bob.addr, RequestCid: reqCID.String(), ResponseCid: respCID.String(), Units: 1}},
		e.chain.committedRecords())

	// Flushing again sends nothing more.
	require.NoError(t, e.gw.Flush(context.Background(), true))
	e.chain.commit()
	require.Len(t, e.chain.committedRecords(), 1)
}

func TestRefusals(t *testing.T) {
	slow := make(chan struct{})
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/slow":
			select {
			case <-slow:
			case <-time.After(5 * time.Second):
			}
		case "/api/broken":
			w.WriteHeader(http.StatusInternalServerError)
		case "/api/bad-input":
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":"prompt required"}`))
		default:
			echo(w, r)
		}
	})
	bob, eve := newCaller("bob"), newCaller("eve")
	e.chain.allow(bob.addr, 100)

	// Authentication.
	res, body := e.call(bob, "/listings/1/x", `{}`, func(r *http.Request) {
		r.Header.Set(auth.HeaderSignature, r.Header.Get(auth.HeaderSignature)[:10]+"AAAA"+r.Header.Get(auth.HeaderSignature)[14:])
	})
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
	require.Equal(t, auth.ReasonBadSignature, reasonOf(t, body))
	res, body = e.call(bob, "/listings/1/x", `{}`, func(r *http.Request) { r.Header.Del(auth.HeaderNonce) })
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
	require.Equal(t, auth.ReasonMissing, reasonOf(t, body))
	res, body = e.call(bob, "/listings/1/x", `{}`, func(r *http.Request) { r.Header.Set(auth.HeaderAddress, eve.addr) })
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
	require.Equal(t, auth.ReasonKeyMismatch, reasonOf(t, body))
	var replayed http.Header
	res, _ = e.call(bob, "/listings/1/x", `{}`, func(r *http.Request) { replayed = r.Header.Clone() })
	require.Equal(t, http.StatusOK, res.StatusCode)
	res, body = e.call(bob, "/listings/1/x", `{}`, func(r *http.Request) { r.Header = replayed })
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
	require.Equal(t, auth.ReasonReplay, reasonOf(t, body))
	*e.clock = e.clock.Add(-2 * time.Minute) // the caller signs with a clock two minutes behind
	res, body = e.call(bob, "/listings/1/x", `{}`, nil)
	*e.clock = e.clock.Add(2 * time.Minute)
	require.Equal(t, http.StatusOK, res.StatusCode) // the gateway shares the test clock: in window

	// Access.
	res, body = e.call(eve, "/listings/1/x", `{}`, nil)
	require.Equal(t, http.StatusForbidden, res.StatusCode)
	require.Equal(t, "stake_below_minimum", reasonOf(t, body))
	res, body = e.call(bob, "/listings/2/x", `{}`, nil)
	require.Equal(t, http.StatusNotFound, res.StatusCode, string(body))

	// Upstream failures are not charged.
	before, _, _ := e.gw.queue.Counts()
	res, body = e.call(bob, "/listings/1/slow", `{}`, nil)
	require.Equal(t, http.StatusGatewayTimeout, res.StatusCode, string(body))
	close(slow)
	res, _ = e.call(bob, "/listings/1/broken", `{}`, nil)
	require.Equal(t, http.StatusBadGateway, res.StatusCode)
	res, body = e.call(bob, "/listings/1/bad-input", `{}`, nil)
	require.Equal(t, http.StatusBadRequest, res.StatusCode)
	require.Contains(t, string(body), "prompt required")
	e.upstream.Close()
	res, _ = e.call(bob, "/listings/1/x", `{}`, nil)
	require.Equal(t, http.StatusBadGateway, res.StatusCode)
	after, _, _ := e.gw.queue.Counts()
	require.Equal(t, before, after, "no receipt for a request the model did not serve")
	require.Zero(t, e.gw.access.pending[userKey{1, bob.addr}]-uint64(after))

	// The chain unreachable: 503 for callers without a fresh decision.
	e.chain.mu.Lock()
	e.chain.down = true
	e.chain.mu.Unlock()
	res, body = e.call(bob, "/listings/1/x", `{}`, nil)
	require.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
	require.Equal(t, "chain_unreachable", reasonOf(t, body))
	hres, err := http.Get(e.srv.URL + "/healthz")
	require.NoError(t, err)
	hres.Body.Close()
	require.Equal(t, http.StatusServiceUnavailable, hres.StatusCode)
}

func TestStaleTimestampRefused(t *testing.T) {
	e := newEnv(t, echo)
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 100)
	req := signedRequest(t, bob, e.srv.URL, "/listings/1/x", `{}`, e.clock.Add(-61*time.Second).Unix())
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
	require.Equal(t, auth.ReasonStale, reasonOf(t, body))
}

func TestQuotaCountsRequestsNotYetRecorded(t *testing.T) {
	e := newEnv(t, echo)
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 2)
	e.cfg.AccessCacheTTL = time.Hour
	for i := 0; i < 2; i++ {
		res, body := e.call(bob, "/listings/1/x", `{}`, nil)
		require.Equal(t, http.StatusOK, res.StatusCode, string(body))
	}
	// The chain still says 0 used: the gateway's own count refuses the third.
	res, body := e.call(bob, "/listings/1/x", `{}`, nil)
	require.Equal(t, http.StatusTooManyRequests, res.StatusCode)
	require.Equal(t, "quota_exhausted", reasonOf(t, body))
	require.Contains(t, string(body), "(0 recorded today, 2 served and not yet recorded)")
	day := int64(20454)
	require.Equal(t, fmt.Sprint((day+1)*86400-e.clock.Unix()), res.Header.Get("Retry-After"))

	// Once recorded, the chain's count says the same.
	require.NoError(t, e.gw.Flush(context.Background(), true))
	e.chain.commit()
	require.NoError(t, e.gw.Flush(context.Background(), true))
	res, _ = e.call(bob, "/listings/1/x", `{}`, nil)
	require.Equal(t, http.StatusTooManyRequests, res.StatusCode)
	require.Len(t, e.chain.committedRecords(), 2)
}

// TestExactlyOnceAcrossRestarts kills the gateway with a batch in flight, in the three
// situations a crash can leave: committed meanwhile, still in the mempool, lost.
func TestExactlyOnceAcrossRestarts(t *testing.T) {
	e := newEnv(t, echo)
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 100)
	served := 0
	serve := func(n int) {
		for i := 0; i < n; i++ {
			res, body := e.call(bob, "/listings/1/x", fmt.Sprintf(`{"i":%d}`, served), nil)
			require.Equal(t, http.StatusOK, res.StatusCode, string(body))
			served++
		}
	}
	ctx := context.Background()

	// 1. Sent, then the process dies; the block commits while it is down.
	serve(3)
	require.NoError(t, e.gw.Flush(ctx, true))
	e.start()
	e.chain.commit()
	require.NoError(t, e.gw.Flush(ctx, true))
	e.chain.commit()
	require.Len(t, e.chain.committedRecords(), served)

	// 2. Sent and still in the mempool at restart: not signed again; sent again it is a
	// duplicate, then commits once.
	serve(2)
	require.NoError(t, e.gw.Flush(ctx, true))
	e.start()
	e.tick(rebroadcastAfter)
	require.NoError(t, e.gw.Flush(ctx, true))
	e.chain.commit()
	require.NoError(t, e.gw.Flush(ctx, true))
	require.Len(t, e.chain.committedRecords(), served)

	// 3. The node lost the transaction: it is resent only once its timeout has passed in
	// block time, as a new transaction.
	e.chain.drop = true
	serve(2)
	require.NoError(t, e.gw.Flush(ctx, true))
	e.start()
	e.chain.drop = false
	e.chain.mu.Lock()
	e.chain.mempool = map[string][]byte{}
	e.chain.mu.Unlock()
	require.NoError(t, e.gw.Flush(ctx, true)) // not found, not expired: wait
	_, inFlight, _ := e.gw.queue.Counts()
	require.Equal(t, 2, inFlight)
	e.tick(e.cfg.ReceiptTTL + indexMargin + time.Second)
	require.NoError(t, e.gw.Flush(ctx, true)) // expired: requeued and sent anew
	e.chain.commit()
	require.NoError(t, e.gw.Flush(ctx, true))
	require.Len(t, e.chain.committedRecords(), served)
	p, f, _ := e.gw.queue.Counts()
	require.Equal(t, []int{0, 0}, []int{p, f})
}

func TestRefusedRecordDoesNotLoseTheOthers(t *testing.T) {
	e := newEnv(t, echo)
	bob, carol := newCaller("bob"), newCaller("carol")
	e.chain.allow(bob.addr, 100)
	e.chain.allow(carol.addr, 100)
	for _, c := range []caller{bob, carol, bob} {
		res, _ := e.call(c, "/listings/1/x", `{}`, nil)
		require.Equal(t, http.StatusOK, res.StatusCode)
	}
	e.chain.denied[carol.addr] = true // carol unbonded before the receipts reached the chain
	ctx := context.Background()
	require.NoError(t, e.gw.Flush(ctx, true))
	e.chain.commit()
	require.NoError(t, e.gw.Flush(ctx, true)) // failed: requeued without carol's record, resent
	e.chain.commit()
	require.NoError(t, e.gw.Flush(ctx, true))
	recs := e.chain.committedRecords()
	require.Len(t, recs, 2)
	for _, r := range recs {
		require.Equal(t, bob.addr, r.User)
	}
	p, f, _ := e.gw.queue.Counts()
	require.Equal(t, []int{0, 0}, []int{p, f})
	require.EqualValues(t, 1, testutilCounter(e.gw.metrics.rejected))
}

func TestConfigValidate(t *testing.T) {
	u, _ := url.Parse("http://127.0.0.1:8000")
	ok := DefaultConfig()
	ok.ChainID, ok.Dir, ok.Listings = "c", "/tmp/x", map[uint64]*url.URL{1: u}
	require.NoError(t, ok.Validate())
	for name, edit := range map[string]func(*Config){
		"no chain":     func(c *Config) { c.ChainID = "" },
		"no listings":  func(c *Config) { c.Listings = nil },
		"ttl too long": func(c *Config) { c.ReceiptTTL = 11 * time.Minute },
		"batch zero":   func(c *Config) { c.BatchSize = 0 },
		"bad upstream": func(c *Config) { c.Listings = map[uint64]*url.URL{1: {Scheme: "ftp", Host: "x"}} },
	} {
		c := ok
		edit(&c)
		require.Error(t, c.Validate(), name)
	}
}

// TestMetricsOnTheirOwnListener: with MetricsListen set, the callers' routes have no /metrics
// and MetricsHandler serves the same metrics; MetricsListen may not be the callers' address.
func TestMetricsOnTheirOwnListener(t *testing.T) {
	e := newEnv(t, echo)
	e.cfg.MetricsListen = "127.0.0.1:0"
	e.start()
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 100)
	e.call(bob, "/listings/1/x", `{}`, nil)
	res, err := http.Get(e.srv.URL + "/metrics")
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusNotFound, res.StatusCode)
	metrics := httptest.NewServer(e.gw.MetricsHandler())
	defer metrics.Close()
	res, err = http.Get(metrics.URL + "/metrics")
	require.NoError(t, err)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, string(body), `bai_gateway_requests_total{outcome="served"} 1`)

	same := e.cfg
	same.MetricsListen = same.Listen
	require.ErrorContains(t, same.Validate(), "metrics-listen must differ from listen")
}

func TestMetricsExposed(t *testing.T) {
	e := newEnv(t, echo)
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 100)
	e.call(bob, "/listings/1/x", `{}`, nil)
	e.call(newCaller("eve"), "/listings/1/x", `{}`, nil)
	res, err := http.Get(e.srv.URL + "/metrics")
	require.NoError(t, err)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{
		`bai_gateway_requests_total{outcome="served"} 1`,
		`bai_gateway_requests_total{outcome="forbidden"} 1`,
		`bai_gateway_refusals_total{reason="stake_below_minimum"} 1`,
		`bai_gateway_receipts_queued 1`,
		`bai_gateway_upstream_seconds_count 1`,
	} {
		require.True(t, bytes.Contains(body, []byte(want)), "missing %s in\n%s", want, body)
	}
}

// TestSignedPathIsTheRequestTarget signs the path as a browser sends it: characters such as
// '|' and '^' unescaped, which Go would re-encode when parsing.
func TestSignedPathIsTheRequestTarget(t *testing.T) {
	e := newEnv(t, echo)
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 10)
	addr := strings.TrimPrefix(e.srv.URL, "http://")
	path := "/listings/1/v1/a|b^c?x=1|2"
	body := `{}`
	signed := auth.Request{ChainID: testChainID, ListingID: 1, Method: "POST", Path: path, Body: []byte(body),
		Timestamp: e.clock.Unix(), Nonce: auth.NewNonce()}
	h := http.Header{}
	bob.sign(t, h, signed)
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	var raw bytes.Buffer
	fmt.Fprintf(&raw, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\nConnection: close\r\n", path, addr, len(body))
	for k, v := range h {
		fmt.Fprintf(&raw, "%s: %s\r\n", k, v[0])
	}
	raw.WriteString("\r\n" + body)
	_, err = conn.Write(raw.Bytes())
	require.NoError(t, err)
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	out, _ := io.ReadAll(res.Body)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode, string(out))
}

func TestUnitsFromTheModelAreCapped(t *testing.T) {
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(HeaderUnits, r.URL.Query().Get("units"))
		_, _ = w.Write([]byte("ok"))
	})
	e.cfg.MaxUnits = 1000
	e.start()
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 10)
	for _, units := range []string{"7", "18446744073709551615", "", "zero"} {
		res, _ := e.call(bob, "/listings/1/x?units="+units, `{}`, nil)
		require.Equal(t, http.StatusOK, res.StatusCode)
	}
	var got []uint64
	for _, r := range e.gw.queue.Pending() {
		got = append(got, r.Units)
	}
	require.Equal(t, []uint64{7, 1000, 1, 1}, got)
}

// TestRecordRefusedWhenSimulated: a record the chain refuses when the batch is simulated (its
// user unbonded before the receipts were sent) is rejected, and the others are recorded; a
// listing whose batches the chain refuses does not hold back another listing's receipts.
func TestRecordRefusedWhenSimulated(t *testing.T) {
	e := newEnv(t, echo)
	u2, _ := url.Parse(e.upstream.URL + "/api2")
	e.cfg.Listings[2] = u2
	e.start()
	bob, carol := newCaller("bob"), newCaller("carol")
	e.chain.allow(bob.addr, 100)
	e.chain.allow(carol.addr, 100)
	for _, c := range []caller{bob, carol, bob} {
		res, _ := e.call(c, "/listings/1/x", `{}`, nil)
		require.Equal(t, http.StatusOK, res.StatusCode)
	}
	res, _ := e.call(bob, "/listings/2/x", `{}`, nil)
	require.Equal(t, http.StatusOK, res.StatusCode)
	e.chain.refusing[carol.addr] = true
	e.chain.inactive[2] = true
	ctx := context.Background()
	// Listing 2's refusal is reported (it degrades /healthz) and the other listing's records
	// are still sent: a refusal is not an unreachable chain.
	require.ErrorContains(t, e.gw.Flush(ctx, true), "receipts for listing 2 refused by the chain")
	e.chain.commit()
	require.ErrorContains(t, e.gw.Flush(ctx, true), "receipts for listing 2 refused by the chain")
	recs := e.chain.committedRecords()
	require.Len(t, recs, 2)
	for _, r := range recs {
		require.Equal(t, bob.addr, r.User)
	}
	p, f, _ := e.gw.queue.Counts()
	require.Equal(t, []int{1, 0}, []int{p, f}, "listing 2's record waits for its listing")
	require.EqualValues(t, 1, testutilCounter(e.gw.metrics.rejected))
	require.Zero(t, e.gw.access.pending[userKey{1, carol.addr}], "carol's refused record is no longer pending")
	rejected, err := os.ReadDir(filepath.Join(e.dir, "queue", "rejected"))
	require.NoError(t, err)
	require.Len(t, rejected, 1)

	// Once listing 2 is active again, its record is recorded.
	e.chain.inactive[2] = false
	require.NoError(t, e.gw.Flush(ctx, true))
	e.chain.commit()
	require.NoError(t, e.gw.Flush(ctx, true))
	require.Len(t, e.chain.committedRecords(), 3)
}

// TestAddressCaseSharesOneQuota: an address written in upper case is the same account, with
// the same quota.
func TestAddressCaseSharesOneQuota(t *testing.T) {
	e := newEnv(t, echo)
	bob := newCaller("bob")
	bobUpper := caller{key: bob.key, addr: strings.ToUpper(bob.addr)}
	e.chain.allow(bob.addr, 2)
	for _, c := range []caller{bob, bobUpper} {
		res, body := e.call(c, "/listings/1/x", `{}`, nil)
		require.Equal(t, http.StatusOK, res.StatusCode, string(body))
		require.Contains(t, string(body), fmt.Sprintf(`"user":%q`, bob.addr), "the model sees the canonical address")
	}
	res, body := e.call(bobUpper, "/listings/1/x", `{}`, nil)
	require.Equal(t, http.StatusTooManyRequests, res.StatusCode, string(body))
}

// TestPathStaysUnderTheUpstream: "." and ".." segments, encoded or not, are refused before
// anything reaches the model, and a redirect from the model is passed back, not followed.
func TestPathStaysUnderTheUpstream(t *testing.T) {
	var calls atomic.Int32
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.URL.Path == "/api/moved" {
			http.Redirect(w, r, "/admin/secret", http.StatusFound)
			return
		}
		echo(w, r)
	})
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 100)
	for _, p := range []string{"/listings/1/%2e%2e/admin/secret", "/listings/1/a/%2E%2E/%2e%2e/x", "/listings/1/%2e/x",
		"/listings/1/..;x=1/admin", "/listings/1/%2e%2e;/admin", "/listings/1/a/..%5Cadmin", "/listings/1/a%5C..%5Cadmin"} {
		res, body := e.call(bob, p, `{}`, nil)
		require.Equal(t, http.StatusBadRequest, res.StatusCode, p)
		require.Equal(t, "bad_path", reasonOf(t, body))
	}
	require.Zero(t, calls.Load())
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(signedRequest(t, bob, e.srv.URL, "/listings/1/moved", `{}`, e.clock.Unix()))
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusFound, res.StatusCode)
	require.Empty(t, res.Header.Get("Location"), "a location outside the listing's upstream is not passed")
	require.Equal(t, int32(1), calls.Load(), "the redirect was not followed")
	p, _, _ := e.gw.queue.Counts()
	require.Zero(t, p, "a redirect is not charged")
}

// TestModelLocationsMappedUnderTheListing: a redirect or a created resource under the listing's
// upstream is given to the caller under /listings/<id>/, where it can be called; a location on
// another host is passed as is; one elsewhere on the model's host is dropped.
func TestModelLocationsMappedUnderTheListing(t *testing.T) {
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/jobs":
			w.Header().Set("Location", "results/8?fmt=json")
			w.WriteHeader(http.StatusCreated)
		case "/api/old":
			http.Redirect(w, r, "/api/new/path", http.StatusSeeOther)
		case "/api/away":
			http.Redirect(w, r, "https://models.example.org/v1/x", http.StatusFound)
		default:
			echo(w, r)
		}
	})
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 100)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for path, want := range map[string]struct {
		status   int
		location string
	}{
		"/listings/1/jobs": {http.StatusCreated, "/listings/1/results/8?fmt=json"},
		"/listings/1/old":  {http.StatusSeeOther, "/listings/1/new/path"},
		"/listings/1/away": {http.StatusFound, "https://models.example.org/v1/x"},
	} {
		res, err := client.Do(signedRequest(t, bob, e.srv.URL, path, `{}`, e.clock.Unix()))
		require.NoError(t, err)
		res.Body.Close()
		require.Equal(t, want.status, res.StatusCode, path)
		require.Equal(t, want.location, res.Header.Get("Location"), path)
	}
}

func TestCallerLocation(t *testing.T) {
	upstream, _ := url.Parse("http://10.0.0.7:8000/v1/")
	called, _ := url.Parse("http://10.0.0.7:8000/v1/chat/completions?stream=false")
	for loc, want := range map[string]string{
		"":                                 "",
		"/v1/results/3":                    "/listings/4/results/3",
		"result#part":                      "/listings/4/chat/result#part",
		"../models?x=1":                    "/listings/4/models?x=1",
		"http://10.0.0.7:8000/v1/a%2Fb":    "", // the node would call /v1/a/b
		"/v1":                              "",
		"/v10/x":                           "",
		"/admin":                           "",
		"../../etc/passwd":                 "",
		"https://10.0.0.7:8000/v1/x":       "",
		"http://cdn.example.com/file.bin":  "http://cdn.example.com/file.bin",
		"//cdn.example.com/file.bin":       "http://cdn.example.com/file.bin",
		"http://u:pw@cdn.example.com/x":    "http://cdn.example.com/x",
		"javascript:alert(1)":              "",
		"ftp://cdn.example.com/x":          "",
		"http://[::1]:namedport":           "",
		"http://10.0.0.7:8000/v1/../admin": "",
		"/v1/a/../../admin":                "",
		"HTTP://10.0.0.7:8000/v1/up":       "/listings/4/up",
		"http://10.0.0.8:8000/v1/x":        "", // the model's network
		"http://127.0.0.1:9000/x":          "",
		"http://[fe80::1]/x":               "",
		"http://localhost/x":               "",
		"http://model-b:8000/x":            "",
	} {
		require.Equal(t, want, callerLocation(loc, called, upstream, 4), loc)
	}

	// The upstream's host however spelled.
	for up, locs := range map[string][]string{
		"http://Model.Example.:80/v1/": {"http://model.example/v1/x", "http://MODEL.example:80/v1/x", "http://model.example./v1/x"},
		"http://[fd00::7]:8000/v1/":    {"http://[fd00:0::7]:8000/v1/x", "http://[FD00::0007]:8000/v1/x"},
		"https://model.example/v1":     {"https://model.example:443/v1/x"},
	} {
		u, _ := url.Parse(up)
		for _, loc := range locs {
			require.Equal(t, "/listings/4/x", callerLocation(loc, u, u, 4), loc)
		}
		require.Empty(t, callerLocation(strings.Replace(locs[0], "/v1/x", "/admin", 1), u, u, 4))
	}
}

// TestCredentialsCheckedBeforeTheBody: a request without credentials, or with a timestamp out
// of the window, is refused without its body being read.
func TestCredentialsCheckedBeforeTheBody(t *testing.T) {
	e := newEnv(t, echo)
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 100)
	// A request whose announced 8 MiB body never comes: the answer comes only if the gateway
	// does not wait for the body.
	conn, err := net.Dial("tcp", e.srv.Listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	_, err = fmt.Fprintf(conn, "POST /listings/1/x HTTP/1.1\r\nHost: gw\r\nContent-Length: %d\r\n\r\n", 8<<20)
	require.NoError(t, err)
	res, body := readAnswer(t, conn) // an answer before the body
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
	require.Equal(t, auth.ReasonMissing, reasonOf(t, body))

	big := strings.Repeat("x", int(e.cfg.MaxBodyBytes)+1)
	res, body = e.call(bob, "/listings/1/x", big, func(r *http.Request) {
		r.Header.Set(auth.HeaderTimestamp, strconv.FormatInt(e.clock.Unix()-3600, 10))
	})
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
	require.Equal(t, auth.ReasonStale, reasonOf(t, body))
	// With valid credentials the size limit applies.
	res, _ = e.call(bob, "/listings/1/x", big, nil)
	require.Equal(t, http.StatusRequestEntityTooLarge, res.StatusCode)
}

// newHoldingEnv is an env serving maxConcurrent calls at once whose model tells each call's
// arrival on arrived and answers once release is closed.
func newHoldingEnv(t *testing.T, maxConcurrent int) (e *env, arrived, release chan struct{}) {
	arrived, release = make(chan struct{}, 4), make(chan struct{})
	e = newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-release
		echo(w, r)
	})
	e.cfg.MaxConcurrent = maxConcurrent
	e.cfg.UpstreamTimeout = 10 * time.Second
	e.start()
	return e, arrived, release
}

// TestConcurrentCallsBounded: beyond max-concurrent-requests calls at once, a call is refused
// with 503 and Retry-After; a freed place serves the next one.
func TestConcurrentCallsBounded(t *testing.T) {
	e, arrived, release := newHoldingEnv(t, 2)
	bob, carol, dave := newCaller("bob"), newCaller("carol"), newCaller("dave")
	for _, c := range []caller{bob, carol, dave} {
		e.chain.allow(c.addr, 100)
	}
	done := make(chan int, 2)
	for _, c := range []caller{bob, carol} {
		go func() {
			res, _ := e.call(c, "/listings/1/x", `{}`, nil)
			done <- res.StatusCode
		}()
	}
	<-arrived
	<-arrived
	res, body := e.call(dave, "/listings/1/x", `{}`, nil)
	require.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
	require.Equal(t, "busy", reasonOf(t, body))
	require.Equal(t, "1", res.Header.Get("Retry-After"))
	close(release)
	require.Equal(t, http.StatusOK, <-done)
	require.Equal(t, http.StatusOK, <-done)
	res, _ = e.call(dave, "/listings/1/x", `{}`, nil)
	require.Equal(t, http.StatusOK, res.StatusCode)
}

// TestOneCallerHoldsAShareOfTheCallSlots: a call holds its slot until its answer is written, so
// one caller may have only an eighth of max-concurrent-requests calls in progress: the others
// are still served.
func TestOneCallerHoldsAShareOfTheCallSlots(t *testing.T) {
	e, arrived, release := newHoldingEnv(t, 16) // 2 calls per caller
	bob, carol := newCaller("bob"), newCaller("carol")
	e.chain.allow(bob.addr, 100)
	e.chain.allow(carol.addr, 100)
	done := make(chan int, 3)
	for range 2 {
		go func() {
			res, _ := e.call(bob, "/listings/1/x", `{}`, nil)
			done <- res.StatusCode
		}()
	}
	<-arrived
	<-arrived
	res, body := e.call(bob, "/listings/1/x", `{}`, nil)
	require.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
	require.Equal(t, "busy", reasonOf(t, body))
	require.Contains(t, string(body), "has 2 calls in progress")
	go func() {
		res, _ := e.call(carol, "/listings/1/x", `{}`, nil)
		done <- res.StatusCode
	}()
	<-arrived // carol's call reached the model
	close(release)
	for range 3 {
		require.Equal(t, http.StatusOK, <-done)
	}
	res, _ = e.call(bob, "/listings/1/x", `{}`, nil)
	require.Equal(t, http.StatusOK, res.StatusCode, "bob's calls are over: served again")
}

// TestRunRefusesRequestsSignedBeforeItStarted: a restarted node has forgotten the nonces it
// saw, so a request signed before it started, or in the second it started (which could be a
// captured one, replayed), is refused; one signed since is served.
func TestRunRefusesRequestsSignedBeforeItStarted(t *testing.T) {
	for _, restartAfter := range []time.Duration{5 * time.Second, 0} {
		runRefusesRequestsSignedBefore(t, restartAfter)
	}
}

func runRefusesRequestsSignedBefore(t *testing.T, restartAfter time.Duration) {
	e := newEnv(t, echo)
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 100)
	var captured http.Header
	res, _ := e.call(bob, "/listings/1/x", `{}`, func(r *http.Request) { captured = r.Header.Clone() })
	require.Equal(t, http.StatusOK, res.StatusCode)

	// The node restarts later within the timestamp window, or within the same second.
	e.tick(restartAfter)
	e.start()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- e.gw.Run(ctx, ln, 500*time.Millisecond) }()
	defer func() {
		cancel()
		require.NoError(t, <-ran)
	}()
	url := "http://" + ln.Addr().String()
	var res2 *http.Response
	require.Eventually(t, func() bool {
		req, _ := http.NewRequest(http.MethodPost, url+"/listings/1/x", strings.NewReader(`{}`))
		req.Header = captured.Clone()
		res2, err = http.DefaultClient.Do(req)
		return err == nil
	}, 5*time.Second, 20*time.Millisecond)
	body, _ := io.ReadAll(res2.Body)
	res2.Body.Close()
	require.Equal(t, http.StatusUnauthorized, res2.StatusCode, string(body))
	require.Equal(t, auth.ReasonStale, reasonOf(t, body))
	require.Contains(t, string(body), "before this node started")

	e.tick(time.Second)
	res3, err := http.DefaultClient.Do(signedRequest(t, bob, url, "/listings/1/x", `{}`, e.clock.Unix()))
	require.NoError(t, err)
	res3.Body.Close()
	require.Equal(t, http.StatusOK, res3.StatusCode)
}

// fakeKubo is a Kubo RPC that records the blocks put on it; while hold is open, it answers
// nothing.
type fakeKubo struct {
	mu   sync.Mutex
	cids []string
	hold chan struct{}
}

func (k *fakeKubo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if k.hold != nil {
		<-k.hold
	}
	if r.URL.Path != "/api/v0/block/put" || r.URL.Query().Get("pin") != "true" || r.URL.Query().Get("cid-codec") != "raw" ||
		r.URL.Query().Get("allow-big-block") != "true" {
		http.Error(w, "unexpected call "+r.URL.String(), http.StatusBadRequest)
		return
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	data, _ := io.ReadAll(f)
	c, _ := cas.CID(data)
	k.mu.Lock()
	k.cids = append(k.cids, c.String())
	k.mu.Unlock()
	_, _ = fmt.Fprintf(w, `{"Key":%q,"Size":%d}`, c.String(), len(data))
}

func (k *fakeKubo) pinned() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]string(nil), k.cids...)
}

func TestServedBlocksArePinnedOnTheIPFSNode(t *testing.T) {
	kubo := &fakeKubo{}
	ipfs := httptest.NewServer(kubo)
	t.Cleanup(ipfs.Close)
	e := newEnv(t, echo)
	e.cfg.IPFSAPI = ipfs.URL + "/"
	e.start()
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 10)

	res, body := e.call(bob, "/listings/1/v1/completions", `{"prompt":"pin me"}`, nil)
	require.Equal(t, http.StatusOK, res.StatusCode, string(body))
	want := []string{res.Header.Get(HeaderRequestCID), res.Header.Get(HeaderResponseCID)}
	require.Eventually(t, func() bool { return len(kubo.pinned()) == 2 }, 10*time.Second, 10*time.Millisecond)
	require.ElementsMatch(t, want, kubo.pinned())
	// Counted once Kubo's answer is back.
	require.Eventually(t, func() bool { return testutilCounter(e.gw.metrics.pins.WithLabelValues("pinned")) == 2 },
		10*time.Second, 10*time.Millisecond)
}

// TestUnresponsiveIPFSNodeHoldsBoundedBlocks: an IPFS node that does not answer delays no call,
// and the gateway holds at most its pin queue of blocks for it; the rest are counted as dropped
// (they stay in the gateway's own store).
func TestUnresponsiveIPFSNodeHoldsBoundedBlocks(t *testing.T) {
	kubo := &fakeKubo{hold: make(chan struct{})}
	ipfs := httptest.NewServer(kubo)
	t.Cleanup(ipfs.Close)
	released := false
	release := func() {
		if !released {
			released = true
			close(kubo.hold)
		}
	}
	t.Cleanup(release)
	e := newEnv(t, echo)
	e.cfg.IPFSAPI = ipfs.URL
	e.start()
	bob := newCaller("bob")
	const calls = pinQueueSize/2 + 10
	e.chain.allow(bob.addr, calls)

	for i := range calls {
		res, body := e.call(bob, "/listings/1/v1/completions", fmt.Sprintf(`{"prompt":"call %d"}`, i), nil)
		require.Equal(t, http.StatusOK, res.StatusCode, string(body))
	}
	dropped := testutilCounter(e.gw.metrics.pins.WithLabelValues("dropped"))
	// Two blocks a call; the queue holds pinQueueSize and each worker one more.
	require.GreaterOrEqual(t, dropped, float64(2*calls-pinQueueSize-pinWorkers))
	require.LessOrEqual(t, dropped, float64(2*calls-pinQueueSize))
	require.Empty(t, kubo.pinned())

	release()
	require.Eventually(t, func() bool {
		return float64(len(kubo.pinned())) == 2*calls-dropped
	}, 30*time.Second, 20*time.Millisecond)
	require.Eventually(t, func() bool { return testutilCounter(e.gw.metrics.pins.WithLabelValues("pinned")) == 2*calls-dropped },
		10*time.Second, 10*time.Millisecond, "counted once Kubo's answers are back")
}

// slowChecker answers CheckAccess with used_today from the chain's count; before answering, the
// first call runs during (a record committed while the answer was on its way).
type slowChecker struct {
	mu     sync.Mutex
	used   uint64
	calls  int
	during func()
}

func (s *slowChecker) CheckAccess(context.Context, uint64, string) (*accesstypes.QueryCheckAccessResponse, error) {
	s.mu.Lock()
	used := s.used
	s.calls++
	during := s.during
	s.during = nil
	s.mu.Unlock()
	if during != nil {
		during() // the answer read used_today before this commit
	}
	return &accesstypes.QueryCheckAccessResponse{Allowed: true, Quota: 3, UsedToday: used}, nil
}

// TestAccessAnswerFetchedAcrossACommitIsNotKept: a CheckAccess answer read before one of the
// user's records was committed, and arriving after the gateway released that record's
// reservation, would undercount the user's use for a whole cache TTL. It is fetched again.
func TestAccessAnswerFetchedAcrossACommitIsNotKept(t *testing.T) {
	chain := &slowChecker{}
	now := time.Unix(1767225600, 0)
	a := newAccessCache(chain, time.Minute, func() time.Time { return now }, 4)

	// Two requests served; their records are pending.
	for range 2 {
		v, _, err := a.check(context.Background(), 1, "bob")
		require.NoError(t, err)
		require.True(t, v.allowed)
	}
	// The cached answer expires; the next fetch reads used_today = 0, and while it is on its way
	// both records are committed (the chain now counts 2) and their reservations released.
	now = now.Add(2 * time.Minute)
	chain.during = func() {
		chain.mu.Lock()
		chain.used = 2
		chain.mu.Unlock()
		a.recorded(1, "bob")
		a.recorded(1, "bob")
	}
	v, _, err := a.check(context.Background(), 1, "bob")
	require.NoError(t, err)
	require.True(t, v.allowed, "the third of 3")
	require.Equal(t, 2, chain.calls-1, "the answer read before the commits was fetched again")

	v, _, err = a.check(context.Background(), 1, "bob")
	require.NoError(t, err)
	require.False(t, v.allowed, "2 committed and 1 pending use the quota of 3")
	require.True(t, v.quota)
}

// TestBlocksRetention: with blocks-retention, a sweep removes the blocks last written longer
// ago than it, except those of records not yet committed.
func TestBlocksRetention(t *testing.T) {
	e := newEnv(t, echo)
	e.cfg.BlocksRetention = 24 * time.Hour
	e.start()
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 10)

	res, body := e.call(bob, "/listings/1/x", `{"call":1}`, nil)
	require.Equal(t, http.StatusOK, res.StatusCode, string(body))
	committed := []string{res.Header.Get(HeaderRequestCID), res.Header.Get(HeaderResponseCID)}
	require.NoError(t, e.gw.Flush(context.Background(), true))
	e.chain.commit()
	require.NoError(t, e.gw.Flush(context.Background(), true))

	res, body = e.call(bob, "/listings/1/x", `{"call":2}`, nil)
	require.Equal(t, http.StatusOK, res.StatusCode, string(body))
	pending := []string{res.Header.Get(HeaderRequestCID), res.Header.Get(HeaderResponseCID)}

	// Two days later, nothing written since.
	long := time.Now().Add(-48 * time.Hour)
	for _, c := range append(committed, pending...) {
		require.NoError(t, os.Chtimes(filepath.Join(e.dir, "blocks", c), long, long))
	}
	*e.clock = time.Now()
	require.NoError(t, e.gw.pruneBlocks(context.Background()))

	status := func(c string) int {
		r, err := http.Get(e.srv.URL + "/ipfs/" + c)
		require.NoError(t, err)
		r.Body.Close()
		return r.StatusCode
	}
	for _, c := range committed {
		require.Equal(t, http.StatusNotFound, status(c), "a committed record's block is removed")
	}
	for _, c := range pending {
		require.Equal(t, http.StatusOK, status(c), "a record not yet committed keeps its blocks")
	}
	require.Equal(t, 2.0, testutilCounter(e.gw.metrics.pruned))

	// Once the second record is committed, a running node's sweep (at start, then every
	// pruneInterval) removes its blocks too.
	require.NoError(t, e.gw.Flush(context.Background(), true))
	e.chain.commit()
	require.NoError(t, e.gw.Flush(context.Background(), true))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- e.gw.Run(ctx, ln, 500*time.Millisecond) }()
	defer func() {
		cancel()
		require.NoError(t, <-ran)
	}()
	require.Eventually(t, func() bool { return testutilCounter(e.gw.metrics.pruned) == 4 }, 10*time.Second, 20*time.Millisecond)
	for _, c := range pending {
		require.Equal(t, http.StatusNotFound, status(c))
	}
}

// readAnswer reads the answer to a request written on conn by hand, within 10 s.
func readAnswer(t *testing.T, conn net.Conn) (*http.Response, []byte) {
	t.Helper()
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(10*time.Second)))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err, "an answer")
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, body
}

// holdBody sends a signed request's headers announcing a body of length bytes and sends no body;
// edit may change the request after signing. The connection is closed when the test ends.
func (e *env) holdBody(c caller, length int, edit ...func(*http.Request)) net.Conn {
	e.t.Helper()
	return e.holdBodyFrom("127.0.0.1", c, length, edit...)
}

// holdBodyFrom is holdBody on a connection from the loopback address ip.
func (e *env) holdBodyFrom(ip string, c caller, length int, edit ...func(*http.Request)) net.Conn {
	e.t.Helper()
	req := signedRequest(e.t, c, e.srv.URL, "/listings/1/x", `{}`, e.clock.Unix())
	for _, f := range edit {
		f(req)
	}
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	conn, err := d.Dial("tcp", e.srv.Listener.Addr().String())
	require.NoError(e.t, err)
	e.t.Cleanup(func() { conn.Close() })
	var hdr strings.Builder
	fmt.Fprintf(&hdr, "POST %s HTTP/1.1\r\nHost: gw\r\nContent-Length: %d\r\n", req.URL.RequestURI(), length)
	for k, vs := range req.Header {
		for _, v := range vs {
			fmt.Fprintf(&hdr, "%s: %s\r\n", k, v)
		}
	}
	hdr.WriteString("\r\n")
	_, err = conn.Write([]byte(hdr.String()))
	require.NoError(e.t, err)
	return conn
}

// undeclared removes a signed request's body hash (auth.HeaderBodyHash): the gateway reads its
// body before it can check the signature.
func undeclared(r *http.Request) { r.Header.Del(auth.HeaderBodyHash) }

// TestUnauthenticatedCallersHoldNoCallSlot: a call slot is taken only once the caller's
// signature is verified, so requests whose bodies never come do not lock callers out. The
// bodies of callers that do not declare their hash, read before the signature is checked, share
// a budget (here four bodies of max-body-bytes) of which one client may hold two bodies' worth,
// and a read deadline; a caller that declares it is read from another budget, once
// authenticated and allowed.
func TestUnauthenticatedCallersHoldNoCallSlot(t *testing.T) {
	e := newEnv(t, echo)
	e.cfg.MaxConcurrent = 1
	e.cfg.MaxBodyBytes = 1 << 20
	e.start()
	e.gw.bodyGrace = time.Second
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 100)

	// Headers of a signed request, a 100-byte body that never comes.
	stalled := e.holdBody(newCaller("mallory"), 100, undeclared)
	res, body := e.call(bob, "/listings/1/x", `{}`, undeclared)
	require.Equal(t, http.StatusOK, res.StatusCode, string(body))

	// The stalled body times out: 408.
	sres, sbody := readAnswer(t, stalled)
	require.Equal(t, http.StatusRequestTimeout, sres.StatusCode)
	require.Equal(t, "body_incomplete", reasonOf(t, sbody))

	// Announced bodies that never come hold nothing: anyone can forge headers that announce
	// the largest body, so the budget is taken by the bytes that arrive.
	e.holdBody(newCaller("mallory"), 1<<20, undeclared)
	e.holdBody(newCaller("trudy"), 1<<20, undeclared)
	res, body = e.call(bob, "/listings/1/x", `{}`, undeclared)
	require.Equal(t, http.StatusOK, res.StatusCode, string(body))

	// Bodies being read fill their client's share (2 × 1 MiB): the client's next one is refused
	// with 503, another client's is read. Bob's 15-byte body takes a chunk for the bytes after
	// its first (which waits in a byte of its own) and its 15-byte copy.
	const prompt = `{"prompt":"hi"}`
	need := 2*int64(len(prompt)) - 1
	fill := func(ip string, who ...string) {
		for _, w := range who {
			partial := e.holdBodyFrom(ip, newCaller(w), 1<<20, undeclared)
			_, err := partial.Write(bytes.Repeat([]byte("a"), 1<<20-1))
			require.NoError(t, err)
		}
		require.Eventually(t, func() bool {
			e.gw.anonPerClient.mu.Lock()
			defer e.gw.anonPerClient.mu.Unlock()
			return e.gw.anonPerClient.held[ip] > anonClientBudget(e.cfg)-need
		}, 5*time.Second, 5*time.Millisecond, "the bodies' chunks take %s's share", ip)
	}
	callFrom := func(ip string, edit func(*http.Request)) (*http.Response, []byte) {
		req := signedRequest(t, bob, e.srv.URL, "/listings/1/x", prompt, e.clock.Unix())
		if edit != nil {
			edit(req)
		}
		client := &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}).DialContext}}
		defer client.CloseIdleConnections()
		res, err := client.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}
	fill("127.0.0.1", "mallory", "trudy")
	res, body = callFrom("127.0.0.1", undeclared)
	require.Equal(t, http.StatusServiceUnavailable, res.StatusCode, string(body))
	require.Equal(t, "busy", reasonOf(t, body))
	res, body = callFrom("127.0.0.2", undeclared)
	require.Equal(t, http.StatusOK, res.StatusCode, string(body))

	// Two clients fill the whole budget (4 × 1 MiB): a third client's is refused too.
	fill("127.0.0.3", "oscar", "eve")
	require.False(t, e.gw.anonBodies.TryAcquire(need))
	res, body = callFrom("127.0.0.2", undeclared)
	require.Equal(t, http.StatusServiceUnavailable, res.StatusCode, string(body))
	require.Equal(t, "busy", reasonOf(t, body))
	// Bob declaring his body's hash is authenticated before his body is read, and read from the
	// budget of callers who may be served.
	res, body = callFrom("127.0.0.1", nil)
	require.Equal(t, http.StatusOK, res.StatusCode, string(body))

	// An announced body over the limit is refused before it is read.
	bres, _ := readAnswer(t, e.holdBody(bob, 1<<20+1, undeclared))
	require.Equal(t, http.StatusRequestEntityTooLarge, bres.StatusCode)
}

// TestDeclaredBodyReadOnlyForAllowedCallers: a caller that declares its body's hash is
// authenticated and its access checked before its body is read. One without access, or with a
// bad signature, is refused at once with no byte of its body read (the connection is closed,
// so that the body need not be waited for); one with access whose body does not match the
// declared hash is refused and not charged.
func TestDeclaredBodyReadOnlyForAllowedCallers(t *testing.T) {
	e := newEnv(t, echo)
	e.cfg.MaxBodyBytes = 1 << 20
	e.start()
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 100)

	// No access: 403 without waiting for the announced megabyte.
	res, body := readAnswer(t, e.holdBody(newCaller("mallory"), 1<<20))
	require.Equal(t, http.StatusForbidden, res.StatusCode, string(body))
	require.True(t, res.Close, "the connection is closed, its body unread")
	// A signature over another hash: 401, at once.
	res, body = readAnswer(t, e.holdBody(bob, 1<<20, func(r *http.Request) {
		r.Header.Set(auth.HeaderBodyHash, auth.BodySHA256([]byte("other")))
	}))
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
	require.Equal(t, auth.ReasonBadSignature, reasonOf(t, body))
	require.True(t, e.gw.bodies.TryAcquire(bodyBudget(e.cfg)), "no body memory is held")
	e.gw.bodies.Release(bodyBudget(e.cfg))

	// Signed for `{}`, sent with another body of the same length: refused, not charged.
	res, body = e.call(bob, "/listings/1/x", `{}`, func(r *http.Request) {
		r.Body = io.NopCloser(strings.NewReader(`[]`))
	})
	require.Equal(t, http.StatusUnauthorized, res.StatusCode, string(body))
	require.Equal(t, auth.ReasonBadSignature, reasonOf(t, body))
	res, body = e.call(bob, "/listings/1/x", `{}`, nil)
	require.Equal(t, http.StatusOK, res.StatusCode, string(body))
	require.NoError(t, e.gw.Flush(context.Background(), true))
	e.chain.commit()
	e.chain.mu.Lock()
	defer e.chain.mu.Unlock()
	require.Len(t, e.chain.records, 1, "only the served call is recorded")
}

// stallingChain answers the users it was told of at once and makes every other access query
// wait, as a chain node under load does, until the query is abandoned or stall is closed.
type stallingChain struct {
	*fakeChain
	stall chan struct{}
}

func (s stallingChain) CheckAccess(ctx context.Context, listing uint64, user string) (*accesstypes.QueryCheckAccessResponse, error) {
	s.mu.Lock()
	_, known := s.access[user]
	s.mu.Unlock()
	if !known {
		select {
		case <-ctx.Done():
		case <-s.stall:
		}
		return nil, errors.New("no answer")
	}
	return s.fakeChain.CheckAccess(ctx, listing, user)
}

// TestNewKeysCannotHoldCallSlots: callers whose access must be asked of the chain wait for it
// in a few lookup places of their own, not in call slots. Keys that cost nothing to make, while
// the chain answers slowly, fill the lookup places (the next such caller is refused at once
// with 503) and leave the call slots to callers whose answers are cached.
func TestNewKeysCannotHoldCallSlots(t *testing.T) {
	e := newEnv(t, echo)
	e.cfg.MaxConcurrent = 8
	e.cfg.AccessCacheTTL = time.Hour
	stall := make(chan struct{})
	gw, err := newGateway(e.cfg, stallingChain{e.chain, stall}, slog.New(slog.NewTextHandler(io.Discard, nil)), func() time.Time { return *e.clock })
	require.NoError(t, err)
	e.gw = gw
	e.srv = httptest.NewServer(gw.Handler())
	t.Cleanup(e.srv.Close)
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 100)
	res, body := e.call(bob, "/listings/1/x", `{}`, nil) // his answer is cached
	require.Equal(t, http.StatusOK, res.StatusCode, string(body))

	places := lookupPlaces(e.cfg.MaxConcurrent)
	var wg sync.WaitGroup
	for i := range e.cfg.MaxConcurrent {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := signedRequest(t, newCaller(fmt.Sprint("sybil", i)), e.srv.URL, "/listings/1/x", `{}`, e.clock.Unix())
			if r, err := http.DefaultClient.Do(req); err == nil {
				r.Body.Close()
			}
		}()
	}
	require.Eventually(t, func() bool { return len(gw.access.lookups) == places }, 5*time.Second, 5*time.Millisecond)
	res, body = e.call(newCaller("sybil-late"), "/listings/1/x", `{}`, nil)
	require.Equal(t, http.StatusServiceUnavailable, res.StatusCode, string(body))
	require.Equal(t, "busy", reasonOf(t, body))
	require.Zero(t, len(gw.slots), "no call slot is held by a caller waiting on the chain")
	for range 3 {
		res, body = e.call(bob, "/listings/1/x", `{}`, nil)
		require.Equal(t, http.StatusOK, res.StatusCode, string(body))
	}
	close(stall)
	wg.Wait()
}

// TestBodyMemoryIsCharged: a request body read before authentication holds no more memory than
// it takes from the body budget (but for a small constant), whether its length is announced or
// not, and it is returned as one slice of its length: a budget below the memory a body takes
// refuses it.
func TestBodyMemoryIsCharged(t *testing.T) {
	e := newEnv(t, echo)
	// Just over a power of two, where a doubling buffer holds twice the length.
	data := bytes.Repeat([]byte("a"), 1<<20+bodyChunk)
	// slack is the memory readBody may allocate besides the body's (the reader, the list of
	// chunks): far below a chunk's worth of the body.
	const slack = 64 << 10
	read := func(budget int64, announced bool) (body []byte, ok bool, allocated uint64, res *httptest.ResponseRecorder) {
		e.gw.bodies = semaphore.NewWeighted(budget)
		r := httptest.NewRequest(http.MethodPost, "/listings/1/x", bytes.NewReader(data))
		if !announced {
			r.ContentLength = -1
		}
		res = httptest.NewRecorder()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		body, ok = e.gw.readBody(res, r, e.gw.bodies)
		runtime.ReadMemStats(&after)
		require.True(t, e.gw.bodies.TryAcquire(budget), "the budget is given back")
		return body, ok, after.TotalAlloc - before.TotalAlloc, res
	}
	for _, announced := range []bool{true, false} {
		body, ok, allocated, _ := read(1<<30, announced)
		require.True(t, ok)
		require.Equal(t, data, body)
		require.LessOrEqual(t, cap(body), len(body)+bodyChunk, "announced %v: the body is one slice of about its length", announced)
		require.Greater(t, allocated, uint64(slack))

		_, ok, _, res := read(int64(allocated)-slack, announced)
		require.False(t, ok, "announced %v: a body that allocated %d bytes was read within a budget of %d", announced, allocated, allocated-slack)
		require.Equal(t, http.StatusServiceUnavailable, res.Code)
		require.Equal(t, "busy", reasonOf(t, res.Body.Bytes()))
	}
}

// TestRefusedCallersNoncesKeptApart: a refused request sent again is refused as a replay, as a
// served one is, but refused requests' nonces are kept apart from served ones: callers without
// stake cannot fill the cache that served callers need.
func TestRefusedCallersNoncesKeptApart(t *testing.T) {
	e := newEnv(t, echo)
	eve := newCaller("eve")
	req := signedRequest(t, eve, e.srv.URL, "/listings/1/x", `{}`, e.clock.Unix())
	res, body := e.send(req.Clone(context.Background()))
	require.Equal(t, http.StatusForbidden, res.StatusCode, string(body))
	again := req.Clone(context.Background())
	again.Body = io.NopCloser(strings.NewReader(`{}`))
	res, body = e.send(again)
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
	require.Equal(t, auth.ReasonReplay, reasonOf(t, body))
	require.Zero(t, e.gw.replay.Len(), "no served request's nonce")
	require.Equal(t, 1, e.gw.replay.LenRefused())

	bob := newCaller("bob")
	e.chain.allow(bob.addr, 100)
	var sent http.Header
	res, _ = e.call(bob, "/listings/1/x", `{}`, func(r *http.Request) { sent = r.Header.Clone() })
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, 1, e.gw.replay.Len())
	replayed, err := http.NewRequest(http.MethodPost, e.srv.URL+"/listings/1/x", strings.NewReader(`{}`))
	require.NoError(t, err)
	replayed.Header = sent
	res, body = e.send(replayed)
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
	require.Equal(t, auth.ReasonReplay, reasonOf(t, body))
}

// TestHealthFollowsTheChain: /healthz is degraded while access queries fail, names what fails
// without the error's text, is healthy again once a query succeeds, and a caller that leaves
// during a query does not degrade it.
func TestHealthFollowsTheChain(t *testing.T) {
	e := newEnv(t, echo)
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 100)
	health := func() (int, string) {
		res, err := http.Get(e.srv.URL + "/healthz")
		require.NoError(t, err)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res.StatusCode, string(body)
	}
	setDown := func(down bool) {
		e.chain.mu.Lock()
		e.chain.down = down
		e.chain.mu.Unlock()
	}

	setDown(true)
	res, _ := e.call(bob, "/listings/1/x", `{}`, nil)
	require.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
	code, body := health()
	require.Equal(t, http.StatusServiceUnavailable, code)
	require.Contains(t, body, "the chain cannot be asked for access decisions")
	require.NotContains(t, body, "connection refused", "the error's text stays in the log")

	setDown(false)
	res, _ = e.call(bob, "/listings/1/x", `{}`, nil)
	require.Equal(t, http.StatusOK, res.StatusCode)
	code, _ = health()
	require.Equal(t, http.StatusOK, code)

	// A caller that gives up while its access is being asked.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	e.gw.access.ttl = time.Hour
	_, _, err := e.gw.access.check(ctx, 1, newCaller("leaver").addr)
	require.Error(t, err)
	code, _ = health()
	require.Equal(t, http.StatusOK, code)
}

// TestUpstreamConnectionsReused: concurrent calls keep their connections to the model for the
// next calls, up to max-concurrent-requests (Go's default transport keeps 2 per host).
func TestUpstreamConnectionsReused(t *testing.T) {
	const n = 6
	var (
		mu      sync.Mutex
		remotes = map[string]bool{}
	)
	arrived, release := make(chan struct{}, n), make(chan struct{})
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		remotes[r.RemoteAddr] = true
		mu.Unlock()
		arrived <- struct{}{}
		<-release
		echo(w, r)
	})
	e.cfg.MaxConcurrent = n
	e.cfg.UpstreamTimeout = 10 * time.Second
	e.start()
	callers := make([]caller, n)
	for i := range callers {
		callers[i] = newCaller(fmt.Sprint("caller-", i))
		e.chain.allow(callers[i].addr, 100)
	}
	round := func() {
		done := make(chan int, n)
		for i := range n {
			go func() {
				res, _ := e.call(callers[i], "/listings/1/x", `{}`, nil)
				done <- res.StatusCode
			}()
		}
		for range n {
			<-arrived
		}
		for range n {
			release <- struct{}{}
		}
		for range n {
			require.Equal(t, http.StatusOK, <-done)
		}
	}
	round()
	round()
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, remotes, n, "the second round reused the first round's connections")
}

// TestMethodForwardedAsSigned: the digest takes the method in upper case; the model receives
// that method, whatever case the caller sent.
func TestMethodForwardedAsSigned(t *testing.T) {
	var got string
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.Method
		echo(w, r)
	})
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 100)
	res, body := e.call(bob, "/listings/1/x", `{}`, func(r *http.Request) { r.Method = "post" })
	require.Equal(t, http.StatusOK, res.StatusCode, string(body))
	require.Equal(t, http.MethodPost, got)
}

// TestAccessAnswerFetchedAcrossAPruneIsNotKept: a prune forgets the generations of dropped
// decisions, so an answer fetched while one ran is fetched again too.
func TestAccessAnswerFetchedAcrossAPruneIsNotKept(t *testing.T) {
	chain := &slowChecker{}
	now := time.Unix(1767225600, 0)
	a := newAccessCache(chain, time.Minute, func() time.Time { return now }, 4)
	chain.during = func() {
		a.mu.Lock()
		a.prune()
		a.mu.Unlock()
	}
	v, _, err := a.check(context.Background(), 1, "bob")
	require.NoError(t, err)
	require.True(t, v.allowed)
	require.Equal(t, 2, chain.calls, "fetched again after the prune")
}

// TestBatchTimeoutsUniqueAcrossARestart: each receipt transaction's timeout is its unordered
// nonce; after a restart with the clock set back, a new batch's timeout still follows those in
// flight.
func TestBatchTimeoutsUniqueAcrossARestart(t *testing.T) {
	e := newEnv(t, echo)
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 100)
	res, _ := e.call(bob, "/listings/1/x", `{"n":1}`, nil)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.NoError(t, e.gw.Flush(context.Background(), true))
	require.Len(t, e.gw.queue.Batches(), 1)
	first := e.gw.queue.Batches()[0].Timeout

	*e.clock = e.clock.Add(-time.Hour)
	e.start()
	res, _ = e.call(bob, "/listings/1/x", `{"n":2}`, nil)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.NoError(t, e.gw.Flush(context.Background(), true))
	batches := e.gw.queue.Batches()
	require.Len(t, batches, 2)
	require.True(t, batches[1].Timeout.After(first), "%s after %s", batches[1].Timeout, first)
}

// TestRefusedRecordsStillCountToday: a user who makes the chain refuse its own records (it
// unbonds its stake after being served, then cancels the unbonding) does not get its quota back:
// a refused record counts against the quota on this node until the day (UTC) ends, also after
// the node restarts.
func TestRefusedRecordsStillCountToday(t *testing.T) {
	for _, restart := range []bool{false, true} {
		t.Run(fmt.Sprintf("restart=%v", restart), func(t *testing.T) { refusedRecordsStillCountToday(t, restart) })
	}
}

func refusedRecordsStillCountToday(t *testing.T, restart bool) {
	e := newEnv(t, echo)
	e.start()
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 2)
	for range 2 {
		res, _ := e.call(bob, "/listings/1/x", `{}`, nil)
		require.Equal(t, http.StatusOK, res.StatusCode)
	}
	e.chain.refusing[bob.addr] = true
	ctx := context.Background()
	require.NoError(t, e.gw.Flush(ctx, true))
	require.EqualValues(t, 2, testutilCounter(e.gw.metrics.rejected))
	require.Empty(t, e.chain.committedRecords())
	delete(e.chain.refusing, bob.addr) // staked again
	if restart {
		e.start()
	}

	res, _ := e.call(bob, "/listings/1/x", `{}`, nil)
	require.Equal(t, http.StatusTooManyRequests, res.StatusCode, "the two refused records still count today")

	// The next day (UTC) the quota is whole again, also for a node started that day.
	e.tick(24 * time.Hour)
	if restart {
		e.start()
	}
	res, _ = e.call(bob, "/listings/1/x", `{}`, nil)
	require.Equal(t, http.StatusOK, res.StatusCode)
}

// TestRestartCountsARejectedRecordOnce: a crash between writing a refused record to rejected/
// and removing its batch leaves the record in both. The restarted node reserves it for the
// batch in flight and does not count it a second time from rejected/; and a file of rejected/
// that does not parse does not keep the node from starting.
func TestRestartCountsARejectedRecordOnce(t *testing.T) {
	e := newEnv(t, echo)
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 3)
	for range 2 {
		res, _ := e.call(bob, "/listings/1/x", `{}`, nil)
		require.Equal(t, http.StatusOK, res.StatusCode)
	}
	require.NoError(t, e.gw.Flush(context.Background(), true))
	batches := e.gw.queue.Batches()
	require.Len(t, batches, 1, "the batch is in flight")
	rejected := filepath.Join(e.dir, "queue", "rejected")
	bz, err := json.Marshal(queue.Rejected{Record: batches[0].Records[0], Reason: "refused", TxHash: batches[0].TxHash})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(rejected, fmt.Sprintf("%020d.json", batches[0].Records[0].Seq)), bz, 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(rejected, fmt.Sprintf("%020d.json", 999)), []byte("{damaged"), 0o600))

	e.start()
	res, _ := e.call(bob, "/listings/1/x", `{}`, nil)
	require.Equal(t, http.StatusOK, res.StatusCode, "two reserved in the batch, the third is served")
	res, _ = e.call(bob, "/listings/1/x", `{}`, nil)
	require.Equal(t, http.StatusTooManyRequests, res.StatusCode)
}

// TestBatchesFollowTheChainsParams: governance lowers max_receipts_per_msg and
// max_units_per_record while the node runs; the node reads the params again and its batches
// fit them, instead of being refused for ever.
func TestBatchesFollowTheChainsParams(t *testing.T) {
	e := newEnv(t, echo)
	e.start()
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 100)
	for range 10 {
		res, _ := e.call(bob, "/listings/1/x", `{}`, nil)
		require.Equal(t, http.StatusOK, res.StatusCode)
	}
	e.chain.mu.Lock()
	e.chain.params.MaxReceiptsPerMsg = 3
	e.chain.params.MaxUnitsPerRecord = 5
	e.chain.mu.Unlock()
	e.tick(paramsRefresh)
	ctx := context.Background()
	for range 3 {
		require.NoError(t, e.gw.Flush(ctx, true))
		e.chain.commit()
	}
	require.NoError(t, e.gw.Flush(ctx, true))
	require.Len(t, e.chain.committedRecords(), 10, "every record recorded, in batches of at most 3")
	require.Zero(t, testutilCounter(e.gw.metrics.rejected))
	require.EqualValues(t, 3, e.gw.batchSize.Load())
	require.EqualValues(t, 5, e.gw.maxUnits.Load())

	// Raised again: followed too, up to the node's own batch-size.
	e.chain.mu.Lock()
	e.chain.params.MaxReceiptsPerMsg = 100
	e.chain.params.MaxUnitsPerRecord = 50
	e.chain.mu.Unlock()
	e.tick(paramsRefresh)
	require.NoError(t, e.gw.Flush(ctx, true))
	require.EqualValues(t, e.cfg.BatchSize, e.gw.batchSize.Load())
	require.EqualValues(t, 50, e.gw.maxUnits.Load())
}

// TestReceiptTimeoutFollowsTheChain: a batch's timeout is the chain's block time plus
// receipt-ttl, so a node whose clock is behind the chain's by more than receipt-ttl still gets
// its receipts recorded; a whole batch the chain refuses degrades /healthz.
func TestReceiptTimeoutFollowsTheChain(t *testing.T) {
	e := newEnv(t, echo)
	e.start()
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 100)
	res, _ := e.call(bob, "/listings/1/x", `{}`, nil)
	require.Equal(t, http.StatusOK, res.StatusCode)
	e.chain.advance(5 * time.Minute) // the node's clock is now 5 minutes behind the chain's
	ctx := context.Background()
	require.NoError(t, e.gw.Flush(ctx, true))
	e.chain.commit()
	require.NoError(t, e.gw.Flush(ctx, true))
	require.Len(t, e.chain.committedRecords(), 1)

	e.chain.inactive[1] = true
	res, _ = e.call(bob, "/listings/1/x", `{}`, nil)
	require.Equal(t, http.StatusOK, res.StatusCode)
	e.gw.flushed(e.gw.Flush(ctx, true))
	hres, err := http.Get(e.srv.URL + "/healthz")
	require.NoError(t, err)
	body, _ := io.ReadAll(hres.Body)
	hres.Body.Close()
	require.Equal(t, http.StatusServiceUnavailable, hres.StatusCode, string(body))
	require.Contains(t, string(body), "usage receipts cannot be sent to the chain")
}

// TestCallsRefusedWhileTheDiskIsFull: while the data directory's disk has less than
// min-free-disk free, an authenticated call is refused before the model is called, not charged,
// and /healthz says why; with space again, calls are served.
func TestCallsRefusedWhileTheDiskIsFull(t *testing.T) {
	var calls atomic.Int32
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		echo(w, r)
	})
	var free atomic.Uint64
	free.Store(uint64(e.cfg.MinFreeDisk) - 1)
	e.gw.diskFree = func(dir string) (uint64, error) {
		require.Equal(t, e.dir, dir)
		return free.Load(), nil
	}
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 100)
	res, body := e.call(bob, "/listings/1/x", `{}`, nil)
	require.Equal(t, http.StatusServiceUnavailable, res.StatusCode, string(body))
	require.Equal(t, "disk_full", reasonOf(t, body))
	require.Equal(t, "60", res.Header.Get("Retry-After"))
	require.Zero(t, calls.Load(), "the model was not called")
	p, _, _ := e.gw.queue.Counts()
	require.Zero(t, p, "not charged")
	health, err := http.Get(e.srv.URL + "/healthz")
	require.NoError(t, err)
	hb, _ := io.ReadAll(health.Body)
	health.Body.Close()
	require.Equal(t, http.StatusServiceUnavailable, health.StatusCode)
	require.Contains(t, string(hb), "min-free-disk")

	free.Store(uint64(e.cfg.MinFreeDisk))
	e.gw.diskAt = time.Time{} // the last answer is reused for a second
	res, body = e.call(bob, "/listings/1/x", `{}`, nil)
	require.Equal(t, http.StatusOK, res.StatusCode, string(body))
	require.Equal(t, int32(1), calls.Load())

	// Unknown free space, or the check off, refuses nothing.
	e.gw.diskFree = func(string) (uint64, error) { return 0, errors.New("not known") }
	e.gw.diskAt = time.Time{}
	res, _ = e.call(bob, "/listings/1/x", `{}`, nil)
	require.Equal(t, http.StatusOK, res.StatusCode)
	e.gw.diskFree = func(string) (uint64, error) { return 0, nil }
	e.gw.diskAt = time.Time{}
	e.gw.cfg.MinFreeDisk = 0
	res, _ = e.call(bob, "/listings/1/x", `{}`, nil)
	require.Equal(t, http.StatusOK, res.StatusCode)
}

func TestFreeBytesOfARealDirectory(t *testing.T) {
	free, err := freeBytes(t.TempDir())
	require.NoError(t, err)
	require.Positive(t, free)
	_, err = freeBytes(filepath.Join(t.TempDir(), "missing"))
	require.Error(t, err)
}

// TestRefusedBroadcastDegradesHealth: a batch the node refuses at broadcast (CheckTx: the fee
// cannot be paid) degrades /healthz, without the refusal's text, for as long as it waits in
// flight for its timeout (it is not sent again before); once it is requeued and sent again, the
// fee paid, /healthz is ok again.
func TestRefusedBroadcastDegradesHealth(t *testing.T) {
	e := newEnv(t, echo)
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 100)
	ctx := context.Background()
	health := func() (int, string) {
		res, err := http.Get(e.srv.URL + "/healthz")
		require.NoError(t, err)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res.StatusCode, string(body)
	}
	flush := func() { e.gw.flushed(e.gw.Flush(ctx, true)) }
	setCheckTx := func(log string) {
		e.chain.mu.Lock()
		e.chain.checkTx = log
		e.chain.mu.Unlock()
	}

	setCheckTx("insufficient fees; got: 0ubai required: 2000ubai: insufficient fee")
	res, _ := e.call(bob, "/listings/1/x", `{}`, nil)
	require.Equal(t, http.StatusOK, res.StatusCode)
	flush()
	code, body := health()
	require.Equal(t, http.StatusServiceUnavailable, code, body)
	require.Contains(t, body, "usage receipts cannot be sent to the chain")
	require.NotContains(t, body, "insufficient fee", "the refusal's text stays in the log")

	// The batch waits in flight for its timeout, not sent again: still degraded.
	e.tick(rebroadcastAfter)
	flush()
	code, body = health()
	require.Equal(t, http.StatusServiceUnavailable, code, body)
	pending, inFlight, _ := e.gw.queue.Counts()
	require.Equal(t, 0, pending)
	require.Equal(t, 1, inFlight)

	// The fee can be paid: past its timeout the batch is requeued and sent again.
	setCheckTx("")
	e.tick(e.cfg.ReceiptTTL + indexMargin)
	flush()
	code, body = health()
	require.Equal(t, http.StatusOK, code, body)
	e.chain.commit()
	flush()
	require.Len(t, e.chain.committedRecords(), 1)
	code, body = health()
	require.Equal(t, http.StatusOK, code, body)
}

// TestRoutesLimitWhatIsForwarded: a listing with routes forwards only their methods and path
// prefixes; anything else is answered 404 (route_not_allowed) before authentication, never
// reaches the model and is not charged. A listing without routes forwards any path.
func TestRoutesLimitWhatIsForwarded(t *testing.T) {
	var reached atomic.Int64
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		echo(w, r)
	})
	e.cfg.Routes = map[uint64]Routes{1: {Methods: []string{http.MethodPost}, Paths: []string{"/v1/", "/health"}}}
	e.start()
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 100)

	for _, path := range []string{"/listings/1/v1/chat/completions", "/listings/1/health", "/listings/1/health/live"} {
		res, body := e.call(bob, path, `{}`, nil)
		require.Equal(t, http.StatusOK, res.StatusCode, path+": "+string(body))
	}
	// The method is compared upper-cased, as it is signed and forwarded.
	res, body := e.call(bob, "/listings/1/v1/x", `{}`, func(r *http.Request) { r.Method = "post" })
	require.Equal(t, http.StatusOK, res.StatusCode, string(body))
	require.EqualValues(t, 4, reached.Load())
	for _, tc := range []struct{ method, path string }{
		{http.MethodPost, "/listings/1/api/pull"},
		{http.MethodPost, "/listings/1/v1"}, // "/v1/" admits what is under /v1/
		{http.MethodPost, "/listings/1/healthz"},
		{http.MethodPost, "/listings/1/health-admin/x"},
		{http.MethodPost, "/listings/1/v2/x"},
		{http.MethodDelete, "/listings/1/v1/models/x"},
	} {
		req := signedRequest(t, bob, e.srv.URL, tc.path, `{}`, e.clock.Unix())
		req.Method = tc.method
		res, body := e.send(req)
		require.Equal(t, http.StatusNotFound, res.StatusCode, tc.method+" "+tc.path)
		require.Equal(t, "route_not_allowed", reasonOf(t, body))
		// Unsigned: refused the same way, before authentication.
		plain, err := http.NewRequest(tc.method, e.srv.URL+tc.path, strings.NewReader(`{}`))
		require.NoError(t, err)
		res, body = e.send(plain)
		require.Equal(t, http.StatusNotFound, res.StatusCode)
		require.Equal(t, "route_not_allowed", reasonOf(t, body))
	}
	require.EqualValues(t, 4, reached.Load(), "no refused route reached the model")
	require.NoError(t, e.gw.Flush(context.Background(), true))
	e.chain.commit()
	e.chain.mu.Lock()
	require.Len(t, e.chain.records, 4, "only the served calls are charged")
	e.chain.mu.Unlock()

	// Bad routes are refused by Validate.
	for _, bad := range []Routes{{Methods: []string{"post"}}, {Paths: []string{"v1/"}}, {Paths: []string{"/v1/../admin"}}} {
		cfg := e.cfg
		cfg.Routes = map[uint64]Routes{1: bad}
		require.Error(t, cfg.Validate(), "%+v", bad)
	}
	cfg := e.cfg
	cfg.Routes = map[uint64]Routes{2: {Paths: []string{"/v1/"}}}
	require.ErrorContains(t, cfg.Validate(), "routes of listing 2, which is not served")
}

// TestCopyOfRequestInProgressIsAReplay: the same signed request sent again while the first is
// still being served (here, while its body uploads: the nonce is recorded only once it may be
// forwarded) is refused at once as a replay, holding nothing; the first is then served.
func TestCopyOfRequestInProgressIsAReplay(t *testing.T) {
	e := newEnv(t, echo)
	bob := newCaller("bob")
	e.chain.allow(bob.addr, 100)
	req := signedRequest(t, bob, e.srv.URL, "/listings/1/x", `{}`, e.clock.Unix())

	conn, err := net.Dial("tcp", e.srv.Listener.Addr().String())
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	var hdr strings.Builder
	fmt.Fprintf(&hdr, "POST %s HTTP/1.1\r\nHost: gw\r\nContent-Length: 2\r\n", req.URL.RequestURI())
	for k, vs := range req.Header {
		for _, v := range vs {
			fmt.Fprintf(&hdr, "%s: %s\r\n", k, v)
		}
	}
	hdr.WriteString("\r\n{") // one byte of the two
	_, err = conn.Write([]byte(hdr.String()))
	require.NoError(t, err)
	require.Eventually(t, func() bool { return e.gw.nonceCalls.Len() == 1 }, 5*time.Second, time.Millisecond)

	copied := req.Clone(context.Background())
	copied.Body = io.NopCloser(strings.NewReader(`{}`))
	res, body := e.send(copied)
	require.Equal(t, http.StatusUnauthorized, res.StatusCode, string(body))
	require.Equal(t, auth.ReasonReplay, reasonOf(t, body))
	e.gw.access.mu.Lock()
	require.EqualValues(t, 1, e.gw.access.pending[userKey{1, bob.addr}], "the copy reserved nothing")
	e.gw.access.mu.Unlock()

	_, err = conn.Write([]byte("}"))
	require.NoError(t, err)
	first, fbody := readAnswer(t, conn)
	require.Equal(t, http.StatusOK, first.StatusCode, string(fbody))
	require.Eventually(t, func() bool { return e.gw.nonceCalls.Len() == 0 }, 5*time.Second, time.Millisecond)
}
