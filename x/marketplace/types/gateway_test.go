package types_test

import (
	"net/url"
	"testing"

	"github.com/grpc-ecosystem/grpc-gateway/runtime"
	"github.com/grpc-ecosystem/grpc-gateway/utilities"
	"github.com/stretchr/testify/require"

	"github.com/balanceai/balanceai/x/marketplace/types"
)

// TestGatewayEnumQueryParams checks that the REST listings query accepts the enum names in its
// query string (as the README and docs/spec/client-contract.md show them) as well as their numbers.
func TestGatewayEnumQueryParams(t *testing.T) {
	for _, q := range []string{
		"kind=LISTING_KIND_AGENT&status=LISTING_STATUS_PAUSED&owner=bai1x&task=nlp&tag=llm",
		"kind=2&status=2&owner=bai1x&task=nlp&tag=llm",
	} {
		values, err := url.ParseQuery(q)
		require.NoError(t, err)
		var req types.QueryListingsRequest
		require.NoError(t, runtime.PopulateQueryParameters(&req, values, &utilities.DoubleArray{}), q)
		require.Equal(t, types.ListingKindAgent, req.Kind, q)
		require.Equal(t, types.ListingStatusPaused, req.Status, q)
		require.Equal(t, "bai1x", req.Owner, q)
		require.Equal(t, "nlp", req.Task, q)
		require.Equal(t, "llm", req.Tag, q)
	}
	var req types.QueryListingsRequest
	values, err := url.ParseQuery("kind=LISTING_KIND_ROBOT")
	require.NoError(t, err)
	require.Error(t, runtime.PopulateQueryParameters(&req, values, &utilities.DoubleArray{}))
}
