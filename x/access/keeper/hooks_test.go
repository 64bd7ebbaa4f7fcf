package keeper_test

import (
	"fmt"
	"testing"

	"cosmossdk.io/collections"
	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/access/types"
)

// transfer moves the listing to newOwner in the fake marketplace and runs the hook, as
// x/marketplace's TransferListing does.
func (f *fixture) transfer(tb testing.TB, listing uint64, newOwner sdk.AccAddress) {
	tb.Helper()
	l := f.mk.Listings[listing]
	prev, err := sdk.AccAddressFromBech32(l.Owner)
	require.NoError(tb, err)
	l.Owner = newOwner.String()
	f.mk.Listings[listing] = l
	require.NoError(tb, f.k.Hooks().AfterListingTransferred(f.ctx, listing, prev, newOwner))
}

// allowlisted returns the users the Allowlist query reports for the listing.
func (f *fixture) allowlisted(tb testing.TB, listing uint64) []string {
	tb.Helper()
	res, err := f.query.Allowlist(f.ctx, &types.QueryAllowlistRequest{ListingId: listing})
	require.NoError(tb, err)
	return res.Users
}

// allowlistEntries counts the stored allowlist entries of the listing, all generations.
func (f *fixture) allowlistEntries(tb testing.TB, listing uint64) int {
	tb.Helper()
	n := 0
	rng := collections.NewPrefixedTripleRange[uint64, uint64, sdk.AccAddress](listing)
	require.NoError(tb, f.k.Allowlist.Walk(f.ctx, rng, func(collections.Triple[uint64, uint64, sdk.AccAddress]) (bool, error) {
		n++
		return false, nil
	}))
	return n
}

// TestTransferResetsAccessSettings: after a transfer the seller's node can no longer record
// usage on the listing, the seller's allowlist no longer admits anyone, and the buyer starts
// from a clean slate it controls.
func TestTransferResetsAccessSettings(t *testing.T) {
	f := newFixture(t)
	a, b := f.users[0], f.users[1]
	f.sk.Delegate(a, bai(1000))
	f.sk.Delegate(b, bai(1000))
	backup := addr("backup-node")
	_, err := f.msg.SetOperators(f.ctx, &types.MsgSetOperators{Owner: f.owner.String(), ListingId: lAllowlist, Operators: []string{f.operator.String(), backup.String()}})
	require.NoError(t, err)
	_, err = f.msg.SetAllowlist(f.ctx, &types.MsgSetAllowlist{Owner: f.owner.String(), ListingId: lAllowlist, Add: []string{a.String()}})
	require.NoError(t, err)
	_, err = f.record(lAllowlist, rec(a, 1))
	require.NoError(t, err)

	buyer := addr("buyer")
	f.resetEvents()
	f.transfer(t, lAllowlist, buyer)

	// The event names what was reset.
	var ev *types.EventListingAccessReset
	for _, e := range f.ctx.EventManager().Events() {
		if e.Type == "balanceai.access.v1.EventListingAccessReset" {
			pe, err := sdk.ParseTypedEvent(abci.Event(e))
			require.NoError(t, err)
			ev = pe.(*types.EventListingAccessReset)
		}
	}
	require.NotNil(t, ev, "EventListingAccessReset emitted")
	require.ElementsMatch(t, []string{f.operator.String(), backup.String()}, ev.OperatorsRemoved)
	require.Equal(t, &types.EventListingAccessReset{
		ListingId: lAllowlist, PreviousOwner: f.owner.String(), NewOwner: buyer.String(),
		OperatorsRemoved: ev.OperatorsRemoved, AllowlistCleared: true,
	}, ev)

	// The seller's node is no operator any more; the allowlist is empty.
	before := f.state(t)
	_, err = f.record(lAllowlist, rec(a, 1))
	require.ErrorIs(t, err, types.ErrNotOperator)
	require.Equal(t, before, f.state(t))
	ops2, err := f.query.Operators(f.ctx, &types.QueryOperatorsRequest{ListingId: lAllowlist})
	require.NoError(t, err)
	require.Empty(t, ops2.Operators)
	require.Empty(t, f.allowlisted(t, lAllowlist))
	require.Equal(t, types.ReasonNotOnAllowlist, f.check(t, lAllowlist, a).Reason)

	// The seller cannot set them again; the buyer can, and its allowlist is its own.
	_, err = f.msg.SetOperators(f.ctx, &types.MsgSetOperators{Owner: f.owner.String(), ListingId: lAllowlist, Operators: []string{f.operator.String()}})
	require.ErrorIs(t, err, types.ErrNotOwner)
	buyerNode := addr("buyer-node")
	_, err = f.msg.SetOperators(f.ctx, &types.MsgSetOperators{Owner: buyer.String(), ListingId: lAllowlist, Operators: []string{buyerNode.String()}})
	require.NoError(t, err)
	_, err = f.msg.SetAllowlist(f.ctx, &types.MsgSetAllowlist{Owner: buyer.String(), ListingId: lAllowlist, Add: []string{b.String()}})
	require.NoError(t, err)
	require.Equal(t, []string{b.String()}, f.allowlisted(t, lAllowlist))
	require.True(t, f.check(t, lAllowlist, b).Allowed)
	require.Equal(t, types.ReasonNotOnAllowlist, f.check(t, lAllowlist, a).Reason)
	_, err = f.msg.RecordUsage(f.ctx, &types.MsgRecordUsage{Operator: buyerNode.String(), ListingId: lAllowlist, Records: []types.UsageRecord{rec(b, 2)}})
	require.NoError(t, err)
	_, err = f.msg.RecordUsage(f.ctx, &types.MsgRecordUsage{Operator: buyerNode.String(), ListingId: lAllowlist, Records: []types.UsageRecord{rec(a, 2)}})
	require.ErrorIs(t, err, types.ErrAccessDenied)

	// Usage that happened is kept: receipts and totals of both owners.
	u, err := f.query.UsageByListing(f.ctx, &types.QueryUsageByListingRequest{ListingId: lAllowlist})
	require.NoError(t, err)
	require.Len(t, u.Receipts, 2)
	require.Equal(t, types.Usage{Requests: 2, Units: 3}, u.Totals)

	// Other listings of the seller keep their settings.
	isOp, err := f.k.IsOperator(f.ctx, lPublic, f.operator)
	require.NoError(t, err)
	require.True(t, isOp)
	f.requireInvariant(t)
}

// TestTransferWithoutSettings: a listing with no operators and no allowlist transfers cleanly
// and nothing is queued for pruning.
func TestTransferWithoutSettings(t *testing.T) {
	f := newBareFixture(t)
	require.NoError(t, f.k.InitGenesis(f.ctx, types.DefaultGenesisState()))
	f.resetEvents()
	f.transfer(t, lPublic, addr("buyer"))
	require.Equal(t, 1, f.countEvents("balanceai.access.v1.EventListingAccessReset"))
	it, err := f.k.StaleAllowlists.Iterate(f.ctx, nil)
	require.NoError(t, err)
	require.False(t, it.Valid())
	it.Close()
}

// TestTransferAllowlistPrunedBounded: a large allowlist is not deleted inside the transfer; its
// entries stop counting at once and the EndBlocker deletes them at most max_prunes_per_block
// per block, without touching the new owner's entries, even across a second transfer.
func TestTransferAllowlistPrunedBounded(t *testing.T) {
	f := newFixture(t)
	f.setParams(t, func(p *types.Params) { p.MaxPrunesPerBlock = 4 })
	users := make([]string, 10)
	for i := range users {
		users[i] = addr(fmt.Sprintf("allowed%d", i)).String()
	}
	_, err := f.msg.SetAllowlist(f.ctx, &types.MsgSetAllowlist{Owner: f.owner.String(), ListingId: lAllowlist, Add: users})
	require.NoError(t, err)
	// Another listing's allowlist is never touched.
	_, err = f.msg.SetAllowlist(f.ctx, &types.MsgSetAllowlist{Owner: f.owner.String(), ListingId: lPublic, Add: users[:3]})
	require.NoError(t, err)
	require.Len(t, f.allowlisted(t, lAllowlist), 10)

	// The transfer deletes nothing but the operators: bounded whatever the allowlist's size.
	buyer := addr("buyer")
	f.transfer(t, lAllowlist, buyer)
	require.Equal(t, 10, f.allowlistEntries(t, lAllowlist))
	require.Empty(t, f.allowlisted(t, lAllowlist))

	// The buyer allowlists one of the old users again and one new user.
	fresh := addr("fresh").String()
	_, err = f.msg.SetAllowlist(f.ctx, &types.MsgSetAllowlist{Owner: buyer.String(), ListingId: lAllowlist, Add: []string{users[0], fresh}})
	require.NoError(t, err)
	require.ElementsMatch(t, []string{users[0], fresh}, f.allowlisted(t, lAllowlist))

	// 10 stale entries at 4 per block: 4, 4, 2.
	for _, left := range []int{8, 4, 2} {
		f.at(f.ctx.BlockTime())
		require.NoError(t, f.k.EndBlocker(f.ctx))
		require.Equal(t, left, f.allowlistEntries(t, lAllowlist))
	}
	require.ElementsMatch(t, []string{users[0], fresh}, f.allowlisted(t, lAllowlist))
	it, err := f.k.StaleAllowlists.Iterate(f.ctx, nil)
	require.NoError(t, err)
	require.False(t, it.Valid(), "the emptied generation left the queue")
	it.Close()
	require.Len(t, f.allowlisted(t, lPublic), 3)

	// A second transfer queues the buyer's generation; a block prunes it.
	f.transfer(t, lAllowlist, addr("third-owner"))
	require.Empty(t, f.allowlisted(t, lAllowlist))
	gen, err := f.k.AllowlistGenerationOf(f.ctx, lAllowlist)
	require.NoError(t, err)
	require.Equal(t, uint64(2), gen)
	f.at(f.ctx.BlockTime())
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Zero(t, f.allowlistEntries(t, lAllowlist))
	require.Len(t, f.allowlisted(t, lPublic), 3)
}

// TestPruneStaleAllowlistsSpansGenerations: one block's budget is shared across queued
// generations of several listings, oldest key first.
func TestPruneStaleAllowlistsSpansGenerations(t *testing.T) {
	f := newFixture(t)
	for _, id := range []uint64{lPublic, lAllowlist} {
		users := make([]string, 3)
		for i := range users {
			users[i] = addr(fmt.Sprintf("l%du%d", id, i)).String()
		}
		_, err := f.msg.SetAllowlist(f.ctx, &types.MsgSetAllowlist{Owner: f.owner.String(), ListingId: id, Add: users})
		require.NoError(t, err)
		f.transfer(t, id, addr("buyer"))
	}
	params, err := f.k.Params.Get(f.ctx)
	require.NoError(t, err)
	params.MaxPrunesPerBlock = 5
	n, err := f.k.PruneStaleAllowlists(f.ctx, params)
	require.NoError(t, err)
	require.Equal(t, 5, n)
	require.Zero(t, f.allowlistEntries(t, lPublic))
	require.Equal(t, 1, f.allowlistEntries(t, lAllowlist))
	n, err = f.k.PruneStaleAllowlists(f.ctx, params)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	n, err = f.k.PruneStaleAllowlists(f.ctx, params)
	require.NoError(t, err)
	require.Zero(t, n)
}

// TestGenesisAfterTransfer: only the current allowlist generation is exported, and the
// import (at generation 0) answers exactly like the exporting chain.
func TestGenesisAfterTransfer(t *testing.T) {
	f := newFixture(t)
	a, b := f.users[0], f.users[1]
	_, err := f.msg.SetAllowlist(f.ctx, &types.MsgSetAllowlist{Owner: f.owner.String(), ListingId: lAllowlist, Add: []string{a.String()}})
	require.NoError(t, err)
	buyer := addr("buyer")
	f.transfer(t, lAllowlist, buyer)
	_, err = f.msg.SetAllowlist(f.ctx, &types.MsgSetAllowlist{Owner: buyer.String(), ListingId: lAllowlist, Add: []string{b.String()}})
	require.NoError(t, err)

	exported, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, exported.Validate())
	require.Equal(t, []types.ListingAllowlist{{ListingId: lAllowlist, Users: []string{b.String()}}}, exported.Allowlists)
	for _, o := range exported.Operators {
		require.NotEqual(t, lAllowlist, o.ListingId, "the transferred listing has no operators")
	}

	g := newBareFixture(t)
	g.mk.Listings[lAllowlist] = f.mk.Listings[lAllowlist]
	require.NoError(t, g.k.InitGenesis(g.ctx, exported))
	again, err := g.k.ExportGenesis(g.ctx)
	require.NoError(t, err)
	require.Equal(t, exported, again)
	g.sk.Delegate(a, bai(1000))
	g.sk.Delegate(b, bai(1000))
	require.Equal(t, types.ReasonNotOnAllowlist, g.check(t, lAllowlist, a).Reason)
	require.True(t, g.check(t, lAllowlist, b).Allowed)
}

// TestAllowlistQueryPageBounds: the allowlist query pages by address with the chain's page
// bounds: a limit above the cap is capped, an offset above the cap is refused.
func TestAllowlistQueryPageBounds(t *testing.T) {
	f := newFixture(t)
	users := make([]string, 3)
	for i := range users {
		users[i] = addr(fmt.Sprintf("paged%d", i)).String()
	}
	_, err := f.msg.SetAllowlist(f.ctx, &types.MsgSetAllowlist{Owner: f.owner.String(), ListingId: lAllowlist, Add: users})
	require.NoError(t, err)

	res, err := f.query.Allowlist(f.ctx, &types.QueryAllowlistRequest{ListingId: lAllowlist, Pagination: &query.PageRequest{Limit: 1 << 40}})
	require.NoError(t, err)
	require.ElementsMatch(t, users, res.Users)

	res, err = f.query.Allowlist(f.ctx, &types.QueryAllowlistRequest{ListingId: lAllowlist, Pagination: &query.PageRequest{Limit: 2}})
	require.NoError(t, err)
	require.Len(t, res.Users, 2)
	next, err := f.query.Allowlist(f.ctx, &types.QueryAllowlistRequest{ListingId: lAllowlist, Pagination: &query.PageRequest{Key: res.Pagination.NextKey}})
	require.NoError(t, err)
	require.ElementsMatch(t, users, append(res.Users, next.Users...))

	_, err = f.query.Allowlist(f.ctx, &types.QueryAllowlistRequest{ListingId: lAllowlist, Pagination: &query.PageRequest{Offset: chainutil.MaxPageOffset + 1}})
	require.Equal(t, codes.InvalidArgument, status.Code(err))
}
