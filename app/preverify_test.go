package app

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	abcicli "github.com/cometbft/cometbft/abci/client"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// PreVerify pre-verifies txBytes as the pre-verifying client does before its CheckTx, leaving
// its decoding for the CheckTx of that same slice.
func (app *App) PreVerify(txBytes []byte) { app.preVerifyTx(txBytes) }

// SetStateReadLimit sets how many reads of the committed state PreVerify makes per height.
func (app *App) SetStateReadLimit(n int) {
	app.stateReads.mu.Lock()
	defer app.stateReads.mu.Unlock()
	app.stateReads.limit = n
}

// StateReads returns the height of PreVerify's count of committed-state reads and the count.
func (app *App) StateReads() (int64, int) {
	app.stateReads.mu.Lock()
	defer app.stateReads.mu.Unlock()
	return app.stateReads.height, app.stateReads.n
}

// PendingTxHandoffs returns the number of decodings waiting for their CheckTx.
func (app *App) PendingTxHandoffs() int {
	app.txDecodings.mu.Lock()
	defer app.txDecodings.mu.Unlock()
	return len(app.txDecodings.handoff)
}

// KeptTxDecodings returns the number of decodings kept for their block.
func (app *App) KeptTxDecodings() int { return app.txDecodings.keptCount() }

// TxDecodings returns the number of decodings the app's TxDecoder has made itself.
func (app *App) TxDecodings() uint64 { return app.txDecodings.decoded.Load() }

// PreVerifyingClient wraps client as PreVerifyingClientCreator's clients wrap the local one.
func PreVerifyingClient(app *App, client abcicli.Client) abcicli.Client {
	return preVerifyingClient{Client: client, app: app}
}

// countingDecoder decodes every input to a new transaction and counts its calls.
type countingDecoder struct{ calls int }

func (d *countingDecoder) decode(bz []byte) (sdk.Tx, error) {
	d.calls++
	if string(bz) == "bad" {
		return nil, errors.New("bad bytes")
	}
	return &fakeTx{bytes: string(bz)}, nil
}

type fakeTx struct {
	sdk.Tx
	bytes string
}

// A decoding left for a slice goes to the next decoding of that slice, once; equal bytes in
// other memory, other bytes, and the same slice a second time are decoded.
func TestTxDecodingsHandOffBySlice(t *testing.T) {
	var d txDecodings
	var c countingDecoder
	decode := d.decoder(c.decode)

	a := []byte("a")
	pre, err := c.decode(a)
	require.NoError(t, err)
	d.put(a, pre)
	require.EqualValues(t, 1, d.n.Load())

	other, err := decode([]byte("b"))
	require.NoError(t, err)
	require.NotSame(t, pre, other)
	equal, err := decode(bytes.Clone(a))
	require.NoError(t, err)
	require.NotSame(t, pre, equal, "equal bytes in other memory (a Simulate, say) get their own decoding")
	require.Equal(t, 3, c.calls)

	got, err := decode(a)
	require.NoError(t, err)
	require.Same(t, pre, got, "the handed-off decoding")
	require.Equal(t, 3, c.calls, "not decoded again")
	require.Zero(t, d.n.Load())

	again, err := decode(a)
	require.NoError(t, err)
	require.NotSame(t, pre, again, "handed out only once")
	require.Equal(t, 4, c.calls)
	require.EqualValues(t, 3, d.decoded.Load(), "the decoder's own decodings")

	_, err = decode([]byte("bad"))
	require.Error(t, err)

	// drop removes an entry nobody took; dropping nothing is harmless; a prefix of a slice
	// (same memory, another length) is not that slice.
	cc := []byte("cc")
	d.put(cc, pre)
	got, err = decode(cc[:1])
	require.NoError(t, err)
	require.NotSame(t, pre, got)
	d.drop(cc)
	d.drop(cc)
	require.Zero(t, d.n.Load())
	got, err = decode(cc)
	require.NoError(t, err)
	require.NotSame(t, pre, got)
}

// Entries left behind (a PreVerify with no CheckTx) never pile up beyond maxTxHandoffs.
func TestTxDecodingsHandOffBounded(t *testing.T) {
	var d txDecodings
	for i := 0; i < 3*maxTxHandoffs; i++ {
		d.put([]byte{byte(i), byte(i >> 8), byte(i >> 16)}, &fakeTx{})
		require.LessOrEqual(t, int(d.n.Load()), maxTxHandoffs)
	}
}

// A block call's transactions get the decoding kept from their CheckTx (FinalizeBlock takes it,
// PrepareProposal reads it) or, without one, one decoding shared by the call's decodings of
// that slice. Equal bytes in other memory, two positions with the same memory, and anything
// after the call are decoded apart.
func TestTxDecodingsBlockCall(t *testing.T) {
	var d txDecodings
	var c countingDecoder
	decoder := d.decoder(c.decode)
	decode := func(bz []byte) sdk.Tx {
		t.Helper()
		tx, err := decoder(bz)
		require.NoError(t, err)
		return tx
	}

	checked := []byte("checked")
	kept := &fakeTx{bytes: "checked"}
	d.keep(bytes.Clone(checked), kept)
	require.Equal(t, 1, d.keptCount())

	// PrepareProposal reads the kept decoding and leaves it.
	prepare := [][]byte{bytes.Clone(checked)}
	end := d.beginBlockCall(prepare, false)
	require.Same(t, kept, decode(prepare[0]))
	end()
	require.Equal(t, 1, d.keptCount())
	require.Zero(t, d.n.Load())
	require.Zero(t, c.calls)

	// FinalizeBlock takes it.
	dup := []byte("dup")
	block := [][]byte{bytes.Clone(checked), []byte("unchecked"), dup, dup, {}}
	end = d.beginBlockCall(block, true)
	require.Zero(t, d.keptCount(), "taken")
	for i := 0; i < 2; i++ { // BaseApp's decodability check, then runTx
		require.Same(t, kept, decode(block[0]))
	}
	require.Zero(t, c.calls)

	first := decode(block[1])
	require.Same(t, first, decode(block[1]), "one decoding for the slice within the call")
	require.Equal(t, 1, c.calls)
	require.NotSame(t, first, decode(bytes.Clone(block[1])), "equal bytes in other memory")
	require.Equal(t, 2, c.calls)
	require.NotSame(t, decode(block[2]), decode(block[3]), "two positions with the same memory are decoded apart")
	require.Equal(t, 4, c.calls)
	end()
	require.Zero(t, d.n.Load())

	require.NotSame(t, first, decode(block[1]), "the call is over")
	require.NotSame(t, kept, decode(block[0]))
	require.Equal(t, 6, c.calls)

	// A transaction that does not decode is answered with the decoder's error each time.
	bad := []byte("bad")
	end = d.beginBlockCall([][]byte{bad}, true)
	for i := 0; i < 2; i++ {
		_, err := decoder(bad)
		require.Error(t, err)
	}
	end()
	require.Equal(t, 8, c.calls)
}

// bytes is the length of the keys held.
func (g *generations[V]) bytes() int {
	n := g.curBytes
	for k := range g.old {
		n += len(k)
	}
	return n
}

// Decodings kept for a block that never takes them are bounded: two generations of
// maxKeptDecodings, and of maxKeptBytes of transactions.
func TestTxDecodingsKeptBounded(t *testing.T) {
	var d txDecodings
	name := func(i int) []byte { return fmt.Appendf(nil, "tx %d", i) }
	for i := 0; i < 5*maxKeptDecodings; i++ {
		d.keep(name(i), &fakeTx{})
		require.LessOrEqual(t, d.keptCount(), 2*maxKeptDecodings)
	}
	require.NotNil(t, d.keptFor(name(5*maxKeptDecodings-1), false), "the newest is kept")
	require.Nil(t, d.keptFor(name(0), false), "the oldest is dropped")

	// Large transactions: at most twice maxKeptBytes of them.
	var big txDecodings
	for i := 0; i < 1000; i++ {
		big.keep(append(name(i), make([]byte, maxPreVerifyTxBytes)...), &fakeTx{})
		big.keptMu.Lock()
		held := big.kept.bytes()
		big.keptMu.Unlock()
		require.LessOrEqual(t, held, 2*maxKeptBytes)
	}
	require.Less(t, big.keptCount(), 2*maxKeptBytes/maxPreVerifyTxBytes+1)
}

// TestKeptDecodingsStayPutWhenRead: PrepareProposal's reads leave a kept decoding in its
// generation (moving a block's decodings into the newer one could fill it and drop the rest of
// the block's), and a taken decoding's bytes no longer count toward its generation.
func TestKeptDecodingsStayPutWhenRead(t *testing.T) {
	var d txDecodings
	name := func(i int) []byte { return fmt.Appendf(nil, "tx %05d", i) }
	// The older generation full, the newer one nearly: a block of 200 older decodings.
	for i := 0; i < 2*maxKeptDecodings-100; i++ {
		d.keep(name(i), &fakeTx{})
	}
	block := make([][]byte, 200)
	for i := range block {
		block[i] = name(i)
	}
	d.beginBlockCall(block, false)()
	d.keptMu.Lock()
	require.Len(t, d.kept.old, maxKeptDecodings, "read, not moved")
	d.keptMu.Unlock()
	end := d.beginBlockCall(block, true)
	for _, bz := range block {
		tx, s := d.lookup(bz)
		require.Nil(t, tx)
		require.NotNil(t, s.tx, "every decoding of the block is still there to take")
	}
	end()
	require.Equal(t, 2*maxKeptDecodings-100-len(block), d.keptCount())

	var g generations[int]
	g = newGenerations[int](10, 100)
	g.put("abcd", 1)
	g.put("efgh", 2)
	_, ok := g.take([]byte("abcd"))
	require.True(t, ok)
	require.Equal(t, 4, g.curBytes)
}

// TestSignerHintsKeepRefusedMarks: filling the hints (signers PreVerify looks up at no cost,
// accounts without a key) empties them, but not the refused marks: a refused signer stays
// refused until CheckTx accepts one of its transactions, or maxSignerHints other signers were
// refused after it (each of them a verification CheckTx refused).
func TestSignerHintsKeepRefusedMarks(t *testing.T) {
	var h signerHints
	s := []byte("refused-signer")
	h.put(s, signerHint{accNum: 7})
	h.setRefused(s, true)
	for i := range maxSignerHints + 1 {
		h.put(fmt.Appendf(nil, "keyless-%d", i), signerHint{accNum: uint64(i)})
	}
	_, known, refused := h.get(s)
	require.False(t, known, "its hint was dropped with the others")
	require.True(t, refused, "its refused mark was not")

	h.setRefused(s, false)
	_, _, refused = h.get(s)
	require.False(t, refused, "accepted again")

	h.setRefused(s, true)
	for i := range 2 * maxSignerHints {
		h.setRefused(fmt.Appendf(nil, "refused-%d", i), true)
	}
	_, _, refused = h.get(s)
	require.False(t, refused, "pushed out by two generations of refused signers")
}

// TestStateReadBudget: at most limit reads per committed height; a higher height starts a new
// count, and a read of an older height (one that started before the last commit) is refused
// without resetting it.
func TestStateReadBudget(t *testing.T) {
	b := stateReadBudget{limit: 2}
	require.True(t, b.take(5))
	require.True(t, b.take(5))
	require.False(t, b.take(5))
	require.True(t, b.take(6))
	require.False(t, b.take(5))
	require.True(t, b.take(6))
	require.False(t, b.take(6))
}
