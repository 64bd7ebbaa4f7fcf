package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Block is what the report needs of one committed block.
type Block struct {
	Height int64
	Time   time.Time
	// Txs is every tx in the block; Load the load txs among them, OK those that succeeded.
	Txs, Load, OK int
	// Kinds counts the successful load txs by kind; Records the usage records they carried.
	Kinds   map[Kind]int
	Records int
}

// Window is the span of blocks that carried load txs.
type Window struct {
	// First and Last are the heights of the first and last block with load txs.
	First, Last int64
	// Start is the header time of block First+1 and End that of block Last+2. A header's time
	// is when the block before it was decided (the proposer's last commit), before that block
	// was executed, so Start..End holds the execution of First..Last: as many block intervals
	// as blocks, each as long as its block took (or timeout_commit, if longer).
	Start, End time.Time
	// Committed is the successful load txs in First..Last, Failed the load txs that failed in
	// execution, Records the usage records of the successful ones.
	Committed, Failed, Records int
	Kinds                      map[Kind]int
	// Blocks is the number of blocks in First..Last.
	Blocks int
	// MaxPerBlock is the largest number of txs in one block of the window.
	MaxPerBlock int
}

// Duration is End - Start.
func (w Window) Duration() time.Duration { return w.End.Sub(w.Start) }

// TPS is committed load txs per second of block time.
func (w Window) TPS() float64 { return perSecond(w.Committed, w.Duration()) }

// RecordsPerSecond is committed usage records per second of block time.
func (w Window) RecordsPerSecond() float64 { return perSecond(w.Records, w.Duration()) }

// TxsPerBlock is the mean number of committed load txs per block of the window.
func (w Window) TxsPerBlock() float64 {
	if w.Blocks == 0 {
		return 0
	}
	return float64(w.Committed) / float64(w.Blocks)
}

func perSecond(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// LoadWindow finds the first and last blocks with load txs among blocks (consecutive heights,
// ascending) and sums them. The time span runs from the header time of the block after the
// first to that of the second block after the last (see Window), so a last block that took
// long to execute is counted. ok is false without load txs or without the two blocks after the
// last.
func LoadWindow(blocks []Block) (Window, bool) {
	first, last := -1, -1
	for i, b := range blocks {
		if b.Load > 0 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 || last+2 >= len(blocks) {
		return Window{}, false
	}
	w := Window{First: blocks[first].Height, Last: blocks[last].Height, Start: blocks[first+1].Time,
		End: blocks[last+2].Time, Kinds: map[Kind]int{}, Blocks: last - first + 1}
	for _, b := range blocks[first : last+1] {
		w.Committed += b.OK
		w.Failed += b.Load - b.OK
		w.Records += b.Records
		for k, n := range b.Kinds {
			w.Kinds[k] += n
		}
		if b.Txs > w.MaxPerBlock {
			w.MaxPerBlock = b.Txs
		}
	}
	return w, true
}

// Median of xs (0 for none).
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// MaxDeviation is the largest |x - median| / median of xs (0 when the median is 0).
func MaxDeviation(xs []float64) float64 {
	m := Median(xs)
	if m == 0 {
		return 0
	}
	d := 0.0
	for _, x := range xs {
		d = math.Max(d, math.Abs(x-m)/m)
	}
	return d
}

// Ratio is a/b (0 when b is 0).
func Ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// Metrics are Prometheus samples: series (name with its labels as written) to value.
type Metrics map[string]float64

// ParseMetrics reads the Prometheus text format (comments skipped).
func ParseMetrics(r io.Reader) (Metrics, error) {
	m := Metrics{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		// The value follows the last space outside the labels; a timestamp may follow it.
		series, rest := line, ""
		if i := strings.LastIndex(line, "}"); i >= 0 {
			series, rest = line[:i+1], strings.TrimSpace(line[i+1:])
		} else if i := strings.IndexByte(line, ' '); i >= 0 {
			series, rest = line[:i], strings.TrimSpace(line[i+1:])
		}
		fields := strings.Fields(rest)
		if len(fields) == 0 {
			return nil, fmt.Errorf("metrics line without a value: %q", line)
		}
		v, err := strconv.ParseFloat(fields[0], 64)
		if err != nil {
			return nil, fmt.Errorf("metrics line %q: %w", line, err)
		}
		m[series] = v
	}
	return m, sc.Err()
}

// Sum adds the values of the series of metric name whose labels contain every label of want
// (e.g. `method="finalize_block"`).
func (m Metrics) Sum(name string, want ...string) float64 {
	total := 0.0
	for series, v := range m {
		base, labels, _ := strings.Cut(series, "{")
		if base != name {
			continue
		}
		match := true
		for _, w := range want {
			if !strings.Contains(labels, w) {
				match = false
				break
			}
		}
		if match {
			total += v
		}
	}
	return total
}

// FinalizeBlockSeconds is the total time CometBFT spent in the app's FinalizeBlock (the ABCI
// client's method timing, a histogram in seconds) and the number of calls. Both are 0 when the
// node does not export it.
func (m Metrics) FinalizeBlockSeconds(namespace string) (float64, float64) {
	name := namespace + "_abci_connection_method_timing_seconds"
	return m.Sum(name+"_sum", `method="finalize_block"`), m.Sum(name+"_count", `method="finalize_block"`)
}

// Rechecks is the number of mempool rechecks (CheckTx of txs still in the mempool after a block).
func (m Metrics) Rechecks(namespace string) float64 {
	return m.Sum(namespace + "_mempool_recheck_times")
}

// SigCacheLookups is the verified-signature cache's hits and misses.
func (m Metrics) SigCacheLookups() (float64, float64) {
	return m.Sum("balanceai_sig_cache_lookups_total", `result="hit"`), m.Sum("balanceai_sig_cache_lookups_total", `result="miss"`)
}

// ProcStatCPU reads the user+system CPU time of a process from the text of /proc/<pid>/stat
// (fields 14 and 15, in clock ticks of ticksPerSecond).
func ProcStatCPU(stat string, ticksPerSecond int64) (time.Duration, error) {
	// The command name (field 2) is in parentheses and may hold spaces: count after its end.
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc stat without a command name: %q", stat)
	}
	fields := strings.Fields(stat[i+1:])
	// fields[0] is field 3 (state), so field n is fields[n-3].
	if len(fields) < 13 {
		return 0, fmt.Errorf("/proc stat too short: %q", stat)
	}
	utime, err := strconv.ParseInt(fields[11], 10, 64)
	if err != nil {
		return 0, err
	}
	stime, err := strconv.ParseInt(fields[12], 10, 64)
	if err != nil {
		return 0, err
	}
	return time.Duration((utime + stime) * int64(time.Second) / ticksPerSecond), nil
}
