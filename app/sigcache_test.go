package app

import (
	"context"
	"encoding/binary"
	"runtime"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/crypto/keys/ed25519"
	kmultisig "github.com/cosmos/cosmos-sdk/crypto/keys/multisig"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256r1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/auth/ante"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
)

func signed(t *testing.T, secret, msg string) (cryptotypes.PubKey, []byte, []byte) {
	t.Helper()
	priv := secp256k1.GenPrivKeyFromSecret([]byte(secret))
	sig, err := priv.Sign([]byte(msg))
	require.NoError(t, err)
	return priv.PubKey(), []byte(msg), sig
}

func TestSigCacheHitAfterSuccess(t *testing.T) {
	c := NewSigCache(10)
	pk, msg, sig := signed(t, "alice", "sign bytes")

	require.True(t, c.Verify(pk, msg, sig))
	hits, misses := c.Stats()
	require.Equal(t, [2]uint64{0, 1}, [2]uint64{hits, misses})
	require.Equal(t, 1, c.Len())

	require.True(t, c.Verify(pk, msg, sig))
	hits, misses = c.Stats()
	require.Equal(t, [2]uint64{1, 1}, [2]uint64{hits, misses})
	require.Equal(t, 1, c.Len())
}

func TestSigCacheNeverCachesFailures(t *testing.T) {
	c := NewSigCache(10)
	pk, msg, sig := signed(t, "alice", "sign bytes")
	bad := append([]byte{}, sig...)
	bad[10] ^= 0x01

	for i := 0; i < 3; i++ {
		require.False(t, c.Verify(pk, msg, bad))
	}
	hits, misses := c.Stats()
	require.Zero(t, hits)
	require.Equal(t, uint64(3), misses)
	require.Zero(t, c.Len())

	// A failure does not shadow the valid signature either.
	require.True(t, c.Verify(pk, msg, sig))
	require.False(t, c.Verify(pk, msg, bad))
	require.Equal(t, 1, c.Len())
}

func TestSigCacheChangedByteMisses(t *testing.T) {
	c := NewSigCache(10)
	pk, msg, sig := signed(t, "alice", "sign bytes")
	require.True(t, c.Verify(pk, msg, sig))

	// Every byte of the sign bytes, the signature and the public key is part of the key.
	for i := range msg {
		m := append([]byte{}, msg...)
		m[i] ^= 0x01
		require.NotEqual(t, makeSigCacheKey(pk, msg, sig), makeSigCacheKey(pk, m, sig))
		require.False(t, c.Verify(pk, m, sig), "byte %d of the message", i)
	}
	for i := range sig {
		s := append([]byte{}, sig...)
		s[i] ^= 0x01
		require.NotEqual(t, makeSigCacheKey(pk, msg, sig), makeSigCacheKey(pk, msg, s))
		require.False(t, c.Verify(pk, msg, s), "byte %d of the signature", i)
	}
	other, _, _ := signed(t, "bob", "sign bytes")
	require.NotEqual(t, makeSigCacheKey(pk, msg, sig), makeSigCacheKey(other, msg, sig))
	require.False(t, c.Verify(other, msg, sig))

	// Moving a byte between the fields changes the key (the fields are length-prefixed).
	require.NotEqual(t, makeSigCacheKey(pk, []byte("ab"), []byte("c")), makeSigCacheKey(pk, []byte("a"), []byte("bc")))

	hits, misses := c.Stats()
	require.Zero(t, hits)
	require.Equal(t, uint64(1+len(msg)+len(sig)+1), misses)
	require.Equal(t, 1, c.Len())
}

func TestSigCacheKeyIncludesKeyType(t *testing.T) {
	// An ed25519 and a secp256k1 key with the same bytes are different keys.
	raw := make([]byte, 32)
	edKey := &ed25519.PubKey{Key: raw}
	secpKey := &secp256k1.PubKey{Key: raw}
	require.NotEqual(t, makeSigCacheKey(edKey, []byte("m"), []byte("s")), makeSigCacheKey(secpKey, []byte("m"), []byte("s")))
}

func TestSigCacheEvictsLeastRecentlyUsed(t *testing.T) {
	c := NewSigCache(3)
	var pks []cryptotypes.PubKey
	var msgs, sigs [][]byte
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		pk, msg, sig := signed(t, name, "msg "+name)
		pks, msgs, sigs = append(pks, pk), append(msgs, msg), append(sigs, sig)
	}
	cached := func(i int) bool {
		return c.touch(makeSigCacheKey(pks[i], msgs[i], sigs[i]))
	}
	for i := 0; i < 3; i++ {
		require.True(t, c.Verify(pks[i], msgs[i], sigs[i]))
	}
	require.Equal(t, 3, c.Len())
	// a is used again, so b is now the least recently used and goes when d comes in.
	require.True(t, cached(0))
	require.True(t, c.Verify(pks[3], msgs[3], sigs[3]))
	require.Equal(t, 3, c.Len())
	require.False(t, cached(1))
	require.True(t, cached(2))
	require.True(t, cached(0))
	require.True(t, cached(3))
	// Order is now d, a, c (c least recent... touched before a and d): e evicts c.
	require.True(t, c.Verify(pks[4], msgs[4], sigs[4]))
	require.False(t, cached(2))
	require.True(t, cached(0))
	require.True(t, cached(3))
	require.True(t, cached(4))
	require.Equal(t, 3, c.Len())
	require.Len(t, c.slots, 3)

	// An evicted signature is verified again and cached again.
	_, missesBefore := c.Stats()
	require.True(t, c.Verify(pks[1], msgs[1], sigs[1]))
	_, missesAfter := c.Stats()
	require.Equal(t, missesBefore+1, missesAfter)
	require.True(t, cached(1))
	require.Equal(t, 3, c.Len())
}

func TestSigCacheSizeOne(t *testing.T) {
	c := NewSigCache(1)
	pkA, msgA, sigA := signed(t, "a", "x")
	pkB, msgB, sigB := signed(t, "b", "y")
	require.True(t, c.Verify(pkA, msgA, sigA))
	require.True(t, c.Verify(pkB, msgB, sigB))
	require.True(t, c.Verify(pkA, msgA, sigA))
	hits, misses := c.Stats()
	require.Equal(t, [2]uint64{0, 3}, [2]uint64{hits, misses})
	require.True(t, c.Verify(pkA, msgA, sigA))
	hits, _ = c.Stats()
	require.Equal(t, uint64(1), hits)
	require.Equal(t, 1, c.Len())
}

// The wrapper the signature verification decorator sees must encode exactly as the stored key:
// the SDK puts it, as an Any, in the signer data of SIGN_MODE_TEXTUAL.
func TestSigCachePubKeyEncodesAsWrappedKey(t *testing.T) {
	c := NewSigCache(10)
	keys := []cryptotypes.PubKey{
		secp256k1.GenPrivKeyFromSecret([]byte("k")).PubKey(),
		ed25519.GenPrivKeyFromSecret([]byte("k")).PubKey(),
	}
	r1, err := secp256r1.GenPrivKey()
	require.NoError(t, err)
	keys = append(keys, r1.PubKey())
	for _, pk := range keys {
		w := &sigCachePubKey{PubKey: pk, cache: c}
		want, err := codectypes.NewAnyWithValue(pk)
		require.NoError(t, err)
		got, err := codectypes.NewAnyWithValue(w)
		require.NoError(t, err)
		require.Equal(t, want.TypeUrl, got.TypeUrl)
		require.Equal(t, want.Value, got.Value)
		require.True(t, w.Equals(pk))
		require.True(t, w.Equals(&sigCachePubKey{PubKey: pk, cache: c}))
		require.Equal(t, pk.Address(), w.Address())
		require.Equal(t, pk.Bytes(), w.Bytes())
		require.Equal(t, pk.Type(), w.Type())
	}
}

type fakeAccounts struct {
	ante.AccountKeeper
	accs map[string]sdk.AccountI
	set  []sdk.AccountI
}

func (f *fakeAccounts) GetAccount(_ context.Context, addr sdk.AccAddress) sdk.AccountI {
	if acc, ok := f.accs[string(addr)]; ok {
		return acc
	}
	return nil
}

func (f *fakeAccounts) SetAccount(_ context.Context, acc sdk.AccountI) { f.set = append(f.set, acc) }

func TestSigCacheAccountKeeper(t *testing.T) {
	c := NewSigCache(10)
	priv := secp256k1.GenPrivKeyFromSecret([]byte("single"))
	single := authtypes.NewBaseAccount(sdk.AccAddress(priv.PubKey().Address()), priv.PubKey(), 7, 3)
	noKey := authtypes.NewBaseAccount(sdk.AccAddress("no-key-account______"), nil, 8, 0)
	multiKey := kmultisig.NewLegacyAminoPubKey(1, []cryptotypes.PubKey{
		secp256k1.GenPrivKeyFromSecret([]byte("m1")).PubKey(),
		secp256k1.GenPrivKeyFromSecret([]byte("m2")).PubKey(),
	})
	multi := authtypes.NewBaseAccount(sdk.AccAddress(multiKey.Address()), multiKey, 9, 0)
	fake := &fakeAccounts{accs: map[string]sdk.AccountI{
		string(single.GetAddress()): single, string(noKey.GetAddress()): noKey, string(multi.GetAddress()): multi,
	}}
	k := sigCacheAccountKeeper{AccountKeeper: fake, cache: c}
	ctx := context.Background()

	require.Nil(t, k.GetAccount(ctx, sdk.AccAddress("missing-account_____")))
	require.Same(t, noKey, k.GetAccount(ctx, noKey.GetAddress()))
	require.Same(t, multi, k.GetAccount(ctx, multi.GetAddress()))

	got := k.GetAccount(ctx, single.GetAddress())
	require.IsType(t, &sigCachePubKey{}, got.GetPubKey())
	require.Equal(t, single.GetAddress(), got.GetAddress())
	require.Equal(t, uint64(7), got.GetAccountNumber())
	require.Equal(t, uint64(3), got.GetSequence())

	sig, err := priv.Sign([]byte("tx"))
	require.NoError(t, err)
	require.True(t, got.GetPubKey().VerifySignature([]byte("tx"), sig))
	require.True(t, got.GetPubKey().VerifySignature([]byte("tx"), sig))
	hits, misses := c.Stats()
	require.Equal(t, [2]uint64{1, 1}, [2]uint64{hits, misses})

	// The wrapper is never what gets stored.
	k.SetAccount(ctx, got)
	require.Len(t, fake.set, 1)
	require.Same(t, single, fake.set[0])
}

func counterValue(t *testing.T, result string) float64 {
	t.Helper()
	families, err := prometheus.DefaultGatherer.Gather()
	require.NoError(t, err)
	for _, f := range families {
		if f.GetName() != SigCacheMetricName {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "result" && l.GetValue() == result {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	t.Fatalf("metric %s{result=%q} is not registered", SigCacheMetricName, result)
	return 0
}

func TestSigCachePrometheusCounter(t *testing.T) {
	c := NewSigCache(10)
	NewSigCache(5) // a second cache in the process shares the registered counter
	pk, msg, sig := signed(t, "alice", "counted")
	hit0, miss0 := counterValue(t, "hit"), counterValue(t, "miss")
	require.True(t, c.Verify(pk, msg, sig))
	require.True(t, c.Verify(pk, msg, sig))
	require.True(t, c.Verify(pk, msg, sig))
	require.False(t, c.Verify(pk, []byte("other"), sig))
	require.Equal(t, hit0+2, counterValue(t, "hit"))
	require.Equal(t, miss0+2, counterValue(t, "miss"))
}

func TestSigCacheConfigFromAppOptions(t *testing.T) {
	cfg, err := SigCacheConfigFromAppOptions(simtestutil.AppOptionsMap{})
	require.NoError(t, err)
	require.Equal(t, SigCacheConfig{Enable: true, Size: DefaultSigCacheSize}, cfg)
	cache, err := NewSigCacheFromAppOptions(simtestutil.AppOptionsMap{})
	require.NoError(t, err)
	require.NotNil(t, cache)
	require.Equal(t, DefaultSigCacheSize, cache.size)

	cache, err = NewSigCacheFromAppOptions(simtestutil.AppOptionsMap{FlagSigCacheEnable: false})
	require.NoError(t, err)
	require.Nil(t, cache)
	// Values read from app.toml by viper may be strings.
	cache, err = NewSigCacheFromAppOptions(simtestutil.AppOptionsMap{FlagSigCacheEnable: "false"})
	require.NoError(t, err)
	require.Nil(t, cache)

	cache, err = NewSigCacheFromAppOptions(simtestutil.AppOptionsMap{FlagSigCacheSize: int64(42)})
	require.NoError(t, err)
	require.Equal(t, 42, cache.size)

	for _, bad := range []simtestutil.AppOptionsMap{
		{FlagSigCacheSize: 0},
		{FlagSigCacheSize: -1},
		{FlagSigCacheSize: MaxSigCacheSize + 1},
		{FlagSigCacheSize: "lots"},
		{FlagSigCacheEnable: "maybe"},
	} {
		_, err := NewSigCacheFromAppOptions(bad)
		require.Error(t, err, "%v", bad)
		require.Contains(t, err.Error(), "sig-cache.")
	}
	// A size is not checked when the cache is off.
	cache, err = NewSigCacheFromAppOptions(simtestutil.AppOptionsMap{FlagSigCacheEnable: false, FlagSigCacheSize: 0})
	require.NoError(t, err)
	require.Nil(t, cache)
}

// The cache's memory is bounded by its size: filling it far past capacity keeps size entries,
// at about 100 bytes each (this is what sig-cache.size is documented to cost).
func TestSigCacheMemoryBounded(t *testing.T) {
	const size = DefaultSigCacheSize
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c := NewSigCache(size)
	for i := 0; i < 4*size; i++ {
		var key sigCacheKey
		binary.BigEndian.PutUint64(key[:], uint64(i))
		c.add(key)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	require.Equal(t, size, c.Len())
	require.Len(t, c.slots, size)
	require.Equal(t, size, cap(c.slots))
	perEntry := float64(after.HeapAlloc-before.HeapAlloc) / size
	t.Logf("%.0f bytes per entry", perEntry)
	require.Less(t, perEntry, 200.0)
	// The most recent entries are the ones kept.
	var last, first sigCacheKey
	binary.BigEndian.PutUint64(last[:], uint64(4*size-1))
	require.True(t, c.touch(last))
	require.False(t, c.touch(first))
	runtime.KeepAlive(c)
}
