package cmd

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/balanceai/balanceai/app"
	emissiontypes "github.com/balanceai/balanceai/x/emission/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// errBooted stands in for start's RunE: reaching it means the genesis check let the node boot.
var errBooted = errors.New("the node would boot now")

// runBaid runs baid with args as main does (svrcmd.Execute); start's RunE is replaced by one
// returning errBooted, so the test never boots a node.
func runBaid(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := NewRootCmd()
	for _, c := range root.Commands() {
		if c.Name() == "start" {
			c.RunE = func(*cobra.Command, []string) error { return errBooted }
		}
	}
	out := &strings.Builder{}
	root.SetOut(out)
	root.SetErr(out)
	root.SetArgs(args)
	err := svrcmd.Execute(root, "BAID", app.DefaultNodeHome)
	return out.String(), err
}

// TestGenesisAboveCapRefusedByValidateAndStart: a genesis whose bank balances exceed
// 21,000,000 BAI passes no module's own validation check but can never start: `baid genesis
// validate` refuses it, and `baid start` stops before the node boots, both with x/emission's
// message. At the cap both accept it.
func TestGenesisAboveCapRefusedByValidateAndStart(t *testing.T) {
	for _, tc := range []struct {
		name    string
		balance math.Int
		wantErr bool
	}{
		{"at the cap", emissiontypes.MaxSupply, false},
		{"1 ubai above the cap", emissiontypes.MaxSupply.AddRaw(1), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			_, err := runBaid(t, "init", "node0", "--chain-id", "balanceai-devnet", "--home", home)
			require.NoError(t, err)
			addr := sdk.AccAddress([]byte("genesis-holder-addr1")).String()
			_, err = runBaid(t, "genesis", "add-genesis-account", addr, tc.balance.String()+"ubai", "--home", home)
			require.NoError(t, err)
			genesis := filepath.Join(home, "config", "genesis.json")

			want := ""
			if tc.wantErr {
				want = "error validating genesis file " + genesis + ": " +
					emissiontypes.CheckGenesisSupply(tc.balance, emissiontypes.DefaultParams()).Error()
			}
			for _, args := range [][]string{
				{"genesis", "validate", "--home", home},
				{"genesis", "validate", genesis, "--home", home},
			} {
				out, err := runBaid(t, args...)
				if !tc.wantErr {
					require.NoError(t, err, args)
					require.Contains(t, out, "is a valid genesis file")
					continue
				}
				require.EqualError(t, err, want, args)
				require.ErrorIs(t, err, emissiontypes.ErrSupplyAboveMax)
				require.NotContains(t, out, "valid genesis file")
			}

			_, err = runBaid(t, "start", "--home", home)
			if !tc.wantErr {
				require.ErrorIs(t, err, errBooted)
				return
			}
			require.EqualError(t, err, want)
		})
	}
	t.Logf("refused with: %s", emissiontypes.CheckGenesisSupply(emissiontypes.MaxSupply.AddRaw(1), emissiontypes.DefaultParams()))
}

// TestExportedIssuanceMustMatchTheBalances: for an exported chain (emission state not fresh), the
// app-wide check requires issued − every burn (x/emission's and x/marketplace's) to equal the
// bank balances; a hand-edited issuance that would let emission mint past the cap is refused.
func TestExportedIssuanceMustMatchTheBalances(t *testing.T) {
	cdc := codec.NewProtoCodec(codectypes.NewInterfaceRegistry())
	holder := sdk.AccAddress([]byte("genesis-holder-addr1")).String()
	appState := func(issued, balance int64) map[string]json.RawMessage {
		em := emissiontypes.DefaultGenesisState()
		em.State.GenesisSupply = math.NewInt(issued - 1000)
		em.State.TotalMinted = math.NewInt(1000)
		em.State.Issued = math.NewInt(issued)
		em.State.TotalBurned = math.NewInt(30)
		em.RecordedBurns = []emissiontypes.BurnTotal{{Source: emissiontypes.BurnSourceGovernanceDeposits, Amount: math.NewInt(20)}}
		mp := marketplacetypes.DefaultGenesisState()
		mp.BurnedRegistrationFees = math.NewInt(40)
		mp.BurnedSlashes = math.NewInt(10)
		bank := banktypes.DefaultGenesisState()
		bank.Balances = []banktypes.Balance{{Address: holder, Coins: sdk.NewCoins(sdk.NewInt64Coin("ubai", balance))}}
		return map[string]json.RawMessage{
			emissiontypes.ModuleName:    cdc.MustMarshalJSON(em),
			marketplacetypes.ModuleName: cdc.MustMarshalJSON(mp),
			banktypes.ModuleName:        cdc.MustMarshalJSON(bank),
		}
	}
	const issued = 5_880_000_000_000
	require.NoError(t, ValidateAppGenesis(cdc, appState(issued, issued-100)))
	err := ValidateAppGenesis(cdc, appState(issued, issued-99))
	require.ErrorIs(t, err, emissiontypes.ErrInvalidGenesis)
	require.ErrorContains(t, err, "the emission state does not match the balances")
	require.ErrorIs(t, ValidateAppGenesis(cdc, appState(1_000_001, issued-100)), emissiontypes.ErrInvalidGenesis)

	// Fees are paid in ubai: a genesis that mints (and so burns) another denom is refused.
	other := appState(issued, issued-100)
	em := emissiontypes.DefaultGenesisState()
	require.NoError(t, cdc.UnmarshalJSON(other[emissiontypes.ModuleName], em))
	em.Params.MintDenom = "uother"
	other[emissiontypes.ModuleName] = cdc.MustMarshalJSON(em)
	err = ValidateAppGenesis(cdc, other)
	require.ErrorIs(t, err, emissiontypes.ErrInvalidParams)
	require.ErrorContains(t, err, `emission mint_denom "uother" must be ubai`)
}

// TestGentxBelowMinCommissionRefused: a gentx made with a commission below the network's
// min_commission_rate passes gentx and collect-gentxs but would fail InitChain: `baid genesis
// validate` and `baid start` refuse it with the rate to use.
func TestGentxBelowMinCommissionRefused(t *testing.T) {
	for _, tc := range []struct {
		rate    string
		wantErr bool
	}{{"0.05", false}, {"0.01", true}} {
		home := t.TempDir()
		_, err := runBaid(t, "init", "node0", "--chain-id", "balanceai-devnet", "--home", home)
		require.NoError(t, err)
		genesis := filepath.Join(home, "config", "genesis.json")
		editGenesis(t, genesis, func(appState map[string]json.RawMessage) {
			var staking map[string]any
			require.NoError(t, json.Unmarshal(appState["staking"], &staking))
			staking["params"].(map[string]any)["min_commission_rate"] = "0.050000000000000000"
			bz, err := json.Marshal(staking)
			require.NoError(t, err)
			appState["staking"] = bz
		})
		_, err = runBaid(t, "keys", "add", "val", "--keyring-backend", "test", "--home", home)
		require.NoError(t, err)
		_, err = runBaid(t, "genesis", "add-genesis-account", "val", "2000000000ubai", "--keyring-backend", "test", "--home", home)
		require.NoError(t, err)
		_, err = runBaid(t, "genesis", "gentx", "val", "1000000000ubai", "--chain-id", "balanceai-devnet",
			"--commission-rate", tc.rate, "--keyring-backend", "test", "--home", home)
		require.NoError(t, err)
		_, err = runBaid(t, "genesis", "collect-gentxs", "--home", home)
		require.NoError(t, err)

		_, err = runBaid(t, "genesis", "validate", "--home", home)
		_, startErr := runBaid(t, "start", "--home", home)
		if !tc.wantErr {
			require.NoError(t, err)
			require.ErrorIs(t, startErr, errBooted)
			continue
		}
		require.ErrorContains(t, err, "gentx 1 (node0): commission rate 0.010000000000000000 is below the network's min_commission_rate 0.050000000000000000")
		require.ErrorContains(t, startErr, "is below the network's min_commission_rate")
	}
}

// editGenesis rewrites a genesis file's app state with edit.
func editGenesis(t *testing.T, path string, edit func(map[string]json.RawMessage)) {
	t.Helper()
	bz, err := os.ReadFile(path)
	require.NoError(t, err)
	var doc map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(bz, &doc))
	var appState map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(doc["app_state"], &appState))
	edit(appState)
	doc["app_state"], err = json.Marshal(appState)
	require.NoError(t, err)
	bz, err = json.MarshalIndent(doc, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, bz, 0o600))
}

// TestTestnetInitFilesRefusesAGenesisThatCannotStart: more validator accounts than the 21M BAI
// cap can hold, or a stake with no voting power, is refused before any file is written.
func TestTestnetInitFilesRefusesAGenesisThatCannotStart(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--v", "22"}, "above the 21000000000000ubai (21,000,000 BAI) supply cap"},
		{[]string{"--validator-stake", "999999"}, "gives no voting power"},
	} {
		dir := filepath.Join(t.TempDir(), "localnet")
		_, err := runBaid(t, append([]string{"testnet", "init-files", "--output-dir", dir, "--home", t.TempDir()}, tc.args...)...)
		require.ErrorContains(t, err, tc.want, tc.args)
		_, statErr := os.Stat(dir)
		require.True(t, os.IsNotExist(statErr), "nothing written for %v", tc.args)
	}
}
