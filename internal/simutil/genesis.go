package simutil

import (
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
)

// FundModuleAccount adds coins to a module account's balance, and to the supply, in the
// randomized bank genesis, for a module whose randomized genesis holds funds (listing
// collateral, curator bonds). The bank genesis must already be generated: x/bank comes before
// every BalanceAI module that calls this in the simulation's module order.
func FundModuleAccount(simState *module.SimulationState, moduleName string, coins sdk.Coins) {
	if coins.IsZero() {
		return
	}
	raw, ok := simState.GenState[banktypes.ModuleName]
	if !ok {
		panic("bank genesis must be generated before " + moduleName + "'s")
	}
	var bank banktypes.GenesisState
	simState.Cdc.MustUnmarshalJSON(raw, &bank)
	addr := authtypes.NewModuleAddress(moduleName).String()
	found := false
	for i := range bank.Balances {
		if bank.Balances[i].Address == addr {
			bank.Balances[i].Coins = bank.Balances[i].Coins.Add(coins...)
			found = true
			break
		}
	}
	if !found {
		bank.Balances = append(bank.Balances, banktypes.Balance{Address: addr, Coins: coins})
	}
	if !bank.Supply.IsZero() {
		bank.Supply = bank.Supply.Add(coins...)
	}
	simState.GenState[banktypes.ModuleName] = simState.Cdc.MustMarshalJSON(&bank)
}
