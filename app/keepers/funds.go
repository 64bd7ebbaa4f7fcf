package keepers

import (
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// The grant funds: module accounts without permissions, filled by x/emission's split of the mint
// and by slashed curator bonds (x/curation), spent by x/grants on grants and epoch rewards.
const (
	// ModelsFundName is the module account of the Marketplace Models Providers Grants Fund.
	ModelsFundName = "models_fund"
	// AgentsFundName is the module account of the Agent Providers Grants Fund.
	AgentsFundName = "agents_fund"
)

// GrantFunds is the one place that says which module account funds which listing kind. The
// keepers of x/emission, x/curation and x/grants receive it, as x/distribution receives the fee
// collector's name; none of them decides the routing itself.
var GrantFunds = marketplacetypes.GrantFunds{Model: ModelsFundName, Agent: AgentsFundName}
