package app

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"github.com/cosmos/cosmos-sdk/runtime"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/auth/ante"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
)

// DecodingAccountKeeper returns the account keeper the ante decorators are given, over its own
// decodings of at most 2 × perGeneration accounts.
func DecodingAccountKeeper(app *App, perGeneration int) (ante.AccountKeeper, *AccountDecodings) {
	d := NewAccountDecodings(perGeneration)
	return newDecodingAccountKeeper(app.AccountKeeper, runtime.NewKVStoreService(app.GetKey(authtypes.StoreKey)), d), d
}

// SetAnteWithoutAccountDecodings gives the app the ante handler it would have without
// AccountDecodings; it must run before the app is loaded.
func (app *App) SetAnteWithoutAccountDecodings() {
	h, err := NewAnteHandler(HandlerOptions{
		AccountKeeper:   app.AccountKeeper,
		BankKeeper:      app.BankKeeper,
		FeegrantKeeper:  app.FeeGrantKeeper,
		SignModeHandler: app.txConfig.SignModeHandler(),
		FeeDenom:        BondDenom,
		SigCache:        app.sigCache,
		StartBlock:      app.startBlockTime,
	})
	if err != nil {
		panic(err)
	}
	app.SetAnteHandler(h)
	app.accountDecodings = nil
}

func baseAccount(seq uint64) *authtypes.BaseAccount {
	pk := secp256k1.GenPrivKeyFromSecret([]byte("decodings")).PubKey()
	acc := authtypes.NewBaseAccount(sdk.AccAddress(pk.Address()), pk, 7, seq)
	return acc
}

// Each read gets its own copy: changing what one read returned changes neither what is
// remembered nor what the next read returns.
func TestAccountDecodingsHandOutCopies(t *testing.T) {
	d := NewAccountDecodings(4)
	d.put([]byte("a"), baseAccount(1))
	got, ok := d.get([]byte("a"))
	require.True(t, ok)
	require.NoError(t, got.SetSequence(99))
	require.NoError(t, got.SetPubKey(nil))
	again, ok := d.get([]byte("a"))
	require.True(t, ok)
	require.Equal(t, uint64(1), again.GetSequence())
	require.NotNil(t, again.GetPubKey())
	require.Equal(t, baseAccount(1), again)
	third, _ := d.get([]byte("a"))
	require.NotSame(t, again.PubKey, third.PubKey, "each read has its own key Any")
	require.Same(t, again.GetPubKey(), third.GetPubKey(), "and shares the key itself")
	_, ok = d.get([]byte("b"))
	require.False(t, ok)
	hits, misses := d.Stats()
	require.Equal(t, [2]uint64{3, 1}, [2]uint64{hits, misses})
}

// At most two generations are kept; a decoding read from the older generation moves to the
// current one and so outlives the others of its generation.
func TestAccountDecodingsBounded(t *testing.T) {
	d := NewAccountDecodings(3)
	for i := 0; i < 100; i++ {
		d.put([]byte{byte(i)}, baseAccount(uint64(i)))
		require.LessOrEqual(t, d.Len(), 6)
	}
	// Generations now: old = 96..98, current = 99.
	_, ok := d.get([]byte{95})
	require.False(t, ok, "two generations back is forgotten")
	_, ok = d.get([]byte{96})
	require.True(t, ok, "the old generation is still read")
	d.put([]byte{100}, baseAccount(100))
	d.put([]byte{101}, baseAccount(101)) // current was 99, 96, 100: full, so it became the old one
	d.put([]byte{102}, baseAccount(102))
	_, ok = d.get([]byte{96})
	require.True(t, ok, "read from the old generation, it moved to the current one")
	_, ok = d.get([]byte{97})
	require.False(t, ok, "not read, it was dropped with its generation")
	require.LessOrEqual(t, d.Len(), 6)
}

// Reads from several goroutines at once (gRPC simulations run the ante handler beside CheckTx)
// each get their own copy to change; go test -race finds nothing here.
func TestAccountDecodingsConcurrentReaders(t *testing.T) {
	d := NewAccountDecodings(8)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				key := []byte{byte(i % 20)}
				acc, ok := d.get(key)
				if !ok {
					d.put(key, baseAccount(uint64(i%20)))
					continue
				}
				if acc.GetSequence() != uint64(i%20) || acc.GetPubKey() == nil {
					t.Errorf("goroutine %d read %d: sequence %d", g, i, acc.GetSequence())
					return
				}
				_ = acc.SetSequence(uint64(1000 + g))
			}
		}(g)
	}
	wg.Wait()
	hits, misses := d.Stats()
	require.Equal(t, uint64(8*500), hits+misses)
	require.NotZero(t, hits)
}
