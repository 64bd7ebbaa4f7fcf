package gateway

import (
	"context"
	"errors"
	"sync"
	"time"

	accesstypes "github.com/balanceai/balanceai/x/access/types"
)

// AccessChecker answers x/access's CheckAccess.
type AccessChecker interface {
	CheckAccess(ctx context.Context, listingID uint64, user string) (*accesstypes.QueryCheckAccessResponse, error)
}

type userKey struct {
	listing uint64
	user    string
}

// decision is a cached CheckAccess answer. res is nil once a record of the user was committed
// (recorded): the answer must be fetched again. gen counts those commits, so that an answer
// fetched while one happened, which may predate it, is not kept.
type decision struct {
	res     *accesstypes.QueryCheckAccessResponse
	fetched time.Time
	gen     uint64
}

// accessCache caches CheckAccess answers for ttl and counts, per listing and user, the requests
// served but not yet recorded on chain, which the chain's used_today does not include yet.
type accessCache struct {
	chain AccessChecker
	ttl   time.Duration
	now   func() time.Time
	// queried, when set, is told the result of each query to the chain, except a query the
	// caller abandoned (its context ended): a caller leaving is not the chain failing.
	queried func(error)

	mu        sync.Mutex
	decisions map[userKey]decision
	pending   map[userKey]uint64
	// forfeited counts, per user, the requests served today (UTC, this node's clock) whose
	// records the chain refused: they count against the quota until the day ends, as if
	// recorded. Otherwise a user who makes the chain refuse its own records (unbond, then cancel
	// the unbonding) would get its quota back on every round. forfeitDay is their day.
	forfeited  map[userKey]uint64
	forfeitDay int64
	// epoch counts prunes: a prune forgets decisions' generations, so an answer fetched across
	// one is treated as stale too.
	epoch uint64
	// lookups holds a place for each answer being asked of the chain; when all are taken, check
	// refuses at once (errLookupsBusy) rather than wait.
	lookups chan struct{}
	// fetching is the answer being asked of the chain per user, if any: the user's other
	// requests wait for it rather than ask (and take a lookup place) too.
	fetching map[userKey]*fetch
}

// fetch is one question to the chain for a user's answer, which the user's requests that
// arrive meanwhile wait for. Its fields are written before done is closed.
type fetch struct {
	done chan struct{}
	// res is the answer, when it was current when fetched (not across a commit of the user's
	// records or a prune: see check), with the generation and epoch it is current in.
	res        *accesstypes.QueryCheckAccessResponse
	gen, epoch uint64
	// err is the chain's failure, or errLookupsBusy; not set when the asking request ended
	// (its caller left), which says nothing of the chain.
	err error
	// waiters counts the requests that waited for it (under accessCache.mu).
	waiters int
}

// errLookupsBusy: every lookup place is taken by requests waiting on the chain.
var errLookupsBusy = errors.New("too many access lookups in progress")

func newAccessCache(chain AccessChecker, ttl time.Duration, now func() time.Time, lookups int) *accessCache {
	return &accessCache{
		chain: chain, ttl: ttl, now: now, decisions: map[userKey]decision{}, pending: map[userKey]uint64{},
		lookups: make(chan struct{}, lookups), fetching: map[userKey]*fetch{},
	}
}

// lookupPlaces is how many requests of a gateway serving maxConcurrent calls may wait on the
// chain for their access answer at once: a quarter of the call slots, at least two.
func lookupPlaces(maxConcurrent int) int { return max(maxConcurrent/4, 2) }

// verdict is the gateway's decision on one request.
type verdict struct {
	allowed bool
	// quota is true when the refusal is the daily quota (429), false for the other reasons (403).
	quota  bool
	reason string
	res    *accesstypes.QueryCheckAccessResponse
	// pending is the gateway's count of the user's requests served but not yet recorded.
	pending uint64
}

// check decides whether the user may be served one more request. fresh is false when the chain
// could not be asked and no decision younger than the ttl is cached. A granted request is
// counted as pending at once (reserve), so concurrent requests cannot overrun the quota.
func (a *accessCache) check(ctx context.Context, listing uint64, user string) (v verdict, fresh bool, err error) {
	k := userKey{listing, user}
	// A decision is made under the lock in which its answer was found current: a record
	// committed meanwhile (recorded) changes the answer's generation and the reservations
	// together, so they are never mixed across it.
	for {
		a.mu.Lock()
		d := a.decisions[k]
		if d.res != nil && a.now().Sub(d.fetched) < a.ttl {
			defer a.mu.Unlock()
			return a.decide(k, d.res), true, nil
		}
		if f := a.fetching[k]; f != nil {
			// Another request of the user is asking: its answer serves this one too.
			f.waiters++
			a.mu.Unlock()
			select {
			case <-f.done:
			case <-ctx.Done():
				return verdict{}, false, ctx.Err()
			}
			if f.err != nil {
				return verdict{}, false, f.err
			}
			if f.res != nil {
				a.mu.Lock()
				if a.decisions[k].gen == f.gen && a.epoch == f.epoch {
					defer a.mu.Unlock()
					return a.decide(k, f.res), true, nil
				}
				a.mu.Unlock()
			}
			continue // not current any more (or never): look again
		}
		f := &fetch{done: make(chan struct{})}
		a.fetching[k] = f
		epoch := a.epoch
		a.mu.Unlock()
		return a.fetch(ctx, k, d, epoch, f)
	}
}

// fetch asks the chain for k's answer, as f, which the user's other requests wait for; d and
// epoch are the decision and epoch it starts from.
func (a *accessCache) fetch(ctx context.Context, k userKey, d decision, epoch uint64, f *fetch) (v verdict, fresh bool, err error) {
	listing, user := k.listing, k.user
	defer func() {
		a.mu.Lock()
		delete(a.fetching, k)
		a.mu.Unlock()
		close(f.done)
	}()
	select {
	case a.lookups <- struct{}{}:
		defer func() { <-a.lookups }()
	default:
		f.err = errLookupsBusy
		return verdict{}, false, errLookupsBusy
	}
	// An answer fetched while a record of the user was committed may not count that record, and
	// its reservation is gone: it is fetched again (a few times at most; then it is used for this
	// request only, not kept). So is one fetched while the cache was pruned, which forgets
	// generations.
	for try := 0; ; try++ {
		qctx, cancel := context.WithTimeout(ctx, chainCallTimeout)
		res, qerr := a.chain.CheckAccess(qctx, listing, user)
		cancel()
		if a.queried != nil && ctx.Err() == nil {
			a.queried(qerr)
		}
		if qerr != nil {
			if ctx.Err() == nil {
				f.err = qerr
			}
			return verdict{}, false, qerr
		}
		a.mu.Lock()
		current := a.decisions[k]
		stale := current.gen != d.gen || a.epoch != epoch
		if stale && try < maxRefetches {
			d, epoch = current, a.epoch
			a.mu.Unlock()
			continue
		}
		if !stale {
			if len(a.decisions) >= maxDecisions {
				a.prune()
			}
			a.decisions[k] = decision{res: res, fetched: a.now(), gen: d.gen}
			f.res, f.gen, f.epoch = res, d.gen, epoch
		}
		defer a.mu.Unlock()
		return a.decide(k, res), true, nil
	}
}

// decide is the verdict of an answer, with the user's reservations; a granted request is
// reserved. Callers hold mu.
func (a *accessCache) decide(k userKey, res *accesstypes.QueryCheckAccessResponse) verdict {
	if !res.Allowed && res.Reason != reasonQuota {
		return verdict{reason: res.Reason, res: res}
	}
	used := res.UsedToday + a.pending[k] + a.forfeitedToday(k)
	if !res.Unlimited && used >= res.Quota {
		return verdict{quota: true, reason: reasonQuota, res: res, pending: a.pending[k]}
	}
	a.pending[k]++
	return verdict{allowed: true, res: res}
}

// chainCallTimeout bounds an access query to the chain: a node that stops answering makes the
// gateway answer 503, not hang.
const chainCallTimeout = 10 * time.Second

// reasonQuota is x/access's reason when the daily quota is used up.
const reasonQuota = "quota exhausted"

// release undoes a reservation: the request was not served (upstream failure), or its record
// was refused by the chain (forfeit).
func (a *accessCache) release(listing uint64, user string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.releaseLocked(userKey{listing, user})
}

// releaseLocked is release; callers hold mu.
func (a *accessCache) releaseLocked(k userKey) {
	if a.pending[k] > 0 {
		a.pending[k]--
	}
	if a.pending[k] == 0 {
		delete(a.pending, k)
	}
}

// forfeit notes that the chain refused a served request's record: its reservation goes, and
// the request keeps counting against the user's quota until the day (UTC) ends. Both change
// under one lock: a check in between would see the request counted nowhere.
func (a *accessCache) forfeit(listing uint64, user string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	k := userKey{listing, user}
	a.releaseLocked(k)
	a.forfeitedToday(k) // starts today's count
	a.forfeited[k]++
}

// forfeitServed counts, at start, a record of a previous run the chain refused (in rejected/)
// if its request was served today: it holds no reservation in this run.
func (a *accessCache) forfeitServed(listing uint64, user string, servedAt time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	k := userKey{listing, user}
	a.forfeitedToday(k) // starts today's count
	if utcDay(servedAt) == a.forfeitDay {
		a.forfeited[k]++
	}
}

// secondsPerDay is the length of x/access's UTC day, whose number is utcDay.
const secondsPerDay = 86_400

// utcDay is the number of t's UTC day (days since 1970-01-01), as x/access counts quotas.
func utcDay(t time.Time) int64 { return t.Unix() / secondsPerDay }

// forfeitedToday is k's forfeited count today; a new day forgets the previous day's. Callers
// hold mu.
func (a *accessCache) forfeitedToday(k userKey) uint64 {
	if day := utcDay(a.now()); day != a.forfeitDay || a.forfeited == nil {
		a.forfeitDay, a.forfeited = day, map[userKey]uint64{}
	}
	return a.forfeited[k]
}

// recorded notes that a record is now counted in the chain's used_today: the reservation goes
// and the cached decision is dropped so the next request reads the new count. An answer being
// fetched at that moment is not kept (decision.gen).
func (a *accessCache) recorded(listing uint64, user string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	k := userKey{listing, user}
	a.releaseLocked(k)
	a.decisions[k] = decision{gen: a.decisions[k].gen + 1}
}

// maxRefetches bounds how many times one request fetches its answer again because records of
// its user were committed meanwhile.
const maxRefetches = 3

// reserve counts a record restored from the queue at start.
func (a *accessCache) reserve(listing uint64, user string) {
	a.mu.Lock()
	a.pending[userKey{listing, user}]++
	a.mu.Unlock()
}

// maxDecisions bounds the cached decisions; past it, expired ones are dropped.
const maxDecisions = 100_000

// prune drops the expired decisions, and those waiting to be fetched again (all of them when
// none expired). Callers hold mu.
func (a *accessCache) prune() {
	a.epoch++
	now := a.now()
	for k, d := range a.decisions {
		if now.Sub(d.fetched) >= a.ttl {
			delete(a.decisions, k)
		}
	}
	if len(a.decisions) >= maxDecisions {
		clear(a.decisions)
	}
}
