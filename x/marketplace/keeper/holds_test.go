package keeper_test

import (
	"context"
	"time"

	"github.com/balanceai/balanceai/x/marketplace/types"
)

// fakeHolds holds back the collateral of the listings in its set.
type fakeHolds map[uint64]bool

func (f fakeHolds) HoldsCollateral(_ context.Context, id uint64) (bool, error) { return f[id], nil }

// TestHeldCollateralStaysLocked: while another module holds a listing's collateral (an open
// flag), a due unlock is postponed and rechecked an hour later; once released it unlocks.
func (s *KeeperSuite) TestHeldCollateralStaysLocked() {
	holds := fakeHolds{}
	s.k = s.k.SetCollateralHolds(holds)
	a, b := s.addrs[0], s.addrs[1]
	held := s.register(modelMsg(a))
	free := s.register(modelMsg(b))
	for _, id := range []uint64{held, free} {
		_, err := s.msgs.RetireListing(s.ctx, &types.MsgRetireListing{Owner: s.listing(id).Owner, Id: id})
		s.Require().NoError(err)
	}
	holds[held] = true

	due := s.listing(held).UnlockAt
	s.ctx = s.ctx.WithBlockTime(due)
	s.Require().NoError(s.k.EndBlocker(s.ctx))
	s.Require().Equal(types.ListingStatusRetired, s.listing(free).Status)
	l := s.listing(held)
	s.Require().Equal(types.ListingStatusRetiring, l.Status)
	s.Require().True(l.Collateral.IsPositive())
	s.Require().Equal(due.Add(time.Hour), l.UnlockAt)
	s.Require().Equal(1, s.queueLen())
	s.invariant()

	// Still held an hour later: postponed again.
	s.ctx = s.ctx.WithBlockTime(due.Add(time.Hour))
	s.Require().NoError(s.k.EndBlocker(s.ctx))
	s.Require().Equal(types.ListingStatusRetiring, s.listing(held).Status)

	// Released: the next recheck returns the collateral.
	holds[held] = false
	s.ctx = s.ctx.WithBlockTime(due.Add(2 * time.Hour))
	s.Require().NoError(s.k.EndBlocker(s.ctx))
	s.Require().Equal(types.ListingStatusRetired, s.listing(held).Status)
	s.Require().True(s.listing(held).Collateral.IsZero())
	s.Require().Equal(0, s.queueLen())
	s.invariant()
}
