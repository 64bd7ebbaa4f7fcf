package keeper_test

import (
	"time"

	"cosmossdk.io/math"
	"strings"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/marketplace/types"
)

// TestGenesisRoundTrip exports a state with listings in every status, imports it into
// a fresh keeper and checks that the whole module store (listings, indexes, tag index,
// unlock queue, sequence, counters, total locked) is byte-for-byte identical, and that
// the imported chain behaves the same (next id, unlocks).
func (s *KeeperSuite) TestGenesisRoundTrip() {
	s.fixture()
	s.register(agentMsg(s.addrs[1], 1, 7))
	gs, err := s.k.ExportGenesis(s.ctx)
	s.Require().NoError(err)
	s.Require().NoError(gs.Validate())
	s.Require().Len(gs.Listings, 8)
	s.Require().Equal(uint64(9), gs.NextListingId)

	ctx2, key2, _, bank2, k2 := newKeeper(s.T())
	ctx2 = ctx2.WithBlockTime(s.ctx.BlockTime())
	// The bank genesis carries the module balance.
	bank2.Balances = s.bank.Balances
	bank2.Supply = s.bank.Supply
	s.Require().NoError(k2.InitGenesis(ctx2, gs))
	s.Require().NoError(k2.CheckCollateral(ctx2))

	before := s.storeDump()
	after := map[string]string{}
	it := ctx2.KVStore(key2).Iterator(nil, nil)
	for ; it.Valid(); it.Next() {
		after[string(it.Key())] = string(it.Value())
	}
	s.Require().NoError(it.Close())
	s.Require().Equal(before, after)

	gs2, err := k2.ExportGenesis(ctx2)
	s.Require().NoError(err)
	s.Require().Equal(gs, gs2)

	// Both chains unlock the same listings and draw the same next id.
	s.advance(types.DefaultUnlockPeriod)
	ctx2 = ctx2.WithBlockTime(s.ctx.BlockTime())
	s.Require().NoError(s.k.EndBlocker(s.ctx))
	s.Require().NoError(k2.EndBlocker(ctx2))
	g1, _ := s.k.ExportGenesis(s.ctx)
	g2, _ := k2.ExportGenesis(ctx2)
	s.Require().Equal(g1, g2)
	l3, err := k2.GetListing(ctx2, 3)
	s.Require().NoError(err)
	s.Require().Equal(types.ListingStatusRetired, l3.Status)

	// An owner spelled in upper case decodes to the same account, but owners are compared as
	// strings: refused, or the owner could never act on its listing.
	gs.Listings[0].Owner = strings.ToUpper(gs.Listings[0].Owner)
	ctx3, _, _, bank3, k3 := newKeeper(s.T())
	bank3.Balances, bank3.Supply = s.bank.Balances, s.bank.Supply
	s.Require().ErrorIs(k3.InitGenesis(ctx3, gs), types.ErrInvalidAddress)
}

func (s *KeeperSuite) TestGenesisValidate() {
	valid := func() *types.GenesisState {
		gs := types.DefaultGenesisState()
		l := types.Listing{
			Id: 1, Kind: types.ListingKindModel, Owner: s.addrs[0], Name: "m", Task: "nlp",
			Endpoint: "https://a.io", MetadataCid: testCIDv0, Version: "1.0.0",
			Collateral: sdk.NewInt64Coin("ubai", 1), Status: types.ListingStatusActive,
			Access: types.AccessPolicy{MinStake: math.ZeroInt(), Mode: types.AccessModePublic},
		}
		a := l
		a.Id, a.Kind, a.Components = 2, types.ListingKindAgent, []uint64{1}
		gs.Listings = []types.Listing{l, a}
		gs.NextListingId = 3
		return gs
	}
	s.Require().NoError(valid().Validate())
	// A status change between registration and the last change is valid.
	inRange := valid()
	inRange.Listings[0].CreatedAt = time.Unix(1_700_000_000, 0).UTC()
	inRange.Listings[0].UpdatedAt = inRange.Listings[0].CreatedAt.Add(time.Hour)
	inRange.Listings[0].StatusChangedAt = inRange.Listings[0].CreatedAt.Add(time.Minute)
	s.Require().NoError(inRange.Validate())
	// With its history: ACTIVE from registration, PAUSED from the change.
	c := inRange.Listings[0].CreatedAt
	withHistory := func() *types.GenesisState {
		gs := valid()
		gs.Listings[0].CreatedAt, gs.Listings[0].UpdatedAt = inRange.Listings[0].CreatedAt, inRange.Listings[0].UpdatedAt
		gs.Listings[0].StatusChangedAt, gs.Listings[0].Status = c.Add(time.Minute), types.ListingStatusPaused
		gs.StatusHistory = []types.StatusPoint{
			{ListingId: 1, At: c, Status: types.ListingStatusActive},
			{ListingId: 1, At: c.Add(time.Minute), Status: types.ListingStatusPaused},
		}
		return gs
	}
	s.Require().NoError(withHistory().Validate())
	for name, mut := range map[string]func(gs *types.GenesisState){
		"history out of order": func(gs *types.GenesisState) {
			h := gs.StatusHistory
			h[0], h[1] = h[1], h[0]
		},
		"history repeated": func(gs *types.GenesisState) { gs.StatusHistory[1] = gs.StatusHistory[0] },
		"history of a missing listing": func(gs *types.GenesisState) {
			gs.StatusHistory = append(gs.StatusHistory, types.StatusPoint{ListingId: 9, At: c, Status: types.ListingStatusActive})
		},
		"history before registration": func(gs *types.GenesisState) { gs.StatusHistory[0].At = c.Add(-time.Second) },
		"history after the last change": func(gs *types.GenesisState) {
			gs.StatusHistory = append(gs.StatusHistory, types.StatusPoint{ListingId: 1, At: c.Add(2 * time.Minute), Status: types.ListingStatusActive})
		},
		"history not the status at the last change": func(gs *types.GenesisState) { gs.StatusHistory[1].Status = types.ListingStatusRetiring },
		"history invalid status":                    func(gs *types.GenesisState) { gs.StatusHistory[0].Status = 0 },
	} {
		gs := withHistory()
		mut(gs)
		s.Require().Error(gs.Validate(), name)
	}
	for name, mut := range map[string]func(gs *types.GenesisState){
		"duplicate id":       func(gs *types.GenesisState) { gs.Listings[1].Id = 1 },
		"id beyond sequence": func(gs *types.GenesisState) { gs.NextListingId = 2 },
		"zero sequence":      func(gs *types.GenesisState) { gs.NextListingId = 0 },
		"forward component": func(gs *types.GenesisState) {
			gs.Listings[0].Kind = types.ListingKindAgent
			gs.Listings[0].Components = []uint64{2}
		},
		"self component":      func(gs *types.GenesisState) { gs.Listings[1].Components = []uint64{2} },
		"retired with coins":  func(gs *types.GenesisState) { gs.Listings[0].Status = types.ListingStatusRetired },
		"retiring no unlock":  func(gs *types.GenesisState) { gs.Listings[0].Status = types.ListingStatusRetiring },
		"bad status":          func(gs *types.GenesisState) { gs.Listings[0].Status = 0 },
		"bad cid":             func(gs *types.GenesisState) { gs.Listings[0].MetadataCid = "x" },
		"other denom":         func(gs *types.GenesisState) { gs.Listings[0].Collateral = sdk.NewInt64Coin("uother", 1) },
		"bad params":          func(gs *types.GenesisState) { gs.Params.MaxUnlocksPerBlock = 0 },
		"no owner":            func(gs *types.GenesisState) { gs.Listings[0].Owner = "" },
		"too many components": func(gs *types.GenesisState) { gs.Params.MaxComponents = 0 },
		"status changed after the last change": func(gs *types.GenesisState) {
			gs.Listings[0].StatusChangedAt = gs.Listings[0].UpdatedAt.Add(time.Second)
		},
		"status changed before registration": func(gs *types.GenesisState) {
			gs.Listings[0].CreatedAt = time.Unix(1_700_000_000, 0).UTC()
			gs.Listings[0].UpdatedAt = gs.Listings[0].CreatedAt.Add(time.Hour)
			gs.Listings[0].StatusChangedAt = gs.Listings[0].CreatedAt.Add(-time.Second)
		},
	} {
		gs := valid()
		mut(gs)
		s.Require().Error(gs.Validate(), name)
	}
}
