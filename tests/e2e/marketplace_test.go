//go:build e2e

package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/balanceai/balanceai/testutil/e2e"
)

// The marketplace scenario of issue 4 (x/marketplace/README.md, docs/spec/marketplace.md).
const (
	mpChainID      = "balanceai-marketplace-e2e"
	mpCodespace    = "marketplace"
	mpUnlockPeriod = 10 * time.Second
	mpTxFee        = int64(5_000)         // e2e.DefaultFees
	mpRegFee       = int64(10_000_000)    // registration_fee, 10 BAI
	mpModelColl    = int64(1_000_000_000) // min_model_collateral, 1,000 BAI
	mpAgentColl    = int64(500_000_000)   // min_agent_collateral, 500 BAI
	mpBalance      = "1000000000000ubai"  // every key's genesis balance
	mpCIDv1        = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
	mpCIDv0        = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"
	mpModelEndpt   = "https://node.example.com/v1"
	mpAgentEndpt   = "https://agent.example.com"
	mpListingsPath = "/balanceai/marketplace/v1/listings"
)

// Registered error codes of x/marketplace (x/marketplace/types/errors.go).
const (
	mpErrInvalidCID           = 3
	mpErrInvalidCollateral    = 7
	mpErrInvalidComponents    = 8
	mpErrNotOwner             = 10
	mpErrWithdrawBelowMinimum = 13
)

type mpCoin struct {
	Denom  string `json:"denom"`
	Amount string `json:"amount"`
}

// mpListing is a listing as REST and the CLI print it.
type mpListing struct {
	ID          string   `json:"id"`
	Kind        string   `json:"kind"`
	Owner       string   `json:"owner"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Task        string   `json:"task"`
	Tags        []string `json:"tags"`
	Endpoint    string   `json:"endpoint"`
	MetadataCid string   `json:"metadata_cid"`
	Version     string   `json:"version"`
	Collateral  mpCoin   `json:"collateral"`
	Access      struct {
		MinStake       string `json:"min_stake"`
		RequestsPerDay string `json:"requests_per_day"`
		Mode           string `json:"mode"`
	} `json:"access"`
	Components []string  `json:"components"`
	Status     string    `json:"status"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	UnlockAt   time.Time `json:"unlock_at"`
}

type mpTotals struct {
	TotalListings string `json:"total_listings"`
	ByKind        []struct {
		Kind  string `json:"kind"`
		Count string `json:"count"`
	} `json:"by_kind"`
	ByStatus []struct {
		Status string `json:"status"`
		Count  string `json:"count"`
	} `json:"by_status"`
	CollateralLocked mpCoin `json:"collateral_locked"`
}

func (tot mpTotals) kind(k string) string {
	for _, c := range tot.ByKind {
		if c.Kind == k {
			return c.Count
		}
	}
	return "0"
}

func (tot mpTotals) status(s string) string {
	for _, c := range tot.ByStatus {
		if c.Status == s {
			return c.Count
		}
	}
	return "0"
}

// mpEnv is the running marketplace devnet and its accounts.
type mpEnv struct {
	t      *testing.T
	n      *e2e.Node
	addr   map[string]string // key name -> address
	module string            // the marketplace module account
}

// mpSetUnlockPeriod shortens the marketplace unlock period in a genesis file so that a retired
// listing's collateral comes back within the test.
func mpSetUnlockPeriod(t *testing.T, genesisPath string, d time.Duration) {
	t.Helper()
	bz, err := os.ReadFile(genesisPath)
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(bz))
	dec.UseNumber() // keep every number of the genesis file exactly as written
	var genesis map[string]any
	require.NoError(t, dec.Decode(&genesis))
	appState := genesis["app_state"].(map[string]any)
	mp, ok := appState["marketplace"].(map[string]any)
	require.True(t, ok, "no marketplace section in the genesis app_state")
	params, ok := mp["params"].(map[string]any)
	require.True(t, ok, "no marketplace params in genesis")
	params["unlock_period"] = fmt.Sprintf("%ds", int64(d/time.Second))
	out, err := json.MarshalIndent(genesis, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(genesisPath, out, 0o600))
}

// mpGetAt GETs a REST path on the state at a given height (x-cosmos-block-height header).
func (e *mpEnv) getAt(height int64, path string, v any) {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.n.RESTURL()+path, nil)
	require.NoError(e.t, err)
	req.Header.Set("x-cosmos-block-height", strconv.FormatInt(height, 10))
	client := http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(e.t, err)
	require.Equal(e.t, http.StatusOK, resp.StatusCode, "GET %s at %d: %s", path, height, body)
	require.NoError(e.t, json.Unmarshal(body, v), "GET %s at %d: %s", path, height, body)
}

func (e *mpEnv) mustInt(s string) math.Int {
	e.t.Helper()
	if s == "" {
		return math.ZeroInt()
	}
	v, ok := math.NewIntFromString(s)
	require.True(e.t, ok, "not an integer: %q", s)
	return v
}

// balance is an address's ubai balance at a height (0 = latest).
func (e *mpEnv) balance(addr string, height int64) math.Int {
	e.t.Helper()
	var b struct {
		Balance mpCoin `json:"balance"`
	}
	path := "/cosmos/bank/v1beta1/balances/" + addr + "/by_denom?denom=ubai"
	if height > 0 {
		e.getAt(height, path, &b)
	} else {
		e.n.RESTJSON(path, &b)
	}
	return e.mustInt(b.Balance.Amount)
}

// supply is the bank supply of ubai at a height.
func (e *mpEnv) supply(height int64) math.Int {
	e.t.Helper()
	var s struct {
		Amount mpCoin `json:"amount"`
	}
	e.getAt(height, "/cosmos/bank/v1beta1/supply/by_denom?denom=ubai", &s)
	return e.mustInt(s.Amount.Amount)
}

// emission returns x/emission's cumulative minted and burned totals at a height.
func (e *mpEnv) emission(height int64) (minted, burned math.Int) {
	e.t.Helper()
	var st struct {
		State struct {
			TotalMinted string `json:"total_minted"`
			TotalBurned string `json:"total_burned"`
		} `json:"state"`
	}
	e.getAt(height, "/balanceai/emission/v1/state", &st)
	return e.mustInt(st.State.TotalMinted), e.mustInt(st.State.TotalBurned)
}

func (e *mpEnv) listing(id uint64) mpListing {
	e.t.Helper()
	var out struct {
		Listing mpListing `json:"listing"`
	}
	e.n.RESTJSON(fmt.Sprintf("%s/%d", mpListingsPath, id), &out)
	return out.Listing
}

func (e *mpEnv) totals() mpTotals {
	e.t.Helper()
	var tot mpTotals
	e.n.RESTJSON("/balanceai/marketplace/v1/totals", &tot)
	return tot
}

// restIDs returns the ids of the listings a REST listings query answers, following pagination.
func (e *mpEnv) restIDs(query string) []string {
	e.t.Helper()
	var ids []string
	key := ""
	for {
		path := mpListingsPath + "?" + query + "&pagination.limit=1"
		if key != "" {
			path += "&pagination.key=" + strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D").Replace(key)
		}
		var out struct {
			Listings   []mpListing `json:"listings"`
			Pagination struct {
				NextKey string `json:"next_key"`
			} `json:"pagination"`
		}
		e.n.RESTJSON(path, &out)
		require.LessOrEqual(e.t, len(out.Listings), 1, "limit 1 answered %d listings", len(out.Listings))
		for _, l := range out.Listings {
			ids = append(ids, l.ID)
		}
		if out.Pagination.NextKey == "" {
			return ids
		}
		key = out.Pagination.NextKey
		require.Less(e.t, len(ids), 100, "pagination does not end")
	}
}

// cliIDs returns the ids `baid q marketplace listings <flags>` answers.
func (e *mpEnv) cliIDs(flags ...string) []string {
	e.t.Helper()
	var out struct {
		Listings []struct {
			ID    json.RawMessage `json:"id"`
			Owner string          `json:"owner"`
		} `json:"listings"`
	}
	e.n.Query(&out, append([]string{"marketplace", "listings"}, flags...)...)
	ids := []string{}
	for _, l := range out.Listings {
		ids = append(ids, strings.Trim(string(l.ID), `"`))
	}
	return ids
}

// amino signs a tx built by the CLI in amino-JSON mode, as Keplr and Ledger sign, broadcasts
// it and waits for its block.
func (e *mpEnv) amino(from string, args ...string) e2e.TxResult {
	e.t.Helper()
	unsigned := e.n.GenerateOnly(from, args...)
	return e.n.SignAndBroadcast(from, unsigned, "amino-json")
}

// requireOK asserts a tx succeeded in a block.
func (e *mpEnv) requireOK(res e2e.TxResult) int64 {
	e.t.Helper()
	require.Zero(e.t, res.Code, "codespace %s: %s", res.Codespace, res.RawLog)
	h, err := strconv.ParseInt(res.Height, 10, 64)
	require.NoError(e.t, err)
	require.Positive(e.t, h)
	return h
}

// mpState is everything a marketplace refusal must leave unchanged.
type mpState struct {
	listings map[uint64]string // id -> raw REST answer
	totals   string
	balances map[string]math.Int // address -> ubai
}

func (e *mpEnv) raw(path string) string {
	e.t.Helper()
	body, code := e.n.REST(path)
	require.Equal(e.t, http.StatusOK, code, "GET %s: %s", path, body)
	return string(body)
}

func (e *mpEnv) snapshot(ids ...uint64) mpState {
	e.t.Helper()
	s := mpState{listings: map[uint64]string{}, balances: map[string]math.Int{}}
	for _, id := range ids {
		s.listings[id] = e.raw(fmt.Sprintf("%s/%d", mpListingsPath, id))
	}
	s.totals = e.raw("/balanceai/marketplace/v1/totals")
	for _, a := range e.addr {
		if a == e.addr["val"] {
			continue // the validator earns block rewards every block
		}
		s.balances[a] = e.balance(a, 0)
	}
	s.balances[e.module] = e.balance(e.module, 0)
	return s
}

// refuse signs a marketplace tx in amino-JSON mode that the module must refuse with the
// registered error code and message, and checks it is included (the signer pays the fee)
// while every listing, the totals and every other balance stay as they were.
func (e *mpEnv) refuse(code uint32, msg string, from string, args ...string) {
	e.t.Helper()
	ids := []uint64{}
	for id := uint64(1); ; id++ {
		if _, status := e.n.REST(fmt.Sprintf("%s/%d", mpListingsPath, id)); status != http.StatusOK {
			break
		}
		ids = append(ids, id)
	}
	before := e.snapshot(ids...)
	res := e.amino(from, args...)
	require.Equal(e.t, code, res.Code, "%s: want code %d (%s), got %d: %s", strings.Join(args, " "), code, msg, res.Code, res.RawLog)
	require.Equal(e.t, mpCodespace, res.Codespace, res.RawLog)
	require.Contains(e.t, res.RawLog, msg)
	require.NotEmpty(e.t, res.Height)
	require.NotEqual(e.t, "0", res.Height, "the refusal must be in a block: %s", res.RawLog)

	after := e.snapshot(ids...)
	for id, l := range before.listings {
		require.JSONEq(e.t, l, after.listings[id], "listing %d changed by a refused tx", id)
	}
	require.JSONEq(e.t, before.totals, after.totals, "totals changed by a refused tx")
	_, status := e.n.REST(fmt.Sprintf("%s/%d", mpListingsPath, len(ids)+1))
	require.Equal(e.t, http.StatusNotFound, status, "a refused tx created listing %d", len(ids)+1)
	for addr, b := range before.balances {
		want := b
		if addr == e.addr[from] {
			want = b.SubRaw(mpTxFee) // only the tx fee
		}
		require.True(e.t, want.Equal(after.balances[addr]), "balance of %s: want %s, got %s", addr, want, after.balances[addr])
	}
}

// TestMarketplaceDoneWhen is issue 4's "done when" on a devnet, as a user does it, signing in
// amino-JSON mode (as Keplr and Ledger sign): a model registers with 1,000 BAI collateral (the
// owner pays collateral + 10 BAI fee + the tx fee, and the fee is burned); an agent composing it
// registers; a bad CID, 999 BAI collateral, a missing component and a foreign owner are refused
// with state unchanged; listings?owner= and ?task= answer over REST and the CLI; a retired
// listing returns its collateral after the unlock period.
func TestMarketplaceDoneWhen(t *testing.T) {
	n, keys := e2e.SingleNodeChain(t, *baidBin, mpChainID, []string{"alice", "bob", "carol"}, mpBalance,
		func(genesisPath string) { mpSetUnlockPeriod(t, genesisPath, mpUnlockPeriod) })
	e := &mpEnv{t: t, n: n, addr: map[string]string{},
		module: sdk.MustBech32ifyAddressBytes("bai", authtypes.NewModuleAddress("marketplace"))}
	for name, k := range keys {
		e.addr[name] = k.Address
	}
	alice, bob, carol := e.addr["alice"], e.addr["bob"], e.addr["carol"]

	var params struct {
		Params struct {
			MinModelCollateral mpCoin `json:"min_model_collateral"`
			MinAgentCollateral mpCoin `json:"min_agent_collateral"`
			RegistrationFee    mpCoin `json:"registration_fee"`
			UnlockPeriod       string `json:"unlock_period"`
		} `json:"params"`
	}
	n.RESTJSON("/balanceai/marketplace/v1/params", &params)
	require.Equal(t, mpCoin{"ubai", strconv.FormatInt(mpModelColl, 10)}, params.Params.MinModelCollateral)
	require.Equal(t, mpCoin{"ubai", strconv.FormatInt(mpAgentColl, 10)}, params.Params.MinAgentCollateral)
	require.Equal(t, mpCoin{"ubai", strconv.FormatInt(mpRegFee, 10)}, params.Params.RegistrationFee)
	require.Equal(t, "10s", params.Params.UnlockPeriod)

	// 1. A model registers with 1,000 BAI collateral, signed in amino-JSON mode.
	res := e.amino("alice", "marketplace", "register-model", "Llama Summariser", "nlp", mpModelEndpt,
		mpCIDv1, "1.0.0", "1000000000ubai",
		"--description", "Summarises long documents", "--tags", "llm,summarisation",
		"--min-stake", "5000000", "--requests-per-day", "100", "--access-mode", "public")
	h := e.requireOK(res)
	var registered struct {
		ID         string `json:"id"`
		Kind       string `json:"kind"`
		Owner      string `json:"owner"`
		Collateral mpCoin `json:"collateral"`
		FeeBurned  mpCoin `json:"fee_burned"`
	}
	regEvent := mpTypedEvent(t, res, "balanceai.marketplace.v1.EventListingRegistered")
	require.NoError(t, json.Unmarshal(regEvent, &registered), "%s", regEvent)
	require.Equal(t, "1", registered.ID)
	require.Equal(t, "LISTING_KIND_MODEL", registered.Kind)
	require.Equal(t, alice, registered.Owner)
	require.Equal(t, mpCoin{"ubai", "1000000000"}, registered.Collateral)
	require.Equal(t, mpCoin{"ubai", "10000000"}, registered.FeeBurned)
	require.Contains(t, mpEventValues(res, "burn", "amount"), "10000000ubai", "the registration fee is burned by the bank module")

	// The owner paid exactly collateral + fee + tx fee in that block.
	paid := e.balance(alice, h-1).Sub(e.balance(alice, h))
	require.Equal(t, math.NewInt(mpModelColl+mpRegFee+mpTxFee).String(), paid.String(), "alice paid at height %d", h)
	// The module account holds exactly the collateral (the fee is not kept).
	require.Equal(t, strconv.FormatInt(mpModelColl, 10), e.balance(e.module, h).String())
	// Bank supply fell by exactly the fee: x/emission mints every block and burns half the
	// previous block's fees, so its own cumulative totals are taken out of the supply change.
	mintedBefore, burnedBefore := e.emission(h - 1)
	mintedAfter, burnedAfter := e.emission(h)
	emissionDelta := mintedAfter.Sub(mintedBefore).Sub(burnedAfter.Sub(burnedBefore))
	supplyDelta := e.supply(h).Sub(e.supply(h - 1))
	require.Equal(t, emissionDelta.SubRaw(mpRegFee).String(), supplyDelta.String(),
		"supply change at %d: emission minted-burned %s, registration fee %d", h, emissionDelta, mpRegFee)

	model := e.listing(1)
	require.Equal(t, "1", model.ID)
	require.Equal(t, "LISTING_KIND_MODEL", model.Kind)
	require.Equal(t, alice, model.Owner)
	require.Equal(t, "Llama Summariser", model.Name)
	require.Equal(t, "Summarises long documents", model.Description)
	require.Equal(t, "nlp", model.Task)
	require.Equal(t, []string{"llm", "summarisation"}, model.Tags)
	require.Equal(t, mpModelEndpt, model.Endpoint)
	require.Equal(t, mpCIDv1, model.MetadataCid)
	require.Equal(t, "1.0.0", model.Version)
	require.Equal(t, mpCoin{"ubai", "1000000000"}, model.Collateral)
	require.Equal(t, "5000000", model.Access.MinStake)
	require.Equal(t, "100", model.Access.RequestsPerDay)
	require.Equal(t, "ACCESS_MODE_PUBLIC", model.Access.Mode)
	require.Equal(t, "LISTING_STATUS_ACTIVE", model.Status)

	// 2. An agent composing the model registers (bob, amino-JSON, CIDv0).
	bobBefore := e.balance(bob, 0)
	res = e.amino("bob", "marketplace", "register-agent", "Research Agent", "research", mpAgentEndpt,
		mpCIDv0, "0.3.1", "500000000ubai", "--components", "1", "--tags", "agent,llm", "--access-mode", "allowlist")
	e.requireOK(res)
	agent := e.listing(2)
	require.Equal(t, "LISTING_KIND_AGENT", agent.Kind)
	require.Equal(t, bob, agent.Owner)
	require.Equal(t, []string{"1"}, agent.Components)
	require.Equal(t, mpCIDv0, agent.MetadataCid)
	require.Equal(t, "ACCESS_MODE_ALLOWLIST", agent.Access.Mode)
	require.Equal(t, "LISTING_STATUS_ACTIVE", agent.Status)
	require.Equal(t, bobBefore.SubRaw(mpAgentColl+mpRegFee+mpTxFee).String(), e.balance(bob, 0).String())

	tot := e.totals()
	require.Equal(t, "2", tot.TotalListings)
	require.Equal(t, "1", tot.kind("LISTING_KIND_MODEL"))
	require.Equal(t, "1", tot.kind("LISTING_KIND_AGENT"))
	require.Equal(t, "2", tot.status("LISTING_STATUS_ACTIVE"))
	require.Equal(t, mpCoin{"ubai", strconv.FormatInt(mpModelColl+mpAgentColl, 10)}, tot.CollateralLocked)
	require.Equal(t, tot.CollateralLocked.Amount, e.balance(e.module, 0).String(), "invariant: module balance == collateral locked")

	// 3. Refusals, each signed in amino-JSON mode, leave listings, totals and balances unchanged.
	e.refuse(mpErrInvalidCID, "invalid metadata CID", "carol", "marketplace", "register-model", "Bad CID", "nlp",
		mpModelEndpt, "not-a-cid", "1.0.0", "1000000000ubai")
	e.refuse(mpErrInvalidCollateral, "collateral 999000000ubai is below the minimum", "carol", "marketplace",
		"register-model", "Cheap Model", "nlp", mpModelEndpt, mpCIDv1, "1.0.0", "999000000ubai")
	e.refuse(mpErrInvalidComponents, "component 99 does not exist", "carol", "marketplace",
		"register-agent", "Ghost Agent", "research", mpAgentEndpt, mpCIDv0, "0.1.0", "500000000ubai", "--components", "1,99")
	e.refuse(mpErrNotOwner, "signer is not the listing owner", "carol", "marketplace", "pause", "1")
	e.refuse(mpErrNotOwner, "signer is not the listing owner", "bob", "marketplace",
		"update", "1", "spam", "https://evil.example.com", mpCIDv0, "6.6.6")
	e.refuse(mpErrNotOwner, "signer is not the listing owner", "carol", "marketplace", "retire", "2")
	e.refuse(mpErrNotOwner, "signer is not the listing owner", "carol", "marketplace", "withdraw", "1", "1ubai")

	// 4. listings?owner= and ?task= (and ?tag=, ?kind=) answer over REST, across pagination,
	// and over the CLI.
	require.Equal(t, []string{"1"}, e.restIDs("owner="+alice))
	require.Equal(t, []string{"2"}, e.restIDs("owner="+bob))
	require.Empty(t, e.restIDs("owner="+carol))
	require.Equal(t, []string{"1"}, e.restIDs("task=nlp"))
	require.Equal(t, []string{"2"}, e.restIDs("task=research"))
	require.Equal(t, []string{"1", "2"}, e.restIDs("tag=llm"))
	require.Equal(t, []string{"2"}, e.restIDs("tag=llm&kind=LISTING_KIND_AGENT"))
	require.Equal(t, []string{"1"}, e.restIDs("owner="+alice+"&task=nlp"))
	require.Empty(t, e.restIDs("owner="+alice+"&task=research"))
	require.Equal(t, []string{"1"}, e.cliIDs("--owner", alice))
	require.Equal(t, []string{"2"}, e.cliIDs("--owner", bob))
	require.Equal(t, []string{"1"}, e.cliIDs("--task", "nlp"))
	require.Equal(t, []string{"2"}, e.cliIDs("--task", "research"))
	require.Equal(t, []string{"1", "2"}, e.cliIDs("--tag", "llm"))
	require.Equal(t, []string{"2"}, e.cliIDs("--tag", "llm", "--kind", "agent"))
	require.Equal(t, []string{"1"}, e.cliIDs("--owner", alice, "--status", "active"))
	require.Equal(t, []string{"2"}, e.restIDs("kind=2"))
	var one struct {
		Listing struct {
			Name   string `json:"name"`
			Status any    `json:"status"`
		} `json:"listing"`
	}
	n.Query(&one, "marketplace", "listing", "2")
	require.Equal(t, "Research Agent", one.Listing.Name)

	// 5. A direct-mode tx (SIGN_MODE_DIRECT): the owner deposits 250 BAI.
	aliceBefore := e.balance(alice, 0)
	res = n.Tx("alice", "marketplace", "deposit", "1", "250000000ubai")
	e.requireOK(res)
	require.Equal(t, mpCoin{"ubai", "1250000000"}, e.listing(1).Collateral)
	require.Equal(t, aliceBefore.SubRaw(250_000_000+mpTxFee).String(), e.balance(alice, 0).String())

	// Withdrawing below the minimum is refused; the excess comes back (amino-JSON).
	e.refuse(mpErrWithdrawBelowMinimum, "withdrawal would leave collateral below the minimum", "alice",
		"marketplace", "withdraw", "1", "250000001ubai")
	aliceBefore = e.balance(alice, 0)
	e.requireOK(e.amino("alice", "marketplace", "withdraw", "1", "100000000ubai"))
	require.Equal(t, mpCoin{"ubai", "1150000000"}, e.listing(1).Collateral)
	require.Equal(t, aliceBefore.AddRaw(100_000_000-mpTxFee).String(), e.balance(alice, 0).String())

	// The owner pauses, updates and resumes the listing, all signed in amino-JSON mode.
	e.requireOK(e.amino("alice", "marketplace", "pause", "1"))
	require.Equal(t, "LISTING_STATUS_PAUSED", e.listing(1).Status)
	require.Equal(t, []string{"1"}, e.restIDs("status=LISTING_STATUS_PAUSED"))
	e.requireOK(e.amino("alice", "marketplace", "update", "1", "summarisation", "https://node.example.com/v2",
		mpCIDv0, "1.1.0", "--description", "Faster", "--tags", "llm",
		"--access", `{"min_stake":"0","requests_per_day":"0","mode":"ACCESS_MODE_ALLOWLIST"}`))
	updated := e.listing(1)
	require.Equal(t, "summarisation", updated.Task)
	require.Equal(t, "https://node.example.com/v2", updated.Endpoint)
	require.Equal(t, mpCIDv0, updated.MetadataCid)
	require.Equal(t, "1.1.0", updated.Version)
	require.Equal(t, "Faster", updated.Description)
	require.Equal(t, []string{"llm"}, updated.Tags)
	require.Equal(t, "ACCESS_MODE_ALLOWLIST", updated.Access.Mode)
	require.Equal(t, "Llama Summariser", updated.Name, "the name is fixed")
	require.Equal(t, []string{"1"}, e.restIDs("task=summarisation"))
	require.Empty(t, e.restIDs("task=nlp"), "the task index follows an update")
	e.requireOK(e.amino("alice", "marketplace", "resume", "1"))
	require.Equal(t, "LISTING_STATUS_ACTIVE", e.listing(1).Status)

	// 6. A retired listing returns its collateral after the unlock period.
	aliceBefore = e.balance(alice, 0)
	collateral := e.mustInt(e.listing(1).Collateral.Amount)
	res = e.amino("alice", "marketplace", "retire", "1")
	retiredAt := e.requireOK(res)
	retiring := e.listing(1)
	require.Equal(t, "LISTING_STATUS_RETIRING", retiring.Status)
	retireTime := mpBlockTime(t, n, retiredAt)
	require.False(t, retiring.UnlockAt.Before(retireTime.Add(mpUnlockPeriod)),
		"unlock_at %s is before the retire block time %s + %s", retiring.UnlockAt, retireTime, mpUnlockPeriod)
	require.Equal(t, collateral.String(), retiring.Collateral.Amount, "the collateral stays locked while RETIRING")
	require.Equal(t, aliceBefore.SubRaw(mpTxFee).String(), e.balance(alice, 0).String())
	tot = e.totals()
	require.Equal(t, "1", tot.status("LISTING_STATUS_RETIRING"))
	require.Equal(t, collateral.AddRaw(mpAgentColl).String(), tot.CollateralLocked.Amount)

	n.Eventually(mpUnlockPeriod+45*time.Second, "listing 1 RETIRED", func() bool {
		return e.listing(1).Status == "LISTING_STATUS_RETIRED"
	})
	retired := e.listing(1)
	require.Equal(t, "0", retired.Collateral.Amount)
	require.Equal(t, aliceBefore.SubRaw(mpTxFee).Add(collateral).String(), e.balance(alice, 0).String(),
		"the owner got the collateral back")
	tot = e.totals()
	require.Equal(t, "1", tot.status("LISTING_STATUS_RETIRED"))
	require.Equal(t, "0", tot.status("LISTING_STATUS_RETIRING"))
	require.Equal(t, strconv.FormatInt(mpAgentColl, 10), tot.CollateralLocked.Amount)
	require.Equal(t, tot.CollateralLocked.Amount, e.balance(e.module, 0).String(), "invariant: module balance == collateral locked")

	// The collateral came back in the first block whose time reached unlock_at, not before.
	unlockedAt := int64(0)
	for height := retiredAt + 1; height <= n.Height(); height++ {
		var out struct {
			Listing mpListing `json:"listing"`
		}
		e.getAt(height, mpListingsPath+"/1", &out)
		if out.Listing.Status == "LISTING_STATUS_RETIRED" {
			unlockedAt = height
			break
		}
		require.Equal(t, "LISTING_STATUS_RETIRING", out.Listing.Status, "height %d", height)
	}
	require.Positive(t, unlockedAt)
	require.False(t, mpBlockTime(t, n, unlockedAt).Before(retiring.UnlockAt),
		"unlocked at height %d (%s), before unlock_at %s", unlockedAt, mpBlockTime(t, n, unlockedAt), retiring.UnlockAt)
	require.True(t, mpBlockTime(t, n, unlockedAt-1).Before(retiring.UnlockAt),
		"height %d (%s) had reached unlock_at %s but did not unlock", unlockedAt-1, mpBlockTime(t, n, unlockedAt-1), retiring.UnlockAt)
	require.Equal(t, collateral.String(), e.balance(alice, unlockedAt).Sub(e.balance(alice, unlockedAt-1)).String())

	// A RETIRED listing is final: its owner can neither resume nor deposit.
	e.refuse(11, "action not allowed in the listing's status", "alice", "marketplace", "resume", "1")
	e.refuse(11, "action not allowed in the listing's status", "alice", "marketplace", "deposit", "1", "1000000000ubai")
}

// mpTypedEvent returns a typed event of a tx as a JSON object (attribute values are JSON).
func mpTypedEvent(t *testing.T, res e2e.TxResult, eventType string) []byte {
	t.Helper()
	for _, ev := range res.Events {
		if ev.Type != eventType {
			continue
		}
		obj := map[string]json.RawMessage{}
		for _, a := range ev.Attributes {
			if a.Key == "msg_index" {
				continue
			}
			obj[a.Key] = json.RawMessage(a.Value)
		}
		bz, err := json.Marshal(obj)
		require.NoError(t, err)
		return bz
	}
	t.Fatalf("no %s event in tx %s", eventType, res.TxHash)
	return nil
}

// mpEventValues returns every value of an attribute key in events of a type.
func mpEventValues(res e2e.TxResult, eventType, key string) []string {
	var out []string
	for _, ev := range res.Events {
		if ev.Type != eventType {
			continue
		}
		for _, a := range ev.Attributes {
			if a.Key == key {
				out = append(out, a.Value)
			}
		}
	}
	return out
}

// mpBlockTime returns the BFT time of a block from CometBFT's RPC.
func mpBlockTime(t *testing.T, n *e2e.Node, height int64) time.Time {
	t.Helper()
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/block?height=%d", n.RPCPort, height))
	require.NoError(t, err)
	defer resp.Body.Close()
	var b struct {
		Result struct {
			Block struct {
				Header struct {
					Time time.Time `json:"time"`
				} `json:"header"`
			} `json:"block"`
		} `json:"result"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&b))
	require.False(t, b.Result.Block.Header.Time.IsZero(), "no block %d", height)
	return b.Result.Block.Header.Time
}
