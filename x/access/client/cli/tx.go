// Package cli holds x/access's hand-written tx command: record-usage takes its records from a
// JSON file, which autocli cannot do for a repeated message field. Every other command comes
// from autocli.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/version"

	"github.com/balanceai/balanceai/internal/modcli"
	"github.com/balanceai/balanceai/x/access/types"
)

// GetTxCmd returns the access tx root command with record-usage; autocli adds the others.
func GetTxCmd() *cobra.Command {
	return modcli.TxRootCmd(types.ModuleName, "Access transactions: operators, allowlists and usage receipts",
		NewRecordUsageCmd(), NewUpdateParamsProposalCmd())
}

// NewRecordUsageCmd returns the record-usage command.
func NewRecordUsageCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "record-usage [listing-id] [records-json-file]",
		Short: "Record usage receipts for a listing (its operators only); one bad record rejects the batch",
		Long: `Records up to max_receipts_per_msg usage records for an ACTIVE listing. The file holds a JSON
array of records; each record consumes one request of its user's daily quota and must pass
CheckAccess counting the records before it. Use "-" to read the records from stdin (with
--yes or --generate-only: stdin cannot also answer the confirmation prompt).
A message costs about 70,000 gas, plus about 6,500 a record and 10,000 a distinct user, so
pass --gas auto (or 70,000 + 8,000 per record + 15,000 per distinct user) for batches above
the default 200,000.`,
		Example: fmt.Sprintf(`%[1]s tx access record-usage 1 records.json --gas auto --gas-adjustment 1.3 --from node-key
where records.json is
[{"user":"bai1...","request_cid":"bafkrei...","response_cid":"bafkrei...","units":"120"},
 {"user":"bai1...","request_cid":"Qm...","response_cid":"Qm...","units":"1"}]
%[1]s tx access record-usage 1 - --yes --from node-key < records.json`, version.AppName),
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			listingID, err := strconv.ParseUint(args[0], 10, 64)
			if err != nil || listingID == 0 {
				return fmt.Errorf("listing-id must be a positive integer, got %q", args[0])
			}
			var bz []byte
			if args[1] == "-" {
				// The records take stdin to its end, so the "confirm transaction" prompt that
				// follows would read nothing and cancel: say so before reading anything.
				if !clientCtx.SkipConfirm && !clientCtx.GenerateOnly {
					return errors.New(`records read from stdin ("-") leave nothing to answer the confirmation prompt with: add --yes (or --generate-only)`)
				}
				bz, err = readAll(cmd)
			} else {
				bz, err = os.ReadFile(args[1])
			}
			if err != nil {
				return err
			}
			records, err := ParseRecords(clientCtx.Codec, bz)
			if err != nil {
				return err
			}
			msg := &types.MsgRecordUsage{
				Operator:  clientCtx.GetFromAddress().String(),
				ListingId: listingID,
				Records:   records,
			}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// readAll reads the command's stdin.
func readAll(cmd *cobra.Command) ([]byte, error) {
	return io.ReadAll(cmd.InOrStdin())
}

// ParseRecords parses a JSON array of usage records (proto JSON field names; units as a
// number or a string).
func ParseRecords(cdc codec.JSONCodec, bz []byte) ([]types.UsageRecord, error) {
	trimmed := strings.TrimSpace(string(bz))
	if !strings.HasPrefix(trimmed, "[") {
		return nil, fmt.Errorf("records file must hold a JSON array of records")
	}
	var msg types.MsgRecordUsage
	if err := cdc.UnmarshalJSON([]byte(`{"records":`+trimmed+`}`), &msg); err != nil {
		return nil, fmt.Errorf("parse records: %w", err)
	}
	if len(msg.Records) == 0 {
		return nil, fmt.Errorf("records file holds no records")
	}
	return msg.Records, nil
}

// NewUpdateParamsProposalCmd returns update-params-proposal: the whole params, in proto JSON,
// proposed to governance.
func NewUpdateParamsProposalCmd() *cobra.Command {
	return modcli.UpdateParamsProposalCmd(types.ModuleName, func(authority string, p types.Params) sdk.Msg {
		return &types.MsgUpdateParams{Authority: authority, Params: p}
	})
}
