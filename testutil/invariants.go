package testutil

import (
	"fmt"
	"sort"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"

	"github.com/balanceai/balanceai/app"
)

// invariant is one registered module invariant.
type invariant struct {
	module, route string
	check         sdk.Invariant
}

// invariantRegistry collects the invariants modules register (the SDK's module manager no
// longer does, since x/crisis left the default app).
type invariantRegistry struct{ list []invariant }

// RegisterRoute implements sdk.InvariantRegistry.
func (r *invariantRegistry) RegisterRoute(moduleName, route string, inv sdk.Invariant) {
	r.list = append(r.list, invariant{module: moduleName, route: route, check: inv})
}

// Invariants returns every invariant registered by the app's modules, in module name order.
func Invariants(a *app.App) []invariant {
	names := make([]string, 0, len(a.ModuleManager.Modules))
	for name := range a.ModuleManager.Modules {
		names = append(names, name)
	}
	sort.Strings(names)
	reg := &invariantRegistry{}
	for _, name := range names {
		if m, ok := a.ModuleManager.Modules[name].(module.HasInvariants); ok {
			m.RegisterInvariants(reg)
		}
	}
	return reg.list
}

// CheckInvariants runs every module invariant on ctx and returns the first broken one.
func CheckInvariants(ctx sdk.Context, invs []invariant) error {
	for _, inv := range invs {
		cacheCtx, _ := ctx.CacheContext() // an invariant must not write, but never let it
		if msg, broken := inv.check(cacheCtx); broken {
			return fmt.Errorf("invariant %s/%s broken: %s", inv.module, inv.route, msg)
		}
	}
	return nil
}
