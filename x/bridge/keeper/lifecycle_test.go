package keeper_test

import (
	"time"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/bridge/types"
)

// requireTotals checks the accounting and the invariant.
func (s *KeeperSuite) requireTotals(locked, released, refunded, outstanding int64) {
	s.T().Helper()
	t := s.f.totals(s.T())
	s.Require().Equal(math.NewInt(locked), t.TotalLocked, "total_locked")
	s.Require().Equal(math.NewInt(released), t.TotalReleased, "total_released")
	s.Require().Equal(math.NewInt(refunded), t.TotalRefunded, "total_refunded")
	s.Require().Equal(math.NewInt(outstanding), t.WbaiOutstanding, "wbai_outstanding")
	s.Require().Equal(math.NewInt(locked-released-refunded), t.LockedBalance, "locked_balance")
	s.Require().Equal(locked-released-refunded, s.f.balance(s.f.k.ModuleAddress()), "bridge account balance")
	s.f.requireInvariant(s.T())
}

func (s *KeeperSuite) TestOutboundComplete() {
	f := s.f
	user := f.users[0]
	start := f.balance(user)
	s.requireTotals(0, 0, 0, 0)

	res, err := f.msg.Lock(f.ctx, &types.MsgLock{Sender: user.String(), EthRecipient: ethAddrChecksummed, Amount: ubai(10_000_000)})
	s.Require().NoError(err)
	s.Require().Equal(uint64(1), res.Nonce)
	s.Require().Equal(start-10_000_000, f.balance(user))
	s.requireTotals(10_000_000, 0, 0, 0)
	s.requireEvent("balanceai.bridge.v1.EventLock")

	tr, err := f.k.Outbound.Get(f.ctx, 1)
	s.Require().NoError(err)
	s.Require().Equal(types.OUTBOUND_STATUS_PENDING, tr.Status)
	s.Require().Equal(ethAddrChecksummed, tr.EthRecipient)

	// One vote: nothing final. A different hash from the second attester: still nothing.
	out, err := f.attestOut(f.attesters[0], 1, txHash(77), true)
	s.Require().NoError(err)
	s.Require().Equal(types.OUTBOUND_STATUS_PENDING, out.Status)
	out, err = f.attestOut(f.attesters[1], 1, txHash(78), true)
	s.Require().NoError(err)
	s.Require().Equal(types.OUTBOUND_STATUS_PENDING, out.Status)
	s.requireTotals(10_000_000, 0, 0, 0)

	// The third agrees with the first (uppercase hex is the same hash): completed.
	out, err = f.attestOut(f.attesters[2], 1, "0x"+"000000000000000000000000000000000000000000000000000000000000004D", true)
	s.Require().NoError(err)
	s.Require().Equal(types.OUTBOUND_STATUS_COMPLETED, out.Status)
	s.requireTotals(10_000_000, 0, 0, 10_000_000)
	s.requireEvent("balanceai.bridge.v1.EventOutboundCompleted")
	tr, err = f.k.Outbound.Get(f.ctx, 1)
	s.Require().NoError(err)
	s.Require().Equal(txHash(77), tr.EthTxHash)
	s.Require().Len(tr.Attestations, 3)
	s.Require().Equal(start-10_000_000, f.balance(user))
}

func (s *KeeperSuite) TestOutboundRefund() {
	f := s.f
	user := f.users[1]
	start := f.balance(user)
	n := f.lock(s.T(), user, 7_000_000)
	n2 := f.lock(s.T(), user, 3_000_000)
	s.requireTotals(10_000_000, 0, 0, 0)

	out, err := f.attestOut(f.attesters[0], n, "", false)
	s.Require().NoError(err)
	s.Require().Equal(types.OUTBOUND_STATUS_PENDING, out.Status)
	s.requireTotals(10_000_000, 0, 0, 0)
	out, err = f.attestOut(f.attesters[2], n, "", false)
	s.Require().NoError(err)
	s.Require().Equal(types.OUTBOUND_STATUS_REFUNDED, out.Status)
	s.requireEvent("balanceai.bridge.v1.EventOutboundRefunded")
	s.Require().Equal(start-3_000_000, f.balance(user))
	s.requireTotals(10_000_000, 0, 7_000_000, 0)

	// The other transfer completes; accounting covers both.
	for _, a := range f.attesters[1:] {
		_, err := f.attestOut(a, n2, txHash(5), true)
		s.Require().NoError(err)
	}
	s.requireTotals(10_000_000, 0, 7_000_000, 3_000_000)

	// A refund leaves the day's outbound counter as it was (documented choice).
	res, err := f.query.Totals(f.ctx, &types.QueryTotalsRequest{})
	s.Require().NoError(err)
	s.Require().Equal(math.NewInt(10_000_000), res.OutboundToday)
}

// TestDevnetScenario mirrors the "Done when" on a {val, alice} threshold-2 bridge.
func (s *KeeperSuite) TestDevnetScenario() {
	f := s.f
	val, alice := f.attesters[0], f.attesters[1]
	f.setParams(s.T(), func(p *types.Params) { p.Attesters = []string{val.String(), alice.String()} })
	user, recipient := f.users[0], f.users[2]
	startRecipient := f.balance(recipient)

	_, err := f.msg.Lock(f.ctx, &types.MsgLock{Sender: user.String(), EthRecipient: "0x1234", Amount: ubai(10_000_000)})
	s.Require().ErrorIs(err, types.ErrInvalidEthAddress)

	n := f.lock(s.T(), user, 10_000_000)
	s.Require().Equal(uint64(1), n)
	s.requireTotals(10_000_000, 0, 0, 0)
	// The relayer mints wBAI; both attesters confirm.
	for _, a := range []sdk.AccAddress{val, alice} {
		_, err := f.attestOut(a, n, txHash(1), true)
		s.Require().NoError(err)
	}

	// Burn of 4 BAI: one attestation releases nothing, the second releases 4 BAI.
	res, err := f.attestIn(inboundMsg(val, recipient, 100, 2, 4_000_000))
	s.Require().NoError(err)
	s.Require().Equal(types.CLAIM_STATUS_PENDING, res.Status)
	s.Require().Equal(startRecipient, f.balance(recipient))
	res, err = f.attestIn(inboundMsg(alice, recipient, 100, 2, 4_000_000))
	s.Require().NoError(err)
	s.Require().Equal(types.CLAIM_STATUS_EXECUTED, res.Status)
	s.Require().Equal(startRecipient+4_000_000, f.balance(recipient))
	s.requireTotals(10_000_000, 4_000_000, 0, 6_000_000)
	s.requireEvent("balanceai.bridge.v1.EventClaimExecuted")

	// Replays release nothing more.
	for _, a := range []sdk.AccAddress{val, alice} {
		_, err = f.attestIn(inboundMsg(a, recipient, 100, 2, 4_000_000))
		s.Require().ErrorIs(err, types.ErrClaimExecuted)
	}
	s.Require().Equal(startRecipient+4_000_000, f.balance(recipient))

	// 100 BAI with only 6 BAI locked releases nothing.
	for _, a := range []sdk.AccAddress{val, alice} {
		res, err = f.attestIn(inboundMsg(a, recipient, 101, 0, 100_000_000))
		s.Require().NoError(err)
	}
	s.Require().Equal(types.CLAIM_STATUS_FAILED, res.Status)
	s.Require().Equal(startRecipient+4_000_000, f.balance(recipient))
	s.requireTotals(10_000_000, 4_000_000, 0, 6_000_000)

	// A non-attester cannot attest.
	_, err = f.attestIn(inboundMsg(f.attesters[2], recipient, 102, 0, 1_000_000))
	s.Require().ErrorIs(err, types.ErrNotAttester)
}

// TestMismatchedContentBelowThreshold: disagreeing attesters release nothing until two agree.
func (s *KeeperSuite) TestMismatchedContentBelowThreshold() {
	f := s.f
	f.lockAndComplete(s.T(), f.users[0], 50_000_000)
	r0, r1 := f.users[1], f.users[2]
	b0, b1 := f.balance(r0), f.balance(r1)

	res, err := f.attestIn(inboundMsg(f.attesters[0], r0, 9, 1, 5_000_000))
	s.Require().NoError(err)
	s.Require().Equal(types.CLAIM_STATUS_PENDING, res.Status)
	// Same event, different recipient and different amount: separate content groups.
	res, err = f.attestIn(inboundMsg(f.attesters[1], r1, 9, 1, 5_000_000))
	s.Require().NoError(err)
	s.Require().Equal(types.CLAIM_STATUS_PENDING, res.Status)
	s.Require().Equal(b0, f.balance(r0))
	s.Require().Equal(b1, f.balance(r1))
	s.requireTotals(50_000_000, 0, 0, 50_000_000)

	q, err := f.query.InboundClaim(f.ctx, &types.QueryInboundClaimRequest{ClaimId: res.ClaimId})
	s.Require().NoError(err)
	s.Require().Len(q.Claim.Contents, 2)
	s.Require().Equal(types.CLAIM_STATUS_PENDING, q.Claim.Status)
	s.Require().True(q.Claim.Amount.IsZero())

	// The third attester sides with the first: executed for r0 only.
	res, err = f.attestIn(inboundMsg(f.attesters[2], r0, 9, 1, 5_000_000))
	s.Require().NoError(err)
	s.Require().Equal(types.CLAIM_STATUS_EXECUTED, res.Status)
	s.Require().Equal(b0+5_000_000, f.balance(r0))
	s.Require().Equal(b1, f.balance(r1))
	s.requireTotals(50_000_000, 5_000_000, 0, 45_000_000)

	q, err = f.query.InboundClaim(f.ctx, &types.QueryInboundClaimRequest{ClaimId: res.ClaimId})
	s.Require().NoError(err)
	s.Require().Equal(r0.String(), q.Claim.Recipient)
	s.Require().Equal(ethAddrLower, q.Claim.EthSender) // its EIP-55 form is all lowercase
	s.Require().NotEmpty(q.Claim.AgreedContentHash)
}

// TestRemovedAttesterVoteStopsCounting: a vote by an attester that governance removed no longer
// counts towards the threshold.
func (s *KeeperSuite) TestRemovedAttesterVoteStopsCounting() {
	f := s.f
	f.lockAndComplete(s.T(), f.users[0], 50_000_000)
	_, err := f.attestIn(inboundMsg(f.attesters[0], f.users[1], 9, 1, 5_000_000))
	s.Require().NoError(err)
	f.setParams(s.T(), func(p *types.Params) { p.Attesters = p.Attesters[1:] })
	res, err := f.attestIn(inboundMsg(f.attesters[1], f.users[1], 9, 1, 5_000_000))
	s.Require().NoError(err)
	s.Require().Equal(types.CLAIM_STATUS_PENDING, res.Status)
	res, err = f.attestIn(inboundMsg(f.attesters[2], f.users[1], 9, 1, 5_000_000))
	s.Require().NoError(err)
	s.Require().Equal(types.CLAIM_STATUS_EXECUTED, res.Status)
}

// TestWaitingClaimNeedsCurrentAttesters: a claim agreed while it could not pay (here: paused)
// does not pay after governance removed attesters that agreed on it, neither by the EndBlocker
// nor by a retry, until enough current attesters confirm it. Pausing and rotating the attesters
// is how a compromise of their keys is answered.
func (s *KeeperSuite) TestWaitingClaimNeedsCurrentAttesters() {
	f := s.f
	r := f.users[2]
	b := f.balance(r)
	f.lockAndComplete(s.T(), f.users[0], 50_000_000)
	s.Require().NoError(f.k.Paused.Set(f.ctx, true))
	for _, a := range f.attesters[:2] {
		_, err := f.attestIn(inboundMsg(a, r, 41, 0, 5_000_000))
		s.Require().NoError(err)
	}
	id := claimID(s, 41, 0)
	c, err := f.k.Claims.Get(f.ctx, id)
	s.Require().NoError(err)
	s.Require().Equal(types.CLAIM_STATUS_FAILED, c.Status)
	s.Require().Contains(c.FailureReason, "paused")

	// Governance removes the first attester and unpauses: one current vote of the two needed.
	f.setParams(s.T(), func(p *types.Params) { p.Attesters = p.Attesters[1:] })
	s.Require().NoError(f.k.Paused.Set(f.ctx, false))
	s.Require().NoError(f.k.EndBlocker(f.ctx))
	c, err = f.k.Claims.Get(f.ctx, id)
	s.Require().NoError(err)
	s.Require().Equal(types.CLAIM_STATUS_FAILED, c.Status)
	s.Require().Contains(c.FailureReason, "1 current attesters agree on it, below the threshold 2")
	s.Require().Equal(b, f.balance(r))

	// The remaining voter's retry does not pay it either, and changes nothing.
	before := f.state(s.T())
	_, err = f.attestIn(inboundMsg(f.attesters[1], r, 41, 0, 5_000_000))
	s.Require().ErrorIs(err, types.ErrClaimNotPayable)
	s.Require().Equal(before, f.state(s.T()))

	// A current attester confirms: paid.
	res, err := f.attestIn(inboundMsg(f.attesters[2], r, 41, 0, 5_000_000))
	s.Require().NoError(err)
	s.Require().Equal(types.CLAIM_STATUS_EXECUTED, res.Status)
	s.Require().Equal(b+5_000_000, f.balance(r))
}

// TestWrongAgreementReopened: attesters whose keys were taken agree on a burn with the wrong
// recipient while the bridge is paused. While their agreement stands (enough current attesters
// among its voters) other content is refused. Once governance has replaced them, the first
// current attester reporting the true content drops the agreement (the claim is PENDING again
// and leaves the retry queue), and the current attesters' agreement pays the true recipient.
// Before, the wrong content held the Ethereum event for ever.
func (s *KeeperSuite) TestWrongAgreementReopened() {
	f := s.f
	thief, r := f.users[1], f.users[2]
	thiefBefore, rBefore := f.balance(thief), f.balance(r)
	f.lockAndComplete(s.T(), f.users[0], 50_000_000)
	s.Require().NoError(f.k.Paused.Set(f.ctx, true))
	for _, a := range f.attesters[:2] {
		_, err := f.attestIn(inboundMsg(a, thief, 42, 0, 5_000_000))
		s.Require().NoError(err)
	}
	id := claimID(s, 42, 0)
	c, err := f.k.Claims.Get(f.ctx, id)
	s.Require().NoError(err)
	s.Require().Equal(types.CLAIM_STATUS_FAILED, c.Status)
	wrong := c.AgreedContentHash

	// The agreement stands: the honest attester's true content is refused, and changes nothing.
	before := f.state(s.T())
	_, err = f.attestIn(inboundMsg(f.attesters[2], r, 42, 0, 5_000_000))
	s.Require().ErrorIs(err, types.ErrClaimContentMismatch)
	s.Require().Equal(before, f.state(s.T()))

	// Governance replaces the two attesters and unpauses; the wrong content no longer pays.
	n0, n1 := sdk.AccAddress("attester-new00000000"), sdk.AccAddress("attester-new00000001")
	f.setParams(s.T(), func(p *types.Params) {
		p.Attesters = []string{f.attesters[2].String(), n0.String(), n1.String()}
	})
	s.Require().NoError(f.k.Paused.Set(f.ctx, false))
	s.Require().NoError(f.k.EndBlocker(f.ctx))
	c, err = f.k.Claims.Get(f.ctx, id)
	s.Require().NoError(err)
	s.Require().Equal(types.CLAIM_STATUS_FAILED, c.Status)
	s.Require().Contains(c.FailureReason, "0 current attesters agree on it")
	queued, err := f.k.RetryPosition.Has(f.ctx, id)
	s.Require().NoError(err)
	s.Require().True(queued)

	// A current attester reports the true content: the agreement is dropped.
	f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
	res, err := f.attestIn(inboundMsg(n0, r, 42, 0, 5_000_000))
	s.Require().NoError(err)
	s.Require().Equal(types.CLAIM_STATUS_PENDING, res.Status)
	s.requireEvent("balanceai.bridge.v1.EventClaimReopened")
	c, err = f.k.Claims.Get(f.ctx, id)
	s.Require().NoError(err)
	s.Require().Empty(c.AgreedContentHash)
	s.Require().Empty(c.Recipient)
	s.Require().Empty(c.FailureReason)
	s.Require().Len(c.Contents, 2, "the old votes are kept; they no longer count")
	s.Require().Equal(wrong, c.Contents[0].ContentHash)
	queued, err = f.k.RetryPosition.Has(f.ctx, id)
	s.Require().NoError(err)
	s.Require().False(queued)
	f.requireInvariant(s.T())

	// A second current attester agrees: the true recipient is paid, the thief nothing.
	res, err = f.attestIn(inboundMsg(f.attesters[2], r, 42, 0, 5_000_000))
	s.Require().NoError(err)
	s.Require().Equal(types.CLAIM_STATUS_EXECUTED, res.Status)
	s.Require().Equal(rBefore+5_000_000, f.balance(r))
	s.Require().Equal(thiefBefore, f.balance(thief))
	_, err = f.attestIn(inboundMsg(n1, thief, 42, 0, 5_000_000))
	s.Require().ErrorIs(err, types.ErrClaimExecuted)
	f.requireInvariant(s.T())
}

// TestFailedClaimLaterExecuted: a claim over the locked balance stays FAILED and queued, is
// paid by a retry attestation once BAI is locked, and then refuses replays.
func (s *KeeperSuite) TestFailedClaimLaterExecuted() {
	f := s.f
	r := f.users[2]
	b := f.balance(r)
	f.lockAndComplete(s.T(), f.users[0], 10_000_000)

	for _, a := range f.attesters[:2] {
		_, err := f.attestIn(inboundMsg(a, r, 40, 3, 30_000_000))
		s.Require().NoError(err)
	}
	id := claimID(s, 40, 3)
	c, err := f.k.Claims.Get(f.ctx, id)
	s.Require().NoError(err)
	s.Require().Equal(types.CLAIM_STATUS_FAILED, c.Status)
	s.Require().Contains(c.FailureReason, "exceeds the locked balance")
	s.Require().Equal(b, f.balance(r))
	s.requireEvent("balanceai.bridge.v1.EventClaimFailed")
	queued, err := f.k.RetryPosition.Has(f.ctx, id)
	s.Require().NoError(err)
	s.Require().True(queued)

	// A retry by a voter while still unpayable: refused, nothing changes.
	before := f.state(s.T())
	_, err = f.attestIn(inboundMsg(f.attesters[0], r, 40, 3, 30_000_000))
	s.Require().ErrorIs(err, types.ErrClaimNotPayable)
	s.Require().Equal(before, f.state(s.T()))

	// The EndBlocker cannot pay it either; it stays queued.
	s.Require().NoError(f.k.EndBlocker(f.ctx))
	c, _ = f.k.Claims.Get(f.ctx, id)
	s.Require().Equal(types.CLAIM_STATUS_FAILED, c.Status)

	// More BAI is locked and minted; a retry attestation (no duplicate vote) pays.
	f.lockAndComplete(s.T(), f.users[1], 25_000_000)
	res, err := f.attestIn(inboundMsg(f.attesters[1], r, 40, 3, 30_000_000))
	s.Require().NoError(err)
	s.Require().Equal(types.CLAIM_STATUS_EXECUTED, res.Status)
	s.Require().Equal(b+30_000_000, f.balance(r))
	c, _ = f.k.Claims.Get(f.ctx, id)
	s.Require().Len(c.Contents, 1)
	s.Require().Len(c.Contents[0].Voters, 2, "the retry must not add a duplicate vote")
	s.Require().Empty(c.FailureReason)
	queued, err = f.k.RetryPosition.Has(f.ctx, id)
	s.Require().NoError(err)
	s.Require().False(queued)
	s.requireTotals(35_000_000, 30_000_000, 0, 5_000_000)

	_, err = f.attestIn(inboundMsg(f.attesters[2], r, 40, 3, 30_000_000))
	s.Require().ErrorIs(err, types.ErrClaimExecuted)
}

// TestEndBlockerRetriesBounded: queued claims are paid by the EndBlocker once possible, at most
// max_retries_per_block per block, and claims blocked for a day pass the next UTC day.
func (s *KeeperSuite) TestEndBlockerRetriesBounded() {
	f := s.f
	f.setParams(s.T(), func(p *types.Params) { p.MaxRetriesPerBlock = 20 })
	r := f.users[2]
	b := f.balance(r)
	for i := 0; i < 30; i++ {
		for _, a := range f.attesters[:2] {
			_, err := f.attestIn(inboundMsg(a, r, 500+i, 0, 1_000_000))
			s.Require().NoError(err)
		}
	}
	s.Require().Equal(b, f.balance(r))
	f.lockAndComplete(s.T(), f.users[0], 30_000_000)

	s.Require().NoError(f.k.EndBlocker(f.ctx))
	s.Require().Equal(b+20_000_000, f.balance(r))
	s.requireTotals(30_000_000, 20_000_000, 0, 10_000_000)
	s.Require().NoError(f.k.EndBlocker(f.ctx))
	s.Require().Equal(b+30_000_000, f.balance(r))
	s.requireTotals(30_000_000, 30_000_000, 0, 0)
	it, err := f.k.RetryQueue.Iterate(f.ctx, nil)
	s.Require().NoError(err)
	s.Require().False(it.Valid())
	it.Close()
}

func (s *KeeperSuite) TestDailyInboundLimitRollsOver() {
	f := s.f
	f.setParams(s.T(), func(p *types.Params) { p.DailyInboundLimit = math.NewInt(10_000_000) })
	f.lockAndComplete(s.T(), f.users[0], 30_000_000)
	r := f.users[2]
	b := f.balance(r)
	for i, amt := range []int64{8_000_000, 5_000_000} {
		for _, a := range f.attesters[:2] {
			_, err := f.attestIn(inboundMsg(a, r, 600+i, 0, amt))
			s.Require().NoError(err)
		}
	}
	s.Require().Equal(b+8_000_000, f.balance(r))
	c, _ := f.k.Claims.Get(f.ctx, claimID(s, 601, 0))
	s.Require().Equal(types.CLAIM_STATUS_FAILED, c.Status)
	s.Require().Contains(c.FailureReason, "daily inbound limit")

	s.Require().NoError(f.k.EndBlocker(f.ctx))
	s.Require().Equal(b+8_000_000, f.balance(r))

	f.ctx = f.ctx.WithBlockTime(blockTime.Add(24 * time.Hour))
	s.Require().NoError(f.k.EndBlocker(f.ctx))
	s.Require().Equal(b+13_000_000, f.balance(r))
	// Yesterday's counters were pruned.
	has, err := f.k.DailyInbound.Has(f.ctx, blockTime.Unix()/86400)
	s.Require().NoError(err)
	s.Require().False(has)
	f.requireInvariant(s.T())
}

func (s *KeeperSuite) TestPauseAndUnpause() {
	f := s.f
	_, err := f.msg.SetPaused(f.ctx, &types.MsgSetPaused{Signer: f.attesters[2].String(), Paused: true})
	s.Require().NoError(err)
	s.requireEvent("balanceai.bridge.v1.EventPaused")
	q, err := f.query.Params(f.ctx, &types.QueryParamsRequest{})
	s.Require().NoError(err)
	s.Require().True(q.Paused)
	// Params updates leave the switch alone.
	f.setParams(s.T(), func(p *types.Params) { p.MaxRetriesPerBlock = 5 })
	paused, err := f.k.IsPaused(f.ctx)
	s.Require().NoError(err)
	s.Require().True(paused)

	_, err = f.msg.SetPaused(f.ctx, &types.MsgSetPaused{Signer: f.authority, Paused: false})
	s.Require().NoError(err)
	f.lock(s.T(), f.users[0], 2_000_000)
	// The authority can pause too.
	_, err = f.msg.SetPaused(f.ctx, &types.MsgSetPaused{Signer: f.authority, Paused: true})
	s.Require().NoError(err)
}

func (s *KeeperSuite) requireEvent(typ string) {
	s.T().Helper()
	for _, e := range s.f.ctx.EventManager().Events() {
		if e.Type == typ {
			return
		}
	}
	s.Failf("event not emitted", "%s", typ)
}

// TestThresholdLoweredRetally: after governance lowers the threshold, a voter repeating its own
// vote re-tallies (no second vote is stored) so claims and transfers never get stuck.
func (s *KeeperSuite) TestThresholdLoweredRetally() {
	f := s.f
	f.setParams(s.T(), func(p *types.Params) { p.AttestationThreshold = 3 })
	n := f.lock(s.T(), f.users[0], 20_000_000)
	for _, a := range f.attesters[:2] {
		_, err := f.attestOut(a, n, txHash(9), true)
		s.Require().NoError(err)
	}
	_, err := f.attestOut(f.attesters[0], n, txHash(9), true)
	s.Require().ErrorIs(err, types.ErrDuplicateVote)
	for _, a := range f.attesters[:2] {
		_, err := f.attestIn(inboundMsg(a, f.users[1], 70, 0, 5_000_000))
		s.Require().NoError(err)
	}
	_, err = f.attestIn(inboundMsg(f.attesters[0], f.users[1], 70, 0, 5_000_000))
	s.Require().ErrorIs(err, types.ErrDuplicateVote)

	f.setParams(s.T(), func(p *types.Params) { p.AttestationThreshold = 2 })
	out, err := f.attestOut(f.attesters[0], n, txHash(9), true)
	s.Require().NoError(err)
	s.Require().Equal(types.OUTBOUND_STATUS_COMPLETED, out.Status)
	tr, _ := f.k.Outbound.Get(f.ctx, n)
	s.Require().Len(tr.Attestations, 2)

	b := f.balance(f.users[1])
	res, err := f.attestIn(inboundMsg(f.attesters[1], f.users[1], 70, 0, 5_000_000))
	s.Require().NoError(err)
	s.Require().Equal(types.CLAIM_STATUS_EXECUTED, res.Status)
	s.Require().Equal(b+5_000_000, f.balance(f.users[1]))
	c, _ := f.k.Claims.Get(f.ctx, res.ClaimId)
	s.Require().Len(c.Contents[0].Voters, 2)
	s.requireTotals(20_000_000, 5_000_000, 0, 15_000_000)
}
