// Package chain is the AI node's client of a BalanceAI chain: x/access queries over gRPC, and
// MsgRecordUsage batches signed with the operator key and sent as unordered transactions.
package chain

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/client"
	cmtservice "github.com/cosmos/cosmos-sdk/client/grpc/cmtservice"
	clienttx "github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/balanceai/balanceai/gateway"
	accesstypes "github.com/balanceai/balanceai/x/access/types"
)

// Client talks to one node's gRPC server.
type Client struct {
	conn     *grpc.ClientConn
	txConfig client.TxConfig
	keyring  keyring.Keyring
	from     string
	fromAddr sdk.AccAddress
	chainID  string
	gasPrice sdk.DecCoin
	// GasAdjustment multiplies the simulated gas.
	GasAdjustment float64

	access accesstypes.QueryClient
	cmt    cmtservice.ServiceClient
	txs    txtypes.ServiceClient
	auth   authtypes.QueryClient
	accNum *uint64
}

// Config names the node, the operator key and the fee price.
type Config struct {
	GRPCAddr string
	// ClientCtx supplies the codec, the tx config and the keyring (the `baid` client context).
	ClientCtx client.Context
	// From is the operator key's name in the keyring (empty for a read-only client).
	From string
	// ChainID is the chain id the transactions are signed for.
	ChainID string
	// GasPrice is paid per unit of gas, e.g. 0.0025ubai.
	GasPrice sdk.DecCoin
}

// Dial connects to the node (the connection is lazy: an unreachable node fails the calls, not
// Dial).
func Dial(cfg Config) (*Client, error) {
	conn, err := grpc.NewClient(cfg.GRPCAddr,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(codec.NewProtoCodec(cfg.ClientCtx.InterfaceRegistry).GRPCCodec())))
	if err != nil {
		return nil, fmt.Errorf("gRPC address %q: %w", cfg.GRPCAddr, err)
	}
	c := &Client{
		conn: conn, txConfig: cfg.ClientCtx.TxConfig, keyring: cfg.ClientCtx.Keyring, from: cfg.From,
		chainID: cfg.ChainID, gasPrice: cfg.GasPrice, GasAdjustment: 1.5,
		access: accesstypes.NewQueryClient(conn), cmt: cmtservice.NewServiceClient(conn),
		txs: txtypes.NewServiceClient(conn), auth: authtypes.NewQueryClient(conn),
	}
	if cfg.From != "" {
		rec, err := c.keyring.Key(cfg.From)
		if err != nil {
			return nil, fmt.Errorf("operator key %q: %w", cfg.From, err)
		}
		if c.fromAddr, err = rec.GetAddress(); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }

// Operator returns the operator address.
func (c *Client) Operator() sdk.AccAddress { return c.fromAddr }

// CheckAccess asks x/access whether user may be served by the listing now.
func (c *Client) CheckAccess(ctx context.Context, listingID uint64, user string) (*accesstypes.QueryCheckAccessResponse, error) {
	return c.access.CheckAccess(ctx, &accesstypes.QueryCheckAccessRequest{ListingId: listingID, User: user})
}

// Operators returns the listing's operators.
func (c *Client) Operators(ctx context.Context, listingID uint64) ([]string, error) {
	res, err := c.access.Operators(ctx, &accesstypes.QueryOperatorsRequest{ListingId: listingID})
	if err != nil {
		return nil, err
	}
	return res.Operators, nil
}

// AccessParams returns x/access's params.
func (c *Client) AccessParams(ctx context.Context) (accesstypes.Params, error) {
	res, err := c.access.Params(ctx, &accesstypes.QueryParamsRequest{})
	if err != nil {
		return accesstypes.Params{}, err
	}
	return res.Params, nil
}

// Latest returns the chain id, height and time of the latest block.
func (c *Client) Latest(ctx context.Context) (chainID string, height int64, t time.Time, err error) {
	res, err := c.cmt.GetLatestBlock(ctx, &cmtservice.GetLatestBlockRequest{})
	if err != nil {
		return "", 0, time.Time{}, err
	}
	if res.SdkBlock != nil {
		h := res.SdkBlock.Header
		return h.ChainID, h.Height, h.Time, nil
	}
	if res.Block != nil {
		h := res.Block.Header
		return h.ChainID, h.Height, h.Time, nil
	}
	return "", 0, time.Time{}, errors.New("the node returned no block")
}

func (c *Client) accountNumber(ctx context.Context) (uint64, error) {
	if c.accNum != nil {
		return *c.accNum, nil
	}
	res, err := c.auth.AccountInfo(ctx, &authtypes.QueryAccountInfoRequest{Address: c.fromAddr.String()})
	if err != nil {
		return 0, fmt.Errorf("operator account %s: %w (fund it first)", c.fromAddr, err)
	}
	n := res.Info.AccountNumber
	c.accNum = &n
	return n, nil
}

// SignUsage builds and signs an unordered MsgRecordUsage transaction expiring at timeout; it
// returns the transaction bytes and their hash (upper-case hex, as nodes report it).
func (c *Client) SignUsage(ctx context.Context, listingID uint64, records []accesstypes.UsageRecord, timeout time.Time) ([]byte, string, error) {
	accNum, err := c.accountNumber(ctx)
	if err != nil {
		return nil, "", err
	}
	msg := &accesstypes.MsgRecordUsage{Operator: c.fromAddr.String(), ListingId: listingID, Records: records}
	f := clienttx.Factory{}.
		WithTxConfig(c.txConfig).WithKeybase(c.keyring).WithFromName(c.from).WithChainID(c.chainID).
		WithAccountNumber(accNum).WithSequence(0).WithUnordered(true).WithTimeoutTimestamp(timeout).
		WithSignMode(signing.SignMode_SIGN_MODE_DIRECT).WithGasAdjustment(c.GasAdjustment)

	gas, err := c.simulate(ctx, f, msg)
	if err != nil {
		return nil, "", err
	}
	fee := math.LegacyNewDec(int64(gas)).Mul(c.gasPrice.Amount).Ceil().TruncateInt()
	f = f.WithGas(gas).WithFees(sdk.NewCoin(c.gasPrice.Denom, fee).String())
	builder, err := f.BuildUnsignedTx(msg)
	if err != nil {
		return nil, "", err
	}
	if err := clienttx.Sign(ctx, f, c.from, builder, true); err != nil {
		return nil, "", err
	}
	bz, err := c.txConfig.TxEncoder()(builder.GetTx())
	if err != nil {
		return nil, "", err
	}
	return bz, TxHash(bz), nil
}

func (c *Client) simulate(ctx context.Context, f clienttx.Factory, msg sdk.Msg) (uint64, error) {
	simBytes, err := f.WithSimulateAndExecute(true).BuildSimTx(msg)
	if err != nil {
		return 0, err
	}
	res, err := c.txs.Simulate(ctx, &txtypes.SimulateRequest{TxBytes: simBytes})
	if err != nil {
		// The node ran the transaction and it failed (Unknown is the SDK's code for that,
		// InvalidArgument this chain's for a client's mistake): the chain refuses it.
		// Anything else (unreachable, timed out) is the connection's failure.
		if s, ok := status.FromError(err); ok && (s.Code() == codes.Unknown || s.Code() == codes.InvalidArgument) {
			return 0, &gateway.RefusedError{Log: s.Message()}
		}
		return 0, fmt.Errorf("simulate: %w", err)
	}
	return uint64(f.GasAdjustment() * float64(res.GasInfo.GasUsed)), nil
}

// Broadcast sends the transaction and waits for CheckTx only.
func (c *Client) Broadcast(ctx context.Context, txBytes []byte) (gateway.BroadcastResult, error) {
	res, err := c.txs.BroadcastTx(ctx, &txtypes.BroadcastTxRequest{TxBytes: txBytes, Mode: txtypes.BroadcastMode_BROADCAST_MODE_SYNC})
	if err != nil {
		if strings.Contains(err.Error(), "tx already exists in cache") {
			return gateway.BroadcastResult{Duplicate: true}, nil
		}
		return gateway.BroadcastResult{}, err
	}
	r := res.TxResponse
	return gateway.BroadcastResult{Code: r.Code, Log: r.RawLog}, nil
}

// GetTx looks a transaction up by hash; Found is false while it is not in a committed block.
func (c *Client) GetTx(ctx context.Context, hash string) (gateway.TxResult, error) {
	res, err := c.txs.GetTx(ctx, &txtypes.GetTxRequest{Hash: hash})
	if err != nil {
		// Only the node's NotFound means "not in a committed block": any other error (one whose
		// text merely says "not found" included) is an error, or a committed batch could be
		// taken for lost and recorded twice.
		if s, ok := status.FromError(err); ok && s.Code() == codes.NotFound {
			return gateway.TxResult{}, nil
		}
		return gateway.TxResult{}, err
	}
	r := res.TxResponse
	return gateway.TxResult{Found: true, Code: r.Code, Log: r.RawLog}, nil
}

// TxHash returns the hash nodes index a transaction by: upper-case hex of sha256(tx bytes).
func TxHash(txBytes []byte) string {
	return fmt.Sprintf("%X", sha256.Sum256(txBytes))
}

// LatestTime returns the time of the latest block.
func (c *Client) LatestTime(ctx context.Context) (time.Time, error) {
	_, _, t, err := c.Latest(ctx)
	return t, err
}

var _ gateway.Chain = (*Client)(nil)
