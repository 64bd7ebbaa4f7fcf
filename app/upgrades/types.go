// Package upgrades holds the chain's named software upgrades. Each upgrade a release performs
// lives in its own folder (v2, v3, ...) and is listed in app.Upgrades; the app registers the
// handlers of that list only. A release must not register the handler of an upgrade it does
// not perform: x/upgrade halts every node one block after such a plan is scheduled ("BINARY
// UPDATED BEFORE TRIGGER"). See docs/upgrades.md.
package upgrades

import (
	"context"

	storetypes "cosmossdk.io/store/types"
	upgradetypes "cosmossdk.io/x/upgrade/types"

	"github.com/cosmos/cosmos-sdk/types/module"
)

// Upgrade describes a named upgrade: its handler and the stores it adds, renames or deletes.
type Upgrade struct {
	// Name is the plan name a governance upgrade proposal uses.
	Name string
	// CreateHandler builds the handler that runs when the chain reaches the upgrade height.
	CreateHandler func(mm *module.Manager, cfg module.Configurator) upgradetypes.UpgradeHandler
	// StoreUpgrades lists the store changes applied at the upgrade height.
	StoreUpgrades storetypes.StoreUpgrades
}

// RunMigrations is the handler of an upgrade that only runs the module migrations of the
// modules whose consensus version changed.
func RunMigrations(mm *module.Manager, cfg module.Configurator) upgradetypes.UpgradeHandler {
	return func(ctx context.Context, _ upgradetypes.Plan, fromVM module.VersionMap) (module.VersionMap, error) {
		return mm.RunMigrations(ctx, cfg, fromVM)
	}
}
