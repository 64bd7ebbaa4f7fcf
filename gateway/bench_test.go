package gateway

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/balanceai/balanceai/gateway/auth"
)

// BenchmarkOverhead measures what the gateway adds to a call: the same request sent straight
// to a model stand-in and through the gateway (signature check, cached access decision,
// forwarding, two content-addressed writes and a synced queue record), at 1, 8 and 64
// concurrent callers. It reports p50 and p99 latency; compare the two in one run
// (`make bench-gateway`), never against a fixed time.
func BenchmarkOverhead(b *testing.B) {
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(append([]byte(`{"echo":`), append(body, '}')...))
	}))
	defer upstream.Close()
	u, _ := url.Parse(upstream.URL)
	chain := newFakeChain()
	callers := make([]caller, 64)
	for i := range callers {
		callers[i] = newCaller(fmt.Sprintf("bench-%d", i))
		chain.allow(callers[i].addr, 1<<40)
	}
	cfg := DefaultConfig()
	cfg.ChainID, cfg.Dir, cfg.Listings = testChainID, b.TempDir(), map[uint64]*url.URL{1: u}
	cfg.AccessCacheTTL = time.Hour
	g, err := New(cfg, chain, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(b, err)
	gw := httptest.NewServer(g.Handler())
	defer gw.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}

	for _, conc := range []int{1, 8, 64} {
		for _, via := range []string{"direct", "gateway"} {
			b.Run(fmt.Sprintf("%s/callers=%d", via, conc), func(b *testing.B) {
				// Requests are signed before the clock starts: signing is the caller's cost.
				reqs := make([]*http.Request, b.N)
				for i := range reqs {
					body := fmt.Sprintf(`{"prompt":"request %d"}`, i)
					target := upstream.URL + "/v1/completions"
					if via == "gateway" {
						target = gw.URL + "/listings/1/v1/completions"
					}
					req, _ := http.NewRequest(http.MethodPost, target, strings.NewReader(body))
					if via == "gateway" {
						c := callers[i%conc]
						signed := auth.Request{ChainID: testChainID, ListingID: 1, Method: "POST", Path: "/listings/1/v1/completions",
							Body: []byte(body), Timestamp: time.Now().Unix(), Nonce: auth.NewNonce()}
						require.NoError(b, auth.SignRequest(req.Header, signed, c.addr, func(m []byte) ([]byte, []byte, error) {
							sig, err := c.key.Sign(m)
							return sig, c.key.PubKey().Bytes(), err
						}))
						// Warm the access decision of every caller.
						_, _, _ = g.access.check(context.Background(), 1, c.addr)
						g.access.release(1, c.addr)
					}
					reqs[i] = req
				}
				lat := make([]time.Duration, b.N)
				var next int64
				var mu sync.Mutex
				var wg sync.WaitGroup
				b.ResetTimer()
				for w := 0; w < conc; w++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for {
							mu.Lock()
							i := next
							next++
							mu.Unlock()
							if i >= int64(b.N) {
								return
							}
							start := time.Now()
							res, err := client.Do(reqs[i])
							if err != nil {
								b.Error(err)
								return
							}
							_, _ = io.Copy(io.Discard, res.Body)
							res.Body.Close()
							if res.StatusCode != http.StatusOK {
								b.Errorf("status %d", res.StatusCode)
								return
							}
							lat[i] = time.Since(start)
						}
					}()
				}
				wg.Wait()
				b.StopTimer()
				sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			})
		}
	}
}
