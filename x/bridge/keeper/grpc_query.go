package keeper

import (
	"context"
	"encoding/hex"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/bridge/types"
)

type queryServer struct {
	k Keeper
}

var _ types.QueryServer = queryServer{}

// NewQueryServerImpl returns the bridge Query service.
func NewQueryServerImpl(k Keeper) types.QueryServer {
	return queryServer{k: k}
}

// Params implements types.QueryServer.
func (q queryServer) Params(ctx context.Context, req *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	params, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	paused, err := q.k.IsPaused(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryParamsResponse{Params: params, Paused: paused}, nil
}

// Totals implements types.QueryServer.
func (q queryServer) Totals(ctx context.Context, req *types.QueryTotalsRequest) (*types.QueryTotalsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	totals, err := q.k.GetTotals(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	day := Day(ctx)
	out, err := dailyUsed(ctx, q.k.DailyOutbound, day)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	in, err := dailyUsed(ctx, q.k.DailyInbound, day)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryTotalsResponse{Totals: totals, Day: day, OutboundToday: out, InboundToday: in}, nil
}

// OutboundTransfer implements types.QueryServer.
func (q queryServer) OutboundTransfer(ctx context.Context, req *types.QueryOutboundTransferRequest) (*types.QueryOutboundTransferResponse, error) {
	if req == nil || req.Nonce == 0 {
		return nil, status.Error(codes.InvalidArgument, "nonce must be >= 1")
	}
	t, err := q.k.Outbound.Get(ctx, req.Nonce)
	if err != nil {
		if isNotFound(err) {
			return nil, status.Errorf(codes.NotFound, "outbound transfer %d not found", req.Nonce)
		}
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryOutboundTransferResponse{Transfer: t}, nil
}

// OutboundTransfers implements types.QueryServer. With a sender it pages the
// outbound_by_sender index; without, all transfers by nonce.
func (q queryServer) OutboundTransfers(ctx context.Context, req *types.QueryOutboundTransfersRequest) (*types.QueryOutboundTransfersResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if req.Sender == "" {
		page, err := chainutil.CheckPageRequest(req.Pagination)
		if err != nil {
			return nil, err
		}
		transfers, res, err := query.CollectionPaginate(ctx, q.k.Outbound, page,
			func(_ uint64, v types.OutboundTransfer) (types.OutboundTransfer, error) { return v, nil })
		if err != nil {
			return nil, status.Error(codes.Internal, err.Error())
		}
		return &types.QueryOutboundTransfersResponse{Transfers: transfers, Pagination: res}, nil
	}
	sender, _, err := chainutil.DecodeAddress(q.k.addressCodec, "sender", req.Sender, types.ErrInvalidSender)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	idx := chainutil.IndexKeys(q.k.storeService, types.OutboundBySenderKey, q.k.Outbound.Indexes.BySender.KeyCodec())
	nonces, res, err := chainutil.PaginateIndex(ctx, idx, sender, req.Pagination, nil)
	if err != nil {
		return nil, err
	}
	transfers, err := chainutil.LoadIDs(ctx, q.k.Outbound.Get, nonces)
	if err != nil {
		return nil, err
	}
	return &types.QueryOutboundTransfersResponse{Transfers: transfers, Pagination: res}, nil
}

// InboundClaim implements types.QueryServer.
func (q queryServer) InboundClaim(ctx context.Context, req *types.QueryInboundClaimRequest) (*types.QueryInboundClaimResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	id := strings.ToLower(req.ClaimId)
	if bz, err := hex.DecodeString(id); err != nil || len(bz) != 32 {
		return nil, status.Errorf(codes.InvalidArgument, "claim id %q must be 64 hex digits", req.ClaimId)
	}
	claim, err := q.k.Claims.Get(ctx, id)
	if err != nil {
		if isNotFound(err) {
			return nil, status.Errorf(codes.NotFound, "inbound claim %s not found", req.ClaimId)
		}
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryInboundClaimResponse{Claim: claim}, nil
}
