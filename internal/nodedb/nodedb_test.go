package nodedb

import (
	"bytes"
	"fmt"
	"math/rand"
	"testing"

	dbm "github.com/cometbft/cometbft-db"
	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/stretchr/testify/require"
)

func openLevelDB(t testing.TB, name string) *dbm.GoLevelDB {
	t.Helper()
	db, err := dbm.NewGoLevelDB(name, t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func contents(t *testing.T, db dbm.DB) [][2][]byte {
	t.Helper()
	it, err := db.Iterator(nil, nil)
	require.NoError(t, err)
	defer it.Close()
	var kvs [][2][]byte
	for ; it.Valid(); it.Next() {
		kvs = append(kvs, [2][]byte{bytes.Clone(it.Key()), bytes.Clone(it.Value())})
	}
	require.NoError(t, it.Error())
	return kvs
}

// The same batches, written through cometbft-db's batch and through this package's, leave the
// same contents: sets, overwrites within a batch, deletes of written and of batched keys, empty
// values, Write and WriteSync, a reused key buffer.
func TestBatchWritesWhatCometBFTsBatchWrites(t *testing.T) {
	stock := openLevelDB(t, "stock")
	ours := Wrap(openLevelDB(t, "ours"))
	require.IsType(t, &levelDB{}, ours)

	rng := rand.New(rand.NewSource(7))
	key := make([]byte, 0, 16)
	for round := 0; round < 20; round++ {
		bs, bo := stock.NewBatch(), ours.NewBatch()
		n := rng.Intn(8000) // past goleveldb's 3,000 records in some rounds
		for i := 0; i < n; i++ {
			key = fmt.Appendf(key[:0], "k%05d", rng.Intn(5000))
			switch rng.Intn(4) {
			case 0:
				require.NoError(t, bs.Delete(key))
				require.NoError(t, bo.Delete(key))
			case 1:
				require.NoError(t, bs.Set(key, []byte{}))
				require.NoError(t, bo.Set(key, []byte{}))
			default:
				value := make([]byte, rng.Intn(300))
				rng.Read(value)
				require.NoError(t, bs.Set(key, value))
				require.NoError(t, bo.Set(key, value))
			}
		}
		if round%2 == 0 {
			require.NoError(t, bs.Write())
			require.NoError(t, bo.Write())
		} else {
			require.NoError(t, bs.WriteSync())
			require.NoError(t, bo.WriteSync())
		}
		require.NoError(t, bs.Close())
		require.NoError(t, bo.Close())
		require.Equal(t, contents(t, stock), contents(t, ours), "round %d", round)
	}
	require.NotEmpty(t, contents(t, ours))
}

// Bad input and a used batch get cometbft-db's errors, and nothing is written.
func TestBatchErrorsAsCometBFTs(t *testing.T) {
	stock := openLevelDB(t, "stock")
	ours := Wrap(openLevelDB(t, "ours"))
	for _, db := range []dbm.DB{stock, ours} {
		b := db.NewBatch()
		require.EqualError(t, b.Set(nil, []byte("v")), "key cannot be empty")
		require.EqualError(t, b.Set([]byte{}, []byte("v")), "key cannot be empty")
		require.EqualError(t, b.Set([]byte("k"), nil), "value cannot be nil")
		require.EqualError(t, b.Delete(nil), "key cannot be empty")
		require.NoError(t, b.Set([]byte("k"), []byte("v")))
		require.NoError(t, b.Write())
		require.EqualError(t, b.Set([]byte("k2"), []byte("v")), "batch has been written or closed")
		require.EqualError(t, b.Delete([]byte("k")), "batch has been written or closed")
		require.EqualError(t, b.Write(), "batch has been written or closed")
		require.EqualError(t, b.WriteSync(), "batch has been written or closed")
		require.NoError(t, b.Close())
		require.NoError(t, b.Close())

		closed := db.NewBatch()
		require.NoError(t, closed.Set([]byte("never"), []byte("v")))
		require.NoError(t, closed.Close())
		require.EqualError(t, closed.Write(), "batch has been written or closed")
		has, err := db.Has([]byte("never"))
		require.NoError(t, err)
		require.False(t, has)
	}
	require.Equal(t, contents(t, stock), contents(t, ours))
}

// A database of another backend is returned as it is; the provider wraps goleveldb ones.
func TestProviderWrapsGoLevelDBOnly(t *testing.T) {
	mem := dbm.NewMemDB()
	require.Same(t, dbm.DB(mem), Wrap(mem))

	cfg := cmtcfg.DefaultConfig()
	cfg.SetRoot(t.TempDir())
	db, err := Provider(cmtcfg.DefaultDBProvider)(&cmtcfg.DBContext{ID: "tx_index", Config: cfg})
	require.NoError(t, err)
	defer db.Close()
	require.IsType(t, &levelDB{}, db)
	require.NoError(t, db.Set([]byte("a"), []byte("b")))
	v, err := db.Get([]byte("a"))
	require.NoError(t, err)
	require.Equal(t, []byte("b"), v)
}

// BenchmarkIndexBatch writes a loaded block's tx index batch through cometbft-db's batch and
// through this package's: 1,500 txs, each a 1,500-byte result and 25 event entries with keys of
// the kv indexer's length.
func BenchmarkIndexBatch(b *testing.B) {
	for _, kind := range []string{"cometbft-db", "nodedb"} {
		b.Run(kind, func(b *testing.B) {
			db := openLevelDB(b, kind)
			var target dbm.DB = db
			if kind == "nodedb" {
				target = Wrap(db)
			}
			hash := bytes.Repeat([]byte{0xab}, 32)
			result := bytes.Repeat([]byte{0xcd}, 1500)
			key := make([]byte, 0, 128)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				batch := target.NewBatch()
				for tx := 0; tx < 1500; tx++ {
					key = fmt.Appendf(key[:0], "%08d/%04d", i, tx)
					if err := batch.Set(key, result); err != nil {
						b.Fatal(err)
					}
					for e := 0; e < 25; e++ {
						key = fmt.Appendf(key[:0], "transfer.recipient/cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu/%d/%d/%d", i, tx, e)
						if err := batch.Set(key, hash); err != nil {
							b.Fatal(err)
						}
					}
				}
				if err := batch.Write(); err != nil {
					b.Fatal(err)
				}
				_ = batch.Close()
			}
		})
	}
}

// A batch that outgrows largeBatch is given the room of the last large batch at once; a small
// batch is not.
func TestLargeBatchGetsTheLastLargeSize(t *testing.T) {
	db := Wrap(openLevelDB(t, "sizes")).(*levelDB)
	value := bytes.Repeat([]byte{1}, 1000)
	fill := func(records int) *batch {
		b := db.NewBatch().(*batch)
		for i := 0; i < records; i++ {
			require.NoError(t, b.Set(fmt.Appendf(nil, "k%06d", i), value))
		}
		return b
	}
	first := fill(3000) // about 3 MB
	size := len(first.buf)
	require.NoError(t, first.Write())
	require.EqualValues(t, size, db.largeSize.Load())

	small := fill(10)
	require.Less(t, cap(small.buf), largeBatch)
	require.NoError(t, small.Write())
	require.EqualValues(t, size, db.largeSize.Load(), "a small batch leaves the large size")

	// Past largeBatch but under a quarter of the last large batch (another kind of batch on the
	// same database): it doubles, and its write leaves the large size.
	other := fill(300)
	require.Less(t, cap(other.buf), size/2)
	require.NoError(t, other.Write())
	require.EqualValues(t, size, db.largeSize.Load())

	second := fill(1100) // past a quarter of it: room for the whole of the last large batch
	require.GreaterOrEqual(t, cap(second.buf), size)
	before := cap(second.buf)
	for i := 1100; i < 3000; i++ {
		require.NoError(t, second.Set(fmt.Appendf(nil, "k%06d", i), value))
	}
	require.Equal(t, before, cap(second.buf), "a batch as large as the last one fits in its room")
	require.NoError(t, second.Close())
}

// TestBatchPastMaxRoomGrowsByAQuarter: a buffer of maxRoom or more grows by a quarter, not by
// doubling.
func TestBatchPastMaxRoomGrowsByAQuarter(t *testing.T) {
	db := Wrap(openLevelDB(t, "huge")).(*levelDB)
	b := db.NewBatch().(*batch)
	b.buf = make([]byte, maxRoom, maxRoom)
	b.reserve(1)
	require.Equal(t, maxRoom+maxRoom/4, cap(b.buf))
	require.Len(t, b.buf, maxRoom)
	require.NoError(t, b.Close())
}

// Once written, a large batch's buffer and goleveldb batch serve the next large batch instead of
// new ones; a small batch leaves them alone. What each batch wrote is what is stored.
func TestLargeBatchReusesTheLastLargeBuffer(t *testing.T) {
	db := Wrap(openLevelDB(t, "reuse")).(*levelDB)
	fill := func(records int, value []byte) *batch {
		b := db.NewBatch().(*batch)
		for i := 0; i < records; i++ {
			require.NoError(t, b.Set(fmt.Appendf(nil, "k%06d", i), value))
		}
		return b
	}
	one, two := bytes.Repeat([]byte{1}, 1000), bytes.Repeat([]byte{2}, 1000)
	first := fill(3000, one)
	array := &first.buf[0]
	require.NoError(t, first.Write())
	require.NotNil(t, db.spare.Load())
	loaded := db.spare.Load().lb
	require.NotNil(t, loaded)

	small := fill(10, two)
	require.NotSame(t, array, &small.buf[0])
	require.NoError(t, small.Write())
	require.NotNil(t, db.spare.Load(), "a small batch leaves the buffer")

	second := fill(1100, two)
	require.Same(t, array, &second.buf[0], "the next large batch fills the last one's buffer")
	require.Same(t, loaded, second.lb, "and loads it into the same goleveldb batch")
	require.Nil(t, db.spare.Load(), "while it is filled, no other batch has it")
	require.NoError(t, second.WriteSync())
	require.NotNil(t, db.spare.Load())

	for i, want := range map[int][]byte{0: two, 1099: two, 1100: one, 2999: one} {
		got, err := db.Get(fmt.Appendf(nil, "k%06d", i))
		require.NoError(t, err)
		require.Equal(t, want, got, "k%06d", i)
	}
}
