// Package emission_test runs x/emission inside the real BalanceAI app: four validators with
// stakes 1:2:3:4 finalize blocks through ABCI (testutil.NewChain), and every block's mint, burn,
// split and validator rewards are checked to the ubai against an independent model.
package emission_test

import (
	"fmt"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	distrkeeper "github.com/cosmos/cosmos-sdk/x/distribution/keeper"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/balanceai/balanceai/app"
	appkeepers "github.com/balanceai/balanceai/app/keepers"
	"github.com/balanceai/balanceai/testutil"
	"github.com/balanceai/balanceai/x/emission/keeper"
	"github.com/balanceai/balanceai/x/emission/types"
)

const (
	denom = "ubai"
	bai   = int64(1_000_000)
	// dailyEmission is 2,480 BAI in ubai.
	dailyEmission = int64(2_480) * bai
	blockTime     = 5 * time.Second
)

var (
	modelsFund = authtypes.NewModuleAddress(appkeepers.ModelsFundName)
	agentsFund = authtypes.NewModuleAddress(appkeepers.AgentsFundName)
	feeAddr    = authtypes.NewModuleAddress(authtypes.FeeCollectorName)
	emissionMA = authtypes.NewModuleAddress(types.ModuleName)
)

// chainConfig is four validators staking 100k, 200k, 300k and 400k BAI (1:2:3:4), 10 %
// commission, and alice and bob; every account starts with 1M BAI, so the genesis supply is
// 6M BAI (era 0, below the 10.5M BAI threshold).
func chainConfig(mode types.ValidatorRewardMode, edit func(*types.GenesisState)) testutil.Config {
	return testutil.Config{
		Stakes: []math.Int{
			math.NewInt(100_000 * bai), math.NewInt(200_000 * bai),
			math.NewInt(300_000 * bai), math.NewInt(400_000 * bai),
		},
		Accounts:  []string{"alice", "bob"},
		Balance:   math.NewInt(1_000_000 * bai),
		BlockTime: blockTime,
		ModifyGenesis: func(gen app.GenesisState, a *app.App) app.GenesisState {
			var eg types.GenesisState
			a.AppCodec().MustUnmarshalJSON(gen[types.ModuleName], &eg)
			eg.Params.ValidatorRewardMode = mode
			if edit != nil {
				edit(&eg)
			}
			gen[types.ModuleName] = a.AppCodec().MustMarshalJSON(&eg)
			return gen
		},
	}
}

// snapshot is everything the emission touches, read on the committed state.
type snapshot struct {
	height        int64
	state         types.State
	supply        math.Int
	models        math.Int
	agents        math.Int
	feeCollector  math.Int
	emissionAcct  math.Int
	communityPool math.LegacyDec
	outstanding   []math.LegacyDec
	commission    []math.LegacyDec
}

// harness drives a chain block by block and checks each block against the model.
type harness struct {
	t      *testing.T
	c      *testutil.Chain
	mode   types.ValidatorRewardMode
	params types.Params
	// pendingFees are the ubai fees paid by the txs of the last block: the next block's
	// BeginBlocker burns and distributes them.
	pendingFees math.Int
	// clockStart is the first block's time, from which emission accrues.
	clockStart time.Time
	// totals of the model since the chain started.
	paid       []math.Int // validator rewards (EQUAL) booked per validator
	stakingSum math.Int   // staking parts + unburned fees paid to validators
	burnedSum  math.Int
	// outstandingAdj and poolAdj are changes a tx of the next block makes to a validator's
	// outstanding rewards and to the community pool besides x/emission (a withdrawal); reset
	// after each block.
	outstandingAdj map[int]math.LegacyDec
	poolAdj        math.LegacyDec
}

func newHarness(t *testing.T, mode types.ValidatorRewardMode, edit func(*types.GenesisState)) *harness {
	t.Helper()
	return newHarnessWith(t, mode, chainConfig(mode, edit))
}

// newHarnessWith is newHarness on a chain built from cfg.
func newHarnessWith(t *testing.T, mode types.ValidatorRewardMode, cfg testutil.Config) *harness {
	t.Helper()
	c := testutil.NewChain(t, cfg)
	h := &harness{t: t, c: c, mode: mode, pendingFees: math.ZeroInt(), clockStart: c.Time,
		stakingSum: math.ZeroInt(), burnedSum: math.ZeroInt()}
	var err error
	h.params, err = c.App.EmissionKeeper.Params.Get(c.Ctx())
	require.NoError(t, err)
	require.Equal(t, mode, h.params.ValidatorRewardMode)
	h.paid = make([]math.Int, len(c.Validators))
	for i := range h.paid {
		h.paid[i] = math.ZeroInt()
	}
	// The first block only starts the emission clock.
	s := h.snap()
	require.True(t, s.state.TotalMinted.IsZero(), "the first block mints nothing")
	require.Equal(t, c.Time, s.state.LastEmissionTime)
	require.NoError(t, c.App.EmissionKeeper.CheckInvariants(c.Ctx()))
	return h
}

func (h *harness) snap() snapshot {
	h.t.Helper()
	c := h.c
	ctx, _ := c.Ctx().CacheContext()
	st, err := c.App.EmissionKeeper.State.Get(ctx)
	require.NoError(h.t, err)
	fp, err := c.App.DistrKeeper.FeePool.Get(ctx)
	require.NoError(h.t, err)
	s := snapshot{
		height:        c.Height,
		state:         st,
		supply:        c.App.BankKeeper.GetSupply(ctx, denom).Amount,
		models:        c.App.BankKeeper.GetBalance(ctx, modelsFund, denom).Amount,
		agents:        c.App.BankKeeper.GetBalance(ctx, agentsFund, denom).Amount,
		feeCollector:  c.App.BankKeeper.GetBalance(ctx, feeAddr, denom).Amount,
		emissionAcct:  c.App.BankKeeper.GetBalance(ctx, emissionMA, denom).Amount,
		communityPool: fp.CommunityPool.AmountOf(denom),
	}
	for _, v := range c.Validators {
		out, err := c.App.DistrKeeper.GetValidatorOutstandingRewards(ctx, v.ValAddr)
		require.NoError(h.t, err)
		com, err := c.App.DistrKeeper.GetValidatorAccumulatedCommission(ctx, v.ValAddr)
		require.NoError(h.t, err)
		s.outstanding = append(s.outstanding, out.Rewards.AmountOf(denom))
		s.commission = append(s.commission, com.Commission.AmountOf(denom))
	}
	return s
}

// block finalizes the next block with the given signers (votes for the previous block) and txs
// (signed with c.SignTx), and checks every effect of x/emission against the model. fees is the
// total ubai fee of txs. It returns the snapshots before and after.
func (h *harness) block(signers []int, fees int64, txs ...[]byte) (snapshot, snapshot) {
	h.t.Helper()
	t, c := h.t, h.c
	before := h.snap()
	res := c.NextBlock(signers, txs...)
	for i, r := range res.TxResults {
		require.Zerof(t, r.Code, "tx %d: %s", i, r.Log)
	}
	after := h.snap()

	// Mint: the state says what was minted; cumulatively it must be the exact integral.
	mint := after.state.TotalMinted.Sub(before.state.TotalMinted)
	require.True(t, mint.IsPositive(), "height %d minted %s", c.Height, mint)
	h.requireIntegral(after)
	require.Equal(t, after.state.GenesisSupply.Add(after.state.TotalMinted), after.state.Issued)

	// Fee burn of the previous block's fees.
	collected := h.pendingFees
	burned := collected.QuoRaw(2) // fee_burn_share 0.5, floored
	toValidators := collected.Sub(burned)
	eqInt(t, burned, after.state.TotalBurned.Sub(before.state.TotalBurned), "height %d: total_burned", c.Height)
	eqInt(t, mint.Sub(burned), after.supply.Sub(before.supply), "height %d: bank supply change = minted - burned", c.Height)
	h.burnedSum = h.burnedSum.Add(burned)

	// Split 44 / 24 / 24 / 8, each floored, the dust to the community pool.
	staking := mint.MulRaw(44).QuoRaw(100)
	models := mint.MulRaw(24).QuoRaw(100)
	agents := mint.MulRaw(24).QuoRaw(100)
	development := mint.Sub(staking).Sub(models).Sub(agents)
	eqInt(t, models, after.models.Sub(before.models), "height %d: models_fund", c.Height)
	eqInt(t, agents, after.agents.Sub(before.agents), "height %d: agents_fund", c.Height)

	pot := staking.Add(toValidators)
	h.stakingSum = h.stakingSum.Add(pot)
	var dust math.Int
	switch h.mode {
	case types.VALIDATOR_REWARD_MODE_EQUAL:
		n := int64(len(signers))
		part := math.ZeroInt()
		if n > 0 {
			part = pot.QuoRaw(n)
		}
		dust = pot.Sub(part.MulRaw(n))
		signed := map[int]bool{}
		for _, i := range signers {
			signed[i] = true
		}
		for i := range c.Validators {
			want := math.ZeroInt()
			if signed[i] {
				want = part
			}
			h.paid[i] = h.paid[i].Add(want)
			gotOut := after.outstanding[i].Sub(before.outstanding[i])
			wantOut := math.LegacyNewDecFromInt(want)
			if adj, ok := h.outstandingAdj[i]; ok {
				wantOut = wantOut.Add(adj)
			}
			require.Truef(t, gotOut.Equal(wantOut), "height %d val%d: outstanding +%s, want +%s", c.Height, i, gotOut, wantOut)
			// Commission = rate (10 %) x the validator's part, exactly.
			gotCom := after.commission[i].Sub(before.commission[i])
			wantCom := math.LegacyNewDecFromInt(want).Mul(math.LegacyNewDecWithPrec(1, 1))
			require.Truef(t, gotCom.Equal(wantCom), "height %d val%d: commission +%s, want +%s", c.Height, i, gotCom, wantCom)
		}
	case types.VALIDATOR_REWARD_MODE_PROPORTIONAL:
		// x/distribution pays the fee collector by voting power (1:2:3:4 out of 10) to every
		// validator of the last commit, with no community tax: exact tenths of the pot.
		dust = math.ZeroInt()
		if c.Height > 1 {
			for i := range c.Validators {
				gotOut := after.outstanding[i].Sub(before.outstanding[i])
				want := math.LegacyNewDecFromInt(pot).MulInt64(int64(i + 1)).QuoInt64(10)
				require.Truef(t, gotOut.Equal(want), "height %d val%d: outstanding +%s, want +%s", c.Height, i, gotOut, want)
			}
		}
	}
	gotPool := after.communityPool.Sub(before.communityPool)
	wantPool := math.LegacyNewDecFromInt(development.Add(dust))
	if !h.poolAdj.IsNil() {
		wantPool = wantPool.Add(h.poolAdj)
	}
	h.outstandingAdj, h.poolAdj = nil, math.LegacyDec{}
	require.Truef(t, gotPool.Equal(wantPool),
		"height %d: community pool +%s, want %s + dust %s", c.Height, gotPool, development, dust)

	// Nothing lingers: the fee collector holds only this block's fees, the emission account nothing.
	eqInt(t, math.NewInt(fees), after.feeCollector, "height %d: fee collector", c.Height)
	require.True(t, after.emissionAcct.IsZero(), "height %d: emission account holds %s", c.Height, after.emissionAcct)
	require.NoError(t, c.App.EmissionKeeper.CheckInvariants(c.Ctx()))

	// One EventEmission per block, with the same mint.
	found := false
	for _, ev := range res.Events {
		if ev.Type != "balanceai.emission.v1.EventEmission" {
			continue
		}
		found = true
		for _, a := range ev.Attributes {
			if a.Key == "minted" {
				require.Contains(t, a.Value, fmt.Sprintf(`"amount":"%s"`, mint))
			}
		}
	}
	require.True(t, found, "height %d: no EventEmission", c.Height)

	h.pendingFees = math.NewInt(fees)
	return before, after
}

// requireIntegral checks total_minted = floor(2480 BAI x elapsed / 1 day), to within 1 ubai
// below (atto-ubai truncations), for a chain that has stayed in era 0.
func (h *harness) requireIntegral(s snapshot) {
	h.t.Helper()
	if s.state.Era != 0 {
		return
	}
	elapsed := s.state.LastEmissionTime.Sub(h.clockStart)
	exact := math.NewInt(dailyEmission).Mul(math.NewInt(int64(elapsed))).Quo(math.NewInt(int64(24 * time.Hour)))
	diff := exact.Sub(s.state.TotalMinted)
	require.Truef(h.t, diff.GTE(math.ZeroInt()) && diff.LTE(math.OneInt()),
		"height %d: total_minted %s, exact integral floor %s", s.height, s.state.TotalMinted, exact)
}

func (h *harness) blocks(n int, signers []int) {
	h.t.Helper()
	for i := 0; i < n; i++ {
		h.block(signers, 0)
	}
}

func decInt(d math.LegacyDec) math.Int { return d.TruncateInt() }

// eqInt requires two Ints to be equal (require.Equal compares their big.Int representations).
func eqInt(t *testing.T, want, got math.Int, msgAndArgs ...any) {
	t.Helper()
	require.Equal(t, want.String(), got.String(), msgAndArgs...)
}

// TestEqualRewardsWhateverStake: with stakes 1:2:3:4 every validator that signs gets the same
// emission reward, a validator that misses blocks gets nothing for them, commission is 10 % of
// each part, and the funds and community pool get exactly their shares.
func TestEqualRewardsWhateverStake(t *testing.T) {
	h := newHarness(t, types.VALIDATOR_REWARD_MODE_EQUAL, nil)
	all := h.c.AllSigners()
	start := h.snap()

	// 10 blocks signed by all: equal rewards.
	h.blocks(10, all)
	s1 := h.snap()
	for i := 1; i < 4; i++ {
		require.Truef(t, s1.outstanding[i].Equal(s1.outstanding[0]), "val%d %s != val0 %s", i, s1.outstanding[i], s1.outstanding[0])
	}
	// The second block has a last commit (the first does not): 10 paid blocks.
	perVal := s1.outstanding[0].Sub(start.outstanding[0])
	minted10 := s1.state.TotalMinted.Sub(start.state.TotalMinted)
	t.Logf("10 blocks x 5 s: minted %s ubai; each of the 4 validators (stakes 1:2:3:4) earned %s ubai (commission %s)",
		minted10, perVal, s1.commission[0].Sub(start.commission[0]))
	// 44 % of the mint, split in four, floors aside.
	want := math.LegacyNewDecFromInt(minted10).MulInt64(44).QuoInt64(400)
	require.True(t, perVal.Sub(want).Abs().LTE(math.LegacyNewDec(20)), "per validator %s, 11 %% of the mint %s", perVal, want)

	// val3 (the largest stake) misses 10 blocks, val2 misses 5 of them.
	for i := 0; i < 10; i++ {
		signers := []int{0, 1, 2}
		if i >= 5 {
			signers = []int{0, 1}
		}
		h.block(signers, 0)
	}
	s2 := h.snap()
	require.True(t, s2.outstanding[3].Equal(s1.outstanding[3]), "val3 missed every block and earned %s", s2.outstanding[3].Sub(s1.outstanding[3]))
	require.True(t, s2.outstanding[0].Equal(s2.outstanding[1]))
	gain0, gain2 := s2.outstanding[0].Sub(s1.outstanding[0]), s2.outstanding[2].Sub(s1.outstanding[2])
	require.True(t, gain2.LT(gain0) && gain2.IsPositive(), "val2 signed 5 of 10 blocks: %s vs %s", gain2, gain0)
	t.Logf("missed blocks: val0/val1 +%s, val2 (5 of 10) +%s, val3 (0 of 10) +0", gain0, gain2)

	// All sign again: equal increments again.
	h.blocks(5, all)
	s3 := h.snap()
	for i := 1; i < 4; i++ {
		require.True(t, s3.outstanding[i].Sub(s2.outstanding[i]).Equal(s3.outstanding[0].Sub(s2.outstanding[0])))
	}

	// Over the whole run: the model's totals, and the shares of the total mint.
	total := s3.state.TotalMinted.Sub(start.state.TotalMinted)
	for i := range h.c.Validators {
		eqInt(t, h.paid[i], decInt(s3.outstanding[i].Sub(start.outstanding[i])))
		require.True(t, s3.commission[i].Sub(start.commission[i]).Equal(math.LegacyNewDecFromInt(h.paid[i]).QuoInt64(10)))
	}
	models := s3.models.Sub(start.models)
	agents := s3.agents.Sub(start.agents)
	pool := decInt(s3.communityPool.Sub(start.communityPool))
	paid := math.ZeroInt()
	for _, p := range h.paid {
		paid = paid.Add(p)
	}
	eqInt(t, total, models.Add(agents).Add(pool).Add(paid), "the parts add up to the mint")
	n := int64(s3.height - start.height) // one floor per block and share
	within := func(got math.Int, pct int64) {
		want := total.MulRaw(pct).QuoRaw(100)
		require.Truef(t, got.LTE(want) && got.GTE(want.SubRaw(n)), "%s is not %d %% of %s", got, pct, total)
	}
	within(models, 24)
	within(agents, 24)
	t.Logf("%d blocks: minted %s; models_fund +%s, agents_fund +%s, community pool +%s, validators %v",
		n, total, models, agents, pool, h.paid)
}

// TestDelegatorsShareProRata: a delegator with 3x val0's self-stake earns 3x its rewards after
// commission, the delegators together earn 90 % of the validator's part, and a withdrawal pays
// them out through the bank.
func TestDelegatorsShareProRata(t *testing.T) {
	h := newHarness(t, types.VALIDATOR_REWARD_MODE_EQUAL, nil)
	c := h.c
	all := c.AllSigners()
	h.blocks(3, all)

	val0 := c.Validators[0]
	alice := c.Accounts["alice"]
	// alice delegates 300k BAI to val0 (self-stake 100k BAI): she holds 3/4 of its shares.
	msg := stakingtypes.NewMsgDelegate(alice.Address.String(), val0.ValAddr.String(), sdk.NewCoin(denom, math.NewInt(300_000*bai)))
	h.block(all, 0, c.SignTx(alice, sdk.NewCoins(), msg))

	rewards := func(del sdk.AccAddress) math.LegacyDec {
		ctx, _ := c.Ctx().CacheContext()
		res, err := distrkeeper.NewQuerier(c.App.DistrKeeper).DelegationRewards(ctx, &distrtypes.QueryDelegationRewardsRequest{
			DelegatorAddress: del.String(), ValidatorAddress: val0.ValAddr.String(),
		})
		require.NoError(t, err)
		return res.Rewards.AmountOf(denom)
	}
	self0, alice0 := rewards(val0.Address), rewards(alice.Address)
	require.True(t, alice0.IsZero())
	paid0 := h.paid[0]

	h.blocks(20, all)
	selfGain := rewards(val0.Address).Sub(self0)
	aliceGain := rewards(alice.Address)
	part := math.LegacyNewDecFromInt(h.paid[0].Sub(paid0)) // val0's emission part over the 20 blocks
	delegators := part.MulInt64(9).QuoInt64(10)            // after 10 % commission
	t.Logf("val0 earned %s over 20 blocks: self-delegation (100k BAI) %s, alice (300k BAI) %s", part, selfGain, aliceGain)
	tol := math.LegacyNewDecWithPrec(1, 6) // F1 ratio truncations are ~1e-18 per token
	require.True(t, aliceGain.Sub(delegators.MulInt64(3).QuoInt64(4)).Abs().LTE(tol), "alice %s, want 3/4 of %s", aliceGain, delegators)
	require.True(t, selfGain.Sub(delegators.QuoInt64(4)).Abs().LTE(tol), "self %s, want 1/4 of %s", selfGain, delegators)
	require.True(t, aliceGain.Sub(selfGain.MulInt64(3)).Abs().LTE(tol))
	// EQUAL mode: val0 (now 400k BAI bonded, like val3) still earns what every validator earns.
	s := h.snap()
	require.True(t, s.outstanding[0].Equal(s.outstanding[1]))

	// alice withdraws in a block val0 did not sign (so it books no new part first): her balance
	// rises by her reward truncated to the ubai, val0's outstanding rewards fall by the whole
	// reward, and the fraction left over goes to the community pool (x/distribution's rule).
	before := c.Balance(alice.Address)
	paidBefore := h.paid[0]
	wd := distrtypes.NewMsgWithdrawDelegatorReward(alice.Address.String(), val0.ValAddr.String())
	h.outstandingAdj = map[int]math.LegacyDec{0: aliceGain.Neg()}
	h.poolAdj = aliceGain.Sub(math.LegacyNewDecFromInt(aliceGain.TruncateInt()))
	h.block([]int{1, 2, 3}, 0, c.SignTx(alice, sdk.NewCoins(), wd))
	eqInt(t, paidBefore, h.paid[0], "val0 did not sign: no part")
	eqInt(t, aliceGain.TruncateInt(), c.Balance(alice.Address).Sub(before))
	t.Logf("alice withdrew %s ubai", c.Balance(alice.Address).Sub(before))
	require.True(t, rewards(alice.Address).IsZero())
}

// TestProportionalModePaysByPower: in PROPORTIONAL mode the staking part goes through the fee
// collector and x/distribution pays it by power, 1:2:3:4; fees are still half burned.
func TestProportionalModePaysByPower(t *testing.T) {
	h := newHarness(t, types.VALIDATOR_REWARD_MODE_PROPORTIONAL, nil)
	c := h.c
	all := c.AllSigners()
	start := h.snap()
	h.blocks(10, all)
	alice, bob := c.Accounts["alice"], c.Accounts["bob"]
	send := banktypes.NewMsgSend(alice.Address, bob.Address, sdk.NewCoins(sdk.NewCoin(denom, math.NewInt(bai))))
	h.block(all, 20_000, c.SignTx(alice, sdk.NewCoins(sdk.NewCoin(denom, math.NewInt(20_000))), send))
	_, after := h.block(all, 0)
	eqInt(t, math.NewInt(10_000), after.state.TotalBurned)
	h.blocks(5, all)
	s := h.snap()
	gains := make([]math.LegacyDec, 4)
	for i := range gains {
		gains[i] = s.outstanding[i].Sub(start.outstanding[i])
		require.Truef(t, gains[i].Equal(gains[0].MulInt64(int64(i+1))), "val%d %s is not %d x val0 %s", i, gains[i], i+1, gains[0])
	}
	sum := gains[0].Add(gains[1]).Add(gains[2]).Add(gains[3])
	require.True(t, sum.Equal(math.LegacyNewDecFromInt(h.stakingSum)), "validators got %s, staking parts + unburned fees %s", sum, h.stakingSum)
	t.Logf("PROPORTIONAL, %d blocks: validators earned %v (1:2:3:4)", s.height-start.height, gains)
}

// TestFeeBurn: a 20,000 ubai fee lowers the next block's supply change by exactly 10,000 ubai,
// total_burned rises by 10,000 and the other 10,000 ubai go to the validators equally; an odd
// fee burns the floor of its half.
func TestFeeBurn(t *testing.T) {
	h := newHarness(t, types.VALIDATOR_REWARD_MODE_EQUAL, nil)
	c := h.c
	all := c.AllSigners()
	h.blocks(2, all)
	alice, bob := c.Accounts["alice"], c.Accounts["bob"]
	send := banktypes.NewMsgSend(alice.Address, bob.Address, sdk.NewCoins(sdk.NewCoin(denom, math.NewInt(bai))))

	// The block with the tx: the fee waits in the fee collector, the supply rises by the mint.
	b, a := h.block(all, 20_000, c.SignTx(alice, sdk.NewCoins(sdk.NewCoin(denom, math.NewInt(20_000))), send))
	eqInt(t, a.state.TotalMinted.Sub(b.state.TotalMinted), a.supply.Sub(b.supply))
	// The next block burns half of it.
	b, a = h.block(all, 0)
	minted := a.state.TotalMinted.Sub(b.state.TotalMinted)
	eqInt(t, math.NewInt(10_000), a.state.TotalBurned.Sub(b.state.TotalBurned))
	eqInt(t, minted.SubRaw(10_000), a.supply.Sub(b.supply))
	require.True(t, a.feeCollector.IsZero())
	// Each of the 4 validators gets a quarter of (44 % of the mint + 10,000).
	want := minted.MulRaw(44).QuoRaw(100).AddRaw(10_000).QuoRaw(4)
	for i := range c.Validators {
		require.True(t, a.outstanding[i].Sub(b.outstanding[i]).Equal(math.LegacyNewDecFromInt(want)))
	}
	t.Logf("fee block: minted %s, supply change %s, total_burned %s, each validator +%s", minted, a.supply.Sub(b.supply), a.state.TotalBurned, want)

	// Odd fee: 20,001 burns 10,000 and pays 10,001; two txs in a block add up.
	h.block(all, 20_001+5_000,
		c.SignTx(alice, sdk.NewCoins(sdk.NewCoin(denom, math.NewInt(20_001))), send),
		c.SignTx(bob, sdk.NewCoins(sdk.NewCoin(denom, math.NewInt(5_000))), banktypes.NewMsgSend(bob.Address, alice.Address, sdk.NewCoins(sdk.NewCoin(denom, math.NewInt(bai))))),
	)
	_, a = h.block(all, 0)
	eqInt(t, math.NewInt(10_000+12_500), a.state.TotalBurned)

	// The supply query agrees with the bank and the state.
	ctx, _ := c.Ctx().CacheContext()
	sup, err := keeper.NewQueryServerImpl(c.App.EmissionKeeper).Supply(ctx, &types.QuerySupplyRequest{})
	require.NoError(t, err)
	eqInt(t, a.supply, sup.Circulating)
	eqInt(t, a.state.TotalBurned, sup.Burned)
	eqInt(t, a.state.GenesisSupply.Add(a.state.TotalMinted).Sub(a.state.TotalBurned), sup.Circulating)
}

// addGenesisBalance wraps cfg.ModifyGenesis so that the named account starts with extra ubai (the
// bank supply included).
func addGenesisBalance(cfg testutil.Config, addr sdk.AccAddress, extra math.Int) testutil.Config {
	inner := cfg.ModifyGenesis
	cfg.ModifyGenesis = func(gen app.GenesisState, a *app.App) app.GenesisState {
		if inner != nil {
			gen = inner(gen, a)
		}
		var bg banktypes.GenesisState
		a.AppCodec().MustUnmarshalJSON(gen[banktypes.ModuleName], &bg)
		extraCoins := sdk.NewCoins(sdk.NewCoin(denom, extra))
		for i, b := range bg.Balances {
			if b.Address == addr.String() {
				bg.Balances[i].Coins = b.Coins.Add(extraCoins...)
			}
		}
		bg.Supply = bg.Supply.Add(extraCoins...)
		gen[banktypes.ModuleName] = a.AppCodec().MustMarshalJSON(&bg)
		return gen
	}
	return cfg
}

// TestHalvingInApp: with a genesis supply 1 BAI below the first threshold (10.5 M BAI) the block
// that crosses it mints the part before it at 2,480 BAI/day and the rest at 1,240, and the chain
// is in era 1 afterwards.
func TestHalvingInApp(t *testing.T) {
	threshold := int64(10_500_000) * bai
	genesisSupply := threshold - bai
	// 6 accounts x 1M BAI, and alice holds the rest up to 1 BAI below the threshold.
	alice := sdk.AccAddress(secp256k1.GenPrivKeyFromSecret([]byte("account-alice")).PubKey().Address())
	cfg := addGenesisBalance(chainConfig(types.VALIDATOR_REWARD_MODE_EQUAL, nil), alice, math.NewInt(genesisSupply-6_000_000*bai))
	h := newHarnessWith(t, types.VALIDATOR_REWARD_MODE_EQUAL, cfg)
	c := h.c
	require.Equal(t, alice, c.Accounts["alice"].Address)
	s := h.snap()
	eqInt(t, math.NewInt(genesisSupply), s.state.GenesisSupply)
	eqInt(t, math.NewInt(threshold), s.state.NextHalvingAt)
	// 1 BAI at 2,480 BAI/day takes 34.84 s: the 7th block (35 s) crosses it.
	var halvingHeight int64
	for i := 0; i < 10; i++ {
		_, a := h.block(c.AllSigners(), 0)
		if a.state.Era == 1 && halvingHeight == 0 {
			halvingHeight = a.height
		}
	}
	s = h.snap()
	require.Equal(t, uint32(1), s.state.Era)
	eqInt(t, math.NewInt(1_240*bai), s.state.CurrentDailyEmission)
	eqInt(t, math.NewInt(15_750_000*bai), s.state.NextHalvingAt)
	// Cumulative: 1 BAI at the old rate, then the rest of the time at half the rate:
	// minted = 1 BAI + (2480 BAI x elapsed / 1 day - 1 BAI) / 2.
	elapsed := int64(s.state.LastEmissionTime.Sub(h.clockStart))
	day := int64(24 * time.Hour)
	full := math.NewInt(dailyEmission).Mul(math.NewInt(elapsed)) // x 1/day
	oneBAI := math.NewInt(bai).MulRaw(day)                       // 1 BAI x 1 day, in ubai x ns (beyond int64)
	exact := full.Sub(oneBAI).QuoRaw(2).Add(oneBAI).Quo(math.NewInt(day))
	diff := exact.Sub(s.state.TotalMinted)
	require.Truef(t, diff.GTE(math.ZeroInt()) && diff.LTE(math.OneInt()), "minted %s, exact %s", s.state.TotalMinted, exact)
	require.Equal(t, int64(8), halvingHeight, "35 s after the clock started (height 1) is height 8")
	t.Logf("halving at height %d; after %s minted %s ubai (exact %s)", halvingHeight, time.Duration(elapsed), s.state.TotalMinted, exact)
}

// TestExportImportKeepsEmission: an app exported mid-era and imported into a fresh app keeps
// era, totals, carry and clock, so the next block mints, burns and splits exactly as it does on
// the original chain.
func TestExportImportKeepsEmission(t *testing.T) {
	h := newHarness(t, types.VALIDATOR_REWARD_MODE_EQUAL, nil)
	c := h.c
	all := c.AllSigners()
	h.blocks(6, all)
	// A fee in the last block before the export: the imported chain must burn it too.
	alice, bob := c.Accounts["alice"], c.Accounts["bob"]
	send := banktypes.NewMsgSend(alice.Address, bob.Address, sdk.NewCoins(sdk.NewCoin(denom, math.NewInt(bai))))
	h.block(all, 20_000, c.SignTx(alice, sdk.NewCoins(sdk.NewCoin(denom, math.NewInt(20_000))), send))
	exported := h.snap()
	require.False(t, exported.state.Carry.IsZero(), "5 s blocks leave a fraction of a ubai")

	exp, err := c.App.ExportAppStateAndValidators(false, nil, nil)
	require.NoError(t, err)
	imported := testutil.NewApp(t, dbm.NewMemDB())
	_, err = imported.InitChain(&abci.RequestInitChain{
		ChainId: testutil.ChainID, Time: c.Time, AppStateBytes: exp.AppState,
		ConsensusParams: simtestutil.DefaultConsensusParams, InitialHeight: exp.Height + 1,
	})
	require.NoError(t, err)

	// The same next block on both apps.
	var votes []abci.VoteInfo
	for _, v := range c.Validators {
		votes = append(votes, abci.VoteInfo{
			Validator:   abci.Validator{Address: v.ConsAddr, Power: v.Stake.Quo(sdk.DefaultPowerReduction).Int64()},
			BlockIdFlag: cmtproto.BlockIDFlagCommit,
		})
	}
	_, err = imported.FinalizeBlock(&abci.RequestFinalizeBlock{
		Height: exp.Height + 1, Time: c.Time.Add(blockTime),
		DecidedLastCommit: abci.CommitInfo{Votes: votes}, ProposerAddress: c.Validators[0].ConsAddr,
	})
	require.NoError(t, err)
	_, err = imported.Commit()
	require.NoError(t, err)
	_, orig := h.block(all, 0)

	ctx := imported.NewUncachedContext(false, cmtproto.Header{ChainID: testutil.ChainID, Height: exp.Height + 1, Time: c.Time})
	st, err := imported.EmissionKeeper.State.Get(ctx)
	require.NoError(t, err)
	cdc := c.App.AppCodec()
	require.JSONEq(t, string(cdc.MustMarshalJSON(&orig.state)), string(cdc.MustMarshalJSON(&st)))
	require.Equal(t, orig.state.TotalBurned.String(), "10000")
	eqInt(t, orig.supply, imported.BankKeeper.GetSupply(ctx, denom).Amount)
	eqInt(t, orig.models, imported.BankKeeper.GetBalance(ctx, modelsFund, denom).Amount)
	eqInt(t, orig.agents, imported.BankKeeper.GetBalance(ctx, agentsFund, denom).Amount)
	fp, err := imported.DistrKeeper.FeePool.Get(ctx)
	require.NoError(t, err)
	require.True(t, orig.communityPool.Equal(fp.CommunityPool.AmountOf(denom)))
	for i, v := range c.Validators {
		out, err := imported.DistrKeeper.GetValidatorOutstandingRewards(ctx, v.ValAddr)
		require.NoError(t, err)
		require.Truef(t, orig.outstanding[i].Equal(out.Rewards.AmountOf(denom)), "val%d", i)
	}
	require.NoError(t, imported.EmissionKeeper.CheckInvariants(ctx))
	t.Logf("after import: minted %s in the next block on both chains, carry %s -> %s",
		orig.state.TotalMinted.Sub(exported.state.TotalMinted), exported.state.Carry, st.Carry)
}

// finalize runs and commits one block on a, with every validator of c voting commit (none when
// votes is false), and returns the result.
func finalize(t *testing.T, a *app.App, c *testutil.Chain, height int64, tm time.Time, votes bool, txs ...[]byte) *abci.ResponseFinalizeBlock {
	t.Helper()
	var infos []abci.VoteInfo
	if votes {
		for _, v := range c.Validators {
			infos = append(infos, abci.VoteInfo{
				Validator:   abci.Validator{Address: v.ConsAddr, Power: v.Stake.Quo(sdk.DefaultPowerReduction).Int64()},
				BlockIdFlag: cmtproto.BlockIDFlagCommit,
			})
		}
	}
	res, err := a.FinalizeBlock(&abci.RequestFinalizeBlock{
		Height: height, Time: tm, Txs: txs,
		DecidedLastCommit: abci.CommitInfo{Votes: infos}, ProposerAddress: c.Validators[0].ConsAddr,
	})
	require.NoError(t, err)
	_, err = a.Commit()
	require.NoError(t, err)
	return res
}

// TestProportionalRestartBurnsNoEmission: a PROPORTIONAL chain exported for a zero-height
// restart (`baid export --for-zero-height`) mints in its first block, where x/distribution pays
// nothing out. The staking part must not wait in the fee collector to be burned as fees by the
// next block: with no transaction sent, nothing is burned; the fee of the old chain's last block
// is burned once (half), not twice; and the supply grows by exactly the mint.
func TestProportionalRestartBurnsNoEmission(t *testing.T) {
	h := newHarness(t, types.VALIDATOR_REWARD_MODE_PROPORTIONAL, nil)
	c := h.c
	all := c.AllSigners()
	h.blocks(3, all)
	alice, bob := c.Accounts["alice"], c.Accounts["bob"]
	send := banktypes.NewMsgSend(alice.Address, bob.Address, sdk.NewCoins(sdk.NewCoin(denom, math.NewInt(bai))))
	h.block(all, 20_000, c.SignTx(alice, sdk.NewCoins(sdk.NewCoin(denom, math.NewInt(20_000))), send))
	exported := h.snap()
	eqInt(t, math.NewInt(20_000), exported.feeCollector)

	exp, err := c.App.ExportAppStateAndValidators(true, nil, nil)
	require.NoError(t, err)
	require.Zero(t, exp.Height)
	imported := testutil.NewApp(t, dbm.NewMemDB())
	start := c.Time.Add(blockTime)
	_, err = imported.InitChain(&abci.RequestInitChain{
		ChainId: testutil.ChainID, Time: start, AppStateBytes: exp.AppState,
		ConsensusParams: simtestutil.DefaultConsensusParams, InitialHeight: 1,
	})
	require.NoError(t, err)

	read := func(height int64, tm time.Time) (types.State, math.Int, math.Int) {
		ctx := imported.NewUncachedContext(false, cmtproto.Header{ChainID: testutil.ChainID, Height: height, Time: tm})
		st, err := imported.EmissionKeeper.State.Get(ctx)
		require.NoError(t, err)
		return st, imported.BankKeeper.GetSupply(ctx, denom).Amount, imported.BankKeeper.GetBalance(ctx, feeAddr, denom).Amount
	}
	// The exported state: the old chain's totals and supply, its last fee in the fee collector.
	prevState, prevSupply := exported.state, exported.supply

	for height := int64(1); height <= 4; height++ {
		tm := start.Add(time.Duration(height-1) * blockTime)
		res := finalize(t, imported, c, height, tm, height > 1)
		st, supply, fc := read(height, tm)
		minted := st.TotalMinted.Sub(prevState.TotalMinted)
		require.True(t, minted.IsPositive(), "height %d mints", height)
		burned := st.TotalBurned.Sub(prevState.TotalBurned)
		wantBurned := math.ZeroInt()
		if height == 1 {
			wantBurned = math.NewInt(10_000) // half of the old chain's last fee, once
		}
		eqInt(t, wantBurned, burned, "height %d burned", height)
		eqInt(t, minted.Sub(wantBurned), supply.Sub(prevSupply), "height %d: supply change = minted - burned", height)
		require.True(t, fc.IsZero(), "height %d: the fee collector keeps %s", height, fc)
		for _, ev := range res.Events {
			if ev.Type != "balanceai.emission.v1.EventEmission" {
				continue
			}
			for _, a := range ev.Attributes {
				if a.Key == "fees_burned" {
					require.Contains(t, a.Value, fmt.Sprintf(`"amount":"%s"`, wantBurned), "height %d", height)
				}
			}
		}
		ctx := imported.NewUncachedContext(false, cmtproto.Header{ChainID: testutil.ChainID, Height: height, Time: tm})
		require.NoError(t, imported.EmissionKeeper.CheckInvariants(ctx))
		prevState, prevSupply = st, supply
	}
	t.Logf("restarted PROPORTIONAL chain: 4 blocks minted %s ubai, burned %s ubai (the old chain's last fee, once)",
		prevState.TotalMinted.Sub(exported.state.TotalMinted), prevState.TotalBurned.Sub(exported.state.TotalBurned))
}
