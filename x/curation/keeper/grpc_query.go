package keeper

import (
	"context"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/curation/types"
)

type queryServer struct{ k Keeper }

var _ types.QueryServer = queryServer{}

// NewQueryServerImpl returns the Query service implementation.
func NewQueryServerImpl(k Keeper) types.QueryServer { return queryServer{k: k} }

// Params implements types.QueryServer.
func (q queryServer) Params(ctx context.Context, _ *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	p, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

// Curator implements types.QueryServer.
func (q queryServer) Curator(ctx context.Context, req *types.QueryCuratorRequest) (*types.QueryCuratorResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	addr, _, err := chainutil.DecodeAddress(q.k.addressCodec, "address", req.Address, types.ErrInvalidAddress)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	c, err := q.k.Curators.Get(ctx, addr)
	if isNotFound(err) {
		return nil, status.Errorf(codes.NotFound, "curator %s not found", req.Address)
	}
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryCuratorResponse{Curator: c}, nil
}

// Curators implements types.QueryServer.
func (q queryServer) Curators(ctx context.Context, req *types.QueryCuratorsRequest) (*types.QueryCuratorsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	pageReq, err := chainutil.CapPageRequest(req.Pagination)
	if err != nil {
		return nil, err
	}
	cs, page, err := query.CollectionPaginate(ctx, q.k.Curators, pageReq,
		func(_ sdk.AccAddress, v types.Curator) (types.Curator, error) { return v, nil })
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryCuratorsResponse{Curators: cs, Pagination: page}, nil
}

// Epoch implements types.QueryServer.
func (q queryServer) Epoch(ctx context.Context, _ *types.QueryEpochRequest) (*types.QueryEpochResponse, error) {
	e, err := q.k.CurrentEpoch.Get(ctx)
	if isNotFound(err) {
		return nil, status.Error(codes.NotFound, "no scoring epoch has started yet")
	}
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryEpochResponse{
		Number: e.Number, Phase: PhaseAt(e, sdk.UnwrapSDKContext(ctx).BlockTime()),
		Start: e.Start, RevealStart: e.RevealStart, End: e.End,
	}, nil
}

// Scores implements types.QueryServer.
func (q queryServer) Scores(ctx context.Context, req *types.QueryScoresRequest) (*types.QueryScoresResponse, error) {
	if req == nil || req.ListingId == 0 {
		return nil, status.Error(codes.InvalidArgument, "listing_id must be >= 1")
	}
	s, err := q.k.ListingScores.Get(ctx, req.ListingId)
	if isNotFound(err) {
		return nil, status.Errorf(codes.NotFound, "listing %d has no curation score yet", req.ListingId)
	}
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryScoresResponse{Score: s}, nil
}

// Flag implements types.QueryServer.
func (q queryServer) Flag(ctx context.Context, req *types.QueryFlagRequest) (*types.QueryFlagResponse, error) {
	if req == nil || req.Id == 0 {
		return nil, status.Error(codes.InvalidArgument, "id must be >= 1")
	}
	f, err := q.k.Flags.Get(ctx, req.Id)
	if isNotFound(err) {
		return nil, status.Errorf(codes.NotFound, "flag %d not found", req.Id)
	}
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryFlagResponse{Flag: f}, nil
}

// Flags implements types.QueryServer: all flags by id; with a listing, that listing's flags
// through flags_by_listing (checking a status filter on each flag); with only a status,
// flags_by_status. Never a full scan with a filter; next_key is the 8-byte id of the next flag.
func (q queryServer) Flags(ctx context.Context, req *types.QueryFlagsRequest) (*types.QueryFlagsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if _, ok := types.FlagStatus_name[int32(req.Status)]; !ok {
		return nil, status.Errorf(codes.InvalidArgument, "unknown status %d", req.Status)
	}
	if req.ListingId == 0 && req.Status == types.FlagStatusUnspecified {
		page, err := chainutil.CheckPageRequest(req.Pagination)
		if err != nil {
			return nil, err
		}
		fs, res, err := query.CollectionPaginate(ctx, q.k.Flags, page,
			func(_ uint64, v types.Flag) (types.Flag, error) { return v, nil })
		if err != nil {
			return nil, status.Error(codes.Internal, err.Error())
		}
		return &types.QueryFlagsResponse{Flags: fs, Pagination: res}, nil
	}
	var (
		ids []uint64
		res *query.PageResponse
		err error
	)
	if req.ListingId != 0 {
		var match func(uint64) (bool, error)
		if req.Status != types.FlagStatusUnspecified {
			match = func(id uint64) (bool, error) {
				f, err := q.k.Flags.Get(ctx, id)
				return f.Status == req.Status, err
			}
		}
		idx := chainutil.IndexKeys(q.k.storeService, types.FlagsByListingKey, q.k.Flags.Indexes.Listing.KeyCodec())
		ids, res, err = chainutil.PaginateIndex(ctx, idx, req.ListingId, req.Pagination, match)
	} else {
		idx := chainutil.IndexKeys(q.k.storeService, types.FlagsByStatusKey, q.k.Flags.Indexes.Status.KeyCodec())
		ids, res, err = chainutil.PaginateIndex(ctx, idx, int32(req.Status), req.Pagination, nil)
	}
	if err != nil {
		return nil, err
	}
	fs, err := chainutil.LoadIDs(ctx, q.k.Flags.Get, ids)
	if err != nil {
		return nil, err
	}
	return &types.QueryFlagsResponse{Flags: fs, Pagination: res}, nil
}
