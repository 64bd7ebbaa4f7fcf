package keeper_test

import (
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/balanceai/balanceai/x/bridge/types"
)

func (s *KeeperSuite) TestQueries() {
	f := s.f
	u0, u1 := f.users[0], f.users[1]
	for i := 0; i < 5; i++ {
		f.lock(s.T(), u0, 1_000_000)
		f.lock(s.T(), u1, 2_000_000)
	}

	p, err := f.query.Params(f.ctx, &types.QueryParamsRequest{})
	s.Require().NoError(err)
	s.Require().Equal(f.enabledParams(), p.Params)
	s.Require().False(p.Paused)

	t, err := f.query.Totals(f.ctx, &types.QueryTotalsRequest{})
	s.Require().NoError(err)
	s.Require().Equal(int64(15_000_000), t.Totals.TotalLocked.Int64())
	s.Require().Equal(int64(15_000_000), t.Totals.LockedBalance.Int64())
	s.Require().Equal(int64(15_000_000), t.OutboundToday.Int64())
	s.Require().Equal(blockTime.Unix()/86400, t.Day)

	o, err := f.query.OutboundTransfer(f.ctx, &types.QueryOutboundTransferRequest{Nonce: 2})
	s.Require().NoError(err)
	s.Require().Equal(u1.String(), o.Transfer.Sender)
	_, err = f.query.OutboundTransfer(f.ctx, &types.QueryOutboundTransferRequest{Nonce: 99})
	s.Require().Equal(codes.NotFound, status.Code(err))
	_, err = f.query.OutboundTransfer(f.ctx, &types.QueryOutboundTransferRequest{Nonce: 0})
	s.Require().Equal(codes.InvalidArgument, status.Code(err))

	// By sender, through the index, two pages.
	page1, err := f.query.OutboundTransfers(f.ctx, &types.QueryOutboundTransfersRequest{Sender: u1.String(), Pagination: &query.PageRequest{Limit: 3, CountTotal: true}})
	s.Require().NoError(err)
	s.Require().Len(page1.Transfers, 3)
	s.Require().Equal(uint64(5), page1.Pagination.Total)
	s.Require().NotNil(page1.Pagination.NextKey)
	page2, err := f.query.OutboundTransfers(f.ctx, &types.QueryOutboundTransfersRequest{Sender: u1.String(), Pagination: &query.PageRequest{Key: page1.Pagination.NextKey, Limit: 3}})
	s.Require().NoError(err)
	s.Require().Len(page2.Transfers, 2)
	var nonces []uint64
	for _, tr := range append(page1.Transfers, page2.Transfers...) {
		s.Require().Equal(u1.String(), tr.Sender)
		nonces = append(nonces, tr.Nonce)
	}
	s.Require().Equal([]uint64{2, 4, 6, 8, 10}, nonces)

	all, err := f.query.OutboundTransfers(f.ctx, &types.QueryOutboundTransfersRequest{})
	s.Require().NoError(err)
	s.Require().Len(all.Transfers, 10)
	_, err = f.query.OutboundTransfers(f.ctx, &types.QueryOutboundTransfersRequest{Sender: "nope"})
	s.Require().Equal(codes.InvalidArgument, status.Code(err))
	// A page key that is not a next_key is refused, with and without a sender.
	for _, r := range []*types.QueryOutboundTransfersRequest{
		{Pagination: &query.PageRequest{Key: []byte{1}}},
		{Sender: u1.String(), Pagination: &query.PageRequest{Key: []byte{1}}},
	} {
		_, err = f.query.OutboundTransfers(f.ctx, r)
		s.Require().Equal(codes.InvalidArgument, status.Code(err), "%+v", r)
	}
	// Reverse pages one sender's transfers from the highest nonce.
	rev, err := f.query.OutboundTransfers(f.ctx, &types.QueryOutboundTransfersRequest{Sender: u1.String(), Pagination: &query.PageRequest{Reverse: true, Limit: 2}})
	s.Require().NoError(err)
	s.Require().Equal(uint64(10), rev.Transfers[0].Nonce)
	s.Require().Equal(uint64(8), rev.Transfers[1].Nonce)

	res, err := f.attestIn(inboundMsg(f.attesters[0], u0, 3, 0, 1_000_000))
	s.Require().NoError(err)
	c, err := f.query.InboundClaim(f.ctx, &types.QueryInboundClaimRequest{ClaimId: res.ClaimId})
	s.Require().NoError(err)
	s.Require().Equal(types.CLAIM_STATUS_PENDING, c.Claim.Status)
	s.Require().Equal([]string{f.attesters[0].String()}, c.Claim.Contents[0].Voters)
	_, err = f.query.InboundClaim(f.ctx, &types.QueryInboundClaimRequest{ClaimId: claimID(s, 4, 0)})
	s.Require().Equal(codes.NotFound, status.Code(err))
	_, err = f.query.InboundClaim(f.ctx, &types.QueryInboundClaimRequest{ClaimId: "xyz"})
	s.Require().Equal(codes.InvalidArgument, status.Code(err))
}
