package app

import (
	"sync"
	"sync/atomic"
	"unsafe"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// txDecodings lets a transaction be decoded once on its way from the RPC to the block, where
// a node would otherwise decode it four or five times: before the lock (PreVerify), in
// CheckTx, in PrepareProposal (the proposer), and twice in FinalizeBlock (BaseApp first checks
// that each transaction decodes and drops the result, then runTx decodes it again).
//
// The app's TxDecoder answers with a decoding already made only when it is asked to decode a
// registered slice: the same memory (data pointer and length), not merely equal bytes. Slices
// are registered by the pre-verifying client around one ABCI call and removed when it returns:
//
//   - handoff: a new transaction's CheckTx request bytes, with the decoding made before the
//     lock; CheckTx's decoding takes it, once;
//   - block: each transaction of a PrepareProposal or FinalizeBlock request, with the decoding
//     kept from the CheckTx that accepted the same bytes (PrepareProposal reads it,
//     FinalizeBlock takes it), or else with the first decoding of that slice in the call, which
//     BaseApp's second decoding of it in FinalizeBlock then gets.
//
// Only the goroutine making the call holds those slices: a Simulate of equal bytes, a recheck
// and a peer's copy decode their own memory and get their own decoding, so no decoding is ever
// shared with a caller running at the same time. Before its block a kept decoding has only been
// read: by PreVerify and CheckTx's ante handler before it was kept (the messages of a
// transaction run in its block only), and after, by PrepareProposal (its gas limit); a
// decoding is a function of the bytes, and its lazily computed parts (signers) come out the
// same whoever asks first, so the block gets what it would have decoded itself. FinalizeBlock
// takes a kept decoding for one position of one block, and it is gone after that: a message
// handler that changed its transaction would change nothing anyone else reads. Two positions of
// a block with the same memory are decoded apart.
type txDecodings struct {
	mu      sync.Mutex
	handoff map[*byte]handoffEntry
	slots   map[*byte]*blockSlot
	// n is len(handoff) + len(slots), read without the lock by every decoding.
	n atomic.Int64

	keptMu sync.Mutex
	kept   generations[sdk.Tx] // by the transaction's bytes

	// decoded counts the decodings the decoder made itself.
	decoded atomic.Uint64
}

type handoffEntry struct {
	n  int
	tx sdk.Tx
}

// blockSlot is the decoding of one transaction of the block call in progress. Only the
// goroutine making the call reads and writes it.
type blockSlot struct {
	n  int
	tx sdk.Tx
	// apart: another transaction of the call has the same memory; each decoding is its own.
	apart bool
}

const (
	// maxTxHandoffs bounds the decodings waiting for their CheckTx (one per RPC call or peer
	// message in flight); beyond it they are all dropped.
	maxTxHandoffs = 10_000
	// maxKeptDecodings and maxKeptBytes (of the transactions' bytes) bound a generation of
	// decodings kept for their block: at most twice as much is kept, the older generation
	// dropped when the newer fills. A transaction is at most maxPreVerifyTxBytes; its decoding
	// (body and auth info bytes, Anys, messages, signers) holds a few times its bytes.
	maxKeptDecodings = 4096
	maxKeptBytes     = 8 << 20
)

// key is the identity of a slice's memory, or nil for an empty slice (never registered).
func key(bz []byte) *byte {
	if len(bz) == 0 {
		return nil
	}
	return unsafe.SliceData(bz)
}

// put leaves tx, the decoding of txBytes, for the CheckTx of that same slice.
func (d *txDecodings) put(txBytes []byte, tx sdk.Tx) {
	k := key(txBytes)
	if k == nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.handoff == nil || len(d.handoff) >= maxTxHandoffs {
		// Only a PreVerify with no CheckTx after it leaves an entry behind: never many.
		d.n.Add(-int64(len(d.handoff)))
		d.handoff = make(map[*byte]handoffEntry)
	}
	if _, ok := d.handoff[k]; !ok {
		d.n.Add(1)
	}
	d.handoff[k] = handoffEntry{n: len(txBytes), tx: tx}
}

// drop removes what is left for this slice (CheckTx did not decode it).
func (d *txDecodings) drop(txBytes []byte) {
	if key(txBytes) == nil || d.n.Load() == 0 {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.takeHandoffLocked(txBytes)
}

// takeHandoffLocked returns and removes the decoding left for this slice, if there is one.
func (d *txDecodings) takeHandoffLocked(txBytes []byte) (sdk.Tx, bool) {
	k := key(txBytes)
	e, ok := d.handoff[k]
	if !ok || e.n != len(txBytes) {
		return nil, false
	}
	delete(d.handoff, k)
	d.n.Add(-1)
	return e.tx, true
}

// keep keeps tx, the decoding of a transaction CheckTx accepted, for its block.
func (d *txDecodings) keep(txBytes []byte, tx sdk.Tx) {
	d.keptMu.Lock()
	defer d.keptMu.Unlock()
	if d.kept.cur == nil {
		d.kept = newGenerations[sdk.Tx](maxKeptDecodings, maxKeptBytes)
	}
	d.kept.put(string(txBytes), tx)
}

// keptFor returns the decoding kept for txBytes; remove removes it.
func (d *txDecodings) keptFor(txBytes []byte, remove bool) sdk.Tx {
	d.keptMu.Lock()
	defer d.keptMu.Unlock()
	var tx sdk.Tx
	if remove {
		tx, _ = d.kept.take(txBytes)
	} else {
		// Left in its generation: moving the block's decodings into the newer one could fill
		// it, and drop the older one with the rest of the block's decodings in it.
		tx, _ = d.kept.peek(txBytes)
	}
	return tx
}

// keptCount is the number of decodings kept for their block.
func (d *txDecodings) keptCount() int {
	d.keptMu.Lock()
	defer d.keptMu.Unlock()
	return d.kept.len()
}

// beginBlockCall registers the transactions of a PrepareProposal (take false: kept decodings
// are read) or FinalizeBlock (take true: they are taken) request; the returned function removes
// them. A transaction already registered (which no block call in progress can be) is decoded
// apart.
func (d *txDecodings) beginBlockCall(txs [][]byte, take bool) (end func()) {
	if len(txs) == 0 {
		return func() {}
	}
	slots := make(map[*byte]*blockSlot, len(txs))
	for _, bz := range txs {
		k := key(bz)
		if k == nil {
			continue
		}
		if s, ok := slots[k]; ok {
			s.apart = true
			continue
		}
		slots[k] = &blockSlot{n: len(bz)}
	}
	for _, bz := range txs { // in block order: of two copies of a kept transaction, the first takes it
		if s := slots[key(bz)]; s != nil && !s.apart {
			s.tx = d.keptFor(bz, take)
		}
	}
	d.mu.Lock()
	if d.slots == nil {
		d.slots = make(map[*byte]*blockSlot)
	}
	registered := make([]*byte, 0, len(slots))
	for k, s := range slots {
		if other, ok := d.slots[k]; ok {
			// Another call's slice (no two block calls overlap under CometBFT's lock): both
			// decode it apart from now on; the other call removes the entry.
			d.slots[k] = &blockSlot{n: other.n, apart: true}
			continue
		}
		d.slots[k] = s
		registered = append(registered, k)
	}
	d.n.Add(int64(len(registered)))
	d.mu.Unlock()
	return func() {
		d.mu.Lock()
		defer d.mu.Unlock()
		for _, k := range registered {
			if _, ok := d.slots[k]; ok {
				delete(d.slots, k)
				d.n.Add(-1)
			}
		}
	}
}

// lookup returns the decoding handed off for this slice (and removes it), or its block slot.
func (d *txDecodings) lookup(txBytes []byte) (sdk.Tx, *blockSlot) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if tx, ok := d.takeHandoffLocked(txBytes); ok {
		return tx, nil
	}
	if s := d.slots[key(txBytes)]; s != nil && s.n == len(txBytes) {
		return nil, s
	}
	return nil, nil
}

// decoder is decode, answering with a decoding already made for a registered slice.
func (d *txDecodings) decoder(decode sdk.TxDecoder) sdk.TxDecoder {
	fresh := func(txBytes []byte) (sdk.Tx, error) {
		d.decoded.Add(1)
		return decode(txBytes)
	}
	return func(txBytes []byte) (sdk.Tx, error) {
		if d.n.Load() == 0 || key(txBytes) == nil {
			return fresh(txBytes)
		}
		tx, s := d.lookup(txBytes)
		switch {
		case tx != nil:
			return tx, nil
		case s == nil:
			return fresh(txBytes)
		case s.tx != nil:
			return s.tx, nil
		}
		tx, err := fresh(txBytes)
		if err == nil && !s.apart {
			s.tx = tx
		}
		return tx, err
	}
}
