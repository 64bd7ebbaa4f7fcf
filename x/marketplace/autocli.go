package marketplace

import (
	"fmt"

	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/cosmos/cosmos-sdk/version"

	"github.com/balanceai/balanceai/x/marketplace/types"
)

// AutoCLIOptions implements autocli.HasAutoCLIConfig: every query, and every Msg but
// RegisterListing (served by the custom register-model / register-agent commands).
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	app := version.AppName
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod:      "Listing",
					Use:            "listing [id]",
					Short:          "Show one listing by id",
					Example:        fmt.Sprintf("%s q marketplace listing 1", app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}},
				},
				{
					RpcMethod: "Listings",
					Use:       "listings",
					Short:     "List listings, filtered by --kind, --status, --owner, --task and --tag (paginated)",
					Example: fmt.Sprintf("%[1]s q marketplace listings --owner bai1... --tag llm --kind model\n"+
						"%[1]s q marketplace listings --task nlp --status active --page-limit 50", app),
				},
				{
					RpcMethod: "Params",
					Use:       "params",
					Short:     "Show the marketplace parameters",
					Example:   fmt.Sprintf("%s q marketplace params", app),
				},
				{
					RpcMethod: "Totals",
					Use:       "totals",
					Short:     "Show listing counts by kind and status and the total collateral locked",
					Example:   fmt.Sprintf("%s q marketplace totals", app),
				},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Msg_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "RegisterListing", Skip: true},
				{
					RpcMethod: "UpdateListing",
					Use:       "update [id] [task] [endpoint] [metadata-cid] [version]",
					Short:     "Replace a listing's description, task, tags, endpoint, metadata CID, version and access policy (owner only)",
					Example: fmt.Sprintf(`%s tx marketplace update 1 nlp https://node.example.com/v2 `+
						`bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi 1.1.0 `+
						`--description "Faster" --tags llm,summarisation --access '{"min_stake":"5000000","requests_per_day":"100","mode":"ACCESS_MODE_PUBLIC"}' --from provider`, app),
					Long: "Replace a listing's description, task, tags, endpoint, metadata CID, version and access policy " +
						"(owner only). Every field is replaced: --access is required, and an omitted --description or " +
						"--tags clears it (read the current ones with `q marketplace listing [id]`).",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "id"}, {ProtoField: "task"}, {ProtoField: "endpoint"},
						{ProtoField: "metadata_cid"}, {ProtoField: "version"},
					},
					FlagOptions: map[string]*autocliv1.FlagOptions{
						"access":      {Usage: `access policy as JSON (required): {"min_stake":"<ubai>","requests_per_day":"<n>","mode":"ACCESS_MODE_PUBLIC|ACCESS_MODE_ALLOWLIST"}`},
						"description": {Usage: "new description (omitted: cleared)"},
						"tags":        {Usage: "new tags, comma-separated lowercase (omitted: cleared)"},
					},
				},
				{
					RpcMethod:      "DepositCollateral",
					Use:            "deposit [id] [amount]",
					Short:          "Add collateral (ubai) to a listing",
					Example:        fmt.Sprintf("%s tx marketplace deposit 1 250000000ubai --from provider", app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}, {ProtoField: "amount"}},
				},
				{
					RpcMethod:      "WithdrawCollateral",
					Use:            "withdraw [id] [amount]",
					Short:          "Withdraw collateral above the kind's minimum (owner only; not while RETIRING or SUSPENDED)",
					Example:        fmt.Sprintf("%s tx marketplace withdraw 1 250000000ubai --from provider", app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}, {ProtoField: "amount"}},
				},
				{
					RpcMethod:      "PauseListing",
					Use:            "pause [id]",
					Short:          "Pause an ACTIVE listing (owner only)",
					Example:        fmt.Sprintf("%s tx marketplace pause 1 --from provider", app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}},
				},
				{
					RpcMethod:      "ResumeListing",
					Use:            "resume [id]",
					Short:          "Resume a PAUSED listing (owner only)",
					Example:        fmt.Sprintf("%s tx marketplace resume 1 --from provider", app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}},
				},
				{
					RpcMethod:      "RetireListing",
					Use:            "retire [id]",
					Short:          "Retire a listing; its collateral is returned after the unlock period (owner only)",
					Example:        fmt.Sprintf("%s tx marketplace retire 1 --from provider", app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}},
				},
				{
					RpcMethod:      "TransferListing",
					Use:            "transfer [id] [new-owner]",
					Short:          "Transfer a listing and its collateral to a new owner (owner only)",
					Example:        fmt.Sprintf("%s tx marketplace transfer 1 bai1... --from provider", app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}, {ProtoField: "new_owner"}},
				},
				{
					RpcMethod:      "SlashListing",
					Use:            "slash [id] [fraction] [reason]",
					Short:          "Propose slashing a fraction of a listing's collateral and suspending it (governance)",
					Example:        fmt.Sprintf(`%s tx marketplace slash 7 0.5 "served malware" --destination "" --title "Slash listing 7" --summary "It served malware: see <evidence CID>" --deposit 250000000ubai --from proposer`, app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}, {ProtoField: "fraction"}, {ProtoField: "reason"}},
					GovProposal:    true,
				},
				{RpcMethod: "UpdateParams", Skip: true}, // update-params-proposal: internal/modcli
			},
		},
	}
}
