package chain

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"
)

// txService answers GetTx with err, or with a committed result when err is nil.
type txService struct {
	txtypes.ServiceClient
	err error
}

func (s txService) GetTx(context.Context, *txtypes.GetTxRequest, ...grpc.CallOption) (*txtypes.GetTxResponse, error) {
	if s.err != nil {
		return nil, s.err
	}
	return &txtypes.GetTxResponse{TxResponse: &sdk.TxResponse{Code: 0, RawLog: ""}}, nil
}

// TestGetTxNotFoundOnlyFromTheCode: only the node's NotFound code means "not committed"; another
// error is an error, even when its text says "not found" (taking a committed batch for lost
// would record it twice).
func TestGetTxNotFoundOnlyFromTheCode(t *testing.T) {
	c := &Client{txs: txService{err: status.Error(codes.NotFound, "tx not found: ABC")}}
	res, err := c.GetTx(context.Background(), "ABC")
	require.NoError(t, err)
	require.False(t, res.Found)

	for _, e := range []error{
		status.Error(codes.Internal, "account not found"),
		errors.New("key not found"),
	} {
		c.txs = txService{err: e}
		_, err = c.GetTx(context.Background(), "ABC")
		require.Error(t, err, e.Error())
	}

	c.txs = txService{}
	res, err = c.GetTx(context.Background(), "ABC")
	require.NoError(t, err)
	require.True(t, res.Found)
}
