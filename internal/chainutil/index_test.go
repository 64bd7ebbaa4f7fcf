package chainutil_test

import (
	"strings"
	"testing"

	"cosmossdk.io/collections"
	storetypes "cosmossdk.io/store/types"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"

	"github.com/balanceai/balanceai/internal/chainutil"
)

type tagIndexes struct {
	Tag *chainutil.MultiRefIndex[string, string]
}

func (i tagIndexes) IndexesList() []collections.Index[uint64, string] {
	return []collections.Index[uint64, string]{i.Tag}
}

// TestMultiRefIndex: the IndexedMap keeps one entry per reference, moves them when the value
// changes and drops them when it is removed.
func TestMultiRefIndex(t *testing.T) {
	key := storetypes.NewKVStoreKey("index_test")
	ctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_index_test")).Ctx
	sb := collections.NewSchemaBuilder(runtime.NewKVStoreService(key))
	idx := tagIndexes{Tag: chainutil.NewMultiRefIndex(sb, collections.NewPrefix(1), "by_tag", collections.StringKey,
		func(v string) []string { return strings.Split(v, ",") })}
	m := collections.NewIndexedMap(sb, collections.NewPrefix(0), "values", collections.Uint64Key, collections.StringValue, idx)
	_, err := sb.Build()
	require.NoError(t, err)

	entries := func() []string {
		var out []string
		require.NoError(t, idx.Tag.Keys().Walk(ctx, nil, func(k collections.Pair[string, uint64]) (bool, error) {
			out = append(out, k.K1()+"/"+string(rune('0'+k.K2())))
			return false, nil
		}))
		return out
	}
	require.NoError(t, m.Set(ctx, 1, "a,b"))
	require.NoError(t, m.Set(ctx, 2, "b"))
	require.Equal(t, []string{"a/1", "b/1", "b/2"}, entries())
	require.NoError(t, m.Set(ctx, 1, "b,c"))
	require.Equal(t, []string{"b/1", "b/2", "c/1"}, entries())
	require.NoError(t, m.Remove(ctx, 1))
	require.Equal(t, []string{"b/2"}, entries())
}
