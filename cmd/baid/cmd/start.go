package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/cometbft/cometbft/abci/server"
	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/cometbft/cometbft/node"
	"github.com/cometbft/cometbft/p2p"
	pvm "github.com/cometbft/cometbft/privval"
	"github.com/cometbft/cometbft/proxy"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	"github.com/cometbft/cometbft/rpc/client/local"
	cmttypes "github.com/cometbft/cometbft/types"
	gometrics "github.com/hashicorp/go-metrics"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"

	"github.com/cosmos/cosmos-sdk/client"
	sdkserver "github.com/cosmos/cosmos-sdk/server"
	"github.com/cosmos/cosmos-sdk/server/api"
	serverconfig "github.com/cosmos/cosmos-sdk/server/config"
	servercmtlog "github.com/cosmos/cosmos-sdk/server/log"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	"github.com/cosmos/cosmos-sdk/telemetry"
	"github.com/cosmos/cosmos-sdk/version"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"

	"github.com/balanceai/balanceai/app"
	"github.com/balanceai/balanceai/internal/nodedb"
)

// startNode is baid start: the SDK's start (server.StartCmdOptions.StartCommandHandler) with two
// differences. The ABCI client CometBFT calls the app through is CometBFT's local client (one
// lock for every connection), wrapped so that a new transaction's signatures are verified
// before the mempool's CheckTx takes the lock (app.PreVerifyingClientCreator): many at once,
// instead of one at a time inside the lock. And CometBFT's own databases are its default ones
// whose goleveldb write batches grow by doubling (internal/nodedb). Everything else — flags,
// app.toml and config.toml, the gRPC and API servers, telemetry, out-of-process and gRPC-only
// modes — is the SDK's.
func startNode(svrCtx *sdkserver.Context, clientCtx client.Context, appCreator servertypes.AppCreator, withCmt bool, opts sdkserver.StartCmdOptions) error {
	svrCfg, err := serverconfig.GetConfig(svrCtx.Viper)
	if err != nil {
		return err
	}
	if err := svrCfg.ValidateBasic(); err != nil {
		return err
	}
	if isTestnet, ok := svrCtx.Viper.Get(sdkserver.KeyIsTestnet).(bool); ok && isTestnet {
		return errors.New("baid start: the in-place testnet mode is not supported")
	}

	traceWriter, err := openTraceWriter(svrCtx.Viper.GetString("trace-store"))
	if err != nil {
		return err
	}
	defer func() {
		if traceWriter != nil {
			if err := traceWriter.Close(); err != nil {
				svrCtx.Logger.Error("failed to close trace writer", "err", err)
			}
		}
	}()
	db, err := opts.DBOpener(svrCtx.Config.RootDir, sdkserver.GetAppDBBackend(svrCtx.Viper))
	if err != nil {
		return err
	}
	bapp := appCreator(svrCtx.Logger, db, traceWriter, svrCtx.Viper)
	defer func() {
		if err := bapp.Close(); err != nil {
			svrCtx.Logger.Error(err.Error())
		}
	}()

	metrics, err := telemetry.New(svrCfg.Telemetry)
	if err != nil {
		return err
	}
	emitServerInfoMetrics()
	if !withCmt {
		return startStandAlone(svrCtx, svrCfg, clientCtx, bapp, metrics, opts)
	}
	return startInProcess(svrCtx, svrCfg, clientCtx, bapp, metrics, opts)
}

// startInProcess runs CometBFT in this process (the default).
func startInProcess(svrCtx *sdkserver.Context, svrCfg serverconfig.Config, clientCtx client.Context,
	bapp servertypes.Application, metrics *telemetry.Metrics, opts sdkserver.StartCmdOptions,
) error {
	g, ctx := quitContext(svrCtx, true)
	if svrCtx.Viper.GetBool("grpc-only") {
		svrCtx.Logger.Info("starting node in gRPC only mode; CometBFT is disabled")
		svrCfg.GRPC.Enable = true
	} else {
		svrCtx.Logger.Info("starting node with ABCI CometBFT in-process")
		cmtNode, err := startCmtNode(ctx, svrCtx, bapp)
		if err != nil {
			return err
		}
		defer func() {
			if cmtNode.IsRunning() {
				_ = cmtNode.Stop()
			}
		}()
		if svrCfg.API.Enable || svrCfg.GRPC.Enable {
			clientCtx = registerNodeServices(bapp, clientCtx.WithClient(local.New(cmtNode)), svrCfg)
		}
	}
	if err := startServers(ctx, g, svrCtx, svrCfg, clientCtx, bapp, metrics, opts.PostSetup); err != nil {
		return err
	}
	return g.Wait()
}

// startCmtNode starts CometBFT with the pre-verifying local client.
func startCmtNode(ctx context.Context, svrCtx *sdkserver.Context, bapp servertypes.Application) (*node.Node, error) {
	cfg := svrCtx.Config
	nodeKey, err := p2p.LoadOrGenNodeKey(cfg.NodeKeyFile())
	if err != nil {
		return nil, err
	}
	cmtApp := sdkserver.NewCometABCIWrapper(bapp)
	clientCreator := proxy.NewLocalClientCreator(cmtApp)
	if a, ok := bapp.(*app.App); ok {
		clientCreator = app.PreVerifyingClientCreator(a, cmtApp)
		svrCtx.Logger.Info("signature pre-verification", "enabled", a.SigCache() != nil)
	} else {
		svrCtx.Logger.Error("signature pre-verification is off: the application is not a BalanceAI app", "type", fmt.Sprintf("%T", bapp))
	}
	cmtNode, err := node.NewNodeWithContext(ctx, cfg,
		pvm.LoadOrGenFilePV(cfg.PrivValidatorKeyFile(), cfg.PrivValidatorStateFile()),
		nodeKey, clientCreator, genDocProvider(cfg), nodedb.Provider(cmtcfg.DefaultDBProvider),
		node.DefaultMetricsProvider(cfg.Instrumentation),
		servercmtlog.CometLoggerWrapper{Logger: svrCtx.Logger},
	)
	if err != nil {
		return nil, err
	}
	if err := cmtNode.Start(); err != nil {
		return nil, err
	}
	return cmtNode, nil
}

// startStandAlone serves the app over ABCI to a CometBFT in another process (--with-comet=false):
// there is no mempool here, so nothing to pre-verify.
func startStandAlone(svrCtx *sdkserver.Context, svrCfg serverconfig.Config, clientCtx client.Context,
	bapp servertypes.Application, metrics *telemetry.Metrics, opts sdkserver.StartCmdOptions,
) error {
	svr, err := server.NewServer(svrCtx.Viper.GetString("address"), svrCtx.Viper.GetString("transport"),
		sdkserver.NewCometABCIWrapper(bapp))
	if err != nil {
		return fmt.Errorf("error creating listener: %w", err)
	}
	svr.SetLogger(servercmtlog.CometLoggerWrapper{Logger: svrCtx.Logger.With("module", "abci-server")})
	g, ctx := quitContext(svrCtx, false)
	if svrCfg.API.Enable || svrCfg.GRPC.Enable {
		rpcclient, err := rpchttp.New(svrCtx.Config.RPC.ListenAddress, "/websocket")
		if err != nil {
			return err
		}
		clientCtx = registerNodeServices(bapp, clientCtx.WithClient(rpcclient), svrCfg)
	}
	if err := startServers(ctx, g, svrCtx, svrCfg, clientCtx, bapp, metrics, opts.PostSetupStandalone); err != nil {
		return err
	}
	g.Go(func() error {
		if err := svr.Start(); err != nil {
			svrCtx.Logger.Error("failed to start out-of-process ABCI server", "err", err)
			return err
		}
		<-ctx.Done()
		svrCtx.Logger.Info("stopping the ABCI server...")
		return errors.Join(svr.Stop(), bapp.Close())
	})
	return g.Wait()
}

// registerNodeServices registers the app's services that answer through the node's client
// (transactions, CometBFT, node status) and returns that client context.
func registerNodeServices(bapp servertypes.Application, clientCtx client.Context, svrCfg serverconfig.Config) client.Context {
	bapp.RegisterTxService(clientCtx)
	bapp.RegisterTendermintService(clientCtx)
	bapp.RegisterNodeService(clientCtx, svrCfg)
	return clientCtx
}

// startServers starts the gRPC and REST servers that app.toml enables, then runs postSetup (the
// StartCmdOptions hook of the mode: in-process or standalone).
func startServers(ctx context.Context, g *errgroup.Group, svrCtx *sdkserver.Context, svrCfg serverconfig.Config,
	clientCtx client.Context, bapp servertypes.Application, metrics *telemetry.Metrics,
	postSetup func(*sdkserver.Context, client.Context, context.Context, *errgroup.Group) error,
) error {
	grpcSrv, clientCtx, err := sdkserver.StartGrpcServer(ctx, g, svrCfg.GRPC, clientCtx, svrCtx, bapp)
	if err != nil {
		return err
	}
	startAPIServer(ctx, g, svrCfg, clientCtx, svrCtx, bapp, svrCtx.Config.RootDir, grpcSrv, metrics)
	if postSetup != nil {
		return postSetup(svrCtx, clientCtx, ctx, g)
	}
	return nil
}

// startAPIServer starts the REST server when app.toml enables it.
func startAPIServer(ctx context.Context, g *errgroup.Group, svrCfg serverconfig.Config, clientCtx client.Context,
	svrCtx *sdkserver.Context, bapp servertypes.Application, home string, grpcSrv *grpc.Server, metrics *telemetry.Metrics,
) {
	if !svrCfg.API.Enable {
		return
	}
	apiSrv := api.New(clientCtx.WithHomeDir(home), svrCtx.Logger.With("module", "api-server"), grpcSrv)
	bapp.RegisterAPIRoutes(apiSrv, svrCfg.API)
	if svrCfg.Telemetry.Enabled {
		apiSrv.SetTelemetry(metrics)
	}
	g.Go(func() error { return apiSrv.Start(ctx, svrCfg) })
}

// emitServerInfoMetrics sets the server info gauge (Go and SDK versions), as the SDK's start.
func emitServerInfoMetrics() {
	var ls []gometrics.Label
	info := version.NewInfo()
	if info.GoVersion != "" {
		ls = append(ls, telemetry.NewLabel("go", info.GoVersion))
	}
	if info.CosmosSdkVersion != "" {
		ls = append(ls, telemetry.NewLabel("version", info.CosmosSdkVersion))
	}
	if len(ls) > 0 {
		telemetry.SetGaugeWithLabels([]string{"server", "info"}, 1, ls)
	}
}

// quitContext is a context cancelled on SIGINT or SIGTERM, or when one of the group's servers
// fails, with the group of the servers. Unlike the SDK's ListenForQuitSignals, the signal
// listener also returns when a server fails (its address is taken, say): the node then stops and
// baid start exits with that server's error instead of running on without it.
func quitContext(svrCtx *sdkserver.Context, block bool) (*errgroup.Group, context.Context) {
	ctx, cancel := context.WithCancel(context.Background())
	g, ctx := errgroup.WithContext(ctx)
	sigCh := make(chan os.Signal, 1)
	signal.Notify(sigCh, syscall.SIGINT, syscall.SIGTERM)
	listen := func() {
		select {
		case sig := <-sigCh:
			cancel()
			svrCtx.Logger.Info("caught signal", "signal", sig.String())
		case <-ctx.Done():
		}
	}
	if block {
		g.Go(func() error {
			listen()
			return nil
		})
	} else {
		go listen()
	}
	return g, ctx
}

// genDocProvider reads the genesis file.
func genDocProvider(cfg *cmtcfg.Config) func() (*cmttypes.GenesisDoc, error) {
	return func() (*cmttypes.GenesisDoc, error) {
		appGenesis, err := genutiltypes.AppGenesisFromFile(cfg.GenesisFile())
		if err != nil {
			return nil, err
		}
		return appGenesis.ToGenesisDoc()
	}
}

// openTraceWriter opens the --trace-store file, nil without one.
func openTraceWriter(file string) (io.WriteCloser, error) {
	if file == "" {
		return nil, nil
	}
	return os.OpenFile(file, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o666)
}
