// Package gateway is the BalanceAI AI node: an HTTP service a provider runs in front of its
// model's API. For every call it authenticates the caller (an ADR-036 signature over the
// request), asks the chain whether the caller may use the listing (x/access CheckAccess),
// forwards the call, keeps request and response as IPFS raw blocks and records the usage on
// chain exactly once (a durable queue of MsgRecordUsage batches sent as unordered
// transactions). It reaches the chain only through gRPC queries and signed transactions.
// docs/gateway.md is the protocol and the operator's guide.
package gateway

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
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/sync/semaphore"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/bech32"

	"github.com/balanceai/balanceai/gateway/auth"
	"github.com/balanceai/balanceai/gateway/cas"
	"github.com/balanceai/balanceai/gateway/queue"
	"github.com/balanceai/balanceai/gateway/slots"
	accesstypes "github.com/balanceai/balanceai/x/access/types"
)

// Response headers of a served request.
const (
	HeaderRequestCID  = "X-BAI-Request-CID"
	HeaderResponseCID = "X-BAI-Response-CID"
	HeaderUser        = "X-BAI-User"
	HeaderListing     = "X-BAI-Listing"
	// HeaderUnits lets the upstream report the work a response took (tokens, images); 1 when
	// absent.
	HeaderUnits = "X-BAI-Units"
)

// Chain is what the gateway needs from the chain.
type Chain interface {
	AccessChecker
	SignUsage(ctx context.Context, listingID uint64, records []accesstypes.UsageRecord, timeout time.Time) ([]byte, string, error)
	Broadcast(ctx context.Context, txBytes []byte) (BroadcastResult, error)
	GetTx(ctx context.Context, hash string) (TxResult, error)
	// LatestTime is the time of the latest block.
	LatestTime(ctx context.Context) (time.Time, error)
	// AccessParams is x/access's params (max_receipts_per_msg, max_units_per_record).
	AccessParams(ctx context.Context) (accesstypes.Params, error)
}

// BroadcastResult is a node's CheckTx answer.
type BroadcastResult struct {
	Code      uint32
	Log       string
	Duplicate bool
}

// TxResult is a committed transaction's result; Found is false until it is committed.
type TxResult struct {
	Found bool
	Code  uint32
	Log   string
}

// Config is the gateway's configuration (gateway.toml and flags).
type Config struct {
	// ChainID is the chain the callers sign for.
	ChainID string
	// Bech32Prefix is the account address prefix (bai).
	Bech32Prefix string
	// Listings maps each served listing to its upstream base URL.
	Listings map[uint64]*url.URL
	// Routes, per listing, limits what is forwarded to its upstream; a listing without an entry
	// forwards every method and path under its upstream URL.
	Routes map[uint64]Routes
	// Listen is the address to serve on.
	Listen string
	// MetricsListen, when set, is the address /metrics is served on instead of Listen (a
	// loopback or private address for the operator's Prometheus); empty: /metrics is served
	// with the callers' routes.
	MetricsListen string
	// Dir holds the content store (blocks/) and the receipt queue (queue/).
	Dir string

	TimestampWindow  time.Duration // accepted clock difference of a caller's timestamp
	ReplayCacheSize  int           // nonces remembered at most
	AccessCacheTTL   time.Duration // how long a CheckAccess answer is reused
	UpstreamTimeout  time.Duration
	MaxBodyBytes     int64 // request body limit
	MaxResponseBytes int64 // upstream response limit
	BatchSize        int   // records per MsgRecordUsage (≤ the chain's max_receipts_per_msg)
	FlushInterval    time.Duration
	ReceiptTTL       time.Duration // timeout of a receipt transaction (≤ the chain's unordered limit)
	MaxInFlight      int           // batches in flight at once
	MaxConcurrent    int           // calls served at once; more are refused with 503
	// IPFSAPI, when set, is a Kubo RPC URL every block is also put and pinned on.
	IPFSAPI string
	// BlocksRetention, when positive, is how long a block is kept after it was last written: an
	// older block is removed unless a record not yet committed refers to it. 0 keeps every block.
	BlocksRetention time.Duration
	// MaxUnits caps the units of one record below the chain's max_units_per_record, which
	// caps them anyway; 0: the chain's cap alone.
	MaxUnits uint64
	// MinFreeDisk is the free space Dir's file system must have for a call to be forwarded
	// (the call's blocks and receipt are written there); 0: not checked.
	MinFreeDisk int64
}

// DefaultConfig returns the defaults gateway.toml documents.
func DefaultConfig() Config {
	return Config{
		Bech32Prefix:     "bai",
		Listen:           "127.0.0.1:8480",
		TimestampWindow:  60 * time.Second,
		ReplayCacheSize:  1_000_000,
		AccessCacheTTL:   2 * time.Second,
		UpstreamTimeout:  60 * time.Second,
		MaxBodyBytes:     8 << 20,
		MaxResponseBytes: 32 << 20,
		BatchSize:        50,
		FlushInterval:    2 * time.Second,
		ReceiptTTL:       90 * time.Second,
		MaxInFlight:      4,
		MaxConcurrent:    256,
		MinFreeDisk:      512 << 20,
	}
}

// Validate checks the configuration.
func (c Config) Validate() error {
	switch {
	case c.ChainID == "":
		return errors.New("chain id is required")
	case len(c.Listings) == 0:
		return errors.New("at least one listing with its upstream URL is required (--listing and --upstream)")
	case c.Dir == "":
		return errors.New("a data directory is required")
	case c.TimestampWindow <= 0 || c.AccessCacheTTL < 0 || c.UpstreamTimeout <= 0 || c.FlushInterval <= 0:
		return errors.New("timestamp-window, upstream-timeout and flush-interval must be positive, access-cache-ttl not negative")
	case c.BatchSize < 1 || c.BatchSize > 1000:
		return fmt.Errorf("batch-size must be 1 to 1000, got %d", c.BatchSize)
	case c.ReceiptTTL < 10*time.Second || c.ReceiptTTL > 10*time.Minute:
		return fmt.Errorf("receipt-ttl must be 10s to 10m (the chain refuses unordered transactions further ahead), got %s", c.ReceiptTTL)
	case c.MaxBodyBytes <= 0 || c.MaxResponseBytes <= 0 || c.ReplayCacheSize <= 0 || c.MaxInFlight <= 0 || c.MaxConcurrent <= 0:
		return errors.New("size limits, replay-cache-size, max-in-flight and max-concurrent-requests must be positive")
	case c.MinFreeDisk < 0:
		return errors.New("min-free-disk must not be negative (0: not checked)")
	case c.BlocksRetention != 0 && c.BlocksRetention < time.Hour:
		return fmt.Errorf("blocks-retention must be 0 (keep every block) or at least 1h, got %s", c.BlocksRetention)
	case c.MetricsListen != "" && c.MetricsListen == c.Listen:
		return fmt.Errorf("metrics-listen must differ from listen (%s); leave it empty to serve /metrics there", c.Listen)
	}
	for id, u := range c.Listings {
		if u == nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("listing %d: upstream must be an http(s) URL", id)
		}
	}
	for id, rt := range c.Routes {
		if _, ok := c.Listings[id]; !ok {
			return fmt.Errorf("routes of listing %d, which is not served", id)
		}
		if err := rt.Validate(); err != nil {
			return fmt.Errorf("listing %d: %w", id, err)
		}
	}
	return nil
}

// Routes limits the calls a listing forwards to its upstream: the methods (upper case; a
// request's method is compared upper-cased, as it is signed and forwarded) and the paths (of
// the path after /listings/<id>, each starting with "/") it admits. A path admits itself and
// the paths under it: "/v1/completions" admits "/v1/completions" and "/v1/completions/x", not
// "/v1/completions-admin"; "/v1/" admits everything under /v1/. Empty admits any. A call outside them is answered 404
// (route_not_allowed) before it is authenticated, and not charged: a model server's other
// routes (administration, model downloads) stay out of the callers' reach.
type Routes struct {
	Methods []string
	Paths   []string
}

// Validate checks the methods and path prefixes.
func (r Routes) Validate() error {
	for _, m := range r.Methods {
		if m == "" || strings.ToUpper(m) != m || strings.ContainsAny(m, " \t/") {
			return fmt.Errorf("method %q must be an HTTP method in upper case, e.g. POST", m)
		}
	}
	for _, p := range r.Paths {
		if !strings.HasPrefix(p, "/") {
			return fmt.Errorf("path %q must start with /", p)
		}
		if err := checkSuffix(strings.TrimPrefix(p, "/")); err != nil {
			return fmt.Errorf("path %q: %w", p, err)
		}
	}
	return nil
}

// admits reports whether a call of method to the path after /listings/<id> (suffix, without
// its leading "/") is forwarded.
func (r Routes) admits(method, suffix string) bool {
	if len(r.Methods) > 0 && !slices.Contains(r.Methods, method) {
		return false
	}
	if len(r.Paths) == 0 {
		return true
	}
	path := "/" + suffix
	for _, p := range r.Paths {
		if path == p || strings.HasPrefix(path, strings.TrimSuffix(p, "/")+"/") {
			return true
		}
	}
	return false
}

// Gateway is a running AI node.
type Gateway struct {
	cfg     Config
	chain   Chain
	store   *cas.Store
	queue   *queue.Queue
	replay  *auth.ReplayCache
	access  *accessCache
	metrics *metrics
	log     *slog.Logger
	client  *http.Client
	pinner  *cas.Pinner
	pins    chan cid.Cid
	now     func() time.Time

	wake      chan struct{}
	inflight  sync.WaitGroup // requests being served
	slots     chan struct{}  // one per authenticated call being served, at most MaxConcurrent
	userCalls slots.PerKey   // calls in progress per caller, at most maxCallsPerUser
	// nonceCalls holds each request in progress by its caller and nonce: the same signed request
	// sent again while the first is still being served (its nonce not yet recorded) is a replay.
	nonceCalls slots.PerKey
	bodies     *semaphore.Weighted // memory of the bodies of authenticated, allowed callers being read (bodyBudget)
	// anonBodies is the memory of the bodies being read of callers that did not declare their
	// body's hash, before they are authenticated (anonBodyBudget), and anonPerClient each
	// client's share of it (anonClientBudget).
	anonBodies    *semaphore.Weighted
	anonPerClient *clientBytes
	// bodyGrace is the time a request body has on top of its length at minBodyRate.
	bodyGrace time.Duration
	// notBefore is the second after Run started serving (unix seconds): the nonces seen before
	// are forgotten, so a request signed earlier, or in the start second, is refused (it may
	// have been served already).
	notBefore atomic.Int64
	lastSent  map[uint64]time.Time
	lastTO    time.Time
	flushMu   sync.Mutex
	// batchSize and maxUnits are cfg.BatchSize and cfg.MaxUnits within the chain's
	// max_receipts_per_msg and max_units_per_record, read again every paramsRefresh
	// (paramsAt, under flushMu): governance may change them while the node runs.
	batchSize atomic.Int64
	maxUnits  atomic.Uint64
	paramsAt  time.Time
	// accessErr is the last access query's failure (nil once one succeeds), flushErr the last
	// receipt flush's: /healthz is degraded while either is set.
	accessErr error
	flushErr  error
	healthMu  sync.Mutex

	// diskFree answers the free space of the data directory's file system; its last answer is
	// reused for diskCheckEvery.
	diskFree  func(dir string) (uint64, error)
	diskMu    sync.Mutex
	diskAt    time.Time
	diskBytes uint64
	diskKnown bool
}

// New opens the gateway's store and queue. Records left in the queue by a previous run count
// against their users' quotas until they are committed, and those the chain refused that were
// served today (UTC) until the day ends.
func New(cfg Config, chain Chain, logger *slog.Logger) (*Gateway, error) {
	return newGateway(cfg, chain, logger, time.Now)
}

// newGateway is New with the clock the gateway reads.
func newGateway(cfg Config, chain Chain, logger *slog.Logger, now func() time.Time) (*Gateway, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	store, err := cas.Open(cfg.Dir + "/blocks")
	if err != nil {
		return nil, err
	}
	q, err := queue.Open(cfg.Dir + "/queue")
	if err != nil {
		return nil, err
	}
	g := &Gateway{
		cfg: cfg, chain: chain, store: store, queue: q, log: logger, now: now,
		replay: auth.NewReplayCache(cfg.TimestampWindow, cfg.ReplayCacheSize),
		client: &http.Client{
			Timeout:   cfg.UpstreamTimeout,
			Transport: upstreamTransport(cfg.MaxConcurrent),
			// A redirect is the model's answer, passed back to the caller: following it could
			// lead the gateway away from the listing's upstream.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		wake:          make(chan struct{}, 1),
		slots:         make(chan struct{}, cfg.MaxConcurrent),
		bodies:        semaphore.NewWeighted(bodyBudget(cfg)),
		anonBodies:    semaphore.NewWeighted(anonBodyBudget(cfg)),
		anonPerClient: &clientBytes{limit: anonClientBudget(cfg), held: map[string]int64{}},
		bodyGrace:     bodyGrace,
		lastSent:      map[uint64]time.Time{},
		diskFree:      freeBytes,
	}
	g.batchSize.Store(int64(cfg.BatchSize))
	g.maxUnits.Store(cfg.MaxUnits)
	g.access = newAccessCache(chain, cfg.AccessCacheTTL, func() time.Time { return g.now() }, lookupPlaces(cfg.MaxConcurrent))
	g.access.queried = g.accessQueried
	g.metrics = newMetrics(g)
	if cfg.IPFSAPI != "" {
		g.pinner = &cas.Pinner{API: strings.TrimRight(cfg.IPFSAPI, "/"), Client: &http.Client{Timeout: 30 * time.Second}}
		g.startPinning()
	}
	for _, r := range q.Pending() {
		g.access.reserve(r.ListingID, r.User)
	}
	for _, b := range q.Batches() {
		for _, r := range b.Records {
			g.access.reserve(r.ListingID, r.User)
		}
		// A new batch's timeout (its unordered nonce) must differ from those still in flight,
		// even if the clock went back across the restart.
		if b.Timeout.After(g.lastTO) {
			g.lastTO = b.Timeout
		}
	}
	// The records the chain refused, kept in rejected/, of requests served today: they count
	// against the quota until the day ends, as they did in the run that served them. One still
	// in a batch (a crash between writing it to rejected/ and removing its batch) is reserved
	// above and counted when the batch is requeued again.
	inBatch := map[uint64]bool{}
	for _, b := range q.Batches() {
		for _, r := range b.Records {
			inBatch[r.Seq] = true
		}
	}
	today := time.Unix(utcDay(now())*secondsPerDay, 0)
	bad, err := q.EachRejected(today, func(r queue.Rejected) {
		if !inBatch[r.Record.Seq] {
			g.access.forfeitServed(r.Record.ListingID, r.Record.User, r.Record.ServedAt)
		}
	})
	if err != nil {
		return nil, err
	}
	if bad > 0 {
		logger.Warn("files in the queue's rejected folder do not parse; their records do not count against today's quotas", "files", bad)
	}
	return g, nil
}

// Handler returns the gateway's HTTP routes for callers: /metrics among them unless
// MetricsListen is set.
func (g *Gateway) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/listings/", g.serveListing)
	mux.Handle("/ipfs/", g.store)
	if g.cfg.MetricsListen == "" {
		mux.Handle("/metrics", g.MetricsHandler())
	}
	mux.HandleFunc("/healthz", g.serveHealth)
	return mux
}

// MetricsHandler serves the gateway's Prometheus metrics.
func (g *Gateway) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(g.metrics.registry, promhttp.HandlerOpts{})
}

// apiError is the JSON body of every refusal.
type apiError struct {
	Error   string `json:"error"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

func (g *Gateway) refuse(w http.ResponseWriter, status int, outcome, reason, msg string) {
	g.metrics.requests.WithLabelValues(outcome).Inc()
	if reason != "" {
		g.metrics.refusals.WithLabelValues(reason).Inc()
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(apiError{Error: http.StatusText(status), Reason: reason, Message: msg})
}

// serveListing handles /listings/{id}/{path...}: authenticate, check access, forward, store,
// queue the receipt, answer.
func (g *Gateway) serveListing(w http.ResponseWriter, r *http.Request) {
	g.inflight.Add(1)
	defer g.inflight.Done()

	rest := strings.TrimPrefix(r.URL.Path, "/listings/")
	idStr, suffix, _ := strings.Cut(rest, "/")
	listingID, err := strconv.ParseUint(idStr, 10, 64)
	if err != nil {
		g.refuse(w, http.StatusNotFound, "not_found", "", "expected /listings/<listing id>/<path>")
		return
	}
	upstream, ok := g.cfg.Listings[listingID]
	if !ok {
		g.refuse(w, http.StatusNotFound, "not_found", "", fmt.Sprintf("this node does not serve listing %d", listingID))
		return
	}
	if err := checkSuffix(suffix); err != nil {
		g.refuse(w, http.StatusBadRequest, "bad_request", "bad_path", err.Error())
		return
	}
	if rt, limited := g.cfg.Routes[listingID]; limited && !rt.admits(strings.ToUpper(r.Method), suffix) {
		g.refuse(w, http.StatusNotFound, "not_found", "route_not_allowed",
			fmt.Sprintf("listing %d does not serve %s /%s on this node", listingID, r.Method, suffix))
		return
	}

	// Authentication. The credentials and their timestamp are checked first. A caller that
	// declares its body's hash (auth.HeaderBodyHash) is then authenticated, and its access
	// checked, before its body is read: the body budget holds only bodies of callers who may
	// be served. A caller that does not has its body read first, within its client's share of a
	// smaller budget (anonBodyBudget), then the signature over its hash is checked. Call slots are
	// taken only once the caller is authenticated and allowed, so callers without a valid
	// signature, or without access, cannot hold them.
	signed, err := auth.FromHeaders(r.Header, auth.Request{
		ChainID: g.cfg.ChainID, ListingID: listingID, Method: r.Method, Path: signedPath(r),
	})
	if err == nil {
		err = auth.CheckTime(signed.Timestamp, g.now(), g.cfg.TimestampWindow)
	}
	if err == nil {
		err = auth.CheckNotBefore(signed.Timestamp, g.notBefore.Load())
	}
	declared := err == nil && signed.BodyHash != ""
	if declared {
		// Until its body is read, a refusal closes the connection: the server would otherwise
		// wait for the unread body before answering.
		w.Header().Set("Connection", "close")
	}
	if err == nil && !declared {
		body, ok := g.readBody(w, r, clientShare{g.anonBodies, g.anonPerClient, cas.ClientKey(r.RemoteAddr)})
		if !ok {
			return
		}
		signed.Body = body
	}
	var user string
	if err == nil {
		var addr sdk.AccAddress
		if addr, err = signed.Verify(g.cfg.Bech32Prefix); err == nil {
			// The canonical (lower-case) spelling: one account has one quota and one nonce set
			// whichever case its address was written in.
			user, err = bech32.ConvertAndEncode(g.cfg.Bech32Prefix, addr)
		}
	}
	if err == nil {
		// Only looked up here: the nonce is recorded once the access decision is made.
		err = g.replay.Check(user, signed.Nonce, signed.Timestamp, g.now())
	}
	if err != nil {
		g.refuseAuth(w, err)
		return
	}
	// A copy of a request in progress (its headers captured while its body uploads, say) would
	// otherwise pass Check until the first records its nonce, and hold the caller's places and
	// quota meanwhile: it is refused as the replay it is.
	inProgress := user + "/" + signed.Nonce
	if !g.nonceCalls.Take(inProgress, 1) {
		g.refuseAuth(w, &auth.Error{Reason: auth.ReasonReplay, Message: "this request (its nonce) is already being served"})
		return
	}
	defer g.nonceCalls.Done(inProgress)

	// One caller may hold only a share of the call slots: a call holds its slot until its
	// answer is written, so a caller that never reads its answers could otherwise hold them all.
	if !g.userCalls.Take(user, g.maxCallsPerUser()) {
		w.Header().Set("Retry-After", "1")
		g.refuse(w, http.StatusServiceUnavailable, "unavailable", "busy",
			fmt.Sprintf("%s has %d calls in progress on this node, the most one caller may; retry shortly", user, g.maxCallsPerUser()))
		return
	}
	defer g.userCalls.Done(user)

	// Access, before a call slot: a caller whose answer is cached is decided at once; one whose
	// answer must be asked of the chain takes one of a few lookup places (accessCache.lookups),
	// so callers of new keys cannot hold every call slot while the chain answers slowly.
	v, _, err := g.access.check(r.Context(), listingID, user)
	if errors.Is(err, errLookupsBusy) {
		w.Header().Set("Retry-After", "1")
		g.refuse(w, http.StatusServiceUnavailable, "unavailable", "busy",
			fmt.Sprintf("the node is asking the chain about %d callers, its limit; retry shortly", cap(g.access.lookups)))
		return
	}
	if err != nil {
		g.refuse(w, http.StatusServiceUnavailable, "unavailable", "chain_unreachable",
			"the chain cannot be asked whether you may use this listing; retry shortly")
		return
	}
	if !v.allowed {
		// Sent again, this request is refused as a replay, as a served one would be; its nonce
		// is kept apart from those of served requests (see auth.ReplayCache).
		g.replay.UseRefused(user, signed.Nonce, signed.Timestamp, g.now())
		if v.quota {
			w.Header().Set("Retry-After", strconv.FormatInt(g.untilNextDay(v.res.Day), 10))
			g.refuse(w, http.StatusTooManyRequests, "quota", "quota_exhausted", fmt.Sprintf(
				"daily quota of %d requests used up (%d recorded today, %d served and not yet recorded); it renews at 00:00 UTC of block time",
				v.res.Quota, v.res.UsedToday, v.pending))
			return
		}
		g.refuse(w, http.StatusForbidden, "forbidden", strings.ReplaceAll(v.reason, " ", "_"), fmt.Sprintf(
			"%s may not use listing %d: %s (stake %s ubai, required %s ubai)", user, listingID, v.reason, v.res.Stake, v.res.RequiredStake))
		return
	}
	served := false
	defer func() {
		if !served {
			g.access.release(listingID, user)
		}
	}()
	if declared {
		body, ok := g.readBody(w, r, g.bodies)
		if !ok {
			return
		}
		if auth.BodySHA256(body) != signed.BodyHash {
			g.refuseAuth(w, &auth.Error{Reason: auth.ReasonBadSignature, Message: fmt.Sprintf(
				"the signature does not match the request: the body's SHA-256 is not its %s", auth.HeaderBodyHash)})
			return
		}
		signed.Body = body
		w.Header().Del("Connection")
	}
	body := signed.Body

	select {
	case g.slots <- struct{}{}:
		defer func() { <-g.slots }()
	default:
		w.Header().Set("Retry-After", "1")
		g.refuse(w, http.StatusServiceUnavailable, "unavailable", "busy",
			fmt.Sprintf("the node is serving %d calls, its limit; retry shortly", cap(g.slots)))
		return
	}

	if free, low := g.diskLow(); low {
		w.Header().Set("Retry-After", "60")
		g.refuse(w, http.StatusServiceUnavailable, "unavailable", "disk_full", fmt.Sprintf(
			"the node has %d bytes of disk free, under its min-free-disk of %d, and cannot store the call; not charged", free, g.cfg.MinFreeDisk))
		return
	}
	if err := g.replay.Use(user, signed.Nonce, signed.Timestamp, g.now()); err != nil {
		g.refuseAuth(w, err)
		return
	}

	// Forwarding.
	status, header, respBody, outcome, ferr := g.forward(r, upstream, suffix, body, user, listingID)
	if ferr != nil {
		code := http.StatusBadGateway
		if outcome == "upstream_timeout" {
			code = http.StatusGatewayTimeout
		}
		g.refuse(w, code, outcome, outcome, ferr.Error())
		return
	}
	if status < 200 || status > 299 {
		// The model refused the call (4xx): passed through, not charged.
		g.metrics.requests.WithLabelValues("upstream_refused").Inc()
		copyHeader(w.Header(), header)
		w.WriteHeader(status)
		_, _ = w.Write(respBody)
		return
	}

	// Content addressing and the receipt, durable before the answer.
	reqCID, err := g.store.Put(body)
	if err == nil {
		var respCID = reqCID
		respCID, err = g.store.Put(respBody)
		if err == nil {
			units := uint64(1)
			if u, perr := strconv.ParseUint(header.Get(HeaderUnits), 10, 64); perr == nil && u > 0 {
				units = u
			}
			if max := g.maxUnits.Load(); max > 0 && units > max {
				units = max // the chain refuses a record above its max_units_per_record
			}
			_, err = g.queue.Append(queue.Record{
				ListingID: listingID, User: user, RequestCID: reqCID.String(), ResponseCID: respCID.String(),
				Units: units, ServedAt: g.now(),
			})
			if err == nil {
				served = true
				g.pin(reqCID)
				g.pin(respCID)
				g.metrics.requests.WithLabelValues("served").Inc()
				copyHeader(w.Header(), header)
				w.Header().Set(HeaderRequestCID, reqCID.String())
				w.Header().Set(HeaderResponseCID, respCID.String())
				w.WriteHeader(status)
				_, _ = w.Write(respBody)
				g.nudge()
				return
			}
		}
	}
	g.log.Error("cannot store the request or its receipt", "err", err)
	g.refuse(w, http.StatusInternalServerError, "internal", "storage", "the node cannot store the receipt; not charged")
}

// refuseAuth answers an authentication failure: 401 with its reason, or 503 when the nonce
// cache is full.
func (g *Gateway) refuseAuth(w http.ResponseWriter, err error) {
	var ae *auth.Error
	reason := "unauthorized"
	if errors.As(err, &ae) {
		reason = ae.Reason
	}
	if errors.Is(err, auth.ErrCacheFull) {
		g.refuse(w, http.StatusServiceUnavailable, "unavailable", reason, err.Error())
		return
	}
	g.refuse(w, http.StatusUnauthorized, "unauthorized", reason, err.Error())
}

// minBodyRate is the slowest a caller may send its request body: the body's read deadline is
// bodyGrace plus its announced length at this rate (at most bodyTimeout).
const (
	minBodyRate = 256 << 10 // bytes per second
	bodyGrace   = 10 * time.Second
)

// maxCallsPerUser is the most calls one caller may have in progress at once: an eighth of
// max-concurrent-requests (at least 1).
func (g *Gateway) maxCallsPerUser() int { return max(1, g.cfg.MaxConcurrent/8) }

// readBody reads the request body before the caller is authenticated. The memory of bodies being
// read shares a budget (bodyBudget), taken as it is allocated: the body arrives in chunks, each
// taken from the budget when it is made, and no chunk is made before the body's first byte
// arrives, so headers anyone can forge, announcing a body that never comes, hold nothing. Once
// the body has arrived it is copied into one slice of its exact length, taken from the budget
// before the chunks are dropped. A body must arrive at minBodyRate: a caller without a valid
// signature holds neither memory nor a connection for long. It answers the refusal itself when
// it returns false.
func (g *Gateway) readBody(w http.ResponseWriter, r *http.Request, budget memoryBudget) ([]byte, bool) {
	if r.ContentLength > g.cfg.MaxBodyBytes {
		g.refuse(w, http.StatusRequestEntityTooLarge, "bad_request", "body_too_large",
			fmt.Sprintf("request body of %d bytes is over %d bytes", r.ContentLength, g.cfg.MaxBodyBytes))
		return nil, false
	}
	length := r.ContentLength
	if length < 0 {
		length = g.cfg.MaxBodyBytes
	}
	deadline := g.bodyGrace + time.Duration(length/minBodyRate)*time.Second
	if deadline > bodyTimeout {
		deadline = bodyTimeout
	}
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(deadline))
	var (
		// chunks are the chunks filled so far; cur, the one being filled, is first a single
		// byte, which waits for the body to start without holding a chunk.
		chunks   [][]byte
		cur      = make([]byte, 0, 1)
		received int64
		held     int64 // taken from the budget
		err      error
	)
	busy := func() ([]byte, bool) {
		budget.Release(held)
		w.Header().Set("Retry-After", "1")
		g.refuse(w, http.StatusServiceUnavailable, "unavailable", "busy",
			"the node is receiving too many request bodies; retry shortly")
		return nil, false
	}
	src := http.MaxBytesReader(w, r.Body, g.cfg.MaxBodyBytes)
	for {
		if r.ContentLength >= 0 && received == r.ContentLength {
			// All the announced bytes came: the server reads no further body.
			err = io.EOF
			break
		}
		if len(cur) == cap(cur) {
			chunks = append(chunks, cur)
			// A chunk as large as what came so far (from minBodyChunk to bodyChunk), and no
			// larger than what is left of the announced length, or of max-body-bytes plus the
			// byte that shows a body over it.
			size := min(max(received, minBodyChunk), bodyChunk)
			if r.ContentLength >= 0 {
				size = min(size, r.ContentLength-received)
			} else {
				size = min(size, g.cfg.MaxBodyBytes-received+1)
			}
			if !budget.TryAcquire(size) {
				return busy()
			}
			held += size
			cur = make([]byte, 0, size)
		}
		var n int
		n, err = src.Read(cur[len(cur):cap(cur)])
		cur = cur[:len(cur)+n]
		received += int64(n)
		if err != nil {
			break
		}
	}
	chunks = append(chunks, cur)
	if !errors.Is(err, io.EOF) {
		// Released before any answer is written: a caller that has its answer finds the budget
		// as it left it.
		budget.Release(held)
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			g.refuse(w, http.StatusRequestEntityTooLarge, "bad_request", "body_too_large",
				fmt.Sprintf("request body over %d bytes", g.cfg.MaxBodyBytes))
			return nil, false
		}
		g.refuse(w, http.StatusRequestTimeout, "bad_request", "body_incomplete",
			fmt.Sprintf("the request body did not arrive in time (%s for its length)", deadline))
		return nil, false
	}
	if !budget.TryAcquire(received) {
		return busy()
	}
	held += received
	body := make([]byte, 0, received)
	for _, c := range chunks {
		body = append(body, c...)
	}
	budget.Release(held)
	return body, true
}

// bodyChunk is the largest chunk a request body is read into (and taken from the body budget
// at once); minBodyChunk the smallest, but for the last bytes of an announced length.
const (
	bodyChunk    = 32 << 10
	minBodyChunk = 512
)

// bodyBudget is the memory the request bodies of authenticated callers with access (who
// declared their body's hash) may hold while they are read:
// max-concurrent-requests × max-body-bytes, and at least two bodies of max-body-bytes, since a
// body holds twice its length while its chunks are copied into one slice.
func bodyBudget(cfg Config) int64 {
	return int64(max(cfg.MaxConcurrent, 2)) * cfg.MaxBodyBytes
}

// anonBodyBudget is the memory the bodies of callers that did not declare their body's hash
// may hold while they are read, before the caller is authenticated: a quarter of bodyBudget, at
// least four bodies of max-body-bytes. Anyone may send such a body, key or no key, so one client
// (cas.ClientKey: an IP address, an IPv6 /64) may hold at most anonClientBudget of it: filling it
// takes many addresses. Callers that declare the hash are read within bodyBudget once they may
// be served.
func anonBodyBudget(cfg Config) int64 {
	return int64(max(cfg.MaxConcurrent/4, 4)) * cfg.MaxBodyBytes
}

// anonClientBudget is one client's share of anonBodyBudget: one body of max-body-bytes, held
// twice while it is copied.
func anonClientBudget(cfg Config) int64 { return 2 * cfg.MaxBodyBytes }

// memoryBudget is what readBody takes a body's memory from.
type memoryBudget interface {
	TryAcquire(n int64) bool
	Release(n int64)
}

// clientBytes counts the memory each client holds of a budget, at most limit each.
type clientBytes struct {
	mu    sync.Mutex
	limit int64
	held  map[string]int64
}

// clientShare is a budget taken from both total and client's share of it.
type clientShare struct {
	total  *semaphore.Weighted
	shares *clientBytes
	client string
}

// TryAcquire takes n from the client's share and the total, or nothing.
func (c clientShare) TryAcquire(n int64) bool {
	c.shares.mu.Lock()
	defer c.shares.mu.Unlock()
	if c.shares.held[c.client]+n > c.shares.limit || !c.total.TryAcquire(n) {
		return false
	}
	c.shares.held[c.client] += n
	return true
}

// Release gives n back to both.
func (c clientShare) Release(n int64) {
	if n == 0 {
		return
	}
	c.shares.mu.Lock()
	defer c.shares.mu.Unlock()
	c.total.Release(n)
	if c.shares.held[c.client] -= n; c.shares.held[c.client] <= 0 {
		delete(c.shares.held, c.client)
	}
}

// checkSuffix refuses a path (after /listings/<id>/) with a "." or ".." segment, however it
// was encoded, including one followed by ";parameters" (which servlet containers read as the
// segment alone), and a backslash (which some servers read as a separator): the call must
// stay under the listing's upstream base URL.
func checkSuffix(suffix string) error {
	for _, seg := range strings.Split(suffix, "/") {
		if strings.Contains(seg, "\\") {
			return errors.New(`the path may not hold a backslash`)
		}
		if base, _, _ := strings.Cut(seg, ";"); base == "." || base == ".." {
			return errors.New(`the path may not hold "." or ".." segments`)
		}
	}
	return nil
}

// signedPath is the path and query exactly as the caller sent them (the request target), which
// is what the caller signed; r.URL.RequestURI() would re-encode characters such as '|'.
func signedPath(r *http.Request) string {
	if strings.HasPrefix(r.RequestURI, "/") {
		return r.RequestURI
	}
	return r.URL.RequestURI()
}

// safeHeaders are the request headers passed to the upstream.
var safeHeaders = []string{"Content-Type", "Accept", "Accept-Language", "User-Agent"}

func (g *Gateway) forward(r *http.Request, upstream *url.URL, suffix string, body []byte, user string, listingID uint64) (int, http.Header, []byte, string, error) {
	target := *upstream
	target.Path = strings.TrimRight(upstream.Path, "/") + "/" + suffix
	target.RawQuery = r.URL.RawQuery
	ctx, cancel := context.WithTimeout(r.Context(), g.cfg.UpstreamTimeout)
	defer cancel()
	// The method as signed (the digest takes it in upper case), whatever case it was sent in.
	req, err := http.NewRequestWithContext(ctx, strings.ToUpper(r.Method), target.String(), bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, "upstream_error", err
	}
	for _, h := range safeHeaders {
		if v := r.Header.Values(h); len(v) > 0 {
			req.Header[h] = v
		}
	}
	req.Header.Set(HeaderUser, user)
	req.Header.Set(HeaderListing, strconv.FormatUint(listingID, 10))
	start := time.Now()
	res, err := g.client.Do(req)
	if err != nil {
		if isTimeout(err) {
			return 0, nil, nil, "upstream_timeout", fmt.Errorf("the model did not answer within %s; not charged", g.cfg.UpstreamTimeout)
		}
		return 0, nil, nil, "upstream_error", errors.New("the model's API cannot be reached; not charged")
	}
	defer res.Body.Close()
	respBody, err := io.ReadAll(io.LimitReader(res.Body, g.cfg.MaxResponseBytes+1))
	g.metrics.upstream.Observe(time.Since(start).Seconds())
	if err != nil {
		if isTimeout(err) {
			return 0, nil, nil, "upstream_timeout", fmt.Errorf("the model did not finish its answer within %s; not charged", g.cfg.UpstreamTimeout)
		}
		g.log.Warn("reading the model's answer failed", "listing", listingID, "err", err)
		return 0, nil, nil, "upstream_error", errors.New("the model's answer broke off; not charged")
	}
	if int64(len(respBody)) > g.cfg.MaxResponseBytes {
		return 0, nil, nil, "upstream_error", fmt.Errorf("the model's answer is over %d bytes; not charged", g.cfg.MaxResponseBytes)
	}
	if res.StatusCode >= 500 {
		return 0, nil, nil, "upstream_error", fmt.Errorf("the model's API failed (%s); not charged", res.Status)
	}
	if loc := callerLocation(res.Header.Get("Location"), &target, upstream, listingID); loc != "" {
		res.Header.Set("Location", loc)
	} else {
		res.Header.Del("Location")
	}
	return res.StatusCode, res.Header, respBody, "", nil
}

// callerLocation is the model's Location header (a redirect's target, a created resource) as
// the caller is given it. Resolved against the URL called:
//   - under the listing's upstream base URL, it becomes the same path (and query) under
//     /listings/<id>/ on this node, which the caller can call signed (unless its path holds an
//     encoded slash, which the node would forward as a separator: dropped);
//   - elsewhere on the upstream's host (however spelled: case, a trailing dot, the scheme's
//     default port, an IP literal's forms) it is dropped: it would name the model's address,
//     which the node keeps to itself, and nothing there is served through the node;
//   - on another http(s) host it is passed as the model gave it, without user information,
//     unless that host is a loopback, private or link-local address or a single-label name
//     (localhost, a cluster alias): the model's own network, of no use to a caller (dropped).
func callerLocation(loc string, called, upstream *url.URL, listingID uint64) string {
	if loc == "" {
		return ""
	}
	u, err := called.Parse(loc)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	u.User = nil
	if hostKey(u) != hostKey(upstream) {
		if internalHost(u) {
			return ""
		}
		return u.String()
	}
	base := strings.TrimRight(upstream.EscapedPath(), "/") + "/"
	rest, under := strings.CutPrefix(u.EscapedPath(), base)
	if u.Scheme != upstream.Scheme || !under || strings.Contains(strings.ToLower(rest), "%2f") {
		return ""
	}
	out := "/listings/" + strconv.FormatUint(listingID, 10) + "/" + rest
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	if u.Fragment != "" {
		out += "#" + u.EscapedFragment()
	}
	return out
}

// hostKey is u's host and port in one spelling: the canonical host, the scheme's default port
// left out.
func hostKey(u *url.URL) string {
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	return canonicalHost(u) + " " + port
}

// canonicalHost is u's host in lower case, without a trailing dot, an IP literal in its
// canonical form.
func canonicalHost(u *url.URL) string {
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if a, err := netip.ParseAddr(host); err == nil {
		return a.Unmap().String()
	}
	return host
}

// internalHost reports whether u's host is a loopback, private, link-local or unspecified
// address, or a name of one label.
func internalHost(u *url.URL) bool {
	host := canonicalHost(u)
	if a, err := netip.ParseAddr(host); err == nil {
		return a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() || a.IsUnspecified()
	}
	return !strings.Contains(host, ".")
}

// upstreamTransport is the HTTP transport to the models: Go's default, keeping up to
// maxConcurrent idle connections per model instead of 2, so that concurrent calls reuse their
// connections rather than open (and leave in TIME_WAIT) one each.
func upstreamTransport(maxConcurrent int) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 0
	t.MaxIdleConnsPerHost = maxConcurrent
	return t
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// responseHeaders are the upstream headers passed back to the caller.
var responseHeaders = []string{"Content-Type", "Content-Language", "Location", HeaderUnits}

func copyHeader(dst, src http.Header) {
	for _, h := range responseHeaders {
		if v := src.Values(h); len(v) > 0 {
			dst[h] = v
		}
	}
}

// untilNextDay returns the seconds until the next UTC day after day (x/access's day number).
func (g *Gateway) untilNextDay(day int64) int64 {
	s := (day+1)*secondsPerDay - g.now().Unix()
	if s < 1 {
		return 1
	}
	return s
}

// Blocks are pinned on the IPFS node by pinWorkers goroutines from a queue of at most
// pinQueueSize CIDs, so that a slow or unreachable IPFS node never delays a call. A block whose
// CID finds the queue full is not pinned (it stays in the gateway's own store, served at
// /ipfs/<cid>) and counted in bai_gateway_pins_total.
const (
	pinQueueSize = 512
	pinWorkers   = 2
)

// startPinning starts the pin workers; they run for the life of the process. The queue holds
// CIDs, not blocks: a worker reads its block from the store when it sends it, so the memory
// pinning takes is the workers' blocks, whatever the queue's length.
func (g *Gateway) startPinning() {
	g.pins = make(chan cid.Cid, pinQueueSize)
	for range pinWorkers {
		go func() {
			for c := range g.pins {
				data, err := g.store.Get(c)
				if err == nil {
					err = g.pinner.Put(context.Background(), c, data)
				}
				if err != nil {
					g.metrics.pins.WithLabelValues("failed").Inc()
					g.log.Warn("IPFS pin failed", "cid", c.String(), "err", err)
					continue
				}
				g.metrics.pins.WithLabelValues("pinned").Inc()
			}
		}()
	}
}

// pin queues a stored block for the IPFS node, when one is configured.
func (g *Gateway) pin(c cid.Cid) {
	if g.pinner == nil {
		return
	}
	select {
	case g.pins <- c:
	default:
		g.metrics.pins.WithLabelValues("dropped").Inc()
		g.log.Warn("IPFS pin skipped: the pin queue is full", "cid", c.String(), "queue", pinQueueSize)
	}
}

// accessQueried notes the result of an access query to the chain (not one the caller
// abandoned): a failure degrades /healthz until a query succeeds.
func (g *Gateway) accessQueried(err error) {
	g.healthMu.Lock()
	defer g.healthMu.Unlock()
	if err != nil && g.accessErr == nil {
		g.log.Warn("access queries fail: the chain cannot be reached", "err", err)
	}
	g.accessErr = err
}

// flushed notes the result of a receipt flush: a failure degrades /healthz until one succeeds.
func (g *Gateway) flushed(err error) {
	g.healthMu.Lock()
	defer g.healthMu.Unlock()
	g.flushErr = err
}

// serveHealth answers /healthz. What failed is named, not the error's text: the answer is public
// and the text holds internal addresses (the node's log has it).
func (g *Gateway) serveHealth(w http.ResponseWriter, _ *http.Request) {
	g.healthMu.Lock()
	var problem string
	switch {
	case g.flushErr != nil:
		problem = "usage receipts cannot be sent to the chain"
	case g.accessErr != nil:
		problem = "the chain cannot be asked for access decisions"
	}
	g.healthMu.Unlock()
	if _, low := g.diskLow(); low && problem == "" {
		problem = "the data directory's disk has less free space than min-free-disk: calls are refused"
	}
	pending, inFlight, oldest := g.queue.Counts()
	age := 0.0
	if !oldest.IsZero() {
		age = g.now().Sub(oldest).Seconds()
	}
	body := map[string]any{"status": "ok", "receipts_queued": pending, "receipts_in_flight": inFlight, "queue_age_seconds": age}
	w.Header().Set("Content-Type", "application/json")
	if problem != "" {
		body["status"] = "degraded"
		body["error"] = problem
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	_ = json.NewEncoder(w).Encode(body)
}

// diskCheckEvery is how long an answer of the data directory's free space is reused.
const diskCheckEvery = time.Second

// diskLow reports whether the data directory's file system has less than min-free-disk free,
// and the free bytes last read. A free space that cannot be read is not low: the check only
// keeps a call from being forwarded when its blocks and receipt would not fit.
func (g *Gateway) diskLow() (uint64, bool) {
	if g.cfg.MinFreeDisk <= 0 {
		return 0, false
	}
	g.diskMu.Lock()
	defer g.diskMu.Unlock()
	if now := time.Now(); g.diskAt.IsZero() || now.Sub(g.diskAt) >= diskCheckEvery || now.Before(g.diskAt) {
		free, err := g.diskFree(g.cfg.Dir)
		if err != nil && (g.diskKnown || g.diskAt.IsZero()) { // logged once a failure starts
			g.log.Warn("the data directory's free space cannot be read: min-free-disk is not checked", "err", err)
		}
		g.diskAt, g.diskBytes, g.diskKnown = now, free, err == nil
	}
	return g.diskBytes, g.diskKnown && g.diskBytes < uint64(g.cfg.MinFreeDisk)
}

func (g *Gateway) nudge() {
	select {
	case g.wake <- struct{}{}:
	default:
	}
}
