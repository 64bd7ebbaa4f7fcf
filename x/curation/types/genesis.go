package types

import (
	"fmt"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	"github.com/balanceai/balanceai/internal/chainutil"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// InitialReputation is a new curator's reputation: neutral, halfway between no agreement
// and full agreement, so a newcomer neither leads nor trails established curators.
var InitialReputation = math.LegacyNewDecWithPrec(5, 1)

// DefaultGenesisState returns the default genesis: default params, epoch 0 at the first block.
func DefaultGenesisState() *GenesisState {
	return &GenesisState{Params: DefaultParams(), NextUnbondingId: 1, NextFlagId: 1}
}

// validAddr checks an account address spelled canonically (lower case, as the chain writes it):
// addresses are also compared as strings (a curator against a listing's owner), so one account
// has one spelling.
func validAddr(field, a string) error {
	if err := chainutil.CheckCanonical(a); err != nil {
		return errorsmod.Wrapf(ErrInvalidGenesis, "%s %v", field, err)
	}
	return nil
}

func nonNeg(field string, v math.Int) error {
	if v.IsNil() || v.IsNegative() {
		return errorsmod.Wrapf(ErrInvalidGenesis, "%s must be a non-negative integer", field)
	}
	return nil
}

func unitDec(field string, v math.LegacyDec) error {
	if v.IsNil() || v.IsNegative() || v.GT(math.LegacyOneDec()) {
		return errorsmod.Wrapf(ErrInvalidGenesis, "%s must be in [0, 1]", field)
	}
	return nil
}

// Validate checks the genesis: addresses, duplicates, bounds, cross references, params last.
func (gs GenesisState) Validate() error {
	if gs.Epoch != nil {
		e := gs.Epoch
		if !e.Start.Before(e.RevealStart) || !e.RevealStart.Before(e.End) {
			return errorsmod.Wrap(ErrInvalidGenesis, "epoch must satisfy start < reveal_start < end")
		}
	}
	curators := map[string]Curator{}
	for _, c := range gs.Curators {
		if err := validAddr("curator", c.Address); err != nil {
			return err
		}
		if _, dup := curators[c.Address]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate curator %s", c.Address)
		}
		for _, f := range []struct {
			n string
			v math.Int
		}{{"bond", c.Bond}, {"unbonding", c.Unbonding}, {"slashed", c.Slashed}} {
			if err := nonNeg("curator "+f.n, f.v); err != nil {
				return err
			}
		}
		if err := unitDec("curator reputation", c.Reputation); err != nil {
			return err
		}
		if err := unitDec("curator last_agreement", c.LastAgreement); err != nil {
			return err
		}
		curators[c.Address] = c
	}
	unbonding := map[string]math.Int{}
	ids := map[uint64]bool{}
	for _, u := range gs.Unbondings {
		if u.Id == 0 || u.Id >= gs.NextUnbondingId || ids[u.Id] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "unbonding id %d is zero, duplicate or not below next_unbonding_id", u.Id)
		}
		ids[u.Id] = true
		if _, ok := curators[u.Curator]; !ok {
			return errorsmod.Wrapf(ErrInvalidGenesis, "unbonding %d of unknown curator %s", u.Id, u.Curator)
		}
		if u.Amount.IsNil() || !u.Amount.IsPositive() {
			return errorsmod.Wrapf(ErrInvalidGenesis, "unbonding %d amount must be positive", u.Id)
		}
		prev, ok := unbonding[u.Curator]
		if !ok {
			prev = math.ZeroInt()
		}
		unbonding[u.Curator] = prev.Add(u.Amount)
	}
	for addr, c := range curators {
		sum, ok := unbonding[addr]
		if !ok {
			sum = math.ZeroInt()
		}
		if !sum.Equal(c.Unbonding) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "curator %s unbonding %s != sum of its unbondings %s", addr, c.Unbonding, sum)
		}
	}
	if gs.NextUnbondingId == 0 || gs.NextFlagId == 0 {
		return errorsmod.Wrap(ErrInvalidGenesis, "next_unbonding_id and next_flag_id start at 1")
	}

	type ek struct {
		e uint64
		s string
	}
	commits := map[ek]Commitment{}
	for _, c := range gs.Commitments {
		if _, ok := curators[c.Curator]; !ok {
			return errorsmod.Wrapf(ErrInvalidGenesis, "commitment of unknown curator %s", c.Curator)
		}
		if _, dup := commits[ek{c.Epoch, c.Curator}]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate commitment of %s in epoch %d", c.Curator, c.Epoch)
		}
		if err := ValidateCommitment(c.Commitment); err != nil {
			return errorsmod.Wrap(ErrInvalidGenesis, err.Error())
		}
		if err := nonNeg("commitment weight", c.Weight); err != nil {
			return err
		}
		if err := nonNeg("commitment bond_at_commit", c.BondAtCommit); err != nil {
			return err
		}
		commits[ek{c.Epoch, c.Curator}] = c
	}
	type elk struct{ e, l uint64 }
	listings := map[elk]bool{}
	for _, l := range gs.EpochListings {
		if listings[elk{l.Epoch, l.ListingId}] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate epoch listing %d/%d", l.Epoch, l.ListingId)
		}
		listings[elk{l.Epoch, l.ListingId}] = true
	}
	type elc struct {
		e, l uint64
		c    string
	}
	reveals := map[elc]bool{}
	rewardWeights := map[ek]math.Int{}
	for _, r := range gs.RevealedScores {
		c, ok := commits[ek{r.Epoch, r.Curator}]
		if !ok || !c.Revealed {
			return errorsmod.Wrapf(ErrInvalidGenesis, "revealed score of %s in epoch %d without a revealed commitment", r.Curator, r.Epoch)
		}
		if !listings[elk{r.Epoch, r.ListingId}] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "revealed score for listing %d in epoch %d without an epoch listing", r.ListingId, r.Epoch)
		}
		if reveals[elc{r.Epoch, r.ListingId, r.Curator}] || r.Score > MaxScore {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate or out-of-range revealed score %d/%d/%s", r.Epoch, r.ListingId, r.Curator)
		}
		if err := nonNeg("revealed weight", r.Weight); err != nil {
			return err
		}
		if err := nonNeg("revealed reward weight", r.RewardWeight); err != nil {
			return err
		}
		if !r.Weight.Equal(c.Weight) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "revealed score %d/%d/%s has weight %s, its commitment %s", r.Epoch, r.ListingId, r.Curator, r.Weight, c.Weight)
		}
		// A reveal shares its weight among the scores it recorded: their reward weights add
		// up to at most the weight (less once some are finalised).
		k := ek{r.Epoch, r.Curator}
		sum, ok := rewardWeights[k]
		if !ok {
			sum = math.ZeroInt()
		}
		rewardWeights[k] = sum.Add(r.RewardWeight)
		if rewardWeights[k].GT(c.Weight) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "reward weights of %s's reveal in epoch %d add up to more than its weight %s", r.Curator, r.Epoch, c.Weight)
		}
		reveals[elc{r.Epoch, r.ListingId, r.Curator}] = true
	}
	pending := map[uint64]bool{}
	for _, e := range gs.PendingEpochs {
		if pending[e] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate pending epoch %d", e)
		}
		// A pending epoch has ended: finalising the running one would slash its commitments.
		if gs.Epoch == nil || e >= gs.Epoch.Number {
			return errorsmod.Wrapf(ErrInvalidGenesis, "pending epoch %d is not an epoch before the current one", e)
		}
		pending[e] = true
	}
	// Commitments, reveals and epoch listings are of the running epoch or of one not yet
	// finalised: finalisation removes them, and those of any other epoch would never be
	// finalised (one of a later epoch would also stand in the way of its curator's commit).
	open := func(e uint64) bool { return pending[e] || (gs.Epoch != nil && e == gs.Epoch.Number) }
	for _, c := range gs.Commitments {
		if !open(c.Epoch) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "commitment of %s in epoch %d, neither the current epoch nor a pending one", c.Curator, c.Epoch)
		}
	}
	for _, l := range gs.EpochListings {
		if !open(l.Epoch) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "epoch listing %d/%d of an epoch neither current nor pending", l.Epoch, l.ListingId)
		}
	}
	withoutReveal := map[uint64]bool{}
	for _, e := range gs.EpochsWithoutReveal {
		if !pending[e] || withoutReveal[e] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "epoch without reveal %d is duplicated or not pending", e)
		}
		withoutReveal[e] = true
	}
	listingResults := map[elk]bool{}
	for _, r := range gs.EpochListingResults {
		if !pending[r.Epoch] || r.EpochScore > MaxScore {
			return errorsmod.Wrapf(ErrInvalidGenesis, "listing result %d/%d of a non-pending epoch or out of range", r.Epoch, r.ListingId)
		}
		if listingResults[elk{r.Epoch, r.ListingId}] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate listing result %d/%d", r.Epoch, r.ListingId)
		}
		listingResults[elk{r.Epoch, r.ListingId}] = true
		if !r.Weight.IsNil() && r.Weight.IsNegative() {
			return errorsmod.Wrapf(ErrInvalidGenesis, "listing result %d/%d has a negative weight", r.Epoch, r.ListingId)
		}
	}
	curatorResults := map[ek]bool{}
	for _, r := range gs.EpochCuratorResults {
		if !pending[r.Epoch] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "curator result of non-pending epoch %d", r.Epoch)
		}
		if err := validAddr("curator result", r.Curator); err != nil {
			return err
		}
		if curatorResults[ek{r.Epoch, r.Curator}] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate curator result %d/%s", r.Epoch, r.Curator)
		}
		curatorResults[ek{r.Epoch, r.Curator}] = true
	}
	scored := map[uint64]bool{}
	for _, s := range gs.ListingScores {
		if s.ListingId == 0 || scored[s.ListingId] || s.LastEpochScore > MaxScore {
			return errorsmod.Wrapf(ErrInvalidGenesis, "listing score %d is zero, duplicate or out of range", s.ListingId)
		}
		if s.CurationScore.IsNil() || s.CurationScore.IsNegative() || s.CurationScore.GT(math.LegacyNewDec(MaxScore)) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "listing %d curation_score must be in [0, 100]", s.ListingId)
		}
		scored[s.ListingId] = true
	}
	flags := map[uint64]Flag{}
	for _, f := range gs.Flags {
		if f.Id == 0 || f.Id >= gs.NextFlagId {
			return errorsmod.Wrapf(ErrInvalidGenesis, "flag id %d is zero or not below next_flag_id", f.Id)
		}
		if _, dup := flags[f.Id]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate flag %d", f.Id)
		}
		if err := validAddr("flagger", f.Flagger); err != nil {
			return err
		}
		if f.OwnerAtOpen != "" {
			if err := validAddr("owner_at_open", f.OwnerAtOpen); err != nil {
				return err
			}
		}
		if f.Status < FlagStatusOpen || f.Status > FlagStatusRejected {
			return errorsmod.Wrapf(ErrInvalidGenesis, "flag %d status %s", f.Id, f.Status)
		}
		if f.Deposit.Denom != Denom || f.Deposit.Amount.IsNil() || !f.Deposit.Amount.IsPositive() {
			return errorsmod.Wrapf(ErrInvalidGenesis, "flag %d deposit %s", f.Id, f.Deposit)
		}
		if f.ListingKind != marketplacetypes.ListingKindModel && f.ListingKind != marketplacetypes.ListingKindAgent {
			return errorsmod.Wrapf(ErrInvalidGenesis, "flag %d listing_kind %s is neither a model nor an agent", f.Id, f.ListingKind)
		}
		for _, w := range []struct {
			name string
			v    math.Int
		}{{"uphold_weight", f.UpholdWeight}, {"reject_weight", f.RejectWeight}} {
			if err := nonNeg(fmt.Sprintf("flag %d %s", f.Id, w.name), w.v); err != nil {
				return err
			}
		}
		if err := nonNeg(fmt.Sprintf("flag %d total_bonded_at_open", f.Id), f.TotalBondedAtOpen); err != nil {
			return err
		}
		if f.CollateralAtOpen.Denom != Denom {
			return errorsmod.Wrapf(ErrInvalidGenesis, "flag %d collateral_at_open %s must be in %s", f.Id, f.CollateralAtOpen, Denom)
		}
		if err := nonNeg(fmt.Sprintf("flag %d collateral_at_open", f.Id), f.CollateralAtOpen.Amount); err != nil {
			return err
		}
		flags[f.Id] = f
	}
	type fv struct {
		f uint64
		c string
	}
	votes := map[fv]bool{}
	uphold, reject := map[uint64]math.Int{}, map[uint64]math.Int{}
	for _, v := range gs.FlagVotes {
		f, ok := flags[v.FlagId]
		if !ok || f.Status != FlagStatusOpen {
			return errorsmod.Wrapf(ErrInvalidGenesis, "vote on flag %d, which is not open", v.FlagId)
		}
		if err := validAddr("voter", v.Curator); err != nil {
			return err
		}
		if votes[fv{v.FlagId, v.Curator}] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate vote of %s on flag %d", v.Curator, v.FlagId)
		}
		if err := nonNeg(fmt.Sprintf("vote of %s on flag %d weight", v.Curator, v.FlagId), v.Weight); err != nil {
			return err
		}
		votes[fv{v.FlagId, v.Curator}] = true
		side := reject
		if v.Uphold {
			side = uphold
		}
		if sum, ok := side[v.FlagId]; ok {
			side[v.FlagId] = sum.Add(v.Weight)
		} else {
			side[v.FlagId] = v.Weight
		}
	}
	// An open flag's weights are the sums of its votes, and no more than was bonded when it
	// opened: the tally decides on them.
	for _, f := range gs.Flags {
		if f.Status != FlagStatusOpen {
			continue
		}
		up, down := math.ZeroInt(), math.ZeroInt()
		if w, ok := uphold[f.Id]; ok {
			up = w
		}
		if w, ok := reject[f.Id]; ok {
			down = w
		}
		if !up.Equal(f.UpholdWeight) || !down.Equal(f.RejectWeight) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "open flag %d weights %s/%s are not its votes' %s/%s", f.Id, f.UpholdWeight, f.RejectWeight, up, down)
		}
		if up.Add(down).GT(f.TotalBondedAtOpen) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "open flag %d has %s cast, above the %s bonded when it opened", f.Id, up.Add(down), f.TotalBondedAtOpen)
		}
	}
	if err := validateHistories(gs, curators); err != nil {
		return err
	}
	if err := gs.Params.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidGenesis, err)
	}
	return nil
}

// validateHistories checks the bond checkpoints: known curators, non-negative heights and
// amounts, no duplicates, each curator's last checkpoint equal to its bond and the last total
// checkpoint equal to Σ bond, so that the checkpoints continue the state they describe. A
// genesis without checkpoints (both lists empty) is valid: InitGenesis then checkpoints every
// bond at the genesis height.
func validateHistories(gs GenesisState, curators map[string]Curator) error {
	if len(gs.TotalBondedHistory) == 0 {
		if len(gs.BondHistory) > 0 {
			return errorsmod.Wrap(ErrInvalidGenesis, "bond_history without total_bonded_history")
		}
		return nil
	}
	type last struct {
		height int64
		bond   math.Int
	}
	latest := map[string]last{}
	type ch struct {
		c string
		h int64
	}
	seen := map[ch]bool{}
	for _, b := range gs.BondHistory {
		if _, ok := curators[b.Curator]; !ok {
			return errorsmod.Wrapf(ErrInvalidGenesis, "bond checkpoint of unknown curator %s", b.Curator)
		}
		if seen[ch{b.Curator, b.Height}] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "bond checkpoint of %s at height %d is a duplicate", b.Curator, b.Height)
		}
		seen[ch{b.Curator, b.Height}] = true
		if err := nonNeg("bond checkpoint", b.Bond); err != nil {
			return err
		}
		if l, ok := latest[b.Curator]; !ok || b.Height > l.height {
			latest[b.Curator] = last{b.Height, b.Bond}
		}
	}
	total := math.ZeroInt()
	for addr, c := range curators {
		total = total.Add(c.Bond)
		l, ok := latest[addr]
		switch {
		case ok && !l.bond.Equal(c.Bond):
			return errorsmod.Wrapf(ErrInvalidGenesis, "curator %s bond %s != its last bond checkpoint %s (height %d)", addr, c.Bond, l.bond, l.height)
		case !ok && c.Bond.IsPositive():
			return errorsmod.Wrapf(ErrInvalidGenesis, "curator %s has bond %s but no bond checkpoint", addr, c.Bond)
		}
	}
	heights := map[int64]bool{}
	var lastTotal last
	for i, t := range gs.TotalBondedHistory {
		if heights[t.Height] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "total bonded checkpoint at height %d is a duplicate", t.Height)
		}
		heights[t.Height] = true
		if err := nonNeg("total bonded checkpoint", t.Total); err != nil {
			return err
		}
		if i == 0 || t.Height > lastTotal.height {
			lastTotal = last{t.Height, t.Total}
		}
	}
	if !lastTotal.bond.Equal(total) {
		return errorsmod.Wrapf(ErrInvalidGenesis, "last total bonded checkpoint %s (height %d) != Σ curator bond %s", lastTotal.bond, lastTotal.height, total)
	}
	return nil
}

// RebaseHeights moves the heights the genesis holds for bond snapshots by -by: every bond and
// total bonded checkpoint, and the opening height of every open flag. A genesis exported for a
// restart at height zero is rebased by the height it was exported at, so that the old chain's
// heights come before the new chain's first block, in the order and at the distances they had:
// a vote opened on the old chain keeps reading the bonds as they were when it opened (a curator
// who bonded after it opened still has no weight in it), and checkpoints of the new chain's
// blocks come after all of them. Heights may then be zero or negative.
func (gs *GenesisState) RebaseHeights(by int64) {
	for i := range gs.BondHistory {
		gs.BondHistory[i].Height -= by
	}
	for i := range gs.TotalBondedHistory {
		gs.TotalBondedHistory[i].Height -= by
	}
	for i := range gs.Flags {
		if gs.Flags[i].Status == FlagStatusOpen {
			gs.Flags[i].OpenedHeight -= by
		}
	}
}
