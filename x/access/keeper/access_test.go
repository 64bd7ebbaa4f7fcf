package keeper_test

import (
	"strings"
	"testing"
	"time"

	"cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/balanceai/balanceai/x/access/keeper"
	"github.com/balanceai/balanceai/x/access/types"
)

func TestCheckAccessReasons(t *testing.T) {
	cases := []struct {
		name      string
		listing   uint64
		stake     math.Int // zero: no delegation
		allowlist bool
		allowed   bool
		reason    string
		quota     uint64
		unlimited bool
		required  math.Int
	}{
		{name: "listing not found", listing: lMissing, stake: bai(500), reason: types.ReasonListingNotFound, required: math.ZeroInt()},
		{name: "paused listing", listing: lPaused, stake: bai(500), reason: types.ReasonListingNotActive, required: bai(100)},
		{name: "allowlist miss", listing: lAllowlist, stake: bai(500), reason: types.ReasonNotOnAllowlist, required: bai(100)},
		{name: "allowlist hit", listing: lAllowlist, stake: bai(500), allowlist: true, allowed: true, quota: 10, required: bai(100)},
		{name: "no stake", listing: lPublic, stake: math.ZeroInt(), reason: types.ReasonStakeBelowMinimum, required: bai(100)},
		{name: "just below minimum", listing: lPublic, stake: bai(100).SubRaw(1), reason: types.ReasonStakeBelowMinimum, required: bai(100)},
		{name: "at minimum", listing: lPublic, stake: bai(100), allowed: true, quota: 2, required: bai(100)},
		{name: "just below twice the minimum", listing: lPublic, stake: bai(200).SubRaw(1), allowed: true, quota: 2, required: bai(100)},
		{name: "twice the minimum", listing: lPublic, stake: bai(200), allowed: true, quota: 4, required: bai(100)},
		{name: "min stake 0, no stake", listing: lFree, stake: math.ZeroInt(), allowed: true, quota: 5, required: math.ZeroInt()},
		{name: "min stake 0, big stake", listing: lFree, stake: bai(1_000_000), allowed: true, quota: 5, required: math.ZeroInt()},
		{name: "unlimited", listing: lUnlimited, stake: bai(100), allowed: true, unlimited: true, required: bai(100)},
		{name: "unlimited below minimum", listing: lUnlimited, stake: bai(99), reason: types.ReasonStakeBelowMinimum, unlimited: true, required: bai(100)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			user := f.users[0]
			if tc.stake.IsPositive() {
				f.sk.Delegate(user, tc.stake)
			}
			if tc.allowlist {
				_, err := f.msg.SetAllowlist(f.ctx, &types.MsgSetAllowlist{Owner: f.owner.String(), ListingId: tc.listing, Add: []string{user.String()}})
				require.NoError(t, err)
			}
			res := f.check(t, tc.listing, user)
			require.Equal(t, tc.allowed, res.Allowed)
			require.Equal(t, tc.reason, res.Reason)
			require.Equal(t, tc.quota, res.Quota)
			require.Equal(t, tc.unlimited, res.Unlimited)
			require.Equal(t, tc.stake.String(), res.Stake.String())
			require.Equal(t, tc.required.String(), res.RequiredStake.String())
			require.Equal(t, uint64(0), res.UsedToday)
			require.Equal(t, blockTime.Unix()/86400, res.Day)
			require.Contains(t, types.Reasons, res.Reason)
		})
	}
}

// The devnet scenario of the issue: min_stake 100 BAI and 2 requests/day.
func TestQuotaAcrossRecordsMessagesAndDays(t *testing.T) {
	f := newFixture(t)
	user := f.users[0]

	res := f.check(t, lPublic, user)
	require.False(t, res.Allowed)
	require.Equal(t, types.ReasonStakeBelowMinimum, res.Reason)

	f.sk.Delegate(user, bai(200))
	res = f.check(t, lPublic, user)
	require.True(t, res.Allowed)
	require.Equal(t, uint64(4), res.Quota)

	// Three records in one message, then a message whose second record crosses the quota.
	out, err := f.record(lPublic, rec(user, 1), rec(user, 5), rec(user, 2))
	require.NoError(t, err)
	require.Equal(t, []uint64{1, 2, 3}, out.ReceiptIds)
	require.Equal(t, 1, f.countEvents("balanceai.access.v1.EventUsageBatchRecorded"), "one event per message")
	res = f.check(t, lPublic, user)
	require.True(t, res.Allowed)
	require.Equal(t, uint64(3), res.UsedToday)

	before := f.state(t)
	_, err = f.record(lPublic, rec(user, 1), rec(user, 1))
	require.ErrorIs(t, err, types.ErrAccessDenied)
	require.ErrorContains(t, err, "record 1: user "+user.String()+" quota exhausted")
	require.Equal(t, before, f.state(t))

	// The fourth passes; a fifth, in a later message, exceeds the quota.
	_, err = f.record(lPublic, rec(user, 1))
	require.NoError(t, err)
	res = f.check(t, lPublic, user)
	require.False(t, res.Allowed)
	require.Equal(t, types.ReasonQuotaExhausted, res.Reason)
	require.Equal(t, uint64(4), res.UsedToday)
	_, err = f.record(lPublic, rec(user, 1))
	require.ErrorIs(t, err, types.ErrAccessDenied)
	require.ErrorContains(t, err, "record 0:")

	// Quota crossing inside one batch of a fresh user: records 0-1 pass, record 2 does not.
	other := f.users[1]
	f.sk.Delegate(other, bai(100))
	_, err = f.record(lPublic, rec(other, 1), rec(other, 1), rec(other, 1))
	require.ErrorIs(t, err, types.ErrAccessDenied)
	require.ErrorContains(t, err, "record 2: user "+other.String()+" quota exhausted")

	// The last second of the UTC day still counts today; the next second is a new day.
	dayStart := time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC)
	f.at(dayStart.Add(-time.Second))
	require.Equal(t, types.ReasonQuotaExhausted, f.check(t, lPublic, user).Reason)
	f.at(dayStart)
	res = f.check(t, lPublic, user)
	require.True(t, res.Allowed)
	require.Equal(t, uint64(0), res.UsedToday)
	require.Equal(t, uint64(4), res.Quota)
	_, err = f.record(lPublic, rec(user, 1), rec(user, 1), rec(user, 1), rec(user, 1))
	require.NoError(t, err)
	require.Equal(t, types.ReasonQuotaExhausted, f.check(t, lPublic, user).Reason)

	// Totals count every accepted record; units add up.
	u, err := f.query.UsageByListing(f.ctx, &types.QueryUsageByListingRequest{ListingId: lPublic})
	require.NoError(t, err)
	require.Equal(t, types.Usage{Requests: 8, Units: 13}, u.Totals)
	f.requireInvariant(t)
}

func TestUndelegatingLowersEligibilityAtOnce(t *testing.T) {
	f := newFixture(t)
	user := f.users[0]
	for i := 0; i < 3; i++ { // three validators
		f.sk.Delegate(user, bai(100))
	}
	res := f.check(t, lPublic, user)
	require.Equal(t, uint64(6), res.Quota)

	f.sk.Undelegate(user, bai(150))
	res = f.check(t, lPublic, user)
	require.True(t, res.Allowed)
	require.Equal(t, bai(150).String(), res.Stake.String(), "unbonding tokens do not count")
	require.Equal(t, uint64(2), res.Quota)

	f.sk.Undelegate(user, bai(100))
	res = f.check(t, lPublic, user)
	require.False(t, res.Allowed)
	require.Equal(t, types.ReasonStakeBelowMinimum, res.Reason)
	_, err := f.record(lPublic, rec(user, 1))
	require.ErrorIs(t, err, types.ErrAccessDenied)
	require.ErrorContains(t, err, "stake below minimum")
}

func TestAllowlistModeAndUnlimited(t *testing.T) {
	f := newFixture(t)
	a, b := f.users[0], f.users[1]
	f.sk.Delegate(a, bai(100))
	f.sk.Delegate(b, bai(100))
	_, err := f.msg.SetAllowlist(f.ctx, &types.MsgSetAllowlist{Owner: f.owner.String(), ListingId: lAllowlist, Add: []string{a.String()}})
	require.NoError(t, err)
	_, err = f.record(lAllowlist, rec(a, 1), rec(b, 1))
	require.ErrorIs(t, err, types.ErrAccessDenied)
	require.ErrorContains(t, err, "record 1: user "+b.String()+" not on allowlist")

	_, err = f.msg.SetAllowlist(f.ctx, &types.MsgSetAllowlist{Owner: f.owner.String(), ListingId: lAllowlist, Add: []string{b.String()}, Remove: []string{a.String()}})
	require.NoError(t, err)
	require.Equal(t, types.ReasonNotOnAllowlist, f.check(t, lAllowlist, a).Reason)
	require.True(t, f.check(t, lAllowlist, b).Allowed)
	// The allowlist of one listing does not leak into a PUBLIC one.
	require.True(t, f.check(t, lPublic, a).Allowed)

	// Unlimited: many records pass, quota reported as 0 with unlimited = true.
	recs := make([]types.UsageRecord, 50)
	for i := range recs {
		recs[i] = rec(a, 1)
	}
	_, err = f.record(lUnlimited, recs...)
	require.NoError(t, err)
	res := f.check(t, lUnlimited, a)
	require.True(t, res.Allowed)
	require.True(t, res.Unlimited)
	require.Equal(t, uint64(50), res.UsedToday)
}

func TestRecordUsageRejectsWholeMessage(t *testing.T) {
	good := func(f *fixture) types.UsageRecord { return rec(f.users[0], 3) }
	cases := []struct {
		name     string
		operator func(f *fixture) string
		listing  uint64
		records  func(f *fixture) []types.UsageRecord
		err      error
		contains string
	}{
		{
			name:     "non-operator",
			operator: func(f *fixture) string { return f.users[3].String() },
			listing:  lPublic, records: func(f *fixture) []types.UsageRecord { return []types.UsageRecord{good(f)} },
			err: types.ErrNotOperator,
		},
		{
			name:     "the owner is not an operator either",
			operator: func(f *fixture) string { return f.owner.String() },
			listing:  lPublic, records: func(f *fixture) []types.UsageRecord { return []types.UsageRecord{good(f)} },
			err: types.ErrNotOperator,
		},
		{
			name:     "malformed operator",
			operator: func(*fixture) string { return "bai1nope" },
			listing:  lPublic, records: func(f *fixture) []types.UsageRecord { return []types.UsageRecord{good(f)} },
			err: types.ErrInvalidAddress,
		},
		{
			name: "listing not found", listing: lMissing,
			records: func(f *fixture) []types.UsageRecord { return []types.UsageRecord{good(f)} },
			err:     types.ErrListingNotFound,
		},
		{
			name: "paused listing", listing: lPaused,
			records: func(f *fixture) []types.UsageRecord { return []types.UsageRecord{good(f)} },
			err:     types.ErrListingNotActive,
		},
		{
			name: "no records", listing: lPublic,
			records: func(*fixture) []types.UsageRecord { return nil },
			err:     types.ErrInvalidRecordCount,
		},
		{
			name: "over max records", listing: lUnlimited,
			records: func(f *fixture) []types.UsageRecord {
				out := make([]types.UsageRecord, 101)
				for i := range out {
					out[i] = good(f)
				}
				return out
			},
			err: types.ErrInvalidRecordCount, contains: "got 101 records, max_receipts_per_msg is 100",
		},
		{
			name: "bad request CID", listing: lPublic,
			records: func(f *fixture) []types.UsageRecord {
				bad := good(f)
				bad.RequestCid = "not-a-cid"
				return []types.UsageRecord{good(f), bad}
			},
			err: types.ErrInvalidRecord, contains: "record 1: request_cid",
		},
		{
			name: "bad response CID", listing: lPublic,
			records: func(f *fixture) []types.UsageRecord {
				bad := good(f)
				bad.ResponseCid = cidV1 + "x"
				return []types.UsageRecord{bad}
			},
			err: types.ErrInvalidRecord, contains: "record 0: response_cid",
		},
		{
			name: "units 0", listing: lPublic,
			records: func(f *fixture) []types.UsageRecord {
				bad := good(f)
				bad.Units = 0
				return []types.UsageRecord{good(f), bad}
			},
			err: types.ErrInvalidRecord, contains: "record 1: units must be at least 1",
		},
		{
			name: "units above max_units_per_record", listing: lPublic,
			records: func(f *fixture) []types.UsageRecord {
				return []types.UsageRecord{good(f), rec(f.users[0], types.DefaultMaxUnitsPerRecord+1)}
			},
			err: types.ErrUnitsTooLarge, contains: "record 1: units 1000001 exceed max_units_per_record 1000000",
		},
		{
			name: "units 2^64-1", listing: lPublic,
			records: func(f *fixture) []types.UsageRecord { return []types.UsageRecord{rec(f.users[0], ^uint64(0))} },
			err:     types.ErrUnitsTooLarge, contains: "record 0: units 18446744073709551615",
		},
		{
			name: "bad user address", listing: lPublic,
			records: func(f *fixture) []types.UsageRecord {
				bad := good(f)
				bad.User = "cosmos1xyz"
				return []types.UsageRecord{bad}
			},
			err: types.ErrInvalidRecord, contains: "record 0: user",
		},
		{
			name: "ineligible user in the middle", listing: lPublic,
			records: func(f *fixture) []types.UsageRecord {
				return []types.UsageRecord{good(f), rec(f.users[2], 1), good(f)}
			},
			err: types.ErrAccessDenied,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.sk.Delegate(f.users[0], bai(1000))
			op := f.operator.String()
			if tc.operator != nil {
				op = tc.operator(f)
			}
			before := f.state(t)
			_, err := f.msg.RecordUsage(f.ctx, &types.MsgRecordUsage{Operator: op, ListingId: tc.listing, Records: tc.records(f)})
			require.ErrorIs(t, err, tc.err)
			if tc.contains != "" {
				require.ErrorContains(t, err, tc.contains)
			}
			if tc.err == types.ErrAccessDenied {
				require.ErrorContains(t, err, "record 1: user "+f.users[2].String()+" stake below minimum")
			}
			require.Equal(t, before, f.state(t), "a refused message changes nothing")
			require.Zero(t, f.countEvents("balanceai.access.v1.EventUsageBatchRecorded"))
		})
	}
}

func TestRecordUsageStoresAndIndexes(t *testing.T) {
	f := newFixture(t)
	a, b := f.users[0], f.users[1]
	f.sk.Delegate(a, bai(1000))
	f.sk.Delegate(b, bai(1000))
	for i := 0; i < 3; i++ {
		_, err := f.record(lPublic, types.UsageRecord{User: a.String(), RequestCid: genCID(t, i), ResponseCid: genCID(t, 100+i), Units: uint64(i + 1)}, rec(b, 10))
		require.NoError(t, err)
	}
	f.resetEvents()
	out, err := f.record(lFree, rec(a, 7), rec(b, 2), rec(a, 3))
	require.NoError(t, err)
	require.Equal(t, []uint64{7, 8, 9}, out.ReceiptIds)
	evs := f.ctx.EventManager().Events()
	require.Len(t, evs, 1)
	pe, err := sdk.ParseTypedEvent(abci.Event(evs[0]))
	require.NoError(t, err)
	require.Equal(t, &types.EventUsageBatchRecorded{
		ListingId: lFree, Operator: f.operator.String(), FirstReceiptId: 7, LastReceiptId: 9,
		Records: 3, Units: 12, Users: 2, Day: blockTime.Unix() / 86400,
	}, pe)
	// Each user's day counter was written once, with all of the user's records of the message.
	today, err := f.k.UsageOn(f.ctx, blockTime.Unix()/86400, lFree, a)
	require.NoError(t, err)
	require.Equal(t, types.Usage{Requests: 2, Units: 10}, today)
	for i, want := range []struct {
		user  sdk.AccAddress
		units uint64
	}{{a, 7}, {b, 2}, {a, 3}} {
		r := receiptByID(t, f, uint64(7+i))
		require.Equal(t, want.user.String(), r.User, "record %d is receipt %d", i, 7+i)
		require.Equal(t, want.units, r.Units)
	}

	r := receiptByID(t, f, 1)
	require.Equal(t, types.Receipt{
		Id: 1, ListingId: lPublic, Operator: f.operator.String(), User: a.String(),
		RequestCid: genCID(t, 0), ResponseCid: genCID(t, 100), Units: 1, Time: blockTime, Height: 10,
	}, r)

	byListing, err := f.query.UsageByListing(f.ctx, &types.QueryUsageByListingRequest{ListingId: lPublic})
	require.NoError(t, err)
	require.Len(t, byListing.Receipts, 6)
	require.Equal(t, types.Usage{Requests: 6, Units: 36}, byListing.Totals)

	byUser, err := f.query.UsageByUser(f.ctx, &types.QueryUsageByUserRequest{ListingId: lPublic, User: a.String()})
	require.NoError(t, err)
	ids := []uint64{}
	for _, r := range byUser.Receipts {
		ids = append(ids, r.Id)
		require.Equal(t, a.String(), r.User)
	}
	require.Equal(t, []uint64{1, 3, 5}, ids)
	require.Equal(t, types.Usage{Requests: 3, Units: 6}, byUser.Today)

	// Pagination by key through the (listing, user) index.
	page1, err := f.query.UsageByUser(f.ctx, &types.QueryUsageByUserRequest{ListingId: lPublic, User: b.String(), Pagination: pageReq(2)})
	require.NoError(t, err)
	require.Len(t, page1.Receipts, 2)
	require.NotEmpty(t, page1.Pagination.NextKey)
	page2, err := f.query.UsageByUser(f.ctx, &types.QueryUsageByUserRequest{ListingId: lPublic, User: b.String(), Pagination: pageKey(page1.Pagination.NextKey)})
	require.NoError(t, err)
	require.Len(t, page2.Receipts, 1)
	require.Equal(t, uint64(6), page2.Receipts[0].Id)
	f.requireInvariant(t)
}

// TestImportedBatchesAreWhatRecordUsageWrote: MsgRecordUsage counts each user's records while
// it checks them; genesis import derives the same index entries from the stored records. The
// imported store must equal, byte for byte, the one the messages wrote.
func TestImportedBatchesAreWhatRecordUsageWrote(t *testing.T) {
	f := newFixture(t)
	a, b := f.users[0], f.users[1]
	f.sk.Delegate(a, bai(1000))
	f.sk.Delegate(b, bai(1000))
	for i := 0; i < 3; i++ {
		_, err := f.record(lUnlimited, types.UsageRecord{User: a.String(), RequestCid: genCID(t, i), ResponseCid: genCID(t, 50+i), Units: uint64(i + 1)},
			rec(b, 10), rec(a, 2))
		require.NoError(t, err)
		_, err = f.record(lFree, rec(b, uint64(i+1)))
		require.NoError(t, err)
	}
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.Len(t, gs.ReceiptBatches, 6)

	g := newBareFixture(t)
	require.NoError(t, g.k.InitGenesis(g.ctx, gs))
	require.Equal(t, g.rawStore(t), f.rawStore(t))
	f.requireInvariant(t)
}

// TestOneUserInTwoSpellings: a bech32 address is also valid in upper case. Both spellings are
// the same user: one quota, one day counter, one user in the event.
func TestOneUserInTwoSpellings(t *testing.T) {
	f := newFixture(t)
	a := f.users[0]
	lower, upper := a.String(), strings.ToUpper(a.String())
	spelled := func(s string) types.UsageRecord { r := rec(a, 1); r.User = s; return r }

	// lFree allows 5 requests a day: the sixth record, whatever its spelling, is refused.
	before := f.state(t)
	_, err := f.record(lFree, spelled(lower), spelled(upper), spelled(lower), spelled(upper), spelled(lower), spelled(upper))
	require.ErrorIs(t, err, types.ErrAccessDenied)
	require.ErrorContains(t, err, "record 5: user "+upper+" quota exhausted")
	require.Equal(t, before, f.state(t))

	f.resetEvents()
	_, err = f.record(lFree, spelled(lower), spelled(upper), spelled(upper))
	require.NoError(t, err)
	today, err := f.k.UsageOn(f.ctx, blockTime.Unix()/86400, lFree, a)
	require.NoError(t, err)
	require.Equal(t, types.Usage{Requests: 3, Units: 3}, today)
	evs := f.ctx.EventManager().Events()
	require.Len(t, evs, 1)
	pe, err := sdk.ParseTypedEvent(abci.Event(evs[0]))
	require.NoError(t, err)
	require.Equal(t, uint64(1), pe.(*types.EventUsageBatchRecorded).Users)
	require.Equal(t, uint64(2), f.check(t, lFree, a).Quota-f.check(t, lFree, a).UsedToday)
	f.requireInvariant(t)
}

func TestCheckAccessQueryArguments(t *testing.T) {
	f := newFixture(t)
	_, err := f.query.CheckAccess(f.ctx, &types.QueryCheckAccessRequest{ListingId: 0, User: f.users[0].String()})
	require.ErrorContains(t, err, "InvalidArgument")
	_, err = f.query.CheckAccess(f.ctx, &types.QueryCheckAccessRequest{ListingId: 1, User: "bai1bad"})
	require.ErrorContains(t, err, "InvalidArgument")
	_, err = f.query.CheckAccess(f.ctx, nil)
	require.ErrorContains(t, err, "InvalidArgument")
}

// TestUnitsAtTheLimit: exactly max_units_per_record passes; the param is governance's to move.
func TestUnitsAtTheLimit(t *testing.T) {
	f := newFixture(t)
	user := f.users[0]
	f.sk.Delegate(user, bai(1000))
	_, err := f.record(lUnlimited, rec(user, types.DefaultMaxUnitsPerRecord))
	require.NoError(t, err)
	f.setParams(t, func(p *types.Params) { p.MaxUnitsPerRecord = 10 })
	_, err = f.record(lUnlimited, rec(user, 10), rec(user, 11))
	require.ErrorIs(t, err, types.ErrUnitsTooLarge)
	require.ErrorContains(t, err, "record 1: units 11 exceed max_units_per_record 10")
	_, err = f.record(lUnlimited, rec(user, 10))
	require.NoError(t, err)
}

// TestCountersSaturate: a record of 2^64-1 units (allowed when governance lifts the bound)
// saturates the listing's all-time counter and the day counter instead of overflowing them,
// and the listing keeps accepting usage afterwards.
func TestCountersSaturate(t *testing.T) {
	f := newFixture(t)
	maxU := ^uint64(0)
	f.setParams(t, func(p *types.Params) { p.MaxUnitsPerRecord = maxU })
	user := f.users[0]
	f.sk.Delegate(user, bai(1000))

	_, err := f.record(lUnlimited, rec(user, maxU))
	require.NoError(t, err)
	_, err = f.record(lUnlimited, rec(user, 5), rec(f.users[0], maxU))
	require.NoError(t, err, "a saturated counter must not block later usage")

	u, err := f.query.UsageByListing(f.ctx, &types.QueryUsageByListingRequest{ListingId: lUnlimited})
	require.NoError(t, err)
	require.Equal(t, types.Usage{Requests: 3, Units: maxU}, u.Totals)
	byUser, err := f.query.UsageByUser(f.ctx, &types.QueryUsageByUserRequest{ListingId: lUnlimited, User: user.String()})
	require.NoError(t, err)
	require.Equal(t, types.Usage{Requests: 3, Units: maxU}, byUser.Today)

	// Request counters saturate too: totals imported at the ceiling stay there.
	require.NoError(t, f.k.ListingUsage.Set(f.ctx, lFree, types.Usage{Requests: maxU, Units: maxU - 1}))
	_, err = f.record(lFree, rec(user, 7))
	require.NoError(t, err)
	total, err := f.k.ListingUsage.Get(f.ctx, lFree)
	require.NoError(t, err)
	require.Equal(t, types.Usage{Requests: maxU, Units: maxU}, total)
	f.requireInvariant(t)
}

// receiptByID returns the stored receipt id, from the batch that holds it.
func receiptByID(t *testing.T, f *fixture, id uint64) types.Receipt {
	t.Helper()
	var out *types.Receipt
	require.NoError(t, f.k.ReceiptBatches.Walk(f.ctx, nil, func(_ uint64, b types.ReceiptBatch) (bool, error) {
		for _, r := range keeper.Receipts(b) {
			if r.Id == id {
				out = &r
				return true, nil
			}
		}
		return false, nil
	}))
	require.NotNil(t, out, "receipt %d is not stored", id)
	return *out
}
