// Package grants is the BalanceAI Grant Programme (docs/spec/grants.md): score-based epoch rewards
// from the models and agents funds, and curator-voted grants paid milestone by milestone.
package grants

import (
	"context"
	"encoding/json"
	"fmt"

	"cosmossdk.io/core/appmodule"
	gwruntime "github.com/grpc-ecosystem/grpc-gateway/runtime"
	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"

	"github.com/balanceai/balanceai/internal/modcli"
	"github.com/balanceai/balanceai/internal/simutil"
	"github.com/balanceai/balanceai/x/grants/keeper"
	"github.com/balanceai/balanceai/x/grants/simulation"
	"github.com/balanceai/balanceai/x/grants/types"
)

// ConsensusVersion is the consensus version of the grants module.
const ConsensusVersion = 1

var (
	_ module.AppModuleBasic      = AppModule{}
	_ module.HasGenesis          = AppModule{}
	_ module.HasServices         = AppModule{}
	_ module.HasConsensusVersion = AppModule{}
	_ module.AppModuleSimulation = AppModule{}
	_ module.HasInvariants       = AppModule{} //nolint:staticcheck // app.CheckInvariants runs them after every block of test chains and simulations; baid q invariants on demand

	_ appmodule.AppModule     = AppModule{}
	_ appmodule.HasEndBlocker = AppModule{}
)

// AppModule is the grants module.
type AppModule struct {
	cdc    codec.Codec
	keeper keeper.Keeper
	// listings and curators are read by the simulated Msgs (WithSimulationListings).
	listings simutil.ListingSource
	curators simulation.Curators
}

// NewAppModule returns the grants module.
func NewAppModule(cdc codec.Codec, k keeper.Keeper) AppModule {
	return AppModule{cdc: cdc, keeper: k}
}

// IsAppModule implements appmodule.AppModule.
func (AppModule) IsAppModule() {}

// IsOnePerModuleType implements depinject.OnePerModuleType.
func (AppModule) IsOnePerModuleType() {}

// Name returns the module name.
func (AppModule) Name() string { return types.ModuleName }

// RegisterLegacyAminoCodec registers the amino names of the Msgs.
func (AppModule) RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	types.RegisterLegacyAminoCodec(cdc)
}

// RegisterInterfaces registers the Msgs.
func (AppModule) RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	types.RegisterInterfaces(registry)
}

// RegisterGRPCGatewayRoutes registers the REST routes under /balanceai/grants/v1.
func (AppModule) RegisterGRPCGatewayRoutes(clientCtx client.Context, mux *gwruntime.ServeMux) {
	if err := types.RegisterQueryHandlerClient(context.Background(), mux, types.NewQueryClient(clientCtx)); err != nil {
		panic(err)
	}
}

// GetTxCmd returns the tx root command with update-params-proposal; autocli adds the other Msg
// commands.
func (AppModule) GetTxCmd() *cobra.Command {
	return modcli.TxRootCmd(types.ModuleName, "Grant Programme transactions: grants, milestones, votes and rewards",
		modcli.UpdateParamsProposalCmd(types.ModuleName, func(authority string, p types.Params) sdk.Msg {
			return &types.MsgUpdateParams{Authority: authority, Params: p}
		}))
}

// RegisterServices registers the Msg and Query services.
func (am AppModule) RegisterServices(cfg module.Configurator) {
	types.RegisterMsgServer(cfg.MsgServer(), keeper.NewMsgServerImpl(am.keeper))
	types.RegisterQueryServer(cfg.QueryServer(), keeper.NewQueryServerImpl(am.keeper))
}

// RegisterInvariants registers the fund, rewards and payments invariants.
func (am AppModule) RegisterInvariants(ir sdk.InvariantRegistry) {
	keeper.RegisterInvariants(ir, am.keeper)
}

// DefaultGenesis returns the default genesis as JSON.
func (AppModule) DefaultGenesis(cdc codec.JSONCodec) json.RawMessage {
	return cdc.MustMarshalJSON(types.DefaultGenesisState())
}

// ValidateGenesis validates a genesis JSON.
func (AppModule) ValidateGenesis(cdc codec.JSONCodec, _ client.TxEncodingConfig, bz json.RawMessage) error {
	var gs types.GenesisState
	if err := cdc.UnmarshalJSON(bz, &gs); err != nil {
		return fmt.Errorf("failed to unmarshal %s genesis state: %w", types.ModuleName, err)
	}
	return gs.Validate()
}

// InitGenesis imports the genesis.
func (am AppModule) InitGenesis(ctx sdk.Context, cdc codec.JSONCodec, bz json.RawMessage) {
	var gs types.GenesisState
	cdc.MustUnmarshalJSON(bz, &gs)
	if err := am.keeper.InitGenesis(ctx, &gs); err != nil {
		panic(fmt.Errorf("failed to init %s genesis: %w", types.ModuleName, err))
	}
}

// ExportGenesis exports the genesis.
func (am AppModule) ExportGenesis(ctx sdk.Context, cdc codec.JSONCodec) json.RawMessage {
	gs, err := am.keeper.ExportGenesis(ctx)
	if err != nil {
		panic(fmt.Errorf("failed to export %s genesis: %w", types.ModuleName, err))
	}
	return cdc.MustMarshalJSON(gs)
}

// ConsensusVersion implements module.HasConsensusVersion.
func (AppModule) ConsensusVersion() uint64 { return ConsensusVersion }

// EndBlock tallies grants whose voting ended and expires overdue milestone reviews (bounded per block).
func (am AppModule) EndBlock(ctx context.Context) error {
	return am.keeper.EndBlocker(ctx)
}

// WithSimulationListings returns the module with the marketplace listings its simulated Msgs
// refer to and the curator bonds that weigh their votes (the app's simulation manager sets
// them).
func (am AppModule) WithSimulationListings(listings simutil.ListingSource, curators simulation.Curators) AppModule {
	am.listings, am.curators = listings, curators
	return am
}

// GenerateGenesisState writes a randomized x/grants genesis (simulation).
func (AppModule) GenerateGenesisState(simState *module.SimulationState) {
	simulation.RandomizedGenState(simState)
}

// RegisterStoreDecoder decodes every collection of the x/grants store (simulation).
func (am AppModule) RegisterStoreDecoder(sdr simtypes.StoreDecoderRegistry) {
	sdr[types.StoreKey] = simtypes.NewStoreDecoderFuncFromCollectionsSchema(am.keeper.Schema)
}

// WeightedOperations is unused: WeightedOperationsX registers the simulated Msgs.
func (AppModule) WeightedOperations(module.SimulationState) []simtypes.WeightedOperation {
	return nil
}

// ProposalMsgsX registers the governance proposal Msgs of x/grants (simulation).
func (am AppModule) ProposalMsgsX(weights simsx.WeightSource, reg simsx.Registry) {
	reg.Add(weights.Get("grants_msg_update_params", simulation.WeightMsgUpdateParams), simulation.MsgUpdateParamsFactory())
	reg.Add(weights.Get("grants_msg_decide_grant", simulation.WeightMsgDecideGrant), simulation.MsgDecideGrantFactory(am.keeper))
}

// WeightedOperationsX registers the simulated x/grants Msgs, valid and deliberately invalid.
func (am AppModule) WeightedOperationsX(weights simsx.WeightSource, reg simsx.Registry) {
	if am.listings == nil || am.curators == nil {
		return
	}
	k := am.keeper
	reg.Add(weights.Get("grants_msg_submit_grant", simulation.WeightMsgSubmitGrant), simulation.MsgSubmitGrantFactory(k, am.listings))
	reg.Add(weights.Get("grants_msg_vote_grant", simulation.WeightMsgVoteGrant), simulation.MsgVoteGrantFactory(k, am.curators))
	reg.Add(weights.Get("grants_msg_submit_milestone", simulation.WeightMsgSubmitMilestone), simulation.MsgSubmitMilestoneFactory(k))
	reg.Add(weights.Get("grants_msg_review_milestone", simulation.WeightMsgReviewMilestone), simulation.MsgReviewMilestoneFactory(k, am.curators))
	reg.Add(weights.Get("grants_msg_claim_rewards", simulation.WeightMsgClaimRewards), simulation.MsgClaimRewardsFactory(k))
	reg.Add(weights.Get("grants_msg_claim_rewards_none", simulation.WeightInvalid), simulation.MsgClaimRewardsNoneFactory(k))
	reg.Add(weights.Get("grants_msg_decide_grant_not_authority", simulation.WeightInvalid), simulation.MsgDecideGrantNotAuthorityFactory())
}
