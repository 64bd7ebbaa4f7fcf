package app_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/log"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/server/api"
	"github.com/cosmos/cosmos-sdk/server/config"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"

	"github.com/balanceai/balanceai/app"
	"github.com/balanceai/balanceai/dashboard"
)

// The API server serves the embedded dashboard at /dashboard/ when app.toml's [dashboard] enable
// is true (the default when the key is missing), and nothing there when it is false.
func TestDashboardOnTheAPIServer(t *testing.T) {
	serve := func(opts simtestutil.AppOptionsMap, path string) *httptest.ResponseRecorder {
		t.Helper()
		opts[flags.FlagHome] = t.TempDir()
		opts["rpc.laddr"] = "tcp://0.0.0.0:26657"
		a := app.New(log.NewNopLogger(), dbm.NewMemDB(), nil, true, opts)
		srv := api.New(client.Context{}, log.NewNopLogger(), nil)
		a.RegisterAPIRoutes(srv, config.APIConfig{})
		rec := httptest.NewRecorder()
		srv.Router.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://node.example.org:1317"+path, nil))
		return rec
	}

	for name, opts := range map[string]simtestutil.AppOptionsMap{
		"default": {},
		"enabled": {dashboard.FlagEnable: true},
	} {
		rec := serve(opts, "/dashboard/")
		require.Equal(t, http.StatusOK, rec.Code, name)
		require.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"), name)
		require.Contains(t, rec.Body.String(), "BAI Dashboard", name)
	}

	rec := serve(simtestutil.AppOptionsMap{dashboard.FlagRPCAddress: "https://rpc.example.org"}, "/dashboard/config.json")
	require.Equal(t, http.StatusOK, rec.Code)
	var cfg dashboard.ClientConfig
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &cfg))
	require.Equal(t, "http://node.example.org:1317", cfg.REST)
	require.Equal(t, "https://rpc.example.org", cfg.RPC)

	for _, p := range []string{"/dashboard/", "/dashboard/config.json", "/dashboard"} {
		rec = serve(simtestutil.AppOptionsMap{dashboard.FlagEnable: false}, p)
		require.Equal(t, http.StatusNotFound, rec.Code, "%s with [dashboard] enable = false", p)
	}
}
