package emission_test

import (
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/balanceai/balanceai/app"
	"github.com/balanceai/balanceai/testutil"
	"github.com/balanceai/balanceai/x/emission/keeper"
	"github.com/balanceai/balanceai/x/emission/types"
	mkttypes "github.com/balanceai/balanceai/x/marketplace/types"
)

const govPeriod = time.Minute

// supplyEnv is a chain with two validators, val0 (1M BAI) and val1 (100k BAI, which
// double-signs), a voter whose delegation to val0 passes proposals alone, and proposals that
// deposit and vote for a minute.
type supplyEnv struct {
	t *testing.T
	c *testutil.Chain
}

func newSupplyEnv(t *testing.T) *supplyEnv {
	t.Helper()
	c := testutil.NewChain(t, testutil.Config{
		Stakes:   []math.Int{math.NewInt(1_000_000 * bai), math.NewInt(100_000 * bai)},
		Accounts: []string{"owner", "proposer", "voter"},
		Balance:  math.NewInt(2_000_000 * bai),
		ModifyGenesis: func(gen app.GenesisState, a *app.App) app.GenesisState {
			var gs govv1.GenesisState
			a.AppCodec().MustUnmarshalJSON(gen[govtypes.ModuleName], &gs)
			d, exp := govPeriod, govPeriod/2
			gs.Params.MaxDepositPeriod, gs.Params.VotingPeriod, gs.Params.ExpeditedVotingPeriod = &d, &d, &exp
			gen[govtypes.ModuleName] = a.AppCodec().MustMarshalJSON(&gs)
			return gen
		},
	})
	e := &supplyEnv{t: t, c: c}
	voter := c.Accounts["voter"]
	e.ok(voter, 5_000, stakingtypes.NewMsgDelegate(voter.Address.String(), c.Validators[0].ValAddr.String(), sdk.NewInt64Coin(denom, 1_500_000*bai)))
	return e
}

func (e *supplyEnv) ok(acc *testutil.Account, fee int64, msgs ...sdk.Msg) *abci.ExecTxResult {
	e.t.Helper()
	res := e.c.DeliverTx(acc, sdk.NewCoins(sdk.NewInt64Coin(denom, fee)), msgs...)
	require.Zero(e.t, res.Code, "codespace %s: %s", res.Codespace, res.Log)
	return res
}

// supply returns the supply summary and requires genesis_supply + minted - burned (every source
// together) = the bank supply, and burned to be the sum of its sources.
func (e *supplyEnv) supply() map[string]math.Int {
	e.t.Helper()
	ctx, _ := e.c.Ctx().CacheContext()
	sup, err := keeper.NewQueryServerImpl(e.c.App.EmissionKeeper).Supply(ctx, &types.QuerySupplyRequest{})
	require.NoError(e.t, err)
	bank := e.c.App.BankKeeper.GetSupply(ctx, denom).Amount
	eqInt(e.t, bank, sup.Circulating)
	eqInt(e.t, bank, sup.GenesisSupply.Add(sup.Minted).Sub(sup.Burned),
		"height %d: genesis %s + minted %s - burned %s (%v) != bank supply", e.c.Height, sup.GenesisSupply, sup.Minted, sup.Burned, sup.BurnedBySource)
	eqInt(e.t, bank, sup.Issued.Sub(sup.Burned))
	out := map[string]math.Int{}
	sum := math.ZeroInt()
	for i, b := range sup.BurnedBySource {
		require.Equal(e.t, types.BurnSources[i], b.Source)
		out[b.Source] = b.Amount
		sum = sum.Add(b.Amount)
	}
	eqInt(e.t, sum, sup.Burned)
	st, err := e.c.App.EmissionKeeper.State.Get(ctx)
	require.NoError(e.t, err)
	eqInt(e.t, st.TotalBurned, out[types.BurnSourceFees])
	return out
}

// doubleSign finalizes the next block with evidence that validator i double-signed the
// previous one; x/evidence slashes and tombstones it.
func (e *supplyEnv) doubleSign(i int) {
	e.t.Helper()
	c := e.c
	v := c.Validators[i]
	total := int64(0)
	var votes []abci.VoteInfo
	for _, val := range c.Validators {
		power := val.Stake.Quo(sdk.DefaultPowerReduction).Int64()
		total += power
		votes = append(votes, abci.VoteInfo{Validator: abci.Validator{Address: val.ConsAddr, Power: power}, BlockIdFlag: cmtproto.BlockIDFlagCommit})
	}
	infractionHeight, infractionTime := c.Height, c.Time
	c.Height++
	c.Time = c.Time.Add(c.BlockTime)
	_, err := c.App.FinalizeBlock(&abci.RequestFinalizeBlock{
		Height: c.Height, Time: c.Time, DecidedLastCommit: abci.CommitInfo{Votes: votes},
		ProposerAddress: c.Validators[0].ConsAddr,
		Misbehavior: []abci.Misbehavior{{
			Type:      abci.MisbehaviorType_DUPLICATE_VOTE,
			Validator: abci.Validator{Address: v.ConsAddr, Power: v.Stake.Quo(sdk.DefaultPowerReduction).Int64()},
			Height:    infractionHeight, Time: infractionTime, TotalVotingPower: total,
		}},
	})
	require.NoError(e.t, err)
	_, err = c.App.Commit()
	require.NoError(e.t, err)
}

// TestSupplyCountsEveryBurn: after fee burns, a listing registration fee, a listing slash passed
// by governance, a cancelled proposal's burned deposit and a validator's double-sign slash, the
// supply summary lists each burn under its source and genesis + minted - burned is the bank
// supply, at every step.
func TestSupplyCountsEveryBurn(t *testing.T) {
	e := newSupplyEnv(t)
	c := e.c
	owner, proposer := c.Accounts["owner"], c.Accounts["proposer"]
	voter := c.Accounts["voter"]
	// Nothing burned yet: the voter's delegation fee (5,000 ubai) waits for the next block.
	start := e.supply()
	for _, src := range types.BurnSources {
		require.True(t, start[src].IsZero(), "%s before anything: %s", src, start[src])
	}

	// Fees: half of each fee is burned in the next block (2,500 + 10,000 ubai).
	e.ok(owner, 20_000, banktypes.NewMsgSend(owner.Address, proposer.Address, sdk.NewCoins(sdk.NewInt64Coin(denom, bai))))
	c.NextBlock(c.AllSigners())
	burns := e.supply()
	eqInt(t, math.NewInt(2_500+10_000), burns[types.BurnSourceFees])

	// A listing registration burns the 10 BAI registration fee.
	mp, err := c.App.MarketplaceKeeper.Params.Get(c.Ctx())
	require.NoError(t, err)
	res := e.ok(owner, 5_000, &mkttypes.MsgRegisterListing{
		Owner: owner.Address.String(), Kind: mkttypes.ListingKindModel, Name: "Summariser", Task: "nlp",
		Endpoint: "https://node.example.com/v1", MetadataCid: "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
		Version: "1.0.0", Collateral: sdk.NewInt64Coin(denom, 2_000*bai),
		Access: mkttypes.AccessPolicy{MinStake: math.ZeroInt(), Mode: mkttypes.AccessModePublic},
	})
	var reg mkttypes.MsgRegisterListingResponse
	testutil.MsgResponse(t, res, &reg)
	burns = e.supply()
	eqInt(t, mp.RegistrationFee.Amount, burns[types.BurnSourceListingRegistrationFees])
	require.True(t, burns[types.BurnSourceListingRegistrationFees].IsPositive())

	// Governance slashes half of the listing's collateral to the burn.
	gov := sdk.AccAddress(c.App.AccountKeeper.GetModuleAddress(govtypes.ModuleName)).String()
	submit, err := govv1.NewMsgSubmitProposal(
		[]sdk.Msg{&mkttypes.MsgSlashListing{Authority: gov, Id: reg.Id, Fraction: math.LegacyNewDecWithPrec(5, 1), Reason: "serves another model"}},
		sdk.NewCoins(sdk.NewInt64Coin(denom, 1_000*bai)), proposer.Address.String(), "", "Slash listing", "It serves another model", false)
	require.NoError(t, err)
	var prop govv1.MsgSubmitProposalResponse
	testutil.MsgResponse(t, e.ok(proposer, 5_000, submit), &prop)
	e.ok(voter, 5_000, govv1.NewMsgVote(voter.Address, prop.ProposalId, govv1.OptionYes, ""))
	deadline := c.Time.Add(2 * govPeriod)
	for {
		p, err := c.App.GovKeeper.Proposals.Get(c.Ctx(), prop.ProposalId)
		require.NoError(t, err)
		if p.Status == govv1.StatusPassed {
			break
		}
		require.Equal(t, govv1.StatusVotingPeriod, p.Status, p.FailedReason)
		require.True(t, c.Time.Before(deadline), "the proposal did not pass")
		c.NextBlock(c.AllSigners())
		e.supply()
	}
	burns = e.supply()
	eqInt(t, math.NewInt(1_000*bai), burns[types.BurnSourceListingSlashes])
	require.True(t, burns[types.BurnSourceGovernanceDeposits].IsZero(), "a passed proposal's deposit is refunded")

	// A cancelled proposal burns half of its deposit (x/gov's proposal_cancel_ratio 0.5).
	text, err := govv1.NewMsgSubmitProposal(nil, sdk.NewCoins(sdk.NewInt64Coin(denom, 300*bai)), proposer.Address.String(), "text proposal", "Text", "A text proposal", false)
	require.NoError(t, err)
	testutil.MsgResponse(t, e.ok(proposer, 5_000, text), &prop)
	e.ok(proposer, 5_000, govv1.NewMsgCancelProposal(prop.ProposalId, proposer.Address.String()))
	burns = e.supply()
	eqInt(t, math.NewInt(150*bai), burns[types.BurnSourceGovernanceDeposits])

	// A proposal nobody votes on misses quorum: its deposit is burned (burn_vote_quorum), so a
	// slash proposal cannot freeze a listing's collateral for free by being ignored.
	ignored, err := govv1.NewMsgSubmitProposal(
		[]sdk.Msg{&mkttypes.MsgSlashListing{Authority: gov, Id: reg.Id, Fraction: math.LegacyNewDecWithPrec(1, 1), Reason: "again"}},
		sdk.NewCoins(sdk.NewInt64Coin(denom, 1_000*bai)), proposer.Address.String(), "", "Slash listing again", "Nobody will vote", false)
	require.NoError(t, err)
	testutil.MsgResponse(t, e.ok(proposer, 5_000, ignored), &prop)
	deadline = c.Time.Add(2 * govPeriod)
	for {
		p, err := c.App.GovKeeper.Proposals.Get(c.Ctx(), prop.ProposalId)
		require.NoError(t, err)
		if p.Status != govv1.StatusVotingPeriod {
			require.Equal(t, govv1.StatusRejected, p.Status)
			break
		}
		require.True(t, c.Time.Before(deadline), "the vote did not end")
		c.NextBlock(c.AllSigners())
		e.supply()
	}
	burns = e.supply()
	eqInt(t, math.NewInt(1_150*bai), burns[types.BurnSourceGovernanceDeposits], "the ignored proposal's 1,000 BAI burned")

	// val1 double-signs: x/evidence slashes 5 % of its stake, burned from the bonded pool.
	v1 := c.Validators[1]
	before, err := c.App.StakingKeeper.GetValidator(c.Ctx(), v1.ValAddr)
	require.NoError(t, err)
	e.doubleSign(1)
	after, err := c.App.StakingKeeper.GetValidator(c.Ctx(), v1.ValAddr)
	require.NoError(t, err)
	require.True(t, after.Jailed)
	slashed := before.Tokens.Sub(after.Tokens)
	eqInt(t, math.NewInt(5_000*bai), slashed, "5 %% of 100k BAI")
	burns = e.supply()
	eqInt(t, slashed, burns[types.BurnSourceValidatorSlashes])

	// The chain goes on; the identity keeps holding.
	c.NextBlock([]int{0})
	c.NextBlock([]int{0})
	final := e.supply()
	t.Logf("burned by source: %v", final)
}
