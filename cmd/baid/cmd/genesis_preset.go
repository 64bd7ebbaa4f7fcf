package cmd

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	cmttypes "github.com/cometbft/cometbft/types"
	"github.com/spf13/cobra"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	genutilcli "github.com/cosmos/cosmos-sdk/x/genutil/client/cli"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	slashingtypes "github.com/cosmos/cosmos-sdk/x/slashing/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/balanceai/balanceai/app"
)

const (
	flagAllocation  = "allocation"
	flagGenesisTime = "genesis-time"
	flagOutput      = "output"
)

// BlockTime is the target block interval of the public networks (docs/spec/README.md): 300 blocks an
// hour. CometBFT has no block-time consensus parameter; nodes get it from timeout_commit in
// config.toml (DefaultTimeoutCommit), and the block-count parameters below are sized for it.
const BlockTime = 12 * time.Second

// blocksIn is the number of 12 s blocks in d.
func blocksIn(d time.Duration) int64 { return int64(d / BlockTime) }

// NetworkPreset holds what differs between the public networks; everything else (the economic
// params of x/emission, x/marketplace, x/curation, x/grants, x/access, x/bridge, distribution)
// is the protocol default of every network.
type NetworkPreset struct {
	Name        string
	ChainID     string
	Description string

	// Governance.
	MinDeposit            math.Int
	ExpeditedMinDeposit   math.Int
	MaxDepositPeriod      time.Duration
	VotingPeriod          time.Duration
	ExpeditedVotingPeriod time.Duration

	// Staking, slashing and evidence.
	UnbondingTime           time.Duration
	MaxValidators           uint32
	MinCommissionRate       math.LegacyDec
	SignedBlocksWindow      int64
	MinSignedPerWindow      math.LegacyDec
	DowntimeJailDuration    time.Duration
	SlashFractionDoubleSign math.LegacyDec
	SlashFractionDowntime   math.LegacyDec

	// MaxBlockGas bounds the work of one block.
	MaxBlockGas int64
}

const day = 24 * time.Hour

// NetworkPresets are the public networks, by name.
var NetworkPresets = map[string]NetworkPreset{
	"mainnet": {
		Name:                    "mainnet",
		ChainID:                 "balanceai-1",
		Description:             "BalanceAI mainnet",
		MinDeposit:              math.NewInt(1_000_000_000), // 1,000 BAI
		ExpeditedMinDeposit:     math.NewInt(5_000_000_000), // 5,000 BAI
		MaxDepositPeriod:        14 * day,
		VotingPeriod:            5 * day,
		ExpeditedVotingPeriod:   1 * day,
		UnbondingTime:           21 * day,
		MaxValidators:           100,
		MinCommissionRate:       math.LegacyNewDecWithPrec(5, 2),
		SignedBlocksWindow:      blocksIn(1 * day), // 7,200 blocks
		MinSignedPerWindow:      math.LegacyNewDecWithPrec(5, 2),
		DowntimeJailDuration:    10 * time.Minute,
		SlashFractionDoubleSign: math.LegacyNewDecWithPrec(5, 2),
		SlashFractionDowntime:   math.LegacyNewDecWithPrec(1, 4),
		MaxBlockGas:             100_000_000,
	},
	"galileo": {
		Name:                    "galileo",
		ChainID:                 "galileo-1",
		Description:             "Galileo testnet: mainnet's economics with short governance and unbonding periods",
		MinDeposit:              math.NewInt(100_000_000), // 100 BAI
		ExpeditedMinDeposit:     math.NewInt(500_000_000), // 500 BAI
		MaxDepositPeriod:        2 * day,
		VotingPeriod:            1 * day,
		ExpeditedVotingPeriod:   6 * time.Hour,
		UnbondingTime:           3 * day,
		MaxValidators:           100,
		MinCommissionRate:       math.LegacyNewDecWithPrec(5, 2),
		SignedBlocksWindow:      blocksIn(4 * time.Hour), // 1,200 blocks
		MinSignedPerWindow:      math.LegacyNewDecWithPrec(5, 2),
		DowntimeJailDuration:    10 * time.Minute,
		SlashFractionDoubleSign: math.LegacyNewDecWithPrec(5, 2),
		SlashFractionDowntime:   math.LegacyNewDecWithPrec(1, 4),
		MaxBlockGas:             100_000_000,
	},
}

// presetNames lists the preset names in order, for help and errors.
func presetNames() []string {
	names := make([]string, 0, len(NetworkPresets))
	for n := range NetworkPresets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// genesisCommand is the SDK's `baid genesis` tree with `preset` added.
func genesisCommand(txConfig client.TxConfig, basics module.BasicManager) *cobra.Command {
	cmd := genutilcli.Commands(txConfig, basics, app.DefaultNodeHome)
	cmd.AddCommand(GenesisPresetCmd(basics))
	return cmd
}

// GenesisPresetCmd returns `baid genesis preset <network>`.
func GenesisPresetCmd(basics module.BasicManager) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "preset [" + strings.Join(presetNames(), "|") + "]",
		Short: "Write the genesis of a public network (chain id, params, initial allocation), without validators",
		Long: `Writes the genesis of mainnet (balanceai-1) or the Galileo testnet (galileo-1): the chain id, the
protocol's economic parameters, the network's governance, staking and slashing parameters, and
the initial allocation read from --allocation. The allocation must sum to exactly the genesis
supply of 5,880,000 BAI (5880000000000 ubai); otherwise nothing is written and the error gives
the difference in ubai and BAI.

Allocation file, CSV (header required; # starts a comment line):

  address,amount,vesting_start,vesting_end,label
  bai1...,1000000000000,,,validators
  bai1...,500000000000,2026-01-01T00:00:00Z,2028-01-01T00:00:00Z,team (linear vesting)
  bai1...,250000000000,,2027-01-01T00:00:00Z,advisor (locked until the end)

or JSON: [{"address": "bai1...", "amount": "1000000000000", "vesting": {"start": "...", "end": "..."}, "label": "..."}].
Amounts are integers in ubai (1 BAI = 1000000 ubai). vesting_end alone locks the amount until
then; with vesting_start it unlocks linearly between the two.

The genesis has no validators: each validator then runs 'baid genesis gentx' with an account of
the allocation, and the coordinator runs 'baid genesis collect-gentxs' and 'baid genesis validate'.
Nodes produce 12 s blocks with the timeout_commit 'baid init' writes (11 s + ~1 s of rounds).`,
		Example: `  baid init coordinator --chain-id galileo-1
  baid genesis preset galileo --allocation networks/galileo-1/allocation.example.csv --genesis-time 2026-03-02T15:00:00Z
  baid genesis preset mainnet --allocation allocation.csv --output /tmp/genesis.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			preset, ok := NetworkPresets[args[0]]
			if !ok {
				return fmt.Errorf("unknown network %q: use one of %s", args[0], strings.Join(presetNames(), ", "))
			}
			clientCtx := client.GetClientContextFromCmd(cmd)
			f := cmd.Flags()
			allocPath, _ := f.GetString(flagAllocation)
			if allocPath == "" {
				return fmt.Errorf("--%s is required: the CSV or JSON file of the initial allocation", flagAllocation)
			}
			genesisTime := time.Now().UTC().Truncate(time.Second)
			if s, _ := f.GetString(flagGenesisTime); s != "" {
				t, err := time.Parse(time.RFC3339, s)
				if err != nil {
					return fmt.Errorf("--%s %q is not an RFC 3339 time (e.g. 2026-03-02T15:00:00Z)", flagGenesisTime, s)
				}
				genesisTime = t.UTC()
			}
			output, _ := f.GetString(flagOutput)
			if output == "" {
				home, _ := f.GetString(flags.FlagHome)
				output = filepath.Join(home, "config", "genesis.json")
			}

			entries, err := ReadAllocationFile(allocPath)
			if err != nil {
				return err
			}
			if err := CheckAllocation(entries, genesisTime); err != nil {
				return err
			}
			genDoc, err := BuildPresetGenesis(clientCtx.Codec, basics, preset, entries, genesisTime)
			if err != nil {
				return err
			}
			if err := basics.ValidateGenesis(clientCtx.Codec, clientCtx.TxConfig, mustAppState(genDoc)); err != nil {
				return fmt.Errorf("the %s genesis does not validate: %w", preset.Name, err)
			}
			if err := os.MkdirAll(filepath.Dir(output), 0o755); err != nil {
				return err
			}
			if err := genDoc.SaveAs(output); err != nil {
				return err
			}
			cmd.PrintErrf("Wrote the %s genesis (chain id %s, genesis time %s, %d accounts, %s ubai = 5,880,000 BAI) to %s\n",
				preset.Name, preset.ChainID, genesisTime.Format(time.RFC3339), len(entries), GenesisSupply, output)
			cmd.PrintErrln("Next: validators run 'baid genesis gentx <key> <amount>ubai --chain-id " + preset.ChainID +
				"' on a copy of it; then 'baid genesis collect-gentxs' and 'baid genesis validate'.")
			return nil
		},
	}
	f := cmd.Flags()
	f.String(flagAllocation, "", "CSV or JSON file of the initial allocation (address, amount in ubai, optional vesting)")
	f.String(flagGenesisTime, "", "genesis time, RFC 3339 (default: now, to the second)")
	f.String(flagOutput, "", "where to write the genesis (default: <home>/config/genesis.json)")
	f.String(flags.FlagHome, app.DefaultNodeHome, "the node's home directory")
	return cmd
}

func mustAppState(genDoc *genutiltypes.AppGenesis) map[string]json.RawMessage {
	var state map[string]json.RawMessage
	if err := json.Unmarshal(genDoc.AppState, &state); err != nil {
		panic(err)
	}
	return state
}

// BuildPresetGenesis returns the genesis of a network: the default app state with the preset's
// parameters and the allocation's accounts and balances, the network's consensus params, and no
// validators. The allocation must already have passed CheckAllocation.
func BuildPresetGenesis(cdc codec.JSONCodec, basics module.BasicManager, p NetworkPreset, entries []AllocationEntry, genesisTime time.Time) (*genutiltypes.AppGenesis, error) {
	state := basics.DefaultGenesis(cdc)

	accounts, balances, err := allocationAccounts(entries)
	if err != nil {
		return nil, err
	}
	var authGen authtypes.GenesisState
	cdc.MustUnmarshalJSON(state[authtypes.ModuleName], &authGen)
	if authGen.Accounts, err = authtypes.PackAccounts(accounts); err != nil {
		return nil, err
	}
	state[authtypes.ModuleName] = cdc.MustMarshalJSON(&authGen)

	var bankGen banktypes.GenesisState
	cdc.MustUnmarshalJSON(state[banktypes.ModuleName], &bankGen)
	bankGen.Balances = banktypes.SanitizeGenesisBalances(balances)
	supply := sdk.NewCoins()
	for _, b := range bankGen.Balances {
		supply = supply.Add(b.Coins...)
	}
	if !supply.AmountOf(app.BondDenom).Equal(GenesisSupply) {
		return nil, fmt.Errorf("bank supply %s is not the genesis supply %s%s", supply, GenesisSupply, app.BondDenom)
	}
	bankGen.Supply = supply
	state[banktypes.ModuleName] = cdc.MustMarshalJSON(&bankGen)

	var govGen govv1.GenesisState
	cdc.MustUnmarshalJSON(state[govtypes.ModuleName], &govGen)
	govGen.Params.MinDeposit = sdk.NewCoins(sdk.NewCoin(app.BondDenom, p.MinDeposit))
	govGen.Params.ExpeditedMinDeposit = sdk.NewCoins(sdk.NewCoin(app.BondDenom, p.ExpeditedMinDeposit))
	maxDeposit, voting, expedited := p.MaxDepositPeriod, p.VotingPeriod, p.ExpeditedVotingPeriod
	govGen.Params.MaxDepositPeriod = &maxDeposit
	govGen.Params.VotingPeriod = &voting
	govGen.Params.ExpeditedVotingPeriod = &expedited
	if err := govGen.Params.ValidateBasic(); err != nil {
		return nil, fmt.Errorf("gov params: %w", err)
	}
	state[govtypes.ModuleName] = cdc.MustMarshalJSON(&govGen)

	var stakingGen stakingtypes.GenesisState
	cdc.MustUnmarshalJSON(state[stakingtypes.ModuleName], &stakingGen)
	stakingGen.Params.BondDenom = app.BondDenom
	stakingGen.Params.UnbondingTime = p.UnbondingTime
	stakingGen.Params.MaxValidators = p.MaxValidators
	stakingGen.Params.MinCommissionRate = p.MinCommissionRate
	if err := stakingGen.Params.Validate(); err != nil {
		return nil, fmt.Errorf("staking params: %w", err)
	}
	state[stakingtypes.ModuleName] = cdc.MustMarshalJSON(&stakingGen)

	var slashingGen slashingtypes.GenesisState
	cdc.MustUnmarshalJSON(state[slashingtypes.ModuleName], &slashingGen)
	slashingGen.Params = slashingtypes.NewParams(p.SignedBlocksWindow, p.MinSignedPerWindow, p.DowntimeJailDuration,
		p.SlashFractionDoubleSign, p.SlashFractionDowntime)
	if err := slashingGen.Params.Validate(); err != nil {
		return nil, fmt.Errorf("slashing params: %w", err)
	}
	state[slashingtypes.ModuleName] = cdc.MustMarshalJSON(&slashingGen)

	appState, err := json.MarshalIndent(state, "", "  ")
	if err != nil {
		return nil, err
	}
	genDoc := genutiltypes.NewAppGenesisWithVersion(p.ChainID, appState)
	genDoc.GenesisTime = genesisTime
	genDoc.InitialHeight = 1
	cp := cmttypes.DefaultConsensusParams()
	cp.Block.MaxGas = p.MaxBlockGas
	// Evidence stays usable for the whole unbonding period, counted in 12 s blocks and in time.
	cp.Evidence.MaxAgeDuration = p.UnbondingTime
	cp.Evidence.MaxAgeNumBlocks = blocksIn(p.UnbondingTime)
	genDoc.Consensus.Params = cp
	if err := genDoc.ValidateAndComplete(); err != nil {
		return nil, err
	}
	return genDoc, nil
}
