package cmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/server"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	"github.com/balanceai/balanceai/app"

	"github.com/balanceai/balanceai/x/emission"
	emissiontypes "github.com/balanceai/balanceai/x/emission/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// ValidateAppGenesis runs the checks that span several modules' sections of an app genesis, which
// no module's own ValidateGenesis can make: x/emission's cap against the bank balances; for an
// exported chain, issued − every burn (x/emission's and x/marketplace's) = the bank supply;
// x/emission's mint denom is the fee denom; and each gentx's commission rate and denom against the staking params.
func ValidateAppGenesis(cdc codec.JSONCodec, appState map[string]json.RawMessage) error {
	if err := checkMintDenom(cdc, appState); err != nil {
		return err
	}
	if err := emission.ValidateAppGenesis(cdc, appState); err != nil {
		return err
	}
	if err := checkIssuance(cdc, appState); err != nil {
		return err
	}
	return checkGenTxs(cdc, appState)
}

// checkMintDenom requires x/emission's mint_denom to be the fee denom: fees are paid only in
// ubai, and x/emission burns its share of them in its mint denom.
func checkMintDenom(cdc codec.JSONCodec, appState map[string]json.RawMessage) error {
	var em emissiontypes.GenesisState
	if bz := appState[emissiontypes.ModuleName]; bz == nil || cdc.UnmarshalJSON(bz, &em) != nil {
		return nil
	}
	if em.Params.MintDenom != app.BondDenom {
		return errorsmod.Wrapf(emissiontypes.ErrInvalidParams, "emission mint_denom %q must be %s, the denom fees are paid (and burned) in", em.Params.MintDenom, app.BondDenom)
	}
	return nil
}

// checkGenTxs checks each gentx's validator against the genesis staking params, which the
// SDK's gentx and collect-gentxs commands do not read: a commission rate below
// min_commission_rate or a self-delegation in another denom than bond_denom would make
// InitChain fail once every validator had started. A section that does not decode is left to
// the modules' own validation.
func checkGenTxs(cdc codec.JSONCodec, appState map[string]json.RawMessage) error {
	var gen genutiltypes.GenesisState
	if bz := appState[genutiltypes.ModuleName]; bz == nil || cdc.UnmarshalJSON(bz, &gen) != nil || len(gen.GenTxs) == 0 {
		return nil
	}
	var staking stakingtypes.GenesisState
	if bz := appState[stakingtypes.ModuleName]; bz == nil || cdc.UnmarshalJSON(bz, &staking) != nil {
		return nil
	}
	for i, raw := range gen.GenTxs {
		var tx txtypes.Tx
		if cdc.UnmarshalJSON(raw, &tx) != nil || tx.Body == nil {
			continue // genutil's validation reports it
		}
		for _, anyMsg := range tx.Body.Messages {
			msg, ok := anyMsg.GetCachedValue().(*stakingtypes.MsgCreateValidator)
			if !ok {
				continue
			}
			if !staking.Params.MinCommissionRate.IsNil() && !msg.Commission.Rate.IsNil() && msg.Commission.Rate.LT(staking.Params.MinCommissionRate) {
				return fmt.Errorf("gentx %d (%s): commission rate %s is below the network's min_commission_rate %s; make the gentx again with --commission-rate %s or more",
					i+1, msg.Description.Moniker, msg.Commission.Rate, staking.Params.MinCommissionRate, staking.Params.MinCommissionRate)
			}
			if msg.Value.Denom != staking.Params.BondDenom {
				return fmt.Errorf("gentx %d (%s): self-delegation %s is not in the bond denom %s", i+1, msg.Description.Moniker, msg.Value, staking.Params.BondDenom)
			}
		}
	}
	return nil
}

// checkIssuance checks issued − burns = bank supply of an imported emission state (a new chain's
// issued is taken from the bank at InitGenesis). A missing or undecodable section is left to the
// modules' own validation.
func checkIssuance(cdc codec.JSONCodec, appState map[string]json.RawMessage) error {
	var em emissiontypes.GenesisState
	if bz := appState[emissiontypes.ModuleName]; bz == nil || cdc.UnmarshalJSON(bz, &em) != nil || em.State.IsFresh() {
		return nil
	}
	var bank banktypes.GenesisState
	if bz := appState[banktypes.ModuleName]; bz == nil || cdc.UnmarshalJSON(bz, &bank) != nil {
		return nil
	}
	// Within max_supply: emission.ValidateAppGenesis ran first.
	supply := math.NewIntFromBigInt(emission.BankSupply(bank, em.Params.MintDenom))
	other := math.ZeroInt()
	var mp marketplacetypes.GenesisState
	if bz := appState[marketplacetypes.ModuleName]; bz != nil {
		if cdc.UnmarshalJSON(bz, &mp) != nil {
			return nil
		}
		for _, v := range []math.Int{mp.BurnedRegistrationFees, mp.BurnedSlashes} {
			if !v.IsNil() {
				other = other.Add(v)
			}
		}
	}
	return emissiontypes.CheckIssuance(em.State, em.RecordedBurns, other, supply)
}

// ValidateGenesisFile reads a genesis file and runs ValidateAppGenesis on its app state. A file
// that cannot be read or decoded is not refused here: the caller's own loading reports it.
func ValidateGenesisFile(cdc codec.JSONCodec, path string) error {
	appGenesis, err := genutiltypes.AppGenesisFromFile(path)
	if err != nil {
		return nil
	}
	var appState map[string]json.RawMessage
	if err := json.Unmarshal(appGenesis.AppState, &appState); err != nil {
		return nil
	}
	if err := ValidateAppGenesis(cdc, appState); err != nil {
		return genesisFileError{path: path, err: err}
	}
	return nil
}

// genesisFileError names the genesis file in the message (as `genesis validate` does for the
// modules' own errors) and unwraps to the registered error.
type genesisFileError struct {
	path string
	err  error
}

func (e genesisFileError) Error() string {
	return fmt.Sprintf("error validating genesis file %s: %s", e.path, e.err.Error())
}

func (e genesisFileError) Unwrap() error { return e.err }

// guardGenesis makes `baid genesis validate` refuse what ValidateAppGenesis refuses (besides
// every module's own validation), and `baid start` check the genesis file the same way before
// the node boots, so that a genesis that can never start is reported in one line instead of a
// panic in InitChain.
func guardGenesis(rootCmd *cobra.Command) {
	for _, c := range rootCmd.Commands() {
		switch c.Name() {
		case "start":
			prependPreRunE(c, func(cmd *cobra.Command, _ []string) error {
				path := server.GetServerContextFromCmd(cmd).Config.GenesisFile()
				if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
					return nil // the node reports the missing file itself
				}
				return ValidateGenesisFile(client.GetClientContextFromCmd(cmd).Codec, path)
			})
		case "genesis":
			for _, sub := range c.Commands() {
				if sub.Name() != "validate" {
					continue
				}
				prependPreRunE(sub, func(cmd *cobra.Command, args []string) error {
					path := server.GetServerContextFromCmd(cmd).Config.GenesisFile()
					if len(args) > 0 {
						path = args[0]
					}
					return ValidateGenesisFile(client.GetClientContextFromCmd(cmd).Codec, path)
				})
			}
		}
	}
}

// prependPreRunE runs check before the command's own PreRunE (if any).
func prependPreRunE(c *cobra.Command, check func(*cobra.Command, []string) error) {
	prev, prevPlain := c.PreRunE, c.PreRun
	c.PreRun = nil
	c.PreRunE = func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return err
		}
		if prev != nil {
			return prev(cmd, args)
		}
		if prevPlain != nil {
			prevPlain(cmd, args)
		}
		return nil
	}
}
