// Package marketplace_test runs x/marketplace inside the real BalanceAI app
// (testutil.NewChain): listings are registered and governance proposals submitted, voted and
// cancelled through signed txs; x/gov tallies in EndBlock and calls the marketplace's gov hooks.
package marketplace_test

import (
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/balanceai/balanceai/app"
	"github.com/balanceai/balanceai/testutil"
	"github.com/balanceai/balanceai/x/marketplace/types"
)

const (
	bai   = int64(1_000_000)
	txFee = int64(5_000)
	cidV1 = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
	// period is the deposit and voting period of the test chain's proposals.
	period = 2 * time.Hour
)

var (
	fee     = sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, txFee))
	govAddr = authtypes.NewModuleAddress(govtypes.ModuleName).String()
)

func ubai(n int64) sdk.Coin { return sdk.NewInt64Coin(app.BondDenom, n) }

type env struct {
	t        *testing.T
	c        *testutil.Chain
	owner    *testutil.Account
	proposer *testutil.Account
	voter    *testutil.Account
}

// newEnv starts a chain with one validator, a voter who delegates more than the validator's
// own stake to it (the voter's vote decides), and proposals that deposit and vote for two
// hours, in blocks ten minutes apart.
func newEnv(t *testing.T) *env {
	t.Helper()
	c := testutil.NewChain(t, testutil.Config{
		Stakes:    []math.Int{math.NewInt(1_000_000 * bai)},
		Accounts:  []string{"owner", "proposer", "voter"},
		Balance:   math.NewInt(2_000_000 * bai),
		BlockTime: 10 * time.Minute,
		ModifyGenesis: func(gen app.GenesisState, a *app.App) app.GenesisState {
			var gs govv1.GenesisState
			a.AppCodec().MustUnmarshalJSON(gen[govtypes.ModuleName], &gs)
			d := period
			gs.Params.MaxDepositPeriod, gs.Params.VotingPeriod = &d, &d
			gen[govtypes.ModuleName] = a.AppCodec().MustMarshalJSON(&gs)
			return gen
		},
	})
	e := &env{t: t, c: c, owner: c.Accounts["owner"], proposer: c.Accounts["proposer"], voter: c.Accounts["voter"]}
	e.ok(e.voter, stakingtypes.NewMsgDelegate(e.voter.Address.String(), c.Validators[0].ValAddr.String(), ubai(1_500_000*bai)))
	return e
}

func (e *env) deliver(acc *testutil.Account, msgs ...sdk.Msg) *abci.ExecTxResult {
	e.t.Helper()
	return e.c.DeliverTx(acc, fee, msgs...)
}

func (e *env) ok(acc *testutil.Account, msgs ...sdk.Msg) *abci.ExecTxResult {
	e.t.Helper()
	res := e.deliver(acc, msgs...)
	require.Zero(e.t, res.Code, "codespace %s: %s", res.Codespace, res.Log)
	return res
}

// refused requires the tx to fail with the registered error and a log containing msg.
func (e *env) refused(res *abci.ExecTxResult, wantErr error, msg string) {
	e.t.Helper()
	codespace, code, _ := errorsmod.ABCIInfo(wantErr, false)
	require.Equal(e.t, codespace, res.Codespace, res.Log)
	require.Equal(e.t, code, res.Code, res.Log)
	require.Contains(e.t, res.Log, msg)
}

func (e *env) register(collateral int64) uint64 {
	e.t.Helper()
	res := e.ok(e.owner, &types.MsgRegisterListing{
		Owner: e.owner.Address.String(), Kind: types.ListingKindModel, Name: "Summariser", Task: "nlp",
		Endpoint: "https://node.example.com/v1", MetadataCid: cidV1, Version: "1.0.0", Collateral: ubai(collateral),
		Access: types.AccessPolicy{MinStake: math.ZeroInt(), Mode: types.AccessModePublic},
	})
	var out types.MsgRegisterListingResponse
	testutil.MsgResponse(e.t, res, &out)
	return out.Id
}

// propose submits a proposal slashing half of listing id with the given deposit.
func (e *env) propose(id uint64, deposit int64) *abci.ExecTxResult {
	e.t.Helper()
	msg, err := govv1.NewMsgSubmitProposal(
		[]sdk.Msg{&types.MsgSlashListing{Authority: govAddr, Id: id, Fraction: math.LegacyNewDecWithPrec(5, 1), Reason: "serves another model"}},
		sdk.NewCoins(ubai(deposit)), e.proposer.Address.String(), "", "Slash listing", "It serves another model", false)
	require.NoError(e.t, err)
	return e.deliver(e.proposer, msg)
}

func (e *env) proposalID(res *abci.ExecTxResult) uint64 {
	e.t.Helper()
	require.Zero(e.t, res.Code, "codespace %s: %s", res.Codespace, res.Log)
	var out govv1.MsgSubmitProposalResponse
	testutil.MsgResponse(e.t, res, &out)
	return out.ProposalId
}

func (e *env) listing(id uint64) types.Listing {
	e.t.Helper()
	l, err := e.c.App.MarketplaceKeeper.GetListing(e.c.Ctx(), id)
	require.NoError(e.t, err)
	return l
}

func (e *env) held(id uint64) bool {
	e.t.Helper()
	held, err := e.c.App.MarketplaceKeeper.IsHeld(e.c.Ctx(), id)
	require.NoError(e.t, err)
	return held
}

func (e *env) withdraw(id uint64, amount int64) *abci.ExecTxResult {
	e.t.Helper()
	return e.deliver(e.owner, &types.MsgWithdrawCollateral{Owner: e.owner.Address.String(), Id: id, Amount: ubai(amount)})
}

// TestPendingSlashProposalFreezesCollateral: while a governance proposal slashing a listing is
// pending, the owner cannot withdraw (a deposit is still accepted); the passed proposal slashes
// half of the collateral at submission, not of what was deposited since; then the holds are
// gone. A proposal the proposer cancels (no x/gov hook) frees its listing in the same block.
// A proposal slashing a listing that does not exist is refused at submission.
func TestPendingSlashProposalFreezesCollateral(t *testing.T) {
	e := newEnv(t)
	a := e.register(2_000 * bai)
	b := e.register(2_000 * bai)

	p1 := e.proposalID(e.propose(a, 1_000*bai))
	require.True(t, e.held(a))
	before := e.listing(a)
	e.refused(e.withdraw(a, 500*bai), types.ErrCollateralFrozen,
		"collateral of listing 1 is frozen while a flag or slash proposal is open")
	require.Equal(t, before, e.listing(a))
	e.ok(e.owner, &types.MsgDepositCollateral{Owner: e.owner.Address.String(), Id: a, Amount: ubai(1_000 * bai)})
	e.ok(e.voter, govv1.NewMsgVote(e.voter.Address, p1, govv1.OptionYes, ""))

	// A proposal in its deposit period freezes too; cancelling it frees the listing at once.
	p2 := e.proposalID(e.propose(b, 300*bai))
	require.True(t, e.held(b))
	e.refused(e.withdraw(b, 500*bai), types.ErrCollateralFrozen, "listing 2 is frozen")
	e.ok(e.proposer, govv1.NewMsgCancelProposal(p2, e.proposer.Address.String()))
	require.False(t, e.held(b))
	e.ok(e.owner, &types.MsgWithdrawCollateral{Owner: e.owner.Address.String(), Id: b, Amount: ubai(500 * bai)})

	// Freezing a listing costs a quarter of the minimum deposit up front.
	e.refused(e.propose(b, 249*bai), govtypes.ErrMinDepositTooSmall, "minimum deposit is too small")
	require.False(t, e.held(b))

	// An unknown listing: the submission fails and nothing is held.
	e.refused(e.propose(99, 1_000*bai), types.ErrListingNotFound, "no listing with id 99")

	// The vote ends: 50 % of the 2,000 BAI at submission is burned.
	_, burnedBefore, err := e.c.App.MarketplaceKeeper.BurnedTotals(e.c.Ctx())
	require.NoError(t, err)
	for e.listing(a).Status != types.ListingStatusSuspended {
		require.True(t, e.held(a))
		e.c.NextBlock(e.c.AllSigners())
		require.False(t, e.c.Time.After(before.UpdatedAt.Add(2*period)), "the proposal did not execute")
	}
	p, err := e.c.App.GovKeeper.Proposals.Get(e.c.Ctx(), p1)
	require.NoError(t, err)
	require.Equal(t, govv1.StatusPassed, p.Status, p.FailedReason)
	l := e.listing(a)
	require.Equal(t, int64(2_000*bai), l.Collateral.Amount.Int64())
	require.False(t, e.held(a))
	_, burned, err := e.c.App.MarketplaceKeeper.BurnedTotals(e.c.Ctx())
	require.NoError(t, err)
	require.Equal(t, int64(1_000*bai), burned.Sub(burnedBefore).Int64())
	require.NoError(t, e.c.App.MarketplaceKeeper.CheckHolds(e.c.Ctx()))
	require.NoError(t, e.c.App.MarketplaceKeeper.CheckCollateral(e.c.Ctx()))
}
