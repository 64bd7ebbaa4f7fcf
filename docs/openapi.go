// Package docs embeds the OpenAPI (Swagger 2.0) document of every BalanceAI query service,
// written by `make proto-swagger` from the query.proto files, and the page that shows it. The
// node's API server serves both at /swagger/ (app/swagger.go).
package docs

import _ "embed"

// OpenAPI is docs/openapi/openapi.json: every /balanceai/<module>/v1/... REST route.
//
//go:embed openapi/openapi.json
var OpenAPI []byte

// SwaggerIndex is the Swagger UI page listing OpenAPI (and the Cosmos SDK's own document).
//
//go:embed swagger/index.html
var SwaggerIndex []byte
