package keeper_test

import (
	"encoding/binary"
	"math/rand"
	"strings"
	"testing"

	"cosmossdk.io/collections"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/balanceai/balanceai/x/access/types"
)

// usageLists records random batches on two listings (users in random order and spelling) and
// returns, per listing, every receipt in id order as the queries must list them.
func usageLists(t *testing.T, f *fixture, r *rand.Rand) map[uint64][]types.Receipt {
	t.Helper()
	for _, u := range f.users {
		f.sk.Delegate(u, bai(1000))
	}
	want := map[uint64][]types.Receipt{}
	for n := 0; n < 30; n++ {
		listing := []uint64{lUnlimited, lPublic}[r.Intn(2)]
		recs := make([]types.UsageRecord, 1+r.Intn(6))
		for i := range recs {
			recs[i] = rec(f.users[r.Intn(len(f.users))], uint64(1+r.Intn(9)))
			if r.Intn(4) == 0 {
				recs[i].User = strings.ToUpper(recs[i].User)
			}
		}
		if listing == lPublic {
			recs = recs[:1] // lPublic has a daily quota
		}
		out, err := f.record(listing, recs...)
		if err != nil {
			require.ErrorIs(t, err, types.ErrAccessDenied)
			continue
		}
		for i, id := range out.ReceiptIds {
			want[listing] = append(want[listing], types.Receipt{
				Id: id, ListingId: listing, Operator: f.operator.String(), User: recs[i].User,
				RequestCid: recs[i].RequestCid, ResponseCid: recs[i].ResponseCid, Units: recs[i].Units,
				Time: f.ctx.BlockTime(), Height: f.ctx.BlockHeight(),
			})
		}
	}
	return want
}

// TestReceiptPagesMatchTheReceiptList: receipts are stored a batch at a time, and the queries
// page through them by receipt: every page (offset, limit, next_key, reverse, count_total),
// by listing and by user in any spelling, must be the matching slice of the full receipt list.
func TestReceiptPagesMatchTheReceiptList(t *testing.T) {
	f := newFixture(t)
	r := rand.New(rand.NewSource(3))
	lists := usageLists(t, f, r)
	require.Greater(t, len(lists[lUnlimited]), 40)
	f.requireInvariant(t)

	type lister func(*query.PageRequest) ([]types.Receipt, *query.PageResponse, error)
	byListing := func(listing uint64) lister {
		return func(p *query.PageRequest) ([]types.Receipt, *query.PageResponse, error) {
			res, err := f.query.UsageByListing(f.ctx, &types.QueryUsageByListingRequest{ListingId: listing, Pagination: p})
			if err != nil {
				return nil, nil, err
			}
			return res.Receipts, res.Pagination, nil
		}
	}
	byUser := func(listing uint64, user string) lister {
		return func(p *query.PageRequest) ([]types.Receipt, *query.PageResponse, error) {
			res, err := f.query.UsageByUser(f.ctx, &types.QueryUsageByUserRequest{ListingId: listing, User: user, Pagination: p})
			if err != nil {
				return nil, nil, err
			}
			return res.Receipts, res.Pagination, nil
		}
	}
	type list struct {
		name string
		list lister
		want []types.Receipt
	}
	var lists2 []list
	for _, listing := range []uint64{lUnlimited, lPublic, lFree} {
		lists2 = append(lists2, list{"listing", byListing(listing), lists[listing]})
		for i, u := range f.users {
			var mine []types.Receipt
			for _, rc := range lists[listing] {
				if strings.EqualFold(rc.User, u.String()) {
					mine = append(mine, rc)
				}
			}
			spelling := u.String()
			if i%2 == 1 {
				spelling = strings.ToUpper(spelling)
			}
			lists2 = append(lists2, list{"user " + spelling, byUser(listing, spelling), mine})
		}
	}
	reversed := func(in []types.Receipt) []types.Receipt {
		out := make([]types.Receipt, len(in))
		for i := range in {
			out[len(in)-1-i] = in[i]
		}
		return out
	}
	slice := func(in []types.Receipt, from, n int) []types.Receipt {
		from = min(from, len(in))
		return nonNil(in[from:min(from+n, len(in))])
	}
	keyOf := func(id uint64) []byte { return binary.BigEndian.AppendUint64(nil, id) }

	for _, l := range lists2 {
		for _, reverse := range []bool{false, true} {
			all := l.want
			if reverse {
				all = reversed(all)
			}
			// No page request: the default limit, with the total.
			got, page, err := l.list(&query.PageRequest{Reverse: reverse})
			require.NoError(t, err, l.name)
			require.Equal(t, slice(all, 0, int(query.DefaultLimit)), nonNil(got), l.name)
			require.Equal(t, uint64(len(all)), page.Total, l.name)
			require.Nil(t, page.NextKey, l.name)

			// Offsets and limits.
			for _, limit := range []int{1, 2, 5, 7} {
				for offset := 0; offset <= len(all)+1; offset += 1 + r.Intn(4) {
					got, page, err := l.list(&query.PageRequest{Offset: uint64(offset), Limit: uint64(limit), CountTotal: true, Reverse: reverse})
					require.NoError(t, err, l.name)
					require.Equal(t, slice(all, offset, limit), nonNil(got), "%s offset %d limit %d reverse %v", l.name, offset, limit, reverse)
					require.Equal(t, uint64(len(all)), page.Total, l.name)
					if offset+limit < len(all) {
						require.Equal(t, keyOf(all[offset+limit].Id), page.NextKey, l.name)
					} else {
						require.Nil(t, page.NextKey, l.name)
					}
				}
				// Paging through with next_key gives every receipt once.
				var walked []types.Receipt
				var key []byte
				for {
					got, page, err := l.list(&query.PageRequest{Key: key, Limit: uint64(limit), Reverse: reverse})
					require.NoError(t, err, l.name)
					walked = append(walked, got...)
					if page.NextKey == nil {
						break
					}
					key = page.NextKey
				}
				require.Equal(t, nonNil(all), nonNil(walked), "%s limit %d reverse %v", l.name, limit, reverse)
			}
		}
	}

	// A key that names no receipt of the list starts at the next one that does.
	all := lists[lUnlimited]
	got, _, err := byListing(lUnlimited)(&query.PageRequest{Key: keyOf(all[3].Id - 1), Limit: 1})
	require.NoError(t, err)
	if all[2].Id == all[3].Id-1 {
		require.Equal(t, all[2:3], got)
	} else {
		require.Equal(t, all[3:4], got)
	}
	got, _, err = byListing(lUnlimited)(&query.PageRequest{Key: keyOf(all[len(all)-1].Id + 1000), Limit: 1, Reverse: true})
	require.NoError(t, err)
	require.Equal(t, all[len(all)-1:], got)

	// Bad page requests are refused with InvalidArgument.
	for name, p := range map[string]*query.PageRequest{
		"short key":      {Key: []byte{1, 2}},
		"key and offset": {Key: keyOf(1), Offset: 1},
	} {
		_, _, err := byListing(lUnlimited)(p)
		require.Equal(t, codes.InvalidArgument, status.Code(err), name)
	}
	_, _, err = byUser(lUnlimited, "nobody")(nil)
	require.Equal(t, codes.InvalidArgument, status.Code(err))
}

// nonNil makes an empty list comparable with an empty expectation.
func nonNil(in []types.Receipt) []types.Receipt {
	if in == nil {
		return []types.Receipt{}
	}
	return in
}

// TestBatchIndexesCountEachUsersRecords: one MsgRecordUsage is one batch with one listing
// index entry (its records) and one entry per user (that user's records), whatever the
// spelling of the user.
func TestBatchIndexesCountEachUsersRecords(t *testing.T) {
	f := newFixture(t)
	a, b := f.users[0], f.users[1]
	f.sk.Delegate(a, bai(1000))
	f.sk.Delegate(b, bai(1000))
	upper := rec(a, 1)
	upper.User = strings.ToUpper(upper.User)
	out, err := f.record(lUnlimited, rec(a, 1), rec(b, 2), upper, rec(a, 4))
	require.NoError(t, err)
	require.Equal(t, []uint64{1, 2, 3, 4}, out.ReceiptIds)

	batch, err := f.k.ReceiptBatches.Get(f.ctx, 1)
	require.NoError(t, err)
	require.Equal(t, uint64(1), batch.FirstReceiptId)
	require.Len(t, batch.Records, 4)
	require.Equal(t, upper.User, batch.Records[2].User, "a record keeps the spelling it was sent with")

	entries := map[string]uint64{}
	require.NoError(t, f.k.BatchesByUser.Walk(f.ctx, nil, func(k collections.Pair[collections.Pair[uint64, sdk.AccAddress], uint64], n uint64) (bool, error) {
		require.Equal(t, lUnlimited, k.K1().K1())
		require.Equal(t, uint64(1), k.K2())
		entries[sdk.AccAddress(k.K1().K2()).String()] = n
		return false, nil
	}))
	require.Equal(t, map[string]uint64{a.String(): 3, b.String(): 1}, entries)
	n, err := f.k.BatchesByListing.Get(f.ctx, collections.Join(lUnlimited, uint64(1)))
	require.NoError(t, err)
	require.Equal(t, uint64(4), n)
	f.requireInvariant(t)
}

// TestReceiptInvariantCatchesBrokenIndexes: each way the batches and their indexes can drift
// apart breaks the invariant.
func TestReceiptInvariantCatchesBrokenIndexes(t *testing.T) {
	type userKey = collections.Pair[collections.Pair[uint64, sdk.AccAddress], uint64]
	cases := map[string]func(f *fixture, a sdk.AccAddress) error{
		"user entry missing": func(f *fixture, a sdk.AccAddress) error {
			return f.k.BatchesByUser.Remove(f.ctx, collections.Join(collections.Join(lUnlimited, a), uint64(1)))
		},
		"user entry miscounts": func(f *fixture, a sdk.AccAddress) error {
			return f.k.BatchesByUser.Set(f.ctx, userKey(collections.Join(collections.Join(lUnlimited, a), uint64(1))), 1)
		},
		"stray user entry": func(f *fixture, a sdk.AccAddress) error {
			return f.k.BatchesByUser.Set(f.ctx, collections.Join(collections.Join(lPublic, a), uint64(1)), 2)
		},
		"listing entry miscounts": func(f *fixture, _ sdk.AccAddress) error {
			return f.k.BatchesByListing.Set(f.ctx, collections.Join(lUnlimited, uint64(1)), 2)
		},
		"stray listing entry": func(f *fixture, _ sdk.AccAddress) error {
			return f.k.BatchesByListing.Set(f.ctx, collections.Join(lPublic, uint64(9)), 1)
		},
		"overlapping batch": func(f *fixture, _ sdk.AccAddress) error {
			b, err := f.k.ReceiptBatches.Get(f.ctx, 4)
			if err != nil {
				return err
			}
			b.FirstReceiptId = 3
			return f.k.ReceiptBatches.Set(f.ctx, 3, b)
		},
		"batch above the sequence": func(f *fixture, _ sdk.AccAddress) error {
			return f.k.ReceiptSeq.Set(f.ctx, 3)
		},
	}
	for name, breakIt := range cases {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			a, b := f.users[0], f.users[1]
			f.sk.Delegate(a, bai(1000))
			f.sk.Delegate(b, bai(1000))
			_, err := f.record(lUnlimited, rec(a, 1), rec(b, 1), rec(a, 1))
			require.NoError(t, err)
			_, err = f.record(lUnlimited, rec(b, 1))
			require.NoError(t, err)
			f.requireInvariant(t)
			require.NoError(t, breakIt(f, a))
			require.Error(t, keeperInvariant(f))
		})
	}
}
