package app_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	abcicli "github.com/cometbft/cometbft/abci/client"
	abci "github.com/cometbft/cometbft/abci/types"
	cmtsync "github.com/cometbft/cometbft/libs/sync"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	"github.com/cosmos/cosmos-sdk/server"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/balanceai/balanceai/app"
	"github.com/balanceai/balanceai/testutil"
)

// sigTx describes a transaction signed by one account.
type sigTx struct {
	priv      cryptotypes.PrivKey
	accNum    uint64
	seq       uint64
	mode      signing.SignMode
	msgs      []sdk.Msg
	fee       sdk.Coins
	gas       uint64
	memo      string
	unordered bool
	timeout   time.Time
	// timeoutHeight is the transaction's timeout_height (0: none).
	timeoutHeight uint64
	// keyless leaves the public key out of the signer info (the account has one on chain).
	keyless bool
}

// build signs the transaction and returns its builder (for variants) and its bytes.
func (s sigTx) build(t testing.TB, txCfg client.TxConfig) (client.TxBuilder, []byte) {
	t.Helper()
	b := txCfg.NewTxBuilder()
	require.NoError(t, b.SetMsgs(s.msgs...))
	b.SetFeeAmount(s.fee)
	b.SetGasLimit(s.gas)
	b.SetMemo(s.memo)
	if s.unordered {
		b.SetUnordered(true)
		b.SetTimeoutTimestamp(s.timeout)
	}
	b.SetTimeoutHeight(s.timeoutHeight)
	pub := s.priv.PubKey()
	sig := signing.SignatureV2{PubKey: pub, Data: &signing.SingleSignatureData{SignMode: s.mode}, Sequence: s.seq}
	if s.keyless {
		sig.PubKey = nil
	}
	require.NoError(t, b.SetSignatures(sig))
	signBytes, err := authsigning.GetSignBytesAdapter(context.Background(), txCfg.SignModeHandler(), s.mode,
		authsigning.SignerData{
			Address: sdk.AccAddress(pub.Address()).String(), ChainID: testutil.ChainID,
			AccountNumber: s.accNum, Sequence: s.seq, PubKey: pub,
		}, b.GetTx())
	require.NoError(t, err)
	sig.Data.(*signing.SingleSignatureData).Signature, err = s.priv.Sign(signBytes)
	require.NoError(t, err)
	require.NoError(t, b.SetSignatures(sig))
	return b, encode(t, txCfg, b)
}

func encode(t testing.TB, txCfg client.TxConfig, b client.TxBuilder) []byte {
	t.Helper()
	bz, err := txCfg.TxEncoder()(b.GetTx())
	require.NoError(t, err)
	return bz
}

// withSignature re-encodes the signed tx with its signature's mode and bytes changed by edit.
func withSignature(t testing.TB, txCfg client.TxConfig, b client.TxBuilder, edit func(*signing.SingleSignatureData)) []byte {
	t.Helper()
	sigs, err := b.GetTx().GetSignaturesV2()
	require.NoError(t, err)
	data := *sigs[0].Data.(*signing.SingleSignatureData)
	data.Signature = append([]byte{}, data.Signature...)
	edit(&data)
	sigs[0].Data = &data
	require.NoError(t, b.SetSignatures(sigs...))
	return encode(t, txCfg, b)
}

// sigCacheBalance is the genesis balance of each test account: 100,000 BAI.
var sigCacheBalance = math.NewInt(100_000_000_000)

func sigCacheChain(t testing.TB, enable bool, accounts []string) *testutil.Chain {
	cfg := testutil.DefaultConfig()
	cfg.Accounts = accounts
	// Up to 50 accounts within the 21M BAI supply cap.
	cfg.Balance = sigCacheBalance
	cfg.Stakes = []math.Int{math.NewInt(50_000_000_000)}
	cfg.AppOptions = map[string]any{app.FlagSigCacheEnable: enable}
	c := testutil.NewChain(t, cfg)
	if enable {
		require.NotNil(t, c.App.SigCache())
	} else {
		require.Nil(t, c.App.SigCache())
	}
	return c
}

func marshal(t testing.TB, m interface{ Marshal() ([]byte, error) }) []byte {
	t.Helper()
	bz, err := m.Marshal()
	require.NoError(t, err)
	return bz
}

// The same blocks replayed through a node with the signature cache and one without give
// byte-identical CheckTx responses, FinalizeBlock responses (tx results with their codes, logs,
// gas wanted and used, events; the app hash) and commits, while the cached node answers the
// FinalizeBlock verification of every checked transaction from its cache. A third node also
// pre-verifies every transaction before its CheckTx (as baid start does, outside CometBFT's
// lock): same results again, and its CheckTx finds every valid signature in the cache.
func TestSigCacheSameResultsOnAndOff(t *testing.T) {
	names := []string{"alice", "bob", "carol", "dave", "erin"}
	on := sigCacheChain(t, true, names)
	off := sigCacheChain(t, false, names)
	pre := sigCacheChain(t, true, names)
	require.Equal(t, on.App.LastCommitID(), off.App.LastCommitID())
	require.Equal(t, pre.App.LastCommitID(), off.App.LastCommitID())
	txCfg := on.App.TxConfig()

	type signer struct {
		priv   cryptotypes.PrivKey
		addr   sdk.AccAddress
		accNum uint64
		seq    uint64
	}
	signers := make([]*signer, len(names))
	for i, n := range names {
		acc := on.Accounts[n]
		signers[i] = &signer{priv: acc.PrivKey, addr: acc.Address,
			accNum: on.App.AccountKeeper.GetAccount(on.Ctx(), acc.Address).GetAccountNumber()}
	}
	send := func(from, to int, amount int64) sdk.Msg {
		return banktypes.NewMsgSend(signers[from].addr, signers[to].addr,
			sdk.NewCoins(sdk.NewCoin(app.BondDenom, math.NewInt(amount))))
	}
	fee := sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 2_000))
	// next signs a transaction from account i with its next sequence.
	next := func(i int, mode signing.SignMode, gas uint64, msgs ...sdk.Msg) (client.TxBuilder, []byte) {
		s := signers[i]
		b, bz := sigTx{priv: s.priv, accNum: s.accNum, seq: s.seq, mode: mode, msgs: msgs, fee: fee,
			gas: gas, memo: fmt.Sprintf("tx %d/%d", i, s.seq)}.build(t, txCfg)
		s.seq++
		return b, bz
	}
	hits0, misses0 := on.App.SigCache().Stats()
	preHits0, preMisses0 := pre.App.SigCache().Stats()
	preVerified0 := pre.App.SigCache().PreVerified()

	var wantHits, wantMisses, wantPreHits, wantPreMisses uint64
	var failedInBlock int
	for block := 0; block < 4; block++ {
		var checked, unchecked [][]byte
		// Bank sends from every account, several per account, in both sign modes.
		for i := range signers {
			for k := 0; k < 3; k++ {
				mode := signing.SignMode_SIGN_MODE_DIRECT
				if k == 1 {
					mode = signing.SignMode_SIGN_MODE_LEGACY_AMINO_JSON
				}
				_, bz := next(i, mode, 200_000, send(i, (i+k+1)%len(signers), int64(1000*(block+1)+k)))
				checked = append(checked, bz)
			}
		}
		// Valid signature, then the message fails: more than the sender has.
		_, bz := next(0, signing.SignMode_SIGN_MODE_DIRECT, 200_000, send(0, 1, 1_000_000_000_000_000))
		checked = append(checked, bz)
		// Valid signature, then the message runs out of gas.
		_, bz = next(1, signing.SignMode_SIGN_MODE_DIRECT, 58_000, send(1, 2, 5))
		checked = append(checked, bz)
		// An unordered transaction (no sequence).
		s := signers[2]
		_, bz = sigTx{priv: s.priv, accNum: s.accNum, mode: signing.SignMode_SIGN_MODE_DIRECT,
			msgs: []sdk.Msg{send(2, 3, 7)}, fee: fee, gas: 200_000, memo: fmt.Sprintf("unordered %d", block),
			unordered: true, timeout: on.Time.Add(2 * time.Minute)}.build(t, txCfg)
		checked = append(checked, bz)
		// A corrupted signature: refused in CheckTx and in the block, never cached.
		b, _ := next(3, signing.SignMode_SIGN_MODE_DIRECT, 200_000, send(3, 4, 9))
		signers[3].seq-- // it will not be accepted
		corrupt := withSignature(t, txCfg, b, func(d *signing.SingleSignatureData) { d.Signature[5] ^= 0x01 })
		checked = append(checked, corrupt)
		// The next valid one from the same account, included without going through CheckTx (a
		// transaction this node first sees in a block).
		_, bz = next(3, signing.SignMode_SIGN_MODE_DIRECT, 200_000, send(3, 4, 11))
		unchecked = append(unchecked, bz)

		for _, tx := range checked {
			resOn, err := on.App.CheckTx(&abci.RequestCheckTx{Tx: tx, Type: abci.CheckTxType_New})
			require.NoError(t, err)
			resOff, err := off.App.CheckTx(&abci.RequestCheckTx{Tx: tx, Type: abci.CheckTxType_New})
			require.NoError(t, err)
			require.Equal(t, marshal(t, resOff), marshal(t, resOn), "CheckTx of block %d", block)
			pre.App.PreVerify(tx)
			require.Equal(t, 1, pre.App.PendingTxHandoffs(), "PreVerify leaves its decoding")
			resPre, err := pre.App.CheckTx(&abci.RequestCheckTx{Tx: tx, Type: abci.CheckTxType_New})
			require.NoError(t, err)
			require.Zero(t, pre.App.PendingTxHandoffs(), "CheckTx took it")
			require.Equal(t, marshal(t, resOff), marshal(t, resPre), "CheckTx of block %d, pre-verified", block)
			if resOn.Code == 0 {
				wantHits++   // verified in the block from the cache
				wantMisses++ // verified here
				wantPreHits += 2
			} else {
				wantMisses += 2 // the corrupted signature, verified here and in the block
				wantPreMisses += 2
			}
		}
		wantMisses += uint64(len(unchecked))
		wantPreMisses += uint64(len(unchecked))

		txs := append(append([][]byte{}, checked...), unchecked...)
		resOn := on.NextBlock(on.AllSigners(), txs...)
		resOff := off.NextBlock(off.AllSigners(), txs...)
		require.Equal(t, marshal(t, resOff), marshal(t, resOn), "FinalizeBlock of block %d", block)
		require.Equal(t, off.App.LastCommitID(), on.App.LastCommitID(), "commit of block %d", block)
		resPre := pre.NextBlock(pre.AllSigners(), txs...)
		require.Equal(t, marshal(t, resOff), marshal(t, resPre), "FinalizeBlock of block %d, pre-verified", block)
		require.Equal(t, off.App.LastCommitID(), pre.App.LastCommitID(), "commit of block %d, pre-verified", block)
		require.NotEmpty(t, resOn.AppHash)

		// The block exercises successes and every kind of failure, with gas.
		require.Len(t, resOn.TxResults, len(txs))
		var ok int
		for i, r := range resOn.TxResults {
			require.NotZero(t, r.GasUsed, "tx %d", i)
			require.Equal(t, resOff.TxResults[i].GasUsed, r.GasUsed)
			if r.Code == 0 {
				ok++
			} else {
				failedInBlock++
			}
		}
		require.Equal(t, len(txs)-3, ok, "block %d: %v", block, resOn.TxResults)
	}
	require.Equal(t, 12, failedInBlock)

	hits, misses := on.App.SigCache().Stats()
	require.Equal(t, wantHits, hits-hits0)
	require.Equal(t, wantMisses, misses-misses0)
	require.Equal(t, uint64(4*(len(signers)*3+3)), wantHits)

	preHits, preMisses := pre.App.SigCache().Stats()
	require.Equal(t, wantPreHits, preHits-preHits0, "every valid checked signature was pre-verified")
	require.Equal(t, wantPreMisses, preMisses-preMisses0)
	require.Equal(t, wantHits, pre.App.SigCache().PreVerified()-preVerified0)
}

// PreVerify caches only signatures it verified: a corrupted one is not cached (CheckTx then
// verifies and refuses it), a transaction that does not decode or names an unknown account is
// left alone, and a node without the cache does nothing.
func TestPreVerifyCachesOnlyValidSignatures(t *testing.T) {
	c := sigCacheChain(t, true, []string{"alice", "bob"})
	txCfg := c.App.TxConfig()
	alice, bob := c.Accounts["alice"], c.Accounts["bob"]
	accNum := c.App.AccountKeeper.GetAccount(c.Ctx(), alice.Address).GetAccountNumber()
	send := []sdk.Msg{banktypes.NewMsgSend(alice.Address, bob.Address, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 5)))}
	_, good := sigTx{priv: alice.PrivKey, accNum: accNum, mode: signing.SignMode_SIGN_MODE_DIRECT,
		msgs: send, gas: 200_000, memo: "pre"}.build(t, txCfg)
	// The corrupted one is bob's: a signer whose signature fails is not pre-verified again until
	// CheckTx accepts one of its transactions (TestPreVerifySkipsRefusedSigners).
	bobNum := c.App.AccountKeeper.GetAccount(c.Ctx(), bob.Address).GetAccountNumber()
	b, _ := sigTx{priv: bob.PrivKey, accNum: bobNum, mode: signing.SignMode_SIGN_MODE_DIRECT, gas: 200_000, memo: "pre",
		msgs: []sdk.Msg{banktypes.NewMsgSend(bob.Address, alice.Address, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 5)))}}.build(t, txCfg)
	corrupt := withSignature(t, txCfg, b, func(d *signing.SingleSignatureData) { d.Signature[3] ^= 0x01 })
	cache := c.App.SigCache()
	checkTx := func(tx []byte) *abci.ResponseCheckTx {
		res, err := c.App.CheckTx(&abci.RequestCheckTx{Tx: tx, Type: abci.CheckTxType_New})
		require.NoError(t, err)
		return res
	}

	// Not a transaction; a stranger's (no account yet: no account number to sign with).
	len0 := cache.Len()
	c.App.PreVerify([]byte("not a tx"))
	stranger := secp256k1.GenPrivKey()
	_, strangers := sigTx{priv: stranger, mode: signing.SignMode_SIGN_MODE_DIRECT, gas: 200_000,
		msgs: []sdk.Msg{banktypes.NewMsgSend(sdk.AccAddress(stranger.PubKey().Address()), bob.Address, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 1)))}}.build(t, txCfg)
	c.App.PreVerify(strangers)
	c.App.PreVerify(corrupt)
	require.Zero(t, cache.PreVerified())
	require.Equal(t, len0, cache.Len())

	h0, m0 := cache.Stats()
	res := checkTx(corrupt)
	require.EqualValues(t, 4, res.Code, res.Log)
	h, m := cache.Stats()
	require.Equal(t, [2]uint64{h0, m0 + 1}, [2]uint64{h, m}, "the corrupted signature is verified in CheckTx")

	c.App.PreVerify(good)
	require.Equal(t, uint64(1), cache.PreVerified())
	c.App.PreVerify(good) // already cached: not verified again
	require.Equal(t, uint64(1), cache.PreVerified())
	res = checkTx(good)
	require.Zero(t, res.Code, res.Log)
	h, m = cache.Stats()
	require.Equal(t, [2]uint64{h0 + 1, m0 + 1}, [2]uint64{h, m}, "CheckTx found the pre-verified signature")

	// Without the cache PreVerify has nothing to fill.
	off := sigCacheChain(t, false, []string{"alice", "bob"})
	off.App.PreVerify(good)
	require.Nil(t, off.App.SigCache())
}

// A signature verified under one sign mode does not pass under another, and a transaction with
// a changed byte is verified again (and refused), however often its original was accepted.
func TestSigCacheOtherSignModeOrChangedByteMisses(t *testing.T) {
	c := sigCacheChain(t, true, []string{"alice", "bob"})
	txCfg := c.App.TxConfig()
	alice, bob := c.Accounts["alice"], c.Accounts["bob"]
	accNum := c.App.AccountKeeper.GetAccount(c.Ctx(), alice.Address).GetAccountNumber()
	b, bz := sigTx{priv: alice.PrivKey, accNum: accNum, mode: signing.SignMode_SIGN_MODE_DIRECT,
		msgs: []sdk.Msg{banktypes.NewMsgSend(alice.Address, bob.Address, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 5)))},
		gas:  200_000, memo: "original"}.build(t, txCfg)
	cache := c.App.SigCache()
	checkTx := func(tx []byte) *abci.ResponseCheckTx {
		res, err := c.App.CheckTx(&abci.RequestCheckTx{Tx: tx, Type: abci.CheckTxType_New})
		require.NoError(t, err)
		return res
	}
	stats := func() [2]uint64 {
		h, m := cache.Stats()
		return [2]uint64{h, m}
	}

	before := stats()
	res := checkTx(bz)
	require.Zero(t, res.Code, res.Log)
	require.Equal(t, [2]uint64{before[0], before[1] + 1}, stats())

	// The accepted signature declared as SIGN_MODE_LEGACY_AMINO_JSON (other sign bytes), and the
	// same transaction with one changed byte in its body and the same signature.
	amino := withSignature(t, txCfg, b, func(d *signing.SingleSignatureData) {
		d.SignMode = signing.SignMode_SIGN_MODE_LEGACY_AMINO_JSON
	})
	b2, again := sigTx{priv: alice.PrivKey, accNum: accNum, mode: signing.SignMode_SIGN_MODE_DIRECT,
		msgs: []sdk.Msg{banktypes.NewMsgSend(alice.Address, bob.Address, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 5)))},
		gas:  200_000, memo: "original"}.build(t, txCfg)
	require.Equal(t, bz, again) // signing is deterministic
	b2.SetMemo("Original")
	tampered := encode(t, txCfg, b2)
	require.Len(t, tampered, len(bz))

	// In a block, at alice's sequence 0: both variants are verified (misses) and refused; the
	// original then hits the cache and is accepted.
	before = stats()
	blk := c.NextBlock(c.AllSigners(), amino, tampered, bz)
	require.Len(t, blk.TxResults, 3)
	for i, want := range []string{"signature verification failed", "signature verification failed", ""} {
		if want == "" {
			require.Zero(t, blk.TxResults[i].Code, blk.TxResults[i].Log)
			continue
		}
		require.EqualValues(t, 4, blk.TxResults[i].Code) // sdkerrors.ErrUnauthorized
		require.Contains(t, blk.TxResults[i].Log, want)
	}
	require.Equal(t, [2]uint64{before[0] + 1, before[1] + 2}, stats())
	require.Equal(t, "5", c.Balance(bob.Address).Sub(sigCacheBalance).String())
}

// refusingClient is an ABCI client whose CheckTx never reaches the app.
type refusingClient struct {
	abcicli.Client
	calls int
}

func (c *refusingClient) CheckTx(context.Context, *abci.RequestCheckTx) (*abci.ResponseCheckTx, error) {
	c.calls++
	return nil, errors.New("refused")
}

func (c *refusingClient) CheckTxAsync(context.Context, *abci.RequestCheckTx) (*abcicli.ReqRes, error) {
	c.calls++
	return nil, errors.New("refused")
}

// The pre-verifying client drops the decoding PreVerify left when CheckTx did not take it, and
// leaves rechecks alone.
func TestPreVerifyingClientDropsUntakenDecodings(t *testing.T) {
	chain := sigCacheChain(t, true, []string{"alice", "bob"})
	a := chain.App
	alice, bob := chain.Accounts["alice"], chain.Accounts["bob"]
	accNum := a.AccountKeeper.GetAccount(chain.Ctx(), alice.Address).GetAccountNumber()
	_, txBytes := sigTx{priv: alice.PrivKey, accNum: accNum, mode: signing.SignMode_SIGN_MODE_DIRECT, gas: 200_000,
		msgs: []sdk.Msg{banktypes.NewMsgSend(alice.Address, bob.Address, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 5)))}}.build(t, a.TxConfig())

	inner := &refusingClient{}
	c := app.PreVerifyingClient(a, inner)
	a.PreVerify(txBytes)
	require.Equal(t, 1, a.PendingTxHandoffs(), "PreVerify leaves its decoding for CheckTx")
	require.EqualValues(t, 1, a.SigCache().PreVerified())

	_, err := c.CheckTxAsync(context.Background(), &abci.RequestCheckTx{Tx: txBytes, Type: abci.CheckTxType_New})
	require.Error(t, err)
	_, err = c.CheckTx(context.Background(), &abci.RequestCheckTx{Tx: txBytes, Type: abci.CheckTxType_New})
	require.Error(t, err)
	require.Equal(t, 2, inner.calls)
	require.Zero(t, a.PendingTxHandoffs())

	_, err = c.CheckTxAsync(context.Background(), &abci.RequestCheckTx{Tx: txBytes, Type: abci.CheckTxType_Recheck})
	require.Error(t, err)
	require.Zero(t, a.PendingTxHandoffs(), "a recheck is not pre-verified")
}

// PreVerify remembers a signer's account number before the account has a key (the first
// transaction sets it from the signer info), and reads the account again when a later
// transaction leaves the key out: the key then comes from the state.
func TestPreVerifyAccountWithoutKeyYet(t *testing.T) {
	c := sigCacheChain(t, true, []string{"alice", "bob"})
	txCfg := c.App.TxConfig()
	bob := c.Accounts["bob"]
	newPriv, newAddr := fundNewAccount(t, c)
	acc := c.App.AccountKeeper.GetAccount(c.Ctx(), newAddr)
	require.NotNil(t, acc)
	require.Nil(t, acc.GetPubKey(), "no key before the first transaction")
	accNum := acc.GetAccountNumber()
	send := []sdk.Msg{banktypes.NewMsgSend(newAddr, bob.Address, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 5)))}
	cache := c.App.SigCache()
	pre0 := cache.PreVerified()

	var txs [][]byte
	for seq := uint64(0); seq < 2; seq++ {
		_, bz := sigTx{priv: newPriv, accNum: accNum, seq: seq, mode: signing.SignMode_SIGN_MODE_DIRECT,
			msgs: send, gas: 200_000}.build(t, txCfg)
		c.App.PreVerify(bz)
		txs = append(txs, bz)
	}
	require.EqualValues(t, pre0+2, cache.PreVerified(), "both verified with the key the transactions carry")
	res := c.NextBlock(c.AllSigners(), txs...)
	for _, r := range res.TxResults {
		require.Zero(t, r.Code, r.Log)
	}
	require.NotNil(t, c.App.AccountKeeper.GetAccount(c.Ctx(), newAddr).GetPubKey())

	// The next one without its key in the signer info.
	_, keyless := sigTx{priv: newPriv, accNum: accNum, seq: 2, mode: signing.SignMode_SIGN_MODE_DIRECT,
		msgs: send, gas: 200_000, keyless: true}.build(t, txCfg)
	c.App.PreVerify(keyless)
	require.EqualValues(t, pre0+3, cache.PreVerified(), "verified with the key read from the state")
	h0, m0 := cache.Stats()
	checked, err := c.App.CheckTx(&abci.RequestCheckTx{Tx: keyless, Type: abci.CheckTxType_New})
	require.NoError(t, err)
	require.Zero(t, checked.Code, checked.Log)
	h, m := cache.Stats()
	require.Equal(t, [2]uint64{h0 + 1, m0}, [2]uint64{h, m}, "CheckTx found it in the cache")
}

// multiSigned returns a transaction of one bank send from each of the named accounts, signed by
// all of them (their sequence 0).
func multiSigned(t *testing.T, c *testutil.Chain, names []string) []byte {
	t.Helper()
	txCfg := c.App.TxConfig()
	b := txCfg.NewTxBuilder()
	var msgs []sdk.Msg
	var sigs []signing.SignatureV2
	for i, n := range names {
		acc := c.Accounts[n]
		to := c.Accounts[names[(i+1)%len(names)]].Address
		msgs = append(msgs, banktypes.NewMsgSend(acc.Address, to, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 1))))
		sigs = append(sigs, signing.SignatureV2{PubKey: acc.PrivKey.PubKey(),
			Data: &signing.SingleSignatureData{SignMode: signing.SignMode_SIGN_MODE_DIRECT}})
	}
	require.NoError(t, b.SetMsgs(msgs...))
	b.SetGasLimit(uint64(200_000 * len(names)))
	require.NoError(t, b.SetSignatures(sigs...))
	for i, n := range names {
		acc := c.Accounts[n]
		signBytes, err := authsigning.GetSignBytesAdapter(context.Background(), txCfg.SignModeHandler(),
			signing.SignMode_SIGN_MODE_DIRECT, authsigning.SignerData{
				Address: acc.Address.String(), ChainID: testutil.ChainID, PubKey: acc.PrivKey.PubKey(),
				AccountNumber: c.App.AccountKeeper.GetAccount(c.Ctx(), acc.Address).GetAccountNumber(),
			}, b.GetTx())
		require.NoError(t, err)
		sig, err := acc.PrivKey.Sign(signBytes)
		require.NoError(t, err)
		sigs[i].Data = &signing.SingleSignatureData{SignMode: signing.SignMode_SIGN_MODE_DIRECT, Signature: sig}
	}
	require.NoError(t, b.SetSignatures(sigs...))
	return encode(t, txCfg, b)
}

// PreVerify verifies one signature a transaction, the first: a transaction CheckTx refuses
// before verifying anything (here: more signatures than x/auth's tx_sig_limit of 7) costs the
// node no more than that. The other signatures of a transaction with several signers are
// verified by CheckTx. A transaction larger than 32 KiB is not pre-verified.
func TestPreVerifyVerifiesOneSignatureATransaction(t *testing.T) {
	names := []string{"a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8"}
	c := sigCacheChain(t, true, names)
	require.EqualValues(t, 7, c.App.AccountKeeper.GetParams(c.Ctx()).TxSigLimit)
	cache := c.App.SigCache()

	tooMany := multiSigned(t, c, names)
	c.App.PreVerify(tooMany)
	require.EqualValues(t, 1, cache.PreVerified(), "eight signatures: one verified")
	h0, m0 := cache.Stats()
	res, err := c.App.CheckTx(&abci.RequestCheckTx{Tx: tooMany, Type: abci.CheckTxType_New})
	require.NoError(t, err)
	require.Contains(t, res.Log, "signatures: 8, limit: 7")
	h, m := cache.Stats()
	require.Equal(t, [2]uint64{h0, m0}, [2]uint64{h, m}, "CheckTx verified none")

	atLimit := multiSigned(t, c, names[:7])
	c.App.PreVerify(atLimit)
	require.EqualValues(t, 2, cache.PreVerified(), "seven signatures: the first verified")
	res, err = c.App.CheckTx(&abci.RequestCheckTx{Tx: atLimit, Type: abci.CheckTxType_New})
	require.NoError(t, err)
	require.Zero(t, res.Code, res.Log)
	h, m = cache.Stats()
	require.Equal(t, [2]uint64{h0 + 1, m0 + 6}, [2]uint64{h, m}, "CheckTx found the first and verified six")

	// 40 KiB of memo (CheckTx refuses it: the memo limit is 256 characters).
	alice := c.Accounts["a1"]
	_, big := sigTx{priv: alice.PrivKey, seq: 1, mode: signing.SignMode_SIGN_MODE_LEGACY_AMINO_JSON, gas: 2_000_000,
		memo: strings.Repeat("m", 40<<10), msgs: []sdk.Msg{banktypes.NewMsgSend(alice.Address, c.Accounts["a2"].Address,
			sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 1)))},
		accNum: c.App.AccountKeeper.GetAccount(c.Ctx(), alice.Address).GetAccountNumber()}.build(t, c.App.TxConfig())
	c.App.PreVerify(big)
	require.EqualValues(t, 2, cache.PreVerified(), "too large to pre-verify")
	require.Zero(t, c.App.PendingTxHandoffs(), "nor decoded")
}

// Many senders at once through the pre-verifying client around CometBFT's local client (its one
// lock), as RPC calls and peers deliver transactions: every transaction is accepted, every
// CheckTx finds its signature in the cache, and no decoding is left behind. The race detector
// finds nothing here (go test -race -run ConcurrentSenders ./app/).
func TestPreVerifyingClientConcurrentSenders(t *testing.T) {
	names := []string{"a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8"}
	c := sigCacheChain(t, true, names)
	txCfg := c.App.TxConfig()
	const perSender = 5
	txs := make([][][]byte, len(names))
	for i, n := range names {
		acc := c.Accounts[n]
		accNum := c.App.AccountKeeper.GetAccount(c.Ctx(), acc.Address).GetAccountNumber()
		for seq := uint64(0); seq < perSender; seq++ {
			_, bz := sigTx{priv: acc.PrivKey, accNum: accNum, seq: seq, mode: signing.SignMode_SIGN_MODE_DIRECT, gas: 200_000,
				msgs: []sdk.Msg{banktypes.NewMsgSend(acc.Address, c.Accounts[names[(i+1)%len(names)]].Address,
					sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 1)))}}.build(t, txCfg)
			txs[i] = append(txs[i], bz)
		}
	}
	var mtx cmtsync.Mutex
	client := app.PreVerifyingClient(c.App, abcicli.NewLocalClient(&mtx, server.NewCometABCIWrapper(c.App)))
	h0, m0 := c.App.SigCache().Stats()

	var wg sync.WaitGroup
	codes := make([][]uint32, len(names))
	for i := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, tx := range txs[i] {
				res, err := client.CheckTx(context.Background(), &abci.RequestCheckTx{Tx: tx, Type: abci.CheckTxType_New})
				if err != nil {
					codes[i] = append(codes[i], 1<<31)
					continue
				}
				codes[i] = append(codes[i], res.Code)
			}
		}()
	}
	wg.Wait()
	for i := range names {
		require.Equal(t, make([]uint32, perSender), codes[i], "sender %d", i)
	}
	h, m := c.App.SigCache().Stats()
	require.Equal(t, [2]uint64{h0 + uint64(len(names)*perSender), m0}, [2]uint64{h, m})
	require.Zero(t, c.App.PendingTxHandoffs())
}

// A restarted node pre-verifies before it commits its first block: its check state's header is
// empty until then, which must not stop PreVerify reading the signer's account.
func TestPreVerifyAfterRestart(t *testing.T) {
	c := sigCacheChain(t, true, []string{"alice", "bob"})
	alice, bob := c.Accounts["alice"], c.Accounts["bob"]
	c.Restart(nil)
	accNum := c.App.AccountKeeper.GetAccount(c.Ctx(), alice.Address).GetAccountNumber()
	send := []sdk.Msg{banktypes.NewMsgSend(alice.Address, bob.Address, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 5)))}
	_, good := sigTx{priv: alice.PrivKey, accNum: accNum, mode: signing.SignMode_SIGN_MODE_DIRECT,
		msgs: send, gas: 200_000, memo: "after restart"}.build(t, c.App.TxConfig())
	c.App.PreVerify(good)
	require.Equal(t, uint64(1), c.App.SigCache().PreVerified())
}

// A transaction CheckTx refuses before verifying anything (here a wrong sequence) costs its
// sender nothing, while PreVerify has verified its signature: a signer whose pre-verified
// transaction CheckTx refused, or whose signature failed, is not pre-verified again until
// CheckTx accepts one of its transactions, so each account can cost the node at most one
// verification CheckTx would not have made.
func TestPreVerifySkipsRefusedSigners(t *testing.T) {
	c := sigCacheChain(t, true, []string{"alice", "bob"})
	txCfg := c.App.TxConfig()
	alice, bob := c.Accounts["alice"], c.Accounts["bob"]
	var mtx cmtsync.Mutex
	cl := app.PreVerifyingClient(c.App, abcicli.NewLocalClient(&mtx, server.NewCometABCIWrapper(c.App)))
	cl.SetResponseCallback(func(*abci.Request, *abci.Response) {}) // the mempool's, for CheckTxAsync
	cache := c.App.SigCache()
	send := func(from *testutil.Account, to sdk.AccAddress, seq uint64, memo string) (client.TxBuilder, []byte) {
		accNum := c.App.AccountKeeper.GetAccount(c.Ctx(), from.Address).GetAccountNumber()
		return sigTx{priv: from.PrivKey, accNum: accNum, seq: seq, mode: signing.SignMode_SIGN_MODE_DIRECT, gas: 200_000, memo: memo,
			msgs: []sdk.Msg{banktypes.NewMsgSend(from.Address, to, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 1)))}}.build(t, txCfg)
	}
	checkTx := func(tx []byte, async bool) uint32 {
		if async {
			rr, err := cl.CheckTxAsync(context.Background(), &abci.RequestCheckTx{Tx: tx, Type: abci.CheckTxType_New})
			require.NoError(t, err)
			return rr.Response.GetCheckTx().Code
		}
		res, err := cl.CheckTx(context.Background(), &abci.RequestCheckTx{Tx: tx, Type: abci.CheckTxType_New})
		require.NoError(t, err)
		return res.Code
	}

	for _, async := range []bool{false, true} {
		c.NextBlock(c.AllSigners())
		pre := cache.PreVerified()
		// Valid signatures over sequences far ahead: verified by PreVerify, refused by CheckTx.
		_, junk1 := send(alice, bob.Address, 100, fmt.Sprint("junk-1-", async))
		_, junk2 := send(alice, bob.Address, 101, fmt.Sprint("junk-2-", async))
		require.EqualValues(t, 32, checkTx(junk1, async), "wrong sequence")
		require.Equal(t, pre+1, cache.PreVerified())
		require.EqualValues(t, 32, checkTx(junk2, async))
		require.Equal(t, pre+1, cache.PreVerified(), "a refused signer is not pre-verified again")

		// Its next good transaction is verified by CheckTx (and accepted); the one after is
		// pre-verified again.
		seq := c.App.AccountKeeper.GetAccount(c.Ctx(), alice.Address).GetSequence()
		_, good1 := send(alice, bob.Address, seq, fmt.Sprint("good-1-", async))
		require.Zero(t, checkTx(good1, async))
		require.Equal(t, pre+1, cache.PreVerified())
		_, good2 := send(alice, bob.Address, seq+1, fmt.Sprint("good-2-", async))
		require.Zero(t, checkTx(good2, async))
		require.Equal(t, pre+2, cache.PreVerified())
		c.NextBlock(c.AllSigners(), good1, good2)
	}

	// A signature that does not verify: CheckTx refuses it after PreVerify verified it.
	pre := cache.PreVerified()
	b, _ := send(bob, alice.Address, 0, "bad")
	bad := withSignature(t, txCfg, b, func(d *signing.SingleSignatureData) { d.Signature[3] ^= 0x01 })
	require.EqualValues(t, 4, checkTx(bad, false), "unauthorized")
	_, good := send(bob, alice.Address, 0, "good")
	c.App.PreVerify(good)
	require.Equal(t, pre, cache.PreVerified(), "bob is not pre-verified after a bad signature")
	require.Zero(t, checkTx(good, false))
	_, next := send(bob, alice.Address, 1, "next")
	require.Zero(t, checkTx(next, true))
	require.Equal(t, pre+1, cache.PreVerified())
}

// Blocks finalized through the pre-verifying client (as baid start runs them) decode each
// transaction CheckTx accepted no more after CheckTx, and give the same PrepareProposal and
// FinalizeBlock responses and commits as a node whose blocks are run directly, with the
// signature cache on or off. A transaction first seen in the block is decoded once; one that
// appears twice in the block (same memory) is decoded apart at each position. While the block
// runs, Simulate is called with the same bytes, and gets its own decoding.
func TestBlockDecodingsThroughTheClient(t *testing.T) {
	for _, cache := range []bool{true, false} {
		t.Run(fmt.Sprintf("sig cache %v", cache), func(t *testing.T) {
			names := []string{"alice", "bob", "carol"}
			direct := sigCacheChain(t, cache, names)
			node := sigCacheChain(t, cache, names)
			ctx := context.Background()
			c := app.PreVerifyingClient(node.App, abcicli.NewLocalClient(nil, server.NewCometABCIWrapper(node.App)))
			txCfg := node.App.TxConfig()
			seqs := make([]uint64, len(names))
			send := func(i int) []byte {
				from, to := node.Accounts[names[i]], node.Accounts[names[(i+1)%len(names)]]
				accNum := node.App.AccountKeeper.GetAccount(node.Ctx(), from.Address).GetAccountNumber()
				_, bz := sigTx{priv: from.PrivKey, accNum: accNum, seq: seqs[i], mode: signing.SignMode_SIGN_MODE_DIRECT,
					gas: 200_000, msgs: []sdk.Msg{banktypes.NewMsgSend(from.Address, to.Address,
						sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, int64(1000+seqs[i]))))}}.build(t, txCfg)
				seqs[i]++
				return bz
			}
			for block := 0; block < 3; block++ {
				var checked [][]byte
				for k := 0; k < 4; k++ {
					checked = append(checked, send(k%len(names)))
				}
				for _, tx := range checked {
					resDirect, err := direct.App.CheckTx(&abci.RequestCheckTx{Tx: tx, Type: abci.CheckTxType_New})
					require.NoError(t, err)
					res, err := c.CheckTx(ctx, &abci.RequestCheckTx{Tx: bytes.Clone(tx), Type: abci.CheckTxType_New})
					require.NoError(t, err)
					require.Zero(t, res.Code, res.Log)
					require.Equal(t, marshal(t, resDirect), marshal(t, res))
				}
				require.Equal(t, 4, node.App.KeptTxDecodings(), "block %d: one kept a checked tx", block)
				unchecked := send(2)
				dup := checked[0]
				// The block holds copies (its own memory), as a node's block does, and tx 0 twice
				// more at the same memory (both fail on their sequence).
				txs := [][]byte{bytes.Clone(checked[0]), bytes.Clone(checked[1]), bytes.Clone(checked[2]),
					bytes.Clone(checked[3]), unchecked, dup, dup}

				prepDirect, err := direct.App.PrepareProposal(&abci.RequestPrepareProposal{Txs: txs, MaxTxBytes: 1 << 20,
					Height: direct.Height + 1, Time: direct.Time.Add(direct.BlockTime), ProposerAddress: direct.Validators[0].ConsAddr})
				require.NoError(t, err)
				before := node.App.TxDecodings()
				prep, err := c.PrepareProposal(ctx, &abci.RequestPrepareProposal{Txs: txs, MaxTxBytes: 1 << 20,
					Height: node.Height + 1, Time: node.Time.Add(node.BlockTime), ProposerAddress: node.Validators[0].ConsAddr})
				require.NoError(t, err)
				require.Equal(t, marshal(t, prepDirect), marshal(t, prep))
				require.EqualValues(t, 3, node.App.TxDecodings()-before, "PrepareProposal decodes the unchecked tx and the two positions of the duplicate")

				// The last block runs while Simulate decodes the same bytes in other memory (during
				// FinalizeBlock only: BaseApp's Simulate and Commit race with each other).
				node.Finalize = func(req *abci.RequestFinalizeBlock) (*abci.ResponseFinalizeBlock, error) {
					if block < 2 {
						return c.FinalizeBlock(ctx, req)
					}
					stop := make(chan struct{})
					var wg sync.WaitGroup
					wg.Add(1)
					go func() {
						defer wg.Done()
						for {
							select {
							case <-stop:
								return
							default:
							}
							for _, tx := range txs {
								_, _, _ = node.App.Simulate(bytes.Clone(tx))
							}
						}
					}()
					defer wg.Wait()
					defer close(stop)
					return c.FinalizeBlock(ctx, req)
				}
				before = node.App.TxDecodings()
				resNode := node.NextBlock(node.AllSigners(), txs...)
				decoded := node.App.TxDecodings() - before
				if block < 2 {
					require.EqualValues(t, 5, decoded, "FinalizeBlock decodes the unchecked tx once and each position of the duplicate twice")
				}
				require.Zero(t, node.App.KeptTxDecodings(), "the block took them")
				resDirect := direct.NextBlock(direct.AllSigners(), txs...)
				require.Equal(t, marshal(t, resDirect), marshal(t, resNode), "FinalizeBlock of block %d", block)
				require.Equal(t, direct.App.LastCommitID(), node.App.LastCommitID(), "commit of block %d", block)
				require.Len(t, resNode.TxResults, len(txs))
				for i, r := range resNode.TxResults {
					if i >= 5 {
						require.NotZero(t, r.Code, "the copies of tx 0 fail")
					} else {
						require.Zero(t, r.Code, "tx %d: %s", i, r.Log)
					}
				}
			}
		})
	}
}

// TestPreVerifyStateReadsBoundedPerHeight: transactions whose first signer has no account (or
// no key) make PreVerify open the committed state, and cost their senders nothing once CheckTx
// refuses them; so PreVerify opens it at most a limit of times per committed height, and past
// that leaves a transaction to CheckTx. The next height starts a new count.
func TestPreVerifyStateReadsBoundedPerHeight(t *testing.T) {
	c := sigCacheChain(t, true, []string{"alice", "bob"})
	txCfg := c.App.TxConfig()
	bob := c.Accounts["bob"]
	newPriv, newAddr := fundNewAccount(t, c)
	accNum := c.App.AccountKeeper.GetAccount(c.Ctx(), newAddr).GetAccountNumber()
	_, first := sigTx{priv: newPriv, accNum: accNum, mode: signing.SignMode_SIGN_MODE_DIRECT, gas: 200_000,
		msgs: []sdk.Msg{banktypes.NewMsgSend(newAddr, bob.Address, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 5)))}}.build(t, txCfg)
	cache := c.App.SigCache()
	c.App.SetStateReadLimit(2)

	for i := 0; i < 3; i++ {
		stranger := secp256k1.GenPrivKey()
		_, bz := sigTx{priv: stranger, mode: signing.SignMode_SIGN_MODE_DIRECT, gas: 200_000,
			msgs: []sdk.Msg{banktypes.NewMsgSend(sdk.AccAddress(stranger.PubKey().Address()), bob.Address, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 1)))}}.build(t, txCfg)
		c.App.PreVerify(bz)
	}
	height, reads := c.App.StateReads()
	require.Equal(t, c.App.LastBlockHeight(), height)
	require.Equal(t, 2, reads, "the third stranger is not looked up")

	pre := cache.PreVerified()
	c.App.PreVerify(first)
	require.Equal(t, pre, cache.PreVerified(), "over the height's reads: left to CheckTx")

	c.NextBlock(c.AllSigners())
	c.App.PreVerify(first)
	require.Equal(t, pre+1, cache.PreVerified(), "a new height, a new count")
	_, reads = c.App.StateReads()
	require.Equal(t, 1, reads)
	res := c.NextBlock(c.AllSigners(), first)
	require.Zero(t, res.TxResults[0].Code, res.TxResults[0].Log)
}

// fundNewAccount makes a new account, funded by alice in a block: it has no key until its first
// transaction.
func fundNewAccount(t *testing.T, c *testutil.Chain) (*secp256k1.PrivKey, sdk.AccAddress) {
	t.Helper()
	alice := c.Accounts["alice"]
	priv := secp256k1.GenPrivKey()
	addr := sdk.AccAddress(priv.PubKey().Address())
	_, fund := sigTx{priv: alice.PrivKey, accNum: c.App.AccountKeeper.GetAccount(c.Ctx(), alice.Address).GetAccountNumber(),
		mode: signing.SignMode_SIGN_MODE_DIRECT, gas: 200_000, msgs: []sdk.Msg{banktypes.NewMsgSend(alice.Address, addr,
			sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 1_000_000)))}}.build(t, c.App.TxConfig())
	require.Zero(t, c.NextBlock(c.AllSigners(), fund).TxResults[0].Code)
	return priv, addr
}
