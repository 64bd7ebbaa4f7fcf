package access_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/access/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// allowlistEntries counts the stored allowlist entries of a listing, every generation.
func (e *env) allowlistEntries(listingID uint64) int {
	e.t.Helper()
	n := 0
	rng := collections.NewPrefixedTripleRange[uint64, uint64, sdk.AccAddress](listingID)
	require.NoError(e.t, e.c.App.AccessKeeper.Allowlist.Walk(e.c.Ctx(), rng, func(collections.Triple[uint64, uint64, sdk.AccAddress]) (bool, error) {
		n++
		return false, nil
	}))
	return n
}

func (e *env) allowlist(listingID uint64) []string {
	e.t.Helper()
	var res types.QueryAllowlistResponse
	require.NoError(e.t, e.query("Allowlist", &types.QueryAllowlistRequest{ListingId: listingID}, &res))
	return res.Users
}

func (e *env) operators(listingID uint64) []string {
	e.t.Helper()
	var res types.QueryOperatorsResponse
	require.NoError(e.t, e.query("Operators", &types.QueryOperatorsRequest{ListingId: listingID}, &res))
	return res.Operators
}

// TestTransferResetsAccessThroughTheApp: MsgTransferListing in x/marketplace runs the x/access
// hook in the same transaction. The seller's node can no longer record usage on the buyer's
// listing, the seller's allowlist no longer admits anyone, the buyer sets its own, and the old
// allowlist entries are deleted by later EndBlockers, a bounded number per block.
func TestTransferResetsAccessThroughTheApp(t *testing.T) {
	e := newEnv(t, time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC), blockTime, func(gs *types.GenesisState) {
		gs.Params.MaxPrunesPerBlock = 2
	})
	policy := marketplacetypes.AccessPolicy{MinStake: math.NewInt(100 * bai), RequestsPerDay: 10, Mode: marketplacetypes.AccessModeAllowlist}
	id := e.register(e.provider, "Vision Tagger", policy)
	e.ok(e.alice, e.delegateMsg(e.alice, 100*bai))
	e.ok(e.bob, e.delegateMsg(e.bob, 100*bai))

	// The seller names its node and allowlists alice and four more users.
	e.ok(e.provider, &types.MsgSetOperators{Owner: e.provider.Address.String(), ListingId: id, Operators: []string{e.node.Address.String()}})
	add := []string{e.alice.Address.String()}
	for i := 0; i < 4; i++ {
		add = append(add, sdk.AccAddress(fmt.Sprintf("allowlisted-user-%03d", i)).String())
	}
	e.ok(e.provider, &types.MsgSetAllowlist{Owner: e.provider.Address.String(), ListingId: id, Add: add})
	e.ok(e.node, e.recordMsg(e.node, id, e.alice))
	e.requireDecision(id, e.alice, true, "", 100*bai, 10, 1)

	// The transfer to the buyer resets the access settings in the same transaction.
	buyer := e.c.Accounts["dave"]
	res := e.ok(e.provider, &marketplacetypes.MsgTransferListing{Owner: e.provider.Address.String(), Id: id, NewOwner: buyer.Address.String()})
	evs := typedEvents(res, "balanceai.access.v1.EventListingAccessReset")
	require.Len(t, evs, 1)
	require.Equal(t, fmt.Sprintf(`"%d"`, id), attr(evs[0], "listing_id"))
	require.Equal(t, fmt.Sprintf("%q", e.provider.Address.String()), attr(evs[0], "previous_owner"))
	require.Equal(t, fmt.Sprintf("%q", buyer.Address.String()), attr(evs[0], "new_owner"))
	require.Equal(t, fmt.Sprintf("[%q]", e.node.Address.String()), attr(evs[0], "operators_removed"))
	require.Equal(t, "true", attr(evs[0], "allowlist_cleared"))
	require.Empty(t, e.operators(id))
	require.Empty(t, e.allowlist(id))
	e.requireDecision(id, e.alice, false, types.ReasonNotOnAllowlist, 100*bai, 0, 1)

	// The seller's node records nothing more; the seller cannot restore its settings.
	before := e.usageState(id, e.alice)
	e.fail(types.ErrNotOperator, fmt.Sprintf("%s is not an operator of listing %d", e.node.Address, id), e.node, e.recordMsg(e.node, id, e.alice))
	require.Equal(t, before, e.usageState(id, e.alice))
	e.fail(types.ErrNotOwner, fmt.Sprintf("listing %d is owned by %s", id, buyer.Address), e.provider,
		&types.MsgSetOperators{Owner: e.provider.Address.String(), ListingId: id, Operators: []string{e.node.Address.String()}})

	// The buyer's own node and allowlist work; alice is only back if the buyer adds her.
	e.ok(buyer, &types.MsgSetOperators{Owner: buyer.Address.String(), ListingId: id, Operators: []string{e.stranger.Address.String()}})
	e.ok(buyer, &types.MsgSetAllowlist{Owner: buyer.Address.String(), ListingId: id, Add: []string{e.bob.Address.String()}})
	require.Equal(t, []string{e.bob.Address.String()}, e.allowlist(id))
	e.ok(e.stranger, e.recordMsg(e.stranger, id, e.bob))
	e.fail(types.ErrAccessDenied, "not on allowlist", e.stranger, e.recordMsg(e.stranger, id, e.alice))

	// The blocks since the transfer pruned the seller's five entries, two per block; only the
	// buyer's entry is left, and it still counts.
	require.Equal(t, 1, e.allowlistEntries(id))
	require.Equal(t, []string{e.bob.Address.String()}, e.allowlist(id))
	e.requireDecision(id, e.bob, true, "", 100*bai, 10, 1)
	require.Equal(t, types.Usage{Requests: 2, Units: 20}, e.usageByListing(id).Totals, "usage of both owners is kept")
}

// TestStaleAllowlistPruningBoundedPerBlock: the transfer deletes no allowlist entry itself; each
// following block deletes at most max_prunes_per_block of them.
func TestStaleAllowlistPruningBoundedPerBlock(t *testing.T) {
	e := newEnv(t, time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC), blockTime, func(gs *types.GenesisState) {
		gs.Params.MaxPrunesPerBlock = 3
	})
	policy := marketplacetypes.AccessPolicy{MinStake: math.ZeroInt(), RequestsPerDay: 0, Mode: marketplacetypes.AccessModeAllowlist}
	id := e.register(e.provider, "Speech Model", policy)
	add := make([]string, 0, 10)
	for i := 0; i < 10; i++ {
		add = append(add, sdk.AccAddress(fmt.Sprintf("allowlisted-user-%03d", i)).String())
	}
	e.ok(e.provider, &types.MsgSetAllowlist{Owner: e.provider.Address.String(), ListingId: id, Add: add})
	require.Equal(t, 10, e.allowlistEntries(id))

	// The transfer's own block prunes up to 3 in its EndBlocker; each later block 3 more.
	e.ok(e.provider, &marketplacetypes.MsgTransferListing{Owner: e.provider.Address.String(), Id: id, NewOwner: e.bob.Address.String()})
	require.Equal(t, 7, e.allowlistEntries(id))
	require.Empty(t, e.allowlist(id))
	for _, left := range []int{4, 1, 0, 0} {
		e.c.NextBlock(e.c.AllSigners())
		require.Equal(t, left, e.allowlistEntries(id))
	}
	it, err := e.c.App.AccessKeeper.StaleAllowlists.Iterate(e.c.Ctx(), nil)
	require.NoError(t, err)
	require.False(t, it.Valid(), "the emptied generation left the queue")
	it.Close()
}

// TestUnitsPerRecordBoundThroughTheApp: a record above max_units_per_record refuses the whole
// message with the registered error naming the record's index.
func TestUnitsPerRecordBoundThroughTheApp(t *testing.T) {
	e := newEnv(t, time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC), blockTime, nil)
	policy := marketplacetypes.AccessPolicy{MinStake: math.ZeroInt(), RequestsPerDay: 0, Mode: marketplacetypes.AccessModePublic}
	id := e.register(e.provider, "Token Counter", policy)
	e.ok(e.provider, &types.MsgSetOperators{Owner: e.provider.Address.String(), ListingId: id, Operators: []string{e.node.Address.String()}})

	before := e.usageState(id, e.alice, e.bob)
	msg := e.recordMsg(e.node, id, e.alice, e.bob)
	msg.Records[1].Units = types.DefaultMaxUnitsPerRecord + 1
	e.fail(types.ErrUnitsTooLarge, "record 1: units 1000001 exceed max_units_per_record 1000000", e.node, msg)
	msg = e.recordMsg(e.node, id, e.alice)
	msg.Records[0].Units = ^uint64(0)
	e.fail(types.ErrUnitsTooLarge, "record 0: units 18446744073709551615 exceed max_units_per_record", e.node, msg)
	require.Equal(t, before, e.usageState(id, e.alice, e.bob))

	msg = e.recordMsg(e.node, id, e.alice)
	msg.Records[0].Units = types.DefaultMaxUnitsPerRecord
	e.ok(e.node, msg)
	e.ok(e.node, e.recordMsg(e.node, id, e.bob))
	require.Equal(t, types.Usage{Requests: 2, Units: types.DefaultMaxUnitsPerRecord + 10}, e.usageByListing(id).Totals)
}
