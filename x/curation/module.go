// Package curation is the curator module: bonded curators score marketplace listings in
// commit-reveal epochs (bond-weighted median, EMA curation scores, reputation) and judge
// flags that suspend and slash listings.
package curation

import (
	"context"
	"encoding/json"
	"fmt"

	gwruntime "github.com/grpc-ecosystem/grpc-gateway/runtime"
	"github.com/spf13/cobra"

	"cosmossdk.io/core/appmodule"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"

	"github.com/balanceai/balanceai/internal/simutil"
	"github.com/balanceai/balanceai/x/curation/client/cli"
	"github.com/balanceai/balanceai/x/curation/keeper"
	"github.com/balanceai/balanceai/x/curation/simulation"
	"github.com/balanceai/balanceai/x/curation/types"
)

// ConsensusVersion is the curation module's consensus version.
const ConsensusVersion = 1

var (
	_ module.AppModuleBasic      = AppModule{}
	_ module.HasGenesis          = AppModule{}
	_ module.HasServices         = AppModule{}
	_ module.HasConsensusVersion = AppModule{}
	_ module.AppModuleSimulation = AppModule{}
	_ module.HasInvariants       = AppModule{}

	_ appmodule.AppModule       = AppModule{}
	_ appmodule.HasBeginBlocker = AppModule{}
	_ appmodule.HasEndBlocker   = AppModule{}
)

// AppModule is the curation module.
type AppModule struct {
	keeper keeper.Keeper
	// listings reads marketplace listings for the simulated Msgs (WithSimulationListings).
	listings simutil.ListingSource
}

// NewAppModule builds the curation module.
func NewAppModule(k keeper.Keeper) AppModule {
	return AppModule{keeper: k}
}

// IsAppModule implements appmodule.AppModule.
func (AppModule) IsAppModule() {}

// IsOnePerModuleType implements depinject.OnePerModuleType.
func (AppModule) IsOnePerModuleType() {}

// Name returns the module name.
func (AppModule) Name() string { return types.ModuleName }

// RegisterLegacyAminoCodec registers the amino names.
func (AppModule) RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	types.RegisterLegacyAminoCodec(cdc)
}

// RegisterInterfaces registers the Msgs.
func (AppModule) RegisterInterfaces(ir codectypes.InterfaceRegistry) {
	types.RegisterInterfaces(ir)
}

// RegisterGRPCGatewayRoutes registers the REST routes under /balanceai/curation/v1/.
func (AppModule) RegisterGRPCGatewayRoutes(clientCtx client.Context, mux *gwruntime.ServeMux) {
	if err := types.RegisterQueryHandlerClient(context.Background(), mux, types.NewQueryClient(clientCtx)); err != nil {
		panic(err)
	}
}

// GetTxCmd returns the custom commit-scores and reveal-scores commands; autocli adds the others.
func (AppModule) GetTxCmd() *cobra.Command {
	return cli.GetTxCmd()
}

// RegisterServices registers the Msg and Query services.
func (am AppModule) RegisterServices(cfg module.Configurator) {
	types.RegisterMsgServer(cfg.MsgServer(), keeper.NewMsgServerImpl(am.keeper))
	types.RegisterQueryServer(cfg.QueryServer(), keeper.NewQueryServerImpl(am.keeper))
}

// RegisterInvariants registers the accounting invariant.
func (am AppModule) RegisterInvariants(ir sdk.InvariantRegistry) {
	keeper.RegisterInvariants(ir, am.keeper)
}

// DefaultGenesis returns the default genesis.
func (AppModule) DefaultGenesis(cdc codec.JSONCodec) json.RawMessage {
	return cdc.MustMarshalJSON(types.DefaultGenesisState())
}

// ValidateGenesis validates a genesis.
func (AppModule) ValidateGenesis(cdc codec.JSONCodec, _ client.TxEncodingConfig, bz json.RawMessage) error {
	var gs types.GenesisState
	if err := cdc.UnmarshalJSON(bz, &gs); err != nil {
		return fmt.Errorf("failed to unmarshal %s genesis state: %w", types.ModuleName, err)
	}
	return gs.Validate()
}

// InitGenesis loads the genesis.
func (am AppModule) InitGenesis(ctx sdk.Context, cdc codec.JSONCodec, bz json.RawMessage) {
	var gs types.GenesisState
	cdc.MustUnmarshalJSON(bz, &gs)
	if err := am.keeper.InitGenesis(ctx, &gs); err != nil {
		panic(fmt.Errorf("failed to init %s genesis: %w", types.ModuleName, err))
	}
}

// ExportGenesis exports the state.
func (am AppModule) ExportGenesis(ctx sdk.Context, cdc codec.JSONCodec) json.RawMessage {
	gs, err := am.keeper.ExportGenesis(ctx)
	if err != nil {
		panic(fmt.Errorf("failed to export %s genesis: %w", types.ModuleName, err))
	}
	return cdc.MustMarshalJSON(gs)
}

// ConsensusVersion implements module.HasConsensusVersion.
func (AppModule) ConsensusVersion() uint64 { return ConsensusVersion }

// BeginBlock starts or rolls the scoring epoch.
func (am AppModule) BeginBlock(ctx context.Context) error {
	return am.keeper.BeginBlocker(ctx)
}

// EndBlock pays out unbondings, tallies flags and finalises ended epochs (bounded).
func (am AppModule) EndBlock(ctx context.Context) error {
	return am.keeper.EndBlocker(ctx)
}

// WithSimulationListings returns the module with the marketplace listings its simulated Msgs
// refer to (the app's simulation manager sets it).
func (am AppModule) WithSimulationListings(listings simutil.ListingSource) AppModule {
	am.listings = listings
	return am
}

// GenerateGenesisState writes a randomized x/curation genesis (simulation).
func (AppModule) GenerateGenesisState(simState *module.SimulationState) {
	simulation.RandomizedGenState(simState)
}

// RegisterStoreDecoder decodes every collection of the x/curation store (simulation).
func (am AppModule) RegisterStoreDecoder(sdr simtypes.StoreDecoderRegistry) {
	sdr[types.StoreKey] = simtypes.NewStoreDecoderFuncFromCollectionsSchema(am.keeper.Schema)
}

// WeightedOperations is unused: WeightedOperationsX registers the simulated Msgs.
func (AppModule) WeightedOperations(module.SimulationState) []simtypes.WeightedOperation {
	return nil
}

// ProposalMsgsX registers the governance proposal Msgs of x/curation (simulation).
func (am AppModule) ProposalMsgsX(weights simsx.WeightSource, reg simsx.Registry) {
	reg.Add(weights.Get("curation_msg_update_params", simulation.WeightMsgUpdateParams), simulation.MsgUpdateParamsFactory())
}

// WeightedOperationsX registers the simulated x/curation Msgs, valid and deliberately invalid.
func (am AppModule) WeightedOperationsX(weights simsx.WeightSource, reg simsx.Registry) {
	if am.listings == nil {
		return
	}
	k, l := am.keeper, am.listings
	reg.Add(weights.Get("curation_msg_bond_curator", simulation.WeightMsgBondCurator), simulation.MsgBondCuratorFactory(k))
	reg.Add(weights.Get("curation_msg_unbond_curator", simulation.WeightMsgUnbondCurator), simulation.MsgUnbondCuratorFactory(k))
	reg.Add(weights.Get("curation_msg_commit_scores", simulation.WeightMsgCommitScores), simulation.MsgCommitScoresFactory(k, l))
	reg.Add(weights.Get("curation_msg_flag_listing", simulation.WeightMsgFlagListing), simulation.MsgFlagListingFactory(k, l))
	reg.Add(weights.Get("curation_msg_vote_flag", simulation.WeightMsgVoteFlag), simulation.MsgVoteFlagFactory(k, l))
	reg.Add(weights.Get("curation_msg_commit_scores_not_curator", simulation.WeightInvalid), simulation.MsgCommitScoresNotCuratorFactory(k))
	reg.Add(weights.Get("curation_msg_unbond_curator_too_much", simulation.WeightInvalid), simulation.MsgUnbondCuratorTooMuchFactory(k))
}
