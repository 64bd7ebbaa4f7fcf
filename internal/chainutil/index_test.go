package chainutil_test

import (
	"context"
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"

	"cosmossdk.io/collections"
	corestore "cosmossdk.io/core/store"
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

// countingService counts the writes and deletes made through the stores it opens.
type countingService struct {
	inner         corestore.KVStoreService
	sets, deletes *int
}

func (s countingService) OpenKVStore(ctx context.Context) corestore.KVStore {
	return countingStore{KVStore: s.inner.OpenKVStore(ctx), s: s}
}

type countingStore struct {
	corestore.KVStore
	s countingService
}

func (c countingStore) Set(key, value []byte) error { *c.s.sets++; return c.KVStore.Set(key, value) }
func (c countingStore) Delete(key []byte) error     { *c.s.deletes++; return c.KVStore.Delete(key) }

type keptIndexes struct {
	Group *chainutil.KeptMulti[string, uint64, string]
	Tag   *chainutil.MultiRefIndex[string, string]
}

func (i keptIndexes) IndexesList() []collections.Index[uint64, string] {
	return []collections.Index[uint64, string]{i.Group, i.Tag}
}

// A value "group|tag,tag": the indexes write only the entries a Set changes, and always hold
// exactly the entries of the values stored (checked against a model after each of 2,000
// random sets and removes).
func TestKeptIndexesWriteOnlyWhatChanges(t *testing.T) {
	key := storetypes.NewKVStoreKey("kept_test")
	ctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_kept_test")).Ctx
	var sets, deletes int
	sb := collections.NewSchemaBuilder(countingService{inner: runtime.NewKVStoreService(key), sets: &sets, deletes: &deletes})
	group := func(v string) string { return strings.SplitN(v, "|", 2)[0] }
	tags := func(v string) []string { return strings.Split(strings.SplitN(v, "|", 2)[1], ",") }
	idx := keptIndexes{
		Group: chainutil.NewKeptMulti(sb, collections.NewPrefix(1), "by_group", collections.StringKey, collections.Uint64Key,
			func(_ uint64, v string) (string, error) { return group(v), nil }),
		Tag: chainutil.NewMultiRefIndex(sb, collections.NewPrefix(2), "by_tag", collections.StringKey, tags),
	}
	m := collections.NewIndexedMap(sb, collections.NewPrefix(0), "values", collections.Uint64Key, collections.StringValue, idx)
	_, err := sb.Build()
	require.NoError(t, err)

	writes := func(v string) [2]int {
		sets, deletes = 0, 0
		require.NoError(t, m.Set(ctx, 1, v))
		return [2]int{sets, deletes}
	}
	require.Equal(t, [2]int{4, 0}, writes("x|a,b"), "new: the value, its group, two tags")
	require.Equal(t, [2]int{1, 0}, writes("x|a,b"), "unchanged: the value only")
	require.Equal(t, [2]int{1, 0}, writes("x|b,a"), "same tags in another order")
	require.Equal(t, [2]int{2, 1}, writes("x|b,c"), "a tag replaced")
	require.Equal(t, [2]int{2, 1}, writes("y|b,c"), "the group changed")
	require.Equal(t, [2]int{1, 0}, writes("y|b,c,c"), "a duplicate tag")
	require.Equal(t, [2]int{1, 1}, writes("y|c"), "a tag dropped")

	entries := func() []string {
		var out []string
		require.NoError(t, idx.Group.Walk(ctx, nil, func(g string, id uint64) (bool, error) {
			out = append(out, fmt.Sprintf("g:%s/%d", g, id))
			return false, nil
		}))
		require.NoError(t, idx.Tag.Keys().Walk(ctx, nil, func(k collections.Pair[string, uint64]) (bool, error) {
			out = append(out, fmt.Sprintf("t:%s/%d", k.K1(), k.K2()))
			return false, nil
		}))
		sort.Strings(out)
		return out
	}
	model := map[uint64]string{1: "y|c"}
	rnd := rand.New(rand.NewSource(7))
	for step := 0; step < 2000; step++ {
		id := uint64(rnd.Intn(6))
		if rnd.Intn(5) == 0 {
			if _, ok := model[id]; ok {
				require.NoError(t, m.Remove(ctx, id))
				delete(model, id)
			}
		} else {
			var ts []string
			for n := 1 + rnd.Intn(3); n > 0; n-- {
				ts = append(ts, string(rune('a'+rnd.Intn(4))))
			}
			v := string(rune('p'+rnd.Intn(3))) + "|" + strings.Join(ts, ",")
			require.NoError(t, m.Set(ctx, id, v))
			model[id] = v
		}
		want := map[string]bool{}
		for id, v := range model {
			want[fmt.Sprintf("g:%s/%d", group(v), id)] = true
			for _, tag := range tags(v) {
				want[fmt.Sprintf("t:%s/%d", tag, id)] = true
			}
		}
		var wantList []string
		for e := range want {
			wantList = append(wantList, e)
		}
		sort.Strings(wantList)
		require.Equal(t, wantList, entries(), "step %d", step)
	}
}
