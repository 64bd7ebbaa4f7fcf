// Command baiload puts a BalanceAI chain under load and measures what it commits.
//
// It derives N funded accounts deterministically, pre-signs M transactions each
// (SIGN_MODE_DIRECT: bank sends and a mix of BalanceAI Msgs), broadcasts them with
// broadcast_tx_sync (one goroutine per account), waits for the mempool to drain and reports
// committed TPS from block header times, txs per block, FinalizeBlock time per tx from the
// node's Prometheus metrics and, for a node it started, the node process's CPU time per
// committed tx. Without --node it creates and runs its own single-validator chain from --baid
// (500 ms blocks, a mempool sized for the load, kv tx indexer, Prometheus on a free port).
//
//	baiload --baid build/baid                                 # 50 × 400 bank sends
//	baiload --baid build/baid --mix bank=2,listing=1,usage=2,commit=1,lock=1
//	baiload --baid build/baid --runs 10                       # look for slow runs
//	baiload --baid build/baid --compare-sigcache 3            # cache off/on, interleaved
//	baiload --baid build/baid --compare-usage 2 --records 100 # usage records/s ÷ bank sends/s
//	baiload --node tcp://127.0.0.1:26657 --metrics http://127.0.0.1:26660/metrics
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	dbm "github.com/cosmos/cosmos-db"

	"cosmossdk.io/log"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/balanceai/balanceai/app"
	accesstypes "github.com/balanceai/balanceai/x/access/types"
	curationtypes "github.com/balanceai/balanceai/x/curation/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// Options are the command-line settings.
type Options struct {
	Accounts      int
	TxsPerAccount int
	MixSpec       string
	Records       int
	UsageUsers    int
	Node          string
	Metrics       string
	NodePid       int
	Bin           string
	Home          string
	Keep          bool
	SigCache      bool
	Runs          int
	CompareRounds int
	UsageRounds   int
	UsageTxs      int
	JSON          bool
	Pprof         bool
	CPUProfile    string
	ProfileSecs   int
	NodeEnv       string
	GasPrice      string
	BlockTime     time.Duration
	Label         string
	PrintAccounts bool
}

func main() {
	var o Options
	// Its own flag set: the process-wide one also holds flags registered by libraries linked in.
	fs := flag.NewFlagSet("baiload", flag.ExitOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), `baiload puts a BalanceAI chain under load and reports committed TPS, FinalizeBlock
time and node CPU per transaction (docs/performance.md).

Usage: baiload [flags]

Examples:
  baiload --baid build/baid                          # 50 accounts × 400 bank sends on a new chain
  baiload --baid build/baid --compare-sigcache 3     # signature cache off against on
  baiload --mix bank=2,listing=1,usage=2,commit=1,lock=1
  baiload --node tcp://127.0.0.1:26657 --metrics http://127.0.0.1:26660/metrics --node-pid $(pgrep -n baid)

Flags:
`)
		fs.PrintDefaults()
	}
	fs.IntVar(&o.Accounts, "accounts", 50, "number of load accounts (one broadcasting goroutine each)")
	fs.IntVar(&o.TxsPerAccount, "txs", 400, "pre-signed transactions per account")
	fs.StringVar(&o.MixSpec, "mix", "bank", "kinds and weights: bank, listing, usage, commit (once per account), lock; e.g. bank=2,listing=1,usage=2,commit=1,lock=1")
	fs.IntVar(&o.Records, "records", 20, "usage records per record-usage batch")
	fs.IntVar(&o.UsageUsers, "usage-users", 1, "distinct users of a record-usage batch (the next accounts, in turn)")
	fs.StringVar(&o.Node, "node", "", "CometBFT RPC of a running chain whose load accounts are funded (default: start a chain from --baid)")
	fs.StringVar(&o.Metrics, "metrics", "", "Prometheus URL of the running node (--node only)")
	fs.IntVar(&o.NodePid, "node-pid", 0, "process id of the running node, for CPU time per tx (--node only)")
	fs.StringVar(&o.Bin, "baid", "build/baid", "baid binary of the chain the tool starts")
	fs.StringVar(&o.Home, "home", "", "folder of the chains the tool starts (default: a temporary folder)")
	fs.BoolVar(&o.Keep, "keep", false, "keep the chain homes (node.log, data) after the run")
	fs.BoolVar(&o.SigCache, "sig-cache", true, "app.toml sig-cache.enable of the chain the tool starts")
	fs.IntVar(&o.Runs, "runs", 1, "consecutive runs, each on a new chain; reports the median and the spread")
	fs.IntVar(&o.CompareRounds, "compare-sigcache", 0, "rounds of interleaved runs with the signature cache off and on (order alternates); reports the ratios")
	fs.IntVar(&o.UsageRounds, "compare-usage", 0, "rounds of interleaved runs of bank sends (--txs each) and of record-usage batches only (--usage-txs each, --records records); reports records/s over bank-send TPS")
	fs.IntVar(&o.UsageTxs, "usage-txs", 60, "record-usage batches per account in --compare-usage runs")
	fs.BoolVar(&o.JSON, "json", false, "print the results as JSON")
	fs.BoolVar(&o.Pprof, "pprof", false, "serve the node's pprof (rpc.pprof_laddr) on a free 127.0.0.1 port")
	fs.StringVar(&o.CPUProfile, "cpu-profile", "", "write a CPU profile of the node under load to this file (run N gets a .N suffix when there are several); also writes <file>.allocs, <file>.mutex, <file>.block")
	fs.IntVar(&o.ProfileSecs, "profile-seconds", 10, "length of the CPU profile, from the start of the broadcast")
	fs.StringVar(&o.NodeEnv, "node-env", "", "extra environment of the node, comma-separated (e.g. GODEBUG=gctrace=1; its output is in node.log)")
	fs.StringVar(&o.GasPrice, "gas-price", "0", "fee per gas unit in ubai (the chain the tool starts accepts 0)")
	fs.DurationVar(&o.BlockTime, "block-time", 500*time.Millisecond, "consensus.timeout_commit of the chain the tool starts")
	fs.StringVar(&o.Label, "label", "", "name of the run in the report")
	fs.BoolVar(&o.PrintAccounts, "print-accounts", false, "print the addresses of the --accounts load accounts (to fund them on a running chain) and exit")
	_ = fs.Parse(os.Args[1:])
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "baiload: unexpected argument %q (every setting is a flag; see baiload --help)\n", fs.Arg(0))
		os.Exit(2)
	}
	if o.PrintAccounts {
		for _, a := range DeriveAccounts(o.Accounts) {
			fmt.Println(a.Address.String())
		}
		return
	}
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "baiload:", err)
		os.Exit(1)
	}
}

// Result is the measurement of one run.
type Result struct {
	Label            string       `json:"label"`
	Mix              string       `json:"mix"`
	Accounts         int          `json:"accounts"`
	TxsPerAccount    int          `json:"txs_per_account"`
	SigCache         *bool        `json:"sig_cache,omitempty"`
	Sent             int          `json:"sent"`
	Rejected         int          `json:"checktx_rejected"`
	FirstRejection   string       `json:"first_rejection,omitempty"`
	Committed        int          `json:"committed"`
	Failed           int          `json:"failed_in_block"`
	Kinds            map[Kind]int `json:"committed_by_kind"`
	Records          int          `json:"records"`
	FirstHeight      int64        `json:"first_height"`
	LastHeight       int64        `json:"last_height"`
	Blocks           int          `json:"blocks"`
	Seconds          float64      `json:"seconds"`
	TPS              float64      `json:"committed_tps"`
	TxsPerBlock      float64      `json:"txs_per_block"`
	MaxTxsPerBlock   int          `json:"max_txs_per_block"`
	RecordsPerSecond float64      `json:"records_per_second,omitempty"`
	FinalizeMsPerTx  float64      `json:"finalize_block_ms_per_tx"`
	CPUMsPerTx       float64      `json:"node_cpu_ms_per_tx,omitempty"`
	RechecksPerTx    float64      `json:"rechecks_per_tx"`
	PeakMempool      int          `json:"peak_mempool_txs"`
	SigCacheHits     float64      `json:"sig_cache_hits"`
	SigCacheMisses   float64      `json:"sig_cache_misses"`
	BroadcastSeconds float64      `json:"broadcast_seconds"`
	Home             string       `json:"home,omitempty"`
}

// Report is the JSON output.
type Report struct {
	Runs       []Result     `json:"runs"`
	Summary    *Summary     `json:"summary,omitempty"`
	Comparison *Comparison  `json:"sig_cache_comparison,omitempty"`
	Usage      *UsageVsBank `json:"usage_vs_bank,omitempty"`
}

// UsageVsBank is usage records against bank sends, medians of the interleaved rounds.
type UsageVsBank struct {
	BankTPS          float64   `json:"bank_median_tps"`
	RecordsPerSecond float64   `json:"usage_median_records_per_second"`
	Ratio            float64   `json:"records_per_second_over_bank_tps"`
	BankCPUMs        float64   `json:"bank_median_cpu_ms_per_tx"`
	CPUMsPerRecord   float64   `json:"usage_median_cpu_ms_per_record"`
	CPURatio         float64   `json:"bank_cpu_per_tx_over_cpu_per_record"`
	RoundRatios      []float64 `json:"round_ratios"`
}

// Summary sums up repeated runs.
type Summary struct {
	MedianTPS      float64 `json:"median_tps"`
	MinTPS         float64 `json:"min_tps"`
	MaxTPS         float64 `json:"max_tps"`
	MaxDeviation   float64 `json:"max_deviation_from_median"`
	MedianCPUMs    float64 `json:"median_node_cpu_ms_per_tx"`
	MedianFinalize float64 `json:"median_finalize_block_ms_per_tx"`
}

// Comparison is the signature cache on against off, medians of the interleaved rounds.
type Comparison struct {
	OffTPS      float64 `json:"off_median_tps"`
	OnTPS       float64 `json:"on_median_tps"`
	TPSRatio    float64 `json:"tps_on_over_off"`
	OffCPU      float64 `json:"off_median_cpu_ms_per_tx"`
	OnCPU       float64 `json:"on_median_cpu_ms_per_tx"`
	CPURatio    float64 `json:"cpu_on_over_off"`
	OffFinalize float64 `json:"off_median_finalize_ms_per_tx"`
	OnFinalize  float64 `json:"on_median_finalize_ms_per_tx"`
	FinRatio    float64 `json:"finalize_on_over_off"`
	// RoundRatios are each round's on/off TPS and CPU ratios.
	RoundTPSRatios []float64 `json:"round_tps_ratios"`
	RoundCPURatios []float64 `json:"round_cpu_ratios"`
}

func run(o Options, stdout io.Writer) error {
	mix, err := ParseMix(o.MixSpec)
	if err != nil {
		return err
	}
	if o.Accounts < 1 || o.TxsPerAccount < 1 {
		return errors.New("--accounts and --txs must be at least 1")
	}
	if o.UsageUsers < 1 || o.UsageUsers > o.Accounts {
		return fmt.Errorf("--usage-users must be 1 to --accounts (%d), got %d", o.Accounts, o.UsageUsers)
	}
	if o.Records < 1 {
		return errors.New("--records must be at least 1")
	}
	gasPrice, err := math.LegacyNewDecFromStr(o.GasPrice)
	if err != nil {
		return fmt.Errorf("--gas-price: %w", err)
	}
	if o.Node != "" && (o.CompareRounds > 0 || o.UsageRounds > 0 || o.Runs > 1) {
		return errors.New("--runs, --compare-sigcache and --compare-usage start their own chains: leave out --node")
	}
	if o.CompareRounds > 0 && o.UsageRounds > 0 {
		return errors.New("--compare-sigcache and --compare-usage are separate comparisons: choose one")
	}
	if o.UsageRounds > 0 && o.UsageTxs < 1 {
		return errors.New("--usage-txs must be at least 1")
	}
	if o.Home == "" {
		dir, err := os.MkdirTemp("", "baiload-")
		if err != nil {
			return err
		}
		o.Home = dir
		if !o.Keep {
			defer os.RemoveAll(dir)
		}
	}
	enc := encoding()
	plan := planRuns(o, mix)
	var rep Report
	for i, pr := range plan {
		ro := o
		ro.SigCache, ro.TxsPerAccount = pr.sigCache, pr.txs
		if ro.Label == "" || o.UsageRounds > 0 {
			ro.Label = pr.mix.String()
		}
		if len(plan) > 1 {
			ro.Label = fmt.Sprintf("%s #%d", ro.Label, i+1)
			if o.CPUProfile != "" {
				ro.CPUProfile = fmt.Sprintf("%s.%d", o.CPUProfile, i+1)
			}
		}
		res, err := runOnce(ro, enc, pr.mix, gasPrice, filepath.Join(o.Home, fmt.Sprintf("run%d", i+1)))
		if err != nil {
			return fmt.Errorf("run %d: %w", i+1, err)
		}
		if o.JSON {
			printResult(os.Stderr, res)
		} else {
			printResult(stdout, res)
		}
		rep.Runs = append(rep.Runs, res)
	}
	switch {
	case o.CompareRounds > 0:
		rep.Comparison = compare(rep.Runs)
	case o.UsageRounds > 0:
		rep.Usage = compareUsage(rep.Runs)
	case len(rep.Runs) > 1:
		rep.Summary = summarize(rep.Runs)
	}
	if o.JSON {
		e := json.NewEncoder(stdout)
		e.SetIndent("", "  ")
		return e.Encode(rep)
	}
	if rep.Summary != nil {
		s := rep.Summary
		fmt.Fprintf(stdout, "%d runs: committed TPS median %.0f (min %.0f, max %.0f, largest deviation from the median %.1f %%); node CPU %.3f ms/tx, FinalizeBlock %.3f ms/tx (medians)\n",
			len(rep.Runs), s.MedianTPS, s.MinTPS, s.MaxTPS, 100*s.MaxDeviation, s.MedianCPUMs, s.MedianFinalize)
	}
	if c := rep.Comparison; c != nil {
		fmt.Fprintf(stdout, "signature cache, %d interleaved rounds (medians):\n", o.CompareRounds)
		fmt.Fprintf(stdout, "  committed TPS      off %8.0f  on %8.0f  on/off %.2f×  (rounds %s)\n", c.OffTPS, c.OnTPS, c.TPSRatio, ratios(c.RoundTPSRatios))
		fmt.Fprintf(stdout, "  node CPU ms/tx     off %8.3f  on %8.3f  on/off %.2f×  (rounds %s)\n", c.OffCPU, c.OnCPU, c.CPURatio, ratios(c.RoundCPURatios))
		fmt.Fprintf(stdout, "  FinalizeBlock ms/tx off %7.3f  on %8.3f  on/off %.2f×\n", c.OffFinalize, c.OnFinalize, c.FinRatio)
	}
	if u := rep.Usage; u != nil {
		fmt.Fprintf(stdout, "usage records against bank sends, %d interleaved rounds (medians):\n", o.UsageRounds)
		fmt.Fprintf(stdout, "  bank sends %8.0f TPS; usage %8.0f records/s; records/s ÷ bank TPS %.2f×  (rounds %s)\n",
			u.BankTPS, u.RecordsPerSecond, u.Ratio, ratios(u.RoundRatios))
		fmt.Fprintf(stdout, "  node CPU: %.3f ms per bank send, %.4f ms per record; per send ÷ per record %.2f×\n",
			u.BankCPUMs, u.CPUMsPerRecord, u.CPURatio)
	}
	return nil
}

// plannedRun is one run of a series: its mix, txs per account and signature-cache setting.
type plannedRun struct {
	mix      Mix
	txs      int
	sigCache bool
}

// planRuns lists the runs: --compare-sigcache rounds of cache off and on, --compare-usage
// rounds of bank sends and usage batches (each round's order alternates, so neither side
// always runs first), or --runs runs of the mix.
func planRuns(o Options, mix Mix) []plannedRun {
	var plan []plannedRun
	switch {
	case o.CompareRounds > 0:
		for r := 0; r < o.CompareRounds; r++ {
			off, on := plannedRun{mix, o.TxsPerAccount, false}, plannedRun{mix, o.TxsPerAccount, true}
			if r%2 == 0 {
				plan = append(plan, off, on)
			} else {
				plan = append(plan, on, off)
			}
		}
	case o.UsageRounds > 0:
		bank := plannedRun{Mix{KindBank: 1}, o.TxsPerAccount, o.SigCache}
		usage := plannedRun{Mix{KindUsage: 1}, o.UsageTxs, o.SigCache}
		for r := 0; r < o.UsageRounds; r++ {
			if r%2 == 0 {
				plan = append(plan, bank, usage)
			} else {
				plan = append(plan, usage, bank)
			}
		}
	default:
		for r := 0; r < o.Runs; r++ {
			plan = append(plan, plannedRun{mix, o.TxsPerAccount, o.SigCache})
		}
	}
	return plan
}

// compareUsage pairs the runs of each round (one of bank sends, one of usage batches) and
// takes medians: usage records committed per second over bank sends committed per second, and
// node CPU per bank send over node CPU per record.
func compareUsage(runs []Result) *UsageVsBank {
	var bankTPS, recs, bankCPU, recCPU []float64
	u := &UsageVsBank{}
	for i := 0; i+1 < len(runs); i += 2 {
		bank, usage := runs[i], runs[i+1]
		if bank.Records > 0 {
			bank, usage = usage, bank
		}
		bankTPS, recs = append(bankTPS, bank.TPS), append(recs, usage.RecordsPerSecond)
		bankCPU = append(bankCPU, bank.CPUMsPerTx)
		if usage.Records > 0 {
			recCPU = append(recCPU, usage.CPUMsPerTx*float64(usage.Committed)/float64(usage.Records))
		}
		u.RoundRatios = append(u.RoundRatios, Ratio(usage.RecordsPerSecond, bank.TPS))
	}
	u.BankTPS, u.RecordsPerSecond = Median(bankTPS), Median(recs)
	u.BankCPUMs, u.CPUMsPerRecord = Median(bankCPU), Median(recCPU)
	u.Ratio, u.CPURatio = Ratio(u.RecordsPerSecond, u.BankTPS), Ratio(u.BankCPUMs, u.CPUMsPerRecord)
	return u
}

func ratios(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.2f", x)
	}
	return strings.Join(parts, " ")
}

func summarize(runs []Result) *Summary {
	var tps, cpu, fin []float64
	for _, r := range runs {
		tps = append(tps, r.TPS)
		cpu = append(cpu, r.CPUMsPerTx)
		fin = append(fin, r.FinalizeMsPerTx)
	}
	s := &Summary{MedianTPS: Median(tps), MaxDeviation: MaxDeviation(tps), MedianCPUMs: Median(cpu), MedianFinalize: Median(fin)}
	s.MinTPS, s.MaxTPS = tps[0], tps[0]
	for _, x := range tps {
		s.MinTPS = min(s.MinTPS, x)
		s.MaxTPS = max(s.MaxTPS, x)
	}
	return s
}

// compare pairs the runs of each round (one off, one on) and takes medians.
func compare(runs []Result) *Comparison {
	var offTPS, onTPS, offCPU, onCPU, offFin, onFin []float64
	c := &Comparison{}
	for i := 0; i+1 < len(runs); i += 2 {
		off, on := runs[i], runs[i+1]
		if *off.SigCache {
			off, on = on, off
		}
		offTPS, onTPS = append(offTPS, off.TPS), append(onTPS, on.TPS)
		offCPU, onCPU = append(offCPU, off.CPUMsPerTx), append(onCPU, on.CPUMsPerTx)
		offFin, onFin = append(offFin, off.FinalizeMsPerTx), append(onFin, on.FinalizeMsPerTx)
		c.RoundTPSRatios = append(c.RoundTPSRatios, Ratio(on.TPS, off.TPS))
		c.RoundCPURatios = append(c.RoundCPURatios, Ratio(on.CPUMsPerTx, off.CPUMsPerTx))
	}
	c.OffTPS, c.OnTPS = Median(offTPS), Median(onTPS)
	c.OffCPU, c.OnCPU = Median(offCPU), Median(onCPU)
	c.OffFinalize, c.OnFinalize = Median(offFin), Median(onFin)
	c.TPSRatio, c.CPURatio, c.FinRatio = Ratio(c.OnTPS, c.OffTPS), Ratio(c.OnCPU, c.OffCPU), Ratio(c.OnFinalize, c.OffFinalize)
	return c
}

func printResult(w io.Writer, r Result) {
	cache := "unknown"
	if r.SigCache != nil {
		cache = map[bool]string{true: "on", false: "off"}[*r.SigCache]
	}
	fmt.Fprintf(w, "%s: %d accounts × %d txs, sig cache %s\n", r.Label, r.Accounts, r.TxsPerAccount, cache)
	fmt.Fprintf(w, "  sent %d (CheckTx rejected %d) in %.1f s; committed %d, failed in block %d; blocks %d..%d (%d blocks, %.2f s of block time)\n",
		r.Sent, r.Rejected, r.BroadcastSeconds, r.Committed, r.Failed, r.FirstHeight, r.LastHeight, r.Blocks, r.Seconds)
	if r.FirstRejection != "" {
		fmt.Fprintf(w, "  first CheckTx rejection: %s\n", r.FirstRejection)
	}
	fmt.Fprintf(w, "  committed TPS %.0f; txs per block %.0f (max %d)\n", r.TPS, r.TxsPerBlock, r.MaxTxsPerBlock)
	cpu := "n/a"
	if r.CPUMsPerTx > 0 {
		cpu = fmt.Sprintf("%.3f ms/tx", r.CPUMsPerTx)
	}
	fmt.Fprintf(w, "  FinalizeBlock %.3f ms/tx; node CPU %s; sig cache hits %.0f misses %.0f\n", r.FinalizeMsPerTx, cpu, r.SigCacheHits, r.SigCacheMisses)
	fmt.Fprintf(w, "  mempool rechecks %.2f per tx; mempool peak %d txs\n", r.RechecksPerTx, r.PeakMempool)
	if len(r.Kinds) > 1 || r.Records > 0 {
		var parts []string
		for _, k := range sortedKinds(r.Kinds) {
			parts = append(parts, fmt.Sprintf("%s %d", k, r.Kinds[k]))
		}
		fmt.Fprintf(w, "  committed by kind: %s\n", strings.Join(parts, ", "))
	}
	if r.Records > 0 {
		fmt.Fprintf(w, "  usage records %d: %.0f records/s\n", r.Records, r.RecordsPerSecond)
	}
}

// encoding returns the app's codecs (from an app on an in-memory database).
func encoding() app.EncodingConfig {
	dir, err := os.MkdirTemp("", "baiload-app-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	a := app.New(log.NewNopLogger(), dbm.NewMemDB(), nil, false, simtestutil.NewAppOptionsWithFlagHome(dir))
	return app.EncodingConfig{InterfaceRegistry: a.InterfaceRegistry(), Codec: a.AppCodec(), TxConfig: a.TxConfig(), Amino: a.LegacyAmino()}
}

// target is the node under load.
type target struct {
	rpc     *RPC
	chainID string
	metrics string
	pid     int
	pprof   string
	local   *LocalChain
}

func runOnce(o Options, enc app.EncodingConfig, mix Mix, gasPrice math.LegacyDec, home string) (Result, error) {
	ctx := context.Background()
	accs := DeriveAccounts(o.Accounts)
	res := Result{Label: o.Label, Mix: mix.String(), Accounts: o.Accounts, TxsPerAccount: o.TxsPerAccount}
	var tg target
	if o.Node == "" {
		for i, a := range accs {
			a.AccNum = uint64(i + 1)
		}
		cache := o.SigCache
		res.SigCache = &cache
		var env []string
		if o.NodeEnv != "" {
			env = strings.Split(o.NodeEnv, ",")
		}
		// Room for the load, the setup txs and a margin.
		mempool := o.Accounts*(o.TxsPerAccount+2) + 1000
		lc, err := CreateChain(ChainOptions{
			Bin: o.Bin, Home: home, ChainID: "baiload-1", Accounts: accs, Balance: accountBalance(o.Accounts),
			MempoolSize: mempool, SigCache: cache, Pprof: o.Pprof || o.CPUProfile != "", Env: env, TimeoutCommit: o.BlockTime,
		})
		if err != nil {
			return res, err
		}
		if err := lc.Start(env); err != nil {
			return res, err
		}
		defer lc.Stop()
		if o.Keep {
			res.Home = home
		}
		tg = target{rpc: NewRPC(fmt.Sprintf("tcp://127.0.0.1:%d", lc.RPCPort), o.Accounts), chainID: lc.ChainID,
			metrics: fmt.Sprintf("http://127.0.0.1:%d/metrics", lc.PromPort), pid: lc.Pid(), local: lc}
		if o.Pprof || o.CPUProfile != "" {
			tg.pprof = fmt.Sprintf("http://127.0.0.1:%d", lc.PprofPort)
		}
		if err := waitHeight(ctx, tg, 2, 2*time.Minute); err != nil {
			return res, err
		}
	} else {
		tg = target{rpc: NewRPC(o.Node, o.Accounts), metrics: o.Metrics, pid: o.NodePid}
		_, chainID, err := tg.rpc.Status(ctx)
		if err != nil {
			return res, err
		}
		tg.chainID = chainID
		if err := queryAccounts(ctx, tg.rpc, enc.Codec, accs); err != nil {
			return res, err
		}
	}
	b := &Builder{TxConfig: enc.TxConfig, ChainID: tg.chainID, GasPrice: gasPrice, UsageRecords: o.Records, UsageUsers: o.UsageUsers}
	if mix.NeedsSetup() {
		if err := setup(ctx, tg, b, accs); err != nil {
			return res, fmt.Errorf("setup: %w", err)
		}
		var ep curationtypes.QueryEpochResponse
		if err := tg.rpc.Query(ctx, "/balanceai.curation.v1.Query/Epoch", &curationtypes.QueryEpochRequest{}, &ep); err != nil {
			return res, err
		}
		b.Epoch = ep.Number
	}
	load, err := signParallel(b, accs, o.TxsPerAccount, mix)
	if err != nil {
		return res, err
	}
	kindOf := map[string]LoadTx{}
	for _, txs := range load {
		for _, t := range txs {
			kindOf[TxHash(t.Bytes)] = LoadTx{Kind: t.Kind, Records: t.Records}
		}
	}

	startHeight, _, err := tg.rpc.Status(ctx)
	if err != nil {
		return res, err
	}
	m0, err := scrape(tg.metrics)
	if err != nil {
		return res, err
	}
	var cpu0 time.Duration
	if tg.pid > 0 {
		if cpu0, err = ProcessCPU(tg.pid); err != nil {
			return res, err
		}
	}
	var profWG sync.WaitGroup
	var profErr error
	if o.CPUProfile != "" && tg.pprof != "" {
		profWG.Add(1)
		go func() {
			defer profWG.Done()
			profErr = fetch(fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", tg.pprof, o.ProfileSecs), o.CPUProfile)
		}()
	}
	// Sample the mempool size while the load runs.
	sampleCtx, stopSampling := context.WithCancel(ctx)
	var peak atomic.Int64
	var sampleWG sync.WaitGroup
	sampleWG.Add(1)
	go func() {
		defer sampleWG.Done()
		for sampleCtx.Err() == nil {
			if n, err := tg.rpc.Unconfirmed(sampleCtx); err == nil && int64(n) > peak.Load() {
				peak.Store(int64(n))
			}
			time.Sleep(250 * time.Millisecond)
		}
	}()
	t0 := time.Now()
	sent, rejected, firstRej := broadcast(ctx, tg.rpc, load)
	res.BroadcastSeconds = time.Since(t0).Seconds()
	res.Sent, res.Rejected, res.FirstRejection = sent, rejected, firstRej
	err = waitDrain(ctx, tg, 10*time.Minute)
	stopSampling()
	sampleWG.Wait()
	res.PeakMempool = int(peak.Load())
	if err != nil {
		return res, err
	}
	endHeight, _, err := tg.rpc.Status(ctx)
	if err != nil {
		return res, err
	}
	// The window ends at the header of the second block after the last load block.
	endHeight += 2
	if err := waitHeight(ctx, tg, endHeight, 2*time.Minute); err != nil {
		return res, err
	}
	var cpu1 time.Duration
	if tg.pid > 0 {
		if cpu1, err = ProcessCPU(tg.pid); err != nil {
			return res, err
		}
	}
	m1, err := scrape(tg.metrics)
	if err != nil {
		return res, err
	}
	profWG.Wait()
	if profErr != nil {
		return res, profErr
	}
	if o.CPUProfile != "" && tg.pprof != "" {
		for _, p := range []string{"allocs", "mutex", "block"} {
			if err := fetch(fmt.Sprintf("%s/debug/pprof/%s", tg.pprof, p), o.CPUProfile+"."+p); err != nil {
				return res, err
			}
		}
	}

	var blocks []Block
	for h := startHeight; h <= endHeight; h++ {
		rb, err := tg.rpc.Block(ctx, h)
		if err != nil {
			return res, err
		}
		blk := Block{Height: h, Time: rb.Time, Txs: len(rb.Txs), Kinds: map[Kind]int{}}
		for i, tx := range rb.Txs {
			lt, ok := kindOf[TxHash(tx)]
			if !ok {
				continue
			}
			blk.Load++
			if rb.Codes[i] == 0 {
				blk.OK++
				blk.Kinds[lt.Kind]++
				blk.Records += lt.Records
			}
		}
		blocks = append(blocks, blk)
	}
	w, ok := LoadWindow(blocks)
	if !ok {
		return res, fmt.Errorf("no load tx committed in blocks %d..%d (CheckTx rejected %d; first: %s)", startHeight, endHeight, rejected, firstRej)
	}
	res.Committed, res.Failed, res.Kinds, res.Records = w.Committed, w.Failed, w.Kinds, w.Records
	res.FirstHeight, res.LastHeight, res.Blocks, res.MaxTxsPerBlock = w.First, w.Last, w.Blocks, w.MaxPerBlock
	res.Seconds, res.TPS, res.TxsPerBlock, res.RecordsPerSecond = w.Duration().Seconds(), w.TPS(), w.TxsPerBlock(), w.RecordsPerSecond()
	fin0, _ := m0.FinalizeBlockSeconds("cometbft")
	fin1, _ := m1.FinalizeBlockSeconds("cometbft")
	if w.Committed > 0 {
		res.FinalizeMsPerTx = 1000 * (fin1 - fin0) / float64(w.Committed)
		if tg.pid > 0 {
			res.CPUMsPerTx = float64((cpu1 - cpu0).Microseconds()) / 1000 / float64(w.Committed)
		}
	}
	if w.Committed > 0 {
		res.RechecksPerTx = (m1.Rechecks("cometbft") - m0.Rechecks("cometbft")) / float64(w.Committed)
	}
	h0, mi0 := m0.SigCacheLookups()
	h1, mi1 := m1.SigCacheLookups()
	res.SigCacheHits, res.SigCacheMisses = h1-h0, mi1-mi0
	return res, nil
}

// accountBalance shares 19,000,000 BAI of the 21,000,000 BAI max supply among the load
// accounts (at most 1,000,000 BAI each); the validator has 1,000,000 BAI.
func accountBalance(n int) int64 {
	return min(19_000_000_000_000/int64(n), 1_000_000_000_000)
}

func waitHeight(ctx context.Context, tg target, h int64, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		if tg.local != nil && tg.local.Exited() {
			return fmt.Errorf("the node exited; log tail:\n%s", tg.local.LogTail(4000))
		}
		if cur, _, err := tg.rpc.Status(ctx); err == nil && cur >= h {
			return nil
		}
		if time.Now().After(deadline) {
			msg := ""
			if tg.local != nil {
				msg = "; log tail:\n" + tg.local.LogTail(4000)
			}
			return fmt.Errorf("the node did not reach height %d in %s%s", h, timeout, msg)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// waitDrain waits until the mempool is empty: every accepted tx is in a committed block.
func waitDrain(ctx context.Context, tg target, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		n, err := tg.rpc.Unconfirmed(ctx)
		if err == nil && n == 0 {
			return nil
		}
		if tg.local != nil && tg.local.Exited() {
			return fmt.Errorf("the node exited; log tail:\n%s", tg.local.LogTail(4000))
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("mempool not drained after %s (%d txs left, err %v)", timeout, n, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// signParallel pre-signs the load, accounts spread over the CPUs.
func signParallel(b *Builder, accs []*Account, m int, mix Mix) ([][]LoadTx, error) {
	out := make([][]LoadTx, len(accs))
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, runtime.GOMAXPROCS(0))
	for w := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(accs) {
					return
				}
				txs, err := b.BuildAccount(accs[i], b.Recipients(accs, i), m, mix)
				if err != nil {
					errs[w] = err
					return
				}
				out[i] = txs
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// broadcast sends every account's txs in order, one goroutine per account; a "mempool is full"
// answer is retried, any other refusal stops that account (its later sequences would fail).
func broadcast(ctx context.Context, rpc *RPC, load [][]LoadTx) (sent, rejected int, first string) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, txs := range load {
		wg.Add(1)
		go func(txs []LoadTx) {
			defer wg.Done()
			for i := 0; i < len(txs); i++ {
				res, err := rpc.BroadcastSync(ctx, txs[i].Bytes)
				if err != nil && strings.Contains(err.Error(), "mempool is full") {
					time.Sleep(50 * time.Millisecond)
					i--
					continue
				}
				mu.Lock()
				if err == nil && res.Code == 0 {
					sent++
					mu.Unlock()
					continue
				}
				rejected += len(txs) - i
				if first == "" {
					if err != nil {
						first = err.Error()
					} else {
						first = fmt.Sprintf("code %d (%s): %s", res.Code, res.Codespace, res.Log)
					}
				}
				mu.Unlock()
				return
			}
		}(txs)
	}
	wg.Wait()
	return sent, rejected, first
}

// setup gives each account a listing (recording its own usage as its operator) and a curator
// bond, in two rounds of one tx per account; the accounts' sequences move on by two.
func setup(ctx context.Context, tg target, b *Builder, accs []*Account) error {
	round1 := make([][]byte, len(accs))
	for i, a := range accs {
		bz, err := b.Sign(a, a.Seq, 800_000, "", ListingMsg(a.Address.String(), fmt.Sprintf("setup-%d", i)),
			&curationtypes.MsgBondCurator{Curator: a.Address.String(), Amount: sdk.NewInt64Coin(app.BondDenom, 10_000_000_000)})
		if err != nil {
			return err
		}
		round1[i] = bz
	}
	results, err := deliverAll(ctx, tg, round1)
	if err != nil {
		return err
	}
	round2 := make([][]byte, len(accs))
	for i, a := range accs {
		var data sdk.TxMsgData
		if err := data.Unmarshal(results[i].Result.Data); err != nil || len(data.MsgResponses) == 0 {
			return fmt.Errorf("account %d: register-listing response: %v", i, err)
		}
		var lr marketplacetypes.MsgRegisterListingResponse
		if err := lr.Unmarshal(data.MsgResponses[0].Value); err != nil {
			return err
		}
		a.ListingID = lr.Id
		a.Seq++
		bz, err := b.Sign(a, a.Seq, 300_000, "", &accesstypes.MsgSetOperators{Owner: a.Address.String(),
			ListingId: a.ListingID, Operators: []string{a.Address.String()}})
		if err != nil {
			return err
		}
		round2[i] = bz
	}
	if _, err := deliverAll(ctx, tg, round2); err != nil {
		return err
	}
	for _, a := range accs {
		a.Seq++
	}
	return nil
}

// deliverAll broadcasts txs and waits until each is committed with code 0.
func deliverAll(ctx context.Context, tg target, txs [][]byte) ([]TxResult, error) {
	for i, tx := range txs {
		res, err := tg.rpc.BroadcastSync(ctx, tx)
		if err != nil {
			return nil, err
		}
		if res.Code != 0 {
			return nil, fmt.Errorf("tx %d refused: code %d (%s): %s", i, res.Code, res.Codespace, res.Log)
		}
	}
	out := make([]TxResult, len(txs))
	deadline := time.Now().Add(2 * time.Minute)
	for i, tx := range txs {
		for {
			r, err := tg.rpc.Tx(ctx, tx)
			if err == nil {
				if r.Result.Code != 0 {
					return nil, fmt.Errorf("tx %d failed: code %d: %s", i, r.Result.Code, r.Result.Log)
				}
				out[i] = r
				break
			}
			if time.Now().After(deadline) {
				return nil, fmt.Errorf("tx %d not committed: %w", i, err)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	return out, nil
}

// queryAccounts reads the account numbers and sequences of the accounts on a running chain.
func queryAccounts(ctx context.Context, rpc *RPC, cdc codec.Codec, accs []*Account) error {
	for _, a := range accs {
		var res authtypes.QueryAccountResponse
		if err := rpc.Query(ctx, "/cosmos.auth.v1beta1.Query/Account", &authtypes.QueryAccountRequest{Address: a.Address.String()}, &res); err != nil {
			return fmt.Errorf("account %d (%s) must exist and be funded: %w", a.Index, a.Address, err)
		}
		var acc sdk.AccountI
		if err := cdc.UnpackAny(res.Account, &acc); err != nil {
			return err
		}
		a.AccNum, a.Seq = acc.GetAccountNumber(), acc.GetSequence()
	}
	return nil
}

func scrape(url string) (Metrics, error) {
	if url == "" {
		return Metrics{}, nil
	}
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return ParseMetrics(resp.Body)
}

func fetch(url, path string) error {
	client := http.Client{Timeout: 5 * time.Minute}
	resp, err := client.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(f, resp.Body)
	return err
}
