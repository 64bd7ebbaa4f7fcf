// Package auth authenticates the callers of a BalanceAI AI node. A caller signs a canonical
// digest of its HTTP request with ADR-036 (`signArbitrary` in Keplr and CosmJS: an amino-JSON
// sign doc holding one `sign/MsgSignData`, empty chain id, zero fee), and sends the signature,
// its public key and address, a timestamp and a nonce in headers. The digest binds the listing,
// the chain, the method, the path and the body, so a signature cannot be moved to another
// request, listing or network; the timestamp window and the nonce cache stop replays.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/bech32"
)

// Header names of a signed request.
const (
	HeaderAddress   = "X-BAI-Address"
	HeaderPubKey    = "X-BAI-PubKey"
	HeaderSignature = "X-BAI-Signature"
	HeaderTimestamp = "X-BAI-Timestamp"
	HeaderNonce     = "X-BAI-Nonce"
	// HeaderBodyHash, optional, is the lower-case hex SHA-256 of the body, the digest's line
	// that covers it: a caller that sends it is authenticated before its body is read.
	HeaderBodyHash = "X-BAI-Body-SHA256"
)

// DigestVersion is the first line of every canonical request digest.
const DigestVersion = "BALANCEAI-GATEWAY-V1"

// Nonce rules: 16 to 64 characters of [A-Za-z0-9_-].
const (
	MinNonceLength = 16
	MaxNonceLength = 64
)

// Request is what a caller signs.
type Request struct {
	ChainID   string
	ListingID uint64
	Method    string
	// Path is the request path and query exactly as sent to the gateway (for example
	// "/listings/7/v1/chat/completions?stream=false").
	Path string
	Body []byte
	// BodyHash, when set, is the hex SHA-256 of Body the digest carries instead of hashing
	// Body (the hash a caller declared in HeaderBodyHash, before its body is read).
	BodyHash  string
	Timestamp int64
	Nonce     string
}

// bodyHash is the body's hash the digest carries: BodyHash when declared, else Body's.
func (r Request) bodyHash() string {
	if r.BodyHash != "" {
		return r.BodyHash
	}
	return BodySHA256(r.Body)
}

// BodySHA256 returns the lower-case hex SHA-256 of body, as the digest and HeaderBodyHash
// carry it.
func BodySHA256(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// Digest returns the canonical request digest, the UTF-8 text a caller signs:
//
//	BALANCEAI-GATEWAY-V1\n<chain_id>\n<listing_id>\n<METHOD>\n<path>\n<hex sha256(body)>\n<timestamp>\n<nonce>
func (r Request) Digest() string {
	return strings.Join([]string{
		DigestVersion,
		r.ChainID,
		strconv.FormatUint(r.ListingID, 10),
		strings.ToUpper(r.Method),
		r.Path,
		r.bodyHash(),
		strconv.FormatInt(r.Timestamp, 10),
		r.Nonce,
	}, "\n")
}

// SignBytes returns the ADR-036 amino-JSON sign doc of data signed by signer (a bech32
// address): the bytes Keplr's signArbitrary and CosmJS's makeADR36AminoSignDoc sign.
func SignBytes(signer string, data []byte) []byte {
	type msgValue struct {
		Data   string `json:"data"`
		Signer string `json:"signer"`
	}
	type msg struct {
		Type  string   `json:"type"`
		Value msgValue `json:"value"`
	}
	type fee struct {
		Amount []any  `json:"amount"`
		Gas    string `json:"gas"`
	}
	doc := struct {
		AccountNumber string `json:"account_number"`
		ChainID       string `json:"chain_id"`
		Fee           fee    `json:"fee"`
		Memo          string `json:"memo"`
		Msgs          []msg  `json:"msgs"`
		Sequence      string `json:"sequence"`
	}{
		AccountNumber: "0",
		Fee:           fee{Amount: []any{}, Gas: "0"},
		Msgs: []msg{{Type: "sign/MsgSignData", Value: msgValue{
			Data: base64.StdEncoding.EncodeToString(data), Signer: signer,
		}}},
		Sequence: "0",
	}
	bz, err := json.Marshal(doc)
	if err != nil {
		panic(err) // plain strings only: cannot fail
	}
	return sdk.MustSortJSON(bz)
}

// Signed is a request with the caller's credentials, as read from the headers.
type Signed struct {
	Request
	Address   string
	PubKey    []byte // compressed secp256k1, 33 bytes
	Signature []byte // r || s, 64 bytes
}

// Error is an authentication failure; Reason is a stable machine-readable word.
type Error struct {
	Reason  string
	Message string
}

func (e *Error) Error() string { return e.Message }

func fail(reason, format string, args ...any) *Error {
	return &Error{Reason: reason, Message: fmt.Sprintf(format, args...)}
}

// Failure reasons.
const (
	ReasonMissing      = "missing_credentials"
	ReasonMalformed    = "malformed_credentials"
	ReasonKeyMismatch  = "key_address_mismatch"
	ReasonBadSignature = "bad_signature"
	ReasonStale        = "stale_timestamp"
	ReasonReplay       = "replayed_nonce"
)

// FromHeaders reads the credentials of a request; the rest of Request comes from the caller.
func FromHeaders(h http.Header, req Request) (Signed, error) {
	s := Signed{Request: req}
	addr, pk, sig := h.Get(HeaderAddress), h.Get(HeaderPubKey), h.Get(HeaderSignature)
	ts, nonce := h.Get(HeaderTimestamp), h.Get(HeaderNonce)
	if addr == "" || pk == "" || sig == "" || ts == "" || nonce == "" {
		return s, fail(ReasonMissing, "a signed request needs the headers %s, %s, %s, %s and %s",
			HeaderAddress, HeaderPubKey, HeaderSignature, HeaderTimestamp, HeaderNonce)
	}
	var err error
	if s.PubKey, err = base64.StdEncoding.DecodeString(pk); err != nil || len(s.PubKey) != secp256k1.PubKeySize {
		return s, fail(ReasonMalformed, "%s must be the base64 of a 33-byte compressed secp256k1 public key", HeaderPubKey)
	}
	if s.Signature, err = base64.StdEncoding.DecodeString(sig); err != nil || len(s.Signature) != 64 {
		return s, fail(ReasonMalformed, "%s must be the base64 of a 64-byte secp256k1 signature (r || s)", HeaderSignature)
	}
	if s.Timestamp, err = strconv.ParseInt(ts, 10, 64); err != nil {
		return s, fail(ReasonMalformed, "%s must be unix seconds, got %q", HeaderTimestamp, ts)
	}
	if err := ValidNonce(nonce); err != nil {
		return s, fail(ReasonMalformed, "%s %v", HeaderNonce, err)
	}
	if bh := h.Get(HeaderBodyHash); bh != "" {
		if b, err := hex.DecodeString(bh); err != nil || len(b) != sha256.Size {
			return s, fail(ReasonMalformed, "%s must be the hex SHA-256 (64 digits) of the body", HeaderBodyHash)
		}
		s.BodyHash = strings.ToLower(bh)
	}
	s.Nonce = nonce
	s.Address = addr
	return s, nil
}

// ValidNonce checks the nonce alphabet and length.
func ValidNonce(n string) error {
	if len(n) < MinNonceLength || len(n) > MaxNonceLength {
		return fmt.Errorf("must be %d to %d characters, got %d", MinNonceLength, MaxNonceLength, len(n))
	}
	for _, c := range n {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return errors.New("may only hold letters, digits, '-' and '_'")
		}
	}
	return nil
}

// Verify checks the signature of s: the public key must hash to the address (under the given
// bech32 prefix) and sign the ADR-036 doc of the request digest. It returns the caller's
// account address.
func (s Signed) Verify(bech32Prefix string) (sdk.AccAddress, error) {
	hrp, addrBz, err := bech32.DecodeAndConvert(s.Address)
	if err != nil || hrp != bech32Prefix {
		return nil, fail(ReasonMalformed, "%s %q is not a %s1... account address", HeaderAddress, s.Address, bech32Prefix)
	}
	pub := &secp256k1.PubKey{Key: s.PubKey}
	if !sdk.AccAddress(pub.Address()).Equals(sdk.AccAddress(addrBz)) {
		return nil, fail(ReasonKeyMismatch, "the public key in %s does not belong to %s", HeaderPubKey, s.Address)
	}
	if !pub.VerifySignature(SignBytes(s.Address, []byte(s.Digest())), s.Signature) {
		return nil, fail(ReasonBadSignature, "the signature does not match the request (listing, chain, method, path, body, timestamp, nonce)")
	}
	return sdk.AccAddress(addrBz), nil
}

// CheckTime refuses a timestamp further than window from now. It compares seconds, so a
// timestamp whose distance from now does not fit a time.Duration (about 292 years) is refused
// like any other far one.
func CheckTime(ts int64, now time.Time, window time.Duration) error {
	w := int64(window / time.Second)
	n := now.Unix()
	if ts < n-w || ts > n+w {
		return fail(ReasonStale, "%s %d is %s from the gateway's clock (%d); the window is ±%s",
			HeaderTimestamp, ts, distance(ts, n), n, window)
	}
	return nil
}

// CheckNotBefore refuses a timestamp before notBefore (unix seconds; 0: none), when the node
// started: the nonces of earlier requests were forgotten with the previous run, so such a
// request could be a replay of one already served.
func CheckNotBefore(ts, notBefore int64) error {
	if notBefore > 0 && ts < notBefore {
		return fail(ReasonStale, "%s %d is before this node started (%d): sign the request again",
			HeaderTimestamp, ts, notBefore)
	}
	return nil
}

// distance describes how far timestamp ts is from now n, both in seconds.
func distance(ts, n int64) string {
	d := new(big.Int).Sub(big.NewInt(ts), big.NewInt(n))
	dir := "ahead of"
	if d.Sign() < 0 {
		dir, d = "behind", d.Neg(d)
	}
	return d.String() + " s " + dir
}

// Signer signs bytes as a Cosmos key does (secp256k1 over sha256 of the bytes) and returns the
// signature and the compressed public key; a keyring's Sign fits.
type Signer func(signBytes []byte) (signature, pubKey []byte, err error)

// SignRequest signs the request for the account address and sets the five credential headers
// on h, and HeaderBodyHash, with which the gateway checks the signature and the caller's access
// before it reads the body.
func SignRequest(h http.Header, req Request, address string, sign Signer) error {
	sig, pub, err := sign(SignBytes(address, []byte(req.Digest())))
	if err != nil {
		return err
	}
	h.Set(HeaderAddress, address)
	h.Set(HeaderPubKey, base64.StdEncoding.EncodeToString(pub))
	h.Set(HeaderSignature, base64.StdEncoding.EncodeToString(sig))
	h.Set(HeaderTimestamp, strconv.FormatInt(req.Timestamp, 10))
	h.Set(HeaderNonce, req.Nonce)
	h.Set(HeaderBodyHash, req.bodyHash())
	return nil
}

// NewNonce returns a random 32-character nonce.
func NewNonce() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b[:])
}
