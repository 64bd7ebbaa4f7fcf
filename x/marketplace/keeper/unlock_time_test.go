package keeper_test

import (
	"time"

	"cosmossdk.io/math"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/marketplace/types"
)

// TestUnlockNeverEarly: block times are not whole seconds. Collateral retired (or
// suspended) inside a second is returned only once the block time has reached the full
// unlock_period, never by a block earlier in the same second.
func (s *KeeperSuite) TestUnlockNeverEarly() {
	a, b := s.addrs[0], s.addrs[1]
	retired := s.register(modelMsg(a))
	slashed := s.register(modelMsg(b))

	s.advance(700 * time.Millisecond)
	retireTime := s.ctx.BlockTime()
	_, err := s.msgs.RetireListing(s.ctx, &types.MsgRetireListing{Owner: a, Id: retired})
	s.Require().NoError(err)
	_, err = s.k.SlashAndSuspend(s.ctx, slashed, math.LegacyNewDecWithPrec(5, 1), s.listing(slashed).Collateral.Amount, "", "test")
	s.Require().NoError(err)
	due := retireTime.Add(types.DefaultUnlockPeriod)
	for _, id := range []uint64{retired, slashed} {
		l := s.listing(id)
		s.Require().False(l.UnlockAt.Before(due), "listing %d: unlock_at %s before %s", id, l.UnlockAt, due)
		s.Require().Equal(chainutil.WholeSecond(due), l.UnlockAt)
	}

	// 0.2 s before the period has passed, in the same second as unlock_at's second: nothing.
	s.ctx = s.ctx.WithBlockTime(due.Add(-200 * time.Millisecond))
	s.Require().Equal(due.Unix(), s.ctx.BlockTime().Unix())
	s.Require().NoError(s.k.EndBlocker(s.ctx))
	s.Require().Equal(types.ListingStatusRetiring, s.listing(retired).Status)
	s.Require().True(s.listing(slashed).Collateral.IsPositive())
	s.Require().Equal(2, s.queueLen())
	s.invariant()

	// Once the rounded-up unlock time is reached, both come back.
	s.ctx = s.ctx.WithBlockTime(chainutil.WholeSecond(due))
	s.Require().NoError(s.k.EndBlocker(s.ctx))
	s.Require().Equal(types.ListingStatusRetired, s.listing(retired).Status)
	s.Require().True(s.listing(slashed).Collateral.IsZero())
	s.Require().Equal(0, s.queueLen())
	s.invariant()
}
