package cmd

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/balanceai/balanceai/app"
)

// NominateCmd returns `baid tx nominate`: one transaction that delegates an amount split equally
// across several validators.
func NominateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "nominate [validator,...] [amount]",
		Short: "Nominate validators: delegate an amount split equally across them in one transaction",
		Long: `Nominate validators by delegating to all of them in a single transaction of MsgDelegate
messages. The amount is split equally; the remainder of the division goes to the first validator.
Every validator must exist; the amount must be positive and in the bond denom. With --offline
the node is not asked (the validators are then checked when the transaction runs).`,
		Example: `  baid tx nominate baivaloper1abc...,baivaloper1def...,baivaloper1ghi... 3000000000ubai --from alice --fees 10000ubai`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			amount, err := sdk.ParseCoinNormalized(args[1])
			if err != nil {
				return fmt.Errorf("invalid amount %q: %w", args[1], err)
			}
			validators, err := parseValidatorList(args[0])
			if err != nil {
				return err
			}
			if clientCtx.Offline {
				// No node to ask: the chain's bond denom, and the validators are checked on chain.
				if amount.Denom != app.BondDenom {
					return fmt.Errorf("amount must be in the bond denom %s, got %s", app.BondDenom, amount.Denom)
				}
			} else {
				queryClient := stakingtypes.NewQueryClient(clientCtx)
				params, err := queryClient.Params(cmd.Context(), &stakingtypes.QueryParamsRequest{})
				if err != nil {
					return fmt.Errorf("query staking params: %w", err)
				}
				if amount.Denom != params.Params.BondDenom {
					return fmt.Errorf("amount must be in the bond denom %s, got %s", params.Params.BondDenom, amount.Denom)
				}
				for _, v := range validators {
					if _, err := queryClient.Validator(cmd.Context(), &stakingtypes.QueryValidatorRequest{ValidatorAddr: v}); err != nil {
						return fmt.Errorf("unknown validator %s: %w", v, err)
					}
				}
			}
			msgs, err := NominateMsgs(clientCtx.GetFromAddress().String(), validators, amount)
			if err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msgs...)
		},
	}
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// parseValidatorList parses a comma-separated list of distinct validator operator addresses.
func parseValidatorList(list string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, v := range strings.Split(list, ",") {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		addr, err := sdk.ValAddressFromBech32(v)
		if err != nil {
			return nil, fmt.Errorf("invalid validator address %q: %w", v, err)
		}
		v = addr.String() // one spelling: an upper-case copy is the same validator
		if seen[v] {
			return nil, fmt.Errorf("validator %s is listed twice", v)
		}
		seen[v] = true
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, errors.New("no validator given: pass a comma-separated list of baivaloper addresses")
	}
	return out, nil
}

// NominateMsgs splits amount equally across validators (the remainder to the first) and returns
// one MsgDelegate per validator.
func NominateMsgs(delegator string, validators []string, amount sdk.Coin) ([]sdk.Msg, error) {
	if len(validators) == 0 {
		return nil, errors.New("no validator given")
	}
	if !amount.Amount.IsPositive() {
		return nil, fmt.Errorf("amount must be positive, got %s", amount)
	}
	n := math.NewInt(int64(len(validators)))
	share := amount.Amount.Quo(n)
	if share.IsZero() {
		return nil, fmt.Errorf("amount %s is too small to split across %d validators", amount, len(validators))
	}
	remainder := amount.Amount.Sub(share.Mul(n))
	msgs := make([]sdk.Msg, 0, len(validators))
	for i, v := range validators {
		part := share
		if i == 0 {
			part = part.Add(remainder)
		}
		msgs = append(msgs, stakingtypes.NewMsgDelegate(delegator, v, sdk.NewCoin(amount.Denom, part)))
	}
	return msgs, nil
}
