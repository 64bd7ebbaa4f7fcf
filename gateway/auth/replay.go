package auth

import (
	"container/heap"
	"sync"
	"time"
)

// ReplayCache remembers the nonces seen within the timestamp window, bounded in memory (at most
// max entries) and in time (an entry is forgotten once its request's timestamp falls out of the
// window, after which the cache refuses the request as stale anyway).
type ReplayCache struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	seen   map[string]time.Time
	expiry expiryHeap
}

// NewReplayCache returns a cache for requests accepted within ±window, holding at most max
// nonces.
func NewReplayCache(window time.Duration, max int) *ReplayCache {
	return &ReplayCache{max: max, window: window, seen: make(map[string]time.Time)}
}

// ErrCacheFull is returned when max nonces are live: the gateway is over the request rate it
// can remember, and refuses rather than forget a nonce that could be replayed.
var ErrCacheFull = fail("replay_cache_full", "too many requests in the timestamp window; retry shortly")

// Check refuses a nonce of address seen before, or a request time ts no longer accepted at now,
// without recording anything (Use records).
func (c *ReplayCache) Check(address, nonce string, ts int64, now time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.expire(now)
	return c.check(address+"/"+nonce, address, nonce, ts, now)
}

// Use records the nonce of address at request time ts, or refuses it when seen before or when
// ts is no longer accepted at now.
func (c *ReplayCache) Use(address, nonce string, ts int64, now time.Time) error {
	key := address + "/" + nonce
	c.mu.Lock()
	defer c.mu.Unlock()
	c.expire(now)
	if err := c.check(key, address, nonce, ts, now); err != nil {
		return err
	}
	if len(c.seen) >= c.max {
		return ErrCacheFull
	}
	// Kept until the request can no longer be accepted (see acceptedUntil).
	until := c.acceptedUntil(ts)
	c.seen[key] = until
	heap.Push(&c.expiry, entry{key: key, until: until})
	return nil
}

// acceptedUntil is when a request of time ts stops being accepted: CheckTime compares whole
// seconds, so it accepts ts up to the end of the second ts + window. A nonce is remembered that
// long, and a request is refused from then on (by Check and Use too, which run later than
// CheckTime: after the body arrived).
func (c *ReplayCache) acceptedUntil(ts int64) time.Time {
	return time.Unix(ts, 0).Add(c.window + time.Second)
}

func (c *ReplayCache) check(key, address, nonce string, ts int64, now time.Time) error {
	if !now.Before(c.acceptedUntil(ts)) {
		return fail(ReasonStale, "%s %d is now out of the ±%s window: sign the request again", HeaderTimestamp, ts, c.window)
	}
	if _, ok := c.seen[key]; ok {
		return fail(ReasonReplay, "nonce %q was already used by %s", nonce, address)
	}
	return nil
}

// Len returns the number of remembered nonces.
func (c *ReplayCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.seen)
}

func (c *ReplayCache) expire(now time.Time) {
	for c.expiry.Len() > 0 && c.expiry[0].until.Before(now) {
		e := heap.Pop(&c.expiry).(entry)
		delete(c.seen, e.key)
	}
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
