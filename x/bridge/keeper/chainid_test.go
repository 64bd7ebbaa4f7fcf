package keeper_test

import (
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/bridge/types"
)

// TestChainIDChangeReplayRefused: claim ids include ethereum_chain_id, so after governance
// changes it the same Ethereum event derives a new claim id. An executed event must still be
// refused: the executed set is keyed by (tx hash, log index) as well.
func (s *KeeperSuite) TestChainIDChangeReplayRefused() {
	f := s.f
	r := f.users[2]
	f.lockAndComplete(s.T(), f.users[0], 50_000_000)
	b := f.balance(r)
	for _, a := range f.attesters[:2] {
		_, err := f.attestIn(inboundMsg(a, r, 10, 4, 5_000_000))
		s.Require().NoError(err)
	}
	s.Require().Equal(b+5_000_000, f.balance(r))
	s.requireTotals(50_000_000, 5_000_000, 0, 45_000_000)

	f.setParams(s.T(), func(p *types.Params) { p.EthereumChainId = 11155111 })
	newID, err := types.DeriveClaimID(11155111, txHash(10), 4)
	s.Require().NoError(err)
	s.Require().NotEqual(claimID(s, 10, 4), newID, "the chain id is part of the claim id")

	// Every attester, every spelling of the event: refused, nothing changes.
	before := f.state(s.T())
	for _, a := range f.attesters {
		_, err := f.attestIn(inboundMsg(a, r, 10, 4, 5_000_000))
		s.Require().ErrorIs(err, types.ErrClaimExecuted)
		s.Require().ErrorContains(err, "already paid by claim "+claimID(s, 10, 4))
	}
	upper := inboundMsg(f.attesters[0], r, 10, 4, 5_000_000)
	upper.EthTxHash = "0x" + "000000000000000000000000000000000000000000000000000000000000000A"
	_, err = f.attestIn(upper)
	s.Require().ErrorIs(err, types.ErrClaimExecuted)
	s.Require().Equal(before, f.state(s.T()))
	s.Require().Equal(b+5_000_000, f.balance(r))
	has, err := f.k.Claims.Has(f.ctx, newID)
	s.Require().NoError(err)
	s.Require().False(has, "no claim is recorded under the new id")

	// Another log of the same transaction is another event: it pays.
	for _, a := range f.attesters[:2] {
		_, err := f.attestIn(inboundMsg(a, r, 10, 5, 1_000_000))
		s.Require().NoError(err)
	}
	s.Require().Equal(b+6_000_000, f.balance(r))

	// Back to the first chain id: still refused, by the claim itself.
	f.setParams(s.T(), func(p *types.Params) { p.EthereumChainId = 1 })
	_, err = f.attestIn(inboundMsg(f.attesters[2], r, 10, 4, 5_000_000))
	s.Require().ErrorIs(err, types.ErrClaimExecuted)
	s.requireTotals(50_000_000, 6_000_000, 0, 44_000_000)
}

// TestChainIDChangeSupersedesFailedClaim: a claim agreed under the old chain id but not payable
// sits in the retry queue. The same event, attested under the new chain id, is paid; the old
// claim must then never pay — not by the EndBlocker, not by a retry attestation — and it
// leaves the retry queue with its reason, visible in queries and genesis.
func (s *KeeperSuite) TestChainIDChangeSupersedesFailedClaim() {
	f := s.f
	r := f.users[2]
	f.lockAndComplete(s.T(), f.users[0], 10_000_000)
	b := f.balance(r)
	for _, a := range f.attesters[:2] {
		_, err := f.attestIn(inboundMsg(a, r, 40, 0, 30_000_000))
		s.Require().NoError(err)
	}
	oldID := claimID(s, 40, 0)
	c, err := f.k.Claims.Get(f.ctx, oldID)
	s.Require().NoError(err)
	s.Require().Equal(types.CLAIM_STATUS_FAILED, c.Status)

	// Governance moves the chain id; more wBAI is minted; the event is attested again.
	f.setParams(s.T(), func(p *types.Params) { p.EthereumChainId = 5 })
	f.lockAndComplete(s.T(), f.users[1], 60_000_000)
	var res *types.MsgAttestInboundResponse
	for _, a := range f.attesters[:2] {
		res, err = f.attestIn(inboundMsg(a, r, 40, 0, 30_000_000))
		s.Require().NoError(err)
	}
	s.Require().Equal(types.CLAIM_STATUS_EXECUTED, res.Status)
	s.Require().NotEqual(oldID, res.ClaimId)
	s.Require().Equal(b+30_000_000, f.balance(r))

	// The old claim is still queued and would be payable by the numbers: the EndBlocker must
	// not pay it, and drops it from the queue.
	queued, err := f.k.RetryPosition.Has(f.ctx, oldID)
	s.Require().NoError(err)
	s.Require().True(queued)
	f.ctx = f.ctx.WithBlockHeight(f.ctx.BlockHeight() + 1)
	s.Require().NoError(f.k.EndBlocker(f.ctx))
	s.Require().Equal(b+30_000_000, f.balance(r), "an Ethereum event is paid once")
	c, err = f.k.Claims.Get(f.ctx, oldID)
	s.Require().NoError(err)
	s.Require().Equal(types.CLAIM_STATUS_FAILED, c.Status)
	s.Require().Contains(c.FailureReason, "already paid by claim "+res.ClaimId)
	queued, err = f.k.RetryPosition.Has(f.ctx, oldID)
	s.Require().NoError(err)
	s.Require().False(queued, "a superseded claim leaves the retry queue")
	s.requireEvent("balanceai.bridge.v1.EventClaimFailed")

	// Back on the old chain id, its voters cannot retry it either.
	f.setParams(s.T(), func(p *types.Params) { p.EthereumChainId = 1 })
	for _, a := range f.attesters {
		_, err := f.attestIn(inboundMsg(a, r, 40, 0, 30_000_000))
		s.Require().ErrorIs(err, types.ErrClaimExecuted)
	}
	s.Require().NoError(f.k.EndBlocker(f.ctx))
	s.Require().Equal(b+30_000_000, f.balance(r))
	s.requireTotals(70_000_000, 30_000_000, 0, 40_000_000)

	// Genesis keeps it that way: the superseded claim is valid outside the queue, and the
	// imported chain refuses the replay too.
	exported, err := f.k.ExportGenesis(f.ctx)
	s.Require().NoError(err)
	s.Require().NoError(exported.Validate())
	s.Require().NotContains(exported.FailedClaimQueue, oldID)
	g := newFixture(s.T())
	s.Require().NoError(g.k.InitGenesis(g.ctx, exported))
	s.Require().NoError(g.k.CheckExecutedEvents(g.ctx))
	g.setParams(s.T(), func(p *types.Params) { p.EthereumChainId = 7 })
	_, err = g.attestIn(inboundMsg(g.attesters[0], r, 40, 0, 30_000_000))
	s.Require().ErrorIs(err, types.ErrClaimExecuted)
}

// TestGenesisRejectsEventPaidTwice: two EXECUTED claims of one Ethereum event (under two chain
// ids) are refused by genesis validation.
func (s *KeeperSuite) TestGenesisRejectsEventPaidTwice() {
	f := s.f
	s.seedHistory()
	gs, err := f.k.ExportGenesis(f.ctx)
	s.Require().NoError(err)
	var executed *types.InboundClaim
	for i := range gs.InboundClaims {
		if gs.InboundClaims[i].Status == types.CLAIM_STATUS_EXECUTED {
			executed = &gs.InboundClaims[i]
		}
	}
	s.Require().NotNil(executed)
	twin := *executed
	twin.ClaimId, err = types.DeriveClaimID(5, twin.EthTxHash, twin.LogIndex)
	s.Require().NoError(err)
	// Its contents are hashed under its own claim id.
	twin.Contents = append([]types.ClaimContent(nil), executed.Contents...)
	for i, ct := range twin.Contents {
		recipient, err := sdk.AccAddressFromBech32(ct.Recipient)
		s.Require().NoError(err)
		hash, err := types.ClaimContentHash(twin.ClaimId, ct.EthBlock, ct.EthSender, recipient, ct.Amount)
		s.Require().NoError(err)
		if ct.ContentHash == executed.AgreedContentHash {
			twin.AgreedContentHash = hash
		}
		twin.Contents[i].ContentHash = hash
	}
	gs.InboundClaims = append(gs.InboundClaims, twin)
	gs.Totals.TotalReleased = gs.Totals.TotalReleased.Add(twin.Amount.Amount)
	gs.Totals.LockedBalance = gs.Totals.LockedBalance.Sub(twin.Amount.Amount)
	gs.Totals.WbaiOutstanding = gs.Totals.WbaiOutstanding.Sub(twin.Amount.Amount)
	err = gs.Validate()
	s.Require().ErrorIs(err, types.ErrInvalidGenesis)
	s.Require().ErrorContains(err, "both executed Ethereum event")
}
