package emission_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	"github.com/cosmos/cosmos-sdk/x/bank"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/balanceai/balanceai/x/emission"
	"github.com/balanceai/balanceai/x/emission/types"
)

// TestValidateAppGenesisRefusesSupplyAboveCap: the app-wide check sums the bank balances of the
// mint denom and refuses more than max_supply with InitGenesis's message; at or below the cap,
// and for genesis files whose sections are missing or unreadable (left to the modules), it passes.
func TestValidateAppGenesisRefusesSupplyAboveCap(t *testing.T) {
	enc := moduletestutil.MakeTestEncodingConfig(emission.AppModule{}, bank.AppModuleBasic{})
	cdc := enc.Codec
	appState := func(amounts ...math.Int) map[string]json.RawMessage {
		bg := banktypes.DefaultGenesisState()
		for i, a := range amounts {
			addr := sdk.AccAddress([]byte{byte(i + 1), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19})
			bg.Balances = append(bg.Balances, banktypes.Balance{
				Address: addr.String(),
				Coins:   sdk.NewCoins(sdk.NewCoin("ubai", a), sdk.NewInt64Coin("uother", 1)),
			})
		}
		return map[string]json.RawMessage{
			banktypes.ModuleName: cdc.MustMarshalJSON(bg),
			types.ModuleName:     cdc.MustMarshalJSON(types.DefaultGenesisState()),
		}
	}
	require.NoError(t, emission.ValidateAppGenesis(cdc, appState(math.NewInt(5_880_000_000_000))))
	require.NoError(t, emission.ValidateAppGenesis(cdc, appState(types.MaxSupply.SubRaw(1), math.OneInt())), "exactly the cap")

	over := types.MaxSupply.AddRaw(1)
	err := emission.ValidateAppGenesis(cdc, appState(types.MaxSupply, math.OneInt()))
	require.ErrorIs(t, err, types.ErrSupplyAboveMax)
	require.EqualError(t, err, types.CheckGenesisSupply(over, types.DefaultParams()).Error())
	require.ErrorContains(t, err, "the genesis bank supply of ubai is 21000000000001, above max_supply 21000000000000 (21,000,000 BAI) by 1; lower the genesis balances")

	// Balances whose sum is beyond any math.Int: refused, no panic.
	huge, ok := math.NewIntFromString("57896044618658097711785492504343953926634992332820282019728792003956564819967") // 2^255 - 1
	require.True(t, ok)
	require.ErrorIs(t, emission.ValidateAppGenesis(cdc, appState(huge, huge, huge)), types.ErrSupplyAboveMax)

	// Missing or unreadable sections are the modules' own validation's business.
	st := appState(over)
	delete(st, banktypes.ModuleName)
	require.NoError(t, emission.ValidateAppGenesis(cdc, st))
	st = appState(over)
	st[types.ModuleName] = json.RawMessage(`{"params":`)
	require.NoError(t, emission.ValidateAppGenesis(cdc, st))
}
