// Package marketplace is the BalanceAI registry of AI models and agents with slashable
// collateral (docs/spec/marketplace.md).
package marketplace

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

	"github.com/balanceai/balanceai/x/marketplace/client/cli"
	"github.com/balanceai/balanceai/x/marketplace/keeper"
	"github.com/balanceai/balanceai/x/marketplace/simulation"
	"github.com/balanceai/balanceai/x/marketplace/types"
)

// ConsensusVersion is the consensus version of the marketplace module.
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

// AppModule is the marketplace module.
type AppModule struct {
	cdc    codec.Codec
	keeper keeper.Keeper
}

// NewAppModule returns the marketplace module.
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

// RegisterGRPCGatewayRoutes registers the REST routes under /balanceai/marketplace/v1.
func (AppModule) RegisterGRPCGatewayRoutes(clientCtx client.Context, mux *gwruntime.ServeMux) {
	if err := types.RegisterQueryHandlerClient(context.Background(), mux, types.NewQueryClient(clientCtx)); err != nil {
		panic(err)
	}
}

// GetTxCmd returns the custom register commands; autocli adds the others.
func (AppModule) GetTxCmd() *cobra.Command {
	return cli.GetTxCmd()
}

// RegisterServices registers the Msg and Query services.
func (am AppModule) RegisterServices(cfg module.Configurator) {
	types.RegisterMsgServer(cfg.MsgServer(), keeper.NewMsgServerImpl(am.keeper))
	types.RegisterQueryServer(cfg.QueryServer(), keeper.NewQueryServerImpl(am.keeper))
}

// RegisterInvariants registers the collateral and holds invariants.
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

// EndBlock returns due collateral from the unlock queue (bounded per block).
func (am AppModule) EndBlock(ctx context.Context) error {
	return am.keeper.EndBlocker(ctx)
}

// GenerateGenesisState writes a randomized x/marketplace genesis (simulation).
func (AppModule) GenerateGenesisState(simState *module.SimulationState) {
	simulation.RandomizedGenState(simState)
}

// RegisterStoreDecoder decodes every collection of the x/marketplace store (simulation).
func (am AppModule) RegisterStoreDecoder(sdr simtypes.StoreDecoderRegistry) {
	sdr[types.StoreKey] = simtypes.NewStoreDecoderFuncFromCollectionsSchema(am.keeper.Schema)
}

// WeightedOperations is unused: WeightedOperationsX registers the simulated Msgs.
func (AppModule) WeightedOperations(module.SimulationState) []simtypes.WeightedOperation {
	return nil
}

// ProposalMsgsX registers the governance proposal Msgs of x/marketplace (simulation).
func (am AppModule) ProposalMsgsX(weights simsx.WeightSource, reg simsx.Registry) {
	reg.Add(weights.Get("marketplace_msg_update_params", simulation.WeightMsgUpdateParams), simulation.MsgUpdateParamsFactory())
	reg.Add(weights.Get("marketplace_msg_slash_listing", simulation.WeightMsgSlashListing), simulation.MsgSlashListingFactory(am.keeper))
}

// WeightedOperationsX registers the simulated x/marketplace Msgs, valid and deliberately invalid.
func (am AppModule) WeightedOperationsX(weights simsx.WeightSource, reg simsx.Registry) {
	k := am.keeper
	reg.Add(weights.Get("marketplace_msg_register_listing", simulation.WeightMsgRegisterListing), simulation.MsgRegisterListingFactory(k))
	reg.Add(weights.Get("marketplace_msg_update_listing", simulation.WeightMsgUpdateListing), simulation.MsgUpdateListingFactory(k))
	reg.Add(weights.Get("marketplace_msg_deposit_collateral", simulation.WeightMsgDepositCollateral), simulation.MsgDepositCollateralFactory(k))
	reg.Add(weights.Get("marketplace_msg_withdraw_collateral", simulation.WeightMsgWithdrawCollateral), simulation.MsgWithdrawCollateralFactory(k))
	reg.Add(weights.Get("marketplace_msg_pause_listing", simulation.WeightMsgPauseListing), simulation.MsgPauseListingFactory(k))
	reg.Add(weights.Get("marketplace_msg_resume_listing", simulation.WeightMsgResumeListing), simulation.MsgResumeListingFactory(k))
	reg.Add(weights.Get("marketplace_msg_retire_listing", simulation.WeightMsgRetireListing), simulation.MsgRetireListingFactory(k))
	reg.Add(weights.Get("marketplace_msg_transfer_listing", simulation.WeightMsgTransferListing), simulation.MsgTransferListingFactory(k))
	reg.Add(weights.Get("marketplace_msg_register_listing_below_minimum", simulation.WeightInvalid), simulation.MsgRegisterListingBelowMinimumFactory(k))
	reg.Add(weights.Get("marketplace_msg_withdraw_collateral_not_owner", simulation.WeightInvalid), simulation.MsgWithdrawCollateralNotOwnerFactory(k))
	reg.Add(weights.Get("marketplace_msg_slash_listing_not_authority", simulation.WeightInvalid), simulation.MsgSlashListingNotAuthorityFactory(k))
}
