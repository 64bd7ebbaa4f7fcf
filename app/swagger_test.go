package app

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"cosmossdk.io/log"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/server/api"
	"github.com/cosmos/cosmos-sdk/server/config"
)

// The Swagger UI and documents are served with headers that keep other pages from framing
// them and browsers from sniffing them into another content type.
func TestSwaggerServedWithSafeHeaders(t *testing.T) {
	apiSvr := api.New(client.Context{}, log.NewNopLogger(), nil)
	registerSwagger(apiSvr, config.APIConfig{Swagger: true})
	for path, contentType := range map[string]string{
		"/swagger/":             "text/html; charset=utf-8",
		"/swagger/openapi.json": "application/json",
	} {
		rec := httptest.NewRecorder()
		apiSvr.Router.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		require.Equal(t, http.StatusOK, rec.Code, path)
		require.Equal(t, contentType, rec.Header().Get("Content-Type"), path)
		require.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"), path)
		require.Equal(t, "DENY", rec.Header().Get("X-Frame-Options"), path)
		require.Equal(t, "frame-ancestors 'none'", rec.Header().Get("Content-Security-Policy"), path)
	}
}
