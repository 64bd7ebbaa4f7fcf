package gateway

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	accesstypes "github.com/balanceai/balanceai/x/access/types"
)

// quotaOfOne answers CheckAccess for a user with a quota of one request a day, used records
// counted from used.
type quotaOfOne struct{ used atomic.Uint64 }

func (q *quotaOfOne) CheckAccess(context.Context, uint64, string) (*accesstypes.QueryCheckAccessResponse, error) {
	u := q.used.Load()
	res := &accesstypes.QueryCheckAccessResponse{Allowed: u < 1, Quota: 1, UsedToday: u}
	if !res.Allowed {
		res.Reason = reasonQuota
	}
	return res, nil
}

// TestServedRequestNeverUncountedWhileItsRecordSettles: a user with a quota of one has one
// request served and not yet recorded. When its record is refused (forfeit) or committed
// (recorded), the request moves from the reservations to the forfeited count or the chain's
// count in one step: checks racing with the move are all refused, none sees the request
// counted nowhere.
func TestServedRequestNeverUncountedWhileItsRecordSettles(t *testing.T) {
	for _, mode := range []string{"forfeit", "recorded"} {
		t.Run(mode, func(t *testing.T) {
			var extra atomic.Int64
			for round := 0; round < 300; round++ {
				chain := &quotaOfOne{}
				now := time.Unix(1767225600, 0)
				a := newAccessCache(chain, time.Hour, func() time.Time { return now }, 8)
				v, _, err := a.check(context.Background(), 1, "bob")
				require.NoError(t, err)
				require.True(t, v.allowed)

				var wg sync.WaitGroup
				stop := make(chan struct{})
				for range 4 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for {
							select {
							case <-stop:
								return
							default:
							}
							if v, _, _ := a.check(context.Background(), 1, "bob"); v.allowed {
								extra.Add(1)
							}
						}
					}()
				}
				time.Sleep(20 * time.Microsecond)
				if mode == "forfeit" {
					a.forfeit(1, "bob")
				} else {
					chain.used.Store(1)
					a.recorded(1, "bob")
				}
				time.Sleep(20 * time.Microsecond)
				close(stop)
				wg.Wait()
			}
			require.Zero(t, extra.Load(), "requests granted beyond a quota of one")
		})
	}
}

// gatedChain answers every CheckAccess with a quota of 100 (or fails, with fail set) once gate
// is closed, counting calls.
type gatedChain struct {
	calls atomic.Int64
	gate  chan struct{}
	fail  bool
}

func (g *gatedChain) CheckAccess(ctx context.Context, _ uint64, _ string) (*accesstypes.QueryCheckAccessResponse, error) {
	g.calls.Add(1)
	select {
	case <-g.gate:
		if g.fail {
			return nil, errors.New("connection refused")
		}
		return &accesstypes.QueryCheckAccessResponse{Allowed: true, Quota: 100}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// TestOneLookupPerUser: a user's requests that find no current answer while one is being asked
// of the chain wait for that answer instead of asking too: one question, one lookup place, and
// every request decided by it (each reserved in turn), even with caching off.
func TestOneLookupPerUser(t *testing.T) {
	chain := &gatedChain{gate: make(chan struct{})}
	now := time.Unix(1767225600, 0)
	a := newAccessCache(chain, 0, func() time.Time { return now }, 2)
	const n = 8
	var wg sync.WaitGroup
	allowed := make(chan bool, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, _, err := a.check(context.Background(), 1, "bob")
			allowed <- err == nil && v.allowed
		}()
	}
	k := userKey{1, "bob"}
	waitForWaiters(t, a, k, n-1)
	require.Len(t, a.lookups, 1, "one lookup place for the user")
	close(chain.gate)
	wg.Wait()
	close(allowed)
	for ok := range allowed {
		require.True(t, ok)
	}
	require.EqualValues(t, 1, chain.calls.Load(), "the chain was asked once")
	a.mu.Lock()
	defer a.mu.Unlock()
	require.EqualValues(t, n, a.pending[k], "each request reserved")
	require.Empty(t, a.fetching)
}

// TestWaitersShareTheChainsFailure: when the question fails because the chain does, the
// requests waiting for it fail with it at once, rather than ask in turn; when it fails because
// the asking request's caller left, a waiter asks the chain itself.
func TestWaitersShareTheChainsFailure(t *testing.T) {
	failing := &gatedChain{gate: make(chan struct{}), fail: true}
	now := time.Unix(1767225600, 0)
	a := newAccessCache(failing, 0, func() time.Time { return now }, 2)
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			_, _, err := a.check(context.Background(), 1, "bob")
			errs <- err
		}()
	}
	waitForWaiters(t, a, userKey{1, "bob"}, 3)
	close(failing.gate)
	for range 4 {
		require.ErrorContains(t, <-errs, "connection refused")
	}
	require.EqualValues(t, 1, failing.calls.Load())

	chain := &gatedChain{gate: make(chan struct{})}
	a = newAccessCache(chain, 0, func() time.Time { return now }, 2)
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() {
		_, _, err := a.check(ctx, 1, "bob")
		first <- err
	}()
	require.Eventually(t, func() bool { return chain.calls.Load() == 1 }, 5*time.Second, time.Millisecond)
	// A waiter whose asker's caller leaves asks the chain itself.
	second := make(chan error, 1)
	go func() {
		_, _, err := a.check(context.Background(), 1, "bob")
		second <- err
	}()
	waitForWaiters(t, a, userKey{1, "bob"}, 1)
	cancel()
	require.ErrorIs(t, <-first, context.Canceled)
	require.Eventually(t, func() bool { return chain.calls.Load() == 2 }, 5*time.Second, time.Millisecond)
	close(chain.gate)
	require.NoError(t, <-second)
}

// waitForWaiters waits until n requests wait for the question being asked for k.
func waitForWaiters(t *testing.T, a *accessCache, k userKey, n int) {
	t.Helper()
	require.Eventually(t, func() bool {
		a.mu.Lock()
		defer a.mu.Unlock()
		f := a.fetching[k]
		return f != nil && f.waiters == n
	}, 5*time.Second, time.Millisecond)
}
