package types_test

import (
	"net/url"
	"testing"

	"github.com/grpc-ecosystem/grpc-gateway/runtime"
	"github.com/grpc-ecosystem/grpc-gateway/utilities"
	"github.com/stretchr/testify/require"

	"github.com/balanceai/balanceai/x/curation/types"
)

// TestGatewayEnumQueryParams checks that the REST flags query accepts the status name in its
// query string (as the README shows it) as well as its number, and refuses an unknown name.
func TestGatewayEnumQueryParams(t *testing.T) {
	for _, q := range []string{"status=FLAG_STATUS_UPHELD", "status=2"} {
		values, err := url.ParseQuery(q)
		require.NoError(t, err)
		var req types.QueryFlagsRequest
		require.NoError(t, runtime.PopulateQueryParameters(&req, values, &utilities.DoubleArray{}), q)
		require.Equal(t, types.FlagStatusUpheld, req.Status, q)
	}
	var req types.QueryFlagsRequest
	values, err := url.ParseQuery("status=FLAG_STATUS_MAYBE")
	require.NoError(t, err)
	require.Error(t, runtime.PopulateQueryParameters(&req, values, &utilities.DoubleArray{}))
}
