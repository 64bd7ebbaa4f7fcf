package types_test

import (
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	"github.com/balanceai/balanceai/x/emission/types"
)

func TestDefaultParamsValid(t *testing.T) {
	p := types.DefaultParams()
	require.NoError(t, p.Validate())
	require.Equal(t, "2480000000", p.DailyEmission.String())
	require.Equal(t, "21000000000000", p.MaxSupply.String())
	require.NoError(t, types.DefaultGenesisState().Validate())
}

// invalidParams lists one mutation per validation rule.
func invalidParams() map[string]func(*types.Params) {
	dec := math.LegacyMustNewDecFromStr
	return map[string]func(*types.Params){
		"bad denom":         func(p *types.Params) { p.MintDenom = "1x" },
		"empty denom":       func(p *types.Params) { p.MintDenom = "" },
		"zero daily":        func(p *types.Params) { p.DailyEmission = math.ZeroInt() },
		"negative daily":    func(p *types.Params) { p.DailyEmission = math.NewInt(-1) },
		"nil daily":         func(p *types.Params) { p.DailyEmission = math.Int{} },
		"staking above one": func(p *types.Params) { p.StakingShare = dec("1.01") },
		"negative models":   func(p *types.Params) { p.ModelsFundShare = dec("-0.01") },
		"nil agents":        func(p *types.Params) { p.AgentsFundShare = math.LegacyDec{} },
		"sum below one":     func(p *types.Params) { p.DevelopmentShare = dec("0.07") },
		"sum above one":     func(p *types.Params) { p.DevelopmentShare = dec("0.080000000000000001") },
		"burn above one":    func(p *types.Params) { p.FeeBurnShare = dec("1.5") },
		"negative burn":     func(p *types.Params) { p.FeeBurnShare = dec("-0.5") },
		"unspecified mode":  func(p *types.Params) { p.ValidatorRewardMode = types.VALIDATOR_REWARD_MODE_UNSPECIFIED },
		"unknown mode":      func(p *types.Params) { p.ValidatorRewardMode = 7 },
		"zero interval":     func(p *types.Params) { p.MaxEmissionInterval = 0 },
		"negative interval": func(p *types.Params) { p.MaxEmissionInterval = -time.Second },
		"interval over day": func(p *types.Params) { p.MaxEmissionInterval = 24*time.Hour + time.Nanosecond },
		"daily above rate":  func(p *types.Params) { p.DailyEmission = types.DefaultDailyEmission.AddRaw(1) },
	}
}

func TestParamsValidate(t *testing.T) {
	for name, mut := range invalidParams() {
		t.Run(name, func(t *testing.T) {
			p := types.DefaultParams()
			mut(&p)
			require.ErrorIs(t, p.Validate(), types.ErrInvalidParams)
		})
	}
	// max_supply is fixed: any other value, including none, is refused with its own error.
	for _, m := range []math.Int{{}, math.ZeroInt(), math.NewInt(-1), types.MaxSupply.AddRaw(1), types.MaxSupply.SubRaw(1), types.MaxSupply.MulRaw(2)} {
		p := types.DefaultParams()
		p.MaxSupply = m
		err := p.Validate()
		require.ErrorIs(t, err, types.ErrMaxSupplyFixed, "max_supply %v", m)
		require.ErrorContains(t, err, "max_supply must be 21000000000000")
	}
	// Edge values are accepted.
	p := types.DefaultParams()
	p.StakingShare, p.ModelsFundShare, p.AgentsFundShare, p.DevelopmentShare = math.LegacyOneDec(), math.LegacyZeroDec(), math.LegacyZeroDec(), math.LegacyZeroDec()
	p.FeeBurnShare = math.LegacyOneDec()
	p.ValidatorRewardMode = types.VALIDATOR_REWARD_MODE_PROPORTIONAL
	require.NoError(t, p.Validate())
}

func TestGenesisValidate(t *testing.T) {
	good := func() types.GenesisState {
		s := types.NewState()
		s.GenesisSupply = genesis
		s.TotalMinted = math.NewInt(1000)
		s.Issued = genesis.AddRaw(1000)
		return types.GenesisState{Params: types.DefaultParams(), State: s}
	}
	g := good()
	require.NoError(t, g.Validate())
	g.RecordedBurns = []types.BurnTotal{{Source: types.BurnSourceValidatorSlashes, Amount: math.NewInt(5)}, {Source: types.BurnSourceGovernanceDeposits, Amount: math.ZeroInt()}}
	require.NoError(t, g.Validate())

	cases := map[string]struct {
		mut func(*types.GenesisState)
		err error
	}{
		"issued mismatch": {func(g *types.GenesisState) { g.State.Issued = g.State.Issued.AddRaw(1) }, types.ErrInvalidGenesis},
		"above cap": {func(g *types.GenesisState) {
			g.State.GenesisSupply = types.MaxSupply
			g.State.Issued = types.MaxSupply.AddRaw(1000)
		}, types.ErrSupplyAboveMax},
		"another cap":     {func(g *types.GenesisState) { g.Params.MaxSupply = types.MaxSupply.MulRaw(2) }, types.ErrMaxSupplyFixed},
		"wrong era":       {func(g *types.GenesisState) { g.State.Era = 2 }, types.ErrInvalidGenesis},
		"carry one":       {func(g *types.GenesisState) { g.State.Carry = math.LegacyOneDec() }, types.ErrInvalidGenesis},
		"negative carry":  {func(g *types.GenesisState) { g.State.Carry = math.LegacyNewDec(-1) }, types.ErrInvalidGenesis},
		"negative burned": {func(g *types.GenesisState) { g.State.TotalBurned = math.NewInt(-1) }, types.ErrInvalidGenesis},
		"nil minted":      {func(g *types.GenesisState) { g.State.TotalMinted = math.Int{} }, types.ErrInvalidGenesis},
		"bad params":      {func(g *types.GenesisState) { g.Params.DailyEmission = math.ZeroInt() }, types.ErrInvalidParams},
		"unknown burn source": {func(g *types.GenesisState) {
			g.RecordedBurns = []types.BurnTotal{{Source: types.BurnSourceFees, Amount: math.OneInt()}}
		}, types.ErrInvalidGenesis},
		"burn source twice": {func(g *types.GenesisState) {
			g.RecordedBurns = []types.BurnTotal{{Source: types.BurnSourceGovernanceDeposits, Amount: math.OneInt()}, {Source: types.BurnSourceGovernanceDeposits, Amount: math.OneInt()}}
		}, types.ErrInvalidGenesis},
		"negative burn": {func(g *types.GenesisState) {
			g.RecordedBurns = []types.BurnTotal{{Source: types.BurnSourceValidatorSlashes, Amount: math.NewInt(-1)}}
		}, types.ErrInvalidGenesis},
		"nil burn": {func(g *types.GenesisState) {
			g.RecordedBurns = []types.BurnTotal{{Source: types.BurnSourceValidatorSlashes}}
		}, types.ErrInvalidGenesis},
		"fresh with issued": {func(g *types.GenesisState) { g.State = types.NewState(); g.State.Issued = math.OneInt() }, types.ErrInvalidGenesis},
		"fresh with a fee burn": {func(g *types.GenesisState) {
			g.State = types.NewState()
			g.State.TotalBurned = math.OneInt()
		}, types.ErrInvalidGenesis},
		"fresh with a recorded burn": {func(g *types.GenesisState) {
			g.State = types.NewState()
			g.RecordedBurns = []types.BurnTotal{{Source: types.BurnSourceValidatorSlashes, Amount: math.OneInt()}}
		}, types.ErrInvalidGenesis},
		"fresh with a last emission time": {func(g *types.GenesisState) {
			g.State = types.NewState()
			g.State.LastEmissionTime = time.Unix(1767225600, 0).UTC()
		}, types.ErrInvalidGenesis},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := good()
			tc.mut(&g)
			require.ErrorIs(t, g.Validate(), tc.err)
		})
	}
}

func TestSplitMintAddsUp(t *testing.T) {
	p := types.DefaultParams()
	for _, mint := range []int64{0, 1, 7, 99, 344444, 2480 * bai, 1<<62 - 1} {
		s := types.SplitMint(math.NewInt(mint), p)
		require.Equal(t, math.NewInt(mint), s.Staking.Add(s.Models).Add(s.Agents).Add(s.Development), "mint %d", mint)
		require.Equal(t, math.LegacyNewDec(mint).MulTruncate(p.StakingShare).TruncateInt(), s.Staking)
		require.True(t, s.Development.GTE(math.LegacyNewDec(mint).Mul(p.DevelopmentShare).TruncateInt()))
	}
	s := types.SplitMint(math.NewInt(344444), p)
	require.Equal(t, []int64{151555, 82666, 82666, 27557}, []int64{s.Staking.Int64(), s.Models.Int64(), s.Agents.Int64(), s.Development.Int64()})

	require.Equal(t, math.NewInt(10000), types.FeeBurn(math.NewInt(20000), p.FeeBurnShare))
	require.Equal(t, math.NewInt(10000), types.FeeBurn(math.NewInt(20001), p.FeeBurnShare))

	part, dust := types.SplitEqually(math.NewInt(103), 4)
	require.Equal(t, int64(25), part.Int64())
	require.Equal(t, int64(3), dust.Int64())
	part, dust = types.SplitEqually(math.NewInt(103), 0)
	require.True(t, part.IsZero())
	require.Equal(t, int64(103), dust.Int64())
}

// FuzzComputeMint checks one block against the exact rational integral.
func FuzzComputeMint(f *testing.F) {
	f.Add(int64(21_000_000*bai), int64(2480*bai), int64(5_880_000*bai), int64(0), int64(12*time.Second))
	f.Add(int64(21_000_000*bai), int64(2480*bai), int64(10_500_000*bai-5), int64(999999999999999999), int64(time.Hour))
	f.Add(int64(100), int64(1_000_000_000), int64(10), int64(5), int64(1000*time.Hour))
	f.Fuzz(func(t *testing.T, m, d, issued, carryAtto, dt int64) {
		if m <= 0 || d <= 0 || issued < 0 || issued > m || carryAtto < 0 || carryAtto >= 1e18 || dt < 0 {
			return
		}
		if issued == m {
			carryAtto = 0
		}
		M, D, I := math.NewInt(m), math.NewInt(d), math.NewInt(issued)
		carry := math.LegacyNewDecWithPrec(carryAtto, 18)
		res, err := types.ComputeMint(types.MintInput{Issued: I, Carry: carry, Era: types.EraForIssued(M, I), Elapsed: time.Duration(dt), DailyEmission: D, MaxSupply: M})
		require.NoError(t, err)
		ref := referenceIssued(M.BigInt(), D.BigInt(), I.BigInt(), new(big.Rat).SetFrac(big.NewInt(carryAtto), big.NewInt(1e18)), big.NewInt(dt))
		want := new(big.Int).Sub(ratFloor(ref), I.BigInt())
		diff := new(big.Int).Sub(want, res.Minted.BigInt())
		require.True(t, diff.Sign() >= 0 && diff.Cmp(big.NewInt(1)) <= 0, "minted %s, floor(integral) %s", res.Minted, want)
		require.True(t, res.Issued.LTE(M))
	})
}

func TestCheckIssuance(t *testing.T) {
	s := types.NewState()
	s.GenesisSupply = genesis
	s.TotalMinted = math.NewInt(1000)
	s.Issued = genesis.AddRaw(1000)
	s.TotalBurned = math.NewInt(30)
	recorded := []types.BurnTotal{{Source: types.BurnSourceValidatorSlashes, Amount: math.NewInt(20)}}
	supply := s.Issued.SubRaw(30 + 20 + 50)
	require.NoError(t, types.CheckIssuance(s, recorded, math.NewInt(50), supply))
	require.ErrorIs(t, types.CheckIssuance(s, recorded, math.NewInt(50), supply.AddRaw(1)), types.ErrInvalidGenesis)
	require.ErrorIs(t, types.CheckIssuance(s, recorded, math.NewInt(49), supply), types.ErrInvalidGenesis)
	require.NoError(t, types.CheckIssuance(types.NewState(), nil, math.ZeroInt(), supply), "a new chain takes its supply from the bank")
}
