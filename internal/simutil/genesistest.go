package simutil

import (
	"encoding/json"
	"math/rand"
	"testing"
	"time"

	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
)

// ValidatedGenesis is a module's genesis state: a proto message with its own validation.
type ValidatedGenesis[T any] interface {
	*T
	proto.Message
	Validate() error
}

// CheckRandomizedGenesis draws a module's randomized genesis from 200 seeds (RandomGenesis)
// and requires every one to pass the module's genesis validation.
func CheckRandomizedGenesis[T any, G ValidatedGenesis[T]](tb testing.TB, gen func(*module.SimulationState), moduleName string) {
	tb.Helper()
	for seed := int64(0); seed < 200; seed++ {
		gs := G(new(T))
		RandomGenesis(tb, seed, gen, moduleName, gs)
		require.NoError(tb, gs.Validate(), "seed %d", seed)
	}
}

// RandomGenesis runs a module's randomized genesis from seed, as the simulation does (20
// accounts, a bank genesis generated before it), decodes the module's genesis into out and
// checks that the bank genesis stays valid and that the same seed gives the same genesis.
func RandomGenesis(tb testing.TB, seed int64, gen func(*module.SimulationState), moduleName string, out proto.Message) {
	tb.Helper()
	cdc := codec.NewProtoCodec(codectypes.NewInterfaceRegistry())
	run := func() map[string]json.RawMessage {
		r := rand.New(rand.NewSource(seed))
		bank := banktypes.DefaultGenesisState()
		holder := sdk.AccAddress([]byte("genesis-holder-00000")).String()
		bank.Balances = []banktypes.Balance{{Address: holder, Coins: sdk.NewCoins(sdk.NewInt64Coin("ubai", 1_000_000))}}
		bank.Supply = sdk.NewCoins(sdk.NewInt64Coin("ubai", 1_000_000))
		simState := &module.SimulationState{
			AppParams:    make(simtypes.AppParams),
			Cdc:          cdc,
			Rand:         r,
			GenState:     map[string]json.RawMessage{banktypes.ModuleName: cdc.MustMarshalJSON(bank)},
			Accounts:     simtypes.RandomAccounts(r, 20),
			GenTimestamp: time.Unix(1_700_000_000, 0),
		}
		gen(simState)
		return simState.GenState
	}
	first, second := run(), run()
	require.Equal(tb, string(first[moduleName]), string(second[moduleName]), "seed %d: the same seed must give the same genesis", seed)
	var bank banktypes.GenesisState
	cdc.MustUnmarshalJSON(first[banktypes.ModuleName], &bank)
	require.NoError(tb, bank.Validate(), "seed %d: bank genesis", seed)
	cdc.MustUnmarshalJSON(first[moduleName], out)
}
