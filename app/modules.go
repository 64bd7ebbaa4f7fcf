package app

import (
	"cosmossdk.io/x/evidence"
	evidencetypes "cosmossdk.io/x/evidence/types"
	"cosmossdk.io/x/feegrant"
	feegrantmodule "cosmossdk.io/x/feegrant/module"
	"cosmossdk.io/x/upgrade"
	upgradetypes "cosmossdk.io/x/upgrade/types"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/types/module"
	"github.com/cosmos/cosmos-sdk/x/auth"
	authsims "github.com/cosmos/cosmos-sdk/x/auth/simulation"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/auth/vesting"
	vestingtypes "github.com/cosmos/cosmos-sdk/x/auth/vesting/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	authzmodule "github.com/cosmos/cosmos-sdk/x/authz/module"
	"github.com/cosmos/cosmos-sdk/x/bank"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"github.com/cosmos/cosmos-sdk/x/consensus"
	consensusparamtypes "github.com/cosmos/cosmos-sdk/x/consensus/types"
	distr "github.com/cosmos/cosmos-sdk/x/distribution"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	"github.com/cosmos/cosmos-sdk/x/genutil"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"
	"github.com/cosmos/cosmos-sdk/x/gov"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	"github.com/cosmos/cosmos-sdk/x/slashing"
	slashingtypes "github.com/cosmos/cosmos-sdk/x/slashing/types"
	"github.com/cosmos/cosmos-sdk/x/staking"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/balanceai/balanceai/app/keepers"
	"github.com/balanceai/balanceai/x/access"
	accesstypes "github.com/balanceai/balanceai/x/access/types"
	"github.com/balanceai/balanceai/x/bridge"
	bridgetypes "github.com/balanceai/balanceai/x/bridge/types"
	"github.com/balanceai/balanceai/x/curation"
	curationtypes "github.com/balanceai/balanceai/x/curation/types"
	"github.com/balanceai/balanceai/x/emission"
	emissiontypes "github.com/balanceai/balanceai/x/emission/types"
	"github.com/balanceai/balanceai/x/grants"
	grantstypes "github.com/balanceai/balanceai/x/grants/types"
	"github.com/balanceai/balanceai/x/marketplace"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// maccPerms are the module accounts and the smallest set of permissions each needs.
var maccPerms = map[string][]string{
	authtypes.FeeCollectorName:     nil,
	distrtypes.ModuleName:          nil,
	stakingtypes.BondedPoolName:    {authtypes.Burner, authtypes.Staking},
	stakingtypes.NotBondedPoolName: {authtypes.Burner, authtypes.Staking},
	govtypes.ModuleName:            {authtypes.Burner},
	// x/emission is the only minter; it burns its share of the fees.
	emissiontypes.ModuleName: {authtypes.Minter, authtypes.Burner},
	// The grant funds x/emission fills (x/grants pays out of them).
	keepers.ModelsFundName: nil,
	keepers.AgentsFundName: nil,
	// Locked BAI backing wBAI on Ethereum.
	bridgetypes.ModuleName: nil,
	// Listing collateral; the registration fee is burned.
	marketplacetypes.ModuleName: {authtypes.Burner},
	// Curator bonds and flag deposits; slashes go to the grant funds.
	curationtypes.ModuleName: nil,
	// Grant deposits and credited, not yet claimed, epoch rewards.
	grantstypes.ModuleName: nil,
}

// BlockedAddresses are the module accounts that must never receive funds through bank sends:
// every module account but gov's.
func BlockedAddresses() map[string]bool {
	blocked := make(map[string]bool)
	for name := range maccPerms {
		blocked[authtypes.NewModuleAddress(name).String()] = true
	}
	// The gov account stays open, as in the SDK's reference app, so proposals can fund it.
	delete(blocked, authtypes.NewModuleAddress(govtypes.ModuleName).String())
	return blocked
}

// ModuleAccountNames maps the address of every module account of the chain to its name. A
// genesis must not give one of these addresses a plain account: the module would then refuse
// to start ("account is not a module account").
func ModuleAccountNames() map[string]string {
	names := make(map[string]string, len(maccPerms))
	for name := range maccPerms {
		names[authtypes.NewModuleAddress(name).String()] = name
	}
	return names
}

// appModules lists every module of the chain.
func appModules(app *App, txConfig client.TxConfig) []module.AppModule {
	cdc := app.appCodec
	return []module.AppModule{
		genutil.NewAppModule(app.AccountKeeper, app.StakingKeeper, app, txConfig),
		auth.NewAppModule(cdc, app.AccountKeeper, authsims.RandomGenesisAccounts, nil),
		vesting.NewAppModule(app.AccountKeeper, app.BankKeeper),
		bank.NewAppModule(cdc, app.BankKeeper, app.AccountKeeper, nil),
		feegrantmodule.NewAppModule(cdc, app.AccountKeeper, app.BankKeeper, app.FeeGrantKeeper, app.interfaceRegistry),
		gov.NewAppModule(cdc, app.GovKeeper, app.AccountKeeper, app.BankKeeper, nil),
		slashing.NewAppModule(cdc, app.SlashingKeeper, app.AccountKeeper, app.BankKeeper, app.StakingKeeper, nil, app.interfaceRegistry),
		distr.NewAppModule(cdc, app.DistrKeeper, app.AccountKeeper, app.BankKeeper, app.StakingKeeper, nil),
		staking.NewAppModule(cdc, app.StakingKeeper, app.AccountKeeper, app.BankKeeper, nil),
		upgrade.NewAppModule(app.UpgradeKeeper, app.AccountKeeper.AddressCodec()),
		evidence.NewAppModule(app.EvidenceKeeper),
		authzmodule.NewAppModule(cdc, app.AuthzKeeper, app.AccountKeeper, app.BankKeeper, app.interfaceRegistry),
		consensus.NewAppModule(cdc, app.ConsensusParamsKeeper),
		emission.NewAppModule(cdc, app.EmissionKeeper),
		bridge.NewAppModule(app.BridgeKeeper),
		marketplace.NewAppModule(cdc, app.MarketplaceKeeper),
		access.NewAppModule(app.AccessKeeper),
		curation.NewAppModule(app.CurationKeeper),
		grants.NewAppModule(cdc, app.GrantsKeeper),
	}
}

// basicOverrides supplies the module basics that need constructor arguments or carry BalanceAI's
// default genesis (see genesis.go).
func basicOverrides(mm *module.Manager) map[string]module.AppModuleBasic {
	return map[string]module.AppModuleBasic{
		genutiltypes.ModuleName: genutil.NewAppModuleBasic(genutiltypes.DefaultMessageValidator),
		govtypes.ModuleName:     govBasic{},
		banktypes.ModuleName:    bankBasic{mm.Modules[banktypes.ModuleName].(bank.AppModule).AppModuleBasic},
		stakingtypes.ModuleName: stakingBasic{mm.Modules[stakingtypes.ModuleName].(staking.AppModule).AppModuleBasic},
		distrtypes.ModuleName:   distrBasic{mm.Modules[distrtypes.ModuleName].(distr.AppModule).AppModuleBasic},
	}
}

// orderPreBlockers: upgrade first, so a scheduled upgrade halts or migrates before anything
// else runs; auth prunes expired unordered-tx nonces.
func orderPreBlockers() []string {
	return []string{upgradetypes.ModuleName, authtypes.ModuleName}
}

// orderBeginBlockers: emission before distribution, because it mints and sweeps the fee collector
// (burning its share, paying validators equally) before distribution pays what is left by power;
// distribution pays out the previous block's rewards before slashing changes validator power;
// evidence after slashing handles double-signs.
func orderBeginBlockers() []string {
	return []string{
		emissiontypes.ModuleName,
		distrtypes.ModuleName,
		slashingtypes.ModuleName,
		evidencetypes.ModuleName,
		stakingtypes.ModuleName,
		genutiltypes.ModuleName,
		authz.ModuleName,
		curationtypes.ModuleName,
	}
}

// orderEndBlockers: gov executes passed proposals before staking computes the validator updates
// they may affect; curation before marketplace, so an upheld flag slashes a listing before its
// collateral can unlock in the same block.
func orderEndBlockers() []string {
	return []string{
		govtypes.ModuleName,
		stakingtypes.ModuleName,
		genutiltypes.ModuleName,
		feegrant.ModuleName,
		bridgetypes.ModuleName,
		curationtypes.ModuleName,
		marketplacetypes.ModuleName,
		accesstypes.ModuleName,
		grantstypes.ModuleName,
	}
}

// orderInitGenesis: auth and bank first (accounts and balances), distribution before staking
// (staking hooks create distribution records), genutil after staking so gentxs find the pools;
// emission after bank, because it reads the genesis supply from bank.
func orderInitGenesis() []string {
	return []string{
		authtypes.ModuleName,
		banktypes.ModuleName,
		distrtypes.ModuleName,
		stakingtypes.ModuleName,
		slashingtypes.ModuleName,
		govtypes.ModuleName,
		genutiltypes.ModuleName,
		evidencetypes.ModuleName,
		authz.ModuleName,
		feegrant.ModuleName,
		upgradetypes.ModuleName,
		vestingtypes.ModuleName,
		consensusparamtypes.ModuleName,
		emissiontypes.ModuleName,
		bridgetypes.ModuleName,
		marketplacetypes.ModuleName,
		accesstypes.ModuleName,
		curationtypes.ModuleName,
		grantstypes.ModuleName,
	}
}
