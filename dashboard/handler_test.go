package dashboard

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"
)

func testFiles() fstest.MapFS {
	return fstest.MapFS{
		"index.html":              {Data: []byte("<!doctype html><title>BAI</title>")},
		"assets/index-abc123.js":  {Data: []byte("console.log(1)")},
		"assets/index-abc123.css": {Data: []byte("body{}")},
	}
}

func testOptions() Options {
	return Options{Config: DefaultConfig(), RPCListen: "tcp://0.0.0.0:26657", ChainID: func() string { return "balanceai-test" }}
}

func do(t *testing.T, h http.Handler, method, target string, hdr map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, r *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	return string(b)
}

func TestHandlerServesIndexAndAssets(t *testing.T) {
	h := Handler(testFiles(), testOptions())

	for _, p := range []string{"/dashboard/", "/dashboard/index.html"} {
		r := do(t, h, http.MethodGet, p, nil)
		require.Equal(t, http.StatusOK, r.StatusCode, p)
		require.Equal(t, "text/html; charset=utf-8", r.Header.Get("Content-Type"))
		require.Equal(t, "no-cache", r.Header.Get("Cache-Control"))
		require.Equal(t, "nosniff", r.Header.Get("X-Content-Type-Options"))
		require.Contains(t, body(t, r), "<title>BAI</title>")
	}

	r := do(t, h, http.MethodGet, "/dashboard/assets/index-abc123.js", nil)
	require.Equal(t, http.StatusOK, r.StatusCode)
	require.Equal(t, "text/javascript; charset=utf-8", r.Header.Get("Content-Type"))
	require.Contains(t, r.Header.Get("Cache-Control"), "immutable")
	require.Equal(t, "console.log(1)", body(t, r))

	r = do(t, h, http.MethodGet, "/dashboard/assets/index-abc123.css", nil)
	require.Equal(t, "text/css; charset=utf-8", r.Header.Get("Content-Type"))

	r = do(t, h, http.MethodHead, "/dashboard/assets/index-abc123.js", nil)
	require.Equal(t, http.StatusOK, r.StatusCode)
	require.Empty(t, body(t, r))

	r = do(t, h, http.MethodGet, "/dashboard", nil)
	require.Equal(t, http.StatusMovedPermanently, r.StatusCode)
	require.Equal(t, "/dashboard/", r.Header.Get("Location"))
}

func TestHandlerNotFoundAndMethods(t *testing.T) {
	h := Handler(testFiles(), testOptions())
	for _, p := range []string{
		"/dashboard/assets/missing.js",
		"/dashboard/nope.html",
		"/dashboard/assets/../index.html",
		"/dashboard/assets/",
		"/elsewhere",
	} {
		r := do(t, h, http.MethodGet, p, nil)
		require.Equal(t, http.StatusNotFound, r.StatusCode, p)
	}
	r := do(t, h, http.MethodPost, "/dashboard/", nil)
	require.Equal(t, http.StatusMethodNotAllowed, r.StatusCode)
}

func TestHandlerConfigFollowsTheRequestHost(t *testing.T) {
	h := Handler(testFiles(), testOptions())
	decode := func(r *http.Response) ClientConfig {
		t.Helper()
		require.Equal(t, http.StatusOK, r.StatusCode)
		require.Equal(t, "application/json", r.Header.Get("Content-Type"))
		require.Equal(t, "no-store", r.Header.Get("Cache-Control"))
		var c ClientConfig
		require.NoError(t, json.NewDecoder(r.Body).Decode(&c))
		return c
	}

	c := decode(do(t, h, http.MethodGet, "http://node.example.org:1317/dashboard/config.json", nil))
	require.Equal(t, ClientConfig{ChainID: "balanceai-test", REST: "http://node.example.org:1317", RPC: "http://node.example.org:26657", Denom: "ubai", GasPrice: "0.0025ubai"}, c)

	// Behind a TLS proxy.
	c = decode(do(t, h, http.MethodGet, "http://10.0.0.5:1317/dashboard/config.json",
		map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "bai.example.org"}))
	require.Equal(t, "https://bai.example.org", c.REST)
	require.Equal(t, "https://bai.example.org:26657", c.RPC)

	// Behind two proxies: the nearest one's value (the last) counts.
	c = decode(do(t, h, http.MethodGet, "http://10.0.0.5:1317/dashboard/config.json",
		map[string]string{"X-Forwarded-Host": "evil.example, bai.example.org"}))
	require.Equal(t, "http://bai.example.org", c.REST)

	// A forwarded host that is more than a host (a path or query to bend the URLs with) is
	// ignored: the request's own host is used.
	for _, bad := range []string{"evil.example/x?", "evil.example?", "user@evil.example", "evil.example#", "a b"} {
		c = decode(do(t, h, http.MethodGet, "http://node.example.org:1317/dashboard/config.json",
			map[string]string{"X-Forwarded-Host": bad}))
		require.Equal(t, "http://node.example.org:1317", c.REST, bad)
		require.Equal(t, "http://node.example.org:26657", c.RPC, bad)
	}

	// IPv6 host.
	c = decode(do(t, h, http.MethodGet, "http://[::1]:1317/dashboard/config.json", nil))
	require.Equal(t, "http://[::1]:1317", c.REST)
	require.Equal(t, "http://[::1]:26657", c.RPC)

	// A configured RPC address wins.
	opts := testOptions()
	opts.RPCAddress = "https://rpc.example.org"
	c = decode(do(t, Handler(testFiles(), opts), http.MethodGet, "http://127.0.0.1:1317/dashboard/config.json", nil))
	require.Equal(t, "https://rpc.example.org", c.RPC)

	// A unix-socket rpc.laddr gives no RPC address.
	opts = testOptions()
	opts.RPCListen = "unix:///tmp/rpc.sock"
	c = decode(do(t, Handler(testFiles(), opts), http.MethodGet, "http://127.0.0.1:1317/dashboard/config.json", nil))
	require.Empty(t, c.RPC)
}

type mapOpts map[string]interface{}

func (m mapOpts) Get(k string) interface{} { return m[k] }

func TestOptionsFromAppOptions(t *testing.T) {
	o, err := OptionsFromAppOptions(mapOpts{})
	require.NoError(t, err)
	require.True(t, o.Enable, "a missing [dashboard] section keeps the dashboard on")

	o, err = OptionsFromAppOptions(mapOpts{FlagEnable: false, FlagRPCAddress: "https://rpc.example.org", "rpc.laddr": "tcp://127.0.0.1:26657"})
	require.NoError(t, err)
	require.False(t, o.Enable)
	require.Equal(t, "https://rpc.example.org", o.RPCAddress)
	require.Equal(t, "tcp://127.0.0.1:26657", o.RPCListen)

	_, err = OptionsFromAppOptions(mapOpts{FlagEnable: "maybe"})
	require.ErrorContains(t, err, FlagEnable)

	// The gas price the page pays: the default, or the node's minimum when that is higher (a
	// lower one, another denom or an unreadable value keep the default).
	for min, want := range map[string]string{
		"":                         "0.0025ubai",
		"0.0025ubai":               "0.0025ubai",
		"0.001ubai":                "0.0025ubai",
		"0.01ubai":                 "0.01ubai",
		"1uother,0.05ubai":         "0.05ubai",
		"2ubai":                    "2ubai",
		"5uother":                  "0.0025ubai",
		"not a price":              "0.0025ubai",
		"0.000000000000000001ubai": "0.0025ubai",
	} {
		o, err := OptionsFromAppOptions(mapOpts{"minimum-gas-prices": min})
		require.NoError(t, err)
		require.Equal(t, want, o.GasPrice, "minimum-gas-prices %q", min)
	}
	opts := testOptions()
	opts.GasPrice = "0.01ubai"
	r := do(t, Handler(testFiles(), opts), http.MethodGet, "http://127.0.0.1:1317/dashboard/config.json", nil)
	var c ClientConfig
	require.NoError(t, json.NewDecoder(r.Body).Decode(&c))
	require.Equal(t, "0.01ubai", c.GasPrice)
}

// The embedded build is a real one: index.html loads its assets relatively (so it works under
// /dashboard/ behind any host), and every asset it names is embedded with the right type.
func TestEmbeddedBuild(t *testing.T) {
	h := Handler(Files(), testOptions())
	r := do(t, h, http.MethodGet, "/dashboard/", nil)
	require.Equal(t, http.StatusOK, r.StatusCode)
	html := body(t, r)
	refs := 0
	for _, part := range strings.Split(html, "\"./assets/")[1:] {
		name := "assets/" + part[:strings.IndexByte(part, '"')]
		a := do(t, h, http.MethodGet, "/dashboard/"+name, nil)
		require.Equal(t, http.StatusOK, a.StatusCode, name)
		if strings.HasSuffix(name, ".js") {
			require.Equal(t, "text/javascript; charset=utf-8", a.Header.Get("Content-Type"))
		}
		refs++
	}
	require.GreaterOrEqual(t, refs, 2, "index.html names its script and stylesheet under ./assets/")
}

// Every answer forbids framing and carries a policy that lets the page connect only to its own
// origin and to the RPC address config.json gives it.
func TestHandlerSecurityHeaders(t *testing.T) {
	h := Handler(testFiles(), testOptions())
	for _, p := range []string{"/dashboard/", "/dashboard/config.json", "/dashboard/assets/index-abc123.js"} {
		r := do(t, h, http.MethodGet, "http://node.example.org:1317"+p, nil)
		require.Equal(t, http.StatusOK, r.StatusCode, p)
		require.Equal(t, "DENY", r.Header.Get("X-Frame-Options"), p)
		csp := r.Header.Get("Content-Security-Policy")
		require.Contains(t, csp, "frame-ancestors 'none'", p)
		require.Contains(t, csp, "script-src 'self' 'unsafe-eval';", p)
		require.Contains(t, csp, "connect-src 'self' http://node.example.org:26657;", p)
		require.NotContains(t, csp, "unsafe-inline", p)
	}

	// A configured RPC address is the one allowed.
	opts := testOptions()
	opts.RPCAddress = "https://rpc.example.org/path?x=1"
	r := do(t, Handler(testFiles(), opts), http.MethodGet, "http://127.0.0.1:1317/dashboard/", nil)
	require.Contains(t, r.Header.Get("Content-Security-Policy"), "connect-src 'self' https://rpc.example.org;")

	// A forwarded host that would end the directive is ignored, not copied into the policy.
	r = do(t, h, http.MethodGet, "http://127.0.0.1:1317/dashboard/", map[string]string{"X-Forwarded-Host": "a;script-src *"})
	csp := r.Header.Get("Content-Security-Policy")
	require.Contains(t, csp, "connect-src 'self' http://127.0.0.1:26657;")
	require.NotContains(t, csp, "script-src *")

	// No RPC address (a unix-socket rpc.laddr): its own origin only.
	opts = testOptions()
	opts.RPCListen = "unix:///tmp/rpc.sock"
	r = do(t, Handler(testFiles(), opts), http.MethodGet, "http://127.0.0.1:1317/dashboard/", nil)
	require.Contains(t, r.Header.Get("Content-Security-Policy"), "connect-src 'self';")
}
