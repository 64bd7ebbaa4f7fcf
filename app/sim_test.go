//go:build sims

package app_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/log"
	"cosmossdk.io/math"
	"cosmossdk.io/store"
	storetypes "cosmossdk.io/store/types"
	"cosmossdk.io/x/feegrant"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/codec"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/kv"
	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"
	authzkeeper "github.com/cosmos/cosmos-sdk/x/authz/keeper"
	"github.com/cosmos/cosmos-sdk/x/simulation"
	simcli "github.com/cosmos/cosmos-sdk/x/simulation/client/cli"
	slashingtypes "github.com/cosmos/cosmos-sdk/x/slashing/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/balanceai/balanceai/app"
	accesstypes "github.com/balanceai/balanceai/x/access/types"
)

// The simulator's flags are the SDK's (simapp's): -Seed, -NumBlocks, -BlockSize, -Commit,
// -Params, -Genesis, -GenesisTime, -Verbose, -Enabled, ... See `make test-sims`.
func init() {
	simcli.GetSimulatorFlags()
}

// maxGenesisSupply bounds the randomized genesis supply (15,000,000 BAI in ubai): under the
// fixed 21,000,000 BAI cap, with room for the emission of the simulated blocks.
const maxGenesisSupply = 15_000_000_000_000

// simConfig returns the simulator config from the command line flags.
func simConfig() simtypes.Config {
	cfg := simcli.NewConfigFromFlags()
	cfg.ChainID = simsx.SimAppChainID
	return cfg
}

// invariantChecks counts, per app, the blocks after which every invariant was checked.
var invariantChecks sync.Map // *app.App -> *atomic.Int64

// newSimApp builds the app the simulation drives, with every module's invariants checked at
// every commit, i.e. on the state after each block's transactions and end blockers. A broken
// invariant stops the simulation with its message.
func newSimApp(
	logger log.Logger, db dbm.DB, traceStore io.Writer, loadLatest bool,
	appOpts servertypes.AppOptions, baseAppOptions ...func(*baseapp.BaseApp),
) *app.App {
	var (
		a      *app.App
		checks atomic.Int64
	)
	checkAll := func(ctx sdk.Context) {
		if err := a.CheckInvariants(ctx); err != nil {
			panic(fmt.Errorf("height %d: %w", ctx.BlockHeight(), err))
		}
		checks.Add(1)
	}
	opts := append(append([]func(*baseapp.BaseApp){}, baseAppOptions...), func(b *baseapp.BaseApp) {
		b.SetPrecommiter(checkAll)
	})
	a = app.New(logger, db, traceStore, loadLatest, appOpts, opts...)
	invariantChecks.Store(a, &checks)
	return a
}

// requireInvariantsCheckedEveryBlock fails unless the invariants ran after every committed block.
func requireInvariantsCheckedEveryBlock(tb testing.TB, ti simsx.TestInstance[*app.App], _ []simtypes.Account) {
	tb.Helper()
	v, ok := invariantChecks.Load(ti.App)
	require.True(tb, ok, "app not built by newSimApp")
	require.NotEmpty(tb, ti.App.Invariants())
	if ti.Cfg.Commit {
		require.Equal(tb, ti.App.LastBlockHeight(), v.(*atomic.Int64).Load(),
			"the invariants must run after every block")
	}
}

// setupStateFactory gives the simulation its genesis, accounts and balances.
func setupStateFactory(a *app.App) simsx.SimStateFactory {
	return simsx.SimStateFactory{
		Codec:         a.AppCodec(),
		AppStateFn:    appStateFn(a.AppCodec(), a.SimulationManager(), a.DefaultGenesis()),
		BlockedAddr:   app.BlockedAddresses(),
		AccountSource: a.AccountKeeper,
		BalanceSource: a.BankKeeper,
	}
}

// appStateFn is the SDK's randomized app state with the stake of each genesis account bounded
// so that the genesis supply stays under maxGenesisSupply (the SDK draws up to 10^12 base
// units per account, several hundred accounts, far above a 21 M cap). A -Genesis or -Params
// file is used as given.
func appStateFn(cdc codec.JSONCodec, sm *module.SimulationManager, genesis map[string]json.RawMessage) simtypes.AppStateFn {
	sdkFn := simtestutil.AppStateFn(cdc, sm, genesis)
	return func(r *rand.Rand, accs []simtypes.Account, cfg simtypes.Config) (json.RawMessage, []simtypes.Account, string, time.Time) {
		if cfg.GenesisFile != "" || cfg.ParamsFile != "" {
			return sdkFn(r, accs, cfg)
		}
		n := int64(len(accs))
		bonded := min(n, 20+r.Int63n(31))
		// Bank's random genesis mints the stake for every account and every bonded validator.
		perAccount := int64(maxGenesisSupply) / (n + bonded)
		stake := sdk.DefaultPowerReduction.Add(math.NewInt(r.Int63n(perAccount - sdk.DefaultPowerReduction.Int64())))
		params := map[string]any{
			simtestutil.StakePerAccount:           stake,
			simtestutil.InitiallyBondedValidators: bonded,
		}
		bz, err := json.Marshal(params)
		if err != nil {
			panic(err)
		}
		dir, err := os.MkdirTemp("", "baid-sim-params")
		if err != nil {
			panic(err)
		}
		defer os.RemoveAll(dir)
		cfg.ParamsFile = filepath.Join(dir, "params.json")
		if err := os.WriteFile(cfg.ParamsFile, bz, 0o600); err != nil {
			panic(err)
		}
		return sdkFn(r, accs, cfg)
	}
}

// randomAccounts draws the simulation's accounts: between 100 and 1,000 of them, so that
// enough validators are bonded at genesis for the random unbondings and jailings to leave
// some (the SDK draws 2 to 2,500).
func randomAccounts(r *rand.Rand, n int) []simtypes.Account {
	return simtypes.RandomAccounts(r, max(100, min(n, 1000)))
}

// TestFullAppSimulation runs the randomized simulation from -Seed for -NumBlocks blocks of
// -BlockSize operations, with every invariant checked after every block.
func TestFullAppSimulation(t *testing.T) {
	simsx.RunWithSeedAndRandAcc(t, simConfig(), newSimApp, setupStateFactory, simConfig().Seed, nil, randomAccounts, requireInvariantsCheckedEveryBlock)
}

// skipPrefixes are the SDK store prefixes whose content legitimately differs after an export
// and import (queues and history rebuilt at InitGenesis), as in the SDK's simapp.
var skipPrefixes = map[string][][]byte{
	stakingtypes.StoreKey: {
		stakingtypes.UnbondingQueueKey, stakingtypes.RedelegationQueueKey, stakingtypes.ValidatorQueueKey,
		stakingtypes.HistoricalInfoKey, stakingtypes.UnbondingIDKey, stakingtypes.UnbondingIndexKey,
		stakingtypes.UnbondingTypeKey, stakingtypes.ValidatorUpdatesKey,
	},
	authzkeeper.StoreKey:   {authzkeeper.GrantQueuePrefix},
	feegrant.StoreKey:      {feegrant.FeeAllowanceQueueKeyPrefix},
	slashingtypes.StoreKey: {slashingtypes.ValidatorMissedBlockBitmapKeyPrefix},
	// x/access exports each listing's current allowlist, which InitGenesis stores as generation
	// 0; the generation counters and the stale generations a transfer left for the EndBlocker
	// to delete are not exported. The Allowlist and CheckAccess queries compare the allowlists.
	accesstypes.StoreKey: {
		accesstypes.AllowlistKey.Bytes(), accesstypes.AllowlistGenerationKey.Bytes(), accesstypes.StaleAllowlistsKey.Bytes(),
	},
}

// TestAppImportExport simulates, exports the state, imports it into a fresh app and requires
// the same stores (the BalanceAI stores byte for byte, with the same hash, but for x/access's
// allowlist generations: see skipPrefixes), the same answers from every BalanceAI query, and
// the same genesis when the fresh app exports again.
func TestAppImportExport(t *testing.T) {
	simsx.RunWithSeedAndRandAcc(t, simConfig(), newSimApp, setupStateFactory, simConfig().Seed, nil, randomAccounts,
		requireInvariantsCheckedEveryBlock,
		func(tb testing.TB, ti simsx.TestInstance[*app.App], _ []simtypes.Account) {
			tb.Helper()
			a := ti.App
			exported, err := a.ExportAppStateAndValidators(false, nil, nil)
			require.NoError(tb, err)

			fresh := simsx.NewSimulationAppInstance(tb, ti.Cfg, newSimApp)
			b := fresh.App
			var gs app.GenesisState
			require.NoError(tb, json.Unmarshal(exported.AppState, &gs))
			ctxA := a.NewContextLegacy(true, cmtproto.Header{Height: a.LastBlockHeight()})
			// The imported chain continues at the exported height (InitChain at initial_height).
			ctxB := b.NewContextLegacy(true, cmtproto.Header{Height: exported.Height})
			// As InitChainer does: record the module versions, then init every module.
			require.NoError(tb, b.UpgradeKeeper.SetModuleVersionMap(ctxB, b.ModuleManager.GetVersionMap()))
			_, err = b.ModuleManager.InitGenesis(ctxB, b.AppCodec(), gs)
			require.NoError(tb, err)
			require.NoError(tb, b.StoreConsensusParams(ctxB, exported.ConsensusParams))
			require.NoError(tb, b.CheckInvariants(ctxB), "invariants after import")

			assertEqualStores(tb, a, b, ctxA, ctxB)
			assertSameCustomQueryAnswers(tb, a, b, ctxA, ctxB, gs)

			reexported, err := b.ModuleManager.ExportGenesisForModules(ctxB, b.AppCodec(), ownModules)
			require.NoError(tb, err)
			for _, name := range ownModules {
				require.JSONEq(tb, string(gs[name]), string(reexported[name]), "%s genesis after export, import and export", name)
			}
		})
}

// assertEqualStores compares every KV store of a and b, skipping skipPrefixes, and logs the
// hash of each BalanceAI store (equal on both sides).
func assertEqualStores(tb testing.TB, a, b *app.App, ctxA, ctxB sdk.Context) {
	tb.Helper()
	keys := a.KVStoreKeys()
	names := make([]string, 0, len(keys))
	for name := range keys {
		names = append(names, name)
	}
	sort.Strings(names)
	decoders := a.SimulationManager().StoreDecoders
	for _, name := range names {
		storeA, storeB := ctxA.KVStore(keys[name]), ctxB.KVStore(b.GetKey(name))
		diffA, diffB := simtestutil.DiffKVStores(storeA, storeB, skipPrefixes[name])
		require.Equal(tb, len(diffA), len(diffB), "unequal sets of key-values in store %s", name)
		if !assert.Empty(tb, diffA, simulationLog(name, decoders, diffA, diffB)) {
			tb.FailNow()
		}
	}
	for _, name := range ownStoreKeys(a) {
		ha, hb := storeHash(ctxA.KVStore(keys[name]), skipPrefixes[name]), storeHash(ctxB.KVStore(b.GetKey(name)), skipPrefixes[name])
		require.Equal(tb, ha, hb, "hash of store %s", name)
		tb.Logf("store %s: %X on both sides", name, ha)
	}
}

// simulationLog describes the differing pairs of a store: decoded by the store's decoder when
// both sides hold the key, raw otherwise.
func simulationLog(storeName string, decoders simtypes.StoreDecoderRegistry, kvAs, kvBs []kv.Pair) string {
	var b strings.Builder
	for i := range kvAs {
		fmt.Fprintf(&b, "key A %X\nkey B %X\n", kvAs[i].Key, kvBs[i].Key)
		decoded := func() (out string) {
			defer func() {
				if recover() != nil {
					out = fmt.Sprintf("value A %X\nvalue B %X", kvAs[i].Value, kvBs[i].Value)
				}
			}()
			if dec, ok := decoders[storeName]; ok && bytes.Equal(kvAs[i].Key, kvBs[i].Key) {
				return dec(kvAs[i], kvBs[i])
			}
			panic("no decoder")
		}()
		b.WriteString(decoded + "\n")
	}
	return b.String()
}

// storeHash is the SHA-256 of every key and value of a store outside the skipped prefixes, in
// key order.
func storeHash(s storetypes.KVStore, skip [][]byte) []byte {
	h := sha256.New()
	it := s.Iterator(nil, nil)
	defer it.Close()
	for ; it.Valid(); it.Next() {
		if slices.ContainsFunc(skip, func(p []byte) bool { return bytes.HasPrefix(it.Key(), p) }) {
			continue
		}
		for _, part := range [][]byte{it.Key(), it.Value()} {
			_, _ = fmt.Fprintf(h, "%d:", len(part))
			_, _ = h.Write(part)
		}
	}
	return h.Sum(nil)
}

// TestAppSimulationAfterImport simulates, exports for a zero-height restart, starts a fresh
// chain from that genesis through InitChain and simulates it again with the same operations.
func TestAppSimulationAfterImport(t *testing.T) {
	cfg := simConfig()
	simsx.RunWithSeedAndRandAcc(t, cfg, newSimApp, setupStateFactory, cfg.Seed, nil, randomAccounts,
		requireInvariantsCheckedEveryBlock,
		func(tb testing.TB, ti simsx.TestInstance[*app.App], accs []simtypes.Account) {
			tb.Helper()
			exported, err := ti.App.ExportAppStateAndValidators(true, nil, nil)
			require.NoError(tb, err)
			genesisTime := ti.App.NewContextLegacy(true, cmtproto.Header{}).BlockTime()
			if genesisTime.IsZero() {
				genesisTime = time.Unix(cfg.GenesisTime, 0)
			}
			fromExport := func(a *app.App) simsx.SimStateFactory {
				f := setupStateFactory(a)
				f.AppStateFn = func(*rand.Rand, []simtypes.Account, simtypes.Config) (json.RawMessage, []simtypes.Account, string, time.Time) {
					return exported.AppState, accs, simsx.SimAppChainID, genesisTime
				}
				return f
			}
			// The zero-height export restarts every unbonding entry at creation height 0, which the
			// SDK's MsgCancelUnbondingDelegation factory cannot address (x/staking refuses height
			// 0): that operation is left out after the import.
			cfg2 := ti.Cfg
			cfg2.ParamsFile = filepath.Join(tb.TempDir(), "weights.json")
			require.NoError(tb, os.WriteFile(cfg2.ParamsFile, []byte(`{"op_weight_msg_cancel_unbonding_delegation": 0}`), 0o600))
			simsx.RunWithSeedAndRandAcc(tb, cfg2, newSimApp, fromExport, ti.Cfg.Seed, nil, randomAccounts, requireInvariantsCheckedEveryBlock)
		})
}

// TestAppStateDeterminism runs the same seed three times (-Seed, else three random seeds) and
// requires the same app hash each time.
func TestAppStateDeterminism(t *testing.T) {
	const runsPerSeed = 3
	var seeds []int64
	if s := simConfig().Seed; s != simcli.DefaultSeedValue {
		for j := 0; j < runsPerSeed; j++ {
			seeds = append(seeds, s)
		}
	} else {
		for i := 0; i < 3; i++ {
			seed := rand.Int63()
			for j := 0; j < runsPerSeed; j++ {
				seeds = append(seeds, seed)
			}
		}
	}
	// The inter-block cache is on, as on a node. Every other run gives transactions the SDK's
	// store branches instead of the lazy ones: the runs of a seed must still agree.
	var runs atomic.Int64
	interBlockCacheApp := func(logger log.Logger, db dbm.DB, traceStore io.Writer, loadLatest bool, appOpts servertypes.AppOptions, baseAppOptions ...func(*baseapp.BaseApp)) *app.App {
		if runs.Add(1)%2 == 0 {
			appOpts = withAppOption{AppOptions: appOpts, key: app.FlagEagerStoreBranches, value: true}
		}
		return newSimApp(logger, db, traceStore, loadLatest, appOpts,
			append(baseAppOptions, baseapp.SetInterBlockCache(store.NewCommitKVStoreCacheManager()))...)
	}
	var mx sync.Mutex
	hashes := make(map[int64][][]byte)
	logs := make(map[int64][]simulation.LogWriter)
	captureAndCheckHash := func(tb testing.TB, ti simsx.TestInstance[*app.App], _ []simtypes.Account) {
		tb.Helper()
		seed, hash := ti.Cfg.Seed, ti.App.LastCommitID().Hash
		tb.Logf("seed %d: app hash %X at height %d", seed, hash, ti.App.LastBlockHeight())
		mx.Lock()
		others, writers := hashes[seed], logs[seed]
		hashes[seed], logs[seed] = append(others, hash), append(writers, ti.ExecLogWriter)
		mx.Unlock()
		for i, other := range others {
			if !assert.Equal(tb, other, hash, "non-determinism in seed %d", seed) {
				writers[i].PrintLogs()
				ti.ExecLogWriter.PrintLogs()
				tb.FailNow()
			}
		}
	}
	simsx.RunWithSeedsAndRandAcc(t, interBlockCacheApp, setupStateFactory, seeds, nil, randomAccounts,
		requireInvariantsCheckedEveryBlock, captureAndCheckHash)
}

// withAppOption is app options with one more setting.
type withAppOption struct {
	servertypes.AppOptions
	key   string
	value any
}

func (o withAppOption) Get(key string) any {
	if key == o.key {
		return o.value
	}
	return o.AppOptions.Get(key)
}
