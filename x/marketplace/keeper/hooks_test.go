package keeper_test

import (
	"context"
	"errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/marketplace/keeper"
	"github.com/balanceai/balanceai/x/marketplace/types"
)

// transferCall is one AfterListingTransferred call.
type transferCall struct {
	id       uint64
	from, to string
}

// fakeHooks records the hook calls; fail makes them return an error.
type fakeHooks struct {
	calls []transferCall
	fail  error
}

func (f *fakeHooks) AfterListingTransferred(_ context.Context, id uint64, from, to sdk.AccAddress) error {
	f.calls = append(f.calls, transferCall{id: id, from: string(from), to: string(to)})
	return f.fail
}

// TestTransferHooks: every hook runs once per transfer with the listing and both owners, in
// order; a refused transfer calls none; a hook error fails the transfer; hooks can be set once.
func (s *KeeperSuite) TestTransferHooks() {
	first, second := &fakeHooks{}, &fakeHooks{}
	s.k.SetHooks(types.NewMultiMarketplaceHooks(first, second))
	s.msgs = keeper.NewMsgServerImpl(s.k)
	s.Require().Panics(func() { s.k.SetHooks(&fakeHooks{}) })

	a, b := s.addrs[0], s.addrs[1]
	id := s.register(modelMsg(a))
	_, err := s.msgs.TransferListing(s.ctx, &types.MsgTransferListing{Owner: b, Id: id, NewOwner: a})
	s.Require().ErrorIs(err, types.ErrNotOwner)
	s.Require().Empty(first.calls)

	_, err = s.msgs.TransferListing(s.ctx, &types.MsgTransferListing{Owner: a, Id: id, NewOwner: b})
	s.Require().NoError(err)
	want := []transferCall{{id: id, from: string(s.accAddr(a)), to: string(s.accAddr(b))}}
	s.Require().Equal(want, first.calls)
	s.Require().Equal(want, second.calls)

	// The first hook fails: the transfer fails and the second hook is not called.
	first.fail = errors.New("access reset failed")
	cacheCtx, _ := s.ctx.CacheContext()
	_, err = s.msgs.TransferListing(cacheCtx, &types.MsgTransferListing{Owner: b, Id: id, NewOwner: a})
	s.Require().ErrorContains(err, "access reset failed")
	s.Require().Len(first.calls, 2)
	s.Require().Len(second.calls, 1)
	s.Require().Equal(b, s.listing(id).Owner)
}
