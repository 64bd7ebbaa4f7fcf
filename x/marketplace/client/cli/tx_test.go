package cli_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/balanceai/balanceai/x/marketplace/client/cli"
	"github.com/balanceai/balanceai/x/marketplace/types"
)

func TestBuildRegisterMsg(t *testing.T) {
	cmd := cli.NewRegisterAgentCmd()
	require.NoError(t, cmd.ParseFlags([]string{"--components", "1, 2", "--tags", "llm,vision",
		"--min-stake", "5000000", "--requests-per-day", "100", "--access-mode", "allowlist", "--description", "hi"}))
	args := []string{"Agent", "nlp", "https://a.io", "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG", "1.0.0", "500000000ubai"}
	msg, err := cli.BuildRegisterMsg(cmd, args, types.ListingKindAgent, "bai1owner")
	require.NoError(t, err)
	require.Equal(t, []uint64{1, 2}, msg.Components)
	require.Equal(t, []string{"llm", "vision"}, msg.Tags)
	require.Equal(t, "5000000", msg.Access.MinStake.String())
	require.Equal(t, uint64(100), msg.Access.RequestsPerDay)
	require.Equal(t, types.AccessModeAllowlist, msg.Access.Mode)
	require.Equal(t, "500000000ubai", msg.Collateral.String())
	require.Equal(t, "hi", msg.Description)
	require.NoError(t, types.ValidateListingFields(&types.Listing{
		Kind: msg.Kind, Name: msg.Name, Description: msg.Description, Task: msg.Task, Tags: msg.Tags,
		Endpoint: msg.Endpoint, MetadataCid: msg.MetadataCid, Version: msg.Version, Access: msg.Access, Components: msg.Components,
	}))

	_, err = cli.ParseIDs("1,x")
	require.Error(t, err)
	_, err = cli.ParseAccessMode("private")
	require.Error(t, err)
	cmd = cli.NewRegisterModelCmd()
	require.NoError(t, cmd.ParseFlags([]string{"--min-stake", "lots"}))
	_, err = cli.BuildRegisterMsg(cmd, args, types.ListingKindModel, "bai1owner")
	require.Error(t, err)
}
