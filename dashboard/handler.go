package dashboard

import (
	"encoding/json"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
)

// Prefix is where the API server serves the dashboard.
const Prefix = "/dashboard/"

// contentTypes are the types of the files a build contains (mime's table depends on the host).
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".json":  "application/json",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".ico":   "image/x-icon",
	".woff2": "font/woff2",
	".txt":   "text/plain; charset=utf-8",
}

// ClientConfig is /dashboard/config.json: where the page finds the chain, as the browser
// reaches this node.
type ClientConfig struct {
	ChainID  string `json:"chainId"`
	REST     string `json:"rest"`
	RPC      string `json:"rpc"`
	Denom    string `json:"denom"`
	GasPrice string `json:"gasPrice"`
}

// Denom and GasPrice are what the dashboard's transactions pay fees in (GasPrice unless the
// node's minimum gas price is higher: Options.GasPrice).
const (
	Denom    = "ubai"
	GasPrice = "0.0025ubai"
)

// Handler serves the files of files under Prefix: index.html at Prefix, the hashed assets (cached
// for good), and config.json built from the request (REST is the origin the page was requested
// from, RPC the configured address or the same host name with rpc.laddr's port). Anything else
// under Prefix is 404; only GET and HEAD are answered.
func Handler(files fs.FS, opts Options) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if r.URL.Path == strings.TrimSuffix(Prefix, "/") {
			http.Redirect(w, r, Prefix, http.StatusMovedPermanently)
			return
		}
		name := strings.TrimPrefix(r.URL.Path, Prefix)
		if !strings.HasPrefix(r.URL.Path, Prefix) || strings.Contains(name, "..") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		// The page asks a wallet to sign: no other site may frame it (clickjacking), and it
		// runs only its own scripts and talks only to this node's REST and RPC.
		cfg := clientConfig(r, opts)
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Content-Security-Policy", contentSecurityPolicy(cfg.RPC))
		switch name {
		case "", "index.html":
			serveFile(w, r, files, "index.html", "no-cache")
		case "config.json":
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Cache-Control", "no-store")
			_ = json.NewEncoder(w).Encode(cfg)
		default:
			if !strings.HasPrefix(name, "assets/") {
				http.NotFound(w, r)
				return
			}
			serveFile(w, r, files, name, "public, max-age=31536000, immutable")
		}
	})
}

// contentSecurityPolicy is the dashboard's policy: its own scripts, styles and images (and the
// data: favicon), connections to its own origin (REST) and to rpc's origin, no plugins, no
// forms posted anywhere, no framing. 'unsafe-eval' is protobufjs's: it compiles its codecs with
// Function in the wallet code; no inline script is allowed.
func contentSecurityPolicy(rpc string) string {
	connect := "'self'"
	if origin := originOf(rpc); origin != "" {
		connect += " " + origin
	}
	return "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
		"connect-src " + connect + "; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}

// plainHost reports whether h is a host name or address with an optional port and nothing
// else.
func plainHost(h string) bool {
	if h == "" {
		return false
	}
	for _, c := range h {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune(".-:[]", c)) {
			return false
		}
	}
	u, err := url.Parse("http://" + h)
	return err == nil && u.Host == h && u.Path == "" && u.User == nil
}

// originOf is the scheme://host[:port] of an http(s) URL, or "" for anything else (including a
// host with characters that could end a CSP directive).
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	for _, c := range u.Host {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune(".-:[]", c)) {
			return ""
		}
	}
	return u.Scheme + "://" + u.Host
}

func serveFile(w http.ResponseWriter, r *http.Request, files fs.FS, name, cache string) {
	b, err := fs.ReadFile(files, path.Clean(name))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	ct, ok := contentTypes[path.Ext(name)]
	if !ok {
		ct = mime.TypeByExtension(path.Ext(name))
	}
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", cache)
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(b)
	}
}

func clientConfig(r *http.Request, opts Options) ClientConfig {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "https" || p == "http" {
		scheme = p
	}
	host := r.Host
	if h := r.Header.Get("X-Forwarded-Host"); h != "" {
		// The last value is the one the nearest proxy set (proxies append); a value that is not
		// a plain host[:port] (a path, a query, anything a URL could be bent with) is ignored.
		parts := strings.Split(h, ",")
		if fwd := strings.TrimSpace(parts[len(parts)-1]); plainHost(fwd) {
			host = fwd
		}
	}
	cfg := ClientConfig{REST: scheme + "://" + host, RPC: opts.RPCAddress, Denom: Denom, GasPrice: opts.GasPrice}
	if cfg.GasPrice == "" {
		cfg.GasPrice = GasPrice
	}
	if opts.ChainID != nil {
		cfg.ChainID = opts.ChainID()
	}
	if cfg.RPC == "" {
		cfg.RPC = rpcFor(scheme, host, opts.RPCListen)
	}
	return cfg
}

// rpcFor is the RPC URL on the requested host name with the port of rpc.laddr ("" when rpc.laddr
// is not a TCP address).
func rpcFor(scheme, host, laddr string) string {
	u, err := url.Parse(laddr)
	if err != nil || u.Scheme != "tcp" {
		return ""
	}
	_, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		return ""
	}
	hostname := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		hostname = h
	}
	return scheme + "://" + net.JoinHostPort(strings.Trim(hostname, "[]"), port)
}
