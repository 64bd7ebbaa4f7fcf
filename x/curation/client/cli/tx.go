// Package cli holds the curation commands autocli cannot build: commit-scores computes the
// commitment (and a random salt) locally, reveal-scores parses the id:score list.
package cli

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/version"

	"github.com/balanceai/balanceai/internal/modcli"
	"github.com/balanceai/balanceai/x/curation/types"
)

// FlagSalt is the commit-scores salt flag.
const FlagSalt = "salt"

// GetTxCmd returns the curation tx root command with the commit and reveal commands;
// autocli adds the remaining Msg commands to it.
func GetTxCmd() *cobra.Command {
	return modcli.TxRootCmd(types.ModuleName, "Curation transactions: bond, score listings (commit-reveal), flag listings",
		NewCommitScoresCmd(), NewRevealScoresCmd(), NewUpdateParamsProposalCmd())
}

// RandomSalt returns 16 random bytes as hex (client side only).
func RandomSalt() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// BuildCommit parses the arguments and returns the commit message and the salt used. The
// commitment binds the signing curator and the chain id (docs/spec/curation.md).
func BuildCommit(curator, chainID, epochArg, scoresArg, salt string) (*types.MsgCommitScores, string, error) {
	if chainID == "" {
		return nil, "", fmt.Errorf("the commitment includes the chain id: pass --chain-id (or set chain-id in client.toml)")
	}
	epoch, err := strconv.ParseUint(epochArg, 10, 64)
	if err != nil {
		return nil, "", fmt.Errorf("epoch %q: %w", epochArg, err)
	}
	scores, err := types.ParseScores(scoresArg)
	if err != nil {
		return nil, "", err
	}
	if _, err := types.ValidateScores(scores, types.MaxScoresPerEpochLimit); err != nil {
		return nil, "", err
	}
	if salt == "" {
		if salt, err = RandomSalt(); err != nil {
			return nil, "", err
		}
	}
	if err := types.ValidateSalt(salt); err != nil {
		return nil, "", err
	}
	return &types.MsgCommitScores{Curator: curator, Epoch: epoch, Commitment: types.ComputeCommitment(curator, chainID, salt, epoch, scores)}, salt, nil
}

// BuildReveal parses the arguments into a reveal message.
func BuildReveal(curator, epochArg, salt, scoresArg string) (*types.MsgRevealScores, error) {
	epoch, err := strconv.ParseUint(epochArg, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("epoch %q: %w", epochArg, err)
	}
	scores, err := types.ParseScores(scoresArg)
	if err != nil {
		return nil, err
	}
	if err := types.ValidateSalt(salt); err != nil {
		return nil, err
	}
	return &types.MsgRevealScores{Curator: curator, Epoch: epoch, Salt: salt, Scores: types.SortScores(scores)}, nil
}

// NewCommitScoresCmd returns the commit-scores command.
func NewCommitScoresCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "commit-scores [epoch] [id:score,id:score,...]",
		Short: "Commit to this epoch's scores (commit phase); prints the salt you need to reveal",
		Long: `Computes the commitment, the lowercase hex SHA-256 of the UTF-8 string
"<curator>|<chain_id>|<salt>|<epoch>|<id>:<score>,<id>:<score>..." with the scores (0-100) sorted by
listing id, where <curator> is the --from address (bech32) and <chain_id> the --chain-id, and
broadcasts MsgCommitScores. The curator and chain id are part of the hash, so a commitment only
reveals for the curator that made it, on this chain. Without --salt a random salt is generated.
KEEP THE PRINTED SALT AND SCORES: revealing needs exactly them, and a commitment that is not
revealed in the reveal phase costs no_reveal_slash of your bond.`,
		Example: fmt.Sprintf(`%[1]s q curation epoch
%[1]s tx curation commit-scores 12 1:80,4:65,9:30 --from curator
%[1]s tx curation commit-scores 12 1:80,4:65 --salt my-secret-salt --from curator`, version.AppName),
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			salt, _ := cmd.Flags().GetString(FlagSalt)
			msg, salt, err := BuildCommit(clientCtx.GetFromAddress().String(), clientCtx.ChainID, args[0], args[1], salt)
			if err != nil {
				return err
			}
			scores, _ := types.ParseScores(args[1])
			fmt.Fprintf(cmd.ErrOrStderr(), "salt: %s\ncommitted string: %s\ncommitment: %s\nreveal with: %s tx curation reveal-scores %s %s %s\n",
				salt, types.CommitmentString(msg.Curator, clientCtx.ChainID, salt, msg.Epoch, scores), msg.Commitment, version.AppName, args[0], salt, args[1])
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().String(FlagSalt, "", "salt for the commitment (1-128 bytes, no '|'); random when empty")
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// NewRevealScoresCmd returns the reveal-scores command.
func NewRevealScoresCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "reveal-scores [epoch] [salt] [id:score,id:score,...]",
		Short: "Reveal the scores committed this epoch (reveal phase)",
		Example: fmt.Sprintf(`%s tx curation reveal-scores 12 3f9a0c2e5b7d41e8a6c09d1f2b3e4a5c 1:80,4:65,9:30 --from curator`,
			version.AppName),
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			msg, err := BuildReveal(clientCtx.GetFromAddress().String(), args[0], args[1], args[2])
			if err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// NewUpdateParamsProposalCmd returns update-params-proposal: the whole params, in proto JSON,
// proposed to governance.
func NewUpdateParamsProposalCmd() *cobra.Command {
	return modcli.UpdateParamsProposalCmd(types.ModuleName, func(authority string, p types.Params) sdk.Msg {
		return &types.MsgUpdateParams{Authority: authority, Params: p}
	})
}
