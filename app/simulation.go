package app

import (
	"github.com/cosmos/cosmos-sdk/types/module"

	"github.com/balanceai/balanceai/x/access"
	accesstypes "github.com/balanceai/balanceai/x/access/types"
	"github.com/balanceai/balanceai/x/curation"
	curationtypes "github.com/balanceai/balanceai/x/curation/types"
	"github.com/balanceai/balanceai/x/grants"
	grantstypes "github.com/balanceai/balanceai/x/grants/types"
)

// simulationOverrides are the modules whose simulated Msgs read another module's state: they
// take part in the simulation with the marketplace listings their Msgs refer to.
func (app *App) simulationOverrides() map[string]module.AppModuleSimulation {
	return map[string]module.AppModuleSimulation{
		accesstypes.ModuleName: app.ModuleManager.Modules[accesstypes.ModuleName].(access.AppModule).
			WithSimulationListings(app.MarketplaceKeeper),
		curationtypes.ModuleName: app.ModuleManager.Modules[curationtypes.ModuleName].(curation.AppModule).
			WithSimulationListings(app.MarketplaceKeeper),
		grantstypes.ModuleName: app.ModuleManager.Modules[grantstypes.ModuleName].(grants.AppModule).
			WithSimulationListings(app.MarketplaceKeeper, app.CurationKeeper),
	}
}
