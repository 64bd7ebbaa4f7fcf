package app

import (
	"bytes"
	"context"
	"sync"
	"sync/atomic"

	abcicli "github.com/cometbft/cometbft/abci/client"
	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/proxy"

	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	"github.com/cosmos/cosmos-sdk/crypto/types/multisig"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
)

// Signature pre-verification.
//
// CometBFT calls the app through one lock: CheckTx, the rechecks, FinalizeBlock and Commit take
// turns, so what CheckTx does bounds how many transactions a node can take. The largest part
// of CheckTx is verifying the transaction's signature. PreVerify does that verification before
// the lock, in the goroutine that delivers the transaction (an RPC call or a peer's message),
// many at once, against the last committed state, and leaves each valid signature in the
// signature cache: CheckTx, under the lock, then finds it there.
//
// It decides nothing. CheckTx runs the whole ante handler as before and verifies whatever the
// cache does not hold; PreVerify only adds signatures that it has itself verified, keyed by
// their exact sign bytes, so a guess that is wrong (an account number or sequence that changed
// since the last commit, another chain id) only misses. A transaction that does not decode,
// whose first signer is not a single key or names an unknown account, or that is larger than
// maxPreVerifyTxBytes is left to CheckTx.

// PreVerify verifies the first signature of txBytes (when it is a single key's) against the
// last committed state and remembers it in the signature cache if it is valid. It is safe to
// call from many goroutines at once and while the app executes a block. Without a signature
// cache it does nothing.
//
// A transaction that CheckTx refuses before verifying its signatures (a wrong sequence, too
// many signatures, too long a memo, too little gas) costs its sender nothing, so what PreVerify
// spends on one is bounded by what CheckTx may spend on a transaction it refuses: one
// verification, and transactions of at most maxPreVerifyTxBytes (the sign bytes are as long).
// The other signatures of a transaction with several signers, and larger transactions, are
// verified by CheckTx as without pre-verification.
func (app *App) PreVerify(txBytes []byte) {
	cache := app.sigCache
	if cache == nil || len(txBytes) > maxPreVerifyTxBytes {
		return
	}
	// PreVerify runs in CometBFT's RPC and peer goroutines, outside the app's own panic
	// recovery. It is only ever a head start for CheckTx: whatever goes wrong here, CheckTx
	// decides, so a panic (an unexpected transaction shape) ends the head start, not the node.
	defer func() { _ = recover() }()
	decoded, err := app.txConfig.TxDecoder()(txBytes)
	if err != nil {
		return
	}
	app.preVerify(cache, decoded)
	// CheckTx decodes the same bytes next: it takes this decoding instead (only after a
	// normal return: a panic above may have left it half-way through a lazy computation).
	app.txHandoff.put(txBytes, decoded)
}

// maxPreVerifyTxBytes is the largest transaction PreVerify verifies. A bank send is about 250
// bytes, a record-usage batch of 100 records about 15 KiB.
const maxPreVerifyTxBytes = 32 << 10

func (app *App) preVerify(cache *SigCache, decoded sdk.Tx) {
	sigTx, ok := decoded.(authsigning.Tx)
	if !ok {
		return
	}
	sigs, err := sigTx.GetSignaturesV2()
	if err != nil {
		return
	}
	signers, err := sigTx.GetSigners()
	if err != nil || len(sigs) == 0 || len(sigs) != len(signers) {
		return
	}
	sig, signer := sigs[0], signers[0]
	single, ok := sig.Data.(*signing.SingleSignatureData)
	if !ok {
		return
	}
	hint, known := app.signerHints.get(signer)
	if !known || (hint.pubKey == nil && sig.PubKey == nil) {
		// Read the account from the last committed state. Its header is the check state's, not
		// checked against the latest height (as for the SDK's gRPC queries): a restarted node's
		// check state has an empty header until its first commit, and the block's state, which
		// the check would read, is written by FinalizeBlock while this runs.
		ctx, err := app.CreateQueryContextWithCheckHeader(0, false, false)
		if err != nil {
			return
		}
		acc := app.AccountKeeper.GetAccount(ctx, signer)
		if acc == nil {
			return
		}
		hint = signerHint{accNum: acc.GetAccountNumber(), pubKey: acc.GetPubKey()}
		app.signerHints.put(signer, hint)
	}
	pk := hint.pubKey
	if pk == nil {
		// No key stored yet: the ante handler sets the account's key from the transaction, if
		// it is the signer's.
		if pk = sig.PubKey; pk == nil || !bytes.Equal(pk.Address(), signer) {
			return
		}
	}
	if _, ok := pk.(multisig.PubKey); ok {
		return
	}
	// The sign bytes the SigVerificationDecorator will compute if the account is unchanged.
	signBytes, err := authsigning.GetSignBytesAdapter(context.Background(), app.txConfig.SignModeHandler(), single.SignMode,
		authsigning.SignerData{
			Address: sdk.AccAddress(signer).String(), ChainID: app.ChainID(), AccountNumber: hint.accNum,
			Sequence: sig.Sequence, PubKey: pk,
		}, decoded)
	if err != nil {
		return
	}
	cache.Remember(pk, signBytes, single.Signature)
}

// signerHints remembers, per signer address, the account number and public key (nil while the
// account has none) PreVerify read from the state, so that it does not read the account again
// for the signer's next transactions. Neither changes once an account has a public key, and a
// key set later is the one the signer's transactions carry (its address is the account's); if
// either ever differed, the sign bytes PreVerify computes from the hint would only differ from
// CheckTx's and miss the cache.
// At most maxSignerHints addresses are kept (the map is emptied when full).
type signerHints struct {
	mu sync.Mutex
	m  map[string]signerHint
}

type signerHint struct {
	accNum uint64
	pubKey cryptotypes.PubKey
}

const maxSignerHints = 100_000

func (h *signerHints) get(addr []byte) (signerHint, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	v, ok := h.m[string(addr)]
	return v, ok
}

func (h *signerHints) put(addr []byte, v signerHint) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.m == nil || len(h.m) >= maxSignerHints {
		h.m = make(map[string]signerHint)
	}
	h.m[string(addr)] = v
}

// PreVerifyingClientCreator is CometBFT's local ABCI client (one lock for every connection)
// with PreVerify run on each transaction before the mempool connection's CheckTx takes the
// lock. baid start uses it (see cmd/baid/cmd/start.go).
func PreVerifyingClientCreator(app *App, cmtApp abci.Application) proxy.ClientCreator {
	return preVerifyingCreator{local: proxy.NewLocalClientCreator(cmtApp), app: app}
}

type preVerifyingCreator struct {
	local proxy.ClientCreator
	app   *App
}

// NewABCIClient implements proxy.ClientCreator.
func (c preVerifyingCreator) NewABCIClient() (abcicli.Client, error) {
	cl, err := c.local.NewABCIClient()
	if err != nil {
		return nil, err
	}
	return preVerifyingClient{Client: cl, app: c.app}, nil
}

// preVerifyingClient pre-verifies the signatures of a new transaction (not of a recheck: a
// recheck verifies no signature) before handing it to the local client.
type preVerifyingClient struct {
	abcicli.Client
	app *App
}

// preVerify pre-verifies a new transaction and returns what to do once CheckTx has returned
// (the local client's CheckTxAsync, too, returns after the app's CheckTx).
func (c preVerifyingClient) preVerify(req *abci.RequestCheckTx) (done func()) {
	if req == nil || req.Type != abci.CheckTxType_New {
		return func() {}
	}
	c.app.PreVerify(req.Tx)
	return func() { c.app.txHandoff.drop(req.Tx) }
}

// CheckTx implements abcicli.Client.
func (c preVerifyingClient) CheckTx(ctx context.Context, req *abci.RequestCheckTx) (*abci.ResponseCheckTx, error) {
	defer c.preVerify(req)()
	return c.Client.CheckTx(ctx, req)
}

// CheckTxAsync implements abcicli.Client: the mempool's call.
func (c preVerifyingClient) CheckTxAsync(ctx context.Context, req *abci.RequestCheckTx) (*abcicli.ReqRes, error) {
	defer c.preVerify(req)()
	return c.Client.CheckTxAsync(ctx, req)
}

// txHandoff passes the transaction PreVerify decoded to the decoding of the same bytes that
// follows, CheckTx's, so that a pre-verified transaction is decoded once before the lock
// rather than once on each side of it. The app's TxDecoder takes an entry on its first
// decoding of those bytes, whoever asks for it, and the pre-verifying client drops what is
// left once CheckTx returns, so entries never outlive the CheckTx calls in flight.
//
// A decoding is a pure function of the bytes, and PreVerify only reads the transaction (its
// signers and signatures, computed lazily and memoized alike either way), so the taker gets
// what it would have decoded itself. Each entry is handed out at most once: a message handler
// that mutates its transaction never shares it.
type txHandoff struct {
	mu sync.Mutex
	m  map[string]sdk.Tx
	// n is len(m), read without the lock by every decoding (nearly always 0 outside CheckTx).
	n atomic.Int64
}

// maxTxHandoffs bounds the decodings waiting for their CheckTx (one per RPC call or peer
// message in flight); beyond it they are all dropped.
const maxTxHandoffs = 10_000

func (h *txHandoff) put(txBytes []byte, tx sdk.Tx) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.m == nil || len(h.m) >= maxTxHandoffs {
		// Only a PreVerify with no CheckTx after it leaves an entry behind: never many.
		h.m = make(map[string]sdk.Tx)
	}
	h.m[string(txBytes)] = tx
	h.n.Store(int64(len(h.m)))
}

// take returns and removes the decoding handed off for txBytes, if there is one.
func (h *txHandoff) take(txBytes []byte) (sdk.Tx, bool) {
	if h.n.Load() == 0 {
		return nil, false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	tx, ok := h.m[string(txBytes)]
	if ok {
		delete(h.m, string(txBytes))
		h.n.Store(int64(len(h.m)))
	}
	return tx, ok
}

// drop removes what is left for txBytes (CheckTx did not decode it: e.g. the mempool was full).
func (h *txHandoff) drop(txBytes []byte) { h.take(txBytes) }

// decoder is decode, taking a handed-off decoding of the same bytes when there is one.
func (h *txHandoff) decoder(decode sdk.TxDecoder) sdk.TxDecoder {
	return func(txBytes []byte) (sdk.Tx, error) {
		if tx, ok := h.take(txBytes); ok {
			return tx, nil
		}
		return decode(txBytes)
	}
}
