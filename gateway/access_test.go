package gateway

import (
	"context"
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
