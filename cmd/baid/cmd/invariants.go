package cmd

import (
	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"

	invariantstypes "github.com/balanceai/balanceai/app/invariants/types"
)

// flagInvariantsModule restricts `baid q invariants` to one module's invariants.
const flagInvariantsModule = "module"

// QueryInvariantsCmd returns `baid query invariants`: every module invariant's status on the
// node's latest committed state (balanceai.invariants.v1 Query/Invariants).
func QueryInvariantsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "invariants",
		Short: "Run every module invariant on the node's latest state and report each one's status",
		Long: `Run every invariant the modules register (the checks over the whole state that
must hold after every block: emission issuance, marketplace collateral and holds, access
receipt indexes, curation bond accounting, grants funds, rewards, payments and vote snapshots,
the bridge ledger and its executed events) on the node's latest committed state, and report
for each its module, route, whether it is broken and its message. "broken" counts the broken ones (0 when all hold). The invariants
walk every module's records, so the query costs as much as the state is large; it never
changes state. A node bounds it: the reads of one run are capped by its app.toml
[invariants] query-gas-limit (a larger state is refused with ResourceExhausted), one run at a
time (Unavailable during another), and only the latest state or the one before it (--height).

REST: GET /balanceai/invariants/v1/invariants[?module=<module>]`,
		Example: `  baid q invariants --output json
  baid q invariants --module marketplace --node tcp://localhost:26657`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			module, err := cmd.Flags().GetString(flagInvariantsModule)
			if err != nil {
				return err
			}
			res, err := invariantstypes.NewQueryClient(clientCtx).Invariants(cmd.Context(),
				&invariantstypes.QueryInvariantsRequest{Module: module})
			if err != nil {
				return err
			}
			return clientCtx.PrintProto(res)
		},
	}
	cmd.Flags().String(flagInvariantsModule, "", "report only this module's invariants (e.g. marketplace)")
	flags.AddQueryFlagsToCmd(cmd)
	return cmd
}
