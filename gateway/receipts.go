package gateway

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/balanceai/balanceai/gateway/queue"
	accesstypes "github.com/balanceai/balanceai/x/access/types"
)

// indexMargin is how long after a batch's timeout (in block time) the gateway still waits
// before it concludes the transaction was not committed: the node indexes a block's
// transactions shortly after committing it.
const indexMargin = 15 * time.Second

// flushTimeout bounds one Flush: a node that stops answering delays the receipts until the
// next flush, it does not stall the gateway.
const flushTimeout = 30 * time.Second

// bodyTimeout is how long a caller has to send a request, headers and body.
const bodyTimeout = 60 * time.Second

// rebroadcastAfter is how long a batch not yet committed waits before it is sent again (a
// node restart can drop its mempool).
const rebroadcastAfter = 10 * time.Second

// recordIndex finds the failing record's index in an x/access error ("record 3: ...").
var recordIndex = regexp.MustCompile(`record (\d+)`)

// RefusedError is the chain's refusal of a batch when the node simulated it: the transaction
// would fail (a record's user lost access, the listing is not active). Log is the node's
// reason; it names the record ("record 3: ...") when one record is the cause.
type RefusedError struct {
	Log string
}

func (e *RefusedError) Error() string { return "the chain refuses the receipt batch: " + e.Log }

// errBroadcastRefused is returned for a batch the node refused at broadcast (CheckTx: the fee
// cannot be paid, say), when it is refused and at each flush while it waits in flight for its
// timeout: its receipts are not being recorded, so /healthz is degraded, as when the chain
// cannot be reached. The batch itself is only kept until its timeout, then requeued.
var errBroadcastRefused = errors.New("the node refused a receipt batch at broadcast")

// Flush resolves the batches in flight and sends the pending records that are due: a full
// batch at once, a partial one once its oldest record waited FlushInterval (force: at once).
// It returns the first failure (the chain is unreachable, or refuses a batch), after doing what
// it could.
func (g *Gateway) Flush(ctx context.Context, force bool) error {
	g.flushMu.Lock()
	defer g.flushMu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, flushTimeout)
	defer cancel()
	var firstErr error
	note := func(err error) {
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	g.refreshParams(ctx)
	batchSize := int(g.batchSize.Load())
	for _, b := range g.queue.Batches() {
		note(g.resolve(ctx, b))
	}
	byListing := map[uint64][]queue.Record{}
	var order []uint64
	for _, r := range g.queue.Pending() {
		if _, ok := byListing[r.ListingID]; !ok {
			order = append(order, r.ListingID)
		}
		byListing[r.ListingID] = append(byListing[r.ListingID], r)
	}
	for _, listing := range order {
		recs := byListing[listing]
		for len(recs) > 0 && len(g.queue.Batches()) < g.cfg.MaxInFlight {
			n := min(len(recs), batchSize)
			if n < batchSize && !force && g.now().Sub(recs[0].ServedAt) < g.cfg.FlushInterval {
				break
			}
			err := g.send(ctx, listing, recs[:n])
			var refused *RefusedError
			switch {
			case err == nil:
				recs = recs[n:]
				continue
			case errors.Is(err, errBroadcastRefused):
				// Sealed and in flight, resolved as any batch is; the failure is reported and
				// the flush goes on.
				note(err)
				recs = recs[n:]
				continue
			case !errors.As(err, &refused):
				note(err) // the chain cannot be reached: stop until the next flush
				return firstErr
			}
			// The chain refuses the batch. A record it names is rejected and the batch is
			// made again without it; a refusal of the whole batch (the listing is not active,
			// this node is no longer its operator) leaves the listing's records pending and
			// moves on to the next listing.
			i, named := refusedRecord(refused.Log, n)
			if !named {
				g.log.Warn("receipts for this listing refused by the chain; kept pending", "listing", listing, "reason", refused.Log)
				// Not recorded, so /healthz says so (until a flush succeeds), although the
				// chain answers.
				note(fmt.Errorf("receipts for listing %d refused by the chain", listing))
				break
			}
			if err := g.reject(recs[i], refused.Log); err != nil {
				note(err)
				return firstErr
			}
			recs = append(recs[:i:i], recs[i+1:]...)
		}
	}
	return firstErr
}

// refusedRecord returns the index of the record a refusal names, if it names one of n.
func refusedRecord(log string, n int) (int, bool) {
	m := recordIndex.FindStringSubmatch(log)
	if m == nil {
		return 0, false
	}
	i, err := strconv.Atoi(m[1])
	if err != nil || i >= n {
		return 0, false
	}
	return i, true
}

// reject keeps a pending record the chain refuses in rejected/ (see rejected).
func (g *Gateway) reject(r queue.Record, reason string) error {
	if err := g.queue.Reject(r.Seq, reason); err != nil {
		return err
	}
	g.rejected(r, reason)
	return nil
}

// rejected accounts for a record the chain refused, now in rejected/: its user's place in the
// quota is freed, and it is counted and logged.
func (g *Gateway) rejected(r queue.Record, reason string) {
	g.access.forfeit(r.ListingID, r.User)
	g.metrics.rejected.Inc()
	g.log.Warn("usage record refused by the chain", "seq", r.Seq, "user", r.User, "reason", reason)
}

// send signs a batch, seals it on disk and broadcasts it.
func (g *Gateway) send(ctx context.Context, listing uint64, recs []queue.Record) error {
	usage := make([]accesstypes.UsageRecord, len(recs))
	for i, r := range recs {
		usage[i] = accesstypes.UsageRecord{User: r.User, RequestCid: r.RequestCID, ResponseCid: r.ResponseCID, Units: r.Units}
	}
	// The timeout is the chain's: block time, not this node's clock (a clock behind by more
	// than receipt-ttl would make every batch expire before it is sent).
	latest, err := g.chain.LatestTime(ctx)
	if err != nil {
		return err
	}
	// Each unordered transaction of one signer needs its own timeout (the chain's nonce).
	timeout := latest.Add(g.cfg.ReceiptTTL).Truncate(time.Millisecond)
	if !timeout.After(g.lastTO) {
		timeout = g.lastTO.Add(time.Millisecond)
	}
	g.lastTO = timeout
	txBytes, hash, err := g.chain.SignUsage(ctx, listing, usage, timeout)
	if err != nil {
		return err
	}
	b, err := g.queue.Seal(queue.Batch{
		ListingID: listing, Records: recs, TxBytes: txBytes, TxHash: hash, Timeout: timeout, CreatedAt: g.now(),
	})
	if err != nil {
		return err
	}
	g.metrics.batches.WithLabelValues("sent").Inc()
	return g.broadcast(ctx, b)
}

// broadcast sends a sealed batch to the node; a refusal at CheckTx is kept on the batch and
// returned as errBroadcastRefused.
func (g *Gateway) broadcast(ctx context.Context, b queue.Batch) error {
	g.lastSent[b.ID] = g.now()
	res, err := g.chain.Broadcast(ctx, b.TxBytes)
	if err != nil {
		return err
	}
	if res.Code != 0 && !res.Duplicate && !strings.Contains(res.Log, "unordered nonce") && b.Refusal == "" {
		// Refused at CheckTx: kept until its timeout passes, then requeued without the record
		// the refusal names (another node could still hold an earlier copy).
		b.Refusal = res.Log
		g.log.Warn("receipt batch refused by the node", "tx", b.TxHash, "log", res.Log)
		if err := g.queue.Update(b); err != nil {
			return err
		}
		return fmt.Errorf("%w: tx %s: %s", errBroadcastRefused, b.TxHash, res.Log)
	}
	return nil
}

// resolve settles one batch in flight: committed, failed on chain, expired, or sent again.
func (g *Gateway) resolve(ctx context.Context, b queue.Batch) error {
	latest, err := g.chain.LatestTime(ctx)
	if err != nil {
		return err
	}
	res, err := g.chain.GetTx(ctx, b.TxHash)
	if err != nil {
		return err
	}
	switch {
	case res.Found && res.Code == 0:
		if err := g.queue.Committed(b.ID); err != nil {
			return err
		}
		delete(g.lastSent, b.ID)
		for _, r := range b.Records {
			g.access.recorded(r.ListingID, r.User)
		}
		g.metrics.committed.Add(float64(len(b.Records)))
		g.metrics.batches.WithLabelValues("committed").Inc()
		g.log.Info("receipts committed", "tx", b.TxHash, "records", len(b.Records), "listing", b.ListingID)
		return nil
	case res.Found:
		g.metrics.batches.WithLabelValues("failed").Inc()
		g.log.Warn("receipt batch failed on chain", "tx", b.TxHash, "code", res.Code, "log", res.Log)
		return g.requeue(b, res.Log)
	case latest.After(b.Timeout.Add(indexMargin)):
		g.metrics.batches.WithLabelValues("expired").Inc()
		return g.requeue(b, b.Refusal)
	case b.Refusal == "" && g.now().Sub(g.lastSent[b.ID]) >= rebroadcastAfter:
		return g.broadcast(ctx, b)
	case b.Refusal != "":
		// Refused at broadcast and waiting for its timeout: not recorded meanwhile.
		return fmt.Errorf("%w: tx %s waits for its timeout: %s", errBroadcastRefused, b.TxHash, b.Refusal)
	}
	return nil
}

// requeue returns a batch that can never be committed to the pending records, without the
// record its failure names.
func (g *Gateway) requeue(b queue.Batch, failure string) error {
	reject := map[uint64]string{}
	if i, ok := refusedRecord(failure, len(b.Records)); ok {
		reject[b.Records[i].Seq] = failure
	}
	if err := g.queue.Requeue(b.ID, reject); err != nil {
		return err
	}
	delete(g.lastSent, b.ID)
	for _, r := range b.Records {
		if _, bad := reject[r.Seq]; bad {
			g.rejected(r, failure)
		}
	}
	return nil
}

// Run serves until ctx ends, then stops taking requests, lets the ones in progress finish and
// flushes the queue for at most drain. It refuses requests signed before it started, or in the
// second it started (a previous run may have served them in that second): the nonces a
// previous run saw are not kept.
func (g *Gateway) Run(ctx context.Context, ln net.Listener, drain time.Duration) error {
	start := g.now()
	g.notBefore.Store(start.Unix() + 1)
	g.flushMu.Lock()
	g.refreshParams(ctx)
	g.flushMu.Unlock()
	// Serve from that second on, so that a caller who signs once the node answers is never
	// refused for the second it started in (at most a second's wait).
	if wait := min(time.Until(time.Unix(start.Unix()+1, 0)), time.Second); wait > 0 {
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
	srv := &http.Server{
		Handler:           g.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		// A request's body must arrive within ReadTimeout (a trickled body does not hold a
		// connection for ever), its answer within WriteTimeout of the headers (the body, the
		// model's time and the answer); an idle keep-alive connection is closed.
		ReadTimeout:  bodyTimeout,
		WriteTimeout: bodyTimeout + g.cfg.UpstreamTimeout + 30*time.Second,
		IdleTimeout:  2 * time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	g.log.Info("gateway listening", "addr", ln.Addr().String(), "chain_id", g.cfg.ChainID)
	if g.cfg.BlocksRetention > 0 {
		pruneCtx, stopPruning := context.WithCancel(ctx)
		pruned := make(chan struct{})
		go func() {
			defer close(pruned)
			g.pruneLoop(pruneCtx)
		}()
		defer func() {
			stopPruning()
			<-pruned
		}()
	}

	tick := time.NewTicker(g.cfg.FlushInterval / 2)
	defer tick.Stop()
	for done := false; !done; {
		select {
		case <-ctx.Done():
			done = true
		case err := <-errc:
			return err
		case <-tick.C:
		case <-g.wake:
		}
		if !done {
			err := g.Flush(ctx, false)
			g.flushed(err)
			if err != nil {
				g.log.Warn("receipts wait for the chain", "err", err)
			}
		}
	}

	g.log.Info("shutting down: draining requests and flushing receipts")
	shutCtx, cancel := context.WithTimeout(context.Background(), drain)
	defer cancel()
	_ = srv.Shutdown(shutCtx)
	served := make(chan struct{})
	go func() { g.inflight.Wait(); close(served) }()
	select {
	case <-served:
	case <-shutCtx.Done():
		g.log.Warn("requests still in progress when the drain timeout passed")
	}
	for shutCtx.Err() == nil {
		err := g.Flush(shutCtx, true)
		pending, inFlight, _ := g.queue.Counts()
		if err == nil && pending == 0 && inFlight == 0 {
			g.log.Info("all receipts committed")
			return nil
		}
		select {
		case <-shutCtx.Done():
		case <-time.After(time.Second):
		}
	}
	pending, inFlight, _ := g.queue.Counts()
	g.log.Warn("receipts left on disk for the next start", "queued", pending, "in_flight", inFlight)
	return nil
}

// paramsRefresh is how often Flush reads x/access's params again.
const paramsRefresh = time.Minute

// refreshParams reads x/access's params (at start, then when paramsRefresh has passed since
// the last read) and fits the batch size and the units cap to them: after governance lowers
// max_receipts_per_msg, batches of the old size would be refused for ever. A failed read keeps
// the values in use. Callers hold flushMu.
func (g *Gateway) refreshParams(ctx context.Context) {
	if !g.paramsAt.IsZero() && g.now().Sub(g.paramsAt) < paramsRefresh {
		return
	}
	qctx, cancel := context.WithTimeout(ctx, chainCallTimeout)
	params, err := g.chain.AccessParams(qctx)
	cancel()
	if err != nil {
		return
	}
	g.paramsAt = g.now()
	size := g.cfg.BatchSize
	if max := int(params.MaxReceiptsPerMsg); max > 0 && size > max {
		size = max
	}
	if old := int(g.batchSize.Swap(int64(size))); old != size {
		g.log.Info("batch size follows the chain's max_receipts_per_msg", "batch_size", size)
	}
	units := g.cfg.MaxUnits
	if max := params.MaxUnitsPerRecord; max > 0 && (units == 0 || units > max) {
		units = max
	}
	g.maxUnits.Store(units)
}

// pruneInterval is the time between two sweeps of the content store (blocks-retention).
const pruneInterval = 10 * time.Minute

// pruneLoop sweeps the content store at start and every pruneInterval until ctx ends.
func (g *Gateway) pruneLoop(ctx context.Context) {
	tick := time.NewTicker(pruneInterval)
	defer tick.Stop()
	for {
		if err := g.pruneBlocks(ctx); err != nil && ctx.Err() == nil {
			g.log.Warn("content store sweep failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// pruneBlocks removes the blocks last written more than blocks-retention ago, except those a
// record not yet committed (queued or in a batch in flight) refers to.
func (g *Gateway) pruneBlocks(ctx context.Context) error {
	keep := map[string]bool{}
	for _, r := range g.queue.Uncommitted() {
		keep[r.RequestCID], keep[r.ResponseCID] = true, true
	}
	removed, size, err := g.store.Prune(ctx, g.now().Add(-g.cfg.BlocksRetention), func(c string) bool { return keep[c] })
	if removed > 0 {
		g.metrics.pruned.Add(float64(removed))
		g.log.Info("content store swept", "removed_blocks", removed, "removed_bytes", size)
	}
	return err
}
