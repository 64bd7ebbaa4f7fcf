package gateway

import (
	"context"
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

// rebroadcastAfter is how long a batch not yet committed waits before it is sent again (a
// node restart can drop its mempool).
const rebroadcastAfter = 10 * time.Second

// recordIndex finds the failing record's index in an x/access error ("record 3: ...").
var recordIndex = regexp.MustCompile(`record (\d+)`)

// Flush resolves the batches in flight and sends the pending records that are due: a full
// batch at once, a partial one once its oldest record waited FlushInterval (force: at once).
// It returns the first chain error (the chain is unreachable), after doing what it could.
func (g *Gateway) Flush(ctx context.Context, force bool) error {
	g.flushMu.Lock()
	defer g.flushMu.Unlock()
	var firstErr error
	note := func(err error) {
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
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
			n := min(len(recs), g.cfg.BatchSize)
			if n < g.cfg.BatchSize && !force && g.now().Sub(recs[0].ServedAt) < g.cfg.FlushInterval {
				break
			}
			if err := g.send(ctx, listing, recs[:n]); err != nil {
				note(err)
				return firstErr
			}
			recs = recs[n:]
		}
	}
	return firstErr
}

// send signs a batch, seals it on disk and broadcasts it.
func (g *Gateway) send(ctx context.Context, listing uint64, recs []queue.Record) error {
	usage := make([]accesstypes.UsageRecord, len(recs))
	for i, r := range recs {
		usage[i] = accesstypes.UsageRecord{User: r.User, RequestCid: r.RequestCID, ResponseCid: r.ResponseCID, Units: r.Units}
	}
	// Each unordered transaction of one signer needs its own timeout (the chain's nonce).
	timeout := g.now().Add(g.cfg.ReceiptTTL).Truncate(time.Millisecond)
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
		return g.queue.Update(b)
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
	}
	return nil
}

// requeue returns a batch that can never be committed to the pending records, without the
// record its failure names.
func (g *Gateway) requeue(b queue.Batch, failure string) error {
	reject := map[uint64]string{}
	if m := recordIndex.FindStringSubmatch(failure); m != nil {
		if i, err := strconv.Atoi(m[1]); err == nil && i < len(b.Records) {
			reject[b.Records[i].Seq] = failure
		}
	}
	if err := g.queue.Requeue(b.ID, reject); err != nil {
		return err
	}
	delete(g.lastSent, b.ID)
	for _, r := range b.Records {
		if _, bad := reject[r.Seq]; bad {
			g.access.release(r.ListingID, r.User)
			g.metrics.rejected.Inc()
			g.log.Warn("usage record refused by the chain", "seq", r.Seq, "user", r.User, "reason", failure)
		}
	}
	return nil
}

// Run serves until ctx ends, then stops taking requests, lets the ones in progress finish and
// flushes the queue for at most drain.
func (g *Gateway) Run(ctx context.Context, ln net.Listener, drain time.Duration) error {
	srv := &http.Server{Handler: g.Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	g.log.Info("gateway listening", "addr", ln.Addr().String(), "chain_id", g.cfg.ChainID)

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
			if err := g.Flush(ctx, false); err != nil {
				g.setHealth(err)
				g.log.Warn("receipts wait for the chain", "err", err)
			}
		}
	}

	g.log.Info("shutting down: draining requests and flushing receipts")
	shutCtx, cancel := context.WithTimeout(context.Background(), drain)
	defer cancel()
	_ = srv.Shutdown(shutCtx)
	g.inflight.Wait()
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
