package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/marketplace/types"
)

type queryServer struct {
	k Keeper
}

var _ types.QueryServer = queryServer{}

// NewQueryServerImpl returns the marketplace Query service implementation.
func NewQueryServerImpl(k Keeper) types.QueryServer {
	return queryServer{k: k}
}

// Listing implements types.QueryServer.
func (q queryServer) Listing(ctx context.Context, req *types.QueryListingRequest) (*types.QueryListingResponse, error) {
	if req == nil || req.Id == 0 {
		return nil, status.Error(codes.InvalidArgument, "a listing id (>= 1) is required")
	}
	l, err := q.k.GetListing(ctx, req.Id)
	if errorsmod.IsOf(err, types.ErrListingNotFound) {
		return nil, status.Errorf(codes.NotFound, "listing %d not found", req.Id)
	}
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryListingResponse{Listing: l}, nil
}

// Params implements types.QueryServer.
func (q queryServer) Params(ctx context.Context, _ *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	p, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

// Totals implements types.QueryServer from the (kind, status) counters (at most 10 entries).
func (q queryServer) Totals(ctx context.Context, _ *types.QueryTotalsRequest) (*types.QueryTotalsResponse, error) {
	resp := &types.QueryTotalsResponse{}
	byKind := map[types.ListingKind]uint64{}
	byStatus := map[types.ListingStatus]uint64{}
	err := q.k.Counts.Walk(ctx, nil, func(key collections.Pair[int32, int32], n uint64) (bool, error) {
		byKind[types.ListingKind(key.K1())] += n
		byStatus[types.ListingStatus(key.K2())] += n
		resp.TotalListings += n
		return false, nil
	})
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	// Every known kind and status is reported, in enum order, zeros included.
	for _, kind := range []types.ListingKind{types.ListingKindModel, types.ListingKindAgent} {
		resp.ByKind = append(resp.ByKind, types.CountByKind{Kind: kind, Count: byKind[kind]})
	}
	for s := types.ListingStatusActive; s <= types.ListingStatusSuspended; s++ {
		resp.ByStatus = append(resp.ByStatus, types.CountByStatus{Status: s, Count: byStatus[s]})
	}
	locked, err := q.k.totalLocked(ctx)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	resp.CollateralLocked = sdk.NewCoin(types.CollateralDenom, locked)
	return resp, nil
}

// Listings implements types.QueryServer. With filters it walks one secondary index —
// the most selective one given (owner, then tag, then task, then the smaller of status
// and kind by their counters) — and checks the other filters on each fetched listing,
// so the cost is O(entries of that index), never O(all listings). Every index orders by
// id, so next_key is always the 8-byte big-endian id of the next listing.
func (q queryServer) Listings(ctx context.Context, req *types.QueryListingsRequest) (*types.QueryListingsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if _, ok := types.ListingKind_name[int32(req.Kind)]; !ok {
		return nil, status.Errorf(codes.InvalidArgument, "unknown kind %d", req.Kind)
	}
	if _, ok := types.ListingStatus_name[int32(req.Status)]; !ok {
		return nil, status.Errorf(codes.InvalidArgument, "unknown status %d", req.Status)
	}
	// A task or tag no listing may have matches nothing; say why instead (and a NUL byte could
	// not even be encoded as an index key).
	if req.Task != "" {
		if err := types.ValidateTask(req.Task); err != nil {
			return nil, status.Error(codes.InvalidArgument, err.Error())
		}
	}
	if req.Tag != "" {
		if err := types.ValidateTags([]string{req.Tag}); err != nil {
			return nil, status.Error(codes.InvalidArgument, err.Error())
		}
	}
	f := filter{kind: req.Kind, status: req.Status, task: req.Task, tag: req.Tag}
	if req.Owner != "" {
		var err error
		if f.ownerAddr, f.owner, err = chainutil.DecodeAddress(q.k.addressCodec, "owner", req.Owner, types.ErrInvalidAddress); err != nil {
			return nil, status.Error(codes.InvalidArgument, err.Error())
		}
	}

	if f.empty() {
		page, err := chainutil.CheckPageRequest(req.Pagination)
		if err != nil {
			return nil, err
		}
		listings, res, err := query.CollectionPaginate(ctx, q.k.Listings, page,
			func(_ uint64, l types.Listing) (types.Listing, error) { return l, nil })
		if err != nil {
			return nil, status.Error(codes.Internal, err.Error())
		}
		return &types.QueryListingsResponse{Listings: listings, Pagination: res}, nil
	}

	ids, res, err := q.pageIDs(ctx, f, req.Pagination)
	if err != nil {
		return nil, err
	}
	listings, err := chainutil.LoadIDs(ctx, q.k.Listings.Get, ids)
	if err != nil {
		return nil, err
	}
	return &types.QueryListingsResponse{Listings: listings, Pagination: res}, nil
}

// filter holds the listing filters; zero values match everything.
type filter struct {
	kind   types.ListingKind
	status types.ListingStatus
	owner  string // canonical spelling, compared with Listing.Owner
	// ownerAddr is owner's bytes, the key of the owner index.
	ownerAddr sdk.AccAddress
	task      string
	tag       string
}

// count is the number of filters set.
func (f filter) count() int {
	n := 0
	for _, set := range []bool{f.kind != 0, f.status != 0, f.owner != "", f.task != "", f.tag != ""} {
		if set {
			n++
		}
	}
	return n
}

func (f filter) empty() bool { return f.count() == 0 }

func (f filter) match(l types.Listing) bool {
	return (f.kind == 0 || l.Kind == f.kind) &&
		(f.status == 0 || l.Status == f.status) &&
		(f.owner == "" || l.Owner == f.owner) &&
		(f.task == "" || l.Task == f.task) &&
		(f.tag == "" || containsString(l.Tags, f.tag))
}

// pageIDs pages through the most selective index for the filter (owner, then tag, then task,
// then the smaller of status and kind by their counters); the other filters are checked on
// each listing the index yields.
func (q queryServer) pageIDs(ctx context.Context, f filter, page *query.PageRequest) ([]uint64, *query.PageResponse, error) {
	var match func(uint64) (bool, error)
	if f.count() > 1 {
		match = func(id uint64) (bool, error) {
			l, err := q.k.Listings.Get(ctx, id)
			return err == nil && f.match(l), err
		}
	}
	idx := q.k.Listings.Indexes
	svc := q.k.storeService
	switch {
	case f.owner != "":
		return chainutil.PaginateIndex(ctx, chainutil.IndexKeys(svc, types.ListingsByOwnerKey, idx.Owner.KeyCodec()), f.ownerAddr, page, match)
	case f.tag != "":
		return chainutil.PaginateIndex(ctx, idx.Tag.Keys(), f.tag, page, match)
	case f.task != "":
		return chainutil.PaginateIndex(ctx, chainutil.IndexKeys(svc, types.ListingsByTaskKey, idx.Task.KeyCodec()), f.task, page, match)
	}
	useStatus := f.status != 0
	if f.status != 0 && f.kind != 0 {
		ns, err := q.k.countWhere(ctx, func(_ types.ListingKind, s types.ListingStatus) bool { return s == f.status })
		if err != nil {
			return nil, nil, status.Error(codes.Internal, err.Error())
		}
		nk, err := q.k.countWhere(ctx, func(k types.ListingKind, _ types.ListingStatus) bool { return k == f.kind })
		if err != nil {
			return nil, nil, status.Error(codes.Internal, err.Error())
		}
		useStatus = ns <= nk
	}
	if useStatus {
		return chainutil.PaginateIndex(ctx, chainutil.IndexKeys(svc, types.ListingsByStatusKey, idx.Status.KeyCodec()), int32(f.status), page, match)
	}
	return chainutil.PaginateIndex(ctx, chainutil.IndexKeys(svc, types.ListingsByKindKey, idx.Kind.KeyCodec()), int32(f.kind), page, match)
}

// countWhere sums the (kind, status) counters selected by pred.
func (k Keeper) countWhere(ctx context.Context, pred func(types.ListingKind, types.ListingStatus) bool) (uint64, error) {
	var n uint64
	err := k.Counts.Walk(ctx, nil, func(key collections.Pair[int32, int32], c uint64) (bool, error) {
		if pred(types.ListingKind(key.K1()), types.ListingStatus(key.K2())) {
			n += c
		}
		return false, nil
	})
	return n, err
}
