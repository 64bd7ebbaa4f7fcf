// Package access_test runs x/access inside the real BalanceAI app (testutil.NewChain):
// listings are registered through x/marketplace's MsgRegisterListing, stake comes from
// x/staking's MsgDelegate / MsgUndelegate, and every access decision is read through the app's
// gRPC query router (ABCI Query), exactly as an AI node asks.
package access_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/balanceai/balanceai/app"
	"github.com/balanceai/balanceai/testutil"
	"github.com/balanceai/balanceai/x/access/keeper"
	"github.com/balanceai/balanceai/x/access/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

const (
	bai       = int64(1_000_000)
	cidV1     = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"
	cidV0     = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"
	blockTime = 5 * time.Second
)

var fee = sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 5_000))

// env is a running in-process chain with a provider (listing owner), a node key (operator),
// two users and a stranger.
type env struct {
	t        *testing.T
	c        *testutil.Chain
	provider *testutil.Account
	node     *testutil.Account
	alice    *testutil.Account
	bob      *testutil.Account
	stranger *testutil.Account
	val      sdk.ValAddress
}

// newEnv starts a chain at genesisTime with blocks bt apart; editAccess, when set, edits the
// x/access genesis.
func newEnv(t *testing.T, genesisTime time.Time, bt time.Duration, editAccess func(*types.GenesisState)) *env {
	t.Helper()
	cfg := testutil.Config{
		Stakes:      []math.Int{math.NewInt(1_000_000 * bai)},
		Accounts:    []string{"provider", "node", "alice", "bob", "stranger", "dave"},
		Balance:     math.NewInt(2_000_000 * bai),
		BlockTime:   bt,
		GenesisTime: genesisTime,
	}
	if editAccess != nil {
		cfg.ModifyGenesis = func(gen app.GenesisState, a *app.App) app.GenesisState {
			var gs types.GenesisState
			a.AppCodec().MustUnmarshalJSON(gen[types.ModuleName], &gs)
			editAccess(&gs)
			gen[types.ModuleName] = a.AppCodec().MustMarshalJSON(&gs)
			return gen
		}
	}
	c := testutil.NewChain(t, cfg)
	return &env{
		t: t, c: c,
		provider: c.Accounts["provider"], node: c.Accounts["node"],
		alice: c.Accounts["alice"], bob: c.Accounts["bob"], stranger: c.Accounts["stranger"],
		val: c.Validators[0].ValAddr,
	}
}

// query runs a gRPC query through the app's ABCI Query on the last committed state.
func (e *env) query(method string, req, res proto.Message) error {
	e.t.Helper()
	bz, err := proto.Marshal(req)
	require.NoError(e.t, err)
	out, err := e.c.App.Query(context.Background(), &abci.RequestQuery{
		Path: "/balanceai.access.v1.Query/" + method, Data: bz,
	})
	if err != nil {
		return err
	}
	if out.Code != 0 {
		return fmt.Errorf("code %d (%s): %s", out.Code, out.Codespace, out.Log)
	}
	return proto.Unmarshal(out.Value, res)
}

func (e *env) check(listingID uint64, user *testutil.Account) *types.QueryCheckAccessResponse {
	e.t.Helper()
	var res types.QueryCheckAccessResponse
	require.NoError(e.t, e.query("CheckAccess", &types.QueryCheckAccessRequest{ListingId: listingID, User: user.Address.String()}, &res))
	// The decision the query answers is the keeper's.
	d, err := e.c.App.AccessKeeper.CheckAccess(e.c.Ctx(), listingID, user.Address)
	require.NoError(e.t, err)
	require.Equal(e.t, d.Allowed, res.Allowed)
	require.Equal(e.t, d.Reason, res.Reason)
	require.Equal(e.t, d.Quota, res.Quota)
	require.Contains(e.t, types.Reasons, res.Reason)
	require.Equal(e.t, types.DayOf(e.c.Time.Unix()), res.Day)
	return &res
}

// requireDecision checks allowed, reason, stake, quota and used_today of a CheckAccess answer.
func (e *env) requireDecision(listingID uint64, user *testutil.Account, allowed bool, reason string, stake int64, quota, used uint64) {
	e.t.Helper()
	res := e.check(listingID, user)
	require.Equal(e.t, allowed, res.Allowed, "allowed (reason %q)", res.Reason)
	require.Equal(e.t, reason, res.Reason)
	require.Equal(e.t, math.NewInt(stake).String(), res.Stake.String(), "stake")
	require.Equal(e.t, quota, res.Quota, "quota")
	require.Equal(e.t, used, res.UsedToday, "used_today")
}

func (e *env) usageByListing(listingID uint64) *types.QueryUsageByListingResponse {
	e.t.Helper()
	var res types.QueryUsageByListingResponse
	require.NoError(e.t, e.query("UsageByListing", &types.QueryUsageByListingRequest{ListingId: listingID}, &res))
	return &res
}

func (e *env) usageByUser(listingID uint64, user *testutil.Account) *types.QueryUsageByUserResponse {
	e.t.Helper()
	var res types.QueryUsageByUserResponse
	require.NoError(e.t, e.query("UsageByUser", &types.QueryUsageByUserRequest{ListingId: listingID, User: user.Address.String()}, &res))
	return &res
}

// ok delivers msgs signed by acc and requires success.
func (e *env) ok(acc *testutil.Account, msgs ...sdk.Msg) *abci.ExecTxResult {
	e.t.Helper()
	res := e.c.DeliverTx(acc, fee, msgs...)
	require.Zero(e.t, res.Code, "codespace %s: %s", res.Codespace, res.Log)
	return res
}

// fail delivers msgs signed by acc and requires the registered error with a log containing msg.
func (e *env) fail(wantErr error, msg string, acc *testutil.Account, msgs ...sdk.Msg) *abci.ExecTxResult {
	e.t.Helper()
	res := e.c.DeliverTx(acc, fee, msgs...)
	requireErr(e.t, res, wantErr, msg)
	return res
}

func requireErr(t *testing.T, res *abci.ExecTxResult, wantErr error, msg string) {
	t.Helper()
	codespace, code, _ := errorsABCI(wantErr)
	require.Equal(t, code, res.Code, "want %v; got codespace %s code %d: %s", wantErr, res.Codespace, res.Code, res.Log)
	require.Equal(t, codespace, res.Codespace, res.Log)
	require.Contains(t, res.Log, msg)
}

// register registers a model through x/marketplace and returns its id.
func (e *env) register(owner *testutil.Account, name string, policy marketplacetypes.AccessPolicy) uint64 {
	e.t.Helper()
	res := e.ok(owner, &marketplacetypes.MsgRegisterListing{
		Owner: owner.Address.String(), Kind: marketplacetypes.ListingKindModel, Name: name,
		Task: "nlp", Endpoint: "https://node.example.com/v1", MetadataCid: cidV1, Version: "1.0.0",
		Collateral: sdk.NewInt64Coin(app.BondDenom, 1_000*bai), Access: policy,
	})
	var out marketplacetypes.MsgRegisterListingResponse
	testutil.MsgResponse(e.t, res, &out)
	require.NotZero(e.t, out.Id)
	return out.Id
}

func (e *env) delegateMsg(acc *testutil.Account, amount int64) sdk.Msg {
	return stakingtypes.NewMsgDelegate(acc.Address.String(), e.val.String(), sdk.NewInt64Coin(app.BondDenom, amount))
}

func (e *env) undelegateMsg(acc *testutil.Account, amount int64) sdk.Msg {
	return stakingtypes.NewMsgUndelegate(acc.Address.String(), e.val.String(), sdk.NewInt64Coin(app.BondDenom, amount))
}

func (e *env) recordMsg(op *testutil.Account, listingID uint64, users ...*testutil.Account) *types.MsgRecordUsage {
	msg := &types.MsgRecordUsage{Operator: op.Address.String(), ListingId: listingID}
	for i, u := range users {
		req, resp := cidV1, cidV0
		if i%2 == 1 {
			req, resp = cidV0, cidV1
		}
		msg.Records = append(msg.Records, types.UsageRecord{User: u.Address.String(), RequestCid: req, ResponseCid: resp, Units: uint64(10 + i)})
	}
	return msg
}

// usageState is everything a refused MsgRecordUsage must leave unchanged.
type usageState struct {
	seq      uint64
	receipts int
	totals   types.Usage
	daily    map[string]types.Usage
}

func (e *env) usageState(listingID uint64, users ...*testutil.Account) usageState {
	e.t.Helper()
	ctx := e.c.Ctx()
	seq, err := e.c.App.AccessKeeper.ReceiptSeq.Peek(ctx)
	require.NoError(e.t, err)
	s := usageState{seq: seq, daily: map[string]types.Usage{}}
	byListing := e.usageByListing(listingID)
	s.receipts, s.totals = len(byListing.Receipts), byListing.Totals
	for _, u := range users {
		s.daily[u.Name] = e.usageByUser(listingID, u).Today
	}
	return s
}

// recordedReceipts returns the receipt ids of a successful MsgRecordUsage.
func recordedReceipts(t *testing.T, res *abci.ExecTxResult) []uint64 {
	t.Helper()
	var out types.MsgRecordUsageResponse
	testutil.MsgResponse(t, res, &out)
	return out.ReceiptIds
}

// typedEvents returns the events of a type in a tx result.
func typedEvents(res *abci.ExecTxResult, eventType string) []abci.Event {
	var out []abci.Event
	for _, ev := range res.Events {
		if ev.Type == eventType {
			out = append(out, ev)
		}
	}
	return out
}

func attr(ev abci.Event, key string) string {
	for _, a := range ev.Attributes {
		if a.Key == key {
			return a.Value
		}
	}
	return ""
}

// TestAccessThroughStakingAndMarketplace is the scenario through the real app: a listing
// with min_stake 100 BAI and 2 requests/day registered in x/marketplace; the user's stake comes
// from x/staking delegations; operators record usage; one bad record rejects the batch;
// undelegating lowers eligibility in the same block; a PAUSED listing refuses.
func TestAccessThroughStakingAndMarketplace(t *testing.T) {
	e := newEnv(t, time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC), blockTime, nil)
	policy := marketplacetypes.AccessPolicy{MinStake: math.NewInt(100 * bai), RequestsPerDay: 2, Mode: marketplacetypes.AccessModePublic}
	id := e.register(e.provider, "Llama Summariser", policy)
	listing, err := e.c.App.MarketplaceKeeper.GetListing(e.c.Ctx(), id)
	require.NoError(t, err)
	require.Equal(t, marketplacetypes.ListingStatusActive, listing.Status)

	// A missing listing is an answer, not an error.
	e.requireDecision(id+100, e.alice, false, types.ReasonListingNotFound, 0, 0, 0)

	// No stake: refused, with the required stake in the answer.
	res := e.check(id, e.alice)
	require.False(t, res.Allowed)
	require.Equal(t, types.ReasonStakeBelowMinimum, res.Reason)
	require.Equal(t, "0", res.Stake.String())
	require.Equal(t, math.NewInt(100*bai).String(), res.RequiredStake.String())
	require.False(t, res.Unlimited)

	// Stake comes from real delegations: just below, at, and twice the minimum.
	e.ok(e.alice, e.delegateMsg(e.alice, 100*bai-1))
	e.requireDecision(id, e.alice, false, types.ReasonStakeBelowMinimum, 100*bai-1, 0, 0)
	e.ok(e.alice, e.delegateMsg(e.alice, 1))
	e.requireDecision(id, e.alice, true, "", 100*bai, 2, 0)
	e.ok(e.alice, e.delegateMsg(e.alice, 100*bai))
	e.requireDecision(id, e.alice, true, "", 200*bai, 4, 0)
	// bob stakes 100 BAI: quota 2.
	e.ok(e.bob, e.delegateMsg(e.bob, 100*bai))
	e.requireDecision(id, e.bob, true, "", 100*bai, 2, 0)

	// Operators: only the owner names them; nobody can record before.
	e.fail(types.ErrNotOperator, "is not an operator of listing", e.provider, e.recordMsg(e.provider, id, e.alice))
	e.fail(types.ErrNotOwner, fmt.Sprintf("listing %d is owned by %s", id, e.provider.Address), e.stranger,
		&types.MsgSetOperators{Owner: e.stranger.Address.String(), ListingId: id, Operators: []string{e.stranger.Address.String()}})
	setRes := e.ok(e.provider, &types.MsgSetOperators{Owner: e.provider.Address.String(), ListingId: id, Operators: []string{e.node.Address.String()}})
	require.Len(t, typedEvents(setRes, "balanceai.access.v1.EventOperatorsSet"), 1)
	var ops types.QueryOperatorsResponse
	require.NoError(t, e.query("Operators", &types.QueryOperatorsRequest{ListingId: id}, &ops))
	require.Equal(t, []string{e.node.Address.String()}, ops.Operators)

	// A non-operator (and the owner, who is not implicitly one) cannot record.
	before := e.usageState(id, e.alice, e.bob, e.stranger)
	e.fail(types.ErrNotOperator, fmt.Sprintf("%s is not an operator of listing %d", e.stranger.Address, id), e.stranger, e.recordMsg(e.stranger, id, e.alice))
	e.fail(types.ErrNotOperator, fmt.Sprintf("%s is not an operator of listing %d", e.provider.Address, id), e.provider, e.recordMsg(e.provider, id, e.alice))
	require.Equal(t, before, e.usageState(id, e.alice, e.bob, e.stranger))

	// A batch with one ineligible user in the middle: rejected naming index 1, nothing stored.
	e.fail(types.ErrAccessDenied,
		fmt.Sprintf("record 1: user %s stake below minimum (stake 0, required 100000000, quota 0, used today 0)", e.stranger.Address),
		e.node, e.recordMsg(e.node, id, e.alice, e.stranger, e.bob))
	require.Equal(t, before, e.usageState(id, e.alice, e.bob, e.stranger))
	e.requireDecision(id, e.alice, true, "", 200*bai, 4, 0)

	// An invalid CID in the middle is rejected the same way.
	bad := e.recordMsg(e.node, id, e.alice, e.bob)
	bad.Records[1].ResponseCid = "not-a-cid"
	e.fail(types.ErrInvalidRecord, `record 1: response_cid: "not-a-cid" is not an IPFS CID`, e.node, bad)
	zero := e.recordMsg(e.node, id, e.alice)
	zero.Records[0].Units = 0
	e.fail(types.ErrInvalidRecord, "record 0: units must be at least 1", e.node, zero)
	require.Equal(t, before, e.usageState(id, e.alice, e.bob, e.stranger))

	// Quota crossing inside one batch: alice's quota is 4, the fifth record (index 4) fails.
	e.fail(types.ErrAccessDenied,
		fmt.Sprintf("record 4: user %s quota exhausted (stake 200000000, required 100000000, quota 4, used today 4)", e.alice.Address),
		e.node, e.recordMsg(e.node, id, e.alice, e.alice, e.alice, e.alice, e.alice))
	require.Equal(t, before, e.usageState(id, e.alice, e.bob, e.stranger))
	// Interleaved users count separately: bob's third record (index 5) crosses his quota of 2.
	e.fail(types.ErrAccessDenied, fmt.Sprintf("record 5: user %s quota exhausted", e.bob.Address),
		e.node, e.recordMsg(e.node, id, e.alice, e.bob, e.alice, e.bob, e.alice, e.bob))
	require.Equal(t, before, e.usageState(id, e.alice, e.bob, e.stranger))

	// Three records for alice and two for bob pass.
	rec := e.ok(e.node, e.recordMsg(e.node, id, e.alice, e.bob, e.alice, e.bob, e.alice))
	require.Equal(t, []uint64{1, 2, 3, 4, 5}, recordedReceipts(t, rec))
	// One event for the message: receipts 1-5, 60 units, two users.
	evs := typedEvents(rec, "balanceai.access.v1.EventUsageBatchRecorded")
	require.Len(t, evs, 1)
	require.Equal(t, `"1"`, attr(evs[0], "first_receipt_id"))
	require.Equal(t, `"5"`, attr(evs[0], "last_receipt_id"))
	require.Equal(t, `"5"`, attr(evs[0], "records"))
	require.Equal(t, `"60"`, attr(evs[0], "units"))
	require.Equal(t, `"2"`, attr(evs[0], "users"))
	require.Equal(t, fmt.Sprintf(`"%d"`, id), attr(evs[0], "listing_id"))
	require.Equal(t, fmt.Sprintf("%q", e.node.Address.String()), attr(evs[0], "operator"))
	require.Empty(t, typedEvents(rec, "balanceai.access.v1.EventUsageRecorded"), "no event per record")
	e.requireDecision(id, e.alice, true, "", 200*bai, 4, 3)
	e.requireDecision(id, e.bob, false, types.ReasonQuotaExhausted, 100*bai, 2, 2)

	byListing := e.usageByListing(id)
	require.Len(t, byListing.Receipts, 5)
	require.Equal(t, types.Usage{Requests: 5, Units: 10 + 11 + 12 + 13 + 14}, byListing.Totals)
	for i, r := range byListing.Receipts {
		require.Equal(t, uint64(i+1), r.Id)
		require.Equal(t, id, r.ListingId)
		require.Equal(t, e.node.Address.String(), r.Operator)
		require.Equal(t, e.c.Height, r.Height)
		require.True(t, r.Time.Equal(e.c.Time), "receipt time %s, block time %s", r.Time, e.c.Time)
	}
	aliceUsage := e.usageByUser(id, e.alice)
	require.Len(t, aliceUsage.Receipts, 3)
	require.Equal(t, types.Usage{Requests: 3, Units: 10 + 12 + 14}, aliceUsage.Today)
	for _, r := range aliceUsage.Receipts {
		require.Equal(t, e.alice.Address.String(), r.User)
	}

	// Two messages in one block count against the same quota: the second tx of the block fails
	// at its first record once the first tx used alice's last request.
	blk := e.c.NextBlock(e.c.AllSigners(),
		e.c.SignTx(e.node, fee, e.recordMsg(e.node, id, e.alice)),
		e.c.SignTx(e.node, fee, e.recordMsg(e.node, id, e.alice)))
	require.Len(t, blk.TxResults, 2)
	require.Zero(t, blk.TxResults[0].Code, blk.TxResults[0].Log)
	requireErr(t, blk.TxResults[1], types.ErrAccessDenied, "record 0: user "+e.alice.Address.String()+" quota exhausted")
	e.requireDecision(id, e.alice, false, types.ReasonQuotaExhausted, 200*bai, 4, 4)
	require.Len(t, e.usageByListing(id).Receipts, 6)

	// Undelegating lowers eligibility at once: unbonding tokens do not count.
	_, err = e.c.App.StakingKeeper.GetUnbondingDelegation(e.c.Ctx(), e.alice.Address, e.val)
	require.ErrorIs(t, err, stakingtypes.ErrNoUnbondingDelegation)
	e.ok(e.bob, e.undelegateMsg(e.bob, 1))
	// bob: 100 BAI - 1 ubai bonded, the 1 ubai is unbonding and does not count.
	e.requireDecision(id, e.bob, false, types.ReasonStakeBelowMinimum, 100*bai-1, 0, 2)
	ubd, err := e.c.App.StakingKeeper.GetUnbondingDelegation(e.c.Ctx(), e.bob.Address, e.val)
	require.NoError(t, err)
	require.Len(t, ubd.Entries, 1)
	require.Equal(t, "1", ubd.Entries[0].Balance.String())
	// Within one block: dave (100 BAI bonded, quota 2, nothing used) is served by the first tx,
	// undelegates 1 ubai in the second, and a record for him in the third is refused.
	dave := e.c.Accounts["dave"]
	e.ok(dave, e.delegateMsg(dave, 100*bai))
	e.requireDecision(id, dave, true, "", 100*bai, 2, 0)
	blk = e.c.NextBlock(e.c.AllSigners(),
		e.c.SignTx(e.node, fee, e.recordMsg(e.node, id, dave)),
		e.c.SignTx(dave, fee, e.undelegateMsg(dave, 1)),
		e.c.SignTx(e.node, fee, e.recordMsg(e.node, id, dave)))
	require.Len(t, blk.TxResults, 3)
	require.Zero(t, blk.TxResults[0].Code, blk.TxResults[0].Log)
	require.Zero(t, blk.TxResults[1].Code, blk.TxResults[1].Log)
	requireErr(t, blk.TxResults[2], types.ErrAccessDenied,
		fmt.Sprintf("record 0: user %s stake below minimum (stake 99999999, required 100000000, quota 0, used today 1)", dave.Address))
	e.requireDecision(id, dave, false, types.ReasonStakeBelowMinimum, 100*bai-1, 0, 1)

	// Alice undelegates half: 100 BAI still bonded gives quota 2, and she used 4 today.
	e.ok(e.alice, e.undelegateMsg(e.alice, 100*bai))
	e.requireDecision(id, e.alice, false, types.ReasonQuotaExhausted, 100*bai, 2, 4)
	_, err = e.c.App.StakingKeeper.GetUnbondingDelegation(e.c.Ctx(), e.alice.Address, e.val)
	require.NoError(t, err, "the undelegated tokens sit in an unbonding entry")

	// A PAUSED listing refuses checks and records, whatever the stake; resuming restores it.
	carol := e.stranger
	e.ok(carol, e.delegateMsg(carol, 1_000*bai))
	e.requireDecision(id, carol, true, "", 1_000*bai, 20, 0)
	e.ok(e.provider, &marketplacetypes.MsgPauseListing{Owner: e.provider.Address.String(), Id: id})
	e.requireDecision(id, carol, false, types.ReasonListingNotActive, 1_000*bai, 0, 0)
	res = e.check(id, carol)
	require.Equal(t, math.NewInt(100*bai).String(), res.RequiredStake.String())
	before = e.usageState(id, carol)
	e.fail(types.ErrListingNotActive, fmt.Sprintf("listing %d is LISTING_STATUS_PAUSED", id), e.node, e.recordMsg(e.node, id, carol))
	require.Equal(t, before, e.usageState(id, carol))
	// Operators may still be managed while paused.
	e.ok(e.provider, &types.MsgSetOperators{Owner: e.provider.Address.String(), ListingId: id,
		Operators: []string{e.node.Address.String(), e.provider.Address.String()}})
	e.ok(e.provider, &marketplacetypes.MsgResumeListing{Owner: e.provider.Address.String(), Id: id})
	e.requireDecision(id, carol, true, "", 1_000*bai, 20, 0)
	rec = e.ok(e.provider, e.recordMsg(e.provider, id, carol))
	require.Equal(t, []uint64{8}, recordedReceipts(t, rec), "receipt 7 was dave's")
	e.requireDecision(id, carol, true, "", 1_000*bai, 20, 1)

	// Retiring the listing refuses too.
	e.ok(e.provider, &marketplacetypes.MsgRetireListing{Owner: e.provider.Address.String(), Id: id})
	e.requireDecision(id, carol, false, types.ReasonListingNotActive, 1_000*bai, 0, 1)
	e.fail(types.ErrListingNotActive, "LISTING_STATUS_RETIRING", e.node, e.recordMsg(e.node, id, carol))

	// The module invariant holds over the state the app built.
	msg, broken := keeperInvariant(e)
	require.False(t, broken, msg)
}

// TestAllowlistAndUnlimitedThroughTheApp: an ALLOWLIST listing with min_stake 0 and no daily
// limit refuses users off the list; MsgSetAllowlist lets them in; removal shuts them out again.
func TestAllowlistAndUnlimitedThroughTheApp(t *testing.T) {
	e := newEnv(t, time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC), blockTime, nil)
	id := e.register(e.provider, "Private Model", marketplacetypes.AccessPolicy{
		MinStake: math.ZeroInt(), RequestsPerDay: 0, Mode: marketplacetypes.AccessModeAllowlist,
	})
	e.requireDecision(id, e.alice, false, types.ReasonNotOnAllowlist, 0, 0, 0)
	e.fail(types.ErrNotOwner, "not "+e.alice.Address.String(), e.alice,
		&types.MsgSetAllowlist{Owner: e.alice.Address.String(), ListingId: id, Add: []string{e.alice.Address.String()}})
	e.fail(types.ErrDuplicateAddress, "appears twice", e.provider,
		&types.MsgSetAllowlist{Owner: e.provider.Address.String(), ListingId: id,
			Add: []string{e.alice.Address.String()}, Remove: []string{e.alice.Address.String()}})
	e.ok(e.provider, &types.MsgSetAllowlist{Owner: e.provider.Address.String(), ListingId: id,
		Add: []string{e.alice.Address.String(), e.bob.Address.String()}})
	res := e.check(id, e.alice)
	require.True(t, res.Allowed)
	require.True(t, res.Unlimited)
	require.Zero(t, res.Quota)

	e.ok(e.provider, &types.MsgSetOperators{Owner: e.provider.Address.String(), ListingId: id, Operators: []string{e.node.Address.String()}})
	users := make([]*testutil.Account, 0, 30)
	for range 30 {
		users = append(users, e.alice)
	}
	e.fail(types.ErrAccessDenied, fmt.Sprintf("record 2: user %s not on allowlist", e.stranger.Address),
		e.node, e.recordMsg(e.node, id, e.alice, e.bob, e.stranger))
	rec := e.ok(e.node, e.recordMsg(e.node, id, users...))
	require.Len(t, recordedReceipts(t, rec), 30)
	require.Equal(t, uint64(30), e.check(id, e.alice).UsedToday)
	require.True(t, e.check(id, e.alice).Allowed, "unlimited")

	e.ok(e.provider, &types.MsgSetAllowlist{Owner: e.provider.Address.String(), ListingId: id, Remove: []string{e.alice.Address.String()}})
	e.requireDecision(id, e.alice, false, types.ReasonNotOnAllowlist, 0, 0, 30)
	var al types.QueryAllowlistResponse
	require.NoError(t, e.query("Allowlist", &types.QueryAllowlistRequest{ListingId: id}, &al))
	require.Equal(t, []string{e.bob.Address.String()}, al.Users)

	// Batch over the limit is refused before anything else.
	over := make([]*testutil.Account, 0, types.DefaultMaxReceiptsPerMsg+1)
	for range types.DefaultMaxReceiptsPerMsg + 1 {
		over = append(over, e.bob)
	}
	e.fail(types.ErrInvalidRecordCount, "got 101 records, max_receipts_per_msg is 100", e.node, e.recordMsg(e.node, id, over...))
}

// TestQuotaRolloverAndPruningOnTheChain starts just before midnight UTC: the quota used on one
// day is whole again in the first block of the next day, the EndBlocker drops the past day's
// counters, and (with 24 h retention and one-hour blocks) it prunes receipts once they expire.
func TestQuotaRolloverAndPruningOnTheChain(t *testing.T) {
	e := newEnv(t, time.Date(2026, 3, 1, 23, 59, 0, 0, time.UTC), blockTime, nil)
	id := e.register(e.provider, "Night Model", marketplacetypes.AccessPolicy{
		MinStake: math.NewInt(100 * bai), RequestsPerDay: 2, Mode: marketplacetypes.AccessModePublic,
	})
	e.ok(e.alice, e.delegateMsg(e.alice, 100*bai))
	e.ok(e.provider, &types.MsgSetOperators{Owner: e.provider.Address.String(), ListingId: id, Operators: []string{e.node.Address.String()}})
	e.ok(e.node, e.recordMsg(e.node, id, e.alice, e.alice))
	day := types.DayOf(e.c.Time.Unix())
	require.Equal(t, types.DayOf(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).Unix()), day, "still on March 1st at %s", e.c.Time)
	e.requireDecision(id, e.alice, false, types.ReasonQuotaExhausted, 100*bai, 2, 2)
	require.Equal(t, uint64(2), e.usageByUser(id, e.alice).Today.Requests)

	for types.DayOf(e.c.Time.Unix()) == day {
		e.c.NextBlock(e.c.AllSigners())
		require.Less(t, e.c.Time, time.Date(2026, 3, 2, 0, 1, 0, 0, time.UTC))
	}
	// The first block of March 2nd: a whole quota again, yesterday's counter pruned.
	e.requireDecision(id, e.alice, true, "", 100*bai, 2, 0)
	has, err := e.c.App.AccessKeeper.DailyUsage.Has(e.c.Ctx(), collectionsJoin3(day, id, e.alice.Address))
	require.NoError(t, err)
	require.False(t, has, "the EndBlocker drops past days' counters")
	// Receipts are kept (30-day retention), totals too.
	byListing := e.usageByListing(id)
	require.Len(t, byListing.Receipts, 2)
	require.Equal(t, uint64(2), byListing.Totals.Requests)
	e.ok(e.node, e.recordMsg(e.node, id, e.alice, e.alice))
	e.requireDecision(id, e.alice, false, types.ReasonQuotaExhausted, 100*bai, 2, 2)
}

// TestReceiptsPrunedAfterRetention: with a 24 h retention and one-hour blocks, receipts leave
// the state (and the queries) in the first block at least 24 h after they were recorded, a
// whole MsgRecordUsage batch at a time, at most max_prunes_per_block store entries per block
// (here 1: each batch, 2 entries and one per user, goes alone).
func TestReceiptsPrunedAfterRetention(t *testing.T) {
	cfg := func(gs *types.GenesisState) {
		gs.Params.ReceiptRetention = 24 * time.Hour
		gs.Params.MaxPrunesPerBlock = 1
	}
	e := newEnv(t, time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC), time.Hour, cfg)
	id := e.register(e.provider, "Short Memory", marketplacetypes.AccessPolicy{MinStake: math.ZeroInt(), RequestsPerDay: 0, Mode: marketplacetypes.AccessModePublic})
	e.ok(e.provider, &types.MsgSetOperators{Owner: e.provider.Address.String(), ListingId: id, Operators: []string{e.node.Address.String()}})
	// Three batches in one block: 2, 2 and 1 records.
	e.ok(e.node, e.recordMsg(e.node, id, e.alice, e.bob), e.recordMsg(e.node, id, e.alice, e.bob), e.recordMsg(e.node, id, e.alice))
	recordedAt := e.c.Time
	require.Len(t, e.usageByListing(id).Receipts, 5)

	for e.c.Time.Before(recordedAt.Add(24*time.Hour - time.Hour)) {
		e.c.NextBlock(e.c.AllSigners())
		require.Len(t, e.usageByListing(id).Receipts, 5, "at %s", e.c.Time)
	}
	// The block at recorded + 24 h prunes the first batch (2 receipts), the next block the
	// second (2), the next the last (1).
	for _, left := range []int{3, 1, 0} {
		blk := e.c.NextBlock(e.c.AllSigners())
		require.Len(t, e.usageByListing(id).Receipts, left, "at %s", e.c.Time)
		pruned := 0
		for _, ev := range blk.Events {
			if ev.Type == "balanceai.access.v1.EventReceiptsPruned" {
				pruned++
			}
		}
		require.Equal(t, 1, pruned)
	}
	require.Empty(t, e.usageByUser(id, e.alice).Receipts)
	require.Equal(t, types.Usage{Requests: 5, Units: 10 + 11 + 10 + 11 + 10}, e.usageByListing(id).Totals, "totals are all-time")
	msg, broken := keeperInvariant(e)
	require.False(t, broken, msg)
}

// TestExportImportKeepsAccessState exports a chain with listings, delegations, operators, an
// allowlist, receipts and day counters for height zero, starts a fresh app from it and checks
// that x/access re-exports identically and answers the same access decisions.
func TestExportImportKeepsAccessState(t *testing.T) {
	e := newEnv(t, time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC), blockTime, nil)
	pub := e.register(e.provider, "Public", marketplacetypes.AccessPolicy{MinStake: math.NewInt(100 * bai), RequestsPerDay: 2, Mode: marketplacetypes.AccessModePublic})
	priv := e.register(e.provider, "Private", marketplacetypes.AccessPolicy{MinStake: math.ZeroInt(), RequestsPerDay: 3, Mode: marketplacetypes.AccessModeAllowlist})
	e.ok(e.alice, e.delegateMsg(e.alice, 200*bai))
	e.ok(e.provider,
		&types.MsgSetOperators{Owner: e.provider.Address.String(), ListingId: pub, Operators: []string{e.node.Address.String()}},
		&types.MsgSetOperators{Owner: e.provider.Address.String(), ListingId: priv, Operators: []string{e.node.Address.String(), e.stranger.Address.String()}},
		&types.MsgSetAllowlist{Owner: e.provider.Address.String(), ListingId: priv, Add: []string{e.bob.Address.String()}},
	)
	e.ok(e.node, e.recordMsg(e.node, pub, e.alice, e.alice, e.alice), e.recordMsg(e.node, priv, e.bob, e.bob))
	e.c.NextBlock(e.c.AllSigners())
	wantPub, wantPriv := e.check(pub, e.alice), e.check(priv, e.bob)
	require.Equal(t, uint64(3), wantPub.UsedToday)
	require.Equal(t, uint64(2), wantPriv.UsedToday)

	exported, err := e.c.App.ExportAppStateAndValidators(true, nil, nil)
	require.NoError(t, err)
	var before map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(exported.AppState, &before))
	var gs types.GenesisState
	e.c.App.AppCodec().MustUnmarshalJSON(before[types.ModuleName], &gs)
	require.Len(t, gs.ReceiptBatches, 2, "one batch per MsgRecordUsage")
	require.Len(t, gs.ReceiptBatches[0].Records, 3)
	require.Len(t, gs.ReceiptBatches[1].Records, 2)
	require.Equal(t, uint64(5), gs.LastReceiptId)
	require.Len(t, gs.Operators, 2)
	require.Len(t, gs.Allowlists, 1)
	require.Len(t, gs.DailyUsage, 2)
	require.Len(t, gs.ListingUsage, 2)

	fresh := testutil.NewApp(t, dbm.NewMemDB())
	_, err = fresh.InitChain(&abci.RequestInitChain{
		ChainId: testutil.ChainID, AppStateBytes: exported.AppState,
		ConsensusParams: simtestutil.DefaultConsensusParams, InitialHeight: 1, Time: e.c.Time,
	})
	require.NoError(t, err)
	_, err = fresh.FinalizeBlock(&abci.RequestFinalizeBlock{Height: 1, Time: e.c.Time, ProposerAddress: e.c.Validators[0].ConsAddr})
	require.NoError(t, err)
	_, err = fresh.Commit()
	require.NoError(t, err)

	reexported, err := fresh.ExportAppStateAndValidators(true, nil, nil)
	require.NoError(t, err)
	var after map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(reexported.AppState, &after))
	require.JSONEq(t, string(before[types.ModuleName]), string(after[types.ModuleName]))

	ctx := fresh.NewUncachedContext(false, cmtproto.Header{ChainID: testutil.ChainID, Height: 1, Time: e.c.Time})
	gotPub, err := fresh.AccessKeeper.CheckAccess(ctx, pub, e.alice.Address)
	require.NoError(t, err)
	require.Equal(t, wantPub.Allowed, gotPub.Allowed)
	require.Equal(t, wantPub.Quota, gotPub.Quota)
	require.Equal(t, wantPub.UsedToday, gotPub.UsedToday)
	require.Equal(t, wantPub.Stake.String(), gotPub.Stake.String())
	gotPriv, err := fresh.AccessKeeper.CheckAccess(ctx, priv, e.bob.Address)
	require.NoError(t, err)
	require.Equal(t, wantPriv.UsedToday, gotPriv.UsedToday)
	require.True(t, gotPriv.Allowed)
	require.NoError(t, keeper.CheckReceiptIndexes(ctx, fresh.AccessKeeper))
}

// TestRecordUsageGasPerRecordAndUser: receipts are stored a batch at a time, so a record adds
// only its bytes (in the tx and in the batch) to a message's gas, and each distinct user its
// eligibility reads, day counter and index entry. The CLI help's estimate (70,000 + 8,000 a
// record + 15,000 a distinct user) must cover every shape of batch.
func TestRecordUsageGasPerRecordAndUser(t *testing.T) {
	e := newEnv(t, time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC), blockTime, nil)
	id := e.register(e.provider, "Open Model", marketplacetypes.AccessPolicy{
		MinStake: math.ZeroInt(), RequestsPerDay: 0, Mode: marketplacetypes.AccessModeAllowlist,
	})
	people := []*testutil.Account{e.alice, e.bob, e.stranger, e.c.Accounts["dave"]}
	add := make([]string, len(people))
	for i, p := range people {
		add[i] = p.Address.String()
	}
	e.ok(e.provider,
		&types.MsgSetAllowlist{Owner: e.provider.Address.String(), ListingId: id, Add: add},
		&types.MsgSetOperators{Owner: e.provider.Address.String(), ListingId: id, Operators: []string{e.node.Address.String()}})
	gas := func(users ...*testutil.Account) int64 {
		return e.ok(e.node, e.recordMsg(e.node, id, users...)).GasUsed
	}
	repeat := func(a *testutil.Account, n int) []*testutil.Account {
		out := make([]*testutil.Account, n)
		for i := range out {
			out[i] = a
		}
		return out
	}
	one := gas(e.alice)
	many := gas(repeat(e.alice, 41)...)
	perRecord := (many - one) / 40
	sameUser := gas(repeat(e.alice, 4)...)
	fourUsers := gas(people...)
	perUser := (fourUsers - sameUser) / 3
	t.Logf("gas: 1 record %d, 41 records of one user %d (%d a record), 4 users %d (%d a user)", one, many, perRecord, fourUsers, perUser)
	require.Less(t, perRecord, int64(8_000), "a record writes no key of its own")
	require.Less(t, perUser, int64(15_000))
	estimate := func(records, users int64) int64 { return 70_000 + 8_000*records + 15_000*users }
	for _, c := range []struct{ gas, records, users int64 }{{one, 1, 1}, {many, 41, 1}, {sameUser, 4, 1}, {fourUsers, 4, 4}} {
		require.LessOrEqual(t, c.gas, estimate(c.records, c.users), "%d records of %d users", c.records, c.users)
	}
}
