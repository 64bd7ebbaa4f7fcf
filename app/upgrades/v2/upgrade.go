// Package v2 is the first named upgrade of BalanceAI: it runs the module migrations, so a
// release that bumps a module's consensus version only needs a governance proposal named "v2".
package v2

import (
	"context"

	upgradetypes "cosmossdk.io/x/upgrade/types"

	"github.com/cosmos/cosmos-sdk/types/module"

	"github.com/balanceai/balanceai/app/upgrades"
)

// UpgradeName is the plan name of this upgrade.
const UpgradeName = "v2"

// Upgrade is the v2 upgrade: module migrations only, no store changes.
var Upgrade = upgrades.Upgrade{
	Name: UpgradeName,
	CreateHandler: func(mm *module.Manager, cfg module.Configurator) upgradetypes.UpgradeHandler {
		return func(ctx context.Context, _ upgradetypes.Plan, fromVM module.VersionMap) (module.VersionMap, error) {
			return mm.RunMigrations(ctx, cfg, fromVM)
		}
	},
}
