package emission

import (
	"encoding/json"
	"math/big"

	"github.com/cosmos/cosmos-sdk/codec"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/balanceai/balanceai/x/emission/types"
)

// ValidateAppGenesis checks what the x/emission genesis cannot check on its own, because it needs
// another module's section of the app genesis: the bank supply of mint_denom at genesis (the sum
// of the bank balances, which x/bank's InitGenesis makes the supply) must not exceed max_supply,
// or InitGenesis refuses it and the chain can never start. It gives InitGenesis's message.
//
// A missing or undecodable bank or emission section is left to the modules' own validation.
func ValidateAppGenesis(cdc codec.JSONCodec, appState map[string]json.RawMessage) error {
	emissionBz, bankBz := appState[types.ModuleName], appState[banktypes.ModuleName]
	if emissionBz == nil || bankBz == nil {
		return nil
	}
	var gs types.GenesisState
	if err := cdc.UnmarshalJSON(emissionBz, &gs); err != nil {
		return nil
	}
	var bank banktypes.GenesisState
	if err := cdc.UnmarshalJSON(bankBz, &bank); err != nil {
		return nil
	}
	return types.CheckGenesisSupplyBig(BankSupply(bank, gs.Params.MintDenom), gs.Params)
}

// BankSupply is the supply of denom a bank genesis makes: the sum of its balances of it (which
// may exceed the range of a math.Int).
func BankSupply(bank banktypes.GenesisState, denom string) *big.Int {
	supply := new(big.Int)
	for _, b := range bank.Balances {
		for _, c := range b.Coins {
			if c.Denom == denom && !c.Amount.IsNil() {
				supply.Add(supply, c.Amount.BigInt())
			}
		}
	}
	return supply
}
