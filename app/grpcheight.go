package app

import (
	"context"
	"encoding/hex"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/btcutil/bech32"
	gogogrpc "github.com/cosmos/gogoproto/grpc"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	grpctypes "github.com/cosmos/cosmos-sdk/types/grpc"
)

// Queries at the height being committed.
//
// CometBFT stores a block, and reports it as the latest (RPC /status, the REST blocks/latest),
// before the application has executed and committed it. A client that reads the latest height
// and then queries the state at it (x-cosmos-block-height) can ask for a height the application
// does not have yet; the SDK refuses it with ErrInvalidHeight, which gRPC reports as Unknown and
// the REST gateway as a 500. The node's gRPC queries (and the REST gateway over them) therefore
// wait, for at most commitWait, for the one height after the last committed one to be committed,
// and answer a height still in the future as an invalid argument (HTTP 400); the SDK's other
// errors for a query the client got wrong get their own codes too (see clientError).

// commitWait bounds how long a query at the next height waits for it to be committed: about
// what executing and committing a full block may take on a loaded node.
const commitWait = 3 * time.Second

// maxHeightWaiters bounds the queries waiting for the next height at once.
const maxHeightWaiters = 256

// RegisterGRPCServer registers the app's gRPC query services on server; see
// RegisterGRPCServerWithSkipCheckHeader.
func (app *App) RegisterGRPCServer(server gogogrpc.Server) {
	app.RegisterGRPCServerWithSkipCheckHeader(server, true)
}

// RegisterGRPCServerWithSkipCheckHeader registers the app's gRPC query services on server
// (baid start's gRPC server, which the REST gateway calls too). Unlike BaseApp's, a query at the
// height being committed waits for it (see above). A query at the latest height never requires
// the latest block header to be in the check or finalize state, whatever app.toml's
// [grpc] skip-check-header says: during Commit it may be in neither, and the SDK then refused
// the query, although the state it answers from is committed (the SDK recommends skipping the
// check; baid's app.toml does not carry the setting).
func (app *App) RegisterGRPCServerWithSkipCheckHeader(server gogogrpc.Server, _ bool) {
	app.BaseApp.RegisterGRPCServerWithSkipCheckHeader(committedHeightServer{Server: server, app: app, wait: commitWait}, true)
}

// committedHeightServer registers each query method wrapped: a query refused for its height
// waits for it (waitForHeight) and is tried once more, and the error it ends with reaches the
// client through clientError.
type committedHeightServer struct {
	gogogrpc.Server
	app  *App
	wait time.Duration
}

func (s committedHeightServer) RegisterService(sd *grpc.ServiceDesc, impl any) {
	s.Server.RegisterService(wrapMethods(sd, func(handler grpc.MethodHandler) grpc.MethodHandler {
		return func(srv any, ctx context.Context, dec func(any) error, ic grpc.UnaryServerInterceptor) (any, error) {
			committed := s.app.committedHeight.Load()
			once := &decodeOnce{dec: dec}
			resp, err := handler(srv, ctx, once.decode, ic)
			if err != nil && errors.Is(err, sdkerrors.ErrInvalidHeight) {
				// Only a height that was not committed yet is worth waiting for: a refusal at a
				// committed height is about the request itself (a height field in it).
				if h := requestedHeight(ctx); h > committed && s.app.waitForHeight(ctx, h, s.wait) {
					resp, err = handler(srv, ctx, once.decode, ic)
				}
			}
			return resp, clientError(err)
		}
	}), impl)
}

// decodeOnce decodes a request once and hands the same request to a handler run again. gRPC's
// decoder frees the request's buffer when it returns, so it must never be called twice: a
// second call would read a freed (or another request's) buffer.
type decodeOnce struct {
	dec     func(any) error
	decoded any
	err     error
	done    bool
}

func (d *decodeOnce) decode(v any) error {
	if !d.done {
		d.done = true
		d.err = d.dec(v)
		d.decoded = v
		return d.err
	}
	if d.err != nil {
		return d.err
	}
	dst, src := reflect.ValueOf(v), reflect.ValueOf(d.decoded)
	if dst.Type() != src.Type() || dst.Kind() != reflect.Pointer || dst.IsNil() {
		return status.Errorf(codes.Internal, "request decoded as %T, asked again as %T", d.decoded, v)
	}
	dst.Elem().Set(src.Elem())
	return nil
}

// wrapMethods returns a copy of a service description whose unary methods' handlers are
// wrap(the original handler).
func wrapMethods(sd *grpc.ServiceDesc, wrap func(grpc.MethodHandler) grpc.MethodHandler) *grpc.ServiceDesc {
	desc := *sd
	desc.Methods = make([]grpc.MethodDesc, len(sd.Methods))
	for i, m := range sd.Methods {
		m.Handler = wrap(m.Handler)
		desc.Methods[i] = m
	}
	return &desc
}

// notAnAddressOrHash reports whether err says that a request's address or hash does not
// decode: a bech32 string that is not one, an address of another kind (an account's where a
// validator's is asked for: the SDK's address codec reports it as a logic error), or hex that
// is not hex. The SDK's modules return these unregistered, as Unknown.
func notAnAddressOrHash(err error) bool {
	if errors.Is(err, sdkerrors.ErrLogic) && strings.Contains(err.Error(), "hrp does not match bech32 prefix") {
		return true
	}
	if errors.Is(err, hex.ErrLength) {
		return true
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		switch e.(type) {
		case bech32.ErrMixedCase, bech32.ErrInvalidBitGroups, bech32.ErrInvalidIncompleteGroup, bech32.ErrInvalidLength,
			bech32.ErrInvalidCharacter, bech32.ErrInvalidSeparatorIndex, bech32.ErrNonCharsetChar, bech32.ErrInvalidChecksum,
			bech32.ErrInvalidDataByte, hex.InvalidByteError:
			return true
		}
	}
	return false
}

// clientError reports the SDK's errors for a query the client got wrong, which would otherwise
// reach it as Unknown (REST 500), with the gRPC code that says so: InvalidArgument (REST 400)
// for a height header that is not a number, negative or in the future, an address or hash that
// does not decode, and any other invalid request; NotFound (REST 404) for what is not there (a
// height the node has pruned, a record). Any other error is returned as it is.
func clientError(err error) error {
	if err == nil || status.Code(err) != codes.Unknown {
		return err
	}
	switch {
	case errors.Is(err, sdkerrors.ErrInvalidHeight), errors.Is(err, sdkerrors.ErrInvalidRequest), notAnAddressOrHash(err):
		return status.Error(codes.InvalidArgument, err.Error())
	case errors.Is(err, sdkerrors.ErrNotFound), errors.Is(err, sdkerrors.ErrKeyNotFound):
		return status.Error(codes.NotFound, err.Error())
	}
	return err
}

// requestedHeight is the query's x-cosmos-block-height, or 0.
func requestedHeight(ctx context.Context) int64 {
	md, ok := metadata.FromIncomingContext(ctx)
	if !ok {
		return 0
	}
	v := md.Get(grpctypes.GRPCBlockHeightHeader)
	if len(v) != 1 {
		return 0
	}
	h, err := strconv.ParseInt(v[0], 10, 64)
	if err != nil {
		return 0
	}
	return h
}

// waitForHeight waits until height h is committed, for at most wait, when h is the height after
// the last committed one (the block being executed, or the next); it reports whether h is
// committed. A later height, or a cancelled query, does not wait.
func (app *App) waitForHeight(ctx context.Context, h int64, wait time.Duration) bool {
	if h > app.committedHeight.Load()+1 {
		return false
	}
	// Each waiting query holds a goroutine and a timer: beyond maxHeightWaiters a query does
	// not wait (it is refused as the SDK refuses any query at an uncommitted height).
	if app.heightWaiters.Add(1) > maxHeightWaiters {
		app.heightWaiters.Add(-1)
		return app.committedHeight.Load() >= h
	}
	defer app.heightWaiters.Add(-1)
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	for {
		// Take the signal before reading the height: a commit in between closes it.
		next := app.commits.next()
		if app.committedHeight.Load() >= h {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-deadline.C:
			return app.committedHeight.Load() >= h
		case <-next:
		}
	}
}

// Commit commits the block as BaseApp does, then wakes the queries waiting for its height.
func (app *App) Commit() (*abci.ResponseCommit, error) {
	app.root.SetCommitHeader(app.blockHeader)
	res, err := app.BaseApp.Commit()
	app.committedHeight.Store(app.LastBlockHeight())
	app.commits.signal()
	return res, err
}

// commitSignal is a channel closed at the next commit.
type commitSignal struct {
	mu sync.Mutex
	ch chan struct{}
}

// next returns the channel the next commit closes.
func (c *commitSignal) next() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ch == nil {
		c.ch = make(chan struct{})
	}
	return c.ch
}

// signal closes the channel of this commit; the next call of next makes a new one.
func (c *commitSignal) signal() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ch != nil {
		close(c.ch)
		c.ch = nil
	}
}
