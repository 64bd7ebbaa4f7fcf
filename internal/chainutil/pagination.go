package chainutil

import (
	"context"

	"cosmossdk.io/collections"
	collcodec "cosmossdk.io/collections/codec"
	corestore "cosmossdk.io/core/store"

	"github.com/cosmos/cosmos-sdk/types/query"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// MaxPageLimit caps the page size of every list query.
const MaxPageLimit = 1000

// MaxPageOffset caps the offset of a list query (CheckPageRequest, CapPageRequest): skipped
// records are read one by one; next_key pages on without that cost.
const MaxPageOffset = 100_000

// idKeyLen is the length of a page key: list queries page by record id, so a next_key is the
// 8-byte big-endian id of the next record, whichever index the query walks.
const idKeyLen = 8

// CheckPageRequest validates a page request of a query that pages by record id and returns the
// request to pass to query.CollectionPaginate: offset and key are exclusive, a key is an 8-byte
// id, a limit above MaxPageLimit is capped and no limit means query.DefaultLimit with the total
// counted (as the SDK does). Errors are gRPC InvalidArgument.
func CheckPageRequest(req *query.PageRequest) (*query.PageRequest, error) {
	out, err := CapPageRequest(req)
	if err != nil || len(out.Key) == 0 {
		return out, err
	}
	if len(out.Key) != idKeyLen {
		return nil, status.Errorf(codes.InvalidArgument,
			"pagination: key must be the %d-byte next_key of a previous page, got %d bytes", idKeyLen, len(out.Key))
	}
	return out, nil
}

// CapPageRequest is CheckPageRequest for a query whose page keys are not record ids: offset and
// key are exclusive, the offset is at most MaxPageOffset, a limit above MaxPageLimit is capped
// and no limit means query.DefaultLimit with the total counted. The caller's request is not
// changed. Errors are gRPC InvalidArgument.
func CapPageRequest(req *query.PageRequest) (*query.PageRequest, error) {
	if req == nil {
		return &query.PageRequest{Limit: query.DefaultLimit, CountTotal: true}, nil
	}
	out := *req
	if out.Offset > 0 && len(out.Key) > 0 {
		return nil, status.Error(codes.InvalidArgument, "pagination: either offset or key is expected, got both")
	}
	if out.Offset > MaxPageOffset {
		return nil, status.Errorf(codes.InvalidArgument, "pagination: offset %d is above %d; page on with next_key", out.Offset, MaxPageOffset)
	}
	if len(out.Key) == 0 {
		out.Key = nil
	}
	switch {
	case out.Limit == 0:
		out.Limit, out.CountTotal = query.DefaultLimit, true
	case out.Limit > MaxPageLimit:
		out.Limit = MaxPageLimit
	}
	return &out, nil
}

// IndexKeys is a read-only view of the keys an indexes.Multi keeps under prefix: (reference,
// id) pairs. The Multi index has no raw iteration of its own, which query.CollectionPaginate
// needs; the view reads the same store entries without declaring them twice in the module's
// schema. kc is the index's key codec (Multi.KeyCodec()).
func IndexKeys[R any](storeService corestore.KVStoreService, prefix collections.Prefix, kc collcodec.KeyCodec[collections.Pair[R, uint64]]) collections.KeySet[collections.Pair[R, uint64]] {
	return collections.NewKeySet(collections.NewSchemaBuilder(storeService), prefix, "index_view", kc)
}

// PaginateIndex pages through the ids one reference of an index maps to, in id order (reversed
// on request), keeping the ids match accepts (nil keeps all). It returns the ids of the page;
// next_key is the 8-byte id the next page starts at. Offset and count_total count matching
// ids: the SDK's offset skips index entries before the filter, so with a filter the skipped
// ids are read and dropped here instead.
func PaginateIndex[R any](
	ctx context.Context,
	idx collections.KeySet[collections.Pair[R, uint64]],
	ref R,
	req *query.PageRequest,
	match func(id uint64) (bool, error),
) ([]uint64, *query.PageResponse, error) {
	req, err := CheckPageRequest(req)
	if err != nil {
		return nil, nil, err
	}
	var pred func(collections.Pair[R, uint64], collections.NoValue) (bool, error)
	skip := uint64(0)
	if match != nil {
		pred = func(k collections.Pair[R, uint64], _ collections.NoValue) (bool, error) { return match(k.K2()) }
		skip, req.Offset, req.Limit = req.Offset, 0, req.Offset+req.Limit
	}
	ids, page, err := query.CollectionFilteredPaginate(ctx, idx, req, pred,
		func(k collections.Pair[R, uint64], _ collections.NoValue) (uint64, error) { return k.K2(), nil },
		query.WithCollectionPaginationPairPrefix[R, uint64](ref))
	if err != nil {
		return nil, nil, status.Error(codes.Internal, err.Error())
	}
	if uint64(len(ids)) <= skip {
		return nil, page, nil
	}
	return ids[skip:], page, nil
}

// LoadIDs reads the values a page of ids names (the ids PaginateIndex returns), in order,
// with get (the collection's Get). A missing value means a broken index: a gRPC Internal error
// naming the id.
func LoadIDs[V any](ctx context.Context, get func(context.Context, uint64) (V, error), ids []uint64) ([]V, error) {
	out := make([]V, 0, len(ids))
	for _, id := range ids {
		v, err := get(ctx, id)
		if err != nil {
			return nil, status.Errorf(codes.Internal, "id %d is indexed but cannot be read: %v", id, err)
		}
		out = append(out, v)
	}
	return out, nil
}
