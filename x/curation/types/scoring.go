package types

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
)

// SortScores returns a copy of scores sorted by listing id.
func SortScores(scores []ListingScoreEntry) []ListingScoreEntry {
	out := append([]ListingScoreEntry(nil), scores...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].ListingId < out[j].ListingId })
	return out
}

// ValidateScores checks a reveal's scores without state: 1..maxScores entries, listing ids
// non-zero and distinct, scores 0..100. It returns them sorted by listing id.
func ValidateScores(scores []ListingScoreEntry, maxScores uint32) ([]ListingScoreEntry, error) {
	if len(scores) == 0 {
		return nil, errorsmod.Wrap(ErrInvalidScores, "at least one score is required")
	}
	if uint64(len(scores)) > uint64(maxScores) {
		return nil, errorsmod.Wrapf(ErrInvalidScores, "%d scores exceed max_scores_per_epoch %d", len(scores), maxScores)
	}
	sorted := SortScores(scores)
	for i, s := range sorted {
		if s.ListingId == 0 {
			return nil, errorsmod.Wrap(ErrInvalidScores, "listing id 0 does not exist")
		}
		if s.Score > MaxScore {
			return nil, errorsmod.Wrapf(ErrInvalidScores, "score %d for listing %d is above %d", s.Score, s.ListingId, MaxScore)
		}
		if i > 0 && sorted[i-1].ListingId == s.ListingId {
			return nil, errorsmod.Wrapf(ErrInvalidScores, "listing %d is scored twice", s.ListingId)
		}
	}
	return sorted, nil
}

// ValidateSalt checks a commitment salt: 1-128 bytes, no '|' (the field separator).
func ValidateSalt(salt string) error {
	if len(salt) == 0 || len(salt) > MaxSaltLength || strings.Contains(salt, "|") {
		return errorsmod.Wrapf(ErrInvalidSalt, "salt of %d bytes", len(salt))
	}
	return nil
}

// CommitmentString renders the committed UTF-8 string
// "<curator>|<chain_id>|<salt>|<epoch>|<id>:<score>,<id>:<score>..." with the scores sorted by
// listing id (the input order does not matter). curator is the committing curator's bech32
// address: a commitment copied from another curator does not match the copier's reveal, and
// the chain id keeps a commitment from being replayed on another chain.
func CommitmentString(curator, chainID, salt string, epoch uint64, scores []ListingScoreEntry) string {
	var b strings.Builder
	b.WriteString(curator)
	b.WriteByte('|')
	b.WriteString(chainID)
	b.WriteByte('|')
	b.WriteString(salt)
	b.WriteByte('|')
	b.WriteString(strconv.FormatUint(epoch, 10))
	b.WriteByte('|')
	for i, s := range SortScores(scores) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatUint(s.ListingId, 10))
		b.WriteByte(':')
		b.WriteString(strconv.FormatUint(uint64(s.Score), 10))
	}
	return b.String()
}

// ComputeCommitment returns the lowercase hex SHA-256 of CommitmentString.
func ComputeCommitment(curator, chainID, salt string, epoch uint64, scores []ListingScoreEntry) string {
	sum := sha256.Sum256([]byte(CommitmentString(curator, chainID, salt, epoch, scores)))
	return hex.EncodeToString(sum[:])
}

// ValidateCommitment checks the commitment is 64 lowercase hex digits.
func ValidateCommitment(c string) error {
	if len(c) != 2*sha256.Size {
		return errorsmod.Wrapf(ErrInvalidCommitment, "got %d characters", len(c))
	}
	for _, r := range c {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') {
			return errorsmod.Wrapf(ErrInvalidCommitment, "character %q", r)
		}
	}
	return nil
}

// ParseScores parses "id:score,id:score..." (the CLI form).
func ParseScores(s string) ([]ListingScoreEntry, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errorsmod.Wrap(ErrInvalidScores, "no scores given; use id:score,id:score")
	}
	parts := strings.Split(s, ",")
	out := make([]ListingScoreEntry, 0, len(parts))
	for _, p := range parts {
		idStr, scoreStr, ok := strings.Cut(strings.TrimSpace(p), ":")
		if !ok {
			return nil, errorsmod.Wrapf(ErrInvalidScores, "%q is not id:score", p)
		}
		id, err := strconv.ParseUint(strings.TrimSpace(idStr), 10, 64)
		if err != nil {
			return nil, errorsmod.Wrapf(ErrInvalidScores, "listing id %q: %v", idStr, err)
		}
		score, err := strconv.ParseUint(strings.TrimSpace(scoreStr), 10, 32)
		if err != nil {
			return nil, errorsmod.Wrapf(ErrInvalidScores, "score %q: %v", scoreStr, err)
		}
		out = append(out, ListingScoreEntry{ListingId: id, Score: uint32(score)})
	}
	return out, nil
}

// WeightedScore is one score with its weight (bond).
type WeightedScore struct {
	Score  uint32
	Weight math.Int
}

// WeightedMedian returns the lower bond-weighted median: the smallest score s such that the
// total weight of scores ≤ s is at least half the total weight (2·cum ≥ total). ok is false
// when the total weight is not positive. Entries with non-positive weight are ignored.
//
// It cannot be dragged by a minority: if scores in [lo, hi] carry more than half the weight,
// the cumulative weight below lo is under half (so the median is ≥ lo) and the cumulative
// weight at hi is over half (so the median is ≤ hi).
func WeightedMedian(scores []WeightedScore) (median uint32, ok bool) {
	// Scores are 0-100: bucket the weights, which is O(n) and needs no sort.
	var buckets [MaxScore + 1]math.Int
	total := math.ZeroInt()
	for _, s := range scores {
		if s.Weight.IsNil() || !s.Weight.IsPositive() || s.Score > MaxScore {
			continue
		}
		if buckets[s.Score].IsNil() {
			buckets[s.Score] = math.ZeroInt()
		}
		buckets[s.Score] = buckets[s.Score].Add(s.Weight)
		total = total.Add(s.Weight)
	}
	if !total.IsPositive() {
		return 0, false
	}
	cum := math.ZeroInt()
	for v := 0; v <= MaxScore; v++ {
		if buckets[v].IsNil() {
			continue
		}
		cum = cum.Add(buckets[v])
		if cum.MulRaw(2).GTE(total) {
			return uint32(v), true
		}
	}
	return MaxScore, true // unreachable: cum reaches total
}

// EMA returns alpha·sample + (1 − alpha)·prev.
func EMA(prev, sample, alpha math.LegacyDec) math.LegacyDec {
	return alpha.Mul(sample).Add(math.LegacyOneDec().Sub(alpha).Mul(prev))
}
