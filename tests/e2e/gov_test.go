//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"

	"github.com/balanceai/balanceai/testutil/e2e"
)

const govDeposit = "1000000000ubai" // the genesis min_deposit: 1,000 BAI

// govProposal is the part of /cosmos/gov/v1/proposals/{id} the tests read.
type govProposal struct {
	Proposal struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	} `json:"proposal"`
}

// passProposal votes yes with the validator (all the stake) and waits until the proposal passed.
func passProposal(t *testing.T, n *e2e.Node, res e2e.TxResult) string {
	t.Helper()
	require.Zero(t, res.Code, res.RawLog)
	id := res.Event("submit_proposal", "proposal_id")
	require.NotEmpty(t, id)
	vote := n.Tx("val", "gov", "vote", id, "yes", "--gas", "400000")
	require.Zero(t, vote.Code, vote.RawLog)
	var p govProposal
	n.Eventually(60*time.Second, "proposal "+id+" passed", func() bool {
		n.RESTJSON("/cosmos/gov/v1/proposals/"+id, &p)
		return p.Proposal.Status == "PROPOSAL_STATUS_PASSED" || p.Proposal.Status == "PROPOSAL_STATUS_FAILED" ||
			p.Proposal.Status == "PROPOSAL_STATUS_REJECTED"
	})
	require.Equal(t, "PROPOSAL_STATUS_PASSED", p.Proposal.Status, "proposal %s", id)
	return id
}

// TestGovernance runs the three kinds of proposals a network needs through a real node: a
// legacy text proposal, a parameter change of a BalanceAI module (a MsgUpdateParams signed in
// amino-JSON inside MsgSubmitProposal), and a software upgrade, which this release does not
// perform: the node must run up to the plan height and halt there asking for the upgrade.
func TestGovernance(t *testing.T) {
	n, _ := e2e.SingleNodeChain(t, *baidBin, "balanceai-gov", []string{"alice"}, "10000000000000ubai",
		func(genesisPath string) {
			e2e.EditGenesis(t, genesisPath, func(g map[string]any) {
				gov := g["app_state"].(map[string]any)["gov"].(map[string]any)["params"].(map[string]any)
				gov["voting_period"] = "8s"
				gov["expedited_voting_period"] = "4s"
			})
		})

	// 1. A text proposal (MsgExecLegacyContent through the legacy router).
	res := n.Tx("val", "gov", "submit-legacy-proposal", "--type", "Text", "--title", "Hello BalanceAI",
		"--description", "A text proposal: nothing to execute.", "--deposit", govDeposit, "--gas", "400000")
	passProposal(t, n, res)

	// 2. A BalanceAI parameter change, signed as Keplr and Ledger sign (amino-JSON).
	var params struct {
		Params map[string]any `json:"params"`
	}
	n.RESTJSON("/balanceai/marketplace/v1/params", &params)
	before, err := strconv.ParseUint(fmt.Sprint(params.Params["max_listings_per_owner"]), 10, 64)
	require.NoError(t, err)
	params.Params["max_listings_per_owner"] = strconv.FormatUint(before+7, 10)
	govAddr := sdk.MustBech32ifyAddressBytes("bai", authtypes.NewModuleAddress(govtypes.ModuleName))
	proposal := map[string]any{
		"messages": []any{map[string]any{
			"@type":     "/balanceai.marketplace.v1.MsgUpdateParams",
			"authority": govAddr,
			"params":    params.Params,
		}},
		"deposit": govDeposit,
		"title":   "Raise max_listings_per_owner",
		"summary": "Providers run more listings.",
	}
	bz, err := json.Marshal(proposal)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "proposal.json")
	require.NoError(t, os.WriteFile(path, bz, 0o600))
	unsigned := n.GenerateOnly("val", "gov", "submit-proposal", path, "--gas", "400000")
	passProposal(t, n, n.SignAndBroadcast("val", unsigned, "amino-json"))
	n.RESTJSON("/balanceai/marketplace/v1/params", &params)
	require.Equal(t, strconv.FormatUint(before+7, 10), fmt.Sprint(params.Params["max_listings_per_owner"]))

	// 3. A software upgrade this release does not perform: blocks go on until the plan height,
	// then the node halts and asks for the new binary.
	upgradeHeight := n.Height() + 25
	res = n.Tx("val", "upgrade", "software-upgrade", "v2", "--upgrade-height", strconv.FormatInt(upgradeHeight, 10),
		"--title", "v2", "--summary", "Upgrade to v2", "--deposit", govDeposit, "--no-validate", "--gas", "400000")
	passProposal(t, n, res)
	var plan struct {
		Plan *struct {
			Name   string `json:"name"`
			Height string `json:"height"`
		} `json:"plan"`
	}
	n.RESTJSON("/cosmos/upgrade/v1beta1/current_plan", &plan)
	require.NotNil(t, plan.Plan)
	require.Equal(t, "v2", plan.Plan.Name)
	n.Eventually(90*time.Second, "halt for the upgrade", func() bool {
		return strings.Contains(n.Log(), `UPGRADE "v2" NEEDED at height: `+strconv.FormatInt(upgradeHeight, 10))
	})
	require.NotContains(t, n.Log(), "BINARY UPDATED BEFORE TRIGGER")
	// CometBFT stored block H but the app refused to execute it: the chain stays there.
	halted := n.Height()
	require.Contains(t, []int64{upgradeHeight - 1, upgradeHeight}, halted)
	time.Sleep(3 * time.Second) // no condition to wait on: checking that nothing happens
	require.Equal(t, halted, n.Height(), "no block after the upgrade height")
}
