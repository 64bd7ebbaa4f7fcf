package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/curation/types"
)

// TestCuratorsQueryPageBounds: the curators query takes the chain's page bounds: a limit above
// the cap is capped, an offset above the cap is refused.
func TestCuratorsQueryPageBounds(t *testing.T) {
	f := newFixture(t)
	for i := range 3 {
		f.bond(i, 10_000*bai)
	}
	res, err := f.query.Curators(f.ctx, &types.QueryCuratorsRequest{Pagination: &query.PageRequest{Limit: 1 << 40}})
	require.NoError(t, err)
	require.Len(t, res.Curators, 3)
	_, err = f.query.Curators(f.ctx, &types.QueryCuratorsRequest{Pagination: &query.PageRequest{Offset: chainutil.MaxPageOffset + 1}})
	require.Equal(t, codes.InvalidArgument, status.Code(err))
}
