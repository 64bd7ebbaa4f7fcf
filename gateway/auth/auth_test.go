package auth

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/bech32"
)

func testRequest() Request {
	return Request{
		ChainID: "balanceai-devnet", ListingID: 7, Method: "post",
		Path: "/listings/7/v1/completions?stream=false", Body: []byte(`{"prompt":"hello"}`),
		Timestamp: 1767225600, Nonce: "0123456789abcdef0123456789abcdef",
	}
}

func TestDigestIsCanonical(t *testing.T) {
	got := testRequest().Digest()
	want := "BALANCEAI-GATEWAY-V1\nbalanceai-devnet\n7\nPOST\n/listings/7/v1/completions?stream=false\n" +
		// sha256 of {"prompt":"hello"} (sha256sum)
		"8a44725210b9dcd4fefd9f0eca07b70ae45e69274a3105fb25eb426a2cf8bbf4\n1767225600\n0123456789abcdef0123456789abcdef"
	require.Equal(t, want, got)
	// Every field is bound: changing any one changes the digest.
	base := testRequest()
	for name, edit := range map[string]func(*Request){
		"chain":   func(r *Request) { r.ChainID = "galileo-1" },
		"listing": func(r *Request) { r.ListingID = 8 },
		"method":  func(r *Request) { r.Method = "PUT" },
		"path":    func(r *Request) { r.Path = "/listings/7/v1/completions" },
		"body":    func(r *Request) { r.Body = []byte(`{"prompt":"hellp"}`) },
		"time":    func(r *Request) { r.Timestamp++ },
		"nonce":   func(r *Request) { r.Nonce = "0123456789abcdef0123456789abcdee" },
	} {
		r := base
		edit(&r)
		require.NotEqual(t, base.Digest(), r.Digest(), name)
	}
}

func TestSignBytesIsADR036(t *testing.T) {
	got := string(SignBytes("bai1signer", []byte("hi")))
	require.Equal(t, `{"account_number":"0","chain_id":"","fee":{"amount":[],"gas":"0"},"memo":"",`+
		`"msgs":[{"type":"sign/MsgSignData","value":{"data":"aGk=","signer":"bai1signer"}}],"sequence":"0"}`, got)
}

// sdkSigned signs the request with a key made by the SDK, as `baid gateway call` does.
func sdkSigned(t *testing.T, req Request, key *secp256k1.PrivKey) Signed {
	t.Helper()
	addr, err := bech32.ConvertAndEncode("bai", key.PubKey().Address())
	require.NoError(t, err)
	h := http.Header{}
	require.NoError(t, SignRequest(h, req, addr, func(b []byte) ([]byte, []byte, error) {
		sig, err := key.Sign(b)
		return sig, key.PubKey().Bytes(), err
	}))
	s, err := FromHeaders(h, Request{ChainID: req.ChainID, ListingID: req.ListingID, Method: req.Method, Path: req.Path, Body: req.Body})
	require.NoError(t, err)
	return s
}

func TestVerifySDKSignature(t *testing.T) {
	key := secp256k1.GenPrivKeyFromSecret([]byte("caller"))
	s := sdkSigned(t, testRequest(), key)
	addr, err := s.Verify("bai")
	require.NoError(t, err)
	require.Equal(t, sdk.AccAddress(key.PubKey().Address()), addr)

	require.Equal(t, BodySHA256(s.Body), s.BodyHash, "the body's hash is declared")

	// The same headers on another request fail: another body, or its declared hash.
	moved := s
	moved.Body, moved.BodyHash = []byte(`{"prompt":"other"}`), ""
	_, err = moved.Verify("bai")
	requireReason(t, err, ReasonBadSignature)
	moved = s
	moved.BodyHash = BodySHA256([]byte(`{"prompt":"other"}`))
	_, err = moved.Verify("bai")
	requireReason(t, err, ReasonBadSignature)
	// Without the declared hash, the body's own hash is signed.
	moved = s
	moved.BodyHash = ""
	_, err = moved.Verify("bai")
	require.NoError(t, err)
	moved = s
	moved.ListingID = 8
	_, err = moved.Verify("bai")
	requireReason(t, err, ReasonBadSignature)

	// Another key's public key with this address.
	other := secp256k1.GenPrivKeyFromSecret([]byte("other"))
	swapped := s
	swapped.PubKey = other.PubKey().Bytes()
	_, err = swapped.Verify("bai")
	requireReason(t, err, ReasonKeyMismatch)

	// Another network's prefix.
	_, err = s.Verify("cosmos")
	requireReason(t, err, ReasonMalformed)
}

func requireReason(t *testing.T, err error, reason string) {
	t.Helper()
	var ae *Error
	require.ErrorAs(t, err, &ae)
	require.Equal(t, reason, ae.Reason, ae.Message)
}

func TestFromHeadersRefusesMalformed(t *testing.T) {
	key := secp256k1.GenPrivKeyFromSecret([]byte("caller"))
	h := http.Header{}
	addr, _ := bech32.ConvertAndEncode("bai", key.PubKey().Address())
	require.NoError(t, SignRequest(h, testRequest(), addr, func(b []byte) ([]byte, []byte, error) {
		sig, err := key.Sign(b)
		return sig, key.PubKey().Bytes(), err
	}))
	for name, tc := range map[string]struct {
		header, value, reason string
	}{
		"no signature":      {HeaderSignature, "", ReasonMissing},
		"short key":         {HeaderPubKey, base64.StdEncoding.EncodeToString([]byte("short")), ReasonMalformed},
		"bad base64 sig":    {HeaderSignature, "!!!", ReasonMalformed},
		"bad timestamp":     {HeaderTimestamp, "yesterday", ReasonMalformed},
		"short nonce":       {HeaderNonce, "abc", ReasonMalformed},
		"bad nonce":         {HeaderNonce, "0123456789abcdef0123/56789abcdef", ReasonMalformed},
		"short body hash":   {HeaderBodyHash, "abcd", ReasonMalformed},
		"body hash not hex": {HeaderBodyHash, strings.Repeat("z", 64), ReasonMalformed},
	} {
		hh := h.Clone()
		hh.Set(tc.header, tc.value)
		_, err := FromHeaders(hh, testRequest())
		requireReason(t, err, tc.reason)
		_ = name
	}
}

func TestCheckTime(t *testing.T) {
	now := time.Unix(1767225600, 0)
	require.NoError(t, CheckTime(now.Unix()-60, now, time.Minute))
	require.NoError(t, CheckTime(now.Unix()+60, now, time.Minute))
	requireReason(t, CheckTime(now.Unix()-61, now, time.Minute), ReasonStale)
	requireReason(t, CheckTime(now.Unix()+61, now, time.Minute), ReasonStale)
	// Timestamps whose distance from now overflows a time.Duration are refused too.
	for _, ts := range []int64{1 << 62, math.MaxInt64, math.MinInt64, -(1 << 62)} {
		requireReason(t, CheckTime(ts, now, time.Minute), ReasonStale)
	}
}

func TestCheckNotBefore(t *testing.T) {
	require.NoError(t, CheckNotBefore(100, 0), "no start time: nothing refused")
	require.NoError(t, CheckNotBefore(100, 100))
	requireReason(t, CheckNotBefore(99, 100), ReasonStale)
}

func TestReplayCache(t *testing.T) {
	now := time.Unix(1767225600, 0)
	c := NewReplayCache(time.Minute, 2)
	require.NoError(t, c.Use("bai1a", "nonce-aaaaaaaaaaaaaa", now.Unix(), now))
	requireReason(t, c.Use("bai1a", "nonce-aaaaaaaaaaaaaa", now.Unix(), now), ReasonReplay)
	// The same nonce of another caller is another nonce.
	require.NoError(t, c.Use("bai1b", "nonce-aaaaaaaaaaaaaa", now.Unix(), now))
	// Full: refuses rather than forgets.
	require.ErrorIs(t, c.Use("bai1c", "nonce-cccccccccccccc", now.Unix(), now), ErrCacheFull)
	// CheckTime compares whole seconds: at ts + 60.9 s it still accepts ts, so the nonce is
	// still remembered; from ts + 61 s the request itself is refused as stale.
	edge := now.Add(60*time.Second + 900*time.Millisecond)
	require.NoError(t, CheckTime(now.Unix(), edge, time.Minute))
	requireReason(t, c.Check("bai1a", "nonce-aaaaaaaaaaaaaa", now.Unix(), edge), ReasonReplay)
	requireReason(t, c.Use("bai1a", "nonce-aaaaaaaaaaaaaa", now.Unix(), edge), ReasonReplay)
	requireReason(t, c.Use("bai1a", "nonce-aaaaaaaaaaaaaa", now.Unix(), now.Add(61*time.Second)), ReasonStale)
	requireReason(t, c.Check("bai1d", "nonce-dddddddddddddd", now.Unix(), now.Add(61*time.Second)), ReasonStale)
	// Once the window passed, entries are forgotten (such requests are refused as stale).
	later := now.Add(62 * time.Second)
	require.NoError(t, c.Use("bai1c", "nonce-cccccccccccccc", later.Unix(), later))
	require.Equal(t, 1, c.Len())
	// Check records nothing.
	require.NoError(t, c.Check("bai1e", "nonce-eeeeeeeeeeeeee", later.Unix(), later))
	require.Equal(t, 1, c.Len())
	// A request timestamped ahead of the clock is remembered until its own window ends.
	c2 := NewReplayCache(time.Minute, 10)
	require.NoError(t, c2.Use("bai1a", "nonce-aaaaaaaaaaaaaa", now.Unix()+60, now))
	at := now.Add(120*time.Second + 900*time.Millisecond)
	requireReason(t, c2.Use("bai1a", "nonce-aaaaaaaaaaaaaa", now.Unix()+60, at), ReasonReplay)
}

// TestReplayCacheKeepsRefusedNoncesApart: refused requests' nonces never fill the served ones'
// room; when they are max, the oldest is forgotten; either kind refuses a replay.
func TestReplayCacheKeepsRefusedNoncesApart(t *testing.T) {
	now := time.Unix(1767225600, 0)
	c := NewReplayCache(time.Minute, 2)
	c.UseRefused("bai1a", "nonce-aaaaaaaaaaaaaa", now.Unix(), now)
	c.UseRefused("bai1b", "nonce-bbbbbbbbbbbbbb", now.Unix()+1, now)
	requireReason(t, c.Check("bai1a", "nonce-aaaaaaaaaaaaaa", now.Unix(), now), ReasonReplay)
	requireReason(t, c.Use("bai1a", "nonce-aaaaaaaaaaaaaa", now.Unix(), now), ReasonReplay)
	// A third refused nonce takes the place of the one that would expire first.
	c.UseRefused("bai1c", "nonce-cccccccccccccc", now.Unix()+2, now)
	require.Equal(t, 2, c.LenRefused())
	require.NoError(t, c.Check("bai1a", "nonce-aaaaaaaaaaaaaa", now.Unix(), now), "forgotten: judged again")
	requireReason(t, c.Check("bai1c", "nonce-cccccccccccccc", now.Unix()+2, now), ReasonReplay)
	// Served requests still have all their room.
	require.NoError(t, c.Use("bai1d", "nonce-dddddddddddddd", now.Unix(), now))
	require.NoError(t, c.Use("bai1e", "nonce-eeeeeeeeeeeeee", now.Unix(), now))
	require.ErrorIs(t, c.Use("bai1f", "nonce-ffffffffffffff", now.Unix(), now), ErrCacheFull)
	// A served nonce is not recorded again as refused.
	c.UseRefused("bai1d", "nonce-dddddddddddddd", now.Unix(), now)
	require.Equal(t, 2, c.LenRefused())
	require.Equal(t, 2, c.Len())
}

// adr36Vector is a request signed by client/js's signRequest with CosmJS
// (client/js/test/gateway.test.mjs writes and checks the same file).
type adr36Vector struct {
	Address   string `json:"address"`
	ChainID   string `json:"chain_id"`
	ListingID uint64 `json:"listing_id"`
	Method    string `json:"method"`
	Path      string `json:"path"`
	Body      string `json:"body"`
	Timestamp int64  `json:"timestamp"`
	Nonce     string `json:"nonce"`
	Digest    string `json:"digest"`
	SignBytes string `json:"sign_bytes"`
	PubKey    string `json:"pub_key"`
	Signature string `json:"signature"`
}

func TestVerifyCosmJSSignature(t *testing.T) {
	bz, err := os.ReadFile("testdata/adr36_vector.json")
	require.NoError(t, err, "the CosmJS golden vector (client/js/test/gateway.test.mjs)")
	var v adr36Vector
	require.NoError(t, json.Unmarshal(bz, &v))
	req := Request{ChainID: v.ChainID, ListingID: v.ListingID, Method: v.Method, Path: v.Path, Body: []byte(v.Body)}
	h := http.Header{}
	h.Set(HeaderAddress, v.Address)
	h.Set(HeaderPubKey, v.PubKey)
	h.Set(HeaderSignature, v.Signature)
	h.Set(HeaderTimestamp, "1767225600")
	h.Set(HeaderNonce, v.Nonce)
	require.Equal(t, int64(1767225600), v.Timestamp)
	s, err := FromHeaders(h, req)
	require.NoError(t, err)
	require.Equal(t, v.Digest, s.Digest())
	require.Equal(t, v.SignBytes, string(SignBytes(v.Address, []byte(s.Digest()))))
	_, err = s.Verify("bai")
	require.NoError(t, err)
	s.Body = append(s.Body, ' ')
	_, err = s.Verify("bai")
	requireReason(t, err, ReasonBadSignature)
}
