package grants

import (
	"fmt"

	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/cosmos/cosmos-sdk/version"

	"github.com/balanceai/balanceai/x/grants/types"
)

// AutoCLIOptions implements autocli.HasAutoCLIConfig: every query and every Msg.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	app := version.AppName
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "Funds",
					Use:       "funds",
					Short:     "Show each grant fund's balance, free balance, reserve and unclaimed rewards",
					Example:   fmt.Sprintf("%s q grants funds", app),
				},
				{
					RpcMethod: "Payout",
					Use:       "payout",
					Short:     "Show the epoch reward payout in progress, if any (paid over several blocks)",
					Example:   fmt.Sprintf("%s q grants payout --output json", app),
				},
				{
					RpcMethod:      "Rewards",
					Use:            "rewards [owner]",
					Short:          "Show an account's claimable epoch rewards per fund",
					Example:        fmt.Sprintf("%s q grants rewards bai1...", app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "owner"}},
				},
				{
					RpcMethod:      "Grant",
					Use:            "grant [id]",
					Short:          "Show one grant with its milestones and tally",
					Example:        fmt.Sprintf("%s q grants grant 1", app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}},
				},
				{
					RpcMethod: "Grants",
					Use:       "grants",
					Short:     "List grants, filtered by --status (voting, approved, rejected, completed, closed, failed) or --applicant (paginated)",
					Example: fmt.Sprintf("%[1]s q grants grants --status voting\n"+
						"%[1]s q grants grants --applicant bai1... --page-limit 20", app),
				},
				{
					RpcMethod: "Params",
					Use:       "params",
					Short:     "Show the grants parameters",
					Example:   fmt.Sprintf("%s q grants params", app),
				},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Msg_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "ClaimRewards",
					Use:       "claim-rewards",
					Short:     "Claim every epoch reward credited to the signer, from both funds",
					Example:   fmt.Sprintf("%s tx grants claim-rewards --from provider", app),
				},
				{
					RpcMethod: "SubmitGrant",
					Use:       "submit-grant [fund] [listing-id] [title] [details-cid] [milestone-json]...",
					Short:     "Propose a grant from the models or agents fund (1-5 milestones, one JSON object each; listing-id 0 for research); takes the grant deposit",
					Example: fmt.Sprintf(`%s tx grants submit-grant models 7 "Multilingual fine-tune" `+
						`bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi `+
						`'{"amount":{"denom":"ubai","amount":"1000000000"},"description":"dataset"}' `+
						`'{"amount":{"denom":"ubai","amount":"2000000000"},"description":"model release"}' --from provider`, app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "fund"}, {ProtoField: "listing_id"}, {ProtoField: "title"},
						{ProtoField: "details_cid"}, {ProtoField: "milestones", Varargs: true},
					},
				},
				{
					RpcMethod:      "VoteGrant",
					Use:            "vote [grant-id] [option]",
					Short:          "Vote on a grant as a curator bonded when its voting opened (yes, no, abstain or no-with-veto)",
					Example:        fmt.Sprintf("%s tx grants vote 1 yes --from curator", app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "grant_id"}, {ProtoField: "option"}},
				},
				{
					RpcMethod:      "SubmitMilestone",
					Use:            "submit-milestone [grant-id] [index] [evidence-cid]",
					Short:          "Submit the evidence of a grant's next milestone (applicant only)",
					Example:        fmt.Sprintf("%s tx grants submit-milestone 1 0 bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi --from provider", app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "grant_id"}, {ProtoField: "index"}, {ProtoField: "evidence_cid"}},
				},
				{
					RpcMethod:      "ReviewMilestone",
					Use:            "review-milestone [grant-id] [index] [approve]",
					Short:          "Accept (true) or reject (false) a milestone in review as a curator bonded when the review opened; it is decided when the review period ends",
					Example:        fmt.Sprintf("%s tx grants review-milestone 1 0 true --from curator", app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "grant_id"}, {ProtoField: "index"}, {ProtoField: "approve"}},
				},
				{
					RpcMethod:      "DecideGrant",
					Use:            "decide-grant-proposal [grant-id] [approve]",
					Short:          "Propose that governance approve or reject a voting grant, or close (false) an approved one",
					Example:        fmt.Sprintf("%s tx grants decide-grant-proposal 1 true --title \"Approve grant 1\" --summary \"Curators deadlocked; the grant serves the roadmap\" --deposit 250000000ubai --from proposer", app),
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "grant_id"}, {ProtoField: "approve"}},
					GovProposal:    true,
				},
				{RpcMethod: "UpdateParams", Skip: true}, // update-params-proposal: internal/modcli
			},
		},
	}
}
