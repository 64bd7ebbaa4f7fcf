package app

import (
	"io/fs"
	"net/http"

	"github.com/cosmos/cosmos-sdk/client/docs"
	"github.com/cosmos/cosmos-sdk/server/api"
	"github.com/cosmos/cosmos-sdk/server/config"

	baidocs "github.com/balanceai/balanceai/docs"
)

// registerSwagger serves, when app.toml has api.swagger = true, the OpenAPI document of every
// BalanceAI query route at /swagger/openapi.json and a Swagger UI at /swagger/ that shows it
// (next to the Cosmos SDK's own document, /swagger/swagger.yaml). The UI's scripts come from the
// SDK's embedded swagger-ui. The SDK registers nothing at /swagger/ by itself (only an app calling
// server.RegisterSwaggerAPI does), so this is the only handler there; it is registered before the
// gRPC-gateway's catch-all "/" route, which the API server adds when it starts.
func registerSwagger(apiSvr *api.Server, apiConfig config.APIConfig) {
	if !apiConfig.Swagger {
		return
	}
	ui, err := fs.Sub(docs.SwaggerUI, "swagger-ui")
	if err != nil {
		panic(err)
	}
	static := http.StripPrefix("/swagger/", http.FileServer(http.FS(ui)))
	apiSvr.Router.Handle("/swagger", http.RedirectHandler("/swagger/", http.StatusMovedPermanently))
	apiSvr.Router.PathPrefix("/swagger/").Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Served from the API's origin, which the dashboard's wallet permission belongs to:
		// never framed by another page, never sniffed into another content type.
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Content-Security-Policy", "frame-ancestors 'none'")
		switch r.URL.Path {
		case "/swagger/", "/swagger/index.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write(baidocs.SwaggerIndex)
		case "/swagger/openapi.json":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(baidocs.OpenAPI)
		default:
			static.ServeHTTP(w, r)
		}
	}))
}
