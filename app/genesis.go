package app

import (
	"encoding/json"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	"github.com/cosmos/cosmos-sdk/x/bank"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	distr "github.com/cosmos/cosmos-sdk/x/distribution"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	"github.com/cosmos/cosmos-sdk/x/gov"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	"github.com/cosmos/cosmos-sdk/x/staking"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
)

// GenesisState is the app state at genesis: module name to its JSON genesis.
type GenesisState map[string]json.RawMessage

// NewDefaultGenesisState returns the default genesis of every module, BalanceAI's choices
// included (see the module basics below).
func NewDefaultGenesisState(cdc codec.JSONCodec, basics module.BasicManager) GenesisState {
	return GenesisState(basics.DefaultGenesis(cdc))
}

// BAIMetadata is the bank denom metadata of BAI.
func BAIMetadata() banktypes.Metadata {
	return banktypes.Metadata{
		Description: "The native staking and fee token of the BalanceAI chain.",
		DenomUnits: []*banktypes.DenomUnit{
			{Denom: BondDenom, Exponent: 0, Aliases: []string{"microbai"}},
			{Denom: DisplayDenom, Exponent: DenomExponent, Aliases: []string{"BAI"}},
		},
		Base:    BondDenom,
		Display: DisplayDenom,
		Name:    "BalanceAI",
		Symbol:  "BAI",
	}
}

// bankBasic puts the BAI denom metadata in the default bank genesis.
type bankBasic struct{ bank.AppModuleBasic }

// DefaultGenesis implements module.HasGenesisBasics.
func (bankBasic) DefaultGenesis(cdc codec.JSONCodec) json.RawMessage {
	gen := banktypes.DefaultGenesisState()
	gen.DenomMetadata = []banktypes.Metadata{BAIMetadata()}
	return cdc.MustMarshalJSON(gen)
}

// stakingBasic bonds ubai.
type stakingBasic struct{ staking.AppModuleBasic }

// DefaultGenesis implements module.HasGenesisBasics.
func (stakingBasic) DefaultGenesis(cdc codec.JSONCodec) json.RawMessage {
	gen := stakingtypes.DefaultGenesisState()
	gen.Params.BondDenom = BondDenom
	return cdc.MustMarshalJSON(gen)
}

// distrBasic sets no community tax: x/emission funds the development fund (the community pool)
// directly with its 8 % share.
type distrBasic struct{ distr.AppModuleBasic }

// DefaultGenesis implements module.HasGenesisBasics.
func (distrBasic) DefaultGenesis(cdc codec.JSONCodec) json.RawMessage {
	gen := distrtypes.DefaultGenesisState()
	gen.Params.CommunityTax = math.LegacyZeroDec()
	return cdc.MustMarshalJSON(gen)
}

// govBasic asks deposits in ubai: 1,000 BAI, 5,000 BAI for expedited proposals. A proposal must
// come with a quarter of the deposit, and the deposits of proposals that never reach voting, or
// whose vote does not reach quorum, are burned: a pending slash proposal freezes the listing's
// collateral (x/marketplace), so freezing one must cost something, even when nobody votes.
type govBasic struct{ gov.AppModuleBasic }

// DefaultGenesis implements module.HasGenesisBasics.
func (govBasic) DefaultGenesis(cdc codec.JSONCodec) json.RawMessage {
	gen := govv1.DefaultGenesisState()
	gen.Params.MinDeposit = sdk.NewCoins(sdk.NewCoin(BondDenom, math.NewInt(1_000_000_000)))
	gen.Params.ExpeditedMinDeposit = sdk.NewCoins(sdk.NewCoin(BondDenom, math.NewInt(5_000_000_000)))
	gen.Params.MinInitialDepositRatio = math.LegacyNewDecWithPrec(25, 2).String()
	gen.Params.BurnProposalDepositPrevote = true
	gen.Params.BurnVoteQuorum = true
	return cdc.MustMarshalJSON(gen)
}
