package app_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"

	storetypes "cosmossdk.io/store/types"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

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

// Two nodes, one of them with the SDK's account keeper in its ante handler, run the same
// transactions: accounts that get their first public key, change sequence in CheckTx and again
// in the block, pay fees, sign together, send unordered, and transactions that fail. Every
// CheckTx and every transaction in a block has the same outcome (code, log, events) on both, and
// after every block both hold exactly the same keys and values in every store; what differs is
// gas, lower on the node whose ante handler leaves the account-number index alone (and, from
// that, the app hash: IAVL versions the index entry the SDK's keeper writes again). The node
// with decodings decoded far fewer accounts than it read.
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

	sameOutcome := func(what string, plain, with abciResult) {
		t.Helper()
		require.Equal(t, plain.GetCode(), with.GetCode(), what)
		require.Equal(t, plain.GetCodespace(), with.GetCodespace(), what)
		if !strings.Contains(plain.GetLog(), "gas") {
			require.Equal(t, plain.GetLog(), with.GetLog(), what)
		}
		require.Equal(t, plain.GetEvents(), with.GetEvents(), what)
		require.Equal(t, plain.GetGasWanted(), with.GetGasWanted(), what)
		if with.GetCode() == 0 {
			require.LessOrEqual(t, with.GetGasUsed(), plain.GetGasUsed(), what)
		}
	}
	var gasSaved int64
	run := func(block int, txs [][]byte) *abci.ResponseFinalizeBlock {
		for i, tx := range txs {
			resWith, err := with.App.CheckTx(&abci.RequestCheckTx{Tx: tx, Type: abci.CheckTxType_New})
			require.NoError(t, err)
			resPlain, err := plain.App.CheckTx(&abci.RequestCheckTx{Tx: tx, Type: abci.CheckTxType_New})
			require.NoError(t, err)
			sameOutcome(fmt.Sprintf("CheckTx %d of block %d", i, block), resPlain, resWith)
		}
		resWith := with.NextBlock(with.AllSigners(), txs...)
		resPlain := plain.NextBlock(plain.AllSigners(), txs...)
		require.Len(t, resWith.TxResults, len(txs))
		for i := range txs {
			sameOutcome(fmt.Sprintf("tx %d of block %d", i, block), resPlain.TxResults[i], resWith.TxResults[i])
			if resWith.TxResults[i].Code == 0 {
				gasSaved += resPlain.TxResults[i].GasUsed - resWith.TxResults[i].GasUsed
			}
		}
		require.Equal(t, resPlain.Events, resWith.Events, "block %d events", block)
		sameState(t, fmt.Sprintf("state after block %d", block), storeDump(t, plain.App), storeDump(t, with.App))
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

	require.Positive(t, gasSaved)
	hits, misses := with.App.AccountDecodings().Stats()
	require.NotZero(t, misses)
	require.Greater(t, hits, 3*misses, "hits %d, misses %d", hits, misses)
}

// abciResult is what CheckTx and a transaction in a block answer.
type abciResult interface {
	GetCode() uint32
	GetCodespace() string
	GetLog() string
	GetEvents() []abci.Event
	GetGasWanted() int64
	GetGasUsed() int64
}

// storeDump is every key and value of every KV store of the app's committed state, but
// x/staking's historical info: it holds the block headers, with the app hash.
func storeDump(t *testing.T, a *app.App) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	cms := a.CommitMultiStore()
	for name, key := range a.KVStoreKeys() {
		var skip []byte
		if name == stakingtypes.StoreKey {
			skip = stakingtypes.HistoricalInfoKey
		}
		out[name] = kvDump(t, cms.GetKVStore(key), skip)
	}
	return out
}

// kvDump is every key and value of store but those under the prefix skip (none when nil).
func kvDump(t *testing.T, store storetypes.KVStore, skip []byte) map[string]string {
	t.Helper()
	kv := map[string]string{}
	it := store.Iterator(nil, nil)
	for ; it.Valid(); it.Next() {
		if skip != nil && bytes.HasPrefix(it.Key(), skip) {
			continue
		}
		kv[string(it.Key())] = string(it.Value())
	}
	require.NoError(t, it.Close())
	return kv
}

// sameState fails on the first key whose value differs between two store dumps.
func sameState(t *testing.T, what string, want, got map[string]map[string]string) {
	t.Helper()
	require.Equal(t, len(want), len(got), what)
	for store, kv := range want {
		require.Equal(t, len(kv), len(got[store]), "%s: %s: number of keys", what, store)
		for k, v := range kv {
			g, ok := got[store][k]
			require.True(t, ok, "%s: %s: key %x missing", what, store, k)
			require.Equal(t, v, g, "%s: %s: key %x", what, store, k)
		}
	}
}

// The ante handler's account writes leave the store exactly as the SDK's keeper does: a
// sequence or key change of a stored account (the account alone is written: less gas), and,
// written by the SDK's keeper itself (same gas), a module account, an account not stored yet and
// an account whose number changed.
func TestDecodingAccountKeeperWritesAsTheSDKKeeper(t *testing.T) {
	c := sigCacheChain(t, true, []string{"alice", "bob"})
	k, _ := app.DecodingAccountKeeper(c.App, 16)
	authKey := c.App.KVStoreKeys()[authtypes.StoreKey]
	dump := func(ctx sdk.Context) map[string]string { return kvDump(t, ctx.KVStore(authKey), nil) }
	// write stores what change makes of the account read at addr (nil: a new account), once
	// through the SDK's keeper and once through the ante handler's, on two branches of the
	// committed state, and compares the stores and the gas.
	write := func(name string, addr sdk.AccAddress, change func(sdk.AccountI) sdk.AccountI) (sdkGas, ourGas storetypes.Gas) {
		t.Helper()
		ctxSDK, _ := c.Ctx().CacheContext()
		ctxSDK = ctxSDK.WithGasMeter(storetypes.NewInfiniteGasMeter())
		ctxOurs, _ := c.Ctx().CacheContext()
		ctxOurs = ctxOurs.WithGasMeter(storetypes.NewInfiniteGasMeter())
		c.App.AccountKeeper.SetAccount(ctxSDK, change(c.App.AccountKeeper.GetAccount(c.Ctx(), addr)))
		k.SetAccount(ctxOurs, change(c.App.AccountKeeper.GetAccount(c.Ctx(), addr)))
		sdkGas, ourGas = ctxSDK.GasMeter().GasConsumed(), ctxOurs.GasMeter().GasConsumed()
		ours := dump(ctxOurs)
		require.Equal(t, dump(ctxSDK), ours, name)
		require.NotEqual(t, dump(c.Ctx()), ours, "%s: something was written", name)
		return sdkGas, ourGas
	}
	alice := c.Accounts["alice"].Address
	sdkGas, ourGas := write("sequence", alice, func(a sdk.AccountI) sdk.AccountI {
		require.NoError(t, a.SetSequence(a.GetSequence()+1))
		return a
	})
	require.Less(t, ourGas, sdkGas)
	sdkGas, ourGas = write("public key", alice, func(a sdk.AccountI) sdk.AccountI {
		require.NoError(t, a.SetPubKey(secp256k1.GenPrivKeyFromSecret([]byte("other")).PubKey()))
		return a
	})
	require.Less(t, ourGas, sdkGas)

	module := c.App.AccountKeeper.GetModuleAccount(c.Ctx(), authtypes.FeeCollectorName).GetAddress()
	sdkGas, ourGas = write("module account", module, func(a sdk.AccountI) sdk.AccountI {
		require.NoError(t, a.SetSequence(a.GetSequence()+1))
		return a
	})
	require.Equal(t, sdkGas, ourGas)
	stranger := sdk.AccAddress(secp256k1.GenPrivKeyFromSecret([]byte("stranger")).PubKey().Address())
	next := c.App.AccountKeeper.NextAccountNumber(c.Ctx())
	sdkGas, ourGas = write("new account", stranger, func(a sdk.AccountI) sdk.AccountI {
		require.Nil(t, a)
		return authtypes.NewBaseAccount(stranger, nil, next+100, 0)
	})
	require.Greater(t, ourGas, sdkGas, "one more read of the missing account, then the SDK's keeper")
	sdkGas, ourGas = write("account number", alice, func(a sdk.AccountI) sdk.AccountI {
		require.NoError(t, a.SetAccountNumber(next+200))
		return a
	})
	require.Greater(t, ourGas, sdkGas, "one more read of the account, then the SDK's keeper")
}

// An account the ante keeper writes is remembered as the decoding of the bytes written: the next
// read of those bytes decodes nothing and gives exactly what the SDK's keeper reads (public key
// included). An account whose key Any does not hold the key its bytes name is not remembered:
// its next read decodes the stored bytes.
func TestDecodingAccountKeeperRemembersWrites(t *testing.T) {
	c := sigCacheChain(t, true, []string{"alice"})
	k, decodings := app.DecodingAccountKeeper(c.App, 16)
	ctx := c.Ctx()
	addr := c.Accounts["alice"].Address
	stats := func() [2]uint64 {
		hits, misses := decodings.Stats()
		return [2]uint64{hits, misses}
	}
	readBack := func(what string) {
		t.Helper()
		want := c.App.AccountKeeper.GetAccount(ctx, addr)
		got := k.GetAccount(ctx, addr)
		require.Equal(t, want, got, what)
		require.Equal(t, want.GetPubKey(), got.GetPubKey(), what)
	}

	acc := k.GetAccount(ctx, addr) // decoded
	require.Equal(t, [2]uint64{0, 1}, stats())
	pk := c.Accounts["alice"].PrivKey.PubKey()
	require.NoError(t, acc.SetPubKey(pk))
	k.SetAccount(ctx, acc) // reads the stored account back (remembered) before writing
	require.Equal(t, [2]uint64{1, 1}, stats())
	readBack("first public key")
	require.Equal(t, [2]uint64{2, 1}, stats(), "the written account was remembered")

	acc = k.GetAccount(ctx, addr)
	require.NoError(t, acc.SetSequence(acc.GetSequence()+1))
	k.SetAccount(ctx, acc)
	readBack("next sequence")
	require.Equal(t, [2]uint64{5, 1}, stats())

	// A key Any whose unpacked key is not the one its bytes encode.
	other := secp256k1.GenPrivKey().PubKey()
	acc = k.GetAccount(ctx, addr)
	base := acc.(*authtypes.BaseAccount)
	require.NoError(t, base.SetPubKey(other))
	mixed := *base.PubKey
	stored := k.GetAccount(ctx, addr).(*authtypes.BaseAccount)
	mixed.Value = stored.PubKey.Value
	base.PubKey = &mixed
	require.NoError(t, base.SetSequence(base.GetSequence()+1))
	k.SetAccount(ctx, base)
	before := stats()
	readBack("mismatched key Any")
	require.Equal(t, before[1]+1, stats()[1], "decoded, not remembered")
	require.Equal(t, pk, k.GetAccount(ctx, addr).GetPubKey(), "the key the bytes encode")
}

// GetParams of the ante keeper gives what the SDK's keeper gives, for the same gas: the stored
// parameters, decoded again once they change, and zero parameters once there are none.
func TestDecodingAccountKeeperParams(t *testing.T) {
	c := sigCacheChain(t, true, []string{"alice"})
	k, _ := app.DecodingAccountKeeper(c.App, 16)
	ctx := c.Ctx()
	same := func(what string) authtypes.Params {
		t.Helper()
		ctxSDK := ctx.WithGasMeter(storetypes.NewInfiniteGasMeter())
		want := c.App.AccountKeeper.GetParams(ctxSDK)
		ctxOurs := ctx.WithGasMeter(storetypes.NewInfiniteGasMeter())
		got := k.GetParams(ctxOurs)
		require.Equal(t, want, got, what)
		require.Equal(t, ctxSDK.GasMeter().GasConsumed(), ctxOurs.GasMeter().GasConsumed(), what)
		require.NotZero(t, ctxOurs.GasMeter().GasConsumed(), what)
		return got
	}
	first := same("decoded")
	require.Equal(t, authtypes.DefaultParams(), first)
	same("remembered")

	changed := first
	changed.TxSigLimit = 3
	changed.TxSizeCostPerByte = 17
	require.NoError(t, c.App.AccountKeeper.Params.Set(ctx, changed))
	require.Equal(t, changed, same("changed"))

	require.NoError(t, c.App.AccountKeeper.Params.Remove(ctx))
	require.Equal(t, authtypes.Params{}, same("removed"))
}

// BaseApp reads the consensus parameters the x/consensus keeper stores, decoding them once: a
// caller changing what it got changes no later read, and stored changes are read back.
func TestConsensusParamStoreReadsAsTheKeeper(t *testing.T) {
	c := sigCacheChain(t, true, []string{"alice"})
	ctx := c.Ctx()
	want, err := c.App.ConsensusParamsKeeper.ParamsStore.Get(ctx)
	require.NoError(t, err)
	require.NotNil(t, want.Block)
	got := c.App.GetConsensusParams(ctx)
	require.Equal(t, want, got)
	decodes := c.App.ConsensusParamsDecodes()
	require.NotZero(t, decodes)
	got.Block.MaxGas = 1
	got.Validator.PubKeyTypes[0] = "changed"
	require.Equal(t, want, c.App.GetConsensusParams(ctx))
	require.Equal(t, decodes, c.App.ConsensusParamsDecodes(), "the same bytes are not decoded again")

	changed, err := c.App.ConsensusParamsKeeper.ParamsStore.Get(ctx)
	require.NoError(t, err)
	changed.Block.MaxGas = 123_456_789
	require.NoError(t, c.App.ConsensusParamsKeeper.ParamsStore.Set(ctx, changed))
	require.Equal(t, changed, c.App.GetConsensusParams(ctx))
	require.Equal(t, decodes+1, c.App.ConsensusParamsDecodes())

	require.NoError(t, c.App.ConsensusParamsKeeper.ParamsStore.Remove(ctx))
	require.Equal(t, cmtproto.ConsensusParams{}, c.App.GetConsensusParams(ctx))
}
