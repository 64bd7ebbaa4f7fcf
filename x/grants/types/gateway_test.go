package types_test

import (
	"net/url"
	"testing"

	"github.com/grpc-ecosystem/grpc-gateway/runtime"
	"github.com/grpc-ecosystem/grpc-gateway/utilities"
	"github.com/stretchr/testify/require"

	"github.com/balanceai/balanceai/x/grants/types"
)

// TestGatewayEnumQueryParams checks that the REST grants query accepts the status name in its
// query string (as the README shows it) as well as its number, and refuses an unknown name.
func TestGatewayEnumQueryParams(t *testing.T) {
	for _, q := range []string{"status=GRANT_STATUS_APPROVED", "status=2"} {
		values, err := url.ParseQuery(q)
		require.NoError(t, err)
		var req types.QueryGrantsRequest
		require.NoError(t, runtime.PopulateQueryParameters(&req, values, &utilities.DoubleArray{}), q)
		require.Equal(t, types.GrantStatusApproved, req.Status, q)
	}
	values, err := url.ParseQuery("applicant=bai1x")
	require.NoError(t, err)
	var req types.QueryGrantsRequest
	require.NoError(t, runtime.PopulateQueryParameters(&req, values, &utilities.DoubleArray{}))
	require.Equal(t, "bai1x", req.Applicant)

	values, err = url.ParseQuery("status=GRANT_STATUS_PENDING_FOREVER")
	require.NoError(t, err)
	require.Error(t, runtime.PopulateQueryParameters(&types.QueryGrantsRequest{}, values, &utilities.DoubleArray{}))
}
