package fakes_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/balanceai/balanceai/testutil/fakes"
	accesstypes "github.com/balanceai/balanceai/x/access/types"
	bridgetypes "github.com/balanceai/balanceai/x/bridge/types"
	curationtypes "github.com/balanceai/balanceai/x/curation/types"
	emissiontypes "github.com/balanceai/balanceai/x/emission/types"
	grantstypes "github.com/balanceai/balanceai/x/grants/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// The fakes satisfy every expected keeper of every BalanceAI module.
var (
	_ accesstypes.AccountKeeper     = (*fakes.AccountKeeper)(nil)
	_ accesstypes.MarketplaceKeeper = (*fakes.Marketplace)(nil)
	_ accesstypes.StakingKeeper     = (*fakes.Staking)(nil)

	_ bridgetypes.AccountKeeper = (*fakes.AccountKeeper)(nil)
	_ bridgetypes.BankKeeper    = (*fakes.Bank)(nil)

	_ curationtypes.AccountKeeper     = (*fakes.AccountKeeper)(nil)
	_ curationtypes.BankKeeper        = (*fakes.Bank)(nil)
	_ curationtypes.MarketplaceKeeper = (*fakes.Marketplace)(nil)

	_ emissiontypes.AccountKeeper      = (*fakes.AccountKeeper)(nil)
	_ emissiontypes.BankKeeper         = (*fakes.Bank)(nil)
	_ emissiontypes.DistributionKeeper = (*fakes.Distribution)(nil)
	_ emissiontypes.StakingKeeper      = (*fakes.Staking)(nil)
	_ emissiontypes.MarketplaceKeeper  = (*fakes.Marketplace)(nil)

	_ grantstypes.AccountKeeper     = (*fakes.AccountKeeper)(nil)
	_ grantstypes.BankKeeper        = (*fakes.Bank)(nil)
	_ grantstypes.MarketplaceKeeper = (*fakes.Marketplace)(nil)
	_ grantstypes.CurationKeeper    = (*fakes.Curation)(nil)

	_ marketplacetypes.AccountKeeper = (*fakes.AccountKeeper)(nil)
	_ marketplacetypes.BankKeeper    = (*fakes.Bank)(nil)
	_ marketplacetypes.GovProposals  = (*fakes.Gov)(nil)
)

func coins(n int64) sdk.Coins { return sdk.NewCoins(sdk.NewInt64Coin("ubai", n)) }

func TestBankMovesCoinsLikeXBank(t *testing.T) {
	ctx := context.Background()
	ak := fakes.NewAccountKeeper("pool", "burner")
	b := fakes.NewBank().WithAccounts(ak).WithBurners("burner").WithMinters("pool")
	alice, bob := sdk.AccAddress("alice_______________"), sdk.AccAddress("bob_________________")
	b.Fund(alice, coins(100))
	require.Equal(t, "100", b.Supply.AmountOf("ubai").String())

	require.NoError(t, b.SendCoinsFromAccountToModule(ctx, alice, "pool", coins(60)))
	before := b.Snapshot()
	err := b.SendCoinsFromAccountToModule(ctx, alice, "pool", coins(41))
	require.ErrorIs(t, err, sdkerrors.ErrInsufficientFunds)
	require.Equal(t, before, b.Snapshot(), "a refused send moves nothing")

	b.Block(bob)
	require.ErrorIs(t, b.SendCoinsFromModuleToAccount(ctx, "pool", bob, coins(1)), sdkerrors.ErrUnauthorized)
	require.True(t, b.BlockedAddr(bob))
	require.Panics(t, func() { _ = b.SendCoinsFromModuleToModule(ctx, "pool", "unknown", coins(1)) })

	require.NoError(t, b.SendCoinsFromModuleToModule(ctx, "pool", "burner", coins(10)))
	require.ErrorIs(t, b.BurnCoins(ctx, "pool", coins(1)), sdkerrors.ErrUnauthorized)
	require.NoError(t, b.BurnCoins(ctx, "burner", coins(10)))
	require.ErrorIs(t, b.MintCoins(ctx, "burner", coins(1)), sdkerrors.ErrUnauthorized)
	require.NoError(t, b.MintCoins(ctx, "pool", coins(5)))
	require.Equal(t, math.NewInt(55), b.ModuleBalance("pool", "ubai"))
	require.Equal(t, math.NewInt(95), b.GetSupply(ctx, "ubai").Amount)
	require.Equal(t, b.Supply.AmountOf("ubai"), b.Total("ubai"), "coins only move, mint and burn")
}

func TestAccountKeeperKnowsItsModules(t *testing.T) {
	ak := fakes.NewAccountKeeper("grants")
	require.Equal(t, authtypes.NewModuleAddress("grants"), ak.GetModuleAddress("grants"))
	require.Nil(t, ak.GetModuleAddress("other"))
	require.Equal(t, authtypes.NewModuleAddress("other"), fakes.NewAccountKeeper().GetModuleAddress("other"))
	s, err := ak.AddressCodec().BytesToString(authtypes.NewModuleAddress("grants"))
	require.NoError(t, err)
	require.Equal(t, "bai", s[:3])
}

func TestCurationBondHistory(t *testing.T) {
	ctx := context.Background()
	c := fakes.NewCuration()
	cur := sdk.AccAddress("curator_____________")
	c.SetBond(cur, 10, math.NewInt(100))
	c.SetBond(cur, 12, math.NewInt(30))
	at := func(h int64) int64 { v, err := c.BondAt(ctx, cur, h); require.NoError(t, err); return v.Int64() }
	require.Equal(t, int64(0), at(10), "a bond counts from the end of its block")
	require.Equal(t, int64(100), at(11))
	require.Equal(t, int64(30), at(13))
	w, err := c.VotingWeight(ctx, cur, 11)
	require.NoError(t, err)
	require.Equal(t, int64(30), w.Int64(), "min(bond then, bond now)")
	total, err := c.TotalBondedAt(ctx, 12)
	require.NoError(t, err)
	require.Equal(t, int64(100), total.Int64())
}

func TestMarketplaceHoldsAndMissingListings(t *testing.T) {
	ctx := context.Background()
	m := fakes.NewMarketplace(nil)
	_, err := m.GetListing(ctx, 7)
	require.ErrorIs(t, err, marketplacetypes.ErrListingNotFound)
	m.Listings[7] = marketplacetypes.Listing{Id: 7, Collateral: sdk.NewInt64Coin("ubai", 9)}
	c, err := m.Hold(ctx, 7)
	require.NoError(t, err)
	require.Equal(t, int64(9), c.Amount.Int64())
	require.NoError(t, m.Release(ctx, 7))
	require.Error(t, m.Release(ctx, 7), "no hold left")

	g := fakes.NewGov()
	_, err = g.Get(ctx, 1)
	require.ErrorIs(t, err, collections.ErrNotFound)
}
