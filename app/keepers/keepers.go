// Package keepers builds every keeper of the BalanceAI app in dependency order.
package keepers

import (
	addresscore "cosmossdk.io/core/address"
	"cosmossdk.io/log"
	storetypes "cosmossdk.io/store/types"
	evidencekeeper "cosmossdk.io/x/evidence/keeper"
	feegrantkeeper "cosmossdk.io/x/feegrant/keeper"
	upgradekeeper "cosmossdk.io/x/upgrade/keeper"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/runtime"
	authkeeper "github.com/cosmos/cosmos-sdk/x/auth/keeper"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	authzkeeper "github.com/cosmos/cosmos-sdk/x/authz/keeper"
	bankkeeper "github.com/cosmos/cosmos-sdk/x/bank/keeper"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	consensusparamkeeper "github.com/cosmos/cosmos-sdk/x/consensus/keeper"
	consensusparamtypes "github.com/cosmos/cosmos-sdk/x/consensus/types"
	distrkeeper "github.com/cosmos/cosmos-sdk/x/distribution/keeper"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	govkeeper "github.com/cosmos/cosmos-sdk/x/gov/keeper"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	govv1beta1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1beta1"
	slashingkeeper "github.com/cosmos/cosmos-sdk/x/slashing/keeper"
	slashingtypes "github.com/cosmos/cosmos-sdk/x/slashing/types"
	stakingkeeper "github.com/cosmos/cosmos-sdk/x/staking/keeper"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	evidencetypes "cosmossdk.io/x/evidence/types"
	"cosmossdk.io/x/feegrant"
	upgradetypes "cosmossdk.io/x/upgrade/types"

	accesskeeper "github.com/balanceai/balanceai/x/access/keeper"
	accesstypes "github.com/balanceai/balanceai/x/access/types"
	bridgekeeper "github.com/balanceai/balanceai/x/bridge/keeper"
	bridgetypes "github.com/balanceai/balanceai/x/bridge/types"
	curationkeeper "github.com/balanceai/balanceai/x/curation/keeper"
	curationtypes "github.com/balanceai/balanceai/x/curation/types"
	emissionkeeper "github.com/balanceai/balanceai/x/emission/keeper"
	emissiontypes "github.com/balanceai/balanceai/x/emission/types"
	grantskeeper "github.com/balanceai/balanceai/x/grants/keeper"
	grantstypes "github.com/balanceai/balanceai/x/grants/types"
	marketplacekeeper "github.com/balanceai/balanceai/x/marketplace/keeper"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// AppKeepers holds every keeper of the app. The App type embeds it.
type AppKeepers struct {
	keys  map[string]*storetypes.KVStoreKey
	tkeys map[string]*storetypes.TransientStoreKey

	AccountKeeper         authkeeper.AccountKeeper
	BankKeeper            bankkeeper.BaseKeeper
	StakingKeeper         *stakingkeeper.Keeper
	SlashingKeeper        slashingkeeper.Keeper
	DistrKeeper           distrkeeper.Keeper
	GovKeeper             *govkeeper.Keeper
	UpgradeKeeper         *upgradekeeper.Keeper
	EvidenceKeeper        evidencekeeper.Keeper
	FeeGrantKeeper        feegrantkeeper.Keeper
	AuthzKeeper           authzkeeper.Keeper
	ConsensusParamsKeeper consensusparamkeeper.Keeper

	// BalanceAI modules.
	EmissionKeeper    emissionkeeper.Keeper
	BridgeKeeper      bridgekeeper.Keeper
	MarketplaceKeeper marketplacekeeper.Keeper
	AccessKeeper      accesskeeper.Keeper
	CurationKeeper    curationkeeper.Keeper
	GrantsKeeper      grantskeeper.Keeper
}

// Config carries what the keepers need from the app.
type Config struct {
	Codec              codec.Codec
	LegacyAmino        *codec.LegacyAmino
	MaccPerms          map[string][]string
	BlockedAddrs       map[string]bool
	SkipUpgradeHeights map[int64]bool
	HomePath           string
	Logger             log.Logger
	// The account, validator and consensus address codecs (the app's, shared with its
	// transaction decoder).
	AddressCodec, ValidatorCodec, ConsensusCodec addresscore.Codec
}

// NewAppKeepers builds the keepers in dependency order: accounts, bank, staking and the modules
// that hook into staking, then governance and the rest.
func NewAppKeepers(bApp *baseapp.BaseApp, cfg Config) AppKeepers {
	k := AppKeepers{}
	k.GenerateKeys()
	cdc := cfg.Codec
	// Every module that takes parameters answers to the gov module account.
	authority := authtypes.NewModuleAddress(govtypes.ModuleName).String()
	accCodec, valCodec, consCodec := cfg.AddressCodec, cfg.ValidatorCodec, cfg.ConsensusCodec

	k.ConsensusParamsKeeper = consensusparamkeeper.NewKeeper(
		cdc, runtime.NewKVStoreService(k.keys[consensusparamtypes.StoreKey]), authority, runtime.EventService{},
	)

	k.AccountKeeper = authkeeper.NewAccountKeeper(
		cdc, runtime.NewKVStoreService(k.keys[authtypes.StoreKey]), authtypes.ProtoBaseAccount,
		cfg.MaccPerms, accCodec, sdkAccPrefix(), authority,
		// Unordered transactions (no sequence, a timeout_timestamp at most
		// UnorderedTxMaxTimeout ahead) let AI nodes send usage receipts in parallel batches.
		authkeeper.WithUnorderedTransactions(true),
	)
	k.BankKeeper = bankkeeper.NewBaseKeeper(
		cdc, runtime.NewKVStoreService(k.keys[banktypes.StoreKey]), k.AccountKeeper,
		cfg.BlockedAddrs, authority, cfg.Logger,
	)
	// x/emission's supply summary counts every burn: x/staking (validator slashes) and x/gov
	// (deposits) keep no total of their own, so their burns go through a bank keeper that records
	// them in the x/emission store.
	emissionBurns := emissionkeeper.NewBurnRecorder(cdc, runtime.NewKVStoreService(k.keys[emissiontypes.StoreKey]))
	k.StakingKeeper = stakingkeeper.NewKeeper(
		cdc, runtime.NewKVStoreService(k.keys[stakingtypes.StoreKey]), k.AccountKeeper,
		emissionBurns.BankKeeper(k.BankKeeper, emissiontypes.BurnSourceValidatorSlashes),
		authority, valCodec, consCodec,
	)
	k.DistrKeeper = distrkeeper.NewKeeper(
		cdc, runtime.NewKVStoreService(k.keys[distrtypes.StoreKey]), k.AccountKeeper, k.BankKeeper,
		k.StakingKeeper, authtypes.FeeCollectorName, authority,
	)
	k.SlashingKeeper = slashingkeeper.NewKeeper(
		cdc, cfg.LegacyAmino, runtime.NewKVStoreService(k.keys[slashingtypes.StoreKey]), k.StakingKeeper, authority,
	)
	k.FeeGrantKeeper = feegrantkeeper.NewKeeper(cdc, runtime.NewKVStoreService(k.keys[feegrant.StoreKey]), k.AccountKeeper)

	// Distribution and slashing follow validator set changes through the staking hooks.
	k.StakingKeeper.SetHooks(stakingtypes.NewMultiStakingHooks(k.DistrKeeper.Hooks(), k.SlashingKeeper.Hooks()))

	k.AuthzKeeper = authzkeeper.NewKeeper(
		runtime.NewKVStoreService(k.keys[authzkeeper.StoreKey]), cdc, bApp.MsgServiceRouter(), k.AccountKeeper,
	)
	k.UpgradeKeeper = upgradekeeper.NewKeeper(
		cfg.SkipUpgradeHeights, runtime.NewKVStoreService(k.keys[upgradetypes.StoreKey]), cdc, cfg.HomePath, bApp, authority,
	)

	govConfig := govtypes.DefaultConfig()
	k.GovKeeper = govkeeper.NewKeeper(
		cdc, runtime.NewKVStoreService(k.keys[govtypes.StoreKey]), k.AccountKeeper,
		emissionBurns.BankKeeper(k.BankKeeper, emissiontypes.BurnSourceGovernanceDeposits),
		k.StakingKeeper, k.DistrKeeper, bApp.MsgServiceRouter(), govConfig, authority,
	)
	// Legacy content (MsgExecLegacyContent, `submit-legacy-proposal --type Text`) is routed here;
	// without a router x/gov dereferences nil when such a proposal is submitted.
	legacyRouter := govv1beta1.NewRouter()
	legacyRouter.AddRoute(govtypes.RouterKey, govv1beta1.ProposalHandler)
	k.GovKeeper.SetLegacyRouter(legacyRouter)

	evidenceKeeper := evidencekeeper.NewKeeper(
		cdc, runtime.NewKVStoreService(k.keys[evidencetypes.StoreKey]), k.StakingKeeper, k.SlashingKeeper,
		accCodec, runtime.ProvideCometInfoService(),
	)
	k.EvidenceKeeper = *evidenceKeeper

	k.EmissionKeeper = emissionkeeper.NewKeeper(
		cdc, runtime.NewKVStoreService(k.keys[emissiontypes.StoreKey]), k.AccountKeeper, k.BankKeeper,
		k.DistrKeeper, k.StakingKeeper, authtypes.FeeCollectorName, GrantFunds, authority,
	)
	k.BridgeKeeper = bridgekeeper.NewKeeper(
		cdc, runtime.NewKVStoreService(k.keys[bridgetypes.StoreKey]), k.AccountKeeper, k.BankKeeper, authority,
	)
	k.MarketplaceKeeper = marketplacekeeper.NewKeeper(
		cdc, runtime.NewKVStoreService(k.keys[marketplacetypes.StoreKey]), k.AccountKeeper, k.BankKeeper, authority,
		// A pending proposal that slashes a listing freezes its collateral (the gov hooks below).
		marketplacekeeper.WithGovProposals(k.GovKeeper.Proposals),
		// Governance burns a slash or gives it to a grant fund.
		marketplacekeeper.WithGovSlashDestinations(GrantFunds.Model, GrantFunds.Agent),
	)
	k.AccessKeeper = accesskeeper.NewKeeper(
		cdc, runtime.NewKVStoreService(k.keys[accesstypes.StoreKey]), k.AccountKeeper, k.MarketplaceKeeper,
		k.StakingKeeper, authority,
	)
	k.CurationKeeper = curationkeeper.NewKeeper(
		cdc, runtime.NewKVStoreService(k.keys[curationtypes.StoreKey]), k.AccountKeeper, k.BankKeeper,
		k.MarketplaceKeeper, GrantFunds, authority,
	)
	k.GrantsKeeper = grantskeeper.NewKeeper(
		cdc, runtime.NewKVStoreService(k.keys[grantstypes.StoreKey]), k.AccountKeeper, k.BankKeeper,
		k.MarketplaceKeeper, k.CurationKeeper, GrantFunds, authority,
	)
	// Governance proposals containing MsgSlashListing hold the listing's collateral while pending.
	// A single hook is installed as is: govtypes.MultiGovHooks joins errors (errors.Join), which
	// hides the registered error code of a refused submission (e.g. an unknown listing).
	k.GovKeeper.SetHooks(k.MarketplaceKeeper.GovHooks())
	// x/grants pays the epoch rewards of a completed curation epoch: its EndBlocker (after
	// curation's) collects the results from the curation keeper, which never calls x/grants.
	// A listing transfer resets the operators and the allowlist the previous owner set (x/access).
	k.MarketplaceKeeper.SetHooks(marketplacetypes.NewMultiMarketplaceHooks(k.AccessKeeper.Hooks()))
	// x/emission's supply summary adds x/marketplace's burns (registration fees, slashes).
	k.EmissionKeeper = k.EmissionKeeper.SetMarketplaceKeeper(k.MarketplaceKeeper)

	return k
}
