package app_test

import (
	"context"
	"encoding/hex"
	"errors"
	"net"
	"strconv"
	"testing"
	"time"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	"github.com/cosmos/cosmos-sdk/codec"
	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	grpctypes "github.com/cosmos/cosmos-sdk/types/grpc"
	sdkquery "github.com/cosmos/cosmos-sdk/types/query"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/balanceai/balanceai/app"
	"github.com/balanceai/balanceai/testutil"
	curationkeeper "github.com/balanceai/balanceai/x/curation/keeper"
	curationtypes "github.com/balanceai/balanceai/x/curation/types"
)

// capturedServer records the services registered on it, as a gRPC server would serve them.
type capturedServer map[string]capturedService

type capturedService struct {
	desc *grpc.ServiceDesc
	impl any
}

func (c capturedServer) RegisterService(sd *grpc.ServiceDesc, impl any) {
	c[sd.ServiceName] = capturedService{desc: sd, impl: impl}
}

// balanceAt calls the bank Balance query as the gRPC server would, at a height (0: latest).
func (c capturedServer) balanceAt(t *testing.T, height int64, addr sdk.AccAddress) (math.Int, error) {
	t.Helper()
	header := ""
	if height > 0 {
		header = strconv.FormatInt(height, 10)
	}
	return c.balanceWithHeader(t, header, addr)
}

// balanceWithHeader calls the bank Balance query with an x-cosmos-block-height header as given
// (none when empty).
func (c capturedServer) balanceWithHeader(t *testing.T, header string, addr sdk.AccAddress) (math.Int, error) {
	t.Helper()
	svc, ok := c["cosmos.bank.v1beta1.Query"]
	require.True(t, ok)
	for _, m := range svc.desc.Methods {
		if m.MethodName != "Balance" {
			continue
		}
		md := metadata.MD{}
		if header != "" {
			md = metadata.Pairs(grpctypes.GRPCBlockHeightHeader, header)
		}
		ctx := metadata.NewIncomingContext(context.Background(), md)
		req := banktypes.QueryBalanceRequest{Address: addr.String(), Denom: app.BondDenom}
		resp, err := m.Handler(svc.impl, ctx, decodeOnlyOnce(t, func(v any) { *v.(*banktypes.QueryBalanceRequest) = req }), nil)
		if err != nil {
			return math.Int{}, err
		}
		return resp.(*banktypes.QueryBalanceResponse).Balance.Amount, nil
	}
	t.Fatal("no Balance method")
	return math.Int{}, nil
}

// decodeOnlyOnce is a request decoder that, as gRPC's, frees the request when it returns: a
// second call fails the test.
func decodeOnlyOnce(t *testing.T, fill func(any)) func(any) error {
	called := false
	return func(v any) error {
		if called {
			t.Errorf("the request was decoded twice (gRPC has freed its buffer by then)")
			return errors.New("decoded twice")
		}
		called = true
		fill(v)
		return nil
	}
}

// A query at the height after the last committed one (CometBFT already reports that block while
// the app executes it) waits for it to be committed and answers its state; a height beyond it,
// or one not committed in time, is an invalid argument (REST 400), not the SDK's Unknown (500),
// and so is a height header that is not a height.
func TestQueryAtHeightBeingCommitted(t *testing.T) {
	cfg := testutil.DefaultConfig()
	cfg.Accounts = []string{"alice", "bob"}
	c := testutil.NewChain(t, cfg)
	srv := capturedServer{}
	c.App.RegisterGRPCServer(srv)
	alice, bob := c.Accounts["alice"], c.Accounts["bob"]

	last := c.App.LastBlockHeight()
	before, err := srv.balanceAt(t, last, bob.Address)
	require.NoError(t, err)
	latest, err := srv.balanceAt(t, 0, bob.Address)
	require.NoError(t, err)
	require.Equal(t, before, latest)

	// A height header that is not a height: the client's mistake too.
	for _, h := range []string{"-1", "abc", "99999999999999999999"} {
		_, err = srv.balanceWithHeader(t, h, bob.Address)
		require.Equal(t, codes.InvalidArgument, status.Code(err), "%q: %v", h, err)
	}

	// Two heights ahead: refused at once.
	_, err = srv.balanceAt(t, last+2, bob.Address)
	require.Equal(t, codes.InvalidArgument, status.Code(err), "%v", err)
	require.Contains(t, err.Error(), "height in the future")
	require.Zero(t, c.App.HeightWaiters())

	// The next height: the query waits for the block, then answers the state after it.
	type answer struct {
		amount math.Int
		err    error
	}
	answers := make(chan answer, 1)
	go func() {
		amount, err := srv.balanceAt(t, last+1, bob.Address)
		answers <- answer{amount, err}
	}()
	require.Eventually(t, func() bool { return c.App.HeightWaiters() == 1 }, 10*time.Second, time.Millisecond)
	send := banktypes.NewMsgSend(alice.Address, bob.Address, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 1234)))
	res := c.NextBlock(c.AllSigners(), c.SignTx(alice, nil, send))
	require.Zero(t, res.TxResults[0].Code, res.TxResults[0].Log)
	require.Equal(t, last+1, c.App.LastBlockHeight())
	var got answer
	select {
	case got = <-answers:
	case <-time.After(app.CommitWait / 2):
		t.Fatal("the waiting query was not woken by the commit")
	}
	require.NoError(t, got.err)
	require.Equal(t, before.AddRaw(1234), got.amount, "the state at the new height")
	require.Zero(t, c.App.HeightWaiters())

	// At most MaxHeightWaiters queries wait at once: one more is refused without waiting, and
	// the block wakes those waiting.
	last = c.App.LastBlockHeight()
	waiting := make(chan error, app.MaxHeightWaiters)
	for i := 0; i < app.MaxHeightWaiters; i++ {
		go func() {
			_, err := srv.balanceAt(t, last+1, bob.Address)
			waiting <- err
		}()
	}
	require.Eventually(t, func() bool { return c.App.HeightWaiters() == app.MaxHeightWaiters }, 10*time.Second, time.Millisecond)
	_, err = srv.balanceAt(t, last+1, bob.Address)
	require.Equal(t, codes.InvalidArgument, status.Code(err), "%v", err)
	// Refused without waiting: had it waited out its wait, the queries before it, which
	// started waiting earlier, would have given up too.
	require.Equal(t, int64(app.MaxHeightWaiters), c.App.HeightWaiters())
	c.NextBlock(c.AllSigners())
	for i := 0; i < app.MaxHeightWaiters; i++ {
		require.NoError(t, <-waiting)
	}
	require.Zero(t, c.App.HeightWaiters())

	// The next height again, with no block coming: refused once the wait is over.
	_, err = srv.balanceAt(t, last+2, bob.Address)
	require.Equal(t, codes.InvalidArgument, status.Code(err), "%v", err)
	require.Contains(t, err.Error(), "height in the future")
	require.Zero(t, c.App.HeightWaiters())
}

// The SDK's errors for a query the client got wrong reach it with the code that says so; others
// are untouched.
func TestQueryClientErrors(t *testing.T) {
	for _, c := range []struct {
		err  error
		code codes.Code
	}{
		{errorsmod.Wrap(sdkerrors.ErrInvalidHeight, "cannot query with height in the future"), codes.InvalidArgument},
		{errorsmod.Wrap(sdkerrors.ErrInvalidRequest, "invalid height header"), codes.InvalidArgument},
		{errorsmod.Wrapf(sdkerrors.ErrNotFound, "failed to load state at height %d", 3), codes.NotFound},
		{sdkerrors.ErrKeyNotFound, codes.NotFound},
		{notAddress("abc"), codes.InvalidArgument},
		{notAddress("bai1dlp8cq7p9gpk2x4repq750r5v3ekkuajksjtlb"), codes.InvalidArgument}, // checksum
		{notAddress("BAI1dlp8cq7p9gpk2x4repq750r5v3ekkuajksjtla"), codes.InvalidArgument}, // mixed case
		{notValidator(t, "bai1dlp8cq7p9gpk2x4repq750r5v3ekkuajksjtla"), codes.InvalidArgument},
		{notHex("abc"), codes.InvalidArgument},
		{notHex("zz"), codes.InvalidArgument},
		{errorsmod.Wrap(sdkerrors.ErrLogic, "something else"), codes.Unknown},
		{status.Error(codes.FailedPrecondition, "as the handler said"), codes.FailedPrecondition},
		{sdkerrors.ErrOutOfGas, codes.Unknown},
		{errors.New("plain"), codes.Unknown},
	} {
		got := app.ClientError(c.err)
		require.Equal(t, c.code, status.Code(got), "%v", c.err)
		require.Contains(t, got.Error(), c.err.Error())
	}
	require.NoError(t, app.ClientError(nil))
}

func notAddress(s string) error {
	_, err := sdk.AccAddressFromBech32(s)
	return err
}

func notValidator(t *testing.T, s string) error {
	_, err := addresscodec.NewBech32Codec(app.Bech32PrefixValAddr).StringToBytes(s)
	require.Error(t, err)
	return err
}

func notHex(s string) error {
	_, err := hex.DecodeString(s)
	return err
}

// A query at a past height sees that block's time, on the ABCI path (baid q --height) and on
// the gRPC/REST path, with the lazy store branches as with the SDK's: the curation epoch's
// phase, which the query works out from the block time, is the phase at that height.
func TestQueryAtPastHeightHasItsBlockTime(t *testing.T) {
	for _, eager := range []bool{false, true} {
		cfg := testutil.DefaultConfig()
		cfg.BlockTime = 5 * time.Hour
		cfg.AppOptions = map[string]any{app.FlagEagerStoreBranches: eager}
		c := testutil.NewChain(t, cfg)
		times := map[int64]time.Time{c.Height: c.Time}
		for i := 0; i < 8; i++ {
			c.NextBlock(c.AllSigners())
			times[c.Height] = c.Time
		}
		grpcSrv := capturedServer{}
		c.App.RegisterGRPCServer(grpcSrv)
		svc := grpcSrv["balanceai.curation.v1.Query"]
		var method grpc.MethodDesc
		for _, m := range svc.desc.Methods {
			if m.MethodName == "Epoch" {
				method = m
			}
		}
		require.NotNil(t, method.Handler)

		phases := map[curationtypes.EpochPhase]bool{}
		for h := int64(2); h <= c.Height; h++ {
			viaABCI, e, _ := abciEpoch(t, c.App, h)
			want := curationkeeper.PhaseAt(e, times[h])
			require.Equal(t, want, viaABCI.Phase, "eager=%v: ABCI query at height %d", eager, h)
			phases[want] = true

			ctx := metadata.NewIncomingContext(context.Background(), metadata.Pairs(grpctypes.GRPCBlockHeightHeader, strconv.FormatInt(h, 10)))
			out, err := method.Handler(svc.impl, ctx, func(v any) error { return nil }, nil)
			require.NoError(t, err)
			require.Equal(t, want, out.(*curationtypes.QueryEpochResponse).Phase, "eager=%v: gRPC query at height %d", eager, h)
		}
		require.Len(t, phases, 2, "the heights span both phases")

		// A restarted node, before it commits a block: a query at the latest height, named or
		// not, has that block's time, not the empty header of the new check state (year 1).
		c.Restart(nil)
		latest := c.Height
		for _, h := range []int64{0, latest} {
			viaABCI, e, answeredAt := abciEpoch(t, c.App, h)
			require.NotEqual(t, curationtypes.EpochPhaseUnspecified, viaABCI.Phase, "eager=%v: height %d after a restart: no time, no phase", eager, h)
			require.Equal(t, curationkeeper.PhaseAt(e, times[latest]), viaABCI.Phase, "eager=%v: ABCI query at height %d after a restart", eager, h)
			require.Equal(t, latest, answeredAt)
		}
	}
}

// abciEpoch asks the curation epoch over ABCI at height h (0: the latest), and returns the
// answer, its epoch's times and the height it was answered at.
func abciEpoch(t *testing.T, a *app.App, h int64) (curationtypes.QueryEpochResponse, curationtypes.Epoch, int64) {
	t.Helper()
	res, err := a.Query(context.Background(), &abci.RequestQuery{Path: "/balanceai.curation.v1.Query/Epoch",
		Data: marshal(t, &curationtypes.QueryEpochRequest{}), Height: h})
	require.NoError(t, err)
	require.Zero(t, res.Code, res.Log)
	var out curationtypes.QueryEpochResponse
	require.NoError(t, out.Unmarshal(res.Value))
	return out, curationtypes.Epoch{Number: out.Number, Start: out.Start, RevealStart: out.RevealStart, End: out.End}, res.Height
}

// TestQueryAtNextHeightOverARealGRPCServer: through a real gRPC server, which frees a request's
// buffer (one over 1 KiB comes from its pool) once the request is decoded, a query at the height
// being committed waits and is answered from the request decoded the first time. Decoding it
// again read the freed buffer and the panic, outside every recovery, stopped the node.
// grpcClient serves the app's gRPC services on an in-memory listener, as the node's gRPC server
// (and the REST gateway in front of it) does, and returns a client of it.
func grpcClient(t *testing.T, c *testutil.Chain) *grpc.ClientConn {
	t.Helper()
	grpcCodec := codec.NewProtoCodec(c.App.InterfaceRegistry()).GRPCCodec()
	srv := grpc.NewServer(grpc.ForceServerCodec(grpcCodec))
	c.App.RegisterGRPCServer(srv)
	ln := bufconn.Listen(1 << 20)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return ln.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(grpcCodec)))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

func TestQueryAtNextHeightOverARealGRPCServer(t *testing.T) {
	cfg := testutil.DefaultConfig()
	cfg.Accounts = []string{"alice", "bob"}
	c := testutil.NewChain(t, cfg)
	bank := banktypes.NewQueryClient(grpcClient(t, c))
	alice, bob := c.Accounts["alice"], c.Accounts["bob"]

	query := func(height int64, req *banktypes.QueryAllBalancesRequest) (*banktypes.QueryAllBalancesResponse, error) {
		ctx := metadata.AppendToOutgoingContext(context.Background(), grpctypes.GRPCBlockHeightHeader, strconv.FormatInt(height, 10))
		return bank.AllBalances(ctx, req)
	}
	// A request over 1 KiB: a page key of 2 KiB.
	big := &banktypes.QueryAllBalancesRequest{Address: bob.Address.String(), Pagination: &sdkquery.PageRequest{Key: make([]byte, 2048)}}
	small := &banktypes.QueryAllBalancesRequest{Address: bob.Address.String()}
	last := c.App.LastBlockHeight()
	before, err := query(last, small)
	require.NoError(t, err)

	type answer struct {
		res *banktypes.QueryAllBalancesResponse
		err error
	}
	answers := make(chan answer, 2)
	for _, req := range []*banktypes.QueryAllBalancesRequest{big, small} {
		go func() {
			res, err := query(last+1, req)
			answers <- answer{res, err}
		}()
	}
	require.Eventually(t, func() bool { return c.App.HeightWaiters() == 2 }, 10*time.Second, time.Millisecond)
	send := banktypes.NewMsgSend(alice.Address, bob.Address, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 99)))
	res := c.NextBlock(c.AllSigners(), c.SignTx(alice, nil, send))
	require.Zero(t, res.TxResults[0].Code, res.TxResults[0].Log)
	for range 2 {
		a := <-answers
		require.NoError(t, a.err)
		require.Equal(t, before.Balances.AmountOf(app.BondDenom).AddRaw(99), a.res.Balances.AmountOf(app.BondDenom))
	}
}
