package cmd

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
)

// generateOnly runs baid with args and returns what it printed to the process's stdout (where
// the SDK prints a generated transaction).
func generateOnly(t *testing.T, args ...string) (string, error) {
	t.Helper()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	stdout := os.Stdout
	os.Stdout = w
	_, runErr := runBaid(t, args...)
	os.Stdout = stdout
	require.NoError(t, w.Close())
	bz, err := io.ReadAll(r)
	require.NoError(t, err)
	return string(bz), runErr
}

// TestUpdateParamsProposalEveryModule: each module's update-params-proposal takes its params
// as the genesis and the REST API print them (decimals "0.5", durations "60s") and proposes
// exactly those params, from the gov authority; a proposal without a title or summary, which
// the chain would refuse in its block, is refused before it is sent, and so are params that
// do not parse.
func TestUpdateParamsProposalEveryModule(t *testing.T) {
	home := t.TempDir()
	_, err := runBaid(t, "keys", "add", "alice", "--keyring-backend", "test", "--home", home)
	require.NoError(t, err)
	_, err = runBaid(t, "init", "node", "--chain-id", "t-1", "--home", home)
	require.NoError(t, err)
	bz, err := os.ReadFile(filepath.Join(home, "config", "genesis.json"))
	require.NoError(t, err)
	var doc struct {
		AppState map[string]json.RawMessage `json:"app_state"`
	}
	require.NoError(t, json.Unmarshal(bz, &doc))
	genesis := doc.AppState
	authority := authtypes.NewModuleAddress(govtypes.ModuleName).String()
	common := []string{"--from", "alice", "--offline", "--generate-only", "--account-number", "1", "--sequence", "0",
		"--keyring-backend", "test", "--home", home}
	for _, module := range []string{"emission", "marketplace", "curation", "grants", "access", "bridge"} {
		var gs struct {
			Params json.RawMessage `json:"params"`
		}
		require.NoError(t, json.Unmarshal(genesis[module], &gs), module)
		args := append([]string{"tx", module, "update-params-proposal", string(gs.Params),
			"--title", module + " params", "--summary", "why", "--deposit", "250000000ubai"}, common...)
		out, err := generateOnly(t, args...)
		require.NoError(t, err, module)
		var tx struct {
			Body struct {
				Messages []struct {
					Type     string `json:"@type"`
					Title    string `json:"title"`
					Messages []struct {
						Type      string          `json:"@type"`
						Authority string          `json:"authority"`
						Params    json.RawMessage `json:"params"`
					} `json:"messages"`
				} `json:"messages"`
			} `json:"body"`
		}
		require.NoError(t, json.Unmarshal([]byte(out), &tx), out)
		require.Len(t, tx.Body.Messages, 1)
		prop := tx.Body.Messages[0]
		require.Equal(t, "/cosmos.gov.v1.MsgSubmitProposal", prop.Type)
		require.Equal(t, module+" params", prop.Title)
		require.Len(t, prop.Messages, 1)
		require.Equal(t, "/balanceai."+module+".v1.MsgUpdateParams", prop.Messages[0].Type)
		require.Equal(t, authority, prop.Messages[0].Authority)
		require.True(t, strings.HasPrefix(authority, "bai1"), authority)
		require.JSONEq(t, string(gs.Params), string(prop.Messages[0].Params), module)

		_, err = generateOnly(t, append([]string{"tx", module, "update-params-proposal", string(gs.Params), "--deposit", "250000000ubai"}, common...)...)
		require.ErrorContains(t, err, "--title and --summary are required", module)
		_, err = generateOnly(t, append([]string{"tx", module, "update-params-proposal", string(gs.Params), "--title", "t", "--summary", "s"}, common...)...)
		require.ErrorContains(t, err, "--deposit is required", module)
		_, err = generateOnly(t, append([]string{"tx", module, "update-params-proposal", `{"nope":1}`, "--title", "t", "--summary", "s", "--deposit", "1ubai"}, common...)...)
		require.ErrorContains(t, err, "is not the module's params in proto JSON", module)
		_, err = generateOnly(t, append([]string{"tx", module, "update-params-proposal", `{}`, "--title", "t", "--summary", "s", "--deposit", "1ubai"}, common...)...)
		require.ErrorContains(t, err, "is not a valid params set", module)
	}
}
