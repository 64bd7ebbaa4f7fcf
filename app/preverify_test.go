package app

import (
	"errors"
	"testing"

	abcicli "github.com/cometbft/cometbft/abci/client"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// PendingTxHandoffs returns the number of decodings waiting for their CheckTx.
func (app *App) PendingTxHandoffs() int { return int(app.txHandoff.n.Load()) }

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

// A decoding is handed to the next decoding of the same bytes, once; other bytes, and the same
// bytes a second time, are decoded.
func TestTxHandoffHandsOutOnce(t *testing.T) {
	var h txHandoff
	var d countingDecoder
	decode := h.decoder(d.decode)

	pre, err := d.decode([]byte("a"))
	require.NoError(t, err)
	h.put([]byte("a"), pre)
	require.EqualValues(t, 1, h.n.Load())

	other, err := decode([]byte("b"))
	require.NoError(t, err)
	require.NotSame(t, pre, other)
	require.Equal(t, 2, d.calls)

	got, err := decode([]byte("a"))
	require.NoError(t, err)
	require.Same(t, pre, got, "the handed-off decoding")
	require.Equal(t, 2, d.calls, "not decoded again")
	require.Zero(t, h.n.Load())

	again, err := decode([]byte("a"))
	require.NoError(t, err)
	require.NotSame(t, pre, again, "handed out only once")
	require.Equal(t, 3, d.calls)

	_, err = decode([]byte("bad"))
	require.Error(t, err)

	// drop removes an entry nobody took; dropping nothing is harmless.
	h.put([]byte("c"), pre)
	h.drop([]byte("c"))
	h.drop([]byte("c"))
	require.Zero(t, h.n.Load())
	got, err = decode([]byte("c"))
	require.NoError(t, err)
	require.NotSame(t, pre, got)
}

// Entries left behind (a PreVerify with no CheckTx) never pile up beyond maxTxHandoffs.
func TestTxHandoffBounded(t *testing.T) {
	var h txHandoff
	for i := 0; i < 3*maxTxHandoffs; i++ {
		h.put([]byte{byte(i), byte(i >> 8), byte(i >> 16)}, &fakeTx{})
		require.LessOrEqual(t, int(h.n.Load()), maxTxHandoffs)
	}
}
