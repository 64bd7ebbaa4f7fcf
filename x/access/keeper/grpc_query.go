package keeper

import (
	"context"

	"cosmossdk.io/collections"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/access/types"
)

type queryServer struct {
	k Keeper
}

var _ types.QueryServer = queryServer{}

// NewQueryServerImpl returns the x/access Query service.
func NewQueryServerImpl(k Keeper) types.QueryServer {
	return queryServer{k: k}
}

// decodeUser decodes a user address or returns InvalidArgument.
func (q queryServer) decodeUser(user string) (sdk.AccAddress, error) {
	bz, err := q.k.addressCodec.StringToBytes(user)
	if err != nil || len(bz) == 0 {
		return nil, status.Errorf(codes.InvalidArgument, "invalid user address %q", user)
	}
	return bz, nil
}

// CheckAccess implements types.QueryServer.
func (q queryServer) CheckAccess(ctx context.Context, req *types.QueryCheckAccessRequest) (*types.QueryCheckAccessResponse, error) {
	if req == nil || req.ListingId == 0 {
		return nil, status.Error(codes.InvalidArgument, "listing_id must be >= 1")
	}
	user, err := q.decodeUser(req.User)
	if err != nil {
		return nil, err
	}
	d, err := q.k.CheckAccess(ctx, req.ListingId, user)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryCheckAccessResponse{
		Allowed: d.Allowed, Reason: d.Reason, Stake: d.Stake, RequiredStake: d.RequiredStake,
		Quota: d.Quota, UsedToday: d.UsedToday, Unlimited: d.Unlimited, Day: Today(ctx),
	}, nil
}

// UsageByListing implements types.QueryServer.
func (q queryServer) UsageByListing(ctx context.Context, req *types.QueryUsageByListingRequest) (*types.QueryUsageByListingResponse, error) {
	if req == nil || req.ListingId == 0 {
		return nil, status.Error(codes.InvalidArgument, "listing_id must be >= 1")
	}
	receipts, page, err := pageReceipts(ctx, q.k, q.k.BatchesByListing, req.ListingId, req.Pagination, nil)
	if err != nil {
		return nil, err
	}
	totals, err := getUsage(ctx, q.k.ListingUsage, req.ListingId)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryUsageByListingResponse{Receipts: receipts, Totals: totals, Pagination: page}, nil
}

// UsageByUser implements types.QueryServer.
func (q queryServer) UsageByUser(ctx context.Context, req *types.QueryUsageByUserRequest) (*types.QueryUsageByUserResponse, error) {
	if req == nil || req.ListingId == 0 {
		return nil, status.Error(codes.InvalidArgument, "listing_id must be >= 1")
	}
	user, err := q.decodeUser(req.User)
	if err != nil {
		return nil, err
	}
	// A batch's records of other users are skipped; a user may be spelled in either case.
	spelled := map[string]bool{}
	keep := func(rec types.UsageRecord) (bool, error) {
		is, known := spelled[rec.User]
		if !known {
			bz, err := q.k.addressCodec.StringToBytes(rec.User)
			if err != nil {
				return false, err
			}
			is = user.Equals(sdk.AccAddress(bz))
			spelled[rec.User] = is
		}
		return is, nil
	}
	receipts, page, err := pageReceipts(ctx, q.k, q.k.BatchesByUser, collections.Join(req.ListingId, user), req.Pagination, keep)
	if err != nil {
		return nil, err
	}
	day := Today(ctx)
	today, err := q.k.UsageOn(ctx, day, req.ListingId, user)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryUsageByUserResponse{Receipts: receipts, Today: today, Day: day, Pagination: page}, nil
}

// Operators implements types.QueryServer.
func (q queryServer) Operators(ctx context.Context, req *types.QueryOperatorsRequest) (*types.QueryOperatorsResponse, error) {
	if req == nil || req.ListingId == 0 {
		return nil, status.Error(codes.InvalidArgument, "listing_id must be >= 1")
	}
	ops, err := q.k.GetOperators(ctx, req.ListingId)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryOperatorsResponse{Operators: ops}, nil
}

// Allowlist implements types.QueryServer.
func (q queryServer) Allowlist(ctx context.Context, req *types.QueryAllowlistRequest) (*types.QueryAllowlistResponse, error) {
	if req == nil || req.ListingId == 0 {
		return nil, status.Error(codes.InvalidArgument, "listing_id must be >= 1")
	}
	gen, err := q.k.AllowlistGenerationOf(ctx, req.ListingId)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	pageReq, err := chainutil.CapPageRequest(req.Pagination)
	if err != nil {
		return nil, err
	}
	// Only the current generation: entries a transfer left behind are not the allowlist.
	users, page, err := query.CollectionPaginate(ctx, q.k.Allowlist, pageReq,
		func(key collections.Triple[uint64, uint64, sdk.AccAddress], _ collections.NoValue) (string, error) {
			return q.k.addressCodec.BytesToString(key.K3())
		},
		func(o *query.CollectionsPaginateOptions[collections.Triple[uint64, uint64, sdk.AccAddress]]) {
			prefix := collections.TripleSuperPrefix[uint64, uint64, sdk.AccAddress](req.ListingId, gen)
			o.Prefix = &prefix
		},
	)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryAllowlistResponse{Users: users, Pagination: page}, nil
}

// Params implements types.QueryServer.
func (q queryServer) Params(ctx context.Context, req *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	p, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryParamsResponse{Params: p}, nil
}
