//go:build e2e

package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/balanceai/balanceai/testutil/e2e"
)

// TestQueryAtLatestBlockHeight: CometBFT reports a block as the latest (blocks/latest, /status)
// before the application has executed and committed it. A client that queries the state at the
// latest block's height (x-cosmos-block-height) is answered once that height is committed, never
// refused with a 500; a height that is really in the future is a 400 that says so.
func TestQueryAtLatestBlockHeight(t *testing.T) {
	n, keys := e2e.SingleNodeChain(t, *baidBin, "height-1", []string{"alice"}, "1000000000000ubai", nil)
	balances := n.RESTURL() + "/cosmos/bank/v1beta1/balances/" + keys["alice"].Address
	client := &http.Client{Timeout: 10 * time.Second}
	get := func(url string, height string) (int, []byte, http.Header) {
		req, err := http.NewRequest(http.MethodGet, url, nil)
		require.NoError(t, err)
		if height != "" {
			req.Header.Set("x-cosmos-block-height", height)
		}
		res, err := client.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res.StatusCode, body, res.Header
	}

	var (
		mu             sync.Mutex
		queries, ahead int
		failures       []string
		wg             sync.WaitGroup
	)
	end := time.Now().Add(20 * time.Second)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				code, body, header := get(n.RESTURL()+"/cosmos/base/tendermint/v1beta1/blocks/latest", "")
				if code != http.StatusOK {
					continue
				}
				var latest struct {
					Block struct {
						Header struct {
							Height string `json:"height"`
						} `json:"header"`
					} `json:"block"`
				}
				if json.Unmarshal(body, &latest) != nil {
					continue
				}
				h := latest.Block.Header.Height
				code, body, _ = get(balances, h)
				mu.Lock()
				queries++
				if header.Get("X-Cosmos-Block-Height") != h {
					ahead++
				}
				if code != http.StatusOK && len(failures) < 5 {
					failures = append(failures, h+": "+strconv.Itoa(code)+" "+string(body))
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	t.Logf("%d queries at the latest block's height, %d of them while that block was not yet committed", queries, ahead)
	require.Positive(t, queries)
	require.Empty(t, failures)

	// Far in the future: refused at once, as the client's mistake.
	code, body, _ := get(balances, strconv.FormatInt(n.Height()+1000, 10))
	require.Equal(t, http.StatusBadRequest, code, string(body))
	require.Contains(t, string(body), "height in the future")

	// Other mistakes of the client's are 4xx too, not the 500s the SDK's modules answer them with.
	for _, c := range []struct {
		path, height string
		code         int
	}{
		{"/cosmos/bank/v1beta1/balances/" + keys["alice"].Address, "-1", http.StatusBadRequest},
		{"/cosmos/bank/v1beta1/balances/" + keys["alice"].Address, "abc", http.StatusBadRequest},
		{"/cosmos/auth/v1beta1/accounts/abc", "", http.StatusBadRequest},
		{"/cosmos/staking/v1beta1/delegations/" + keys["alice"].Address + "x", "", http.StatusBadRequest},
		{"/cosmos/staking/v1beta1/validators/" + keys["alice"].Address, "", http.StatusBadRequest},
		{"/cosmos/tx/v1beta1/txs/abc", "", http.StatusBadRequest},
		{"/balanceai/marketplace/v1/listings?task=%00", "", http.StatusBadRequest},
	} {
		code, body, _ := get(n.RESTURL()+c.path, c.height)
		require.Equal(t, c.code, code, "%s at %q: %s", c.path, c.height, body)
	}
}
