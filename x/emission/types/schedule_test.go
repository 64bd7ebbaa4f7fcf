package types_test

import (
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"cosmossdk.io/math"

	"github.com/balanceai/balanceai/x/emission/types"
)

const bai = 1_000_000

var (
	daily   = math.NewInt(2480 * bai)
	maxSup  = math.NewInt(21_000_000 * bai)
	genesis = math.NewInt(5_880_000 * bai)
	day     = 24 * time.Hour
)

// referenceIssued integrates the issuance function exactly with rationals, independently of
// ComputeMint: from issued0 + carry0, era by era, for total elapsed nanoseconds.
func referenceIssued(m, d, issued0 *big.Int, carry0 *big.Rat, total *big.Int) *big.Rat {
	cur := new(big.Rat).Add(new(big.Rat).SetInt(issued0), carry0)
	tau := new(big.Rat).SetInt(total)
	k := uint(0)
	for ; k < 300; k++ { // find the era of issued0
		half := new(big.Int).Rsh(m, k+1)
		t := new(big.Int).Sub(m, half)
		if t.Cmp(issued0) > 0 || t.Cmp(m) >= 0 {
			break
		}
	}
	for ; k < 300; k++ {
		half := new(big.Int).Rsh(m, k+1)
		t := new(big.Rat).SetInt(new(big.Int).Sub(m, half))
		if cur.Cmp(t) >= 0 {
			return new(big.Rat).SetInt(m) // cap
		}
		// rate per ns = d / (2^k * 86400e9)
		rate := new(big.Rat).SetFrac(d, new(big.Int).Lsh(big.NewInt(int64(day)), k))
		need := new(big.Rat).Quo(new(big.Rat).Sub(t, cur), rate)
		if tau.Cmp(need) < 0 {
			return cur.Add(cur, new(big.Rat).Mul(rate, tau))
		}
		cur = t
		tau.Sub(tau, need)
		if t.Cmp(new(big.Rat).SetInt(m)) == 0 {
			return cur
		}
	}
	return cur
}

func ratFloor(x *big.Rat) *big.Int { return new(big.Int).Quo(x.Num(), x.Denom()) }

func TestThresholdsAndEras(t *testing.T) {
	require.Equal(t, math.NewInt(10_500_000*bai), types.Threshold(maxSup, 0))
	require.Equal(t, math.NewInt(15_750_000*bai), types.Threshold(maxSup, 1))
	require.Equal(t, math.NewInt(18_375_000*bai), types.Threshold(maxSup, 2))
	require.Equal(t, math.NewInt(19_687_500*bai), types.Threshold(maxSup, 3))
	require.Equal(t, maxSup, types.Threshold(maxSup, 60))

	require.Equal(t, uint32(0), types.EraForIssued(maxSup, genesis))
	require.Equal(t, uint32(1), types.EraForIssued(maxSup, math.NewInt(10_500_000*bai)))
	require.Equal(t, uint32(0), types.EraForIssued(maxSup, math.NewInt(10_500_000*bai-1)))
	require.Equal(t, uint32(3), types.EraForIssued(maxSup, math.NewInt(18_375_000*bai)))
	final := types.EraForIssued(maxSup, maxSup)
	require.Equal(t, maxSup, types.Threshold(maxSup, final))
	require.True(t, types.Threshold(maxSup, final-1).LT(maxSup))

	for k, want := range []int64{2480, 1240, 620, 310, 155} {
		require.Equal(t, math.NewInt(want*bai), types.DailyEmissionForEra(daily, uint32(k)))
	}
}

func TestScheduleDurations(t *testing.T) {
	eras := types.Schedule(maxSup, daily, genesis, 0)
	require.Equal(t, "1862.903225806451612903", eras[0].DurationDays.String())
	require.Equal(t, genesis, eras[0].StartIssued)
	require.Equal(t, math.NewInt(10_500_000*bai), eras[0].EndIssued)
	for k := 1; k <= 3; k++ {
		require.Equal(t, "4233.870967741935483871", eras[k].DurationDays.String(), "era %d", k)
		require.Equal(t, eras[k-1].EndIssued, eras[k].StartIssued)
		require.Equal(t, math.NewInt(int64(2480*bai)>>k), eras[k].DailyEmission)
	}
	// Every era up to the cap: 0..44, the last ending at max_supply; the eras from 32 on mint
	// below 1 ubai/day (2480e6 >> 31 = 1, >> 32 = 0) and their exact rate says so.
	require.Len(t, eras, 45)
	last := eras[len(eras)-1]
	require.Equal(t, uint32(44), last.Era)
	require.Equal(t, maxSup, last.EndIssued)
	require.True(t, types.Threshold(maxSup, 43).LT(maxSup))
	require.True(t, last.DailyEmission.IsZero())
	require.Equal(t, "0.0001409716787748038768768310546875", last.DailyEmissionExact)
	require.Equal(t, "1", eras[31].DailyEmission.String())
	require.Equal(t, "1.154839992523193359375", eras[31].DailyEmissionExact)
	require.True(t, eras[32].DailyEmission.IsZero())
	require.Equal(t, "0.5774199962615966796875", eras[32].DailyEmissionExact)
	require.Equal(t, "2480000000", eras[0].DailyEmissionExact)
	sum := math.ZeroInt()
	for k, e := range eras {
		require.Equal(t, uint32(k), e.Era)
		require.True(t, e.EndIssued.GT(e.StartIssued), "era %d mints", k)
		require.True(t, e.DurationDays.IsPositive(), "era %d", k)
		sum = sum.Add(e.EndIssued.Sub(e.StartIssued))
		// The exact rate is daily / 2^k: times 2^k it gives daily back.
		r, err := math.LegacyNewDecFromStr(e.DailyEmissionExact)
		if k <= 18 { // within LegacyDec's 18 decimals
			require.NoError(t, err)
			require.True(t, r.MulInt64(1<<k).Equal(math.LegacyNewDecFromInt(daily)), "era %d: %s", k, e.DailyEmissionExact)
		}
	}
	require.Equal(t, maxSup.Sub(genesis), sum, "the eras issue everything up to the cap")
	// From the middle of an era the current era's duration counts from issued.
	mid := types.Schedule(maxSup, daily, math.NewInt(13_000_000*bai), 1)
	require.Equal(t, uint32(1), mid[0].Era)
	require.Equal(t, math.NewInt(13_000_000*bai), mid[0].StartIssued)
	require.Equal(t, "2217.741935483870967742", mid[0].DurationDays.String()) // 2.75M / 1240
}

func TestExactDailyEmission(t *testing.T) {
	cases := []struct {
		daily int64
		era   uint32
		want  string
	}{
		{2480 * bai, 0, "2480000000"},
		{2480 * bai, 10, "2421875"},
		{2480 * bai, 11, "1210937.5"},
		{2480 * bai, 44, "0.0001409716787748038768768310546875"},
		{1, 1, "0.5"},
		{1, 3, "0.125"},
		{3, 2, "0.75"},
		{7, 0, "7"},
	}
	for _, c := range cases {
		require.Equal(t, c.want, types.ExactDailyEmission(math.NewInt(c.daily), c.era), "%d / 2^%d", c.daily, c.era)
	}
	require.Equal(t, "0", types.ExactDailyEmission(math.NewInt(1), types.MaxEras))
	// Exact: the digits times 2^era give daily back, for every era of the default schedule.
	for k := uint32(0); k < 60; k++ {
		got := types.ExactDailyEmission(daily, k)
		r, ok := new(big.Rat).SetString(got)
		require.True(t, ok, got)
		require.Equal(t, new(big.Rat).SetFrac(daily.BigInt(), new(big.Int).Lsh(big.NewInt(1), uint(k))).String(), r.String(), "era %d", k)
	}
}

func TestSecondsToThreshold(t *testing.T) {
	// 4.62 M BAI at 2480 BAI/day: 1862.9032... days = 160954838.709... s, rounded up.
	require.Equal(t, math.NewInt(160954839), types.SecondsToThreshold(maxSup, daily, genesis, math.LegacyZeroDec(), 0))
	require.True(t, types.SecondsToThreshold(maxSup, daily, maxSup, math.LegacyZeroDec(), 44).IsZero())
}

func mintIn(issued math.Int, carry math.LegacyDec, elapsed time.Duration) types.MintInput {
	return types.MintInput{
		Issued: issued, Carry: carry, Era: types.EraForIssued(maxSup, issued), Elapsed: elapsed,
		DailyEmission: daily, MaxSupply: maxSup,
	}
}

func TestComputeMintExactDay(t *testing.T) {
	res, err := types.ComputeMint(mintIn(genesis, math.LegacyZeroDec(), day))
	require.NoError(t, err)
	require.Equal(t, daily, res.Minted)
	require.True(t, res.Carry.IsZero())
	require.Empty(t, res.Halvings)

	// 12 s: 2480e6 * 12 / 86400 = 344444.444... -> 344444 and carry 0.444...
	res, err = types.ComputeMint(mintIn(genesis, math.LegacyZeroDec(), 12*time.Second))
	require.NoError(t, err)
	require.Equal(t, math.NewInt(344444), res.Minted)
	require.Equal(t, "0.444444444444444444", res.Carry.String())
}

func TestComputeMintHitsThresholdExactlyThenHalfRate(t *testing.T) {
	t0 := types.Threshold(maxSup, 0)
	// Exactly one day of era-0 issuance before the threshold: one day lands on it.
	res, err := types.ComputeMint(mintIn(t0.Sub(daily), math.LegacyZeroDec(), day))
	require.NoError(t, err)
	require.Equal(t, daily, res.Minted)
	require.Equal(t, t0, res.Issued)
	require.Equal(t, uint32(1), res.Era)
	require.True(t, res.Carry.IsZero())
	require.Len(t, res.Halvings, 1)
	require.Equal(t, types.Halving{Era: 1, Threshold: t0, Offset: day}, res.Halvings[0])

	// The next day runs at half the rate.
	res, err = types.ComputeMint(mintIn(res.Issued, res.Carry, day))
	require.NoError(t, err)
	require.Equal(t, math.NewInt(1240*bai), res.Minted)
	require.Empty(t, res.Halvings)

	// Half a day before the threshold, one day: half at 2480/day and half at 1240/day.
	res, err = types.ComputeMint(mintIn(t0.Sub(math.NewInt(1240*bai)), math.LegacyZeroDec(), day))
	require.NoError(t, err)
	require.Equal(t, math.NewInt(1240*bai+620*bai), res.Minted)
	require.Equal(t, 12*time.Hour, res.Halvings[0].Offset)
	require.Equal(t, uint32(1), res.Era)
}

func TestComputeMintCrossesSeveralThresholdsAndStopsAtCap(t *testing.T) {
	// A tiny cap: 100 units, daily 1e9 units: every threshold and the cap in one long block.
	m := math.NewInt(100)
	in := types.MintInput{Issued: math.NewInt(10), Carry: math.LegacyZeroDec(), Era: 0, Elapsed: 1000 * time.Hour, DailyEmission: math.NewInt(1_000_000_000), MaxSupply: m}
	res, err := types.ComputeMint(in)
	require.NoError(t, err)
	require.Equal(t, m, res.Issued)
	require.Equal(t, math.NewInt(90), res.Minted)
	require.True(t, res.Carry.IsZero())
	last := res.Halvings[len(res.Halvings)-1]
	require.True(t, last.CapReached)
	require.Equal(t, m, last.Threshold)
	require.Equal(t, types.EraForIssued(m, m), res.Era)
	// Thresholds 50, 75, 88, 94, 97, 99, 100 (100 - floor(100/2^(k+1))).
	var got []int64
	for _, h := range res.Halvings {
		got = append(got, h.Threshold.Int64())
	}
	require.Equal(t, []int64{50, 75, 88, 94, 97, 99, 100}, got)

	// At the cap nothing more is minted.
	res, err = types.ComputeMint(types.MintInput{Issued: m, Carry: math.LegacyZeroDec(), Era: res.Era, Elapsed: time.Hour, DailyEmission: in.DailyEmission, MaxSupply: m})
	require.NoError(t, err)
	require.True(t, res.Minted.IsZero())
}

func TestComputeMintRejectsBadInput(t *testing.T) {
	ok := mintIn(genesis, math.LegacyZeroDec(), time.Second)
	for name, mut := range map[string]func(*types.MintInput){
		"negative elapsed": func(in *types.MintInput) { in.Elapsed = -1 },
		"carry one":        func(in *types.MintInput) { in.Carry = math.LegacyOneDec() },
		"wrong era":        func(in *types.MintInput) { in.Era = 1 },
		"issued above cap": func(in *types.MintInput) { in.Issued = maxSup.AddRaw(1) },
		"zero daily":       func(in *types.MintInput) { in.DailyEmission = math.ZeroInt() },
		"zero max supply":  func(in *types.MintInput) { in.MaxSupply = math.ZeroInt() },
		"negative issued":  func(in *types.MintInput) { in.Issued = math.NewInt(-1) },
		"negative carry":   func(in *types.MintInput) { in.Carry = math.LegacyNewDec(-1) },
	} {
		in := ok
		mut(&in)
		_, err := types.ComputeMint(in)
		require.Error(t, err, name)
	}
}

// TestComputeMintProperties drives random block cadences from random starting points (some just
// below a threshold, some near the cap) and checks, after every block, that the cumulative mint is
// floor(exact integral) or one below it, never above; that the cap holds; that era and carry stay
// consistent.
func TestComputeMintProperties(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		m := math.NewInt(rapid.Int64Range(1, 1<<50).Draw(rt, "max_supply"))
		d := math.NewInt(rapid.Int64Range(1, 1<<40).Draw(rt, "daily"))
		var issued math.Int
		switch rapid.IntRange(0, 2).Draw(rt, "start") {
		case 0:
			issued = math.NewInt(rapid.Int64Range(0, m.Int64()).Draw(rt, "issued"))
		case 1: // just below a threshold
			k := uint32(rapid.IntRange(0, 50).Draw(rt, "k"))
			th := types.Threshold(m, k)
			issued = th.Sub(math.NewInt(rapid.Int64Range(0, 1000).Draw(rt, "below")))
			if issued.IsNegative() {
				issued = math.ZeroInt()
			}
		default: // near the cap
			issued = m.Sub(math.NewInt(rapid.Int64Range(0, 100).Draw(rt, "below_cap")))
			if issued.IsNegative() {
				issued = math.ZeroInt()
			}
		}
		carry := math.LegacyNewDecWithPrec(rapid.Int64Range(0, 1e18-1).Draw(rt, "carry"), 18)
		if issued.Equal(m) {
			carry = math.LegacyZeroDec()
		}
		issued0, carry0 := issued, carry
		era := types.EraForIssued(m, issued)
		totalNs := new(big.Int)
		minted := math.ZeroInt()
		blocks := rapid.IntRange(1, 60).Draw(rt, "blocks")
		for b := 0; b < blocks; b++ {
			var dt time.Duration
			switch rapid.IntRange(0, 3).Draw(rt, "cadence") {
			case 0:
				dt = time.Duration(rapid.Int64Range(0, int64(2*time.Second)).Draw(rt, "dt"))
			case 1:
				dt = time.Duration(rapid.Int64Range(0, int64(time.Minute)).Draw(rt, "dt"))
			case 2:
				dt = time.Duration(rapid.Int64Range(0, int64(30*day)).Draw(rt, "dt"))
			default:
				dt = time.Duration(rapid.Int64Range(0, 5).Draw(rt, "dt"))
			}
			res, err := types.ComputeMint(types.MintInput{Issued: issued, Carry: carry, Era: era, Elapsed: dt, DailyEmission: d, MaxSupply: m})
			if err != nil {
				rt.Fatalf("ComputeMint: %v", err)
			}
			if res.Minted.IsNegative() || !res.Issued.Equal(issued.Add(res.Minted)) {
				rt.Fatalf("issued %s + minted %s != %s", issued, res.Minted, res.Issued)
			}
			if res.Issued.GT(m) {
				rt.Fatalf("issued %s above cap %s", res.Issued, m)
			}
			if res.Era != types.EraForIssued(m, res.Issued) {
				rt.Fatalf("era %d inconsistent with issued %s", res.Era, res.Issued)
			}
			if res.Carry.IsNegative() || res.Carry.GTE(math.LegacyOneDec()) {
				rt.Fatalf("carry %s outside [0,1)", res.Carry)
			}
			for _, h := range res.Halvings {
				if h.Offset < 0 || h.Offset > dt {
					rt.Fatalf("halving offset %s outside [0, %s]", h.Offset, dt)
				}
			}
			issued, carry, era = res.Issued, res.Carry, res.Era
			minted = minted.Add(res.Minted)
			totalNs.Add(totalNs, big.NewInt(int64(dt)))

			ref := referenceIssued(m.BigInt(), d.BigInt(), issued0.BigInt(), new(big.Rat).SetFrac(carry0.BigInt(), big.NewInt(1e18)), totalNs)
			want := new(big.Int).Sub(ratFloor(ref), issued0.BigInt())
			diff := new(big.Int).Sub(want, minted.BigInt())
			if diff.Sign() < 0 || diff.Cmp(big.NewInt(1)) > 0 {
				rt.Fatalf("after %d blocks (%s ns): minted %s, floor(integral) %s", b+1, totalNs, minted, want)
			}
		}
	})
}
