// Package modcli holds what the modules' hand-written tx commands share: the tx root command
// autocli completes, and update-params-proposal (a module's whole Params, read as proto JSON,
// wrapped in a MsgUpdateParams from the gov authority and submitted as a governance proposal).
package modcli

import (
	"errors"
	"fmt"

	"github.com/cosmos/gogoproto/proto"
	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/version"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	govcli "github.com/cosmos/cosmos-sdk/x/gov/client/cli"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
)

// TxRootCmd returns a module's tx root command holding subs; autocli adds the module's other
// Msg commands to it (EnhanceCustomCommand).
func TxRootCmd(module, short string, subs ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{
		Use:                        module,
		Short:                      short,
		DisableFlagParsing:         true,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(subs...)
	return cmd
}

// UpdateParamsProposalCmd returns `update-params-proposal [params]` for module. params is the
// module's whole Params in proto JSON, as the REST API (/balanceai/<module>/v1/params) and the
// genesis print them: decimals as "0.5", durations as "60s", integers as strings. msg makes the
// module's MsgUpdateParams from the gov authority's address and the params read.
func UpdateParamsProposalCmd[P any, PT interface {
	*P
	proto.Message
}](module string, msg func(authority string, params P) sdk.Msg) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "update-params-proposal [params-json]",
		Short: fmt.Sprintf("Submit a governance proposal replacing the whole %s params", module),
		Long: fmt.Sprintf(`Submit a governance proposal whose one message is the %[1]s module's MsgUpdateParams,
from the gov module account. [params-json] is every %[1]s param in proto JSON, as the REST API
serves them at /balanceai/%[1]s/v1/params (decimals as "0.5", durations as "60s"): fetch them, change
what the proposal changes, and pass the result. --title and --summary are required, and --deposit
must be at least the initial deposit (a quarter of gov's min_deposit).`, module),
		Example: fmt.Sprintf(`%[1]s tx %[2]s update-params-proposal "$(curl -s http://localhost:1317/balanceai/%[2]s/v1/params | jq -c .params)" \
  --title "%[2]s params" --summary "Why the change" --deposit 250000000ubai --from alice`, version.AppName, module),
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			m, err := BuildUpdateParamsProposal[P, PT](clientCtx, cmd, args[0], msg)
			if err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), m)
		},
	}
	flags.AddTxFlagsToCmd(cmd)
	govcli.AddGovPropFlagsToCmd(cmd)
	return cmd
}

// BuildUpdateParamsProposal reads paramsJSON and the command's proposal flags into the proposal
// UpdateParamsProposalCmd submits.
func BuildUpdateParamsProposal[P any, PT interface {
	*P
	proto.Message
}](clientCtx client.Context, cmd *cobra.Command, paramsJSON string, msg func(authority string, params P) sdk.Msg) (sdk.Msg, error) {
	var params P
	if err := clientCtx.Codec.UnmarshalJSON([]byte(paramsJSON), PT(&params)); err != nil {
		return nil, fmt.Errorf("[params-json] is not the module's params in proto JSON (decimals as \"0.5\", durations as \"60s\"): %w", err)
	}
	// The chain checks the params only when the proposal passes: an invalid set would cost
	// the deposit and the vote for nothing.
	if v, ok := any(PT(&params)).(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			return nil, fmt.Errorf("[params-json] is not a valid params set (every field is required): %w", err)
		}
	}
	prop, err := govcli.ReadGovPropFlags(clientCtx, cmd.Flags())
	if err != nil {
		return nil, err
	}
	if prop.Title == "" || prop.Summary == "" {
		return nil, errors.New("--title and --summary are required: the chain refuses a proposal without them")
	}
	if prop.InitialDeposit.IsZero() {
		return nil, errors.New("--deposit is required: the chain refuses a proposal below the initial deposit (a quarter of gov's min_deposit)")
	}
	if err := prop.SetMsgs([]sdk.Msg{msg(authtypes.NewModuleAddress(govtypes.ModuleName).String(), params)}); err != nil {
		return nil, err
	}
	return prop, nil
}
