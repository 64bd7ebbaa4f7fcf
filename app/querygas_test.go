package app_test

import (
	"context"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/server"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	sdkquery "github.com/cosmos/cosmos-sdk/types/query"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/balanceai/balanceai/testutil"
)

// TestQueryGasLimitBoundsAQuery: with app.toml's query-gas-limit set, a query that reads more of
// the store than it allows is refused, over gRPC (and so REST) with the limit named, over ABCI
// (abci_query) with an error code, and the node answers the next query.
func TestQueryGasLimitBoundsAQuery(t *testing.T) {
	walk := &authtypes.QueryAccountsRequest{Pagination: &sdkquery.PageRequest{Limit: 1, CountTotal: true}}
	page := &authtypes.QueryAccountsRequest{Pagination: &sdkquery.PageRequest{Limit: 1}}
	ctx := context.Background()

	cfg := testutil.DefaultConfig()
	cfg.AppOptions = map[string]any{server.FlagQueryGasLimit: uint64(3_000)}
	c := testutil.NewChain(t, cfg)
	auth := authtypes.NewQueryClient(grpcClient(t, c))
	_, err := auth.Accounts(ctx, walk)
	require.Error(t, err)
	require.Contains(t, status.Convert(err).Message(), "Query gas limit exceeded: 3000")
	bz, err := walk.Marshal()
	require.NoError(t, err)
	res, err := c.App.Query(ctx, &abci.RequestQuery{Path: "/cosmos.auth.v1beta1.Query/Accounts", Data: bz})
	require.NoError(t, err)
	require.NotZero(t, res.Code)
	got, err := auth.Accounts(ctx, page)
	require.NoError(t, err)
	require.Len(t, got.Accounts, 1)

	// Unbounded (the SDK's 0), the same walk answers, with every account counted.
	cfg.AppOptions = map[string]any{server.FlagQueryGasLimit: uint64(0)}
	c = testutil.NewChain(t, cfg)
	got, err = authtypes.NewQueryClient(grpcClient(t, c)).Accounts(ctx, walk)
	require.NoError(t, err)
	require.Greater(t, got.Pagination.Total, uint64(3))
}

// TestStoreSubspaceQueryRefused: a store subspace query (a prefix walk no gas meter bounds) is
// refused over ABCI (abci_query); a key query answers.
func TestStoreSubspaceQueryRefused(t *testing.T) {
	c := testutil.NewChain(t, testutil.DefaultConfig())
	ctx := context.Background()
	for _, path := range []string{"/store/bank/subspace", "store/acc/subspace", "/store/marketplace/subspace"} {
		res, err := c.App.Query(ctx, &abci.RequestQuery{Path: path, Data: []byte{0x02}})
		require.NoError(t, err)
		require.Equal(t, sdkerrors.ErrUnknownRequest.ABCICode(), res.Code, path)
		require.Contains(t, res.Log, "subspace queries are not served", path)
	}
	res, err := c.App.Query(ctx, &abci.RequestQuery{Path: "/store/bank/key", Data: []byte{0x02}})
	require.NoError(t, err)
	require.Zero(t, res.Code, res.Log)
}
