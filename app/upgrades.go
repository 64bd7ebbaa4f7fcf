package app

import (
	"github.com/balanceai/balanceai/app/upgrades"
)

// Upgrades lists the named upgrades this release performs, oldest first. This release is the
// chain's first: it performs none. The release that follows a governance upgrade plan adds
// its upgrade here (see docs/upgrades.md).
var Upgrades = []upgrades.Upgrade{}
