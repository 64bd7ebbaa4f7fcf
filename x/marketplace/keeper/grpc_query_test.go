package keeper_test

import (
	"fmt"
	"slices"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/balanceai/balanceai/x/marketplace/types"
)

// ids returns the ids of all listings matching req, walking every page with next_key.
func (s *KeeperSuite) ids(req *types.QueryListingsRequest) []uint64 {
	ids, _ := s.pagedIDs(req, 0)
	return ids
}

// pagedIDs pages through the query with the given page size (0 = default) and returns
// the ids and the number of pages.
func (s *KeeperSuite) pagedIDs(req *types.QueryListingsRequest, limit uint64) ([]uint64, int) {
	var out []uint64
	r := *req
	r.Pagination = &query.PageRequest{Limit: limit}
	pages := 0
	for {
		res, err := s.qs.Listings(s.ctx, &r)
		s.Require().NoError(err)
		pages++
		s.Require().LessOrEqual(pages, 1000)
		for _, l := range res.Listings {
			out = append(out, l.Id)
		}
		if res.Pagination == nil || len(res.Pagination.NextKey) == 0 {
			return out, pages
		}
		r.Pagination = &query.PageRequest{Key: res.Pagination.NextKey, Limit: limit}
	}
}

// TestListingsQueryIndexes registers a varied population and checks that every
// filter combination returns exactly the listings a brute-force scan finds, whatever
// the page size.
func (s *KeeperSuite) TestListingsQueryIndexes() {
	tasks := []string{"nlp", "speech", "text-to-image"}
	tags := [][]string{{"llm"}, {"llm", "vision"}, {"vision"}, nil}
	for i := 0; i < 40; i++ {
		owner := s.addrs[i%3]
		var m *types.MsgRegisterListing
		if i%4 == 3 {
			m = agentMsg(owner, 1)
		} else {
			m = modelMsg(owner)
		}
		m.Task = tasks[i%len(tasks)]
		m.Tags = tags[i%len(tags)]
		id := s.register(m)
		switch i % 5 {
		case 1:
			_, err := s.msgs.PauseListing(s.ctx, &types.MsgPauseListing{Owner: owner, Id: id})
			s.Require().NoError(err)
		case 2:
			_, err := s.msgs.RetireListing(s.ctx, &types.MsgRetireListing{Owner: owner, Id: id})
			s.Require().NoError(err)
		}
	}
	var all []types.Listing
	s.Require().NoError(s.k.Listings.Walk(s.ctx, nil, func(_ uint64, l types.Listing) (bool, error) {
		all = append(all, l)
		return false, nil
	}))
	brute := func(r *types.QueryListingsRequest) []uint64 {
		var out []uint64
		for _, l := range all {
			if (r.Kind == 0 || l.Kind == r.Kind) && (r.Status == 0 || l.Status == r.Status) &&
				(r.Owner == "" || l.Owner == r.Owner) && (r.Task == "" || l.Task == r.Task) &&
				(r.Tag == "" || slices.Contains(l.Tags, r.Tag)) {
				out = append(out, l.Id)
			}
		}
		return out
	}
	reqs := []*types.QueryListingsRequest{
		{},
		{Owner: s.addrs[0]},
		{Owner: s.addrs[3]},
		{Tag: "llm"},
		{Tag: "vision", Kind: types.ListingKindModel},
		{Task: "speech"},
		{Task: "nlp", Status: types.ListingStatusActive},
		{Status: types.ListingStatusPaused},
		{Kind: types.ListingKindAgent},
		{Kind: types.ListingKindModel, Status: types.ListingStatusRetiring},
		{Owner: s.addrs[1], Tag: "llm", Kind: types.ListingKindModel, Task: "nlp", Status: types.ListingStatusActive},
		{Tag: "none"},
	}
	for _, r := range reqs {
		want := brute(r)
		for _, limit := range []uint64{0, 1, 3, 7} {
			got, pages := s.pagedIDs(r, limit)
			s.Require().Equal(want, got, "filter %+v limit %d", r, limit)
			if limit > 0 && len(want) > 0 {
				s.Require().Equal((len(want)+int(limit)-1)/int(limit), pages, "filter %+v limit %d", r, limit)
			}
		}
		// count_total, offset and reverse.
		res, err := s.qs.Listings(s.ctx, &types.QueryListingsRequest{Kind: r.Kind, Status: r.Status, Owner: r.Owner, Task: r.Task, Tag: r.Tag,
			Pagination: &query.PageRequest{Offset: 1, Limit: 2, CountTotal: true}})
		s.Require().NoError(err)
		s.Require().Equal(uint64(len(want)), res.Pagination.Total, "total %+v", r)
		var got []uint64
		for _, l := range res.Listings {
			got = append(got, l.Id)
		}
		if len(want) > 1 {
			s.Require().Equal(want[1:min(3, len(want))], got, "offset %+v", r)
		}
		res, err = s.qs.Listings(s.ctx, &types.QueryListingsRequest{Kind: r.Kind, Status: r.Status, Owner: r.Owner, Task: r.Task, Tag: r.Tag,
			Pagination: &query.PageRequest{Reverse: true, Limit: 1000}})
		s.Require().NoError(err)
		got = nil
		for _, l := range res.Listings {
			got = append(got, l.Id)
		}
		rev := slices.Clone(want)
		slices.Reverse(rev)
		s.Require().Equal(rev, got, "reverse %+v", r)
	}

	// Bad requests.
	for _, r := range []*types.QueryListingsRequest{
		{Owner: "not-an-address"},
		{Kind: 9},
		{Status: 42},
		{Task: "nlp\x00"},
		{Task: "NLP"},
		{Tag: "\x00"},
		{Tag: strings.Repeat("t", 500)},
		{Tag: "llm", Pagination: &query.PageRequest{Key: []byte{1, 2}}},
		{Pagination: &query.PageRequest{Key: []byte{1, 2}}},
		{Owner: s.addrs[0], Pagination: &query.PageRequest{Key: make([]byte, 8), Offset: 1}},
	} {
		_, err := s.qs.Listings(s.ctx, r)
		s.Require().Equal(codes.InvalidArgument, status.Code(err), fmt.Sprintf("%+v", r))
	}
}

func (s *KeeperSuite) TestSingleQueries() {
	id := s.register(modelMsg(s.addrs[0]))
	res, err := s.qs.Listing(s.ctx, &types.QueryListingRequest{Id: id})
	s.Require().NoError(err)
	s.Require().Equal(s.listing(id), res.Listing)
	_, err = s.qs.Listing(s.ctx, &types.QueryListingRequest{Id: 77})
	s.Require().Equal(codes.NotFound, status.Code(err))
	_, err = s.qs.Listing(s.ctx, &types.QueryListingRequest{})
	s.Require().Equal(codes.InvalidArgument, status.Code(err))
	p, err := s.qs.Params(s.ctx, &types.QueryParamsRequest{})
	s.Require().NoError(err)
	s.Require().Equal(types.DefaultParams(), p.Params)
	t, err := s.qs.Totals(s.ctx, &types.QueryTotalsRequest{})
	s.Require().NoError(err)
	s.Require().Equal(uint64(1), t.TotalListings)
	s.Require().Equal(types.CountByKind{Kind: types.ListingKindModel, Count: 1}, t.ByKind[0])
	s.Require().Equal("1000000000ubai", t.CollateralLocked.String())
}
