package app

import (
	"bytes"
	"context"
	"sync"

	abcicli "github.com/cometbft/cometbft/abci/client"
	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
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

// preVerifyTx (pre-verification) verifies the first signature of txBytes (when it is a single
// key's) against the last committed state and remembers it in the signature cache if it is
// valid, and leaves its decoding for the CheckTx of that same slice (txDecodings): the caller,
// the pre-verifying client, drops it once that CheckTx has returned, and nobody changes the
// slice in between. It is safe to call from many goroutines at once and while the app executes
// a block. Without a signature cache it only decodes. It returns the decoding it left (nil if
// none), the first signer (nil when the transaction does not get that far) and whether its
// signature was verified here.
//
// A transaction that CheckTx refuses before verifying its signatures (a wrong sequence, too
// little fee or balance, too many signatures, too long a memo, too little gas) costs its sender
// nothing, while PreVerify has verified its signature. So a signer whose pre-verified
// transaction CheckTx refused (whether its signature verified or not) is not pre-verified again
// until CheckTx accepts one of its transactions (which then pays its fee in a block): each
// account can make the node spend at most one verification CheckTx would not have made (while
// its mark is kept: see signerHints), and
// only on transactions of at most maxPreVerifyTxBytes (the sign bytes are as long). The other
// signatures of a transaction with several signers, and larger transactions, are verified by
// CheckTx as without pre-verification.
func (app *App) preVerifyTx(txBytes []byte) (decoded sdk.Tx, signer []byte, verified bool) {
	if len(txBytes) > maxPreVerifyTxBytes {
		return nil, nil, false
	}
	// PreVerify runs in CometBFT's RPC and peer goroutines, outside the app's own panic
	// recovery. It is only ever a head start for CheckTx: whatever goes wrong here, CheckTx
	// decides, so a panic (an unexpected transaction shape) ends the head start, not the node.
	defer func() {
		if recover() != nil {
			decoded, signer, verified = nil, nil, false
		}
	}()
	tx, err := app.txConfig.TxDecoder()(txBytes)
	if err != nil {
		return nil, nil, false
	}
	if cache := app.sigCache; cache != nil {
		signer, verified = app.preVerify(cache, tx)
	}
	// CheckTx decodes the same slice next: it takes this decoding instead (only after a
	// normal return: a panic above may have left it half-way through a lazy computation).
	app.txDecodings.put(txBytes, tx)
	return tx, signer, verified
}

// maxPreVerifyTxBytes is the largest transaction PreVerify verifies. A bank send is about 250
// bytes, a record-usage batch of 100 records about 15 KiB.
const maxPreVerifyTxBytes = 32 << 10

func (app *App) preVerify(cache *SigCache, decoded sdk.Tx) (signer []byte, verified bool) {
	sigTx, ok := decoded.(authsigning.Tx)
	if !ok {
		return nil, false
	}
	sigs, err := sigTx.GetSignaturesV2()
	if err != nil {
		return nil, false
	}
	signers, err := sigTx.GetSigners()
	if err != nil || len(sigs) == 0 || len(sigs) != len(signers) {
		return nil, false
	}
	sig, signer := sigs[0], signers[0]
	single, ok := sig.Data.(*signing.SingleSignatureData)
	if !ok {
		return nil, false
	}
	hint, known, refused := app.signerHints.get(signer)
	if refused {
		return signer, false
	}
	if !known || (hint.pubKey == nil && sig.PubKey == nil) {
		// Read the account from the last committed state (see committedState).
		ctx, ok := app.committedState()
		if !ok {
			return nil, false
		}
		acc := app.AccountKeeper.GetAccount(ctx, signer)
		if acc == nil {
			return nil, false
		}
		hint = signerHint{accNum: acc.GetAccountNumber(), pubKey: acc.GetPubKey()}
		app.signerHints.put(signer, hint)
	}
	pk := hint.pubKey
	if pk == nil {
		// No key stored yet: the ante handler sets the account's key from the transaction, if
		// it is the signer's.
		if pk = sig.PubKey; pk == nil || !bytes.Equal(pk.Address(), signer) {
			return signer, false
		}
	}
	if _, ok := pk.(multisig.PubKey); ok {
		return signer, false
	}
	// The sign bytes the SigVerificationDecorator will compute if the account is unchanged.
	signBytes, err := authsigning.GetSignBytesAdapter(context.Background(), app.txConfig.SignModeHandler(), single.SignMode,
		authsigning.SignerData{
			Address: sdk.AccAddress(signer).String(), ChainID: app.ChainID(), AccountNumber: hint.accNum,
			Sequence: sig.Sequence, PubKey: pk,
		}, decoded)
	if err != nil {
		return signer, false
	}
	return signer, cache.Remember(pk, signBytes, single.Signature)
}

// committedState is a read-only context over the last committed state, for PreVerify's
// account reads. It reads nothing BaseApp's ABCI calls write (its check and block states):
// only the committed height the app records after each Commit and the versioned stores.
//
// Each opens every store at that height, and a transaction whose first signer PreVerify has not
// remembered (any account's first transaction, or one naming an address with no account or no
// key) needs one, and costs its sender nothing once CheckTx refuses it; so at most
// maxStateReadsPerHeight are opened per committed height (stateReadBudget). Past that,
// PreVerify leaves the transaction to CheckTx, which verifies it as without PreVerify.
func (app *App) committedState() (sdk.Context, bool) {
	height := app.committedHeight.Load()
	if height <= 0 || !app.stateReads.take(height) {
		return sdk.Context{}, false
	}
	ms, err := app.CommitMultiStore().CacheMultiStoreWithVersion(height)
	if err != nil {
		return sdk.Context{}, false
	}
	return sdk.NewContext(ms, cmtproto.Header{ChainID: app.ChainID(), Height: height}, true, app.Logger()), true
}

// maxStateReadsPerHeight bounds PreVerify's reads of the committed state per committed height.
const maxStateReadsPerHeight = 1024

// stateReadBudget counts PreVerify's reads of the committed state at one committed height, at
// most limit of them; a new height starts a new count. Safe for concurrent use.
type stateReadBudget struct {
	mu     sync.Mutex
	limit  int
	height int64
	n      int
}

// take reports whether one more read at height is within the budget, and counts it.
func (b *stateReadBudget) take(height int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if height < b.height {
		return false // a read that started before the last commit: the count is the new height's
	}
	if height > b.height {
		b.height, b.n = height, 0
	}
	if b.n >= b.limit {
		return false
	}
	b.n++
	return true
}

// signerHints remembers, per signer address, the account number and public key (nil while the
// account has none) PreVerify read from the state, so that it does not read the account again
// for the signer's next transactions. Neither changes once an account has a public key, and a
// key set later is the one the signer's transactions carry (its address is the account's); if
// either ever differed, the sign bytes PreVerify computes from the hint would only differ from
// CheckTx's and miss the cache.
// At most maxSignerHints addresses are kept (the map is emptied when full). The refused marks
// are kept apart, in two generations of maxSignerHints each: naming many signers that cost
// PreVerify nothing to look up (accounts without a key) empties the hints, not the marks, and
// each mark is put there by a verification CheckTx then refused, so pushing one out takes
// maxSignerHints more of them.
type signerHints struct {
	mu      sync.Mutex
	m       map[string]signerHint
	refused generations[struct{}]
}

type signerHint struct {
	accNum uint64
	pubKey cryptotypes.PubKey
}

const maxSignerHints = 100_000

// get returns a signer's hint and its refused mark (also for a signer whose hint was dropped).
// refused: CheckTx refused a transaction of the signer whose signature PreVerify had verified
// (valid or not); the signer is not pre-verified until CheckTx accepts one.
func (h *signerHints) get(addr []byte) (hint signerHint, known, refused bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	hint, known = h.m[string(addr)]
	_, refused = h.refused.peek(addr)
	return hint, known, refused
}

// setRefused sets a signer's refused mark.
func (h *signerHints) setRefused(addr []byte, refused bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.refused.cur == nil {
		h.refused = newGenerations[struct{}](maxSignerHints, 0)
	}
	if refused {
		h.refused.put(string(addr), struct{}{})
	} else {
		h.refused.take(addr)
	}
}

// put sets a signer's hint; its refused mark is kept apart (setRefused).
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
// lock, and each transaction decoded once on its way to the block (txDecodings). baid start
// uses it (see cmd/baid/cmd/start.go).
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
// recheck verifies no signature) before handing it to the local client, and registers the
// transactions of PrepareProposal and FinalizeBlock for their decodings (txDecodings).
type preVerifyingClient struct {
	abcicli.Client
	app *App
}

// preVerify pre-verifies a new transaction and returns what to do once CheckTx has returned
// (the local client's CheckTxAsync, too, returns after the app's CheckTx) with its answer: drop
// the decoding CheckTx did not take, keep it for the block if CheckTx accepted the
// transaction, and mark the signer refused (a pre-verified transaction CheckTx refused) or
// accepted again.
func (c preVerifyingClient) preVerify(req *abci.RequestCheckTx) (done func(*abci.ResponseCheckTx)) {
	if req == nil || req.Type != abci.CheckTxType_New {
		return func(*abci.ResponseCheckTx) {}
	}
	decoded, signer, verified := c.app.preVerifyTx(req.Tx)
	return func(res *abci.ResponseCheckTx) {
		c.app.txDecodings.drop(req.Tx)
		if decoded != nil && res != nil && res.Code == 0 {
			// Read by PreVerify and CheckTx only: kept for the block that includes it.
			c.app.txDecodings.keep(req.Tx, decoded)
		}
		switch {
		case signer == nil || res == nil:
		case res.Code == 0:
			c.app.signerHints.setRefused(signer, false)
		case verified:
			c.app.signerHints.setRefused(signer, true)
		}
	}
}

// CheckTx implements abcicli.Client.
func (c preVerifyingClient) CheckTx(ctx context.Context, req *abci.RequestCheckTx) (*abci.ResponseCheckTx, error) {
	done := c.preVerify(req)
	res, err := c.Client.CheckTx(ctx, req)
	done(res)
	return res, err
}

// PrepareProposal implements abcicli.Client: the proposer's transactions are decoded with the
// decodings kept from their CheckTx (txDecodings).
func (c preVerifyingClient) PrepareProposal(ctx context.Context, req *abci.RequestPrepareProposal) (*abci.ResponsePrepareProposal, error) {
	if req != nil {
		defer c.app.txDecodings.beginBlockCall(req.Txs, false)()
	}
	return c.Client.PrepareProposal(ctx, req)
}

// FinalizeBlock implements abcicli.Client: the block's transactions are decoded with the
// decodings kept from their CheckTx, or once each (txDecodings).
func (c preVerifyingClient) FinalizeBlock(ctx context.Context, req *abci.RequestFinalizeBlock) (*abci.ResponseFinalizeBlock, error) {
	if req != nil {
		defer c.app.txDecodings.beginBlockCall(req.Txs, true)()
	}
	return c.Client.FinalizeBlock(ctx, req)
}

// CheckTxAsync implements abcicli.Client: the mempool's call.
func (c preVerifyingClient) CheckTxAsync(ctx context.Context, req *abci.RequestCheckTx) (*abcicli.ReqRes, error) {
	done := c.preVerify(req)
	rr, err := c.Client.CheckTxAsync(ctx, req)
	var res *abci.ResponseCheckTx
	if rr != nil && rr.Response != nil {
		res = rr.Response.GetCheckTx()
	}
	done(res)
	return rr, err
}
