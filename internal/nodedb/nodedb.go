// Package nodedb opens CometBFT's databases (block store, state, tx and block indexes, evidence)
// as CometBFT's default provider does, with one difference in how their goleveldb write batches
// grow.
//
// CometBFT writes each block's tx index (and each block's block index) as one batch: an entry a
// tx and one per indexed event attribute, some tens of thousands for a full block. goleveldb's
// Batch stops doubling its buffer past 3,000 records and then grows it by a fraction of its size
// at a time, copying the whole buffer each time, so the bytes a batch allocates and copies grow
// with the square of its records: on a loaded node that was the largest single share of all it
// allocated (docs/performance.md). A batch from this package writes its records in goleveldb's
// batch encoding into a buffer that grows by doubling, or, past 256 KiB, straight to about the
// size of the last such batch of its kind, and hands that buffer to a goleveldb batch at Write
// (leveldb.Batch.Load, no copy): the same records, in the same order, in one write with the same
// options. Once written (goleveldb has copied the records into its memtable, journal or tables,
// and holds nothing of the batch), the buffer of a large batch is kept for the next large batch of
// the database, which would otherwise allocate, and zero, as much again; so is the goleveldb
// batch it was loaded into, whose index of records the next Load refills.
package nodedb

import (
	"encoding/binary"
	"errors"
	"sync/atomic"

	dbm "github.com/cometbft/cometbft-db"
	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/syndtr/goleveldb/leveldb"
	"github.com/syndtr/goleveldb/leveldb/opt"
)

// The errors of cometbft-db's goleveldb batch, with its messages.
var (
	errKeyEmpty    = errors.New("key cannot be empty")
	errValueNil    = errors.New("value cannot be nil")
	errBatchClosed = errors.New("batch has been written or closed")
)

// Provider returns base's databases; a goleveldb one makes its batches with this package.
func Provider(base cmtcfg.DBProvider) cmtcfg.DBProvider {
	return func(ctx *cmtcfg.DBContext) (dbm.DB, error) {
		db, err := base(ctx)
		if err != nil {
			return nil, err
		}
		return Wrap(db), nil
	}
}

// Wrap returns db with this package's batches if it is a goleveldb database, else db.
func Wrap(db dbm.DB) dbm.DB {
	if ldb, ok := db.(*dbm.GoLevelDB); ok {
		return &levelDB{GoLevelDB: ldb}
	}
	return db
}

// levelDB is a goleveldb database whose batches grow by doubling.
type levelDB struct {
	*dbm.GoLevelDB
	// largeSize is the length of the last batch written that outgrew largeBatch and a quarter of
	// the large size before it: the next batch that outgrows both is given about that much room
	// at once (a block's tx index batch is about as large as the one before it). A batch of
	// another kind on the same database (the block index shares the tx index's), much smaller,
	// neither takes that room nor replaces the size.
	largeSize atomic.Int64
	// spare is what the last large batch written used, for the next one.
	spare atomic.Pointer[spareBatch]
}

// spareBatch is a written batch's buffer (emptied) and the goleveldb batch it was loaded into.
type spareBatch struct {
	buf []byte
	lb  *leveldb.Batch
}

const (
	// largeBatch is the length past which a batch is given the room of the last large one.
	largeBatch = 256 << 10
	// maxRoom bounds the room a batch is given at once; past it a buffer grows by a quarter.
	maxRoom = 64 << 20
)

// NewBatch implements dbm.DB.
func (db *levelDB) NewBatch() dbm.Batch {
	return &batch{db: db, open: true}
}

// batch collects records like cometbft-db's goleveldb batch, with the same errors, in goleveldb's
// batch encoding (what leveldb.Batch.Dump gives and Load takes): per record a type byte (1 a set,
// 0 a delete), the key's length as a uvarint, the key, and for a set the value's length and the
// value.
type batch struct {
	db   *levelDB
	buf  []byte
	lb   *leveldb.Batch // the spare one taken with buf, if any
	open bool
}

var _ dbm.Batch = (*batch)(nil)

const (
	recordDelete = 0
	recordSet    = 1
)

// Set implements dbm.Batch. Key and value are copied.
func (b *batch) Set(key, value []byte) error {
	if len(key) == 0 {
		return errKeyEmpty
	}
	if value == nil {
		return errValueNil
	}
	if !b.open {
		return errBatchClosed
	}
	b.reserve(1 + 2*binary.MaxVarintLen64 + len(key) + len(value))
	b.buf = append(b.buf, recordSet)
	b.buf = binary.AppendUvarint(b.buf, uint64(len(key)))
	b.buf = append(b.buf, key...)
	b.buf = binary.AppendUvarint(b.buf, uint64(len(value)))
	b.buf = append(b.buf, value...)
	return nil
}

// Delete implements dbm.Batch. The key is copied.
func (b *batch) Delete(key []byte) error {
	if len(key) == 0 {
		return errKeyEmpty
	}
	if !b.open {
		return errBatchClosed
	}
	b.reserve(1 + binary.MaxVarintLen64 + len(key))
	b.buf = append(b.buf, recordDelete)
	b.buf = binary.AppendUvarint(b.buf, uint64(len(key)))
	b.buf = append(b.buf, key...)
	return nil
}

// reserve makes room for n more bytes: by doubling (by a quarter past maxRoom), except that a
// batch outgrowing largeBatch and a quarter of the last large batch is given that batch's room
// at once (an eighth more), if that is more.
func (b *batch) reserve(n int) {
	need := len(b.buf) + n
	if need <= cap(b.buf) {
		return
	}
	grow := cap(b.buf)
	if grow >= maxRoom {
		grow /= 4
	}
	room := max(cap(b.buf)+grow, need)
	var buf []byte
	if last := int(min(b.db.largeSize.Load(), maxRoom)); need > largeBatch && need > last/4 && last+last/8 > room {
		room = last + last/8
		if spare := b.db.spare.Swap(nil); spare != nil && cap(spare.buf) >= need {
			buf, b.lb = spare.buf[:len(b.buf)], spare.lb
		}
	}
	if buf == nil {
		buf = make([]byte, len(b.buf), room)
	}
	copy(buf, b.buf)
	b.buf = buf
}

// Write implements dbm.Batch.
func (b *batch) Write() error { return b.write(false) }

// WriteSync implements dbm.Batch.
func (b *batch) WriteSync() error { return b.write(true) }

func (b *batch) write(sync bool) error {
	if !b.open {
		return errBatchClosed
	}
	lb := b.lb
	if lb == nil {
		lb = new(leveldb.Batch)
	}
	if err := lb.Load(b.buf); err != nil {
		return err
	}
	if err := b.db.DB().Write(lb, &opt.WriteOptions{Sync: sync}); err != nil {
		return err
	}
	if n := int64(len(b.buf)); n > largeBatch && n > b.db.largeSize.Load()/4 {
		b.db.largeSize.Store(n)
		b.db.spare.Store(&spareBatch{buf: b.buf[:0], lb: lb})
	}
	// As cometbft-db's: a written batch cannot be used again; Close may still be called.
	return b.Close()
}

// Close implements dbm.Batch. It is idempotent.
func (b *batch) Close() error {
	b.open = false
	b.buf, b.lb = nil, nil
	return nil
}
