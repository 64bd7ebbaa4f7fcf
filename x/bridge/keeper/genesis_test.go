package keeper_test

import (
	"strings"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/bridge/types"
)

// TestGenesisRoundTrip builds every kind of record, exports, imports into a fresh keeper and
// exports again: the two exports are identical and the imported keeper keeps working.
func (s *KeeperSuite) TestGenesisRoundTrip() {
	f := s.f
	s.seedHistory()
	f.lockAndComplete(s.T(), f.users[1], 3_000_000)
	n := f.lock(s.T(), f.users[1], 2_000_000)
	_, err := f.attestOut(f.attesters[0], n, "", false)
	s.Require().NoError(err)
	_, err = f.attestOut(f.attesters[1], n, "", false)
	s.Require().NoError(err) // refunded
	// a second failed claim, queued behind the first
	for _, a := range f.attesters[:2] {
		_, err := f.attestIn(inboundMsg(a, f.users[2], 31, 1, 90_000_000))
		s.Require().NoError(err)
	}
	_, err = f.msg.SetPaused(f.ctx, &types.MsgSetPaused{Signer: f.attesters[0].String(), Paused: true})
	s.Require().NoError(err)

	exported, err := f.k.ExportGenesis(f.ctx)
	s.Require().NoError(err)
	s.Require().NoError(exported.Validate())
	s.Require().True(exported.Paused)
	s.Require().Equal(uint64(4), exported.LastNonce)
	s.Require().Len(exported.FailedClaimQueue, 2)
	s.Require().NotEmpty(exported.DailyOutbound)
	s.Require().NotEmpty(exported.DailyInbound)

	bz := f.cdc.Codec.MustMarshalJSON(exported)
	var decoded types.GenesisState
	f.cdc.Codec.MustUnmarshalJSON(bz, &decoded)

	g := newFixture(s.T())
	s.Require().NoError(g.k.InitGenesis(g.ctx, &decoded))
	again, err := g.k.ExportGenesis(g.ctx)
	s.Require().NoError(err)
	s.Require().Equal(string(bz), string(g.cdc.Codec.MustMarshalJSON(again)))

	// The imported state keeps the nonce sequence and replay protection.
	_, err = g.msg.SetPaused(g.ctx, &types.MsgSetPaused{Signer: g.authority, Paused: false})
	s.Require().NoError(err)
	_, err = g.attestIn(inboundMsg(g.attesters[2], g.users[0], 10, 0, 4_000_000))
	s.Require().ErrorIs(err, types.ErrClaimExecuted)
	res, err := g.msg.Lock(g.ctx, &types.MsgLock{Sender: g.users[0].String(), EthRecipient: ethAddrChecksummed, Amount: ubai(1_000_000)})
	s.Require().NoError(err)
	s.Require().Equal(uint64(5), res.Nonce)
}

func (s *KeeperSuite) TestGenesisValidateRejects() {
	f := s.f
	s.seedHistory()
	base, err := f.k.ExportGenesis(f.ctx)
	s.Require().NoError(err)
	clone := func() *types.GenesisState {
		var gs types.GenesisState
		f.cdc.Codec.MustUnmarshalJSON(f.cdc.Codec.MustMarshalJSON(base), &gs)
		return &gs
	}
	cases := map[string]func(gs *types.GenesisState){
		"duplicate nonce": func(gs *types.GenesisState) {
			gs.OutboundTransfers = append(gs.OutboundTransfers, gs.OutboundTransfers[0])
		},
		"nonce above last_nonce": func(gs *types.GenesisState) { gs.LastNonce = 1 },
		"duplicate claim":        func(gs *types.GenesisState) { gs.InboundClaims = append(gs.InboundClaims, gs.InboundClaims[0]) },
		"duplicate queue entry": func(gs *types.GenesisState) {
			gs.FailedClaimQueue = append(gs.FailedClaimQueue, gs.FailedClaimQueue[0])
		},
		"failed claim not queued": func(gs *types.GenesisState) { gs.FailedClaimQueue = nil },
		"totals off":              func(gs *types.GenesisState) { gs.Totals.TotalLocked = gs.Totals.TotalLocked.AddRaw(1) },
		"outstanding off": func(gs *types.GenesisState) {
			gs.Totals.WbaiOutstanding = gs.Totals.WbaiOutstanding.AddRaw(1)
		},
		"duplicate day": func(gs *types.GenesisState) { gs.DailyInbound = append(gs.DailyInbound, gs.DailyInbound[0]) },
		"bad params":    func(gs *types.GenesisState) { gs.Params.AttestationThreshold = 9 },
		"threshold not a majority": func(gs *types.GenesisState) {
			gs.Params.Attesters = append(gs.Params.Attesters, f.users[0].String()) // 4 attesters, threshold 2
		},
		"uppercase claim tx hash": func(gs *types.GenesisState) {
			gs.InboundClaims[0].EthTxHash = gs.InboundClaims[0].EthTxHash[:65] + "A"
		},
		"double vote": func(gs *types.GenesisState) {
			c := &gs.InboundClaims[0]
			c.Contents[0].Voters = append(c.Contents[0].Voters, c.Contents[0].Voters[0])
		},
		"double vote, second spelled in upper case": func(gs *types.GenesisState) {
			c := &gs.InboundClaims[0]
			c.Contents[0].Voters = append(c.Contents[0].Voters, strings.ToUpper(c.Contents[0].Voters[0]))
		},
		"agreed claim paying another recipient": func(gs *types.GenesisState) {
			c := agreedClaim(s, gs)
			c.Recipient = sdk.AccAddress("someone-else-000000").String()
		},
		"agreed claim paying another amount": func(gs *types.GenesisState) {
			c := agreedClaim(s, gs)
			c.Amount = c.Amount.AddAmount(math.OneInt())
		},
		"content edited under its hash": func(gs *types.GenesisState) {
			c := agreedClaim(s, gs)
			for i := range c.Contents {
				if c.Contents[i].ContentHash == c.AgreedContentHash {
					c.Contents[i].Recipient = sdk.AccAddress("someone-else-000000").String()
				}
			}
			c.Recipient = sdk.AccAddress("someone-else-000000").String()
		},
		"outbound attester spelled in upper case": func(gs *types.GenesisState) {
			tr := &gs.OutboundTransfers[0]
			s.Require().NotEmpty(tr.Attestations)
			tr.Attestations[0].Attester = strings.ToUpper(tr.Attestations[0].Attester)
		},
	}
	for name, mut := range cases {
		gs := clone()
		mut(gs)
		s.Require().ErrorIs(gs.Validate(), types.ErrInvalidGenesis, name)
	}
	s.Require().NoError(types.DefaultGenesisState().Validate())
}

// agreedClaim returns an agreed (FAILED or EXECUTED) claim of the genesis state.
func agreedClaim(s *KeeperSuite, gs *types.GenesisState) *types.InboundClaim {
	for i := range gs.InboundClaims {
		if gs.InboundClaims[i].AgreedContentHash != "" {
			return &gs.InboundClaims[i]
		}
	}
	s.Require().Fail("no agreed claim in the genesis state")
	return nil
}
