//go:build e2e

package e2e

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/balanceai/balanceai/testutil/e2e"
)

// httpGetRule matches the REST route of a query RPC: option (google.api.http).get = "...".
var httpGetRule = regexp.MustCompile(`\(google\.api\.http\)\s*(?:=\s*\{\s*)?\.?get\s*[:=]\s*"([^"]+)"`)

// protoQueryRoutes returns every REST route declared in proto/**/query.proto, by module.
func protoQueryRoutes(t *testing.T) map[string][]string {
	t.Helper()
	root := filepath.Join("..", "..", "proto")
	routes := map[string][]string{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "query.proto" {
			return err
		}
		bz, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range httpGetRule.FindAllStringSubmatch(string(bz), -1) {
			module := strings.Split(strings.TrimPrefix(m[1], "/balanceai/"), "/")[0]
			routes[module] = append(routes[module], m[1])
		}
		return nil
	})
	require.NoError(t, err)
	return routes
}

// TestOpenAPIServed fetches the OpenAPI document from a running node's API server and checks
// it lists every custom query route the protos declare, for all six modules, and that the
// Swagger UI page is served beside it.
func TestOpenAPIServed(t *testing.T) {
	routes := protoQueryRoutes(t)
	var modules []string
	for m := range routes {
		modules = append(modules, m)
	}
	sort.Strings(modules)
	require.Subset(t, modules, []string{"access", "bridge", "curation", "emission", "grants", "marketplace"})

	n, _ := e2e.SingleNodeChain(t, *baidBin, "balanceai-openapi", nil, "1000000000000ubai", nil)

	body, code := n.REST("/swagger/openapi.json")
	require.Equal(t, http.StatusOK, code, "GET /swagger/openapi.json: %s", body)
	var doc struct {
		Swagger string                     `json:"swagger"`
		Paths   map[string]json.RawMessage `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(body, &doc))
	require.Equal(t, "2.0", doc.Swagger)

	for _, m := range modules {
		for _, route := range routes[m] {
			require.Contains(t, doc.Paths, route, "x/%s route %s missing from the served OpenAPI document (run make proto-swagger)", m, route)
			var ops map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(doc.Paths[route], &ops))
			require.Contains(t, ops, "get", route)
		}
	}
	// Nothing stale: every documented BalanceAI route is still declared in a proto.
	declared := map[string]bool{}
	for _, rs := range routes {
		for _, r := range rs {
			declared[r] = true
		}
	}
	for p := range doc.Paths {
		if strings.HasPrefix(p, "/balanceai/") {
			require.True(t, declared[p], "%s is documented but no query.proto declares it (run make proto-swagger)", p)
		}
	}

	page, code := n.REST("/swagger/")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, string(page), "./openapi.json")
	_, code = n.REST("/swagger/swagger-ui-bundle.js")
	require.Equal(t, http.StatusOK, code, "the Swagger UI scripts are served")

	// The gRPC-gateway still answers beside it.
	_, code = n.REST("/balanceai/emission/v1/params")
	require.Equal(t, http.StatusOK, code)
}
