package app

import (
	"github.com/cosmos/cosmos-sdk/server/api"

	"github.com/balanceai/balanceai/dashboard"
)

// registerDashboard serves, when app.toml has [dashboard] enable = true, the BAI dashboard
// embedded in the binary at /dashboard/ (its config.json names this chain and the RPC address as
// the browser reaches the node). Like the Swagger UI it is registered before the gRPC-gateway's
// catch-all "/" route.
func (app *App) registerDashboard(apiSvr *api.Server) {
	if !app.dashboard.Enable {
		return
	}
	opts := app.dashboard
	opts.ChainID = app.ChainID
	h := dashboard.Handler(dashboard.Files(), opts)
	apiSvr.Router.Handle("/dashboard", h)
	apiSvr.Router.PathPrefix(dashboard.Prefix).Handler(h)
}
