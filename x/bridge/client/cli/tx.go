// Package cli holds the bridge module's hand-written tx commands; autocli adds the other Msg
// commands to its root.
package cli

import (
	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/internal/govcli"
	"github.com/balanceai/balanceai/x/bridge/types"
)

// GetTxCmd returns the bridge tx root command with update-params-proposal; autocli adds the
// remaining Msg commands to it.
func GetTxCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        types.ModuleName,
		Short:                      "Bridge transactions: BAI to and from wBAI on Ethereum",
		DisableFlagParsing:         true,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(NewUpdateParamsProposalCmd())
	return cmd
}

// NewUpdateParamsProposalCmd returns update-params-proposal: the whole params, in proto JSON,
// proposed to governance.
func NewUpdateParamsProposalCmd() *cobra.Command {
	return govcli.UpdateParamsProposalCmd(types.ModuleName, func(authority string, p types.Params) sdk.Msg {
		return &types.MsgUpdateParams{Authority: authority, Params: p}
	})
}
