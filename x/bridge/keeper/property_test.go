package keeper_test

import (
	"fmt"
	"testing"
	"time"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/balanceai/balanceai/x/bridge/types"
)

// TestPropertyReleasedNeverExceedsLocked drives random sequences of every message (honest and
// hostile), EndBlocks, day changes and ethereum_chain_id changes, and checks after each step
// that released never exceeds locked, that the full accounting invariant holds, that no
// Ethereum event is paid twice, that no ubai is created or destroyed, and that a refused
// message changed nothing.
func TestPropertyReleasedNeverExceedsLocked(t *testing.T) {
	runsWithRelease := 0
	rapid.Check(t, func(rt *rapid.T) {
		f := newFixture(t)
		blocked := authtypes.NewModuleAddress("bonded_tokens_pool")
		f.bank.Blocked[string(blocked)] = true
		recipients := []sdk.AccAddress{f.users[0], f.users[1], blocked}
		signers := append(append([]sdk.AccAddress{}, f.attesters...), f.users[2]) // last one is no attester
		supply := f.bank.Supply.String()

		// The Ethereum events of this run; attesters mostly report them faithfully.
		type claim struct {
			recipient sdk.AccAddress
			amount    int64
		}
		claims := make([]claim, 4)
		for i := range claims {
			claims[i] = claim{
				recipient: recipients[rapid.IntRange(0, len(recipients)-1).Draw(rt, "recipient")],
				amount:    rapid.Int64Range(1, 60).Draw(rt, "claimBAI") * 1_000_000,
			}
		}

		// Most runs start with wBAI outstanding, so inbound claims can pay early in the run
		// and later steps (replays, chain id changes) act on executed claims.
		if rapid.IntRange(0, 3).Draw(rt, "prefund") > 0 {
			f.lockAndComplete(t, f.users[0], 100_000_000)
		}

		steps := rapid.IntRange(1, 80).Draw(rt, "steps")
		for i := 0; i < steps; i++ {
			before := f.state(t)
			var err error
			switch rapid.IntRange(0, 10).Draw(rt, "op") {
			case 0, 1:
				u := f.users[rapid.IntRange(0, 2).Draw(rt, "user")]
				amt := rapid.Int64Range(0, 120).Draw(rt, "lockBAI")*1_000_000 + rapid.Int64Range(-1, 1).Draw(rt, "lockDelta")
				_, err = f.msg.Lock(f.ctx, &types.MsgLock{Sender: u.String(), EthRecipient: ethAddrChecksummed, Amount: sdk.Coin{Denom: types.Denom, Amount: math.NewInt(amt)}})
			case 2, 3, 4:
				last, _ := f.k.OutboundSeq.Peek(f.ctx)
				a := signers[rapid.IntRange(0, len(signers)-1).Draw(rt, "attester")]
				nonce := rapid.Uint64Range(0, last+1).Draw(rt, "nonce")
				if last > 0 && rapid.IntRange(0, 3).Draw(rt, "recent") > 0 {
					nonce = last - rapid.Uint64Range(0, min(last-1, 2)).Draw(rt, "back")
				}
				// Mostly honest (the mint tx of this nonce, success); sometimes a failure or a lie.
				hash, success := txHash(int(nonce)), true
				switch rapid.IntRange(0, 5).Draw(rt, "outcome") {
				case 0:
					hash, success = "", false
				case 1:
					hash, success = txHash(rapid.IntRange(0, 3).Draw(rt, "lieHash")), rapid.Bool().Draw(rt, "lieSuccess")
				}
				_, err = f.attestOut(a, nonce, hash, success)
			case 5, 6, 7:
				a := signers[rapid.IntRange(0, len(signers)-1).Draw(rt, "attester")]
				tx := rapid.IntRange(0, len(claims)-1).Draw(rt, "claim")
				c := claims[tx]
				if rapid.IntRange(0, 4).Draw(rt, "mismatch") == 0 {
					// A lying or buggy attester: same event, other content.
					c.amount = rapid.Int64Range(0, 60_000_000).Draw(rt, "lieAmount")
				}
				_, err = f.attestIn(inboundMsg(a, c.recipient, tx, 0, c.amount))
			case 8:
				signer := f.authority
				if rapid.Bool().Draw(rt, "byAttester") {
					signer = signers[rapid.IntRange(0, len(signers)-1).Draw(rt, "pauser")].String()
				}
				_, err = f.msg.SetPaused(f.ctx, &types.MsgSetPaused{Signer: signer, Paused: rapid.IntRange(0, 2).Draw(rt, "pauseRoll") == 0})
			case 9:
				if rapid.Bool().Draw(rt, "nextDay") {
					f.ctx = f.ctx.WithBlockTime(f.ctx.BlockTime().Add(24 * time.Hour))
				}
				f.ctx = f.ctx.WithBlockHeight(f.ctx.BlockHeight() + 1)
				require.NoError(t, f.k.EndBlocker(f.ctx))
			case 10:
				// Governance moves ethereum_chain_id: the same events derive other claim ids.
				id := rapid.Uint64Range(1, 3).Draw(rt, "chainID")
				p, perr := f.k.Params.Get(f.ctx)
				require.NoError(t, perr)
				p.EthereumChainId = id
				_, err = f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
				require.NoError(t, err)
			}
			if err != nil {
				require.Equal(t, before, f.state(t), "refused message changed state: %v", err)
			}
			tot := f.totals(t)
			require.False(t, tot.TotalReleased.GT(tot.TotalLocked), "released %s > locked %s", tot.TotalReleased, tot.TotalLocked)
			require.NoError(t, f.k.CheckAccounting(f.ctx))
			require.NoError(t, f.k.CheckExecutedEvents(f.ctx))
			// Each Ethereum event (tx hash, log index) is paid at most once, whatever chain id
			// its claims were derived under.
			paid := map[string]int{}
			require.NoError(t, f.k.Claims.Walk(f.ctx, nil, func(_ string, c types.InboundClaim) (bool, error) {
				if c.Status == types.CLAIM_STATUS_EXECUTED {
					paid[fmt.Sprintf("%s/%d", c.EthTxHash, c.LogIndex)]++
				}
				return false, nil
			}))
			for ev, n := range paid {
				require.Equal(t, 1, n, "Ethereum event %s paid %d times", ev, n)
			}
			require.Equal(t, supply, f.bank.Supply.String())
			total := sdk.NewCoins()
			for _, c := range f.bank.Balances {
				total = total.Add(c...)
			}
			require.Equal(t, supply, total.String(), "ubai created or destroyed")
		}
		if f.totals(t).TotalReleased.IsPositive() {
			runsWithRelease++
		}
	})
	// Guard against a vacuous generator: some runs must reach a release.
	require.Positive(t, runsWithRelease, "no random run ever released BAI")
	t.Logf("%d runs released BAI", runsWithRelease)
}
