package keeper_test

import (
	"math/big"
	"strings"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"

	"github.com/balanceai/balanceai/x/bridge/types"
)

// TestHostileInputs runs every refused message on a bridge with history (a completed transfer,
// a pending transfer, an executed claim, a pending claim, a failed claim) and checks the
// registered error and that module state and every balance are unchanged.
func (s *KeeperSuite) TestHostileInputs() {
	f := s.f
	a0, a1, a2 := f.attesters[0], f.attesters[1], f.attesters[2]
	user, other := f.users[0], f.users[1]
	outsider := sdk.AccAddress("outsider____________")
	huge := math.NewIntFromBigInt(new(big.Int).Lsh(big.NewInt(1), 200))

	type tc struct {
		name  string
		setup func()
		run   func() error
		want  error
	}
	lockMsg := func(recipient string, amount sdk.Coin) func() error {
		return func() error {
			_, err := f.msg.Lock(f.ctx, &types.MsgLock{Sender: user.String(), EthRecipient: recipient, Amount: amount})
			return err
		}
	}
	inbound := func(m *types.MsgAttestInbound) func() error {
		return func() error { _, err := f.attestIn(m); return err }
	}
	pause := func() {
		_, err := f.msg.SetPaused(f.ctx, &types.MsgSetPaused{Signer: a0.String(), Paused: true})
		s.Require().NoError(err)
	}

	cases := []tc{
		// --- MsgLock ---
		{name: "lock to non-hex address", run: lockMsg("0xZZaeb6053F3E94C9b9A09f33669435E7Ef1BeAed", ubai(10_000_000)), want: types.ErrInvalidEthAddress},
		{name: "lock to short address", run: lockMsg("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA", ubai(10_000_000)), want: types.ErrInvalidEthAddress},
		{name: "lock to address without 0x", run: lockMsg("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed00", ubai(10_000_000)), want: types.ErrInvalidEthAddress},
		{name: "lock to wrongly checksummed address", run: lockMsg(ethAddrBadSum, ubai(10_000_000)), want: types.ErrInvalidEthAddress},
		{name: "lock to the zero address", run: lockMsg("0x0000000000000000000000000000000000000000", ubai(10_000_000)), want: types.ErrInvalidEthAddress},
		{name: "lock zero amount", run: lockMsg(ethAddrChecksummed, ubai(0)), want: types.ErrInvalidAmount},
		{name: "lock below min", run: lockMsg(ethAddrChecksummed, ubai(999_999)), want: types.ErrAmountOutOfRange},
		{name: "lock above max", run: lockMsg(ethAddrChecksummed, ubai(100_000_001)), want: types.ErrAmountOutOfRange},
		{name: "lock huge amount", run: lockMsg(ethAddrChecksummed, sdk.NewCoin(types.Denom, huge)), want: types.ErrAmountOutOfRange},
		{name: "lock wrong denom", run: lockMsg(ethAddrChecksummed, sdk.NewInt64Coin("stake", 10_000_000)), want: types.ErrInvalidDenom},
		{name: "lock over daily outbound limit", setup: func() { f.lock(s.T(), other, 100_000_000) },
			run: lockMsg(ethAddrChecksummed, ubai(90_000_001)), want: types.ErrDailyLimit},
		{name: "lock while paused", setup: pause, run: lockMsg(ethAddrChecksummed, ubai(10_000_000)), want: types.ErrBridgePaused},
		{name: "lock while disabled", setup: func() { f.setParams(s.T(), func(p *types.Params) { p.Enabled = false }) },
			run: lockMsg(ethAddrChecksummed, ubai(10_000_000)), want: types.ErrBridgeDisabled},
		{name: "lock more than the balance", setup: func() { f.bank.Balances[string(user)] = sdk.NewCoins(ubai(5_000_000)) },
			run: lockMsg(ethAddrChecksummed, ubai(10_000_000)), want: sdkerrors.ErrInsufficientFunds},
		{name: "lock with a bad sender", run: func() error {
			_, err := f.msg.Lock(f.ctx, &types.MsgLock{Sender: "cosmos1xyz", EthRecipient: ethAddrChecksummed, Amount: ubai(10_000_000)})
			return err
		}, want: types.ErrInvalidSender},

		// --- MsgAttestOutbound (nonce 2 is pending, voted by a0) ---
		{name: "outbound vote by non-attester", run: func() error { _, err := f.attestOut(outsider, 2, txHash(7), true); return err }, want: types.ErrNotAttester},
		{name: "outbound double vote", run: func() error { _, err := f.attestOut(a0, 2, txHash(8), true); return err }, want: types.ErrDuplicateVote},
		{name: "outbound identical double vote", run: func() error { _, err := f.attestOut(a0, 2, txHash(2002), true); return err }, want: types.ErrDuplicateVote},
		{name: "outbound unknown nonce", run: func() error { _, err := f.attestOut(a1, 99, txHash(7), true); return err }, want: types.ErrTransferNotFound},
		{name: "outbound vote on completed transfer", run: func() error { _, err := f.attestOut(a2, 1, txHash(1001), true); return err }, want: types.ErrTransferFinalized},
		{name: "outbound bad tx hash", run: func() error { _, err := f.attestOut(a1, 2, "0x1234", true); return err }, want: types.ErrInvalidEthTxHash},
		{name: "outbound success without tx hash", run: func() error { _, err := f.attestOut(a1, 2, "", true); return err }, want: types.ErrInvalidEthTxHash},
		{name: "outbound vote while paused", setup: pause, run: func() error { _, err := f.attestOut(a1, 2, txHash(7), false); return err }, want: types.ErrBridgePaused},

		// --- MsgAttestInbound ---
		{name: "inbound vote by non-attester", run: inbound(inboundMsg(outsider, user, 50, 0, 1_000_000)), want: types.ErrNotAttester},
		{name: "inbound double vote on pending claim", run: inbound(inboundMsg(a0, user, 20, 0, 2_000_000)), want: types.ErrDuplicateVote},
		{name: "inbound double vote with other content", run: inbound(inboundMsg(a0, other, 20, 0, 3_000_000)), want: types.ErrDuplicateVote},
		{name: "inbound replay of executed claim (new attester)", run: inbound(inboundMsg(a2, user, 10, 0, 4_000_000)), want: types.ErrClaimExecuted},
		{name: "inbound replay of executed claim (voter)", run: inbound(inboundMsg(a0, user, 10, 0, 4_000_000)), want: types.ErrClaimExecuted},
		{name: "inbound replay of executed claim, uppercase hash", run: func() error {
			m := inboundMsg(a2, user, 10, 0, 4_000_000)
			m.EthTxHash = "0x" + "000000000000000000000000000000000000000000000000000000000000000A"
			_, err := f.attestIn(m)
			return err
		}, want: types.ErrClaimExecuted},
		{name: "inbound bad tx hash", run: func() error {
			m := inboundMsg(a0, user, 51, 0, 1_000_000)
			m.EthTxHash = "0xabc"
			_, err := f.attestIn(m)
			return err
		}, want: types.ErrInvalidEthTxHash},
		{name: "inbound wrongly checksummed eth sender", run: func() error {
			m := inboundMsg(a0, user, 51, 0, 1_000_000)
			m.EthSender = ethAddrBadSum
			_, err := f.attestIn(m)
			return err
		}, want: types.ErrInvalidEthAddress},
		{name: "inbound recipient with wrong prefix", run: func() error {
			m := inboundMsg(a0, user, 51, 0, 1_000_000)
			m.Recipient = "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu"
			_, err := f.attestIn(m)
			return err
		}, want: types.ErrInvalidRecipient},
		{name: "inbound zero amount", run: inbound(inboundMsg(a0, user, 51, 0, 0)), want: types.ErrInvalidAmount},
		{name: "inbound wrong denom", run: func() error {
			m := inboundMsg(a0, user, 51, 0, 1_000_000)
			m.Amount = sdk.NewInt64Coin("uatom", 1_000_000)
			_, err := f.attestIn(m)
			return err
		}, want: types.ErrInvalidDenom},
		{name: "inbound retry of claim over the locked balance", run: inbound(inboundMsg(a0, user, 30, 0, 500_000_000)), want: types.ErrClaimNotPayable},
		{name: "inbound other content on a failed claim", run: inbound(inboundMsg(a2, user, 30, 0, 1_000_000)), want: types.ErrClaimContentMismatch},
		{name: "inbound retry while paused", setup: func() {
			pause()
			for _, a := range []sdk.AccAddress{a0, a1} {
				_, err := f.attestIn(inboundMsg(a, user, 33, 0, 1_000_000))
				s.Require().NoError(err)
			}
			c, err := f.k.Claims.Get(f.ctx, claimID(s, 33, 0))
			s.Require().NoError(err)
			s.Require().Equal(types.CLAIM_STATUS_FAILED, c.Status)
			s.Require().Contains(c.FailureReason, "paused")
		}, run: inbound(inboundMsg(a1, user, 33, 0, 1_000_000)), want: types.ErrClaimNotPayable},
		{name: "inbound over daily inbound limit (retry)", setup: func() {
			f.setParams(s.T(), func(p *types.Params) { p.DailyInboundLimit = math.NewInt(5_000_000) })
			f.lockAndComplete(s.T(), other, 20_000_000) // enough wBAI outstanding for claim 31
			m := inboundMsg(a0, user, 31, 0, 6_000_000)
			_, err := f.attestIn(m)
			s.Require().NoError(err)
			m.Attester = a1.String()
			res, err := f.attestIn(m)
			s.Require().NoError(err)
			// 4 BAI were released today by claim 10; 4 + 6 > 5.
			s.Require().Equal(types.CLAIM_STATUS_FAILED, res.Status)
		}, run: inbound(inboundMsg(a0, user, 31, 0, 6_000_000)), want: types.ErrClaimNotPayable},
		{name: "inbound to a blocked (module) recipient", setup: func() {
			f.bank.Blocked[string(authtypes.NewModuleAddress("bonded_tokens_pool"))] = true
		}, run: inbound(inboundMsg(a0, authtypes.NewModuleAddress("bonded_tokens_pool"), 32, 0, 1_000_000)), want: types.ErrInvalidRecipient},

		// --- MsgSetPaused ---
		{name: "unpause by an attester", setup: pause, run: func() error {
			_, err := f.msg.SetPaused(f.ctx, &types.MsgSetPaused{Signer: a1.String(), Paused: false})
			return err
		}, want: types.ErrUnpauseNotAllowed},
		{name: "pause by a non-attester", run: func() error {
			_, err := f.msg.SetPaused(f.ctx, &types.MsgSetPaused{Signer: outsider.String(), Paused: true})
			return err
		}, want: types.ErrPauseNotAllowed},
		{name: "unpause by a user", run: func() error {
			_, err := f.msg.SetPaused(f.ctx, &types.MsgSetPaused{Signer: user.String(), Paused: false})
			return err
		}, want: types.ErrUnpauseNotAllowed},

		// --- MsgUpdateParams ---
		{name: "params by non-authority", run: func() error {
			_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: a0.String(), Params: f.enabledParams()})
			return err
		}, want: govtypes.ErrInvalidSigner},
		{name: "params threshold above attesters", run: func() error {
			p := f.enabledParams()
			p.AttestationThreshold = 4
			_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
			return err
		}, want: types.ErrInvalidParams},
		{name: "params threshold not a majority", run: func() error {
			p := f.enabledParams()
			p.Attesters = append(p.Attesters, user.String()) // 4 attesters, threshold 2
			_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
			return err
		}, want: types.ErrInvalidParams},
		{name: "params threshold zero while enabled", run: func() error {
			p := f.enabledParams()
			p.AttestationThreshold = 0
			_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
			return err
		}, want: types.ErrInvalidParams},
		{name: "params duplicate attesters", run: func() error {
			p := f.enabledParams()
			p.Attesters = append(p.Attesters, a0.String())
			_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
			return err
		}, want: types.ErrInvalidParams},
		{name: "params token contract not checksummed", run: func() error {
			p := f.enabledParams()
			p.TokenContract = strings.ToLower(tokenContract)
			_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
			return err
		}, want: types.ErrInvalidParams},
		{name: "params min above max", run: func() error {
			p := f.enabledParams()
			p.MinTransfer = p.MaxTransfer.AddRaw(1)
			_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
			return err
		}, want: types.ErrInvalidParams},
	}

	for _, c := range cases {
		s.Run(c.name, func() {
			s.SetupTest()
			f = s.f
			s.seedHistory()
			if c.setup != nil {
				c.setup()
			}
			before := f.state(s.T())
			err := c.run()
			s.Require().ErrorIs(err, c.want)
			s.Require().Equal(before, f.state(s.T()), "state changed after a refused message")
			f.requireInvariant(s.T())
		})
	}
}

// seedHistory builds: transfer 1 COMPLETED (10 BAI), transfer 2 PENDING (5 BAI, voted by a0),
// claim tx 10 EXECUTED (4 BAI), claim tx 20 PENDING (voted by a0), claim tx 30 FAILED
// (500 BAI, more than locked).
func (s *KeeperSuite) seedHistory() {
	f := s.f
	a0, a1 := f.attesters[0], f.attesters[1]
	user := f.users[0]
	f.lockAndComplete(s.T(), user, 10_000_000)
	n := f.lock(s.T(), user, 5_000_000)
	_, err := f.attestOut(a0, n, txHash(2002), true)
	s.Require().NoError(err)
	for _, a := range []sdk.AccAddress{a0, a1} {
		_, err := f.attestIn(inboundMsg(a, user, 10, 0, 4_000_000))
		s.Require().NoError(err)
	}
	_, err = f.attestIn(inboundMsg(a0, user, 20, 0, 2_000_000))
	s.Require().NoError(err)
	for _, a := range []sdk.AccAddress{a0, a1} {
		res, err := f.attestIn(inboundMsg(a, user, 30, 0, 500_000_000))
		s.Require().NoError(err)
		if a.Equals(a1) {
			s.Require().Equal(types.CLAIM_STATUS_FAILED, res.Status)
		}
	}
	f.requireInvariant(s.T())
}

// claimID derives a claim id for test tx n on chain 1.
func claimID(s *KeeperSuite, tx, logIndex int) string {
	id, err := types.DeriveClaimID(1, txHash(tx), uint64(logIndex))
	s.Require().NoError(err)
	return id
}
