package gateway

import (
	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the gateway's Prometheus series, served at /metrics.
type metrics struct {
	registry  *prometheus.Registry
	requests  *prometheus.CounterVec
	refusals  *prometheus.CounterVec
	upstream  prometheus.Histogram
	queued    prometheus.GaugeFunc
	inFlight  prometheus.GaugeFunc
	queueAge  prometheus.GaugeFunc
	committed prometheus.Counter
	rejected  prometheus.Counter
	batches   *prometheus.CounterVec
	pins      *prometheus.CounterVec
	pruned    prometheus.Counter
}

func newMetrics(g *Gateway) *metrics {
	m := &metrics{registry: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "bai_gateway_requests_total",
		Help: "Requests by outcome: served, unauthorized, forbidden, quota, unavailable, upstream_error, upstream_timeout, bad_request, not_found, internal.",
	}, []string{"outcome"})
	m.refusals = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "bai_gateway_refusals_total",
		Help: "Refused requests by reason (authentication reasons and x/access reasons).",
	}, []string{"reason"})
	m.upstream = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "bai_gateway_upstream_seconds",
		Help:    "Latency of the upstream model API.",
		Buckets: prometheus.ExponentialBuckets(0.0005, 2, 18),
	})
	m.queued = prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "bai_gateway_receipts_queued", Help: "Usage records on disk not yet in a transaction.",
	}, func() float64 { p, _, _ := g.queue.Counts(); return float64(p) })
	m.inFlight = prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "bai_gateway_receipts_in_flight", Help: "Usage records in signed transactions not yet known to be committed.",
	}, func() float64 { _, f, _ := g.queue.Counts(); return float64(f) })
	m.queueAge = prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "bai_gateway_queue_age_seconds", Help: "Age of the oldest usage record not yet committed (0 when none).",
	}, func() float64 {
		_, _, oldest := g.queue.Counts()
		if oldest.IsZero() {
			return 0
		}
		return g.now().Sub(oldest).Seconds()
	})
	m.committed = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "bai_gateway_receipts_committed_total", Help: "Usage records committed on chain.",
	})
	m.rejected = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "bai_gateway_receipts_rejected_total", Help: "Usage records the chain refused (kept in queue/rejected).",
	})
	m.batches = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "bai_gateway_batches_total", Help: "Receipt batches by result: sent, committed, failed, expired.",
	}, []string{"result"})
	m.pins = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "bai_gateway_pins_total", Help: "Blocks sent to the IPFS node (--ipfs-api) by result: pinned, failed, dropped (the pin queue was full).",
	}, []string{"result"})
	m.pruned = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "bai_gateway_blocks_pruned_total", Help: "Blocks removed from the content store after blocks-retention.",
	})
	m.registry.MustRegister(m.requests, m.refusals, m.upstream, m.queued, m.inFlight, m.queueAge,
		m.committed, m.rejected, m.batches, m.pins, m.pruned,
		prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	return m
}
