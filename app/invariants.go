package app

import (
	"errors"
	"fmt"
	"sort"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
)

// Invariant is one invariant a module registers: a check over the whole state that must hold
// after every block.
type Invariant struct {
	Module string
	Route  string
	Check  sdk.Invariant
}

// InvariantResult is the outcome of one invariant on one state.
type InvariantResult struct {
	Module  string
	Route   string
	Broken  bool
	Message string
}

// Error describes a broken invariant.
func (r InvariantResult) Error() string {
	return fmt.Sprintf("invariant %s/%s broken: %s", r.Module, r.Route, r.Message)
}

// invariantRegistry collects the invariants modules register (sdk.InvariantRegistry). The
// SDK's module manager no longer collects them since x/crisis left the default app, so the app
// does: the in-process test chains (testutil) and the simulation check them after every block,
// and the Invariants query (balanceai.invariants.v1) runs them on a live node.
type invariantRegistry struct{ list []Invariant }

// RegisterRoute implements sdk.InvariantRegistry.
func (r *invariantRegistry) RegisterRoute(moduleName, route string, inv sdk.Invariant) {
	r.list = append(r.list, Invariant{Module: moduleName, Route: route, Check: inv})
}

// Invariants returns every invariant registered by the app's modules, in module name order
// (each module's in the order it registers them).
func (app *App) Invariants() []Invariant {
	names := make([]string, 0, len(app.ModuleManager.Modules))
	for name := range app.ModuleManager.Modules {
		names = append(names, name)
	}
	sort.Strings(names)
	reg := &invariantRegistry{}
	for _, name := range names {
		if m, ok := app.ModuleManager.Modules[name].(module.HasInvariants); ok {
			m.RegisterInvariants(reg)
		}
	}
	return reg.list
}

// RunInvariants runs every invariant on ctx and returns each one's result, in the order of
// Invariants. Each runs on its own cached branch of ctx, so nothing an invariant might write
// reaches ctx's state.
func (app *App) RunInvariants(ctx sdk.Context) []InvariantResult {
	invs := app.Invariants()
	out := make([]InvariantResult, len(invs))
	for i, inv := range invs {
		cacheCtx, _ := ctx.CacheContext()
		msg, broken := inv.Check(cacheCtx)
		out[i] = InvariantResult{Module: inv.Module, Route: inv.Route, Broken: broken, Message: msg}
	}
	return out
}

// CheckInvariants runs every invariant on ctx and returns an error naming every broken one (nil
// when all hold).
func (app *App) CheckInvariants(ctx sdk.Context) error {
	var errs []error
	for _, r := range app.RunInvariants(ctx) {
		if r.Broken {
			errs = append(errs, r)
		}
	}
	return errors.Join(errs...)
}
