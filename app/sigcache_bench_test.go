package app_test

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/balanceai/balanceai/app"
	"github.com/balanceai/balanceai/testutil"
)

const (
	benchSenders      = 50
	benchTxsPerSender = 4
)

// BenchmarkFinalizeBlockBankSends times FinalizeBlock of blocks of 200 bank sends (50 senders ×
// 4, SIGN_MODE_DIRECT) that went through CheckTx first, as on a node whose mempool received
// them, on two identical chains: one with the verified-signature cache off, one with it on.
// The chains take turns block by block (which one goes first alternates), so both see the same
// machine load; signing, CheckTx and Commit are not timed. It reports wall and process CPU time
// per tx of each and their ratios off/on (`make bench-sigcache`).
func BenchmarkFinalizeBlockBankSends(b *testing.B) {
	off := newBenchChain(b, false)
	on := newBenchChain(b, true)
	var wall, cpu [2]time.Duration
	var txs int
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		chains := []*benchChain{off, on}
		if n%2 == 1 {
			chains[0], chains[1] = on, off
		}
		for _, c := range chains {
			c.prepare(b)
		}
		b.StartTimer()
		for _, c := range chains {
			w, u := c.finalize(b)
			i := 0
			if c == on {
				i = 1
			}
			wall[i] += w
			cpu[i] += u
		}
		b.StopTimer()
		for _, c := range chains {
			c.commit(b)
		}
		txs += benchSenders * benchTxsPerSender
		b.StartTimer()
	}
	b.StopTimer()
	perTx := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(txs) }
	b.ReportMetric(perTx(wall[0]), "off-ns/tx")
	b.ReportMetric(perTx(wall[1]), "on-ns/tx")
	b.ReportMetric(float64(wall[0])/float64(wall[1]), "off/on-wall")
	b.ReportMetric(perTx(cpu[0]), "off-cpu-ns/tx")
	b.ReportMetric(perTx(cpu[1]), "on-cpu-ns/tx")
	b.ReportMetric(float64(cpu[0])/float64(cpu[1]), "off/on-cpu")
	hits, _ := on.c.App.SigCache().Stats()
	require.Equal(b, uint64(txs), hits-on.hits0)
}

type benchSender struct {
	tx  sigTx
	seq uint64
}

// benchChain is a chain with benchSenders funded accounts sending bank transfers.
type benchChain struct {
	c       *testutil.Chain
	senders []*benchSender
	req     *abci.RequestFinalizeBlock
	hits0   uint64
}

func newBenchChain(b *testing.B, enable bool) *benchChain {
	names := make([]string, benchSenders)
	for i := range names {
		names[i] = fmt.Sprintf("sender%02d", i)
	}
	c := sigCacheChain(b, enable, names)
	bc := &benchChain{c: c}
	for i, n := range names {
		acc := c.Accounts[n]
		bc.senders = append(bc.senders, &benchSender{tx: sigTx{
			priv: acc.PrivKey, accNum: c.App.AccountKeeper.GetAccount(c.Ctx(), acc.Address).GetAccountNumber(),
			mode: signing.SignMode_SIGN_MODE_DIRECT, gas: 200_000,
			msgs: []sdk.Msg{banktypes.NewMsgSend(acc.Address, c.Accounts[names[(i+1)%len(names)]].Address,
				sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 1)))},
		}})
	}
	if enable {
		bc.hits0, _ = c.App.SigCache().Stats()
	}
	return bc
}

// prepare signs the next block's transactions and passes them through CheckTx.
func (bc *benchChain) prepare(b *testing.B) {
	txCfg := bc.c.App.TxConfig()
	block := make([][]byte, 0, benchSenders*benchTxsPerSender)
	for k := 0; k < benchTxsPerSender; k++ {
		for _, s := range bc.senders {
			tx := s.tx
			tx.seq = s.seq
			tx.memo = fmt.Sprintf("%d", s.seq)
			_, bz := tx.build(b, txCfg)
			s.seq++
			block = append(block, bz)
		}
	}
	for _, tx := range block {
		res, err := bc.c.App.CheckTx(&abci.RequestCheckTx{Tx: tx, Type: abci.CheckTxType_New})
		require.NoError(b, err)
		require.Zero(b, res.Code, res.Log)
	}
	bc.req = &abci.RequestFinalizeBlock{
		Height: bc.c.Height + 1, Time: bc.c.Time.Add(bc.c.BlockTime), Txs: block,
		ProposerAddress: bc.c.Validators[0].ConsAddr,
	}
}

// finalize runs FinalizeBlock of the prepared block and returns its wall and process CPU time.
func (bc *benchChain) finalize(b *testing.B) (time.Duration, time.Duration) {
	cpu0 := processCPU(b)
	start := time.Now()
	res, err := bc.c.App.FinalizeBlock(bc.req)
	wall := time.Since(start)
	cpu := processCPU(b) - cpu0
	require.NoError(b, err)
	for _, r := range res.TxResults {
		require.Zero(b, r.Code, r.Log)
	}
	return wall, cpu
}

func (bc *benchChain) commit(b *testing.B) {
	_, err := bc.c.App.Commit()
	require.NoError(b, err)
	bc.c.Height = bc.req.Height
	bc.c.Time = bc.req.Time
}

// processCPU is the user and system CPU time the test process has used.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	require.NoError(b, syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSigCacheVerify compares one secp256k1 verification (miss, as with the cache off)
// with a cache hit.
func BenchmarkSigCacheVerify(b *testing.B) {
	pk, msg, sig := benchSigned(b)
	b.Run("verify", func(b *testing.B) {
		for n := 0; n < b.N; n++ {
			if !pk.VerifySignature(msg, sig) {
				b.Fatal("invalid")
			}
		}
	})
	b.Run("hit", func(b *testing.B) {
		c := app.NewSigCache(app.DefaultSigCacheSize)
		require.True(b, c.Verify(pk, msg, sig))
		b.ResetTimer()
		for n := 0; n < b.N; n++ {
			if !c.Verify(pk, msg, sig) {
				b.Fatal("invalid")
			}
		}
	})
}

func benchSigned(b *testing.B) (cryptotypes.PubKey, []byte, []byte) {
	priv := secp256k1.GenPrivKeyFromSecret([]byte("bench"))
	msg := make([]byte, 250) // about a bank send's SIGN_MODE_DIRECT sign bytes
	for i := range msg {
		msg[i] = byte(i)
	}
	sig, err := priv.Sign(msg)
	require.NoError(b, err)
	return priv.PubKey(), msg, sig
}
