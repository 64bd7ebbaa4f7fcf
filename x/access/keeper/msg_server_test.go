package keeper_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/types/query"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"

	"github.com/balanceai/balanceai/x/access/types"
)

func pageReq(limit uint64) *query.PageRequest { return &query.PageRequest{Limit: limit} }
func pageKey(key []byte) *query.PageRequest   { return &query.PageRequest{Key: key} }

func TestSetOperators(t *testing.T) {
	many := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = addr(fmt.Sprintf("op%d", i)).String()
		}
		return out
	}
	cases := []struct {
		name      string
		signer    func(f *fixture) string
		listing   uint64
		operators func(f *fixture) []string
		err       error
	}{
		{name: "not owner", signer: func(f *fixture) string { return f.users[0].String() }, listing: lPublic,
			operators: func(f *fixture) []string { return []string{f.users[1].String()} }, err: types.ErrNotOwner},
		{name: "bad owner address", signer: func(*fixture) string { return "x" }, listing: lPublic,
			operators: func(f *fixture) []string { return nil }, err: types.ErrInvalidAddress},
		{name: "listing not found", listing: lMissing,
			operators: func(f *fixture) []string { return []string{f.users[1].String()} }, err: types.ErrListingNotFound},
		{name: "too many", listing: lPublic, operators: func(*fixture) []string { return many(17) }, err: types.ErrTooManyOperators},
		{name: "duplicate", listing: lPublic,
			operators: func(f *fixture) []string { return []string{f.users[1].String(), f.users[1].String()} }, err: types.ErrDuplicateAddress},
		{name: "invalid operator", listing: lPublic,
			operators: func(f *fixture) []string { return []string{f.users[1].String(), "bai1zzz"} }, err: types.ErrInvalidAddress},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			signer := f.owner.String()
			if tc.signer != nil {
				signer = tc.signer(f)
			}
			before := f.state(t)
			_, err := f.msg.SetOperators(f.ctx, &types.MsgSetOperators{Owner: signer, ListingId: tc.listing, Operators: tc.operators(f)})
			require.ErrorIs(t, err, tc.err)
			require.Equal(t, before, f.state(t))
		})
	}

	t.Run("replace, max and clear", func(t *testing.T) {
		f := newFixture(t)
		f.resetEvents()
		ops := many(16)
		_, err := f.msg.SetOperators(f.ctx, &types.MsgSetOperators{Owner: f.owner.String(), ListingId: lPublic, Operators: ops})
		require.NoError(t, err)
		res, err := f.query.Operators(f.ctx, &types.QueryOperatorsRequest{ListingId: lPublic})
		require.NoError(t, err)
		require.ElementsMatch(t, ops, res.Operators)
		require.Equal(t, 1, f.countEvents("balanceai.access.v1.EventOperatorsSet"))

		// The old operator lost its right; the other listings keep theirs.
		f.sk.Delegate(f.users[0], bai(100))
		_, err = f.record(lPublic, rec(f.users[0], 1))
		require.ErrorIs(t, err, types.ErrNotOperator)
		_, err = f.record(lFree, rec(f.users[0], 1))
		require.NoError(t, err)

		_, err = f.msg.SetOperators(f.ctx, &types.MsgSetOperators{Owner: f.owner.String(), ListingId: lPublic})
		require.NoError(t, err)
		res, err = f.query.Operators(f.ctx, &types.QueryOperatorsRequest{ListingId: lPublic})
		require.NoError(t, err)
		require.Empty(t, res.Operators)
	})
}

func TestSetAllowlist(t *testing.T) {
	cases := []struct {
		name   string
		signer func(f *fixture) string
		add    func(f *fixture) []string
		remove func(f *fixture) []string
		err    error
	}{
		{name: "not owner", signer: func(f *fixture) string { return f.users[0].String() },
			add: func(f *fixture) []string { return []string{f.users[0].String()} }, err: types.ErrNotOwner},
		{name: "empty", err: types.ErrAllowlistUpdateTooLarge},
		{name: "too large", add: func(*fixture) []string {
			out := make([]string, 101)
			for i := range out {
				out[i] = addr(fmt.Sprintf("u%d", i)).String()
			}
			return out
		}, err: types.ErrAllowlistUpdateTooLarge},
		{name: "duplicate in add", add: func(f *fixture) []string { return []string{f.users[0].String(), f.users[0].String()} }, err: types.ErrDuplicateAddress},
		{name: "in add and remove",
			add:    func(f *fixture) []string { return []string{f.users[0].String()} },
			remove: func(f *fixture) []string { return []string{f.users[0].String()} }, err: types.ErrDuplicateAddress},
		{name: "bad address", remove: func(*fixture) []string { return []string{"nope"} }, err: types.ErrInvalidAddress},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			msg := &types.MsgSetAllowlist{Owner: f.owner.String(), ListingId: lAllowlist}
			if tc.signer != nil {
				msg.Owner = tc.signer(f)
			}
			if tc.add != nil {
				msg.Add = tc.add(f)
			}
			if tc.remove != nil {
				msg.Remove = tc.remove(f)
			}
			before := f.state(t)
			_, err := f.msg.SetAllowlist(f.ctx, msg)
			require.ErrorIs(t, err, tc.err)
			require.Equal(t, before, f.state(t))
		})
	}

	t.Run("add, page and remove", func(t *testing.T) {
		f := newFixture(t)
		add := []string{f.users[0].String(), f.users[1].String(), f.users[2].String()}
		_, err := f.msg.SetAllowlist(f.ctx, &types.MsgSetAllowlist{Owner: f.owner.String(), ListingId: lAllowlist, Add: add})
		require.NoError(t, err)
		require.Equal(t, 1, f.countEvents("balanceai.access.v1.EventAllowlistUpdated"))
		p1, err := f.query.Allowlist(f.ctx, &types.QueryAllowlistRequest{ListingId: lAllowlist, Pagination: pageReq(2)})
		require.NoError(t, err)
		require.Len(t, p1.Users, 2)
		p2, err := f.query.Allowlist(f.ctx, &types.QueryAllowlistRequest{ListingId: lAllowlist, Pagination: pageKey(p1.Pagination.NextKey)})
		require.NoError(t, err)
		require.ElementsMatch(t, add, append(p1.Users, p2.Users...))

		// Re-adding is idempotent; removing an absent user is a no-op.
		_, err = f.msg.SetAllowlist(f.ctx, &types.MsgSetAllowlist{Owner: f.owner.String(), ListingId: lAllowlist,
			Add: []string{f.users[0].String()}, Remove: []string{f.users[1].String(), f.users[3].String()}})
		require.NoError(t, err)
		all, err := f.query.Allowlist(f.ctx, &types.QueryAllowlistRequest{ListingId: lAllowlist})
		require.NoError(t, err)
		require.ElementsMatch(t, []string{f.users[0].String(), f.users[2].String()}, all.Users)
	})
}

func TestUpdateParams(t *testing.T) {
	f := newFixture(t)
	p := types.DefaultParams()
	p.MaxReceiptsPerMsg = 2
	_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.owner.String(), Params: p})
	require.ErrorIs(t, err, govtypes.ErrInvalidSigner)

	bad := p
	bad.MaxPrunesPerBlock = 0
	_, err = f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: bad})
	require.ErrorIs(t, err, types.ErrInvalidParams)

	_, err = f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.authority, Params: p})
	require.NoError(t, err)
	res, err := f.query.Params(f.ctx, &types.QueryParamsRequest{})
	require.NoError(t, err)
	require.Equal(t, p, res.Params)

	f.sk.Delegate(f.users[0], bai(1000))
	_, err = f.record(lPublic, rec(f.users[0], 1), rec(f.users[0], 1), rec(f.users[0], 1))
	require.ErrorIs(t, err, types.ErrInvalidRecordCount)
}
