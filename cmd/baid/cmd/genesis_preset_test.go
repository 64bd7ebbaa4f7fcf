package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cosmossdk.io/log"
	"cosmossdk.io/math"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/crypto/hd"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	vestingtypes "github.com/cosmos/cosmos-sdk/x/auth/vesting/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/balanceai/balanceai/app"
	emissiontypes "github.com/balanceai/balanceai/x/emission/types"
)

const exampleAllocation = "../../../networks/galileo-1/allocation.example.csv"

var genesisTime = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func accAddr(b byte) string { return sdk.AccAddress(append(make([]byte, 19), b)).String() }

func writeTemp(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
	return p
}

func TestAllocationCSVAndJSONReadTheSame(t *testing.T) {
	csvPath := writeTemp(t, "a.csv", "# comment\naddress,amount,vesting_start,vesting_end,label\n"+
		accAddr(1)+",5000000000000ubai,,,plain\n"+
		accAddr(2)+",800000000000,2027-01-01T00:00:00Z,2029-01-01T00:00:00Z,linear\n"+
		accAddr(3)+",80000000000,,2028-01-01T00:00:00Z,locked\n")
	jsonPath := writeTemp(t, "a.json", `{"accounts": [
  {"address": "`+accAddr(1)+`", "amount": "5000000000000", "label": "plain"},
  {"address": "`+accAddr(2)+`", "amount": "800000000000", "vesting": {"start": "2027-01-01T00:00:00Z", "end": "2029-01-01T00:00:00Z"}, "label": "linear"},
  {"address": "`+accAddr(3)+`", "amount": "80000000000", "vesting": {"end": "2028-01-01T00:00:00Z"}, "label": "locked"}
]}`)
	fromCSV, err := ReadAllocationFile(csvPath)
	require.NoError(t, err)
	fromJSON, err := ReadAllocationFile(jsonPath)
	require.NoError(t, err)
	require.Equal(t, fromCSV, fromJSON)
	require.Len(t, fromCSV, 3)
	require.Nil(t, fromCSV[0].VestingEnd)
	require.Equal(t, "2027-01-01T00:00:00Z", fromCSV[1].VestingStart.Format(time.RFC3339))
	require.Nil(t, fromCSV[2].VestingStart)
	require.NoError(t, CheckAllocation(fromCSV, genesisTime))

	accounts, balances, err := allocationAccounts(fromCSV)
	require.NoError(t, err)
	require.IsType(t, &authtypes.BaseAccount{}, accounts[0])
	require.IsType(t, &vestingtypes.ContinuousVestingAccount{}, accounts[1])
	require.IsType(t, &vestingtypes.DelayedVestingAccount{}, accounts[2])
	require.Equal(t, "80000000000ubai", balances[2].Coins.String())
}

func TestAllocationOffByOneUbaiIsRefusedWithTheDifference(t *testing.T) {
	entries, err := ReadAllocationFile(exampleAllocation)
	require.NoError(t, err)
	require.NoError(t, CheckAllocation(entries, genesisTime))

	short := append([]AllocationEntry(nil), entries...)
	short[0].Amount = short[0].Amount.SubRaw(1)
	err = CheckAllocation(short, genesisTime)
	require.EqualError(t, err, "the allocation sums to 5879999999999 ubai (5879999.999999 BAI), 1 ubai (0.000001 BAI) short of "+
		"the genesis supply of 5880000000000 ubai (5,880,000 BAI): add 1 ubai")

	over := append([]AllocationEntry(nil), entries...)
	over[0].Amount = over[0].Amount.AddRaw(1)
	err = CheckAllocation(over, genesisTime)
	require.EqualError(t, err, "the allocation sums to 5880000000001 ubai (5880000.000001 BAI), 1 ubai (0.000001 BAI) over "+
		"the genesis supply of 5880000000000 ubai (5,880,000 BAI): remove 1 ubai")

	// A large gap is given in whole BAI too.
	over[0].Amount = over[0].Amount.Add(math.NewInt(2_500_000_000))
	require.ErrorContains(t, CheckAllocation(over, genesisTime), "2500000001 ubai (2500.000001 BAI) over")
}

func TestAllocationRefusesBadEntries(t *testing.T) {
	header := "address,amount,vesting_start,vesting_end\n"
	for name, tc := range map[string]struct{ body, want string }{
		"wrong prefix":      {header + "cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnrql8a,1\n", "is not a bai1... account address"},
		"zero amount":       {header + accAddr(1) + ",0\n", "must be a positive integer amount of ubai"},
		"decimal amount":    {header + accAddr(1) + ",1.5\n", "must be a positive integer amount of ubai"},
		"start without end": {header + accAddr(1) + ",1,2027-01-01T00:00:00Z,\n", "vesting_start without vesting_end"},
		"start after end":   {header + accAddr(1) + ",1,2029-01-01T00:00:00Z,2028-01-01T00:00:00Z\n", "must be before vesting_end"},
		"bad time":          {header + accAddr(1) + ",1,,next year\n", "is not an RFC 3339 time"},
		"no header":         {accAddr(1) + ",1\n", "unknown column"},
		"missing amount":    {"address,label\n" + accAddr(1) + ",x\n", `lacks the "amount" column`},
		"too many fields":   {header + accAddr(1) + ",1,,,extra\n", "5 fields, the header has 4"},
	} {
		_, err := ReadAllocationFile(writeTemp(t, "a.csv", tc.body))
		require.ErrorContains(t, err, tc.want, name)
	}

	dup := []AllocationEntry{
		{Address: accAddr(1), Amount: GenesisSupply.SubRaw(1)},
		{Address: accAddr(1), Amount: math.OneInt()},
	}
	require.ErrorContains(t, CheckAllocation(dup, genesisTime), "allocation entries 1 and 2 are both for")
	past := genesisTime.Add(-time.Hour)
	vested := []AllocationEntry{{Address: accAddr(1), Amount: GenesisSupply, VestingEnd: &past}}
	require.ErrorContains(t, CheckAllocation(vested, genesisTime), "is not after the genesis time")
	require.ErrorContains(t, CheckAllocation(nil, genesisTime), "no accounts")
	for _, name := range []string{stakingtypes.BondedPoolName, authtypes.FeeCollectorName, "models_fund"} {
		module := []AllocationEntry{
			{Address: accAddr(1), Amount: GenesisSupply.SubRaw(1)},
			{Address: authtypes.NewModuleAddress(name).String(), Amount: math.OneInt()},
		}
		require.ErrorContains(t, CheckAllocation(module, genesisTime), "is the "+name+" module account", name)
	}
}

// The committed test keys are the keys of the example allocation.
func TestGalileoTestKeysOwnTheExampleAllocation(t *testing.T) {
	bz, err := os.ReadFile("../../../networks/galileo-1/test-keys.json")
	require.NoError(t, err)
	var file struct {
		Warning string `json:"WARNING"`
		Keys    []struct{ Name, Address, Mnemonic string }
	}
	require.NoError(t, json.Unmarshal(bz, &file))
	require.Contains(t, file.Warning, "TEST KEYS ONLY")
	entries, err := ReadAllocationFile(exampleAllocation)
	require.NoError(t, err)
	require.Len(t, file.Keys, len(entries))
	for i, k := range file.Keys {
		derived, err := hd.Secp256k1.Derive()(k.Mnemonic, "", sdk.GetConfig().GetFullBIP44Path())
		require.NoError(t, err)
		addr := sdk.AccAddress(hd.Secp256k1.Generate()(derived).PubKey().Address()).String()
		require.Equal(t, k.Address, addr, "key %s", k.Name)
		require.Equal(t, entries[i].Address, addr, "allocation line %d", i+1)
		require.True(t, strings.HasPrefix(entries[i].Label, k.Name), "label of line %d", i+1)
	}
}

func TestPresetGenesisOfBothNetworksValidates(t *testing.T) {
	bai := app.New(log.NewNopLogger(), dbm.NewMemDB(), nil, true, simtestutil.NewAppOptionsWithFlagHome(t.TempDir()))
	cdc := bai.AppCodec()
	entries, err := ReadAllocationFile(exampleAllocation)
	require.NoError(t, err)
	for _, name := range []string{"mainnet", "galileo"} {
		p := NetworkPresets[name]
		genDoc, err := BuildPresetGenesis(cdc, bai.BasicModuleManager, p, entries, genesisTime)
		require.NoError(t, err, name)
		require.NoError(t, bai.BasicModuleManager.ValidateGenesis(cdc, bai.TxConfig(), mustAppState(genDoc)), name)
		require.Equal(t, p.ChainID, genDoc.ChainID)
		require.Equal(t, genesisTime, genDoc.GenesisTime)
		require.Empty(t, genDoc.Consensus.Validators)
		require.Equal(t, int64(100_000_000), genDoc.Consensus.Params.Block.MaxGas)
		require.Equal(t, p.UnbondingTime, genDoc.Consensus.Params.Evidence.MaxAgeDuration)

		state := mustAppState(genDoc)
		var gov govv1.GenesisState
		cdc.MustUnmarshalJSON(state["gov"], &gov)
		require.Equal(t, p.VotingPeriod, *gov.Params.VotingPeriod)
		require.Equal(t, p.ExpeditedVotingPeriod, *gov.Params.ExpeditedVotingPeriod)
		require.Equal(t, "ubai", gov.Params.MinDeposit[0].Denom)
		var staking stakingtypes.GenesisState
		cdc.MustUnmarshalJSON(state["staking"], &staking)
		require.Equal(t, "ubai", staking.Params.BondDenom)
		require.Equal(t, p.UnbondingTime, staking.Params.UnbondingTime)
		var emission emissiontypes.GenesisState
		cdc.MustUnmarshalJSON(state["emission"], &emission)
		require.Equal(t, emissiontypes.DefaultParams(), emission.Params, "the protocol's economics on %s", name)
	}
	// Galileo is mainnet with shorter periods.
	m, g := NetworkPresets["mainnet"], NetworkPresets["galileo"]
	require.Equal(t, 5*24*time.Hour, m.VotingPeriod)
	require.Equal(t, 24*time.Hour, m.ExpeditedVotingPeriod)
	require.Less(t, g.VotingPeriod, m.VotingPeriod)
	require.Less(t, g.ExpeditedVotingPeriod, g.VotingPeriod)
	require.Less(t, g.UnbondingTime, m.UnbondingTime)
	require.Equal(t, int64(7200), m.SignedBlocksWindow)
}
