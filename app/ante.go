package app

import (
	"time"

	coreheader "cosmossdk.io/core/header"
	corestore "cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"
	txsigning "cosmossdk.io/x/tx/signing"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	"github.com/cosmos/cosmos-sdk/x/auth/ante"
	authkeeper "github.com/cosmos/cosmos-sdk/x/auth/keeper"
	bankkeeper "github.com/cosmos/cosmos-sdk/x/bank/keeper"

	feegrantkeeper "cosmossdk.io/x/feegrant/keeper"
)

// UnorderedTxMaxTimeout bounds how far ahead of the block time an unordered transaction's
// timeout_timestamp may be: the chain keeps each (signer, timeout) nonce until then.
const UnorderedTxMaxTimeout = 10 * time.Minute

// HandlerOptions are what the BalanceAI ante handler needs.
type HandlerOptions struct {
	AccountKeeper   authkeeper.AccountKeeper
	BankKeeper      bankkeeper.Keeper
	FeegrantKeeper  feegrantkeeper.Keeper
	SignModeHandler *txsigning.HandlerMap
	FeeDenom        string
	// SigCache, when set, answers the signature verification of transactions this node has
	// already verified (see SigCache); nil verifies every signature.
	SigCache *SigCache
	// AccountStore and AccountDecodings, when both set, let the decorators' account reads reuse
	// earlier decodings of the same stored bytes (see AccountDecodings); AccountStore must be
	// the account keeper's own store.
	AccountStore     corestore.KVStoreService
	AccountDecodings *AccountDecodings
	// StartBlock, when set, returns the height and time of the last block committed before the
	// node started, or of the state it restored (ok false on a new chain): see
	// StartBlockDecorator.
	StartBlock func() (height int64, t time.Time, ok bool)
}

// NewAnteHandler returns the SDK's standard ante chain (signatures, sequences, gas, fee deduction
// against the node's minimum gas prices) preceded by the start block's header for the checks
// made before a restarted node's first commit (StartBlockDecorator) and a check that fees are
// paid in the fee denom.
func NewAnteHandler(opts HandlerOptions) (sdk.AnteHandler, error) {
	if opts.SignModeHandler == nil {
		return nil, errorsmod.Wrap(sdkerrors.ErrLogic, "sign mode handler is required for the ante handler")
	}
	if opts.FeeDenom == "" {
		return nil, errorsmod.Wrap(sdkerrors.ErrLogic, "fee denom is required for the ante handler")
	}
	var accounts ante.AccountKeeper = opts.AccountKeeper
	if opts.AccountStore != nil && opts.AccountDecodings != nil {
		accounts = newDecodingAccountKeeper(opts.AccountKeeper, opts.AccountStore, opts.AccountDecodings)
	}
	// The signature verification decorator reads accounts through the signature cache when it
	// is on (it never stores them); the other decorators read them through accounts alone.
	sigVerifyAccounts := accounts
	if opts.SigCache != nil {
		sigVerifyAccounts = sigCacheAccountKeeper{AccountKeeper: accounts, cache: opts.SigCache}
	}
	decorators := []sdk.AnteDecorator{
		StartBlockDecorator{Block: opts.StartBlock},
		ante.NewSetUpContextDecorator(),
		FeeDenomDecorator{Denom: opts.FeeDenom},
		ante.NewExtensionOptionsDecorator(nil),
		ante.NewValidateBasicDecorator(),
		ante.NewTxTimeoutHeightDecorator(),
		ante.NewValidateMemoDecorator(accounts),
		ante.NewConsumeGasForTxSizeDecorator(accounts),
		ante.NewDeductFeeDecorator(accounts, opts.BankKeeper, opts.FeegrantKeeper, nil),
		ante.NewSetPubKeyDecorator(accounts),
		ante.NewValidateSigCountDecorator(accounts),
		ante.NewSigGasConsumeDecorator(accounts, ante.DefaultSigVerificationGasConsumer),
		ante.NewSigVerificationDecorator(sigVerifyAccounts, opts.SignModeHandler,
			ante.WithMaxUnorderedTxTimeoutDuration(UnorderedTxMaxTimeout),
			ante.WithUnorderedTxGasCost(ante.DefaultUnorderedTxGasCost)),
		ante.NewIncrementSequenceDecorator(accounts),
	}
	return sdk.ChainAnteDecorators(decorators...), nil
}

// FeeDenomDecorator refuses transactions that pay fees in any denom but the chain's fee denom:
// x/emission burns and distributes fees in ubai only.
type FeeDenomDecorator struct {
	Denom string
}

// AnteHandle implements sdk.AnteDecorator.
func (d FeeDenomDecorator) AnteHandle(ctx sdk.Context, tx sdk.Tx, simulate bool, next sdk.AnteHandler) (sdk.Context, error) {
	feeTx, ok := tx.(sdk.FeeTx)
	if !ok {
		return ctx, errorsmod.Wrap(sdkerrors.ErrTxDecode, "transaction must be a FeeTx")
	}
	for _, c := range feeTx.GetFee() {
		if c.Denom != d.Denom {
			return ctx, errorsmod.Wrapf(sdkerrors.ErrInvalidCoins, "fees must be paid in %s, got %s", d.Denom, c.Denom)
		}
	}
	return next(ctx, tx, simulate)
}

// StartBlockDecorator gives CheckTx, its rechecks and simulations the height and time of the
// last committed block while BaseApp's check state still has the empty header it is made with
// when a node starts on existing state or restores a state-sync snapshot: BaseApp sets that
// header at InitChain and at each Commit only, so until such a node commits its first block the
// ante handler would see height 0 and zero time (after a state sync the time stays zero: a
// restored state has no block time). At height 0 the SDK's signature check takes every
// transaction for a genesis transaction, signed with account number 0, so every other account's
// signature fails; no timeout height has passed; and every unordered transaction's timeout is
// too far ahead of the zero time (cosmos-sdk issue 24628). Before its first block a new chain's
// check state has the InitChain header (the initial height), and FinalizeBlock and the
// proposals have their block's header: those are left as they are. No gas is charged.
type StartBlockDecorator struct {
	// Block returns the height and time of the last block committed before the node started, or
	// of the state it restored; ok is false on a new chain (nothing is changed then). nil changes
	// nothing.
	Block func() (height int64, t time.Time, ok bool)
}

// AnteHandle implements sdk.AnteDecorator.
func (d StartBlockDecorator) AnteHandle(ctx sdk.Context, tx sdk.Tx, simulate bool, next sdk.AnteHandler) (sdk.Context, error) {
	if ctx.BlockHeight() == 0 && d.Block != nil {
		switch ctx.ExecMode() {
		case sdk.ExecModeCheck, sdk.ExecModeReCheck, sdk.ExecModeSimulate:
			if h, t, ok := d.Block(); ok {
				ctx = ctx.WithBlockHeight(h).WithBlockTime(t)
				ctx = ctx.WithHeaderInfo(coreheader.Info{Height: h, Time: ctx.BlockTime(), ChainID: ctx.ChainID()})
			}
		}
	}
	return next(ctx, tx, simulate)
}
