package app_test

import (
	"fmt"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	storetypes "cosmossdk.io/store/types"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/balanceai/balanceai/app"
)

// The ante handler's account reads through AccountDecodings give what the SDK's keeper gives:
// the same account, the same gas, nil for an account that does not exist, and the account as
// last written, whether or not its earlier bytes were decoded before.
func TestDecodingAccountKeeperReadsAsTheSDKKeeper(t *testing.T) {
	c := sigCacheChain(t, true, []string{"alice", "bob"})
	k, decodings := app.DecodingAccountKeeper(c.App, 16)
	stranger := sdk.AccAddress(secp256k1.GenPrivKey().PubKey().Address())
	read := func(ctx sdk.Context, addr sdk.AccAddress) (sdk.AccountI, sdk.AccountI, storetypes.Gas, storetypes.Gas) {
		ctxSDK := ctx.WithGasMeter(storetypes.NewInfiniteGasMeter())
		want := c.App.AccountKeeper.GetAccount(ctxSDK, addr)
		ctxOurs := ctx.WithGasMeter(storetypes.NewInfiniteGasMeter())
		got := k.GetAccount(ctxOurs, addr)
		return want, got, ctxSDK.GasMeter().GasConsumed(), ctxOurs.GasMeter().GasConsumed()
	}
	ctx := c.Ctx()
	for round := 0; round < 2; round++ { // decoded, then remembered
		for _, addr := range []sdk.AccAddress{c.Accounts["alice"].Address, c.Accounts["bob"].Address, stranger} {
			want, got, wantGas, gotGas := read(ctx, addr)
			require.Equal(t, want, got, "round %d", round)
			require.Equal(t, wantGas, gotGas, "round %d", round)
			require.NotZero(t, gotGas)
		}
	}
	hits, misses := decodings.Stats()
	require.Equal(t, [2]uint64{2, 2}, [2]uint64{hits, misses})

	// Changing what a read returned changes nothing stored or remembered; a written change is
	// read back, and the earlier bytes still decode to the earlier account.
	alice := k.GetAccount(ctx, c.Accounts["alice"].Address)
	seq := alice.GetSequence()
	require.NoError(t, alice.SetSequence(seq+5))
	require.Equal(t, seq, k.GetAccount(ctx, c.Accounts["alice"].Address).GetSequence())
	k.SetAccount(ctx, alice)
	want, got, wantGas, gotGas := read(ctx, c.Accounts["alice"].Address)
	require.Equal(t, seq+5, got.GetSequence())
	require.Equal(t, want, got)
	require.Equal(t, wantGas, gotGas)

	// Accounts of other types are decoded every time, and read as the SDK's keeper reads them.
	module := c.App.AccountKeeper.GetModuleAccount(ctx, authtypes.FeeCollectorName)
	for i := 0; i < 2; i++ {
		want, got, wantGas, gotGas = read(ctx, module.GetAddress())
		require.IsType(t, &authtypes.ModuleAccount{}, got)
		require.Equal(t, want, got)
		require.Equal(t, wantGas, gotGas)
	}
}

// Two nodes, one of them without AccountDecodings, run the same transactions: accounts that
// get their first public key, change sequence in CheckTx and again in the block, pay fees, sign
// together, send unordered, and transactions that fail. CheckTx and FinalizeBlock responses
// and commits are byte-identical, and the node with decodings decoded far fewer accounts than
// it read.
func TestAccountDecodingsSameResults(t *testing.T) {
	names := []string{"alice", "bob", "carol", "dave"}
	with := sigCacheChain(t, false, names)
	plain := sigCacheChain(t, false, names)
	with.Restart(nil)
	plain.Restart(func(a *app.App) { a.SetAnteWithoutAccountDecodings() })
	require.NotNil(t, with.App.AccountDecodings())
	require.Nil(t, plain.App.AccountDecodings())
	require.Equal(t, plain.App.LastCommitID(), with.App.LastCommitID())
	txCfg := with.App.TxConfig()

	newcomer := secp256k1.GenPrivKeyFromSecret([]byte("newcomer"))
	newAddr := sdk.AccAddress(newcomer.PubKey().Address())
	seqs := map[string]uint64{}
	accNum := func(addr sdk.AccAddress) uint64 {
		return with.App.AccountKeeper.GetAccount(with.Ctx(), addr).GetAccountNumber()
	}
	fee := sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 2_500))
	send := func(from, to sdk.AccAddress, amount int64) sdk.Msg {
		return banktypes.NewMsgSend(from, to, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, amount)))
	}
	signed := func(name string, mode signing.SignMode, gas uint64, msgs ...sdk.Msg) []byte {
		acc := with.Accounts[name]
		_, bz := sigTx{priv: acc.PrivKey, accNum: accNum(acc.Address), seq: seqs[name], mode: mode, msgs: msgs,
			fee: fee, gas: gas, memo: fmt.Sprintf("%s %d", name, seqs[name])}.build(t, txCfg)
		seqs[name]++
		return bz
	}

	run := func(block int, txs [][]byte) *abci.ResponseFinalizeBlock {
		for i, tx := range txs {
			resWith, err := with.App.CheckTx(&abci.RequestCheckTx{Tx: tx, Type: abci.CheckTxType_New})
			require.NoError(t, err)
			resPlain, err := plain.App.CheckTx(&abci.RequestCheckTx{Tx: tx, Type: abci.CheckTxType_New})
			require.NoError(t, err)
			require.Equal(t, marshal(t, resPlain), marshal(t, resWith), "CheckTx %d of block %d", i, block)
		}
		resWith := with.NextBlock(with.AllSigners(), txs...)
		resPlain := plain.NextBlock(plain.AllSigners(), txs...)
		require.Equal(t, marshal(t, resPlain), marshal(t, resWith), "FinalizeBlock of block %d", block)
		require.Equal(t, plain.App.LastCommitID(), with.App.LastCommitID(), "commit of block %d", block)
		return resWith
	}

	// Block 0: two signers in one transaction, sends in both sign modes, one funding the
	// newcomer, a send of more than the sender has, one out of gas, and one with a sequence
	// already used.
	txs := [][]byte{multiSigned(t, with, []string{"carol", "dave"})}
	seqs["carol"], seqs["dave"] = 1, 1
	for i, n := range names {
		to := with.Accounts[names[(i+1)%len(names)]].Address
		txs = append(txs, signed(n, signing.SignMode_SIGN_MODE_DIRECT, 200_000, send(with.Accounts[n].Address, to, 10)))
		txs = append(txs, signed(n, signing.SignMode_SIGN_MODE_LEGACY_AMINO_JSON, 200_000, send(with.Accounts[n].Address, to, 20)))
	}
	txs = append(txs, signed("alice", signing.SignMode_SIGN_MODE_DIRECT, 200_000, send(with.Accounts["alice"].Address, newAddr, 1_000_000)))
	txs = append(txs, signed("bob", signing.SignMode_SIGN_MODE_DIRECT, 200_000,
		send(with.Accounts["bob"].Address, newAddr, 1_000_000_000_000_000)))
	txs = append(txs, signed("carol", signing.SignMode_SIGN_MODE_DIRECT, 58_000, send(with.Accounts["carol"].Address, newAddr, 5)))
	seqs["dave"]--
	txs = append(txs, signed("dave", signing.SignMode_SIGN_MODE_DIRECT, 200_000, send(with.Accounts["dave"].Address, newAddr, 5)))
	res := run(0, txs)
	var failed int
	for _, r := range res.TxResults {
		if r.Code != 0 {
			failed++
		}
	}
	require.Equal(t, 3, failed, "%v", res.TxResults)

	// Block 1: the newcomer's first transaction (its key is stored by it) and an unordered send.
	_, first := sigTx{priv: newcomer, accNum: accNum(newAddr), mode: signing.SignMode_SIGN_MODE_DIRECT, fee: fee, gas: 200_000,
		msgs: []sdk.Msg{send(newAddr, with.Accounts["alice"].Address, 3)}}.build(t, txCfg)
	require.Nil(t, with.App.AccountKeeper.GetAccount(with.Ctx(), newAddr).GetPubKey())
	a := with.Accounts["alice"]
	_, unordered := sigTx{priv: a.PrivKey, accNum: accNum(a.Address), mode: signing.SignMode_SIGN_MODE_DIRECT, fee: fee,
		gas: 200_000, unordered: true, timeout: with.Time.Add(time.Minute),
		msgs: []sdk.Msg{send(a.Address, newAddr, 4)}}.build(t, txCfg)
	res = run(1, [][]byte{first, unordered})
	for i, r := range res.TxResults {
		require.Zero(t, r.Code, "tx %d: %s", i, r.Log)
	}
	require.NotNil(t, with.App.AccountKeeper.GetAccount(with.Ctx(), newAddr).GetPubKey())

	hits, misses := with.App.AccountDecodings().Stats()
	require.NotZero(t, misses)
	require.Greater(t, hits, 3*misses, "hits %d, misses %d", hits, misses)
}
