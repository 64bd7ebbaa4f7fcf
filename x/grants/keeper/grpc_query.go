package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/grants/types"
)

type queryServer struct {
	k Keeper
}

var _ types.QueryServer = queryServer{}

// NewQueryServerImpl returns the grants Query service implementation.
func NewQueryServerImpl(k Keeper) types.QueryServer {
	return queryServer{k: k}
}

// Funds implements types.QueryServer.
func (q queryServer) Funds(ctx context.Context, _ *types.QueryFundsRequest) (*types.QueryFundsResponse, error) {
	params, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	resp := &types.QueryFundsResponse{}
	for _, f := range types.AllFunds {
		fs, err := q.k.GetFundState(ctx, f)
		if err != nil {
			return nil, status.Error(codes.Internal, err.Error())
		}
		free, err := q.k.FreeBalance(ctx, f, params.Denom)
		if err != nil {
			return nil, status.Error(codes.Internal, err.Error())
		}
		addr, err := q.k.addressCodec.BytesToString(q.k.FundAddress(f))
		if err != nil {
			return nil, status.Error(codes.Internal, err.Error())
		}
		resp.Funds = append(resp.Funds, types.FundInfo{
			Fund:          f,
			ModuleAccount: q.k.FundAccount(f),
			Address:       addr,
			Balance:       sdk.NewCoin(params.Denom, q.k.FundBalance(ctx, f, params.Denom)),
			Free:          free,
			Reserved:      fs.Reserved,
			Unclaimed:     fs.Unclaimed,
			TotalRewarded: fs.TotalRewarded,
			TotalGranted:  fs.TotalGranted,
		})
	}
	return resp, nil
}

// Rewards implements types.QueryServer.
func (q queryServer) Rewards(ctx context.Context, req *types.QueryRewardsRequest) (*types.QueryRewardsResponse, error) {
	if req == nil || req.Owner == "" {
		return nil, status.Error(codes.InvalidArgument, "an owner address is required")
	}
	owner, _, err := chainutil.DecodeAddress(q.k.addressCodec, "owner", req.Owner, types.ErrInvalidAddress)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	params, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	rewards, err := q.k.RewardsOf(ctx, owner)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	total := math.ZeroInt()
	for _, r := range rewards {
		total = total.Add(r.Amount)
	}
	return &types.QueryRewardsResponse{Rewards: rewards, Total: sdk.NewCoin(params.Denom, total)}, nil
}

// Grant implements types.QueryServer.
func (q queryServer) Grant(ctx context.Context, req *types.QueryGrantRequest) (*types.QueryGrantResponse, error) {
	if req == nil || req.Id == 0 {
		return nil, status.Error(codes.InvalidArgument, "a grant id (>= 1) is required")
	}
	g, err := q.k.Grants.Get(ctx, req.Id)
	if err != nil {
		if isNotFound(err) {
			return nil, status.Errorf(codes.NotFound, "grant %d not found", req.Id)
		}
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryGrantResponse{Grant: g}, nil
}

// Params implements types.QueryServer.
func (q queryServer) Params(ctx context.Context, _ *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	p, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

// Payout implements types.QueryServer: the epoch payout in progress, or in_progress false.
func (q queryServer) Payout(ctx context.Context, _ *types.QueryPayoutRequest) (*types.QueryPayoutResponse, error) {
	p, err := q.k.Payout.Get(ctx)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return &types.QueryPayoutResponse{Payout: types.EpochPayout{CuratorWeight: math.ZeroInt()}}, nil
	}
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryPayoutResponse{InProgress: true, Payout: p}, nil
}

// Grants implements types.QueryServer. Without filters it pages over all grants; with an
// applicant it walks the grants_by_applicant index (checking a status filter on each
// grant), with only a status the grants_by_status index — never a full scan. Indexes
// order by id, so next_key is always the 8-byte big-endian id of the next grant.
func (q queryServer) Grants(ctx context.Context, req *types.QueryGrantsRequest) (*types.QueryGrantsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if _, ok := types.GrantStatus_name[int32(req.Status)]; !ok {
		return nil, status.Errorf(codes.InvalidArgument, "unknown status %d", req.Status)
	}
	var applicant sdk.AccAddress
	if req.Applicant != "" {
		var err error
		if applicant, _, err = chainutil.DecodeAddress(q.k.addressCodec, "applicant", req.Applicant, types.ErrInvalidAddress); err != nil {
			return nil, status.Error(codes.InvalidArgument, err.Error())
		}
	}
	if applicant == nil && req.Status == types.GrantStatusUnspecified {
		page, err := chainutil.CheckPageRequest(req.Pagination)
		if err != nil {
			return nil, err
		}
		grants, res, err := query.CollectionPaginate(ctx, q.k.Grants, page,
			func(_ uint64, g types.Grant) (types.Grant, error) { return g, nil })
		if err != nil {
			return nil, status.Error(codes.Internal, err.Error())
		}
		return &types.QueryGrantsResponse{Grants: grants, Pagination: res}, nil
	}

	var (
		ids []uint64
		res *query.PageResponse
		err error
	)
	if applicant != nil {
		var match func(uint64) (bool, error)
		if req.Status != types.GrantStatusUnspecified {
			match = func(id uint64) (bool, error) {
				g, err := q.k.Grants.Get(ctx, id)
				return g.Status == req.Status, err
			}
		}
		idx := chainutil.IndexKeys(q.k.storeService, types.GrantsByApplicantKey, q.k.Grants.Indexes.Applicant.KeyCodec())
		ids, res, err = chainutil.PaginateIndex(ctx, idx, applicant, req.Pagination, match)
	} else {
		idx := chainutil.IndexKeys(q.k.storeService, types.GrantsByStatusKey, q.k.Grants.Indexes.Status.KeyCodec())
		ids, res, err = chainutil.PaginateIndex(ctx, idx, int32(req.Status), req.Pagination, nil)
	}
	if err != nil {
		return nil, err
	}
	grants, err := chainutil.LoadIDs(ctx, q.k.Grants.Get, ids)
	if err != nil {
		return nil, err
	}
	return &types.QueryGrantsResponse{Grants: grants, Pagination: res}, nil
}
