package app

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/cosmos/gogoproto/proto"
	"github.com/prometheus/client_golang/prometheus"

	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	"github.com/cosmos/cosmos-sdk/crypto/types/multisig"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/auth/ante"
)

// SigCache remembers signatures this node has already verified successfully, so that a
// transaction checked in CheckTx (or ProcessProposal) is not verified again when its block is
// finalized. An entry is the SHA-256 of the key type, public key, sign bytes and signature: any
// other sign mode, account number, sequence, chain id or changed byte gives other sign bytes and
// misses. Only successful verifications are stored; a failed one is verified again every time.
//
// The cache is node-local memory, never state, and it changes no result: a signature scheme's
// verification is a pure function of (key, message, signature), so a hit returns what the
// verification would return, and signature gas is charged by the SigGasConsumeDecorator
// independently of it. Entries are evicted least recently used first beyond the configured size.
type SigCache struct {
	mu    sync.Mutex
	size  int
	index map[sigCacheKey]int32
	slots []sigCacheSlot
	// head is the most recently used slot, tail the least; -1 when empty.
	head, tail int32

	hits, misses atomic.Uint64
	preverified  atomic.Uint64
}

type sigCacheKey [sha256.Size]byte

type sigCacheSlot struct {
	key        sigCacheKey
	prev, next int32
}

// NewSigCache returns an empty cache of at most size entries (size must be positive).
func NewSigCache(size int) *SigCache {
	if size <= 0 {
		panic("signature cache size must be positive")
	}
	if size > MaxSigCacheSize {
		size = MaxSigCacheSize
	}
	registerSigCacheMetrics()
	return &SigCache{size: size, index: make(map[sigCacheKey]int32), head: -1, tail: -1}
}

// Verify reports whether sig is pk's valid signature of msg, from the cache when this exact
// triple verified before, otherwise through pk.VerifySignature (a success is then cached).
func (c *SigCache) Verify(pk cryptotypes.PubKey, msg, sig []byte) bool {
	key := makeSigCacheKey(pk, msg, sig)
	if c.touch(key) {
		c.hits.Add(1)
		sigCacheLookups.hit.Inc()
		return true
	}
	c.misses.Add(1)
	sigCacheLookups.miss.Inc()
	if !pk.VerifySignature(msg, sig) {
		return false
	}
	c.add(key)
	return true
}

// Remember verifies sig and, when it is valid, caches it, unless it is cached already. It is
// PreVerify's entry: it is not a lookup, so it counts in neither hits nor misses. It reports
// whether it verified sig (not when cached already), valid or not.
func (c *SigCache) Remember(pk cryptotypes.PubKey, msg, sig []byte) (verified bool) {
	key := makeSigCacheKey(pk, msg, sig)
	c.mu.Lock()
	_, cached := c.index[key]
	c.mu.Unlock()
	if cached {
		return false
	}
	if !pk.VerifySignature(msg, sig) {
		sigCachePreverified.invalid.Inc()
		return true
	}
	c.add(key)
	c.preverified.Add(1)
	sigCachePreverified.valid.Inc()
	return true
}

// PreVerified returns the number of signatures Remember has verified and cached.
func (c *SigCache) PreVerified() uint64 { return c.preverified.Load() }

// Stats returns the number of hits and misses since the cache was made.
func (c *SigCache) Stats() (hits, misses uint64) {
	return c.hits.Load(), c.misses.Load()
}

// Len returns the number of cached signatures.
func (c *SigCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.index)
}

// makeSigCacheKey hashes the key type, public key, sign bytes and signature, each length-prefixed
// so that no two different triples are encoded alike.
func makeSigCacheKey(pk cryptotypes.PubKey, msg, sig []byte) sigCacheKey {
	h := sha256.New()
	var lenBuf [binary.MaxVarintLen64]byte
	write := func(b []byte) {
		n := binary.PutUvarint(lenBuf[:], uint64(len(b)))
		h.Write(lenBuf[:n])
		h.Write(b)
	}
	write([]byte(pk.Type()))
	write(pk.Bytes())
	write(msg)
	write(sig)
	var key sigCacheKey
	h.Sum(key[:0])
	return key
}

// touch reports whether key is cached and, if so, marks it most recently used.
func (c *SigCache) touch(key sigCacheKey) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	i, ok := c.index[key]
	if ok {
		c.unlink(i)
		c.pushFront(i)
	}
	return ok
}

// add caches key, evicting the least recently used entry when the cache is full.
func (c *SigCache) add(key sigCacheKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if i, ok := c.index[key]; ok {
		c.unlink(i)
		c.pushFront(i)
		return
	}
	var i int32
	if len(c.slots) < c.size {
		if len(c.slots) == cap(c.slots) {
			// Grow by doubling, never past the configured size.
			grown := make([]sigCacheSlot, len(c.slots), min(max(2*cap(c.slots), 1024), c.size))
			copy(grown, c.slots)
			c.slots = grown
		}
		i = int32(len(c.slots))
		c.slots = append(c.slots, sigCacheSlot{})
	} else {
		i = c.tail
		delete(c.index, c.slots[i].key)
		c.unlink(i)
	}
	c.slots[i].key = key
	c.index[key] = i
	c.pushFront(i)
}

func (c *SigCache) unlink(i int32) {
	s := &c.slots[i]
	if s.prev >= 0 {
		c.slots[s.prev].next = s.next
	} else {
		c.head = s.next
	}
	if s.next >= 0 {
		c.slots[s.next].prev = s.prev
	} else {
		c.tail = s.prev
	}
	s.prev, s.next = -1, -1
}

func (c *SigCache) pushFront(i int32) {
	s := &c.slots[i]
	s.prev, s.next = -1, c.head
	if c.head >= 0 {
		c.slots[c.head].prev = i
	}
	c.head = i
	if c.tail < 0 {
		c.tail = i
	}
}

// sigCacheLookups counts cache lookups on the process's default Prometheus registry, which the
// node serves on CometBFT's metrics endpoint (config.toml instrumentation.prometheus) and on the
// API server's /metrics?format=prometheus (app.toml telemetry.enabled).
var sigCacheLookups struct {
	once      sync.Once
	hit, miss prometheus.Counter
}

// sigCachePreverified counts the signatures PreVerify verified before CheckTx, by outcome.
var sigCachePreverified struct {
	valid, invalid prometheus.Counter
}

// SigCachePreverifiedMetricName is the Prometheus counter of signatures verified before
// CheckTx (PreVerify), labelled result="valid" (cached) or result="invalid" (left to CheckTx).
const SigCachePreverifiedMetricName = "balanceai_sig_cache_preverified_total"

// SigCacheMetricName is the Prometheus counter of signature cache lookups, labelled
// result="hit" or result="miss".
const SigCacheMetricName = "balanceai_sig_cache_lookups_total"

func registerSigCacheMetrics() {
	sigCacheLookups.once.Do(func() {
		vec := prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: SigCacheMetricName,
			Help: "Transaction signature verifications answered by the node's verified-signature cache (hit) or verified (miss).",
		}, []string{"result"})
		vec = registerCounterVec(vec)
		sigCacheLookups.hit = vec.WithLabelValues("hit")
		sigCacheLookups.miss = vec.WithLabelValues("miss")
		pre := registerCounterVec(prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: SigCachePreverifiedMetricName,
			Help: "Transaction signatures verified before CheckTx and cached (valid) or left to CheckTx (invalid).",
		}, []string{"result"}))
		sigCachePreverified.valid = pre.WithLabelValues("valid")
		sigCachePreverified.invalid = pre.WithLabelValues("invalid")
	})
}

// registerCounterVec registers vec on the default registry, or returns the one registered
// under its name before.
func registerCounterVec(vec *prometheus.CounterVec) *prometheus.CounterVec {
	if err := prometheus.DefaultRegisterer.Register(vec); err != nil {
		var are prometheus.AlreadyRegisteredError
		if !errors.As(err, &are) {
			panic(err)
		}
		return are.ExistingCollector.(*prometheus.CounterVec)
	}
	return vec
}

// sigCacheAccountKeeper is the account keeper the SDK's SigVerificationDecorator is given when
// the cache is on: the accounts it returns verify signatures through the cache. The wrapped
// accounts exist only for that decorator, which never stores an account.
type sigCacheAccountKeeper struct {
	ante.AccountKeeper
	cache *SigCache
}

// GetAccount returns the stored account, with its public key verifying through the cache.
// Multisig keys are returned as they are (their verification does not go through
// PubKey.VerifySignature).
func (k sigCacheAccountKeeper) GetAccount(ctx context.Context, addr sdk.AccAddress) sdk.AccountI {
	acc := k.AccountKeeper.GetAccount(ctx, addr)
	if acc == nil {
		return nil
	}
	pk := acc.GetPubKey()
	if pk == nil {
		return acc
	}
	if _, ok := pk.(multisig.PubKey); ok {
		return acc
	}
	return sigCacheAccount{AccountI: acc, pubKey: &sigCachePubKey{PubKey: pk, cache: k.cache}}
}

// SetAccount stores the account itself, never its cache wrapper.
func (k sigCacheAccountKeeper) SetAccount(ctx context.Context, acc sdk.AccountI) {
	if w, ok := acc.(sigCacheAccount); ok {
		acc = w.AccountI
	}
	k.AccountKeeper.SetAccount(ctx, acc)
}

type sigCacheAccount struct {
	sdk.AccountI
	pubKey cryptotypes.PubKey
}

func (a sigCacheAccount) GetPubKey() cryptotypes.PubKey { return a.pubKey }

// sigCachePubKey is a public key whose VerifySignature consults the cache. It encodes, names and
// compares exactly as the key it wraps, so the signer data the SDK derives from it (the key as
// an Any, for SIGN_MODE_TEXTUAL) is unchanged.
type sigCachePubKey struct {
	cryptotypes.PubKey
	cache *SigCache
}

func (pk *sigCachePubKey) VerifySignature(msg, sig []byte) bool {
	return pk.cache.Verify(pk.PubKey, msg, sig)
}

// XXX_MessageName gives the wrapped key's protobuf name (used for its Any type URL).
func (pk *sigCachePubKey) XXX_MessageName() string { return proto.MessageName(pk.PubKey) }

// Marshal gives the wrapped key's protobuf encoding (used for its Any value).
func (pk *sigCachePubKey) Marshal() ([]byte, error) { return proto.Marshal(pk.PubKey) }

func (pk *sigCachePubKey) Equals(other cryptotypes.PubKey) bool {
	if w, ok := other.(*sigCachePubKey); ok {
		other = w.PubKey
	}
	return pk.PubKey.Equals(other)
}
