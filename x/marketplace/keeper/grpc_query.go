package keeper

import (
	"context"
	"encoding/binary"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/marketplace/types"
)

// MaxPageLimit caps the page size of the listings query.
const MaxPageLimit = 1000

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
	owner := req.Owner
	if owner != "" {
		var err error
		if _, owner, err = chainutil.DecodeAddress(q.k.addressCodec, "owner", owner, types.ErrInvalidAddress); err != nil {
			return nil, status.Error(codes.InvalidArgument, err.Error())
		}
	}
	f := filter{kind: req.Kind, status: req.Status, owner: owner, task: req.Task, tag: req.Tag}

	if f.empty() {
		listings, page, err := query.CollectionPaginate(ctx, q.k.Listings, req.Pagination,
			func(_ uint64, l types.Listing) (types.Listing, error) { return l, nil })
		if err != nil {
			return nil, status.Error(codes.InvalidArgument, err.Error())
		}
		return &types.QueryListingsResponse{Listings: listings, Pagination: page}, nil
	}

	p, err := parsePage(req.Pagination)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	cur, err := q.openCursor(ctx, f, p)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	defer cur.Close()
	listings, page, err := q.collect(ctx, cur, f, p)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &types.QueryListingsResponse{Listings: listings, Pagination: page}, nil
}

// filter holds the listing filters; zero values match everything.
type filter struct {
	kind   types.ListingKind
	status types.ListingStatus
	owner  string
	task   string
	tag    string
}

func (f filter) empty() bool {
	return f.kind == 0 && f.status == 0 && f.owner == "" && f.task == "" && f.tag == ""
}

func (f filter) match(l types.Listing) bool {
	return (f.kind == 0 || l.Kind == f.kind) &&
		(f.status == 0 || l.Status == f.status) &&
		(f.owner == "" || l.Owner == f.owner) &&
		(f.task == "" || l.Task == f.task) &&
		(f.tag == "" || containsString(l.Tags, f.tag))
}

// page is a parsed PageRequest.
type page struct {
	start      *uint64 // from next_key: first id (or last, when reversed) to consider
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
		return p, errorsmod.Wrap(types.ErrInvalidListing, "invalid request, either offset or key is expected, got both")
	}
	if len(req.Key) > 0 {
		if len(req.Key) != 8 {
			return p, errorsmod.Wrap(types.ErrInvalidListing, "pagination key must be an 8-byte listing id")
		}
		id := binary.BigEndian.Uint64(req.Key)
		p.start = &id
	}
	p.offset, p.reverse = req.Offset, req.Reverse
	// As in query.Paginate, totals are only counted on the first page.
	p.countTotal = req.CountTotal && len(req.Key) == 0
	if req.Limit > 0 {
		p.limit = min(req.Limit, MaxPageLimit)
	}
	return p, nil
}

// idCursor walks the listing ids of one index prefix in id order.
type idCursor interface {
	Valid() bool
	Next()
	Close() error
	ID() (uint64, error)
}

// pkCursor adapts a Multi index iterator.
type pkCursor struct {
	it interface {
		Valid() bool
		Next()
		Close() error
		PrimaryKey() (uint64, error)
	}
}

func (c pkCursor) Valid() bool         { return c.it.Valid() }
func (c pkCursor) Next()               { c.it.Next() }
func (c pkCursor) Close() error        { return c.it.Close() }
func (c pkCursor) ID() (uint64, error) { return c.it.PrimaryKey() }

// tagCursor adapts the tag KeySet iterator.
type tagCursor struct {
	it collections.KeySetIterator[collections.Pair[string, uint64]]
}

func (c tagCursor) Valid() bool  { return c.it.Valid() }
func (c tagCursor) Next()        { c.it.Next() }
func (c tagCursor) Close() error { return c.it.Close() }
func (c tagCursor) ID() (uint64, error) {
	k, err := c.it.Key()
	return k.K2(), err
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

// openCursor picks the most selective index for the filter and opens it.
func (q queryServer) openCursor(ctx context.Context, f filter, p page) (idCursor, error) {
	idx := q.k.Listings.Indexes
	switch {
	case f.owner != "":
		it, err := idx.Owner.Iterate(ctx, prefixRange(f.owner, p))
		return pkCursor{it}, err
	case f.tag != "":
		it, err := q.k.ListingsByTag.Iterate(ctx, prefixRange(f.tag, p))
		return tagCursor{it}, err
	case f.task != "":
		it, err := idx.Task.Iterate(ctx, prefixRange(f.task, p))
		return pkCursor{it}, err
	}
	useStatus := f.status != 0
	if f.status != 0 && f.kind != 0 {
		ns, err := q.k.countWhere(ctx, func(_ types.ListingKind, s types.ListingStatus) bool { return s == f.status })
		if err != nil {
			return nil, err
		}
		nk, err := q.k.countWhere(ctx, func(k types.ListingKind, _ types.ListingStatus) bool { return k == f.kind })
		if err != nil {
			return nil, err
		}
		useStatus = ns <= nk
	}
	if useStatus {
		it, err := idx.Status.Iterate(ctx, prefixRange(int32(f.status), p))
		return pkCursor{it}, err
	}
	it, err := idx.Kind.Iterate(ctx, prefixRange(int32(f.kind), p))
	return pkCursor{it}, err
}

// collect reads the page from the cursor: skips offset matches, returns up to limit
// matches, and sets next_key to the id of the following match.
func (q queryServer) collect(ctx context.Context, cur idCursor, f filter, p page) ([]types.Listing, *query.PageResponse, error) {
	var (
		out     []types.Listing
		matched uint64
		nextKey []byte
	)
	for ; cur.Valid(); cur.Next() {
		id, err := cur.ID()
		if err != nil {
			return nil, nil, err
		}
		l, err := q.k.Listings.Get(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		if !f.match(l) {
			continue
		}
		matched++
		switch {
		case matched <= p.offset:
		case uint64(len(out)) < p.limit:
			out = append(out, l)
		case nextKey == nil:
			nextKey = binary.BigEndian.AppendUint64(nil, id)
			if !p.countTotal {
				return out, &query.PageResponse{NextKey: nextKey}, nil
			}
		}
	}
	res := &query.PageResponse{NextKey: nextKey}
	if p.countTotal {
		res.Total = matched
	}
	return out, res, nil
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
