package emission

import (
	"fmt"

	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/cosmos/cosmos-sdk/version"
)

// AutoCLIOptions implements autocli.HasAutoCLIConfig.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: "balanceai.emission.v1.Query",
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "Params",
					Use:       "params",
					Short:     "Show the emission parameters (daily emission, max supply, shares, reward mode, fee burn)",
					Example:   fmt.Sprintf("%s q emission params", version.AppName),
				},
				{
					RpcMethod: "State",
					Use:       "state",
					Short:     "Show issued, minted and burned totals, era, current daily rate and the next halving",
					Example:   fmt.Sprintf("%s q emission state", version.AppName),
				},
				{
					RpcMethod: "Schedule",
					Use:       "schedule",
					Short:     "Show every era from the current one: start, threshold, daily rate and duration in days",
					Example:   fmt.Sprintf("%s q emission schedule", version.AppName),
				},
				{
					RpcMethod: "Supply",
					Use:       "supply",
					Short:     "Show issued, burned, circulating (bank supply) and remaining-to-cap amounts",
					Example:   fmt.Sprintf("%s q emission supply", version.AppName),
				},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service:              "balanceai.emission.v1.Msg",
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "UpdateParams", Skip: true}, // update-params-proposal: internal/modcli
			},
		},
	}
}
