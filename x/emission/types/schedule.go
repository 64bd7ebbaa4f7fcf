package types

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"cosmossdk.io/math"
)

// The emission arithmetic. Everything here is pure and exact:
//
//   - In era k the rate is daily_emission / 2^k per day, i.e. daily_emission / (2^k * 86400e9)
//     base units per nanosecond of BFT time. Block times have nanosecond precision, so a block's
//     accrual is the rational number daily_emission * Δt_ns / (2^k * 86400e9).
//   - Accruals are kept in atto-units (10^-18 of a base unit), which is exactly the internal
//     representation of a LegacyDec, so the carried fraction can be stored as the `carry` Dec
//     without any conversion loss. The only rounding is the truncation of each block's accrual
//     to a whole atto-unit (and of the halved remainder after a threshold): always downwards, at
//     most 2·10^-18 of a base unit per block. Hence the cumulative mint is floor(integral) or,
//     only when the integral lies within n·2·10^-18 above an integer after n blocks,
//     floor(integral) - 1; it is never above the integral and never above max_supply.
//   - A threshold crossed inside a block: the accrual A at the old rate for the whole Δt is
//     computed first; the part R = threshold - issued is minted at the old rate, which takes the
//     time t* = (R - carry) / rate_k; the remaining Δt - t* runs at rate_k / 2, so it accrues
//     (rate_k / 2)(Δt - t*) = (A - R) / 2 exactly. No division by the rate is needed for the mint,
//     so no rounding is introduced by locating t*. t* itself is only reported (EventHalving's
//     reached_at) and is rounded up to the nanosecond: the first nanosecond at which the
//     exact accrual has reached the threshold.

var (
	// nanosPerDay is 86400 s in nanoseconds.
	nanosPerDay = big.NewInt(int64(24 * time.Hour))
	// attoPerUnit is 10^18: atto-units per base unit (the LegacyDec precision).
	attoPerUnit = new(big.Int).Exp(big.NewInt(10), big.NewInt(math.LegacyPrecision), nil)
)

// MaxEras bounds every loop over eras: thresholds reach max_supply after at most
// bitlen(max_supply) eras, and a math.Int has at most 256 bits.
const MaxEras = 260

// Threshold returns the issuance at which era k ends: maxSupply - floor(maxSupply / 2^(k+1)).
// For large k it equals maxSupply.
func Threshold(maxSupply math.Int, era uint32) math.Int {
	return math.NewIntFromBigInt(threshold(maxSupply.BigInt(), era))
}

func threshold(maxSupply *big.Int, era uint32) *big.Int {
	half := new(big.Int).Rsh(maxSupply, uint(era)+1)
	return half.Sub(maxSupply, half)
}

// EraForIssued returns the era for an issuance: the smallest k with threshold(k) > issued, or,
// once issued has reached maxSupply, the first k whose threshold equals maxSupply (the final era,
// in which nothing more is minted).
func EraForIssued(maxSupply, issued math.Int) uint32 {
	m, i := maxSupply.BigInt(), issued.BigInt()
	var k uint32
	for k < MaxEras {
		t := threshold(m, k)
		if t.Cmp(i) > 0 || t.Cmp(m) >= 0 {
			return k
		}
		k++
	}
	return k
}

// DailyEmissionForEra returns floor(daily / 2^era), the daily rate of an era rounded down to a
// whole base unit (the exact rate is used for minting).
func DailyEmissionForEra(daily math.Int, era uint32) math.Int {
	if era >= MaxEras {
		return math.ZeroInt()
	}
	return math.NewIntFromBigInt(new(big.Int).Rsh(daily.BigInt(), uint(era)))
}

// MintInput is what a block's mint depends on.
type MintInput struct {
	// Issued is genesis_supply + total_minted before the block.
	Issued math.Int
	// Carry is the unminted fraction in [0, 1).
	Carry math.LegacyDec
	// Era is the current era; it must equal EraForIssued(MaxSupply, Issued).
	Era uint32
	// Elapsed is the BFT time to mint for, already clamped to max_emission_interval.
	Elapsed time.Duration
	// DailyEmission is the era-0 daily rate (> 0).
	DailyEmission math.Int
	// MaxSupply is the cap (≥ Issued).
	MaxSupply math.Int
}

// Halving is a threshold reached inside a block.
type Halving struct {
	// Era is the era after the threshold (unchanged when CapReached).
	Era uint32
	// Threshold is the issuance reached.
	Threshold math.Int
	// Offset is the time after the block's previous emission time at which the threshold was
	// reached, rounded up to the nanosecond.
	Offset time.Duration
	// CapReached is true when Threshold is max supply: emission ends.
	CapReached bool
}

// MintResult is a block's mint and the state after it.
type MintResult struct {
	// Minted is the amount to mint now.
	Minted math.Int
	// Issued is the issuance after the mint.
	Issued math.Int
	// Carry is the new unminted fraction in [0, 1).
	Carry math.LegacyDec
	// Era is the era after the mint.
	Era uint32
	// Halvings lists the thresholds reached, in order.
	Halvings []Halving
}

// ComputeMint computes a block's mint exactly (see the package comment at the top of this file).
func ComputeMint(in MintInput) (MintResult, error) {
	if err := in.validate(); err != nil {
		return MintResult{}, err
	}
	m := in.MaxSupply.BigInt()
	d := in.DailyEmission.BigInt()
	issued := in.Issued.BigInt()
	carry := in.Carry.BigInt() // atto-units
	k := in.Era
	res := MintResult{Minted: math.ZeroInt(), Era: k}

	if issued.Cmp(m) >= 0 {
		// Cap reached: nothing more is ever minted, and no fraction is carried.
		res.Issued, res.Carry = in.Issued, math.LegacyZeroDec()
		return res, nil
	}

	// a = carry + floor(d * Δt * 10^18 / (2^k * nanosPerDay)), in atto-units.
	a := new(big.Int).Mul(d, big.NewInt(int64(in.Elapsed)))
	a.Mul(a, attoPerUnit)
	a.Quo(a, eraDenominator(k))
	a.Add(a, carry)

	minted := new(big.Int)
	// segStart is the accrual (atto) already present at the start of the current segment and
	// segTime the exact time (ns) at which the segment starts; both only serve Halving.Offset.
	segStart := new(big.Int).Set(carry)
	segTime := new(big.Rat)
	for i := 0; i < MaxEras; i++ {
		t := threshold(m, k)
		r := new(big.Int).Sub(t, issued) // > 0: issued < t while issued < m
		rAtto := new(big.Int).Mul(r, attoPerUnit)
		if a.Cmp(rAtto) < 0 {
			whole, frac := new(big.Int).QuoRem(a, attoPerUnit, new(big.Int))
			minted.Add(minted, whole)
			issued = new(big.Int).Add(issued, whole)
			carry = frac
			break
		}
		// The threshold is reached inside this block, (r - segStart) / rate_k after segTime.
		// time = (rAtto - segStart) * 2^k * nanosPerDay / (d * 10^18), exact as a rational.
		dt := new(big.Rat).SetFrac(
			new(big.Int).Mul(new(big.Int).Sub(rAtto, segStart), eraDenominator(k)),
			new(big.Int).Mul(d, attoPerUnit),
		)
		segTime.Add(segTime, dt)
		offset := ratCeil(segTime)
		if offset.Cmp(big.NewInt(int64(in.Elapsed))) > 0 {
			// Truncation of a is downwards, so this cannot happen; keep the bound anyway.
			offset.SetInt64(int64(in.Elapsed))
		}

		minted.Add(minted, r)
		issued = t
		if t.Cmp(m) >= 0 {
			res.Halvings = append(res.Halvings, Halving{Era: k, Threshold: math.NewIntFromBigInt(t), Offset: time.Duration(offset.Int64()), CapReached: true})
			carry = new(big.Int)
			break
		}
		k++
		res.Halvings = append(res.Halvings, Halving{Era: k, Threshold: math.NewIntFromBigInt(t), Offset: time.Duration(offset.Int64())})
		// The rest of Δt runs at half the rate: it accrues exactly half of what remained.
		a.Sub(a, rAtto)
		a.Rsh(a, 1)
		segStart = new(big.Int)
	}

	res.Minted = math.NewIntFromBigInt(minted)
	res.Issued = math.NewIntFromBigInt(issued)
	res.Carry = math.LegacyNewDecFromBigIntWithPrec(carry, math.LegacyPrecision)
	res.Era = k
	return res, nil
}

func (in MintInput) validate() error {
	switch {
	case in.Issued.IsNil() || in.Issued.IsNegative():
		return errors.New("issued must be non-negative")
	case in.MaxSupply.IsNil() || !in.MaxSupply.IsPositive():
		return errors.New("max supply must be positive")
	case in.Issued.GT(in.MaxSupply):
		return fmt.Errorf("issued %s exceeds max supply %s", in.Issued, in.MaxSupply)
	case in.DailyEmission.IsNil() || !in.DailyEmission.IsPositive():
		return errors.New("daily emission must be positive")
	case in.Carry.IsNil() || in.Carry.IsNegative() || in.Carry.GTE(math.LegacyOneDec()):
		return fmt.Errorf("carry %s must be in [0, 1)", in.Carry)
	case in.Elapsed < 0:
		return fmt.Errorf("elapsed time %s is negative", in.Elapsed)
	case in.Era != EraForIssued(in.MaxSupply, in.Issued):
		return fmt.Errorf("era %d is inconsistent with issued %s (expected %d)", in.Era, in.Issued, EraForIssued(in.MaxSupply, in.Issued))
	}
	return nil
}

// eraDenominator is 2^k * nanosPerDay.
func eraDenominator(k uint32) *big.Int {
	return new(big.Int).Lsh(nanosPerDay, uint(k))
}

// ratCeil returns ceil(x) for x ≥ 0.
func ratCeil(x *big.Rat) *big.Int {
	q, rem := new(big.Int).QuoRem(x.Num(), x.Denom(), new(big.Int))
	if rem.Sign() > 0 {
		q.Add(q, big.NewInt(1))
	}
	return q
}

// SecondsToThreshold estimates, at the era's exact rate, the seconds needed to go from
// issued + carry to the era's threshold, rounded up. It returns zero once the cap is reached.
func SecondsToThreshold(maxSupply, daily, issued math.Int, carry math.LegacyDec, era uint32) math.Int {
	if issued.GTE(maxSupply) || !daily.IsPositive() {
		return math.ZeroInt()
	}
	t := threshold(maxSupply.BigInt(), era)
	// (t - issued) * 10^18 - carry atto-units, times 2^k * 86400 / (d * 10^18).
	need := new(big.Int).Mul(new(big.Int).Sub(t, issued.BigInt()), attoPerUnit)
	need.Sub(need, carry.BigInt())
	if need.Sign() <= 0 {
		return math.ZeroInt()
	}
	num := new(big.Int).Mul(need, new(big.Int).Lsh(big.NewInt(86400), uint(era)))
	return math.NewIntFromBigInt(ratCeil(new(big.Rat).SetFrac(num, new(big.Int).Mul(daily.BigInt(), attoPerUnit))))
}

// ExactDailyEmission returns daily / 2^era, the exact daily rate of an era, as a decimal string
// with every digit: a division by a power of two always ends, after at most era digits (for
// era ≥ MaxEras, beyond any threshold, it returns "0").
func ExactDailyEmission(daily math.Int, era uint32) string {
	if era >= MaxEras || !daily.IsPositive() {
		return "0"
	}
	d := daily.BigInt()
	whole := new(big.Int).Rsh(d, uint(era))
	rem := new(big.Int).Sub(d, new(big.Int).Lsh(whole, uint(era)))
	if rem.Sign() == 0 {
		return whole.String()
	}
	// rem / 2^era = rem * 5^era / 10^era: era digits after the point, trailing zeros dropped.
	five := new(big.Int).Exp(big.NewInt(5), big.NewInt(int64(era)), nil)
	frac := new(big.Int).Mul(rem, five).String()
	frac = strings.Repeat("0", int(era)-len(frac)) + frac
	return whole.String() + "." + strings.TrimRight(frac, "0")
}

// Schedule lists the eras from the current one (starting at issued) up to the last, whose
// threshold is maxSupply: every era that still mints, including those whose daily rate is
// below one base unit (daily_emission_exact gives it). duration_days uses the exact rate
// daily / 2^k.
func Schedule(maxSupply, daily, issued math.Int, era uint32) []EraInfo {
	var eras []EraInfo
	start := issued
	for k := era; k < MaxEras && start.LT(maxSupply); k++ {
		end := Threshold(maxSupply, k)
		// (end - start) / (daily / 2^k) = (end - start) * 2^k / daily
		num := math.NewIntFromBigInt(new(big.Int).Lsh(end.Sub(start).BigInt(), uint(k)))
		eras = append(eras, EraInfo{
			Era:                k,
			StartIssued:        start,
			EndIssued:          end,
			DailyEmission:      DailyEmissionForEra(daily, k),
			DurationDays:       math.LegacyNewDecFromInt(num).Quo(math.LegacyNewDecFromInt(daily)),
			DailyEmissionExact: ExactDailyEmission(daily, k),
		})
		start = end
	}
	return eras
}
