package auth

import (
	"container/heap"
	"sync"
	"time"
)

// ReplayCache remembers the nonces seen within the timestamp window, bounded in memory and in
// time (an entry is forgotten once its request can no longer be accepted, after which the cache
// refuses the request as stale anyway).
//
// Nonces of requests that were served (Use) are never forgotten early: with max of them live,
// the cache refuses new ones (ErrCacheFull) rather than forget one that could be replayed.
// Nonces of requests that were refused (UseRefused: no access, quota) are kept apart, also at
// most max, and the oldest is forgotten to make room: callers without stake cannot fill the
// cache that served callers need, and a refused request sent again is refused as a replay while
// its nonce is remembered (or judged again on its own if it was forgotten).
type ReplayCache struct {
	mu      sync.Mutex
	max     int
	window  time.Duration
	served  nonceSet
	refused nonceSet
}

// NewReplayCache returns a cache for requests accepted within ±window, holding at most max
// nonces of served requests and max of refused ones.
func NewReplayCache(window time.Duration, max int) *ReplayCache {
	return &ReplayCache{max: max, window: window, served: newNonceSet(), refused: newNonceSet()}
}

// ErrCacheFull is returned when max nonces of served requests are live: the gateway is over the
// request rate it can remember, and refuses rather than forget a nonce that could be replayed.
var ErrCacheFull = fail("replay_cache_full", "too many requests in the timestamp window; retry shortly")

// Check refuses a nonce of address seen before, or a request time ts no longer accepted at now,
// without recording anything (Use and UseRefused record).
func (c *ReplayCache) Check(address, nonce string, ts int64, now time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.expire(now)
	return c.check(address+"/"+nonce, address, nonce, ts, now)
}

// Use records the nonce of a request about to be served, or refuses it when seen before or
// when ts is no longer accepted at now.
func (c *ReplayCache) Use(address, nonce string, ts int64, now time.Time) error {
	key := address + "/" + nonce
	c.mu.Lock()
	defer c.mu.Unlock()
	c.expire(now)
	if err := c.check(key, address, nonce, ts, now); err != nil {
		return err
	}
	if len(c.served.until) >= c.max {
		return ErrCacheFull
	}
	c.served.add(key, c.acceptedUntil(ts))
	return nil
}

// UseRefused records the nonce of a request refused after authentication (no access, quota),
// forgetting the oldest such nonce when max are live. A nonce already recorded stays as it is.
func (c *ReplayCache) UseRefused(address, nonce string, ts int64, now time.Time) {
	key := address + "/" + nonce
	c.mu.Lock()
	defer c.mu.Unlock()
	c.expire(now)
	if c.seen(key) || !now.Before(c.acceptedUntil(ts)) {
		return
	}
	if len(c.refused.until) >= c.max {
		c.refused.popOldest()
	}
	c.refused.add(key, c.acceptedUntil(ts))
}

// acceptedUntil is when a request of time ts stops being accepted: CheckTime compares whole
// seconds, so it accepts ts up to the end of the second ts + window. A nonce is remembered that
// long, and a request is refused from then on (by Check and Use too, which run later than
// CheckTime: after the body arrived).
func (c *ReplayCache) acceptedUntil(ts int64) time.Time {
	return time.Unix(ts, 0).Add(c.window + time.Second)
}

func (c *ReplayCache) seen(key string) bool {
	_, served := c.served.until[key]
	_, refused := c.refused.until[key]
	return served || refused
}

func (c *ReplayCache) check(key, address, nonce string, ts int64, now time.Time) error {
	if !now.Before(c.acceptedUntil(ts)) {
		return fail(ReasonStale, "%s %d is now out of the ±%s window: sign the request again", HeaderTimestamp, ts, c.window)
	}
	if c.seen(key) {
		return fail(ReasonReplay, "nonce %q was already used by %s", nonce, address)
	}
	return nil
}

// Len returns the number of remembered nonces of served requests.
func (c *ReplayCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.served.until)
}

// LenRefused returns the number of remembered nonces of refused requests.
func (c *ReplayCache) LenRefused() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.refused.until)
}

func (c *ReplayCache) expire(now time.Time) {
	c.served.expire(now)
	c.refused.expire(now)
}

// nonceSet is a set of nonce keys, each with the time it may be forgotten, ordered by that time.
type nonceSet struct {
	until  map[string]time.Time
	expiry expiryHeap
}

func newNonceSet() nonceSet { return nonceSet{until: map[string]time.Time{}} }

func (s *nonceSet) add(key string, until time.Time) {
	s.until[key] = until
	heap.Push(&s.expiry, entry{key: key, until: until})
}

func (s *nonceSet) expire(now time.Time) {
	for s.expiry.Len() > 0 && s.expiry[0].until.Before(now) {
		s.popOldest()
	}
}

func (s *nonceSet) popOldest() {
	e := heap.Pop(&s.expiry).(entry)
	delete(s.until, e.key)
}

type entry struct {
	key   string
	until time.Time
}

type expiryHeap []entry

func (h expiryHeap) Len() int           { return len(h) }
func (h expiryHeap) Less(i, j int) bool { return h[i].until.Before(h[j].until) }
func (h expiryHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *expiryHeap) Push(x any)        { *h = append(*h, x.(entry)) }
func (h *expiryHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}
