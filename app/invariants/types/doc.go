// Package types holds the generated code of the app-level invariants query
// (proto/balanceai/invariants/v1): `baid q invariants` and
// GET /balanceai/invariants/v1/invariants, served by the app (app/invariants.go).
package types
