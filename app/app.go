// Package app wires the BalanceAI chain: the standard Cosmos SDK modules and the BalanceAI
// modules, their keepers, ordering, ante handler, genesis and upgrades.
package app

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/gogoproto/proto"
	"github.com/spf13/cast"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"
	reflectionv1 "cosmossdk.io/api/cosmos/reflection/v1"
	"cosmossdk.io/client/v2/autocli"
	"cosmossdk.io/core/appmodule"
	"cosmossdk.io/log"
	"cosmossdk.io/store/rootmulti"
	upgradetypes "cosmossdk.io/x/upgrade/types"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/grpc/cmtservice"
	nodeservice "github.com/cosmos/cosmos-sdk/client/grpc/node"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/address"
	"github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/runtime"
	runtimeservices "github.com/cosmos/cosmos-sdk/runtime/services"
	"github.com/cosmos/cosmos-sdk/server"
	"github.com/cosmos/cosmos-sdk/server/api"
	"github.com/cosmos/cosmos-sdk/server/config"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
	"github.com/cosmos/cosmos-sdk/version"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	consensusparamtypes "github.com/cosmos/cosmos-sdk/x/consensus/types"

	"github.com/balanceai/balanceai/app/keepers"
	"github.com/balanceai/balanceai/app/upgrades"
	"github.com/balanceai/balanceai/dashboard"
)

// DefaultNodeHome is the default home folder of baid: ~/.baid.
var DefaultNodeHome string

func init() {
	userHome, err := os.UserHomeDir()
	if err != nil {
		userHome = "."
	}
	DefaultNodeHome = filepath.Join(userHome, ".baid")
}

var _ servertypes.Application = (*App)(nil)

// App is the BalanceAI application.
type App struct {
	*baseapp.BaseApp
	keepers.AppKeepers

	legacyAmino       *codec.LegacyAmino
	appCodec          codec.Codec
	txConfig          client.TxConfig
	interfaceRegistry types.InterfaceRegistry

	ModuleManager      *module.Manager
	BasicModuleManager module.BasicManager
	configurator       module.Configurator

	// sm is the simulation manager: randomized genesis, store decoders and simulated Msgs of
	// every module that supports simulation (app/sim_test.go).
	sm *module.SimulationManager

	// invariantsQuery serves balanceai.invariants.v1.Query.
	invariantsQuery *invariantsQueryServer
	// sigCache is the node's verified-signature cache (nil when app.toml turns it off).
	sigCache *SigCache
	// accountDecodings serves the ante handler's account reads (see AccountDecodings).
	accountDecodings *AccountDecodings
	// consensusParams is BaseApp's consensus parameter store (see consensusParamStore).
	consensusParams *consensusParamStore
	// heightWaiters counts gRPC queries waiting for the height being committed (grpcheight.go).
	heightWaiters atomic.Int64
	// commits wakes those queries at each commit, and committedHeight is the height of the last
	// commit (read by them while the next one is being made).
	commits         commitSignal
	committedHeight atomic.Int64
	// stateReads bounds PreVerify's reads of the committed state per height (committedState).
	stateReads stateReadBudget
	// latestCommitTime is the height and time of the latest block a query read the time of
	// (lazystore.go: atBlockTime).
	latestCommitTime atomic.Pointer[heightTime]

	// root is the root multistore (BaseApp holds it as lazyRoot); blockHeader is the header
	// of the block being finalized, which Commit records in the root's commit info.
	root        *rootmulti.Store
	blockHeader cmtproto.Header
	// signerHints are PreVerify's account numbers and keys by signer.
	signerHints signerHints
	// txDecodings hands decodings already made to CheckTx and the block (see txDecodings).
	txDecodings *txDecodings

	// dashboard is the [dashboard] section of app.toml (the web app served at /dashboard/).
	dashboard dashboard.Options
}

// New returns a BalanceAI app ready to serve ABCI.
func New(
	logger log.Logger,
	db dbm.DB,
	traceStore io.Writer,
	loadLatest bool,
	appOpts servertypes.AppOptions,
	baseAppOptions ...func(*baseapp.BaseApp),
) *App {
	codecs := newAddressCodecs()
	enc := newEncodingConfig(codecs)

	// Decodings handed to CheckTx and the block (see txDecodings).
	decodings := &txDecodings{}
	bApp := baseapp.NewBaseApp(AppName, logger, db, decodings.decoder(enc.TxConfig.TxDecoder()), baseAppOptions...)
	bApp.SetCommitMultiStoreTracer(traceStore)
	root := bApp.CommitMultiStore().(*rootmulti.Store)
	if !cast.ToBool(appOpts.Get(FlagEagerStoreBranches)) {
		bApp.SetCMS(lazyRoot{Store: root})
	}
	bApp.SetVersion(version.Version)
	bApp.SetInterfaceRegistry(enc.InterfaceRegistry)
	bApp.SetTxEncoder(enc.TxConfig.TxEncoder())

	app := &App{
		BaseApp:           bApp,
		root:              root,
		legacyAmino:       enc.Amino,
		appCodec:          enc.Codec,
		txConfig:          enc.TxConfig,
		interfaceRegistry: enc.InterfaceRegistry,
		txDecodings:       decodings,
	}

	homePath := cast.ToString(appOpts.Get("home"))
	if homePath == "" {
		homePath = DefaultNodeHome
	}
	skipUpgradeHeights := map[int64]bool{}
	for _, h := range cast.ToIntSlice(appOpts.Get(server.FlagUnsafeSkipUpgrades)) {
		skipUpgradeHeights[int64(h)] = true
	}

	app.AppKeepers = keepers.NewAppKeepers(bApp, keepers.Config{
		Codec:              app.appCodec,
		LegacyAmino:        app.legacyAmino,
		MaccPerms:          maccPerms,
		BlockedAddrs:       BlockedAddresses(),
		SkipUpgradeHeights: skipUpgradeHeights,
		HomePath:           homePath,
		Logger:             logger,
		AddressCodec:       codecs.acc,
		ValidatorCodec:     codecs.val,
		ConsensusCodec:     codecs.cons,
	})
	// BaseApp reads the consensus parameters for every transaction (see consensusParamStore).
	app.consensusParams = newConsensusParamStore(app.ConsensusParamsKeeper.ParamsStore,
		runtime.NewKVStoreService(app.GetKey(consensusparamtypes.StoreKey)), app.appCodec)
	bApp.SetParamStore(app.consensusParams)

	app.ModuleManager = module.NewManager(appModules(app, app.txConfig)...)
	app.BasicModuleManager = module.NewBasicManagerFromManager(app.ModuleManager, basicOverrides(app.ModuleManager))
	app.BasicModuleManager.RegisterLegacyAminoCodec(app.legacyAmino)
	app.BasicModuleManager.RegisterInterfaces(app.interfaceRegistry)

	app.ModuleManager.SetOrderPreBlockers(orderPreBlockers()...)
	app.ModuleManager.SetOrderBeginBlockers(orderBeginBlockers()...)
	app.ModuleManager.SetOrderEndBlockers(orderEndBlockers()...)
	app.ModuleManager.SetOrderInitGenesis(orderInitGenesis()...)
	app.ModuleManager.SetOrderExportGenesis(orderInitGenesis()...)

	app.configurator = module.NewConfigurator(app.appCodec, app.MsgServiceRouter(), historicalTimeServer{Server: app.GRPCQueryRouter(), app: app})
	if err := app.ModuleManager.RegisterServices(app.configurator); err != nil {
		panic(err)
	}

	// Every module with simulation support takes part, in module name order, so a simulation
	// is reproducible from its seed (x/auth was built with its random genesis accounts above).
	app.sm = module.NewSimulationManagerFromAppModules(app.ModuleManager.Modules, app.simulationOverrides())
	app.sm.RegisterStoreDecoders()

	autocliv1.RegisterQueryServer(app.GRPCQueryRouter(), runtimeservices.NewAutoCLIQueryService(app.ModuleManager.Modules))
	invCfg, err := InvariantsConfigFromAppOptions(appOpts)
	if err != nil {
		panic(err)
	}
	app.registerInvariantsQuery(invCfg.QueryGasLimit)
	reflectionSvc, err := runtimeservices.NewReflectionService()
	if err != nil {
		panic(err)
	}
	reflectionv1.RegisterReflectionServiceServer(app.GRPCQueryRouter(), reflectionSvc)

	app.MountKVStores(app.KVStoreKeys())
	app.MountTransientStores(app.TransientStoreKeys())

	app.SetInitChainer(app.InitChainer)
	app.SetPreBlocker(app.PreBlocker)
	app.SetBeginBlocker(app.BeginBlocker)
	app.SetEndBlocker(app.EndBlocker)

	sigCache, err := NewSigCacheFromAppOptions(appOpts)
	if err != nil {
		panic(err)
	}
	app.sigCache = sigCache
	app.stateReads.limit = maxStateReadsPerHeight
	app.accountDecodings = NewAccountDecodings(accountDecodingsPerGeneration)
	if app.dashboard, err = dashboard.OptionsFromAppOptions(appOpts); err != nil {
		panic(err)
	}
	anteHandler, err := NewAnteHandler(HandlerOptions{
		AccountKeeper:    app.AccountKeeper,
		BankKeeper:       app.BankKeeper,
		FeegrantKeeper:   app.FeeGrantKeeper,
		SignModeHandler:  app.txConfig.SignModeHandler(),
		FeeDenom:         BondDenom,
		SigCache:         sigCache,
		AccountStore:     runtime.NewKVStoreService(app.GetKey(authtypes.StoreKey)),
		AccountDecodings: app.accountDecodings,
		StartBlock:       app.startBlockTime,
	})
	if err != nil {
		panic(fmt.Errorf("failed to create ante handler: %w", err))
	}
	app.SetAnteHandler(anteHandler)

	// Every BalanceAI Msg must carry its signer and amino annotations: refuse to start
	// otherwise, so a wallet can always sign what the chain accepts.
	if err := validateOwnProtoAnnotations(); err != nil {
		panic(fmt.Errorf("proto annotations: %w", err))
	}

	app.setUpgradeHandlers()

	if loadLatest {
		if err := app.LoadLatestVersion(); err != nil {
			panic(fmt.Errorf("failed to load latest version: %w", err))
		}
	}
	return app
}

// LoadLatestVersion loads the latest committed state as BaseApp does and records its height
// for the queries, PreVerify and the checks made before the first commit (startBlockTime).
func (app *App) LoadLatestVersion() error {
	err := app.BaseApp.LoadLatestVersion()
	app.committedHeight.Store(app.LastBlockHeight())
	return err
}

// ApplySnapshotChunk restores a state-sync snapshot's chunk as BaseApp does. Once the last
// chunk is in, the restored height is recorded as committed, as LoadLatestVersion records a
// loaded one (after a state sync, too, BaseApp's check state keeps its empty header until the
// node commits its first block).
func (app *App) ApplySnapshotChunk(req *abci.RequestApplySnapshotChunk) (*abci.ResponseApplySnapshotChunk, error) {
	res, err := app.BaseApp.ApplySnapshotChunk(req)
	if err == nil && res.GetResult() == abci.ResponseApplySnapshotChunk_ACCEPT {
		if h := app.LastBlockHeight(); h > app.committedHeight.Load() {
			app.committedHeight.Store(h)
		}
	}
	return res, err
}

// startBlockTime returns the height of the last committed state and its block time (from the
// commit info; zero for a state restored from a snapshot, which has none), for the checks made
// while BaseApp's check state still has its empty header (StartBlockDecorator): until the first
// commit after the state was loaded or restored, that is the state the node started from. ok is
// false on a new chain.
func (app *App) startBlockTime() (height int64, t time.Time, ok bool) {
	h := app.committedHeight.Load()
	if h <= 0 {
		return 0, time.Time{}, false
	}
	t, _ = app.commitTime(h, h)
	return h, t, true
}

// SimulationManager returns the app's simulation manager (randomized genesis, store
// decoders and simulated Msgs), used by the simulation tests.
func (app *App) SimulationManager() *module.SimulationManager { return app.sm }

// GetBaseApp returns the app's BaseApp.
func (app *App) GetBaseApp() *baseapp.BaseApp { return app.BaseApp }

// AccountDecodings returns the decoded accounts the ante handler's reads reuse.
func (app *App) AccountDecodings() *AccountDecodings { return app.accountDecodings }

// SigCache returns the node's verified-signature cache, nil when it is off.
func (app *App) SigCache() *SigCache { return app.sigCache }

// Name returns the app name.
func (app *App) Name() string { return app.BaseApp.Name() }

// PreBlocker runs the modules' pre-blockers (upgrades).
func (app *App) PreBlocker(ctx sdk.Context, _ *abci.RequestFinalizeBlock) (*sdk.ResponsePreBlock, error) {
	app.blockHeader = ctx.BlockHeader()
	return app.ModuleManager.PreBlock(ctx)
}

// BeginBlocker runs the modules' begin-blockers.
func (app *App) BeginBlocker(ctx sdk.Context) (sdk.BeginBlock, error) {
	return app.ModuleManager.BeginBlock(ctx)
}

// EndBlocker runs the modules' end-blockers.
func (app *App) EndBlocker(ctx sdk.Context) (sdk.EndBlock, error) {
	return app.ModuleManager.EndBlock(ctx)
}

// InitChainer initialises every module from the genesis app state, then runs every invariant
// on it: a genesis each module accepts on its own can still break what holds between them and
// the bank (a module's records against its account's balance), and a chain started from it
// would fail later, block after block. Such a genesis is refused, naming each broken invariant.
func (app *App) InitChainer(ctx sdk.Context, req *abci.RequestInitChain) (*abci.ResponseInitChain, error) {
	var genesisState GenesisState
	if err := json.Unmarshal(req.AppStateBytes, &genesisState); err != nil {
		return nil, fmt.Errorf("decode genesis app state: %w", err)
	}
	if err := app.UpgradeKeeper.SetModuleVersionMap(ctx, app.ModuleManager.GetVersionMap()); err != nil {
		return nil, err
	}
	res, err := app.ModuleManager.InitGenesis(ctx, app.appCodec, genesisState)
	if err != nil {
		return nil, err
	}
	if err := app.CheckInvariants(ctx); err != nil {
		return nil, fmt.Errorf("the genesis state breaks the app's invariants: %w", err)
	}
	return res, nil
}

// LoadHeight loads the state at a given height.
func (app *App) LoadHeight(height int64) error { return app.LoadVersion(height) }

// LegacyAmino returns the app's amino codec.
func (app *App) LegacyAmino() *codec.LegacyAmino { return app.legacyAmino }

// AppCodec returns the app's proto codec.
func (app *App) AppCodec() codec.Codec { return app.appCodec }

// InterfaceRegistry returns the app's interface registry.
func (app *App) InterfaceRegistry() types.InterfaceRegistry { return app.interfaceRegistry }

// TxConfig returns the app's transaction config.
func (app *App) TxConfig() client.TxConfig { return app.txConfig }

// DefaultGenesis returns the default genesis of every module, with BalanceAI's denoms.
func (app *App) DefaultGenesis() GenesisState {
	return NewDefaultGenesisState(app.appCodec, app.BasicModuleManager)
}

// AutoCliOpts returns the options AutoCLI uses to build `baid tx` and `baid q` commands.
func (app *App) AutoCliOpts() autocli.AppOptions {
	modules := make(map[string]appmodule.AppModule)
	for _, m := range app.ModuleManager.Modules {
		if named, ok := m.(module.HasName); ok {
			if am, ok := named.(appmodule.AppModule); ok {
				modules[named.Name()] = am
			}
		}
	}
	return autocli.AppOptions{
		Modules:               modules,
		ModuleOptions:         runtimeservices.ExtractAutoCLIOptions(app.ModuleManager.Modules),
		AddressCodec:          address.NewBech32Codec(Bech32PrefixAccAddr),
		ValidatorAddressCodec: address.NewBech32Codec(Bech32PrefixValAddr),
		ConsensusAddressCodec: address.NewBech32Codec(Bech32PrefixConsAddr),
	}
}

// RegisterAPIRoutes registers the gRPC-gateway routes of every module on the API server.
func (app *App) RegisterAPIRoutes(apiSvr *api.Server, apiConfig config.APIConfig) {
	clientCtx := apiSvr.ClientCtx
	authtx.RegisterGRPCGatewayRoutes(clientCtx, apiSvr.GRPCGatewayRouter)
	cmtservice.RegisterGRPCGatewayRoutes(clientCtx, apiSvr.GRPCGatewayRouter)
	nodeservice.RegisterGRPCGatewayRoutes(clientCtx, apiSvr.GRPCGatewayRouter)
	app.BasicModuleManager.RegisterGRPCGatewayRoutes(clientCtx, apiSvr.GRPCGatewayRouter)
	registerInvariantsGateway(clientCtx, apiSvr.GRPCGatewayRouter)
	registerSwagger(apiSvr, apiConfig)
	app.registerDashboard(apiSvr)
}

// RegisterTxService registers the tx gRPC service.
func (app *App) RegisterTxService(clientCtx client.Context) {
	authtx.RegisterTxService(app.GRPCQueryRouter(), clientCtx, app.Simulate, app.interfaceRegistry)
}

// RegisterTendermintService registers the CometBFT gRPC service.
func (app *App) RegisterTendermintService(clientCtx client.Context) {
	cmtservice.RegisterTendermintService(clientCtx, app.GRPCQueryRouter(), app.interfaceRegistry, app.Query)
}

// RegisterNodeService registers the node gRPC service.
func (app *App) RegisterNodeService(clientCtx client.Context, cfg config.Config) {
	nodeservice.RegisterNodeService(clientCtx, app.GRPCQueryRouter(), cfg)
}

// setUpgradeHandlers installs the upgrades this release performs.
func (app *App) setUpgradeHandlers() {
	for _, u := range Upgrades {
		app.InstallUpgrade(u)
	}
}

// InstallUpgrade registers an upgrade's handler and, when the node restarts at that upgrade's
// height (the upgrade info x/upgrade wrote to disk names it), its store changes. It must run
// before the stores are loaded, i.e. while the app is being built.
func (app *App) InstallUpgrade(u upgrades.Upgrade) {
	app.UpgradeKeeper.SetUpgradeHandler(u.Name, u.CreateHandler(app.ModuleManager, app.configurator))
	info, err := app.UpgradeKeeper.ReadUpgradeInfoFromDisk()
	if err != nil {
		panic(fmt.Errorf("failed to read upgrade info from disk: %w", err))
	}
	if info.Name == u.Name && !app.UpgradeKeeper.IsSkipHeight(info.Height) {
		app.SetStoreLoader(upgradetypes.UpgradeStoreLoader(info.Height, &u.StoreUpgrades))
	}
}

// validateOwnProtoAnnotations checks the Msg services of the BalanceAI proto files (the
// balanceai/ folder) for the signer and amino annotations wallets need.
func validateOwnProtoAnnotations() error {
	own, err := ownProtoFiles()
	if err != nil {
		return err
	}
	return msgservice.ValidateProtoAnnotations(own)
}

// ownProtoFiles returns the registered proto files of the balanceai/ folder.
func ownProtoFiles() (*protoregistry.Files, error) {
	merged, err := proto.MergedRegistry()
	if err != nil {
		return nil, err
	}
	own := new(protoregistry.Files)
	var regErr error
	merged.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
		if strings.HasPrefix(fd.Path(), "balanceai/") {
			regErr = own.RegisterFile(fd)
		}
		return regErr == nil
	})
	return own, regErr
}
