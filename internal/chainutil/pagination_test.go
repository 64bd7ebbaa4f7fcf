package chainutil_test

import (
	"encoding/binary"
	"testing"

	"cosmossdk.io/collections"
	storetypes "cosmossdk.io/store/types"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/balanceai/balanceai/internal/chainutil"
)

func TestCheckPageRequest(t *testing.T) {
	req, err := chainutil.CheckPageRequest(nil)
	require.NoError(t, err)
	require.Equal(t, &query.PageRequest{Limit: query.DefaultLimit, CountTotal: true}, req)

	in := &query.PageRequest{Limit: 5000, Key: make([]byte, 8)}
	req, err = chainutil.CheckPageRequest(in)
	require.NoError(t, err)
	require.Equal(t, uint64(chainutil.MaxPageLimit), req.Limit)
	require.Equal(t, uint64(5000), in.Limit, "the caller's request is not changed")

	for _, bad := range []*query.PageRequest{
		{Key: []byte{1, 2}},
		{Key: make([]byte, 9)},
		{Key: make([]byte, 8), Offset: 1},
	} {
		_, err := chainutil.CheckPageRequest(bad)
		require.Equal(t, codes.InvalidArgument, status.Code(err), "%+v", bad)
	}
}

func TestCapPageRequest(t *testing.T) {
	in := &query.PageRequest{Limit: 1 << 40, Key: []byte("any key shape")}
	req, err := chainutil.CapPageRequest(in)
	require.NoError(t, err)
	require.Equal(t, uint64(chainutil.MaxPageLimit), req.Limit)
	require.Equal(t, []byte("any key shape"), req.Key)
	require.Equal(t, uint64(1<<40), in.Limit, "the caller's request is not changed")

	req, err = chainutil.CapPageRequest(&query.PageRequest{Offset: 7})
	require.NoError(t, err)
	require.Equal(t, &query.PageRequest{Offset: 7, Limit: query.DefaultLimit, CountTotal: true}, req)

	for _, bad := range []*query.PageRequest{
		{Key: []byte{1}, Offset: 1},
		{Offset: chainutil.MaxPageOffset + 1},
	} {
		_, err := chainutil.CapPageRequest(bad)
		require.Equal(t, codes.InvalidArgument, status.Code(err), "%+v", bad)
	}
}

// TestPaginateIndex pages through a Multi-shaped index (reference, id) with and without a
// filter and checks ids, next_key, offset, count_total and reverse against the expected lists.
func TestPaginateIndex(t *testing.T) {
	key := storetypes.NewKVStoreKey("test")
	ctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test")).Ctx
	svc := runtime.NewKVStoreService(key)
	kc := collections.PairKeyCodec(collections.StringKey, collections.Uint64Key)
	sb := collections.NewSchemaBuilder(svc)
	idx := collections.NewKeySet(sb, collections.NewPrefix(3), "by_ref", kc)
	_, err := sb.Build()
	require.NoError(t, err)
	// "a" maps to ids 1..20, "b" to 21..25.
	for id := uint64(1); id <= 25; id++ {
		ref := "a"
		if id > 20 {
			ref = "b"
		}
		require.NoError(t, idx.Set(ctx, collections.Join(ref, id)))
	}
	view := chainutil.IndexKeys(svc, collections.NewPrefix(3), kc)
	even := func(id uint64) (bool, error) { return id%2 == 0, nil }

	walk := func(match func(uint64) (bool, error), limit uint64, reverse bool) []uint64 {
		var out []uint64
		req := &query.PageRequest{Limit: limit, Reverse: reverse}
		for pages := 0; ; pages++ {
			require.Less(t, pages, 100)
			ids, page, err := chainutil.PaginateIndex(ctx, view, "a", req, match)
			require.NoError(t, err)
			out = append(out, ids...)
			if len(page.NextKey) == 0 {
				return out
			}
			require.Len(t, page.NextKey, 8)
			req = &query.PageRequest{Key: page.NextKey, Limit: limit, Reverse: reverse}
		}
	}
	var all, evens []uint64
	for id := uint64(1); id <= 20; id++ {
		all = append(all, id)
		if id%2 == 0 {
			evens = append(evens, id)
		}
	}
	for _, limit := range []uint64{1, 3, 7, 100} {
		require.Equal(t, all, walk(nil, limit, false), "limit %d", limit)
		require.Equal(t, evens, walk(even, limit, false), "limit %d", limit)
		rev := walk(even, limit, true)
		require.Len(t, rev, len(evens))
		for i := range rev {
			require.Equal(t, evens[len(evens)-1-i], rev[i])
		}
	}

	// Offset and count_total count matches, not index entries.
	ids, page, err := chainutil.PaginateIndex(ctx, view, "a", &query.PageRequest{Offset: 2, Limit: 3, CountTotal: true}, even)
	require.NoError(t, err)
	require.Equal(t, []uint64{6, 8, 10}, ids)
	require.Equal(t, uint64(10), page.Total)
	require.Equal(t, binary.BigEndian.AppendUint64(nil, 12), page.NextKey)
	ids, _, err = chainutil.PaginateIndex(ctx, view, "a", &query.PageRequest{Offset: 2, Limit: 3}, nil)
	require.NoError(t, err)
	require.Equal(t, []uint64{3, 4, 5}, ids)
	ids, _, err = chainutil.PaginateIndex(ctx, view, "a", &query.PageRequest{Offset: 50, Limit: 3}, even)
	require.NoError(t, err)
	require.Empty(t, ids)

	// Bad requests.
	_, _, err = chainutil.PaginateIndex(ctx, view, "a", &query.PageRequest{Key: []byte{1}}, nil)
	require.Equal(t, codes.InvalidArgument, status.Code(err))
	_, _, err = chainutil.PaginateIndex(ctx, view, "a", &query.PageRequest{Offset: chainutil.MaxPageOffset + 1}, even)
	require.Equal(t, codes.InvalidArgument, status.Code(err))
}

// TestLoadIDs: values come in the ids' order; an id the collection cannot read is a broken
// index, reported as Internal with the id.
func TestLoadIDs(t *testing.T) {
	key := storetypes.NewKVStoreKey("load")
	ctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("tload")).Ctx
	sb := collections.NewSchemaBuilder(runtime.NewKVStoreService(key))
	m := collections.NewMap(sb, collections.NewPrefix(0), "m", collections.Uint64Key, collections.StringValue)
	for id, v := range map[uint64]string{1: "one", 2: "two", 3: "three"} {
		require.NoError(t, m.Set(ctx, id, v))
	}
	got, err := chainutil.LoadIDs(ctx, m.Get, []uint64{3, 1, 2})
	require.NoError(t, err)
	require.Equal(t, []string{"three", "one", "two"}, got)

	empty, err := chainutil.LoadIDs(ctx, m.Get, nil)
	require.NoError(t, err)
	require.Empty(t, empty)

	_, err = chainutil.LoadIDs(ctx, m.Get, []uint64{1, 9})
	require.Equal(t, codes.Internal, status.Code(err))
	require.ErrorContains(t, err, "id 9 is indexed but cannot be read")
}
