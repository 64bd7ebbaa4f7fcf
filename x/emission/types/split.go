package types

import "cosmossdk.io/math"

// MintSplit is a block's mint divided by the params' shares.
type MintSplit struct {
	// Staking is floor(mint * staking_share).
	Staking math.Int
	// Models is floor(mint * models_fund_share).
	Models math.Int
	// Agents is floor(mint * agents_fund_share).
	Agents math.Int
	// Development is floor(mint * development_share) plus the rounding dust of all four parts,
	// i.e. mint - Staking - Models - Agents, so the parts always add up to the mint.
	Development math.Int
}

// SplitMint divides a mint by the shares (exact: the shares have at most 18 decimals and the
// products are truncated; the dust goes to development).
func SplitMint(mint math.Int, p Params) MintSplit {
	d := math.LegacyNewDecFromInt(mint)
	s := MintSplit{
		Staking: d.Mul(p.StakingShare).TruncateInt(),
		Models:  d.Mul(p.ModelsFundShare).TruncateInt(),
		Agents:  d.Mul(p.AgentsFundShare).TruncateInt(),
	}
	s.Development = mint.Sub(s.Staking).Sub(s.Models).Sub(s.Agents)
	return s
}

// FeeBurn returns floor(fees * fee_burn_share).
func FeeBurn(fees math.Int, share math.LegacyDec) math.Int {
	return math.LegacyNewDecFromInt(fees).Mul(share).TruncateInt()
}

// SplitEqually divides pot into n equal parts; dust = pot - n*part (< n).
func SplitEqually(pot math.Int, n int) (part, dust math.Int) {
	if n <= 0 {
		return math.ZeroInt(), pot
	}
	part = pot.QuoRaw(int64(n))
	return part, pot.Sub(part.MulRaw(int64(n)))
}
