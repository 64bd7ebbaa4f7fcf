//go:build e2e

package e2e

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/balanceai/balanceai/testutil/e2e"
)

// invariantsReport is the JSON answer of GET /balanceai/invariants/v1/invariants and of
// `baid q invariants --output json`.
type invariantsReport struct {
	Height     string `json:"height"`
	Broken     int    `json:"broken"`
	Invariants []struct {
		Module  string `json:"module"`
		Route   string `json:"route"`
		Broken  bool   `json:"broken"`
		Message string `json:"message"`
	} `json:"invariants"`
}

// routes returns module/route of every reported invariant and fails on any broken one.
func (r invariantsReport) routes(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, inv := range r.Invariants {
		require.False(t, inv.Broken, "%s/%s broken: %s", inv.Module, inv.Route, inv.Message)
		require.NotEmpty(t, inv.Message, "%s/%s", inv.Module, inv.Route)
		out = append(out, inv.Module+"/"+inv.Route)
	}
	return out
}

// TestInvariantsQueryLive asks a running node for the status of every module invariant over
// REST and with `baid q invariants`, whole and for one module.
func TestInvariantsQueryLive(t *testing.T) {
	n, _ := e2e.SingleNodeChain(t, *baidBin, "balanceai-invariants", nil, "1000000000000ubai", nil)
	want := []string{
		"access/receipt-indexes",
		"bridge/accounting", "bridge/executed-events",
		"curation/accounting", "curation/flag-holds",
		"emission/issuance",
		"grants/funds", "grants/rewards", "grants/payments", "grants/snapshots", "grants/payout-epoch",
		"marketplace/collateral", "marketplace/holds", "marketplace/indexes",
	}

	var rest invariantsReport
	n.RESTJSON("/balanceai/invariants/v1/invariants", &rest)
	require.Zero(t, rest.Broken)
	require.Subset(t, rest.routes(t), want)
	h, err := strconv.ParseInt(rest.Height, 10, 64)
	require.NoError(t, err)
	require.GreaterOrEqual(t, h, int64(2))

	var cli invariantsReport
	n.Query(&cli, "invariants")
	require.Zero(t, cli.Broken)
	require.Equal(t, rest.routes(t), cli.routes(t))

	var one invariantsReport
	n.Query(&one, "invariants", "--module", "marketplace")
	require.Subset(t, one.routes(t), []string{"marketplace/collateral", "marketplace/holds"})
	for _, r := range one.routes(t) {
		require.True(t, strings.HasPrefix(r, "marketplace/"), r)
	}
	one = invariantsReport{}
	n.RESTJSON("/balanceai/invariants/v1/invariants?module=grants", &one)
	require.Subset(t, one.routes(t), []string{"grants/funds", "grants/rewards", "grants/payments", "grants/snapshots"})
	for _, r := range one.routes(t) {
		require.True(t, strings.HasPrefix(r, "grants/"), r)
	}

	// A module without invariants is refused, naming those that have some.
	body, code := n.REST("/balanceai/invariants/v1/invariants?module=bank")
	require.Equal(t, http.StatusBadRequest, code, "%s", body)
	require.Contains(t, string(body), `module \"bank\" registers no invariants`)
	_, stderr, err := n.Run("q", "invariants", "--module", "bank", "--node", n.RPCAddr())
	require.Error(t, err)
	require.Contains(t, stderr, `module "bank" registers no invariants`)

	help := n.MustRun("q", "invariants", "--help")
	require.Contains(t, help, "baid q invariants --output json")
	require.Contains(t, help, "GET /balanceai/invariants/v1/invariants")
}
