// Package cli holds the marketplace's hand-written tx commands: registering a listing
// takes many fields, so register-model and register-agent take the required ones as
// arguments and the rest as flags. Every other command comes from autocli.
package cli

import (
	"fmt"
	"strconv"
	"strings"

	"cosmossdk.io/math"
	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/version"

	"github.com/balanceai/balanceai/internal/modcli"
	"github.com/balanceai/balanceai/x/marketplace/types"
)

// Flag names of the register commands.
const (
	FlagDescription    = "description"
	FlagTags           = "tags"
	FlagMinStake       = "min-stake"
	FlagRequestsPerDay = "requests-per-day"
	FlagAccessMode     = "access-mode"
	FlagComponents     = "components"
)

// GetTxCmd returns the marketplace tx root command with the register commands;
// autocli adds the remaining Msg commands to it.
func GetTxCmd() *cobra.Command {
	return modcli.TxRootCmd(types.ModuleName, "Marketplace transactions: register and manage AI model and agent listings",
		NewRegisterModelCmd(), NewRegisterAgentCmd(), NewUpdateParamsProposalCmd())
}

// NewRegisterModelCmd returns the register-model command.
func NewRegisterModelCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "register-model [name] [task] [endpoint] [metadata-cid] [version] [collateral]",
		Short: "Register an AI model, locking collateral (at least min_model_collateral) and burning the registration fee",
		Example: fmt.Sprintf(`%[1]s tx marketplace register-model "Llama Summariser" nlp https://node.example.com/v1 \
  bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi 1.0.0 1000000000ubai \
  --description "Summarises long documents" --tags llm,summarisation \
  --min-stake 5000000 --requests-per-day 100 --access-mode public --from provider`, version.AppName),
		Args: cobra.ExactArgs(6),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRegister(cmd, args, types.ListingKindModel)
		},
	}
	addRegisterFlags(cmd)
	return cmd
}

// NewRegisterAgentCmd returns the register-agent command.
func NewRegisterAgentCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "register-agent [name] [task] [endpoint] [metadata-cid] [version] [collateral]",
		Short: "Register an AI agent composing ACTIVE listings (--components), locking collateral and burning the registration fee",
		Example: fmt.Sprintf(`%[1]s tx marketplace register-agent "Research Agent" financial https://agent.example.com \
  QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG 0.3.1 500000000ubai \
  --components 1,2 --tags agent,research --access-mode allowlist --from provider`, version.AppName),
		Args: cobra.ExactArgs(6),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRegister(cmd, args, types.ListingKindAgent)
		},
	}
	addRegisterFlags(cmd)
	cmd.Flags().String(FlagComponents, "", "comma-separated ids of the ACTIVE listings the agent composes, e.g. 1,2")
	return cmd
}

func addRegisterFlags(cmd *cobra.Command) {
	cmd.Flags().String(FlagDescription, "", "description (at most 2048 characters)")
	cmd.Flags().StringSlice(FlagTags, nil, "comma-separated lowercase tags (at most 8), e.g. llm,vision")
	cmd.Flags().String(FlagMinStake, "0", "eligible stake in ubai a user needs (0 = anyone)")
	cmd.Flags().Uint64(FlagRequestsPerDay, 0, "daily requests per min-stake unit (0 = unlimited)")
	cmd.Flags().String(FlagAccessMode, "public", "access mode: public or allowlist")
	flags.AddTxFlagsToCmd(cmd)
}

func runRegister(cmd *cobra.Command, args []string, kind types.ListingKind) error {
	clientCtx, err := client.GetClientTxContext(cmd)
	if err != nil {
		return err
	}
	msg, err := BuildRegisterMsg(cmd, args, kind, clientCtx.GetFromAddress().String())
	if err != nil {
		return err
	}
	return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
}

// BuildRegisterMsg builds a MsgRegisterListing from the command's arguments and flags.
func BuildRegisterMsg(cmd *cobra.Command, args []string, kind types.ListingKind, owner string) (*types.MsgRegisterListing, error) {
	collateral, err := sdk.ParseCoinNormalized(args[5])
	if err != nil {
		return nil, fmt.Errorf("collateral %q: %w", args[5], err)
	}
	description, _ := cmd.Flags().GetString(FlagDescription)
	tags, _ := cmd.Flags().GetStringSlice(FlagTags)
	minStakeStr, _ := cmd.Flags().GetString(FlagMinStake)
	minStake, ok := math.NewIntFromString(minStakeStr)
	if !ok {
		return nil, fmt.Errorf("--%s %q is not an integer amount of ubai", FlagMinStake, minStakeStr)
	}
	rpd, _ := cmd.Flags().GetUint64(FlagRequestsPerDay)
	modeStr, _ := cmd.Flags().GetString(FlagAccessMode)
	mode, err := ParseAccessMode(modeStr)
	if err != nil {
		return nil, err
	}
	var components []uint64
	if kind == types.ListingKindAgent {
		s, _ := cmd.Flags().GetString(FlagComponents)
		if components, err = ParseIDs(s); err != nil {
			return nil, err
		}
	}
	return &types.MsgRegisterListing{
		Owner:       owner,
		Kind:        kind,
		Name:        args[0],
		Description: description,
		Task:        args[1],
		Tags:        tags,
		Endpoint:    args[2],
		MetadataCid: args[3],
		Version:     args[4],
		Collateral:  collateral,
		Access:      types.AccessPolicy{MinStake: minStake, RequestsPerDay: rpd, Mode: mode},
		Components:  components,
	}, nil
}

// ParseAccessMode accepts public, allowlist or the full enum names.
func ParseAccessMode(s string) (types.AccessMode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "public", "access_mode_public":
		return types.AccessModePublic, nil
	case "allowlist", "access_mode_allowlist":
		return types.AccessModeAllowlist, nil
	}
	return types.AccessModeUnspecified, fmt.Errorf("--%s must be public or allowlist, got %q", FlagAccessMode, s)
}

// ParseIDs parses a comma-separated list of listing ids.
func ParseIDs(s string) ([]uint64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	parts := strings.Split(s, ",")
	ids := make([]uint64, 0, len(parts))
	for _, p := range parts {
		id, err := strconv.ParseUint(strings.TrimSpace(p), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("component %q is not a listing id", p)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// NewUpdateParamsProposalCmd returns update-params-proposal: the whole params, in proto JSON,
// proposed to governance.
func NewUpdateParamsProposalCmd() *cobra.Command {
	return modcli.UpdateParamsProposalCmd(types.ModuleName, func(authority string, p types.Params) sdk.Msg {
		return &types.MsgUpdateParams{Authority: authority, Params: p}
	})
}
