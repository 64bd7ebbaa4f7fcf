package app_test

import (
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/server"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/balanceai/balanceai/app"
	invariantstypes "github.com/balanceai/balanceai/app/invariants/types"
	"github.com/balanceai/balanceai/testutil"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// queryInvariants asks the node's latest committed state through the app's ABCI query path,
// as `baid q invariants` and the REST route do.
func queryInvariants(t *testing.T, c *testutil.Chain, module string) (*invariantstypes.QueryInvariantsResponse, *abci.ResponseQuery) {
	t.Helper()
	return queryInvariantsAt(t, c, module, 0)
}

// queryInvariantsAt asks at a height (0: the latest).
func queryInvariantsAt(t *testing.T, c *testutil.Chain, module string, height int64) (*invariantstypes.QueryInvariantsResponse, *abci.ResponseQuery) {
	t.Helper()
	bz, err := (&invariantstypes.QueryInvariantsRequest{Module: module}).Marshal()
	require.NoError(t, err)
	res, err := c.App.Query(c.Ctx(), &abci.RequestQuery{Path: "/balanceai.invariants.v1.Query/Invariants", Data: bz, Height: height})
	require.NoError(t, err)
	if res.Code != 0 {
		return nil, res
	}
	var out invariantstypes.QueryInvariantsResponse
	require.NoError(t, out.Unmarshal(res.Value))
	return &out, res
}

func TestInvariantsQueryAllHoldOnAFreshChain(t *testing.T) {
	c := testutil.NewChain(t, testutil.DefaultConfig())
	c.NextBlock(c.AllSigners())

	res, _ := queryInvariants(t, c, "")
	require.Equal(t, c.Height, res.Height)
	require.Zero(t, res.Broken)

	// Every registered invariant is reported, in the registry's order: those of the six
	// BalanceAI modules (the SDK v0.53 modules register none).
	invs := c.App.Invariants()
	require.Len(t, res.Invariants, len(invs))
	modules := map[string]bool{}
	for i, st := range res.Invariants {
		require.Equal(t, invs[i].Module, st.Module)
		require.Equal(t, invs[i].Route, st.Route)
		require.False(t, st.Broken, "%s/%s: %s", st.Module, st.Route, st.Message)
		modules[st.Module] = true
	}
	for _, m := range []string{"access", "bridge", "curation", "emission", "grants", "marketplace"} {
		require.True(t, modules[m], "no invariant of %s reported", m)
	}
	require.Len(t, modules, 6)

	// One module's only.
	mkt, _ := queryInvariants(t, c, marketplacetypes.ModuleName)
	require.NotEmpty(t, mkt.Invariants)
	for _, st := range mkt.Invariants {
		require.Equal(t, marketplacetypes.ModuleName, st.Module)
	}

	// A module with no invariants is refused with the list of those that have some.
	_, raw := queryInvariants(t, c, "nosuchmodule")
	require.NotZero(t, raw.Code)
	require.Contains(t, raw.Log, `module "nosuchmodule" registers no invariants`)
	require.Contains(t, raw.Log, "marketplace")
}

func TestInvariantsQueryReportsABrokenInvariant(t *testing.T) {
	c := testutil.NewChain(t, testutil.DefaultConfig())
	c.NextBlock(c.AllSigners())

	// Corrupt the state behind the modules' back: coins land in the marketplace module
	// account without any listing's collateral recording them.
	ctx := c.Ctx()
	mkt := authtypes.NewModuleAddress(marketplacetypes.ModuleName)
	coins := sdk.NewCoins(sdk.NewCoin("ubai", math.NewInt(7)))
	require.NoError(t, c.App.BankKeeper.SendCoins(ctx, c.Accounts["alice"].Address, mkt, coins))
	// The test chain commits the block, then fails it on the broken invariant.
	_, err := c.TryNextBlock(c.AllSigners())
	require.ErrorContains(t, err, "invariant marketplace/collateral broken")
	require.ErrorContains(t, c.App.CheckInvariants(c.Ctx()), "invariant marketplace/collateral broken")

	res, _ := queryInvariants(t, c, "")
	require.Equal(t, c.Height, res.Height)
	require.EqualValues(t, 1, res.Broken)
	for _, st := range res.Invariants {
		if st.Module == marketplacetypes.ModuleName && st.Route == "collateral" {
			require.True(t, st.Broken)
			require.Contains(t, st.Message, "collateral")
			continue
		}
		require.False(t, st.Broken, "%s/%s: %s", st.Module, st.Route, st.Message)
	}

	// The query runs on a cached branch: asking again reports the same and changes nothing.
	again, _ := queryInvariants(t, c, marketplacetypes.ModuleName)
	require.EqualValues(t, 1, again.Broken)
}

// TestInvariantsQueryIsBounded: anyone who reaches a node can ask for the invariants, which
// walk the whole state, so a run's reads are capped by app.toml's invariants.query-gas-limit,
// only one runs at a time, an answer is kept for its height, and only the latest two states
// are asked.
func TestInvariantsQueryIsBounded(t *testing.T) {
	c := testutil.NewChain(t, testutil.DefaultConfig())
	c.NextBlock(c.AllSigners())

	all, _ := queryInvariants(t, c, "")
	require.Zero(t, all.Broken)

	// While another run holds the node, the kept answer is still served; a new one is refused.
	release := c.App.HoldInvariantsRun()
	again, _ := queryInvariants(t, c, "")
	require.Equal(t, all, again)
	_, raw := queryInvariants(t, c, marketplacetypes.ModuleName)
	require.NotZero(t, raw.Code)
	require.Contains(t, raw.Log, "another invariants run is in progress")
	release()
	mkt, _ := queryInvariants(t, c, marketplacetypes.ModuleName)
	require.NotEmpty(t, mkt.Invariants)

	// The state before the latest is answered; older ones are refused.
	c.NextBlock(c.AllSigners())
	c.NextBlock(c.AllSigners())
	prev, _ := queryInvariantsAt(t, c, "", c.Height-1)
	require.Equal(t, c.Height-1, prev.Height)
	_, raw = queryInvariantsAt(t, c, "", c.Height-2)
	require.NotZero(t, raw.Code)
	require.Contains(t, raw.Log, "invariants run on the latest state only")

	// A state that needs more reads than the limit allows is refused, not walked.
	cfg := testutil.DefaultConfig()
	cfg.AppOptions = map[string]any{app.FlagInvariantsQueryGasLimit: 5_000}
	small := testutil.NewChain(t, cfg)
	small.NextBlock(small.AllSigners())
	_, raw = queryInvariants(t, small, "")
	require.NotZero(t, raw.Code)
	require.Contains(t, raw.Log, "invariants.query-gas-limit (5000)")
	// 0 is no bound, whatever the node's query-gas-limit, which the invariants' own bound
	// replaces.
	cfg.AppOptions = map[string]any{app.FlagInvariantsQueryGasLimit: 0, server.FlagQueryGasLimit: uint64(5_000)}
	unbounded := testutil.NewChain(t, cfg)
	unbounded.NextBlock(unbounded.AllSigners())
	res, _ := queryInvariants(t, unbounded, "")
	require.Zero(t, res.Broken)
}
