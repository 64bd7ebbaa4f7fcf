package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	accesstypes "github.com/balanceai/balanceai/x/access/types"
	bridgetypes "github.com/balanceai/balanceai/x/bridge/types"
	curationtypes "github.com/balanceai/balanceai/x/curation/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

func TestDeriveAccountsDeterministic(t *testing.T) {
	a, b := DeriveAccounts(3), DeriveAccounts(3)
	seen := map[string]bool{}
	for i := range a {
		require.Equal(t, a[i].Address, b[i].Address)
		require.Equal(t, a[i].Priv.Bytes(), b[i].Priv.Bytes())
		require.Equal(t, i, a[i].Index)
		require.True(t, strings.HasPrefix(a[i].Address.String(), "bai1"), a[i].Address.String())
		require.False(t, seen[a[i].Address.String()], "accounts %d repeats an address", i)
		seen[a[i].Address.String()] = true
	}
	// A fixed vector: the genesis of a --node chain funds these addresses.
	require.Equal(t, DeriveAccount(0).Address, DeriveAccounts(1)[0].Address)
	require.NotEqual(t, DeriveAccount(0).Address, DeriveAccount(1).Address)
}

func TestParseMixAndSchedule(t *testing.T) {
	m, err := ParseMix("bank=2, usage=1,commit,lock=1")
	require.NoError(t, err)
	require.Equal(t, "bank=2,usage=1,commit=1,lock=1", m.String())
	require.True(t, m.NeedsSetup())
	require.Equal(t, []Kind{KindCommit, KindBank, KindBank, KindUsage, KindLock, KindBank, KindBank}, m.Schedule(7))

	bank, err := ParseMix("bank")
	require.NoError(t, err)
	require.False(t, bank.NeedsSetup())
	require.Equal(t, []Kind{KindBank, KindBank, KindBank}, bank.Schedule(3))

	for _, bad := range []string{"", "bank=0", "swap=1", "bank=-1", "bank=x", "commit=1"} {
		_, err := ParseMix(bad)
		require.Error(t, err, bad)
	}
}

// TestBuildLoadSignsDirect checks every built tx decodes, carries the expected Msg, account's
// sequence and gas, and has a valid SIGN_MODE_DIRECT signature over the chain id and account
// number.
func TestBuildLoadSignsDirect(t *testing.T) {
	enc := encoding()
	accs := DeriveAccounts(2)
	for i, a := range accs {
		a.AccNum = uint64(7 + i)
		a.Seq = 2
		a.ListingID = uint64(40 + i)
	}
	mix, err := ParseMix("bank=1,listing=1,usage=1,commit=1,lock=1")
	require.NoError(t, err)
	b := &Builder{TxConfig: enc.TxConfig, ChainID: "baiload-test", GasPrice: math.LegacyZeroDec(), UsageRecords: 3, Epoch: 5}
	load, err := b.BuildLoad(accs, 5, mix)
	require.NoError(t, err)
	require.Len(t, load, 2)

	wantTypes := []any{&curationtypes.MsgCommitScores{}, &banktypes.MsgSend{}, &marketplacetypes.MsgRegisterListing{},
		&accesstypes.MsgRecordUsage{}, &bridgetypes.MsgLock{}}
	for ai, txs := range load {
		acc := accs[ai]
		require.Len(t, txs, 5)
		for i, lt := range txs {
			decoded, err := enc.TxConfig.TxDecoder()(lt.Bytes)
			require.NoError(t, err)
			msgs := decoded.GetMsgs()
			require.Len(t, msgs, 1)
			require.IsType(t, wantTypes[i], msgs[0], "tx %d", i)
			sigTx := decoded.(authsigning.Tx)
			sigs, err := sigTx.GetSignaturesV2()
			require.NoError(t, err)
			require.Len(t, sigs, 1)
			require.Equal(t, acc.Seq+uint64(i), sigs[0].Sequence)
			data := sigs[0].Data.(*signing.SingleSignatureData)
			require.Equal(t, signing.SignMode_SIGN_MODE_DIRECT, data.SignMode)
			require.True(t, sigTx.GetFee().IsZero())
			signBytes, err := authsigning.GetSignBytesAdapter(context.Background(), enc.TxConfig.SignModeHandler(),
				signing.SignMode_SIGN_MODE_DIRECT, authsigning.SignerData{
					Address: acc.Address.String(), ChainID: "baiload-test", AccountNumber: acc.AccNum,
					Sequence: acc.Seq + uint64(i), PubKey: acc.Priv.PubKey(),
				}, decoded)
			require.NoError(t, err)
			require.True(t, acc.Priv.PubKey().VerifySignature(signBytes, data.Signature), "tx %d signature", i)
			switch m := msgs[0].(type) {
			case *accesstypes.MsgRecordUsage:
				require.Equal(t, acc.ListingID, m.ListingId)
				require.Len(t, m.Records, 3)
				require.Equal(t, accs[(ai+1)%2].Address.String(), m.Records[0].User)
				require.Equal(t, 3, lt.Records)
				require.Equal(t, usageGas(3, 1), sigTx.GetGas())
			case *curationtypes.MsgCommitScores:
				require.Equal(t, uint64(5), m.Epoch)
				require.NoError(t, curationtypes.ValidateCommitment(m.Commitment))
			case *banktypes.MsgSend:
				require.Equal(t, accs[(ai+1)%2].Address.String(), m.ToAddress)
				require.Equal(t, kindGas[KindBank], sigTx.GetGas())
			}
		}
	}

	// A gas price sets the fee of gas × price, rounded up.
	b.GasPrice = math.LegacyMustNewDecFromStr("0.0025")
	txs, err := b.BuildAccount(accs[0], []*Account{accs[1]}, 1, mix)
	require.NoError(t, err)
	decoded, err := enc.TxConfig.TxDecoder()(txs[0].Bytes)
	require.NoError(t, err)
	require.Equal(t, "500ubai", decoded.(authsigning.Tx).GetFee().String()) // 200,000 gas of a commit
}

func TestLoadWindow(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	blocks := []Block{
		{Height: 10, Time: t0, Txs: 3},
		{Height: 11, Time: t0.Add(500 * time.Millisecond), Txs: 400, Load: 400, OK: 400, Kinds: map[Kind]int{KindBank: 400}},
		{Height: 12, Time: t0.Add(1500 * time.Millisecond), Txs: 900, Load: 900, OK: 880, Records: 200,
			Kinds: map[Kind]int{KindBank: 870, KindUsage: 10}},
		{Height: 13, Time: t0.Add(2000 * time.Millisecond), Txs: 0},
		{Height: 14, Time: t0.Add(2000 * time.Millisecond), Txs: 200, Load: 200, OK: 200, Kinds: map[Kind]int{KindBank: 200}},
		{Height: 15, Time: t0.Add(3000 * time.Millisecond), Txs: 1},
		{Height: 16, Time: t0.Add(4500 * time.Millisecond), Txs: 0},
	}
	w, ok := LoadWindow(blocks)
	require.True(t, ok)
	require.Equal(t, int64(11), w.First)
	require.Equal(t, int64(14), w.Last)
	// From the header of 12 (11 decided) to that of 16 (15 decided, so 14 executed).
	require.Equal(t, 3*time.Second, w.Duration())
	require.Equal(t, 1480, w.Committed)
	require.Equal(t, 20, w.Failed)
	require.Equal(t, 200, w.Records)
	require.Equal(t, 4, w.Blocks)
	require.Equal(t, 900, w.MaxPerBlock)
	require.InDelta(t, 1480.0/3, w.TPS(), 1e-9)
	require.InDelta(t, 200.0/3, w.RecordsPerSecond(), 1e-9)
	require.InDelta(t, 370.0, w.TxsPerBlock(), 1e-9)
	require.Equal(t, map[Kind]int{KindBank: 1470, KindUsage: 10}, w.Kinds)

	// No load, or fewer than two blocks after the last load block: no window.
	_, ok = LoadWindow(blocks[:1])
	require.False(t, ok)
	_, ok = LoadWindow(blocks[:6])
	require.False(t, ok)
	_, ok = LoadWindow(blocks[1:])
	require.True(t, ok, "load in the first fetched block is counted from the header after it")
}

func TestMedianDeviationRatio(t *testing.T) {
	require.Equal(t, 0.0, Median(nil))
	require.Equal(t, 3.0, Median([]float64{5, 1, 3}))
	require.Equal(t, 2.5, Median([]float64{4, 1, 3, 2}))
	xs := []float64{1000, 1100, 900, 500}
	require.InDelta(t, 450.0/950.0, MaxDeviation(xs), 1e-9)
	require.Equal(t, 0.0, Ratio(1, 0))
	require.Equal(t, 1.5, Ratio(3, 2))
}

func TestParseMetrics(t *testing.T) {
	text := `# HELP cometbft_abci_connection_method_timing_seconds Timing for each ABCI method.
# TYPE cometbft_abci_connection_method_timing_seconds histogram
cometbft_abci_connection_method_timing_seconds_bucket{chain_id="c",method="finalize_block",type="sync",le="0.1"} 3
cometbft_abci_connection_method_timing_seconds_sum{chain_id="c",method="finalize_block",type="sync"} 1.25
cometbft_abci_connection_method_timing_seconds_count{chain_id="c",method="finalize_block",type="sync"} 40
cometbft_abci_connection_method_timing_seconds_sum{chain_id="c",method="check_tx",type="sync"} 9.5
cometbft_abci_connection_method_timing_seconds_sum{chain_id="c",method="check_tx",type="async"} 0.5
cometbft_mempool_recheck_times{chain_id="c"} 300
balanceai_sig_cache_lookups_total{result="hit"} 1200
balanceai_sig_cache_lookups_total{result="miss"} 1300
go_goroutines 42
process_start_time_seconds 1.7e+09 1700000000000
`
	m, err := ParseMetrics(strings.NewReader(text))
	require.NoError(t, err)
	sum, count := m.FinalizeBlockSeconds("cometbft")
	require.Equal(t, 1.25, sum)
	require.Equal(t, 40.0, count)
	require.Equal(t, 300.0, m.Rechecks("cometbft"))
	hits, misses := m.SigCacheLookups()
	require.Equal(t, 1200.0, hits)
	require.Equal(t, 1300.0, misses)
	require.Equal(t, 42.0, m.Sum("go_goroutines"))
	require.Equal(t, 1.7e9, m.Sum("process_start_time_seconds"))

	_, err = ParseMetrics(strings.NewReader("broken_metric\n"))
	require.Error(t, err)
}

func TestProcStatCPU(t *testing.T) {
	// Fields 14 (utime) and 15 (stime) in ticks; the command name may hold spaces and ')'.
	stat := "4242 (baid (x) y) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 75 0 0 20 0 12 0 100 0 0"
	d, err := ProcStatCPU(stat, 100)
	require.NoError(t, err)
	require.Equal(t, 3250*time.Millisecond, d)
	_, err = ProcStatCPU("4242 baid S 1", 100)
	require.Error(t, err)
}

// TestPlanRuns: the comparisons interleave their two sides and alternate which goes first.
func TestPlanRuns(t *testing.T) {
	mix := Mix{KindBank: 1}
	o := Options{TxsPerAccount: 400, UsageTxs: 60, SigCache: true, Runs: 1}

	cmp := o
	cmp.CompareRounds = 2
	var caches []bool
	for _, r := range planRuns(cmp, mix) {
		require.Equal(t, 400, r.txs)
		caches = append(caches, r.sigCache)
	}
	require.Equal(t, []bool{false, true, true, false}, caches)

	use := o
	use.UsageRounds = 3
	var kinds []string
	for _, r := range planRuns(use, mix) {
		kinds = append(kinds, fmt.Sprintf("%s/%d", r.mix, r.txs))
		require.True(t, r.sigCache)
	}
	require.Equal(t, []string{"bank=1/400", "usage=1/60", "usage=1/60", "bank=1/400", "bank=1/400", "usage=1/60"}, kinds)

	runs := o
	runs.Runs = 3
	require.Len(t, planRuns(runs, mix), 3)
}

// TestCompareUsage pairs each round's bank and usage runs whatever their order.
func TestCompareUsage(t *testing.T) {
	bank := func(tps, cpu float64) Result { return Result{TPS: tps, CPUMsPerTx: cpu, Committed: 1000} }
	usage := func(rps, cpuPerTx float64) Result {
		return Result{RecordsPerSecond: rps, CPUMsPerTx: cpuPerTx, Committed: 100, Records: 10_000}
	}
	u := compareUsage([]Result{bank(1000, 0.8), usage(8000, 12), usage(12000, 10), bank(1500, 0.7)})
	require.Equal(t, []float64{8, 8}, u.RoundRatios)
	require.InDelta(t, 1250, u.BankTPS, 1e-9)
	require.InDelta(t, 10000, u.RecordsPerSecond, 1e-9)
	require.InDelta(t, 8, u.Ratio, 1e-9)
	require.InDelta(t, 0.75, u.BankCPUMs, 1e-9)
	require.InDelta(t, 0.11, u.CPUMsPerRecord, 1e-9) // 12 and 10 ms a batch of 100 records
	require.InDelta(t, 0.75/0.11, u.CPURatio, 1e-9)
}

// TestUsageBatchesCycleThroughUsers: with UsageUsers k, account i's records go to the k
// accounts after it in turn, and the gas limit counts the distinct users.
func TestUsageBatchesCycleThroughUsers(t *testing.T) {
	enc := encoding()
	accs := DeriveAccounts(4)
	for i, a := range accs {
		a.AccNum = uint64(1 + i)
		a.ListingID = uint64(10 + i)
	}
	mix, err := ParseMix("usage=1")
	require.NoError(t, err)
	b := &Builder{TxConfig: enc.TxConfig, ChainID: "baiload-test", GasPrice: math.LegacyZeroDec(), UsageRecords: 5, UsageUsers: 3}
	to := b.Recipients(accs, 2)
	require.Equal(t, []*Account{accs[3], accs[0], accs[1]}, to)
	txs, err := b.BuildAccount(accs[2], to, 1, mix)
	require.NoError(t, err)
	decoded, err := enc.TxConfig.TxDecoder()(txs[0].Bytes)
	require.NoError(t, err)
	m := decoded.GetMsgs()[0].(*accesstypes.MsgRecordUsage)
	var users []string
	for _, r := range m.Records {
		users = append(users, r.User)
	}
	a3, a0, a1 := accs[3].Address.String(), accs[0].Address.String(), accs[1].Address.String()
	require.Equal(t, []string{a3, a0, a1, a3, a0}, users)
	require.Equal(t, usageGas(5, 3), decoded.(authsigning.Tx).GetGas())

	b.UsageUsers = 0
	require.Equal(t, []*Account{accs[3]}, b.Recipients(accs, 2), "one user by default")
}
