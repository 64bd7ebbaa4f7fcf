// Package bench_test times BalanceAI transactions and blocks through the real app's
// FinalizeBlock (testutil.NewChain): one benchmark per Msg a user sends, and Begin+EndBlock with
// many listings and stored receipts. `make bench-chain` runs them; `go test ./...` only
// compiles them.
package bench_test

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"

	"github.com/balanceai/balanceai/app"
	"github.com/balanceai/balanceai/testutil"
	accesstypes "github.com/balanceai/balanceai/x/access/types"
	bridgetypes "github.com/balanceai/balanceai/x/bridge/types"
	curationkeeper "github.com/balanceai/balanceai/x/curation/keeper"
	curationtypes "github.com/balanceai/balanceai/x/curation/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

const (
	bai = int64(1_000_000)
	// fixtureAccounts is the number of funded accounts of the fixture; a benchmark's txs are
	// sent by accounts 0..n-1 in chunks of at most this many.
	fixtureAccounts = 100
	// blockTxs is the number of txs per finalized block.
	blockTxs = 50
	cidV1    = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
	cidV0    = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"
	wbai     = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
	ethAddr  = "0x52908400098527886E0F7030069857D2E4169EE7"
)

var govAddr = authtypes.NewModuleAddress(govtypes.ModuleName).String()

func ubai(n int64) sdk.Coin { return sdk.NewInt64Coin(app.BondDenom, n) }

// fixture is a chain with fixtureAccounts funded accounts (u000…), the bridge enabled with
// attesters u000, u001, u002 (threshold 2), and lazily created listings, operators and curator
// bonds. Setup blocks are finalized like any other block; only the benchmark's blocks are timed.
type fixture struct {
	b    *testing.B
	c    *testutil.Chain
	accs []*testutil.Account
	// own is each account's first listing (0 until created); operator says it is its operator.
	own      []uint64
	operator []bool
	bonded   []bool
	// committed is the epoch each account last committed scores in.
	committed []uint64
	// listingSeq names new listings.
	listingSeq int
	// valSynced says the validator account's sequence was read from state; valListing is the
	// validator's listing, the one curators score (none may score its own).
	valSynced  bool
	valListing uint64
	// msgs and bank total the timed blocks of the benchmarked Msg and of the bank sends timed
	// alongside them; timing says which of the two the next timed block adds to.
	msgs, bank meter
	timing     *meter
}

// meter totals timed FinalizeBlock calls: wall and process CPU time, txs and their gas used.
type meter struct {
	wall, cpu time.Duration
	txs       int
	gas       int64
}

func (m meter) cpuPerTx() float64 { return float64(m.cpu.Nanoseconds()) / float64(m.txs) }

func newFixture(b *testing.B) *fixture {
	b.Helper()
	names := make([]string, fixtureAccounts)
	for i := range names {
		names[i] = fmt.Sprintf("u%03d", i)
	}
	c := testutil.NewChain(b, testutil.Config{
		Stakes:   []math.Int{math.NewInt(100_000 * bai)},
		Accounts: names,
		Balance:  math.NewInt(150_000 * bai),
		// Setup skips hours at a time (fixture.skip) to reach curation phases and grant
		// deadlines; other blocks are a minute apart.
		BlockTime: time.Minute,
		ModifyGenesis: func(gen app.GenesisState, a *app.App) app.GenesisState {
			cdc := a.AppCodec()
			var bg bridgetypes.GenesisState
			cdc.MustUnmarshalJSON(gen[bridgetypes.ModuleName], &bg)
			bg.Params.Enabled = true
			bg.Params.TokenContract = wbai
			bg.Params.Attesters = []string{addrOf(names[0]), addrOf(names[1]), addrOf(names[2])}
			bg.Params.AttestationThreshold = 2
			bg.Params.DailyOutboundLimit = math.NewInt(1_000_000_000 * bai)
			bg.Params.DailyInboundLimit = math.NewInt(1_000_000_000 * bai)
			gen[bridgetypes.ModuleName] = cdc.MustMarshalJSON(&bg)
			var mg marketplacetypes.GenesisState
			cdc.MustUnmarshalJSON(gen[marketplacetypes.ModuleName], &mg)
			mg.Params.MaxListingsPerOwner = 100_000
			gen[marketplacetypes.ModuleName] = cdc.MustMarshalJSON(&mg)
			return gen
		},
	})
	f := &fixture{b: b, c: c, own: make([]uint64, fixtureAccounts), operator: make([]bool, fixtureAccounts),
		bonded: make([]bool, fixtureAccounts), committed: make([]uint64, fixtureAccounts)}
	f.timing = &f.msgs
	for _, n := range names {
		f.accs = append(f.accs, c.Accounts[n])
	}
	return f
}

// addrOf is the address testutil.NewChain gives the account of that name.
func addrOf(name string) string {
	return sdk.AccAddress(secp256k1.GenPrivKeyFromSecret([]byte("account-" + name)).PubKey().Address()).String()
}

// tx is one transaction of a block.
type tx struct {
	acc  *testutil.Account
	msgs []sdk.Msg
}

// deliver finalizes txs in blocks of blockTxs, requiring success; timed says whether the
// FinalizeBlock calls count in the benchmark.
func (f *fixture) deliver(timed bool, txs []tx) []*abci.ExecTxResult {
	f.b.Helper()
	var out []*abci.ExecTxResult
	for len(txs) > 0 {
		n := min(blockTxs, len(txs))
		raw := make([][]byte, n)
		for i, t := range txs[:n] {
			raw[i] = f.c.SignTx(t.acc, sdk.NewCoins(ubai(5_000)), t.msgs...)
			if timed {
				// As on a node: the tx went through CheckTx before its block.
				res, err := f.c.App.CheckTx(&abci.RequestCheckTx{Tx: raw[i], Type: abci.CheckTxType_New})
				require.NoError(f.b, err)
				require.Zero(f.b, res.Code, res.Log)
			}
		}
		res := f.finalize(timed, raw)
		for i, r := range res.TxResults {
			require.Zero(f.b, r.Code, "tx %d (%T): codespace %s: %s", i, txs[i].msgs[0], r.Codespace, r.Log)
		}
		out = append(out, res.TxResults...)
		if timed {
			f.timing.txs += n
			for _, r := range res.TxResults {
				f.timing.gas += r.GasUsed
			}
		}
		txs = txs[n:]
	}
	return out
}

// finalize runs the next block, timing FinalizeBlock when timed.
func (f *fixture) finalize(timed bool, raw [][]byte) *abci.ResponseFinalizeBlock {
	f.b.Helper()
	if !timed {
		return f.c.NextBlock(f.c.AllSigners(), raw...)
	}
	c := f.c
	req := &abci.RequestFinalizeBlock{
		Height: c.Height + 1, Time: c.Time.Add(c.BlockTime), Txs: raw,
		DecidedLastCommit: abci.CommitInfo{Votes: []abci.VoteInfo{{
			Validator:   abci.Validator{Address: c.Validators[0].ConsAddr, Power: c.Validators[0].Stake.Quo(sdk.DefaultPowerReduction).Int64()},
			BlockIdFlag: cmtproto.BlockIDFlagCommit,
		}}},
		ProposerAddress: c.Validators[0].ConsAddr,
	}
	f.b.StartTimer()
	cpu0 := processCPU(f.b)
	t0 := time.Now()
	res, err := c.App.FinalizeBlock(req)
	f.timing.wall += time.Since(t0)
	f.timing.cpu += processCPU(f.b) - cpu0
	f.b.StopTimer()
	require.NoError(f.b, err)
	_, err = c.App.Commit()
	require.NoError(f.b, err)
	c.Height, c.Time = req.Height, req.Time
	return res
}

// report sets the benchmark's metrics: FinalizeBlock wall and CPU time per tx, tx/s, the gas
// used per tx and, when bank sends were timed alongside, x-bank: the Msg's tx/s by CPU time
// over the bank sends' (bank-cpu-ns/tx over cpu-ns/tx), both sides measured in the same run.
func (f *fixture) report() {
	m := f.msgs
	if m.txs == 0 {
		return
	}
	perTx := float64(m.wall.Nanoseconds()) / float64(m.txs)
	f.b.ReportMetric(perTx, "ns/tx")
	f.b.ReportMetric(m.cpuPerTx(), "cpu-ns/tx")
	f.b.ReportMetric(1e9/perTx, "tx/s")
	f.b.ReportMetric(float64(m.gas)/float64(m.txs), "gas/tx")
	if f.bank.txs > 0 {
		f.b.ReportMetric(f.bank.cpuPerTx(), "bank-cpu-ns/tx")
		f.b.ReportMetric(f.bank.cpuPerTx()/m.cpuPerTx(), "x-bank")
	}
	f.b.ReportMetric(0, "ns/op")
}

// processCPU is the user and system CPU time the test process has used.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	require.NoError(b, syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func (f *fixture) listingMsg(i int) *marketplacetypes.MsgRegisterListing {
	f.listingSeq++
	return &marketplacetypes.MsgRegisterListing{
		Owner: f.accs[i].Address.String(), Kind: marketplacetypes.ListingKindModel,
		Name: fmt.Sprintf("model-%d", f.listingSeq), Task: "nlp", Endpoint: "https://node.example.com/v1",
		MetadataCid: cidV1, Version: "1.0.0", Collateral: ubai(1_000 * bai),
		Access: marketplacetypes.AccessPolicy{MinStake: math.ZeroInt(), Mode: marketplacetypes.AccessModePublic},
	}
}

// newListings registers one new listing for each of accounts 0..n-1 and returns their ids.
func (f *fixture) newListings(n int) []uint64 {
	f.b.Helper()
	txs := make([]tx, n)
	for i := range txs {
		txs[i] = tx{f.accs[i], []sdk.Msg{f.listingMsg(i)}}
	}
	ids := make([]uint64, n)
	for i, r := range f.deliver(false, txs) {
		var out marketplacetypes.MsgRegisterListingResponse
		testutil.MsgResponse(f.b, r, &out)
		ids[i] = out.Id
	}
	return ids
}

// ownListings gives accounts 0..n-1 their own listing.
func (f *fixture) ownListings(n int) {
	f.b.Helper()
	missing := 0
	for i := 0; i < n; i++ {
		if f.own[i] == 0 {
			missing = i + 1
		}
	}
	if missing == 0 {
		return
	}
	for i, id := range f.newListings(missing) {
		if f.own[i] == 0 {
			f.own[i] = id
		}
	}
}

// operators makes accounts 0..n-1 the operators of their own listings.
func (f *fixture) operators(n int) {
	f.b.Helper()
	f.ownListings(n)
	var txs []tx
	for i := 0; i < n; i++ {
		if !f.operator[i] {
			a := f.accs[i].Address.String()
			txs = append(txs, tx{f.accs[i], []sdk.Msg{&accesstypes.MsgSetOperators{Owner: a, ListingId: f.own[i], Operators: []string{a}}}})
			f.operator[i] = true
		}
	}
	f.deliver(false, txs)
}

// bond makes accounts 0..n-1 curators with 20,000 BAI (min_curator_bond is 10,000).
func (f *fixture) bond(n int) {
	f.b.Helper()
	var txs []tx
	for i := 0; i < n; i++ {
		if !f.bonded[i] {
			txs = append(txs, tx{f.accs[i], []sdk.Msg{&curationtypes.MsgBondCurator{Curator: f.accs[i].Address.String(), Amount: ubai(20_000 * bai)}}})
			f.bonded[i] = true
		}
	}
	if len(txs) > 0 {
		f.deliver(false, txs)
		f.c.NextBlock(f.c.AllSigners()) // bonded before the next block's snapshots
	}
}

// epoch is the running curation epoch.
func (f *fixture) epoch() curationtypes.Epoch {
	e, err := f.c.App.CurationKeeper.CurrentEpoch.Get(f.c.Ctx())
	require.NoError(f.b, err)
	return e
}

// commitPhaseFor advances to the commit phase of an epoch in which none of accounts 0..n-1
// has committed and that opened after the scored listing was registered, and returns its number.
func (f *fixture) commitPhaseFor(n int) uint64 {
	f.b.Helper()
	for k := 0; k < 200; k++ {
		e := f.epoch()
		next := f.c.Time.Add(f.c.BlockTime)
		free := true
		for i := 0; i < n; i++ {
			if f.committed[i] == e.Number {
				free = false
			}
		}
		if f.valListing != 0 {
			// The scored listing counts from the epoch after its registration.
			l, err := f.c.App.MarketplaceKeeper.GetListing(f.c.Ctx(), f.valListing)
			require.NoError(f.b, err)
			free = free && l.CreatedAt.Before(e.Start)
		}
		if free && curationkeeper.PhaseAt(e, next) == curationtypes.EpochPhaseCommit && e.RevealStart.Sub(next) > time.Hour {
			return e.Number
		}
		f.skip(time.Hour)
	}
	f.b.Fatal("no commit phase reached")
	return 0
}

// revealPhase advances to the reveal phase of epoch number.
func (f *fixture) revealPhase(number uint64) {
	f.b.Helper()
	for k := 0; k < 200; k++ {
		e := f.epoch()
		require.Equal(f.b, number, e.Number)
		if curationkeeper.PhaseAt(e, f.c.Time.Add(f.c.BlockTime)) == curationtypes.EpochPhaseReveal {
			return
		}
		f.skip(time.Hour)
	}
	f.b.Fatal("no reveal phase reached")
}

// skip finalizes one empty block d after the last one.
func (f *fixture) skip(d time.Duration) {
	bt := f.c.BlockTime
	f.c.BlockTime = d
	f.c.NextBlock(f.c.AllSigners())
	f.c.BlockTime = bt
}

// validator returns the validator's account (not a curator: it applies for grants and flags),
// its sequence read from state (its gentx used sequence 0).
func (f *fixture) validator() *testutil.Account {
	f.b.Helper()
	val := &f.c.Validators[0].Account
	if !f.valSynced {
		// DeliverTx reads the sequence back from state after the block, whatever the result.
		f.c.DeliverTx(val, sdk.NewCoins(ubai(5_000)), banktypes.NewMsgSend(val.Address, val.Address, sdk.NewCoins(ubai(1))))
		f.valSynced = true
	}
	return val
}

// scored is the validator's listing, which curators score.
func (f *fixture) scored() uint64 {
	f.b.Helper()
	if f.valListing == 0 {
		m := f.listingMsg(0)
		val := f.validator()
		m.Owner = val.Address.String()
		res := f.deliver(false, []tx{{val, []sdk.Msg{m}}})
		var out marketplacetypes.MsgRegisterListingResponse
		testutil.MsgResponse(f.b, res[0], &out)
		f.valListing = out.Id
	}
	return f.valListing
}

func scores(id uint64) []curationtypes.ListingScoreEntry {
	return []curationtypes.ListingScoreEntry{{ListingId: id, Score: 70}}
}

func (f *fixture) commitMsg(i int, epoch uint64) *curationtypes.MsgCommitScores {
	a := f.accs[i].Address.String()
	return &curationtypes.MsgCommitScores{Curator: a, Epoch: epoch,
		Commitment: curationtypes.ComputeCommitment(a, testutil.ChainID, "salt", epoch, curationtypes.SortScores(scores(f.scored())))}
}
