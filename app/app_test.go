package app_test

import (
	"context"
	"encoding/json"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/log"
	"cosmossdk.io/math"
	upgradetypes "cosmossdk.io/x/upgrade/types"

	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/balanceai/balanceai/app"
	"github.com/balanceai/balanceai/app/upgrades"
	"github.com/balanceai/balanceai/testutil"
	bridgetypes "github.com/balanceai/balanceai/x/bridge/types"
	curationtypes "github.com/balanceai/balanceai/x/curation/types"
)

func newApp(t *testing.T) *app.App {
	return app.New(log.NewNopLogger(), dbm.NewMemDB(), nil, true, simtestutil.NewAppOptionsWithFlagHome(t.TempDir()))
}

func TestDefaultGenesisValidates(t *testing.T) {
	a := newApp(t)
	gen := a.DefaultGenesis()
	require.NoError(t, a.BasicModuleManager.ValidateGenesis(a.AppCodec(), a.TxConfig(), gen))

	var bankGen banktypes.GenesisState
	a.AppCodec().MustUnmarshalJSON(gen[banktypes.ModuleName], &bankGen)
	require.Len(t, bankGen.DenomMetadata, 1)
	md := bankGen.DenomMetadata[0]
	require.Equal(t, "ubai", md.Base)
	require.Equal(t, "bai", md.Display)
	require.Equal(t, "BAI", md.Symbol)
	require.Equal(t, uint32(6), md.DenomUnits[1].Exponent)

	var stakingGen stakingtypes.GenesisState
	a.AppCodec().MustUnmarshalJSON(gen[stakingtypes.ModuleName], &stakingGen)
	require.Equal(t, "ubai", stakingGen.Params.BondDenom)

	var distrGen distrtypes.GenesisState
	a.AppCodec().MustUnmarshalJSON(gen[distrtypes.ModuleName], &distrGen)
	require.True(t, distrGen.Params.CommunityTax.IsZero())

	require.NotContains(t, gen, "mint", "x/mint must not be wired: x/emission is the monetary policy")
}

func TestAddressPrefixes(t *testing.T) {
	cfg := sdk.GetConfig()
	require.Equal(t, "bai", cfg.GetBech32AccountAddrPrefix())
	require.Equal(t, "baivaloper", cfg.GetBech32ValidatorAddrPrefix())
	require.Equal(t, "baivalcons", cfg.GetBech32ConsensusAddrPrefix())
	require.Equal(t, uint32(118), cfg.GetCoinType())
}

func TestChainProducesBlocksAndSends(t *testing.T) {
	c := testutil.NewChain(t, testutil.DefaultConfig())
	for i := 0; i < 3; i++ {
		c.NextBlock(c.AllSigners())
	}
	require.Equal(t, int64(4), c.App.LastBlockHeight())

	alice, bob := c.Accounts["alice"], c.Accounts["bob"]
	before := c.Balance(bob.Address)
	send := banktypes.NewMsgSend(alice.Address, bob.Address, sdk.NewCoins(sdk.NewInt64Coin("ubai", 7_000_000)))
	res := c.DeliverTx(alice, sdk.NewCoins(sdk.NewInt64Coin("ubai", 5000)), send)
	require.Zero(t, res.Code, res.Log)
	require.Equal(t, before.AddRaw(7_000_000), c.Balance(bob.Address))

	// Fees in another denom are refused and change nothing.
	aliceBefore := c.Balance(alice.Address)
	res = c.DeliverTx(alice, sdk.NewCoins(sdk.NewInt64Coin("stake", 5000)), send)
	require.NotZero(t, res.Code)
	require.Contains(t, res.Log, "fees must be paid in ubai")
	require.Equal(t, aliceBefore, c.Balance(alice.Address))

	// A send beyond the balance fails and changes no balance but the fee.
	tooMuch := banktypes.NewMsgSend(alice.Address, bob.Address, sdk.NewCoins(sdk.NewCoin("ubai", aliceBefore.MulRaw(2))))
	bobBefore := c.Balance(bob.Address)
	res = c.DeliverTx(alice, sdk.NewCoins(sdk.NewInt64Coin("ubai", 5000)), tooMuch)
	require.NotZero(t, res.Code)
	require.Contains(t, res.Log, "insufficient funds")
	require.Equal(t, bobBefore, c.Balance(bob.Address))
	require.Equal(t, aliceBefore.SubRaw(5000), c.Balance(alice.Address))
}

func TestModuleAccountsAreBlocked(t *testing.T) {
	blocked := app.BlockedAddresses()
	require.True(t, blocked[authtypes.NewModuleAddress(authtypes.FeeCollectorName).String()])
	require.True(t, blocked[authtypes.NewModuleAddress(distrtypes.ModuleName).String()])
	require.False(t, blocked[authtypes.NewModuleAddress("gov").String()])
}

// TestZeroHeightExportImport exports a running chain for height zero, starts a fresh app from
// that genesis and checks that exporting it again gives the same state.
func TestZeroHeightExportImport(t *testing.T) {
	cfg := testutil.DefaultConfig()
	cfg.Stakes = []math.Int{math.NewInt(1_000_000_000_000), math.NewInt(2_000_000_000_000)}
	c := testutil.NewChain(t, cfg)
	alice, bob := c.Accounts["alice"], c.Accounts["bob"]
	for i := 0; i < 5; i++ {
		send := banktypes.NewMsgSend(alice.Address, bob.Address, sdk.NewCoins(sdk.NewInt64Coin("ubai", int64(1_000_000+i))))
		res := c.DeliverTx(alice, sdk.NewCoins(sdk.NewInt64Coin("ubai", 20_000)), send)
		require.Zero(t, res.Code, res.Log)
	}
	// An empty block sweeps the last fees, so the imported chain's first block has none to pay.
	c.NextBlock(c.AllSigners())

	exported, err := c.App.ExportAppStateAndValidators(true, nil, nil)
	require.NoError(t, err)
	require.Len(t, exported.Validators, 2)

	// The first block of the imported chain is at the same BFT time: x/emission mints nothing.
	fresh := startFromExport(t, c, exported.AppState)

	reexported, err := fresh.ExportAppStateAndValidators(true, nil, nil)
	require.NoError(t, err)

	var before, after map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(exported.AppState, &before))
	require.NoError(t, json.Unmarshal(reexported.AppState, &after))
	require.Equal(t, len(before), len(after))
	for module, state := range before {
		require.JSONEq(t, string(state), string(after[module]), "module %s differs after export/import", module)
	}
	require.Equal(t, exported.Validators, reexported.Validators)
}

// startFromExport starts a fresh app from the app state c exported, at c's time, and commits
// its first block at that time.
func startFromExport(t *testing.T, c *testutil.Chain, appState []byte) *app.App {
	t.Helper()
	fresh := testutil.NewApp(t, dbm.NewMemDB())
	_, err := fresh.InitChain(&abci.RequestInitChain{
		ChainId:         testutil.ChainID,
		AppStateBytes:   appState,
		ConsensusParams: simtestutil.DefaultConsensusParams,
		InitialHeight:   1,
		Time:            c.Time,
	})
	require.NoError(t, err)
	_, err = fresh.FinalizeBlock(&abci.RequestFinalizeBlock{Height: 1, Time: c.Time, ProposerAddress: c.Validators[0].ConsAddr})
	require.NoError(t, err)
	_, err = fresh.Commit()
	require.NoError(t, err)
	return fresh
}

// TestZeroHeightExportRebasesSnapshotHeights: `export --for-zero-height` moves x/curation's bond
// checkpoints before the new chain's first block (by minus the export height), and the new
// chain starts from them and checkpoints its own bonds after them.
func TestZeroHeightExportRebasesSnapshotHeights(t *testing.T) {
	c := testutil.NewChain(t, testutil.DefaultConfig())
	alice := c.Accounts["alice"]
	for i := 0; i < 3; i++ {
		c.NextBlock(c.AllSigners())
	}
	bond := &curationtypes.MsgBondCurator{Curator: alice.Address.String(), Amount: sdk.NewInt64Coin("ubai", 20_000_000_000)}
	res := c.DeliverTx(alice, sdk.NewCoins(sdk.NewInt64Coin("ubai", 20_000)), bond)
	require.Zero(t, res.Code, res.Log)
	c.NextBlock(c.AllSigners())
	height := c.App.LastBlockHeight()
	require.Greater(t, height, int64(4))

	exported, err := c.App.ExportAppStateAndValidators(true, nil, nil)
	require.NoError(t, err)
	var gen map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(exported.AppState, &gen))
	var cur curationtypes.GenesisState
	c.App.AppCodec().MustUnmarshalJSON(gen[curationtypes.ModuleName], &cur)
	require.NotEmpty(t, cur.BondHistory)
	for _, b := range cur.BondHistory {
		require.LessOrEqual(t, b.Height, int64(0))
		require.Greater(t, b.Height, -height)
	}
	for _, tb := range cur.TotalBondedHistory {
		require.LessOrEqual(t, tb.Height, int64(0))
	}

	fresh := startFromExport(t, c, exported.AppState)
	ctx := fresh.NewUncachedContext(false, cmtproto.Header{Height: 2})
	// One of the two modules alone is refused: grants' snapshots read curation's checkpoints.
	_, err = c.App.ExportAppStateAndValidators(true, nil, []string{curationtypes.ModuleName})
	require.ErrorContains(t, err, "exports curation and grants together")
	got, err := fresh.CurationKeeper.BondAt(ctx, alice.Address, 1)
	require.NoError(t, err)
	require.Equal(t, bond.Amount.Amount, got, "the new chain's first block reads the bond as exported")
}

// TestUpgradeOnlyInTheReleaseThatPerformsIt schedules a "v2" plan on this release: it must keep
// producing blocks until the plan's height (a binary that already registered the handler would
// halt one block after scheduling: "BINARY UPDATED BEFORE TRIGGER"), halt there asking for the
// upgrade, and the next release, which installs the handler, must apply it at that height and
// go on.
func TestUpgradeOnlyInTheReleaseThatPerformsIt(t *testing.T) {
	c := testutil.NewChain(t, testutil.DefaultConfig())
	for _, u := range app.Upgrades {
		require.NotEqual(t, "v2", u.Name, "this release must not perform v2")
	}
	require.False(t, c.App.UpgradeKeeper.HasHandler("v2"))

	upgradeHeight := c.Height + 3
	plan := upgradetypes.Plan{Name: "v2", Height: upgradeHeight}
	require.NoError(t, c.App.UpgradeKeeper.ScheduleUpgrade(c.Ctx(), plan))
	c.NextBlock(c.AllSigners())
	c.NextBlock(c.AllSigners())
	require.Equal(t, upgradeHeight-1, c.Height)

	_, err := c.TryNextBlock(c.AllSigners())
	require.ErrorContains(t, err, `UPGRADE "v2" NEEDED`)
	require.Equal(t, upgradeHeight-1, c.Height)

	// The next release performs v2: its handler runs the module migrations at the plan height.
	var ranAt int64
	c.Restart(func(a *app.App) {
		a.InstallUpgrade(upgrades.Upgrade{
			Name: "v2",
			CreateHandler: func(mm *module.Manager, cfg module.Configurator) upgradetypes.UpgradeHandler {
				migrate := upgrades.RunMigrations(mm, cfg)
				return func(ctx context.Context, p upgradetypes.Plan, fromVM module.VersionMap) (module.VersionMap, error) {
					ranAt = sdk.UnwrapSDKContext(ctx).BlockHeight()
					return migrate(ctx, p, fromVM)
				}
			},
		})
	})
	c.NextBlock(c.AllSigners())
	require.Equal(t, upgradeHeight, ranAt)
	done, err := c.App.UpgradeKeeper.GetDoneHeight(c.Ctx(), "v2")
	require.NoError(t, err)
	require.Equal(t, upgradeHeight, done)
	after, err := c.App.UpgradeKeeper.GetModuleVersionMap(c.Ctx())
	require.NoError(t, err)
	require.Equal(t, c.App.ModuleManager.GetVersionMap(), after)
	c.NextBlock(c.AllSigners())
}

// The keepers and the transaction decoder's signing context share the remembering address codecs.
func TestAppUsesRememberingAddressCodecs(t *testing.T) {
	a := newApp(t)
	acc, val := a.AccountKeeper.AddressCodec(), a.StakingKeeper.ValidatorAddressCodec()
	require.True(t, app.RemembersConversions(acc))
	require.True(t, app.RemembersConversions(val))
	require.True(t, app.RemembersConversions(a.StakingKeeper.ConsensusAddressCodec()))
	signing := a.InterfaceRegistry().SigningContext()
	require.Same(t, acc, signing.AddressCodec())
	require.Same(t, val, signing.ValidatorAddressCodec())
}

// TestGenesisBreakingAnInvariantIsRefused: a genesis every module accepts on its own, whose bank
// balances disagree with a module's records (here the bridge account holds ubai nobody locked),
// is refused at InitChain, naming the broken invariant; the same genesis untouched starts.
func TestGenesisBreakingAnInvariantIsRefused(t *testing.T) {
	c := testutil.NewChain(t, testutil.DefaultConfig())
	exported, err := c.App.ExportAppStateAndValidators(true, nil, nil)
	require.NoError(t, err)

	initChain := func(appState []byte) error {
		_, err := testutil.NewApp(t, dbm.NewMemDB()).InitChain(&abci.RequestInitChain{
			ChainId:         testutil.ChainID,
			AppStateBytes:   appState,
			ConsensusParams: simtestutil.DefaultConsensusParams,
			InitialHeight:   1,
			Time:            c.Time,
		})
		return err
	}
	require.NoError(t, initChain(exported.AppState))

	var gen map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(exported.AppState, &gen))
	cdc := c.App.AppCodec()
	var bankGen banktypes.GenesisState
	cdc.MustUnmarshalJSON(gen[banktypes.ModuleName], &bankGen)
	// 5 ubai of alice's move to the bridge account: the supply is what it was.
	moved := sdk.NewCoins(sdk.NewInt64Coin("ubai", 5))
	alice := c.Accounts["alice"].Address.String()
	for i, b := range bankGen.Balances {
		if b.Address == alice {
			bankGen.Balances[i].Coins = b.Coins.Sub(moved...)
		}
	}
	bankGen.Balances = banktypes.SanitizeGenesisBalances(append(bankGen.Balances, banktypes.Balance{
		Address: authtypes.NewModuleAddress(bridgetypes.ModuleName).String(), Coins: moved,
	}))
	gen[banktypes.ModuleName] = cdc.MustMarshalJSON(&bankGen)
	tampered, err := json.Marshal(gen)
	require.NoError(t, err)
	err = initChain(tampered)
	require.ErrorContains(t, err, "the genesis state breaks the app's invariants")
	require.ErrorContains(t, err, "invariant bridge/accounting broken")
}
