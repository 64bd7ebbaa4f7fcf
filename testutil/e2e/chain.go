package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Account is a key in a node's test keyring.
type Account struct {
	Name    string
	Address string
}

// SingleNodeChain creates a one-validator chain with the standard commands (init, keys add,
// genesis add-genesis-account, gentx, collect-gentxs), lets edit change the genesis file before
// it is validated, starts the node and waits for the first blocks and the REST server.
// The validator key is "val"; accounts lists extra funded keys. Every key gets balance.
func SingleNodeChain(t testing.TB, bin, chainID string, accounts []string, balance string, edit func(genesisPath string)) (*Node, map[string]Account) {
	t.Helper()
	n := NewNode(t, bin, chainID, "val")
	n.Init()
	keys := map[string]Account{}
	for _, name := range append([]string{"val"}, accounts...) {
		keys[name] = Account{Name: name, Address: n.AddKey(name)}
		n.MustRun("genesis", "add-genesis-account", name, balance, "--keyring-backend", "test")
	}
	n.MustRun("genesis", "gentx", "val", "100000000000ubai", "--chain-id", chainID, "--keyring-backend", "test")
	n.MustRun("genesis", "collect-gentxs")
	if edit != nil {
		edit(n.Home + "/config/genesis.json")
	}
	n.MustRun("genesis", "validate")
	n.Start()
	n.WaitHeight(2, 60*time.Second)
	n.WaitREST(30 * time.Second)
	return n, keys
}

// EditGenesis decodes the genesis file (numbers kept exactly as written), lets edit change it
// and writes it back.
func EditGenesis(t testing.TB, genesisPath string, edit func(genesis map[string]any)) {
	t.Helper()
	bz, err := os.ReadFile(genesisPath)
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(bz))
	dec.UseNumber()
	var genesis map[string]any
	require.NoError(t, dec.Decode(&genesis))
	edit(genesis)
	out, err := json.MarshalIndent(genesis, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(genesisPath, out, 0o600))
}
