package keeper

import (
	"context"
	"encoding/binary"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/grants/types"
)

// MaxPageLimit caps the page size of the grants query.
const MaxPageLimit = 1000

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
	_, owner, err := chainutil.DecodeAddress(q.k.addressCodec, "owner", req.Owner, types.ErrInvalidAddress)
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
	applicant := req.Applicant
	if applicant != "" {
		var err error
		if _, applicant, err = chainutil.DecodeAddress(q.k.addressCodec, "applicant", applicant, types.ErrInvalidAddress); err != nil {
			return nil, status.Error(codes.InvalidArgument, err.Error())
		}
	}
	if applicant == "" && req.Status == types.GrantStatusUnspecified {
		grants, page, err := query.CollectionPaginate(ctx, q.k.Grants, req.Pagination,
			func(_ uint64, g types.Grant) (types.Grant, error) { return g, nil })
		if err != nil {
			return nil, status.Error(codes.InvalidArgument, err.Error())
		}
		return &types.QueryGrantsResponse{Grants: grants, Pagination: page}, nil
	}

	p, err := parsePage(req.Pagination)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	type pkIterator interface {
		Valid() bool
		Next()
		Close() error
		PrimaryKey() (uint64, error)
	}
	var it pkIterator
	if applicant != "" {
		it, err = q.k.Grants.Indexes.Applicant.Iterate(ctx, prefixRange(applicant, p))
	} else {
		it, err = q.k.Grants.Indexes.Status.Iterate(ctx, prefixRange(int32(req.Status), p))
	}
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	defer it.Close()

	var (
		out     []types.Grant
		matched uint64
		nextKey []byte
	)
	for ; it.Valid(); it.Next() {
		id, err := it.PrimaryKey()
		if err != nil {
			return nil, status.Error(codes.Internal, err.Error())
		}
		g, err := q.k.Grants.Get(ctx, id)
		if err != nil {
			return nil, status.Error(codes.Internal, err.Error())
		}
		if req.Status != types.GrantStatusUnspecified && g.Status != req.Status {
			continue
		}
		matched++
		switch {
		case matched <= p.offset:
		case uint64(len(out)) < p.limit:
			out = append(out, g)
		case nextKey == nil:
			nextKey = binary.BigEndian.AppendUint64(nil, id)
			if !p.countTotal {
				return &types.QueryGrantsResponse{Grants: out, Pagination: &query.PageResponse{NextKey: nextKey}}, nil
			}
		}
	}
	res := &query.PageResponse{NextKey: nextKey}
	if p.countTotal {
		res.Total = matched
	}
	return &types.QueryGrantsResponse{Grants: out, Pagination: res}, nil
}

// page is a parsed PageRequest.
type page struct {
	start      *uint64
	offset     uint64
	limit      uint64
	countTotal bool
	reverse    bool
}

func parsePage(req *query.PageRequest) (page, error) {
	p := page{limit: query.DefaultLimit}
	if req == nil {
		return p, nil
	}
	if req.Offset > 0 && len(req.Key) > 0 {
		return p, status.Error(codes.InvalidArgument, "either offset or key is expected, got both")
	}
	if len(req.Key) > 0 {
		if len(req.Key) != 8 {
			return p, status.Error(codes.InvalidArgument, "pagination key must be an 8-byte grant id")
		}
		id := binary.BigEndian.Uint64(req.Key)
		p.start = &id
	}
	p.offset, p.reverse = req.Offset, req.Reverse
	p.countTotal = req.CountTotal && len(req.Key) == 0
	if req.Limit > 0 {
		p.limit = min(req.Limit, MaxPageLimit)
	}
	return p, nil
}

// prefixRange is the range of one index prefix, starting at the page's key.
func prefixRange[R any](ref R, p page) *collections.PairRange[R, uint64] {
	r := collections.NewPrefixedPairRange[R, uint64](ref)
	if p.start != nil {
		if p.reverse {
			r = r.EndInclusive(*p.start)
		} else {
			r = r.StartInclusive(*p.start)
		}
	}
	if p.reverse {
		r = r.Descending()
	}
	return r
}
