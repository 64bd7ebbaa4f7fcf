package app

import (
	"fmt"
	"math/rand"
	"testing"

	"cosmossdk.io/log"
	"cosmossdk.io/store/metrics"
	"cosmossdk.io/store/rootmulti"
	storetypes "cosmossdk.io/store/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"
)

func testRoot(t *testing.T, keys []*storetypes.KVStoreKey) *rootmulti.Store {
	t.Helper()
	rs := rootmulti.NewStore(dbm.NewMemDB(), log.NewNopLogger(), metrics.NewNoOpMetrics())
	for _, k := range keys {
		rs.MountStoreWithDB(k, storetypes.StoreTypeIAVL, nil)
	}
	require.NoError(t, rs.LoadLatestVersion())
	return rs
}

// The same random work (nested branches written back or dropped, sets, deletes, reads and
// iterations over several stores) on the SDK's branches and on lazy ones reads the same at
// every step and commits the same app hash after every block.
func TestLazyBranchesMatchTheSDKs(t *testing.T) {
	keys := []*storetypes.KVStoreKey{
		storetypes.NewKVStoreKey("a"), storetypes.NewKVStoreKey("b"),
		storetypes.NewKVStoreKey("c"), storetypes.NewKVStoreKey("d"),
	}
	eagerRoot, lazyRootStore := testRoot(t, keys), testRoot(t, keys)
	roots := [2]storetypes.CommitMultiStore{eagerRoot, lazyRoot{Store: lazyRootStore}}
	rnd := rand.New(rand.NewSource(7))
	key := func() []byte { return []byte{byte('k'), byte('0' + rnd.Intn(12))} }

	for block := 0; block < 30; block++ {
		var stacks [2][]storetypes.CacheMultiStore
		for i, r := range roots {
			stacks[i] = []storetypes.CacheMultiStore{r.CacheMultiStore()}
		}
		for op := 0; op < 400; op++ {
			k := keys[rnd.Intn(len(keys))]
			n := rnd.Intn(100)
			switch {
			case n < 10:
				for i := range stacks {
					stacks[i] = append(stacks[i], stacks[i][len(stacks[i])-1].CacheMultiStore())
				}
			case n < 18 && len(stacks[0]) > 1:
				write := rnd.Intn(3) > 0
				for i := range stacks {
					top := stacks[i][len(stacks[i])-1]
					if write {
						top.Write()
					}
					stacks[i] = stacks[i][:len(stacks[i])-1]
				}
			case n < 50:
				kk, v := key(), []byte(fmt.Sprintf("v%d-%d", block, op))
				for i := range stacks {
					stacks[i][len(stacks[i])-1].GetKVStore(k).Set(kk, v)
				}
			case n < 60:
				kk := key()
				for i := range stacks {
					stacks[i][len(stacks[i])-1].GetKVStore(k).Delete(kk)
				}
			case n < 85:
				kk := key()
				got := [2][]byte{}
				for i := range stacks {
					got[i] = stacks[i][len(stacks[i])-1].GetKVStore(k).Get(kk)
				}
				require.Equal(t, got[0], got[1], "block %d op %d: get %s/%s", block, op, k.Name(), kk)
			default:
				start, end := key(), key()
				if string(start) > string(end) {
					start, end = end, start
				}
				reverse := rnd.Intn(2) == 0
				var got [2][]string
				for i := range stacks {
					s := stacks[i][len(stacks[i])-1].GetKVStore(k)
					it := s.Iterator(start, end)
					if reverse {
						it = s.ReverseIterator(start, end)
					}
					for ; it.Valid(); it.Next() {
						got[i] = append(got[i], string(it.Key())+"="+string(it.Value()))
					}
					require.NoError(t, it.Close())
				}
				require.Equal(t, got[0], got[1], "block %d op %d: iterate %s", block, op, k.Name())
			}
		}
		for i := range stacks {
			for j := len(stacks[i]) - 1; j >= 0; j-- {
				stacks[i][j].Write()
			}
			roots[i].Commit()
		}
		require.Equal(t, roots[0].LastCommitID(), roots[1].LastCommitID(), "block %d", block)
	}
	require.NotEmpty(t, roots[1].LastCommitID().Hash)
}

// A branch makes the cache of a store only when the store is used, and writes back only those.
func TestLazyBranchMakesOnlyWhatIsUsed(t *testing.T) {
	keys := []*storetypes.KVStoreKey{storetypes.NewKVStoreKey("a"), storetypes.NewKVStoreKey("b"), storetypes.NewKVStoreKey("c")}
	root := lazyRoot{Store: testRoot(t, keys)}
	block := root.CacheMultiStore()
	_, isBlock := block.(blockBranch)
	require.True(t, isBlock, "the block state's branch is the SDK's, with lazy branches")

	tx := block.CacheMultiStore().(*lazyBranch)
	require.Empty(t, tx.made)
	tx.GetKVStore(keys[1]).Set([]byte("x"), []byte("1"))
	require.Equal(t, "1", string(tx.GetKVStore(keys[1]).Get([]byte("x"))))
	require.Len(t, tx.made, 1, "one store used, one cache made")
	require.Nil(t, block.GetKVStore(keys[1]).Get([]byte("x")), "not written back yet")

	inner := tx.CacheMultiStore().(*lazyBranch)
	inner.GetKVStore(keys[2]).Set([]byte("y"), []byte("2"))
	require.Len(t, tx.made, 2, "the nested branch made its parent's cache of the store it used")
	inner.Write()
	tx.Write()
	require.Equal(t, "1", string(block.GetKVStore(keys[1]).Get([]byte("x"))))
	require.Equal(t, "2", string(block.GetKVStore(keys[2]).Get([]byte("y"))))

	require.Panics(t, func() { tx.GetKVStore(storetypes.NewKVStoreKey("unmounted")) })
	require.Panics(t, func() { tx.GetKVStore(nil) })
}
