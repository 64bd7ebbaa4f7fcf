package keeper_test

import (
	"math/big"
	"time"

	"cosmossdk.io/math"

	"github.com/balanceai/balanceai/x/emission/types"
)

// TestWholeSchedule drives issuance from 5.88 M BAI through eras 0-3 with one-day blocks
// (max_emission_interval raised to a day) and checks the thresholds, the rates, and the era
// durations (1,862.90 days, then 4,233.87 days each), to the nanosecond.
func (s *KeeperTestSuite) TestWholeSchedule() {
	p := types.DefaultParams()
	p.MaxEmissionInterval = 24 * time.Hour
	f := newFixture(s.T(), p, 4)
	f.firstBlock(s.T())

	thresholds := []int64{10_500_000 * bai, 15_750_000 * bai, 18_375_000 * bai, 19_687_500 * bai, 20_343_750 * bai}
	rates := []int64{2480 * bai, 1240 * bai, 620 * bai, 310 * bai, 155 * bai}
	var halvings []types.EventHalving
	prevDaily := math.NewInt(rates[0])
	afterHalving := false
	for i := 0; i < 20000 && len(halvings) < 4; i++ {
		f.block(s.T(), 24*time.Hour, f.votes())
		ev := f.lastEmissionEvent(s.T())
		st := f.state(s.T())
		if afterHalving {
			// The first full day after a halving mints exactly the new daily rate.
			s.Require().Equal(prevDaily, ev.Minted.Amount, "day after halving to era %d", st.Era)
			afterHalving = false
		}
		if hs := f.halvingEvents(s.T()); len(hs) > 0 {
			s.Require().Len(hs, 1)
			halvings = append(halvings, hs[0])
			afterHalving = true
			prevDaily = st.CurrentDailyEmission
		}
		s.Require().Equal(math.NewInt(rates[st.Era]), st.CurrentDailyEmission)
		s.Require().Equal(math.NewInt(thresholds[st.Era]), st.NextHalvingAt)
	}
	s.Require().Len(halvings, 4)
	s.Require().NoError(f.k.CheckInvariants(f.ctx))

	// Exact era lengths: (threshold - start) * 86400e9 * 2^k / 2480e6 ns.
	start := genesisSupply.Int64()
	prevAt := genesisTime
	wantDays := []string{"1862.903225806451612903", "4233.870967741935483871", "4233.870967741935483871", "4233.870967741935483871"}
	for k, h := range halvings {
		s.Require().Equal(uint32(k+1), h.Era)
		s.Require().Equal(math.NewInt(thresholds[k]), h.Threshold)
		s.Require().Equal(math.NewInt(rates[k+1]), h.DailyEmission)
		exact := new(big.Rat).SetFrac(
			new(big.Int).Lsh(new(big.Int).Mul(big.NewInt(thresholds[k]-start), big.NewInt(int64(24*time.Hour))), uint(k)),
			big.NewInt(rates[0]))
		got := h.ReachedAt.Sub(prevAt)
		diff := new(big.Rat).Sub(new(big.Rat).SetInt64(int64(got)), exact)
		// reached_at is rounded up to the nanosecond at each halving.
		s.Require().True(diff.Cmp(big.NewRat(-1, 1)) >= 0 && diff.Cmp(big.NewRat(1, 1)) <= 0, "era %d lasted %s, exact %s ns", k, got, exact.FloatString(3))
		days := math.LegacyNewDec(int64(got)).QuoInt64(int64(24 * time.Hour))
		want := math.LegacyMustNewDecFromStr(wantDays[k])
		s.Require().True(days.Sub(want).Abs().LT(math.LegacyNewDecWithPrec(1, 12)), "era %d: %s days, want %s", k, days, want)
		start, prevAt = thresholds[k], h.ReachedAt
	}
	// Issued only ever equals genesis + minted; the cap was never approached.
	st := f.state(s.T())
	s.Require().Equal(genesisSupply.Add(st.TotalMinted), st.Issued)
	s.Require().Equal(uint32(4), st.Era)
}
