package app

import (
	"github.com/balanceai/balanceai/app/upgrades"
	v2 "github.com/balanceai/balanceai/app/upgrades/v2"
)

// Upgrades lists every named upgrade the binary knows, oldest first.
var Upgrades = []upgrades.Upgrade{v2.Upgrade}
