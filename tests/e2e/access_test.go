//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/balanceai/balanceai/testutil/e2e"
)

// The access scenario of issue 7 (x/access/README.md, docs/spec/access.md).
const (
	acChainID   = "balanceai-access-e2e"
	acCodespace = "access"
	acBalance   = "1000000000000ubai"
	acCIDv1     = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"
	acCIDv0     = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"
	acMinStake  = "100000000" // 100 BAI
	acAPI       = "/balanceai/access/v1"
	// acRecordGas is enough gas for a few records; fixed (not --gas auto) so that refused
	// messages are broadcast and included rather than failing simulation.
	acRecordGas = "1000000"
)

// Registered error codes of x/access (x/access/types/errors.go).
const (
	acErrNotOperator = 9
	acErrAccessDeny  = 13
)

// acCheck is a CheckAccess answer over REST.
type acCheck struct {
	Allowed       bool   `json:"allowed"`
	Reason        string `json:"reason"`
	Stake         string `json:"stake"`
	RequiredStake string `json:"required_stake"`
	Quota         string `json:"quota"`
	UsedToday     string `json:"used_today"`
	Unlimited     bool   `json:"unlimited"`
	Day           string `json:"day"`
}

type acUsage struct {
	Requests string `json:"requests"`
	Units    string `json:"units"`
}

type acReceipt struct {
	ID          string `json:"id"`
	ListingID   string `json:"listing_id"`
	Operator    string `json:"operator"`
	User        string `json:"user"`
	RequestCid  string `json:"request_cid"`
	ResponseCid string `json:"response_cid"`
	Units       string `json:"units"`
	Height      string `json:"height"`
}

type acRecord struct {
	User        string `json:"user"`
	RequestCid  string `json:"request_cid"`
	ResponseCid string `json:"response_cid"`
	Units       string `json:"units"`
}

type acEnv struct {
	t    *testing.T
	n    *e2e.Node
	addr map[string]string
}

func (e *acEnv) check(listing, user string) acCheck {
	e.t.Helper()
	var c acCheck
	e.n.RESTJSON(fmt.Sprintf("%s/check/%s/%s", acAPI, listing, user), &c)
	return c
}

// raw returns a REST answer as text, for before/after comparisons.
func (e *acEnv) raw(path string) string {
	e.t.Helper()
	body, code := e.n.REST(path)
	require.Equal(e.t, http.StatusOK, code, "GET %s: %s", path, body)
	return string(body)
}

// usageSnapshot is every usage answer a refused record must leave unchanged.
func (e *acEnv) usageSnapshot(listing string, users ...string) map[string]string {
	e.t.Helper()
	s := map[string]string{}
	paths := []string{acAPI + "/usage/" + listing}
	for _, u := range users {
		paths = append(paths, acAPI+"/usage/"+listing+"/"+u)
	}
	for _, p := range paths {
		s[p] = e.raw(p)
	}
	return s
}

func (e *acEnv) requireUsageUnchanged(before map[string]string) {
	e.t.Helper()
	for path, body := range before {
		require.JSONEq(e.t, body, e.raw(path), "GET %s changed", path)
	}
}

// recordsFile writes a records JSON file for `baid tx access record-usage`.
func (e *acEnv) recordsFile(users ...string) string {
	e.t.Helper()
	recs := make([]acRecord, 0, len(users))
	for i, u := range users {
		req, resp := acCIDv1, acCIDv0
		if i%2 == 1 {
			req, resp = acCIDv0, acCIDv1
		}
		recs = append(recs, acRecord{User: u, RequestCid: req, ResponseCid: resp, Units: fmt.Sprint(100 + i)})
	}
	bz, err := json.Marshal(recs)
	require.NoError(e.t, err)
	path := filepath.Join(e.t.TempDir(), "records.json")
	require.NoError(e.t, os.WriteFile(path, bz, 0o600))
	return path
}

// record sends a MsgRecordUsage signed by from (SIGN_MODE_DIRECT).
func (e *acEnv) record(from, listing string, users ...string) e2e.TxResult {
	e.t.Helper()
	return e.n.Tx(from, "access", "record-usage", listing, e.recordsFile(users...), "--gas", acRecordGas)
}

// refused asserts a tx was included in a block and failed with the x/access error code and a
// raw_log containing every msg.
func (e *acEnv) refused(res e2e.TxResult, code uint32, msgs ...string) {
	e.t.Helper()
	e.t.Logf("refused at height %s: code %d (%s): %s", res.Height, res.Code, res.Codespace, res.RawLog)
	require.Equal(e.t, code, res.Code, "want x/access code %d, got %d (%s): %s", code, res.Code, res.Codespace, res.RawLog)
	require.Equal(e.t, acCodespace, res.Codespace, res.RawLog)
	require.NotEmpty(e.t, res.Height)
	require.NotEqual(e.t, "0", res.Height, "the refusal must be in a block: %s", res.RawLog)
	for _, m := range msgs {
		require.Contains(e.t, res.RawLog, m)
	}
}

func (e *acEnv) ok(res e2e.TxResult) {
	e.t.Helper()
	require.Zero(e.t, res.Code, "codespace %s: %s", res.Codespace, res.RawLog)
	require.NotEqual(e.t, "0", res.Height)
}

// TestAccessDoneWhen is issue 7's "done when" on a devnet: for a listing with min_stake 100 BAI
// and 2 requests/day, a user with no stake is refused; after delegating 200 BAI the user is
// allowed with quota 4; a non-operator cannot record; a batch with one ineligible user is
// rejected naming its index and records nothing; four records pass and a fifth exceeds the quota.
func TestAccessDoneWhen(t *testing.T) {
	n, keys := e2e.SingleNodeChain(t, *baidBin, acChainID, []string{"provider", "node", "user", "poor", "stranger"}, acBalance, nil)
	e := &acEnv{t: t, n: n, addr: map[string]string{}}
	for name, k := range keys {
		e.addr[name] = k.Address
	}
	provider, node, user, poor, stranger := e.addr["provider"], e.addr["node"], e.addr["user"], e.addr["poor"], e.addr["stranger"]
	valoper := strings.TrimSpace(n.MustRun("keys", "show", "val", "--bech", "val", "-a", "--keyring-backend", "test"))
	require.True(t, strings.HasPrefix(valoper, "baivaloper1"), valoper)

	var params struct {
		Params struct {
			MaxReceiptsPerMsg uint32 `json:"max_receipts_per_msg"`
			ReceiptRetention  string `json:"receipt_retention"`
		} `json:"params"`
	}
	n.RESTJSON(acAPI+"/params", &params)
	require.Equal(t, uint32(100), params.Params.MaxReceiptsPerMsg)
	require.Equal(t, "2592000s", params.Params.ReceiptRetention)

	// A listing with min_stake 100 BAI and 2 requests/day.
	e.ok(n.Tx("provider", "marketplace", "register-model", "Llama Summariser", "nlp", "https://node.example.com/v1",
		acCIDv1, "1.0.0", "1000000000ubai", "--min-stake", acMinStake, "--requests-per-day", "2"))
	var listing struct {
		Listing struct {
			ID     string `json:"id"`
			Owner  string `json:"owner"`
			Status string `json:"status"`
			Access struct {
				MinStake       string `json:"min_stake"`
				RequestsPerDay string `json:"requests_per_day"`
				Mode           string `json:"mode"`
			} `json:"access"`
		} `json:"listing"`
	}
	n.RESTJSON("/balanceai/marketplace/v1/listings/1", &listing)
	require.Equal(t, provider, listing.Listing.Owner)
	require.Equal(t, "LISTING_STATUS_ACTIVE", listing.Listing.Status)
	require.Equal(t, acMinStake, listing.Listing.Access.MinStake)
	require.Equal(t, "2", listing.Listing.Access.RequestsPerDay)
	require.Equal(t, "ACCESS_MODE_PUBLIC", listing.Listing.Access.Mode)
	const id = "1"

	// 1. A user with no stake is refused.
	c := e.check(id, user)
	require.False(t, c.Allowed)
	require.Equal(t, "stake below minimum", c.Reason)
	require.Equal(t, "0", c.Stake)
	require.Equal(t, acMinStake, c.RequiredStake)
	require.Equal(t, "0", c.Quota)
	require.Equal(t, "0", c.UsedToday)
	require.False(t, c.Unlimited)
	// A missing listing is an answer; a malformed address is a 400.
	require.Equal(t, "listing not found", e.check("99", user).Reason)
	_, status := n.REST(acAPI + "/check/1/bai1notanaddress")
	require.Equal(t, http.StatusBadRequest, status)

	// 2. After delegating 200 BAI the user is allowed with quota 4.
	e.ok(n.Tx("user", "staking", "delegate", valoper, "200000000ubai"))
	c = e.check(id, user)
	require.True(t, c.Allowed, "reason %q", c.Reason)
	require.Equal(t, "", c.Reason)
	require.Equal(t, "200000000", c.Stake)
	require.Equal(t, acMinStake, c.RequiredStake)
	require.Equal(t, "4", c.Quota)
	require.Equal(t, "0", c.UsedToday)
	// The CLI answers the same.
	var cli struct {
		Allowed bool   `json:"allowed"`
		Reason  string `json:"reason"`
		Quota   string `json:"quota"`
		Stake   string `json:"stake"`
	}
	n.Query(&cli, "access", "check", id, user)
	require.True(t, cli.Allowed)
	require.Equal(t, "4", cli.Quota)
	require.Equal(t, "200000000", cli.Stake)

	// 3. The owner names the node key as operator, signed in amino-JSON mode.
	unsigned := n.GenerateOnly("provider", "access", "set-operators", id, node)
	res := n.SignAndBroadcast("provider", unsigned, "amino-json")
	e.ok(res)
	var ops struct {
		Operators []string `json:"operators"`
	}
	n.RESTJSON(acAPI+"/operators/"+id, &ops)
	require.Equal(t, []string{node}, ops.Operators)
	// Only the owner may.
	unsigned = n.GenerateOnly("stranger", "access", "set-operators", id, stranger)
	e.refused(n.SignAndBroadcast("stranger", unsigned, "amino-json"), 5, "signer is not the listing owner")
	n.RESTJSON(acAPI+"/operators/"+id, &ops)
	require.Equal(t, []string{node}, ops.Operators)

	// 4. A non-operator cannot record (nor can the owner, who is not implicitly an operator).
	before := e.usageSnapshot(id, user, poor)
	e.refused(e.record("stranger", id, user), acErrNotOperator,
		fmt.Sprintf("%s is not an operator of listing 1", stranger), "signer is not an operator of the listing")
	e.refused(e.record("provider", id, user), acErrNotOperator, fmt.Sprintf("%s is not an operator of listing 1", provider))
	e.requireUsageUnchanged(before)

	// 5. A batch with one ineligible user (index 1) is rejected naming its index; nothing recorded.
	e.refused(e.record("node", id, user, poor, user), acErrAccessDeny,
		fmt.Sprintf("record 1: user %s stake below minimum (stake 0, required 100000000, quota 0, used today 0)", poor),
		"access denied")
	e.requireUsageUnchanged(before)
	var usage struct {
		Receipts []acReceipt `json:"receipts"`
		Totals   acUsage     `json:"totals"`
	}
	n.RESTJSON(acAPI+"/usage/"+id, &usage)
	require.Empty(t, usage.Receipts)
	require.Equal(t, "0", usage.Totals.Requests)
	require.Equal(t, "0", e.check(id, user).UsedToday)
	// A bad CID is named the same way.
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(fmt.Sprintf(
		`[{"user":%q,"request_cid":%q,"response_cid":%q,"units":"1"},{"user":%q,"request_cid":"not-a-cid","response_cid":%q,"units":"1"}]`,
		user, acCIDv1, acCIDv0, user, acCIDv0)), 0o600))
	e.refused(n.Tx("node", "access", "record-usage", id, bad, "--gas", acRecordGas), 12,
		`record 1: request_cid: "not-a-cid" is not an IPFS CID`)
	e.requireUsageUnchanged(before)

	// 6. Four records pass (signed in amino-JSON mode) ...
	unsigned = n.GenerateOnly("node", "access", "record-usage", id, e.recordsFile(user, user, user, user), "--gas", acRecordGas)
	res = n.SignAndBroadcast("node", unsigned, "amino-json")
	e.ok(res)
	recorded := 0
	for _, ev := range res.Events {
		if ev.Type == "balanceai.access.v1.EventUsageBatchRecorded" {
			recorded++
		}
	}
	require.Equal(t, 1, recorded, "one event per message")
	require.Equal(t, "4", res.Event("balanceai.access.v1.EventUsageBatchRecorded", "records"))
	require.Equal(t, "1", res.Event("balanceai.access.v1.EventUsageBatchRecorded", "users"))
	n.RESTJSON(acAPI+"/usage/"+id, &usage)
	require.Len(t, usage.Receipts, 4)
	require.Equal(t, acUsage{Requests: "4", Units: "406"}, usage.Totals)
	for i, r := range usage.Receipts {
		require.Equal(t, fmt.Sprint(i+1), r.ID)
		require.Equal(t, id, r.ListingID)
		require.Equal(t, node, r.Operator)
		require.Equal(t, user, r.User)
		require.Equal(t, fmt.Sprint(100+i), r.Units)
		require.Equal(t, res.Height, r.Height)
	}
	require.Equal(t, acCIDv1, usage.Receipts[0].RequestCid)
	require.Equal(t, acCIDv0, usage.Receipts[1].RequestCid)
	var byUser struct {
		Receipts []acReceipt `json:"receipts"`
		Today    acUsage     `json:"today"`
		Day      string      `json:"day"`
	}
	n.RESTJSON(acAPI+"/usage/"+id+"/"+user, &byUser)
	require.Len(t, byUser.Receipts, 4)
	require.Equal(t, acUsage{Requests: "4", Units: "406"}, byUser.Today)
	c = e.check(id, user)
	require.False(t, c.Allowed)
	require.Equal(t, "quota exhausted", c.Reason)
	require.Equal(t, "4", c.Quota)
	require.Equal(t, "4", c.UsedToday)
	require.Equal(t, byUser.Day, c.Day, "the test crossed a UTC day boundary")

	// ... and a fifth exceeds the quota.
	before = e.usageSnapshot(id, user, poor)
	e.refused(e.record("node", id, user), acErrAccessDeny,
		fmt.Sprintf("record 0: user %s quota exhausted (stake 200000000, required 100000000, quota 4, used today 4)", user))
	e.requireUsageUnchanged(before)
	require.Equal(t, byUser.Day, e.check(id, user).Day, "the test crossed a UTC day boundary")

	// The CLI reads the same receipts, newest first with --reverse.
	var cliUsage struct {
		Receipts []struct {
			ID json.RawMessage `json:"id"`
		} `json:"receipts"`
	}
	n.Query(&cliUsage, "access", "usage", id, "--page-limit", "2", "--page-reverse")
	require.Len(t, cliUsage.Receipts, 2)
	require.Equal(t, "4", strings.Trim(string(cliUsage.Receipts[0].ID), `"`))
	require.Equal(t, "3", strings.Trim(string(cliUsage.Receipts[1].ID), `"`))

	// A PAUSED listing refuses, whatever the stake; the allowlist CLI works in any mode.
	e.ok(n.Tx("provider", "access", "set-allowlist", id, "--add", poor, "--add", stranger))
	var al struct {
		Users []string `json:"users"`
	}
	n.RESTJSON(acAPI+"/allowlist/"+id, &al)
	require.ElementsMatch(t, []string{poor, stranger}, al.Users)
	e.ok(n.Tx("stranger", "staking", "delegate", valoper, "300000000ubai"))
	c = e.check(id, stranger)
	require.True(t, c.Allowed, "reason %q", c.Reason)
	require.Equal(t, "6", c.Quota)
	e.ok(n.Tx("provider", "marketplace", "pause", id))
	c = e.check(id, stranger)
	require.False(t, c.Allowed)
	require.Equal(t, "listing not active", c.Reason)
	require.Equal(t, "300000000", c.Stake)
	before = e.usageSnapshot(id, stranger)
	e.refused(e.record("node", id, stranger), 10, "listing 1 is LISTING_STATUS_PAUSED")
	e.requireUsageUnchanged(before)
}
