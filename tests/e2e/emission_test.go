//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/balanceai/balanceai/testutil/e2e"
)

const (
	baiUnit       = int64(1_000_000)
	emissionDaily = int64(2_480) * baiUnit
	nsPerDay      = int64(24 * time.Hour)
)

// emissionState is the part of /balanceai/emission/v1/state the tests read.
type emissionState struct {
	State struct {
		GenesisSupply        string      `json:"genesis_supply"`
		TotalMinted          string      `json:"total_minted"`
		TotalBurned          string      `json:"total_burned"`
		Issued               string      `json:"issued"`
		Era                  json.Number `json:"era"`
		CurrentDailyEmission string      `json:"current_daily_emission"`
		NextHalvingAt        string      `json:"next_halving_at"`
		LastEmissionTime     time.Time   `json:"last_emission_time"`
		Carry                string      `json:"carry"`
	} `json:"state"`
}

// emissionSnapshot is what x/emission touches, read at one height.
type emissionSnapshot struct {
	height        int64
	state         emissionState
	models        math.Int
	agents        math.Int
	communityPool math.LegacyDec
	outstanding   math.LegacyDec
	supply        math.Int
}

func mustInt(t *testing.T, s string) math.Int {
	t.Helper()
	v, ok := math.NewIntFromString(s)
	require.True(t, ok, "not an integer: %q", s)
	return v
}

func mustDec(t *testing.T, s string) math.LegacyDec {
	t.Helper()
	if s == "" {
		return math.LegacyZeroDec()
	}
	v, err := math.LegacyNewDecFromStr(s)
	require.NoError(t, err)
	return v
}

// restAt GETs a REST path on the state at the given height (the x-cosmos-block-height header),
// requires 200 and decodes the answer into v, so that several queries read one block's state.
func restAt(t *testing.T, n *e2e.Node, height int64, path string, v any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, n.RESTURL()+path, nil)
	require.NoError(t, err)
	req.Header.Set("x-cosmos-block-height", strconv.FormatInt(height, 10))
	client := http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "GET %s at %d: %s", path, height, body)
	require.NoError(t, json.Unmarshal(body, v), "GET %s: %s", path, body)
}

// moduleAddr is the bech32 address of a module account.
func moduleAddr(name string) string {
	return sdk.MustBech32ifyAddressBytes("bai", authtypes.NewModuleAddress(name))
}

func valoperAddr(t *testing.T, accAddr string) string {
	t.Helper()
	bz, err := sdk.GetFromBech32(accAddr, "bai")
	require.NoError(t, err)
	return sdk.MustBech32ifyAddressBytes("baivaloper", bz)
}

// blockTime returns the BFT time of a block from CometBFT's RPC.
func blockTime(t *testing.T, n *e2e.Node, height int64) time.Time {
	t.Helper()
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/block?height=%d", n.RPCPort, height))
	require.NoError(t, err)
	defer resp.Body.Close()
	var b struct {
		Result struct {
			Block struct {
				Header struct {
					Time time.Time `json:"time"`
				} `json:"header"`
			} `json:"block"`
		} `json:"result"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&b))
	require.False(t, b.Result.Block.Header.Time.IsZero(), "no block %d", height)
	return b.Result.Block.Header.Time
}

func snapshotAt(t *testing.T, n *e2e.Node, height int64, valoper string) emissionSnapshot {
	t.Helper()
	s := emissionSnapshot{height: height}
	restAt(t, n, height, "/balanceai/emission/v1/state", &s.state)
	balance := func(addr string) math.Int {
		var b struct {
			Balance struct {
				Amount string `json:"amount"`
			} `json:"balance"`
		}
		restAt(t, n, height, "/cosmos/bank/v1beta1/balances/"+addr+"/by_denom?denom=ubai", &b)
		if b.Balance.Amount == "" {
			return math.ZeroInt()
		}
		return mustInt(t, b.Balance.Amount)
	}
	s.models = balance(moduleAddr("models_fund"))
	s.agents = balance(moduleAddr("agents_fund"))
	var pool struct {
		Pool []struct {
			Denom  string `json:"denom"`
			Amount string `json:"amount"`
		} `json:"pool"`
	}
	restAt(t, n, height, "/cosmos/distribution/v1beta1/community_pool", &pool)
	s.communityPool = math.LegacyZeroDec()
	for _, c := range pool.Pool {
		if c.Denom == "ubai" {
			s.communityPool = mustDec(t, c.Amount)
		}
	}
	var out struct {
		Rewards struct {
			Rewards []struct {
				Denom  string `json:"denom"`
				Amount string `json:"amount"`
			} `json:"rewards"`
		} `json:"rewards"`
	}
	restAt(t, n, height, "/cosmos/distribution/v1beta1/validators/"+valoper+"/outstanding_rewards", &out)
	s.outstanding = math.LegacyZeroDec()
	for _, c := range out.Rewards.Rewards {
		if c.Denom == "ubai" {
			s.outstanding = mustDec(t, c.Amount)
		}
	}
	var sup struct {
		Amount struct {
			Amount string `json:"amount"`
		} `json:"amount"`
	}
	restAt(t, n, height, "/cosmos/bank/v1beta1/supply/by_denom?denom=ubai", &sup)
	s.supply = mustInt(t, sup.Amount.Amount)
	// The state's clock is the block's BFT time.
	require.True(t, s.state.State.LastEmissionTime.Equal(blockTime(t, n, height)),
		"height %d: last_emission_time %s, block time %s", height, s.state.State.LastEmissionTime, blockTime(t, n, height))
	return s
}

// TestEmissionDevnet checks the "done when" of issue 3 on a real node over REST: the default
// params, the minted total between two heights against the exact integral of 2,480 BAI/day over
// the BFT time, the 24/24/8 % split, and the burn of half of a 20,000 ubai fee.
func TestEmissionDevnet(t *testing.T) {
	t.Parallel()
	n, keys := e2e.SingleNodeChain(t, *baidBin, "balanceai-emission", []string{"alice", "bob"}, "1000000000000ubai", nil)
	valoper := valoperAddr(t, keys["val"].Address)

	var params struct {
		Params struct {
			MintDenom           string `json:"mint_denom"`
			DailyEmission       string `json:"daily_emission"`
			MaxSupply           string `json:"max_supply"`
			StakingShare        string `json:"staking_share"`
			ModelsFundShare     string `json:"models_fund_share"`
			AgentsFundShare     string `json:"agents_fund_share"`
			DevelopmentShare    string `json:"development_share"`
			ValidatorRewardMode string `json:"validator_reward_mode"`
			FeeBurnShare        string `json:"fee_burn_share"`
			MaxEmissionInterval string `json:"max_emission_interval"`
		} `json:"params"`
	}
	n.RESTJSON("/balanceai/emission/v1/params", &params)
	p := params.Params
	require.Equal(t, "ubai", p.MintDenom)
	require.Equal(t, "2480000000", p.DailyEmission)
	require.Equal(t, "21000000000000", p.MaxSupply)
	require.Equal(t, "VALIDATOR_REWARD_MODE_EQUAL", p.ValidatorRewardMode)
	for share, want := range map[string]string{
		p.StakingShare: "0.44", p.ModelsFundShare: "0.24", p.DevelopmentShare: "0.08", p.FeeBurnShare: "0.5",
	} {
		require.True(t, mustDec(t, share).Equal(math.LegacyMustNewDecFromStr(want)), "share %s, want %s", share, want)
	}
	require.True(t, mustDec(t, p.AgentsFundShare).Equal(math.LegacyMustNewDecFromStr("0.24")))

	// The schedule from genesis (3 accounts x 1M BAI = 3M BAI): era 0 ends at 10.5M BAI.
	var sched struct {
		Eras []struct {
			Era           json.Number `json:"era"`
			StartIssued   string      `json:"start_issued"`
			EndIssued     string      `json:"end_issued"`
			DailyEmission string      `json:"daily_emission"`
			DurationDays  string      `json:"duration_days"`
			DailyExact    string      `json:"daily_emission_exact"`
		} `json:"eras"`
	}
	n.RESTJSON("/balanceai/emission/v1/schedule", &sched)
	// Every era up to the cap: 0..44; from era 32 the rate is below 1 ubai/day, given exactly.
	require.Len(t, sched.Eras, 45)
	require.Equal(t, json.Number("44"), sched.Eras[44].Era)
	require.Equal(t, "21000000000000", sched.Eras[44].EndIssued)
	require.Equal(t, "0", sched.Eras[32].DailyEmission)
	require.Equal(t, "0.5774199962615966796875", sched.Eras[32].DailyExact)
	require.Equal(t, "2480000000", sched.Eras[0].DailyExact)
	for i, want := range []struct{ end, daily string }{
		{"10500000000000", "2480000000"}, {"15750000000000", "1240000000"},
		{"18375000000000", "620000000"}, {"19687500000000", "310000000"},
	} {
		require.Equal(t, want.end, sched.Eras[i].EndIssued, "era %d", i)
		require.Equal(t, want.daily, sched.Eras[i].DailyEmission, "era %d", i)
	}
	// Eras after the first last 4,233.87 days.
	require.True(t, mustDec(t, sched.Eras[1].DurationDays).Sub(math.LegacyMustNewDecFromStr("4233.870967741935483870")).Abs().LT(math.LegacyMustNewDecFromStr("0.000001")),
		"era 1 lasts %s days", sched.Eras[1].DurationDays)

	// Minted between two heights = 2,480 BAI x elapsed BFT time / 1 day, the split 24/24/8 %.
	h1 := n.Height()
	require.Positive(t, h1)
	n.WaitHeight(h1+6, 60*time.Second)
	h2 := h1 + 6
	s1, s2 := snapshotAt(t, n, h1, valoper), snapshotAt(t, n, h2, valoper)
	require.Equal(t, "3000000000000", s1.state.State.GenesisSupply)
	require.Equal(t, json.Number("0"), s2.state.State.Era)
	require.Equal(t, "2480000000", s2.state.State.CurrentDailyEmission)
	minted := mustInt(t, s2.state.State.TotalMinted).Sub(mustInt(t, s1.state.State.TotalMinted))
	elapsed := s2.state.State.LastEmissionTime.Sub(s1.state.State.LastEmissionTime)
	exact := math.NewInt(emissionDaily).Mul(math.NewInt(int64(elapsed))).Quo(math.NewInt(nsPerDay))
	require.Truef(t, minted.Sub(exact).Abs().LTE(math.NewInt(2)),
		"heights %d..%d: minted %s ubai over %s, exact %s", h1, h2, minted, elapsed, exact)
	// And from the chain's start (the emission clock starts at block 1): exact to 1 ubai.
	genesisTime := blockTime(t, n, 1)
	sinceStart := math.NewInt(emissionDaily).Mul(math.NewInt(int64(s2.state.State.LastEmissionTime.Sub(genesisTime)))).Quo(math.NewInt(nsPerDay))
	require.True(t, sinceStart.Sub(mustInt(t, s2.state.State.TotalMinted)).Abs().LTE(math.OneInt()),
		"total_minted %s, exact since block 1 %s", s2.state.State.TotalMinted, sinceStart)
	require.Equal(t, minted, s2.supply.Sub(s1.supply), "no fees: the supply grows by the mint")

	models, agents := s2.models.Sub(s1.models), s2.agents.Sub(s1.agents)
	pool := s2.communityPool.Sub(s1.communityPool)
	validators := s2.outstanding.Sub(s1.outstanding)
	blocks := h2 - h1
	// Each block floors each share: the funds get 24 % of the mint less at most 1 ubai a block,
	// the community pool 8 % plus that dust; everything adds up to the mint exactly.
	share := func(pct int64) math.Int { return minted.MulRaw(pct).QuoRaw(100) }
	require.Truef(t, models.LTE(share(24)) && models.GTE(share(24).SubRaw(blocks)), "models_fund +%s of %s", models, minted)
	require.Truef(t, agents.LTE(share(24)) && agents.GTE(share(24).SubRaw(blocks)), "agents_fund +%s of %s", agents, minted)
	require.Truef(t, validators.TruncateInt().LTE(share(44)) && validators.TruncateInt().GTE(share(44).SubRaw(blocks)), "validator +%s of %s", validators, minted)
	require.Truef(t, pool.TruncateInt().GTE(share(8)) && pool.TruncateInt().LTE(share(8).AddRaw(3*blocks)), "community pool +%s of %s", pool, minted)
	require.True(t, validators.Add(pool).Add(math.LegacyNewDecFromInt(models.Add(agents))).Equal(math.LegacyNewDecFromInt(minted)),
		"the parts %s + %s + %s + %s do not add up to the mint %s", validators, models, agents, pool, minted)
	t.Logf("heights %d..%d (%s BFT): minted %s ubai (exact %s); models +%s, agents +%s, community pool +%s, validator +%s",
		h1, h2, elapsed, minted, exact, models, agents, pool, validators)

	// A 20,000 ubai fee: half is burned at the start of the next block.
	res := n.Tx("alice", "bank", "send", keys["alice"].Address, keys["bob"].Address, "1000000ubai", "--fees", "20000ubai")
	require.Zero(t, res.Code, res.RawLog)
	hTx, err := strconv.ParseInt(res.Height, 10, 64)
	require.NoError(t, err)
	n.WaitHeight(hTx+1, 30*time.Second)
	before, inTx, after := snapshotAt(t, n, hTx-1, valoper), snapshotAt(t, n, hTx, valoper), snapshotAt(t, n, hTx+1, valoper)
	require.Equal(t, before.state.State.TotalBurned, inTx.state.State.TotalBurned, "nothing burned before the fee is collected")
	burned := mustInt(t, after.state.State.TotalBurned).Sub(mustInt(t, inTx.state.State.TotalBurned))
	require.Equal(t, math.NewInt(10_000), burned, "total_burned rises by half of the 20,000 ubai fee")
	mintedNext := mustInt(t, after.state.State.TotalMinted).Sub(mustInt(t, inTx.state.State.TotalMinted))
	require.Equal(t, mintedNext.SubRaw(10_000), after.supply.Sub(inTx.supply), "supply change = minted - burned")
	// The other 10,000 ubai go to the (only) validator with its 44 %.
	require.True(t, after.outstanding.Sub(inTx.outstanding).Equal(math.LegacyNewDecFromInt(mintedNext.MulRaw(44).QuoRaw(100).AddRaw(10_000))))

	var sup struct {
		Denom          string `json:"denom"`
		Issued         string `json:"issued"`
		Burned         string `json:"burned"`
		Circulating    string `json:"circulating"`
		Remaining      string `json:"remaining"`
		MaxSupply      string `json:"max_supply"`
		GenesisSupply  string `json:"genesis_supply"`
		Minted         string `json:"minted"`
		BurnedBySource []struct {
			Source string `json:"source"`
			Amount string `json:"amount"`
		} `json:"burned_by_source"`
	}
	restAt(t, n, hTx+1, "/balanceai/emission/v1/supply", &sup)
	require.Equal(t, "ubai", sup.Denom)
	require.Equal(t, after.state.State.Issued, sup.Issued)
	require.Equal(t, "10000", sup.Burned)
	require.Equal(t, after.supply.String(), sup.Circulating)
	require.Equal(t, mustInt(t, sup.Issued).SubRaw(10_000).String(), sup.Circulating)
	require.Equal(t, "21000000000000", sup.MaxSupply)
	require.Equal(t, math.NewInt(21_000_000*baiUnit).Sub(mustInt(t, sup.Issued)).String(), sup.Remaining)
	// Every burn by source (only the fee burn here); genesis + minted - burned = circulating.
	require.Len(t, sup.BurnedBySource, 5)
	require.Equal(t, "fees", sup.BurnedBySource[0].Source)
	require.Equal(t, "10000", sup.BurnedBySource[0].Amount)
	require.Equal(t, sup.Circulating, mustInt(t, sup.GenesisSupply).Add(mustInt(t, sup.Minted)).Sub(mustInt(t, sup.Burned)).String())
	t.Logf("fee tx at height %d: total_burned +%s, supply %s -> %s (minted %s)", hTx, burned, inTx.supply, after.supply, mintedNext)
}

// TestEmissionHalvingDevnet: with a genesis supply 1 BAI below the first threshold (10.5 M BAI,
// 35 s of emission; max_supply is fixed at 21 M BAI), the chain reaches era 1 at 1,240 BAI/day
// within a minute.
func TestEmissionHalvingDevnet(t *testing.T) {
	t.Parallel()
	// The validator is the only account: its balance is the whole genesis supply.
	n, _ := e2e.SingleNodeChain(t, *baidBin, "balanceai-halving", nil, "10499999000000ubai", nil)
	started := blockTime(t, n, 1)

	var st emissionState
	n.RESTJSON("/balanceai/emission/v1/state", &st)
	require.Equal(t, "10499999000000", st.State.GenesisSupply)
	require.Equal(t, "10500000000000", st.State.NextHalvingAt, "threshold(0) = max_supply - floor(max_supply / 2)")

	n.Eventually(60*time.Second, "era 1", func() bool {
		n.RESTJSON("/balanceai/emission/v1/state", &st)
		return st.State.Era == "1"
	})
	require.Equal(t, "1240000000", st.State.CurrentDailyEmission)
	require.Equal(t, "15750000000000", st.State.NextHalvingAt)
	issued := mustInt(t, st.State.Issued)
	require.True(t, issued.GT(math.NewInt(10_500_000*baiUnit)))
	// Minted so far: 1 BAI at 2,480 BAI/day, then the rest of the BFT time at 1,240 BAI/day.
	elapsed := int64(st.State.LastEmissionTime.Sub(started))
	full := math.NewInt(emissionDaily).Mul(math.NewInt(elapsed))
	oneBAI := math.NewInt(baiUnit).MulRaw(nsPerDay) // 1 BAI x 1 day in ubai x ns (beyond int64)
	exact := full.Sub(oneBAI).QuoRaw(2).Add(oneBAI).Quo(math.NewInt(nsPerDay))
	require.True(t, exact.Sub(mustInt(t, st.State.TotalMinted)).Abs().LTE(math.NewInt(2)),
		"total_minted %s, exact %s after %s", st.State.TotalMinted, exact, time.Duration(elapsed))

	require.Less(t, time.Duration(elapsed), time.Minute, "era 1 within a minute of BFT time")

	// The block that crossed the threshold emitted an EventHalving.
	latest := n.Height()
	halvingHeight := int64(0)
	for h := int64(2); h <= latest && halvingHeight == 0; h++ {
		var at emissionState
		restAt(t, n, h, "/balanceai/emission/v1/state", &at)
		if at.State.Era == "1" {
			halvingHeight = h
		}
	}
	require.Positive(t, halvingHeight)
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/block_results?height=%d", n.RPCPort, halvingHeight))
	require.NoError(t, err)
	defer resp.Body.Close()
	var results struct {
		Result struct {
			Events []struct {
				Type       string `json:"type"`
				Attributes []struct {
					Key   string `json:"key"`
					Value string `json:"value"`
				} `json:"attributes"`
			} `json:"finalize_block_events"`
		} `json:"result"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&results))
	halving := map[string]string{}
	for _, ev := range results.Result.Events {
		if ev.Type == "balanceai.emission.v1.EventHalving" {
			for _, a := range ev.Attributes {
				halving[a.Key] = a.Value
			}
		}
	}
	require.Equal(t, "1", halving["era"], "EventHalving at height %d: %v", halvingHeight, halving)
	require.Equal(t, `"10500000000000"`, halving["threshold"])
	require.Equal(t, `"1240000000"`, halving["daily_emission"])

	var sched struct {
		Eras []struct {
			Era           json.Number `json:"era"`
			DailyEmission string      `json:"daily_emission"`
		} `json:"eras"`
	}
	n.RESTJSON("/balanceai/emission/v1/schedule", &sched)
	require.Equal(t, json.Number("1"), sched.Eras[0].Era)
	require.Equal(t, "1240000000", sched.Eras[0].DailyEmission)
	t.Logf("era 1 reached at height %d; %s BFT after block 1: total_minted %s (exact %s)", halvingHeight, time.Duration(elapsed), st.State.TotalMinted, exact)
}
