// Package bridge is the BAI ⇄ wBAI (Ethereum) lock/release bridge module.
package bridge

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

	"github.com/balanceai/balanceai/internal/modcli"
	"github.com/balanceai/balanceai/x/bridge/keeper"
	"github.com/balanceai/balanceai/x/bridge/simulation"
	"github.com/balanceai/balanceai/x/bridge/types"
)

// ConsensusVersion is the bridge module's consensus version.
const ConsensusVersion = 1

var (
	_ module.AppModuleBasic      = AppModule{}
	_ module.HasGenesis          = AppModule{}
	_ module.HasServices         = AppModule{}
	_ module.HasConsensusVersion = AppModule{}
	_ module.AppModuleSimulation = AppModule{}
	_ module.HasInvariants       = AppModule{}

	_ appmodule.AppModule     = AppModule{}
	_ appmodule.HasEndBlocker = AppModule{}
)

// AppModule is the bridge module.
type AppModule struct {
	keeper keeper.Keeper
}

// NewAppModule builds the bridge module.
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

// RegisterGRPCGatewayRoutes registers the REST routes under /balanceai/bridge/v1/.
func (AppModule) RegisterGRPCGatewayRoutes(clientCtx client.Context, mux *gwruntime.ServeMux) {
	if err := types.RegisterQueryHandlerClient(context.Background(), mux, types.NewQueryClient(clientCtx)); err != nil {
		panic(err)
	}
}

// GetTxCmd returns the tx root command with update-params-proposal; autocli adds the other Msg
// commands.
func (AppModule) GetTxCmd() *cobra.Command {
	return modcli.TxRootCmd(types.ModuleName, "Bridge transactions: BAI to and from wBAI on Ethereum",
		modcli.UpdateParamsProposalCmd(types.ModuleName, func(authority string, p types.Params) sdk.Msg {
			return &types.MsgUpdateParams{Authority: authority, Params: p}
		}))
}

// RegisterServices registers the Msg and Query services.
func (am AppModule) RegisterServices(cfg module.Configurator) {
	types.RegisterMsgServer(cfg.MsgServer(), keeper.NewMsgServerImpl(am.keeper))
	types.RegisterQueryServer(cfg.QueryServer(), keeper.NewQueryServerImpl(am.keeper))
}

// RegisterInvariants registers the accounting and executed-events invariants.
func (am AppModule) RegisterInvariants(ir sdk.InvariantRegistry) {
	keeper.RegisterInvariants(ir, am.keeper)
}

// DefaultGenesis returns the default genesis (disabled bridge).
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

// EndBlock retries failed claims (bounded) and prunes old day counters.
func (am AppModule) EndBlock(ctx context.Context) error {
	return am.keeper.EndBlocker(ctx)
}

// GenerateGenesisState writes a randomized x/bridge genesis (simulation).
func (AppModule) GenerateGenesisState(simState *module.SimulationState) {
	simulation.RandomizedGenState(simState)
}

// RegisterStoreDecoder decodes every collection of the x/bridge store (simulation).
func (am AppModule) RegisterStoreDecoder(sdr simtypes.StoreDecoderRegistry) {
	sdr[types.StoreKey] = simtypes.NewStoreDecoderFuncFromCollectionsSchema(am.keeper.Schema)
}

// WeightedOperations is unused: WeightedOperationsX registers the simulated Msgs.
func (AppModule) WeightedOperations(module.SimulationState) []simtypes.WeightedOperation {
	return nil
}

// ProposalMsgsX registers the governance proposal Msgs of x/bridge (simulation).
func (am AppModule) ProposalMsgsX(weights simsx.WeightSource, reg simsx.Registry) {
	reg.Add(weights.Get("bridge_msg_update_params", simulation.WeightMsgUpdateParams), simulation.MsgUpdateParamsFactory())
	reg.Add(weights.Get("bridge_msg_unpause", simulation.WeightMsgUnpause), simulation.MsgUnpauseFactory())
}

// WeightedOperationsX registers the simulated x/bridge Msgs, valid and deliberately invalid.
func (am AppModule) WeightedOperationsX(weights simsx.WeightSource, reg simsx.Registry) {
	k := am.keeper
	reg.Add(weights.Get("bridge_msg_lock", simulation.WeightMsgLock), simulation.MsgLockFactory(k))
	reg.Add(weights.Get("bridge_msg_attest_outbound", simulation.WeightMsgAttestOutbound), simulation.MsgAttestOutboundFactory(k))
	reg.Add(weights.Get("bridge_msg_attest_inbound", simulation.WeightMsgAttestInbound), simulation.MsgAttestInboundFactory(k))
	reg.Add(weights.Get("bridge_msg_set_paused", simulation.WeightMsgSetPaused), simulation.MsgSetPausedFactory(k))
	reg.Add(weights.Get("bridge_msg_lock_below_minimum", simulation.WeightInvalid), simulation.MsgLockBelowMinimumFactory(k))
	reg.Add(weights.Get("bridge_msg_attest_outbound_not_attester", simulation.WeightInvalid), simulation.MsgAttestOutboundNotAttesterFactory(k))
	reg.Add(weights.Get("bridge_msg_unpause_not_authority", simulation.WeightInvalid), simulation.MsgUnpauseNotAuthorityFactory())
}
