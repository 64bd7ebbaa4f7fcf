package curation

import (
	"fmt"

	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/cosmos/cosmos-sdk/version"

	"github.com/balanceai/balanceai/x/curation/types"
)

// AutoCLIOptions implements autocli.HasAutoCLIConfig: every query and tx of curation
// (commit-scores and reveal-scores are the custom commands of client/cli).
func (am AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	app := version.AppName
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "Params",
					Use:       "params",
					Short:     "Show the curation params",
					Example:   fmt.Sprintf("%s q curation params", app),
				},
				{
					RpcMethod:      "Curator",
					Use:            "curator [address]",
					Short:          "Show a curator's bond, unbonding, reputation and history",
					Example:        fmt.Sprintf("%s q curation curator bai1...", app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "address"}},
				},
				{
					RpcMethod: "Curators",
					Use:       "curators",
					Short:     "List curators",
					Example:   fmt.Sprintf("%s q curation curators --page-limit 50", app),
				},
				{
					RpcMethod: "Epoch",
					Use:       "epoch",
					Short:     "Show the current scoring epoch: number, phase (commit or reveal), start, reveal_start, end",
					Example:   fmt.Sprintf("%s q curation epoch", app),
				},
				{
					RpcMethod:      "Scores",
					Use:            "scores [listing-id]",
					Short:          "Show a listing's curation score (EMA) and last epoch score",
					Example:        fmt.Sprintf("%s q curation scores 1", app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "listing_id"}},
				},
				{
					RpcMethod:      "Flag",
					Use:            "flag [id]",
					Short:          "Show a flag with its votes and outcome",
					Example:        fmt.Sprintf("%s q curation flag 1", app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}},
				},
				{
					RpcMethod: "Flags",
					Use:       "flags",
					Short:     "List flags, optionally of one listing, of one status, or both",
					Example:   fmt.Sprintf("%[1]s q curation flags\n%[1]s q curation flags --status open\n%[1]s q curation flags --listing-id 7 --status open", app),
				},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Msg_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod:      "BondCurator",
					Use:            "bond [amount]",
					Short:          "Bond ubai as a curator (your bond must reach min_curator_bond, 10,000 BAI by default)",
					Example:        fmt.Sprintf("%s tx curation bond 10000000000ubai --from curator", app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "amount"}},
				},
				{
					RpcMethod:      "UnbondCurator",
					Use:            "unbond [amount]",
					Short:          "Unbond curator ubai; it is paid out after curator_unbonding_period (21 days by default)",
					Example:        fmt.Sprintf("%s tx curation unbond 10000000000ubai --from curator", app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "amount"}},
				},
				{RpcMethod: "CommitScores", Skip: true},
				{RpcMethod: "RevealScores", Skip: true},
				{
					RpcMethod: "FlagListing",
					Use:       "flag [listing-id] [reason] [evidence-cid] [deposit]",
					Short:     "Flag a listing with evidence and a deposit (at least min_flag_deposit, 100 BAI by default); the reason is 1-512 bytes of visible characters",
					Example: fmt.Sprintf(`%s tx curation flag 7 "endpoint serves a different model" `+
						`bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi 100000000ubai --from alice`, app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "listing_id"}, {ProtoField: "reason"}, {ProtoField: "evidence_cid"}, {ProtoField: "deposit"},
					},
				},
				{
					RpcMethod:      "VoteFlag",
					Use:            "vote-flag [flag-id] [uphold]",
					Short:          "Vote on an open flag as a curator bonded before the flag opened, weighted by min(bond then, bond now) (true upholds, false rejects)",
					Example:        fmt.Sprintf("%s tx curation vote-flag 1 true --from curator", app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "flag_id"}, {ProtoField: "uphold"}},
				},
				{RpcMethod: "UpdateParams", Skip: true}, // update-params-proposal: internal/modcli
			},
		},
	}
}
