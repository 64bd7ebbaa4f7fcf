// Package upgrades holds the chain's named software upgrades. Each upgrade lives in its own
// folder (v2, v3, ...) and is listed in All; the app registers every handler at start.
package upgrades

import (
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
