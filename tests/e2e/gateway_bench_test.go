//go:build e2e

package e2e

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"github.com/cosmos/cosmos-sdk/types/bech32"

	"github.com/balanceai/balanceai/gateway/auth"
	"github.com/balanceai/balanceai/testutil/e2e"
)

// BenchmarkGatewaySustained loads a real AI node on a real one-validator chain (1 s blocks):
// b.N signed calls from 32 callers at once, then waits until every receipt is committed. It
// reports the calls served per second, the receipts committed per second on chain (from the
// first call to the last receipt), the receipts per transaction and the oldest queued receipt
// seen (queue age: it stays bounded when receipts keep up). Run with `make bench-gateway-load`.
func BenchmarkGatewaySustained(b *testing.B) {
	n, _ := e2e.SingleNodeChain(b, *baidBin, "balanceai-load", []string{"provider", "operator"}, "1000000000000ubai", nil)
	keys := map[string]string{"operator": n.KeyAddress("operator")}
	res := n.Tx("provider", "marketplace", "register-model", "Load model", "text-generation", "https://model.example/v1",
		"bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku", "1.0.0", "1000000000ubai",
		"--min-stake", "0", "--requests-per-day", "0")
	require.Zero(b, res.Code, res.RawLog)
	res = n.Tx("provider", "access", "set-operators", "1", keys["operator"])
	require.Zero(b, res.Code, res.RawLog)
	model := &gwModel{t: b, addr: "127.0.0.1:0"}
	model.start()
	gw := startGateway(b, n, fmt.Sprintf("127.0.0.1:%d", e2e.FreePort(b)), "http://"+model.addr,
		"--batch-size", "100", "--flush-interval", "500ms")

	const callers = 32
	keysFor := make([]*secp256k1.PrivKey, callers)
	addrs := make([]string, callers)
	for i := range keysFor {
		keysFor[i] = secp256k1.GenPrivKeyFromSecret([]byte(fmt.Sprintf("load-%d", i)))
		addrs[i], _ = bech32.ConvertAndEncode("bai", keysFor[i].PubKey().Address())
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: callers}}
	var maxAge atomic.Int64
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(200 * time.Millisecond):
				if a := int64(gw.metric("bai_gateway_queue_age_seconds") * 1000); a > maxAge.Load() {
					maxAge.Store(a)
				}
			}
		}
	}()

	b.ResetTimer()
	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < callers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				body := fmt.Sprintf(`{"prompt":"load %d"}`, i)
				req, _ := http.NewRequest(http.MethodPost, gw.url+"/listings/1/v1/completions", strings.NewReader(body))
				signed := auth.Request{ChainID: n.ChainID, ListingID: 1, Method: "POST", Path: "/listings/1/v1/completions",
					Body: []byte(body), Timestamp: time.Now().Unix(), Nonce: auth.NewNonce()}
				if err := auth.SignRequest(req.Header, signed, addrs[w], func(m []byte) ([]byte, []byte, error) {
					sig, err := keysFor[w].Sign(m)
					return sig, keysFor[w].PubKey().Bytes(), err
				}); err != nil {
					b.Error(err)
					return
				}
				r, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, r.Body)
				r.Body.Close()
				if r.StatusCode != http.StatusOK {
					b.Errorf("status %d", r.StatusCode)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	served := time.Since(start)
	var totals struct {
		Totals struct {
			Requests string `json:"requests"`
		} `json:"totals"`
	}
	n.Eventually(10*time.Minute, "every receipt committed", func() bool {
		n.RESTJSON("/balanceai/access/v1/usage/1?pagination.limit=1", &totals)
		return totals.Totals.Requests == strconv.Itoa(b.N)
	})
	recorded := time.Since(start)
	b.StopTimer()
	close(stop)
	b.ReportMetric(float64(b.N)/served.Seconds(), "calls/s")
	b.ReportMetric(float64(b.N)/recorded.Seconds(), "receipts/s")
	b.ReportMetric(float64(maxAge.Load())/1000, "max-queue-age-s")
	if batches := gw.metric(`bai_gateway_batches_total{result="committed"}`); batches > 0 {
		b.ReportMetric(float64(b.N)/batches, "receipts/tx")
	}
}
