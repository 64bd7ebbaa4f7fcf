package access

import (
	"fmt"

	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/cosmos/cosmos-sdk/version"

	"github.com/balanceai/balanceai/x/access/types"
)

// AutoCLIOptions implements autocli.HasAutoCLIConfig: every query, and every Msg but
// RecordUsage (served by the custom record-usage command, which reads a JSON file).
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	app := version.AppName
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "CheckAccess",
					Use:       "check [listing-id] [user]",
					Short:     "Check whether a user may be served by a listing now: allowed, reason, stake, required stake, quota, used today",
					Long: `Reasons (checked in this order): "listing not found", "listing not active", "not on allowlist",
"stake below minimum", "quota exhausted"; empty when allowed. quota is 0 with unlimited=true when the
listing has no daily limit. Days are UTC days of block time.`,
					Example:        fmt.Sprintf("%s q access check 1 bai1...", app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "listing_id"}, {ProtoField: "user"}},
				},
				{
					RpcMethod:      "UsageByListing",
					Use:            "usage [listing-id]",
					Short:          "List a listing's kept usage receipts (paginated) with its all-time totals",
					Example:        fmt.Sprintf("%[1]s q access usage 1\n%[1]s q access usage 1 --page-limit 20 --page-reverse", app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "listing_id"}},
				},
				{
					RpcMethod:      "UsageByUser",
					Use:            "user-usage [listing-id] [user]",
					Short:          "List one user's kept usage receipts on a listing (paginated) with today's usage",
					Example:        fmt.Sprintf("%s q access user-usage 1 bai1...", app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "listing_id"}, {ProtoField: "user"}},
				},
				{
					RpcMethod:      "Operators",
					Use:            "operators [listing-id]",
					Short:          "Show the operators (node keys) that may record usage for a listing",
					Example:        fmt.Sprintf("%s q access operators 1", app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "listing_id"}},
				},
				{
					RpcMethod:      "Allowlist",
					Use:            "allowlist [listing-id]",
					Short:          "List a listing's allowlist (paginated); it only matters in ALLOWLIST mode",
					Example:        fmt.Sprintf("%s q access allowlist 1", app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "listing_id"}},
				},
				{
					RpcMethod: "Params",
					Use:       "params",
					Short:     "Show the access params",
					Example:   fmt.Sprintf("%s q access params", app),
				},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Msg_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "RecordUsage", Skip: true},
				{
					RpcMethod: "SetOperators",
					Use:       "set-operators [listing-id] [operator]...",
					Short:     "Replace the operators (node keys) that may record usage for a listing (owner only); none clears them",
					Example:   fmt.Sprintf("%[1]s tx access set-operators 1 bai1node... bai1backup... --from provider", app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "listing_id"}, {ProtoField: "operators", Varargs: true},
					},
				},
				{
					RpcMethod:      "SetAllowlist",
					Use:            "set-allowlist [listing-id]",
					Short:          "Add users to (--add, repeatable) and remove users from (--remove, repeatable) a listing's allowlist (owner only)",
					Example:        fmt.Sprintf("%s tx access set-allowlist 1 --add bai1alice... --add bai1bob... --remove bai1carol... --from provider", app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "listing_id"}},
				},
				{RpcMethod: "UpdateParams", Skip: true}, // update-params-proposal: internal/modcli
			},
		},
	}
}
