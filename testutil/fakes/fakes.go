// Package fakes holds in-memory stand-ins for the keepers the BalanceAI modules expect
// (types/expected_keepers.go of each module): auth, bank, distribution, staking, gov,
// marketplace and curation. Keeper unit tests build their keeper on these instead of the real
// app, so a test reads and sets balances, listings and bonds directly. The fakes follow the SDK
// keepers' rules the modules rely on (no overdraft, blocked recipients, mint and burn
// permissions, errors that wrap the SDK's). This package never imports the app.
package fakes

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	abci "github.com/cometbft/cometbft/abci/types"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/address"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	curationtypes "github.com/balanceai/balanceai/x/curation/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// Bech32Prefix is the account address prefix of the fakes' address codec.
const Bech32Prefix = "bai"

// Denom is the denomination the fakes' summaries (rewards, community pool) are in.
const Denom = "ubai"

// SetAddressPrefixes sets the SDK's global bech32 prefixes to the chain's (bai, baivaloper,
// baivalcons), as the app does; keeper tests call it from TestMain.
func SetAddressPrefixes() {
	cfg := sdk.GetConfig()
	cfg.SetBech32PrefixForAccount(Bech32Prefix, Bech32Prefix+"pub")
	cfg.SetBech32PrefixForValidator(Bech32Prefix+"valoper", Bech32Prefix+"valoperpub")
	cfg.SetBech32PrefixForConsensusNode(Bech32Prefix+"valcons", Bech32Prefix+"valconspub")
}

// ---------------------------------------------------------------------------
// x/auth

// AccountKeeper resolves module account addresses like x/auth, for a configured set of modules.
type AccountKeeper struct {
	modules map[string]bool // nil: every module name resolves
}

// NewAccountKeeper returns an auth keeper that knows the named module accounts (any other name
// resolves to nil, as an unknown module account does in x/auth). With no names, every module
// name resolves.
func NewAccountKeeper(modules ...string) *AccountKeeper {
	if len(modules) == 0 {
		return &AccountKeeper{}
	}
	k := &AccountKeeper{modules: map[string]bool{}}
	for _, m := range modules {
		k.modules[m] = true
	}
	return k
}

// AddressCodec returns the bech32 codec of the "bai" prefix.
func (*AccountKeeper) AddressCodec() address.Codec { return addresscodec.NewBech32Codec(Bech32Prefix) }

// GetModuleAddress returns the module account's address, nil for an unknown module.
func (k *AccountKeeper) GetModuleAddress(name string) sdk.AccAddress {
	if k.modules != nil && !k.modules[name] {
		return nil
	}
	return authtypes.NewModuleAddress(name)
}

// ---------------------------------------------------------------------------
// x/bank

// Bank keeps balances and the total supply in memory. Balances are keyed by the raw address
// bytes (string(addr)).
type Bank struct {
	Balances map[string]sdk.Coins
	Supply   sdk.Coins
	// Blocked are the addresses that may not receive funds from a module (BlockedAddr).
	Blocked map[string]bool
	// FailSends makes every send from a module to an account fail, as to a blocked address.
	FailSends bool
	// Accounts, when set, is the auth keeper whose module accounts exist: a send to or from
	// another module panics, as in x/bank.
	Accounts *AccountKeeper
	// Minters and Burners are the modules with the Minter and Burner permissions; nil lets
	// every module mint or burn.
	Minters, Burners map[string]bool
}

// NewBank returns an empty bank.
func NewBank() *Bank {
	return &Bank{Balances: map[string]sdk.Coins{}, Blocked: map[string]bool{}}
}

// WithAccounts makes sends to or from a module account ak does not know panic.
func (b *Bank) WithAccounts(ak *AccountKeeper) *Bank { b.Accounts = ak; return b }

// WithMinters gives only these modules the Minter permission.
func (b *Bank) WithMinters(modules ...string) *Bank { b.Minters = set(modules); return b }

// WithBurners gives only these modules the Burner permission.
func (b *Bank) WithBurners(modules ...string) *Bank { b.Burners = set(modules); return b }

func set(names []string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// Fund credits coins to addr as genesis does (the supply grows by as much).
func (b *Bank) Fund(addr sdk.AccAddress, coins sdk.Coins) {
	b.Balances[string(addr)] = b.Balances[string(addr)].Add(coins...)
	b.Supply = b.Supply.Add(coins...)
}

// Block makes addr refuse funds sent from a module.
func (b *Bank) Block(addr sdk.AccAddress) { b.Blocked[string(addr)] = true }

// Send moves coins between two addresses; an overdraft fails and changes nothing.
func (b *Bank) Send(from, to sdk.AccAddress, amt sdk.Coins) error {
	have := b.Balances[string(from)]
	rest, neg := have.SafeSub(amt...)
	if neg {
		return errorsmod.Wrapf(sdkerrors.ErrInsufficientFunds, "spendable balance %s is smaller than %s", have, amt)
	}
	b.Balances[string(from)] = rest
	b.Balances[string(to)] = b.Balances[string(to)].Add(amt...)
	return nil
}

// Balance returns addr's balance of denom.
func (b *Bank) Balance(addr sdk.AccAddress, denom string) math.Int {
	return b.Balances[string(addr)].AmountOf(denom)
}

// ModuleBalance returns the module account's balance of denom.
func (b *Bank) ModuleBalance(module, denom string) math.Int {
	return b.Balance(authtypes.NewModuleAddress(module), denom)
}

// Total returns the sum of every balance of denom.
func (b *Bank) Total(denom string) math.Int {
	t := math.ZeroInt()
	for _, c := range b.Balances {
		t = t.Add(c.AmountOf(denom))
	}
	return t
}

// Snapshot renders every balance (sorted by address) and the supply, to assert that a refused
// operation moved nothing.
func (b *Bank) Snapshot() string {
	keys := make([]string, 0, len(b.Balances))
	for k := range b.Balances {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out strings.Builder
	for _, k := range keys {
		out.WriteString(sdk.AccAddress(k).String() + "=" + b.Balances[k].String() + ";")
	}
	return out.String() + "supply=" + b.Supply.String()
}

// Clone returns a bank with copies of the balances, supply and blocked set (same accounts and
// permissions).
func (b *Bank) Clone() *Bank {
	c := *b
	c.Balances = make(map[string]sdk.Coins, len(b.Balances))
	for k, v := range b.Balances {
		c.Balances[k] = v
	}
	c.Blocked = make(map[string]bool, len(b.Blocked))
	for k, v := range b.Blocked {
		c.Blocked[k] = v
	}
	return &c
}

// module returns a module account's address; like x/bank it panics for a module account the
// auth keeper does not know.
func (b *Bank) module(name string) sdk.AccAddress {
	if b.Accounts != nil {
		addr := b.Accounts.GetModuleAddress(name)
		if addr == nil {
			panic(fmt.Sprintf("module account %s does not exist", name))
		}
		return addr
	}
	return authtypes.NewModuleAddress(name)
}

// SendCoinsFromAccountToModule implements the bank keeper method.
func (b *Bank) SendCoinsFromAccountToModule(_ context.Context, from sdk.AccAddress, module string, amt sdk.Coins) error {
	return b.Send(from, b.module(module), amt)
}

// SendCoinsFromModuleToAccount implements the bank keeper method; a blocked recipient (or
// FailSends) is refused.
func (b *Bank) SendCoinsFromModuleToAccount(_ context.Context, module string, to sdk.AccAddress, amt sdk.Coins) error {
	if b.Blocked[string(to)] || b.FailSends {
		return errorsmod.Wrapf(sdkerrors.ErrUnauthorized, "%s is not allowed to receive funds", to)
	}
	return b.Send(b.module(module), to, amt)
}

// SendCoinsFromModuleToModule implements the bank keeper method.
func (b *Bank) SendCoinsFromModuleToModule(_ context.Context, from, to string, amt sdk.Coins) error {
	return b.Send(b.module(from), b.module(to), amt)
}

// MintCoins implements the bank keeper method (Minter permission).
func (b *Bank) MintCoins(_ context.Context, module string, amt sdk.Coins) error {
	if b.Minters != nil && !b.Minters[module] {
		return errorsmod.Wrapf(sdkerrors.ErrUnauthorized, "module account %s does not have permissions to mint tokens", module)
	}
	addr := b.module(module)
	b.Balances[string(addr)] = b.Balances[string(addr)].Add(amt...)
	b.Supply = b.Supply.Add(amt...)
	return nil
}

// BurnCoins implements the bank keeper method (Burner permission).
func (b *Bank) BurnCoins(_ context.Context, module string, amt sdk.Coins) error {
	if b.Burners != nil && !b.Burners[module] {
		return errorsmod.Wrapf(sdkerrors.ErrUnauthorized, "module account %s does not have permissions to burn tokens", module)
	}
	addr := b.module(module)
	have := b.Balances[string(addr)]
	rest, neg := have.SafeSub(amt...)
	if neg {
		return errorsmod.Wrapf(sdkerrors.ErrInsufficientFunds, "spendable balance %s is smaller than %s", have, amt)
	}
	b.Balances[string(addr)] = rest
	b.Supply = b.Supply.Sub(amt...)
	return nil
}

// GetBalance implements the bank keeper method.
func (b *Bank) GetBalance(_ context.Context, addr sdk.AccAddress, denom string) sdk.Coin {
	return sdk.NewCoin(denom, b.Balance(addr, denom))
}

// GetAllBalances implements the bank keeper method.
func (b *Bank) GetAllBalances(_ context.Context, addr sdk.AccAddress) sdk.Coins {
	return b.Balances[string(addr)]
}

// GetSupply implements the bank keeper method.
func (b *Bank) GetSupply(_ context.Context, denom string) sdk.Coin {
	return sdk.NewCoin(denom, b.Supply.AmountOf(denom))
}

// BlockedAddr implements the bank keeper method.
func (b *Bank) BlockedAddr(addr sdk.AccAddress) bool { return b.Blocked[string(addr)] }

// ---------------------------------------------------------------------------
// x/staking

// Staking holds validators by consensus address and delegations by delegator.
type Staking struct {
	// ByCons maps string(consensus address) to its validator.
	ByCons map[string]stakingtypes.ValidatorI
	// Delegations are each delegator's delegations (one entry per validator).
	Delegations map[string][]math.Int
	// Unbonding is each delegator's total in unbonding entries.
	Unbonding map[string]math.Int
	// BondedCalls counts GetDelegatorBonded calls.
	BondedCalls int
}

// NewStaking returns a staking keeper with no validators and no delegations.
func NewStaking() *Staking {
	return &Staking{
		ByCons:      map[string]stakingtypes.ValidatorI{},
		Delegations: map[string][]math.Int{},
		Unbonding:   map[string]math.Int{},
	}
}

// SetValidator registers a validator under its consensus address.
func (s *Staking) SetValidator(cons sdk.ConsAddress, val stakingtypes.ValidatorI) {
	s.ByCons[string(cons)] = val
}

// ValidatorByConsAddr implements the staking keeper method.
func (s *Staking) ValidatorByConsAddr(_ context.Context, addr sdk.ConsAddress) (stakingtypes.ValidatorI, error) {
	v, ok := s.ByCons[string(addr)]
	if !ok {
		return nil, stakingtypes.ErrNoValidatorFound
	}
	return v, nil
}

// Delegate adds a delegation of amt (to another validator).
func (s *Staking) Delegate(delegator sdk.AccAddress, amt math.Int) {
	s.Delegations[string(delegator)] = append(s.Delegations[string(delegator)], amt)
}

// Undelegate moves amt of the delegator's delegations (the last first) into unbonding, which
// GetDelegatorBonded no longer counts, as in x/staking.
func (s *Staking) Undelegate(delegator sdk.AccAddress, amt math.Int) {
	ds := s.Delegations[string(delegator)]
	left := amt
	for i := len(ds) - 1; i >= 0 && left.IsPositive(); i-- {
		take := math.MinInt(ds[i], left)
		ds[i] = ds[i].Sub(take)
		left = left.Sub(take)
	}
	u, ok := s.Unbonding[string(delegator)]
	if !ok {
		u = math.ZeroInt()
	}
	s.Unbonding[string(delegator)] = u.Add(amt.Sub(left))
}

// GetDelegatorBonded implements the staking keeper method: the sum of the delegations,
// unbonding entries excluded.
func (s *Staking) GetDelegatorBonded(_ context.Context, delegator sdk.AccAddress) (math.Int, error) {
	s.BondedCalls++
	sum := math.ZeroInt()
	for _, d := range s.Delegations[string(delegator)] {
		sum = sum.Add(d)
	}
	return sum, nil
}

// ---------------------------------------------------------------------------
// x/distribution

// Distribution books validator rewards and the community pool; tokens move through the bank
// to the distribution module account exactly as x/distribution moves them.
type Distribution struct {
	Bank    *Bank
	Staking *Staking
	// Rewards are the rewards allocated to each validator operator; Order is the operators in
	// the order they were first paid.
	Rewards map[string]sdk.DecCoins
	Order   []string
	// Community is the community pool.
	Community sdk.DecCoins
	// Allocations counts AllocateTokensToValidator calls; ProportionalCalls AllocateTokens calls.
	Allocations       int
	ProportionalCalls int
}

// NewDistribution returns a distribution keeper over the bank and staking fakes.
func NewDistribution(b *Bank, s *Staking) *Distribution {
	return &Distribution{Bank: b, Staking: s, Rewards: map[string]sdk.DecCoins{}}
}

// AllocateTokensToValidator implements the distribution keeper method (the tokens are already
// in the distribution module account).
func (d *Distribution) AllocateTokensToValidator(_ context.Context, val stakingtypes.ValidatorI, tokens sdk.DecCoins) error {
	if _, ok := d.Rewards[val.GetOperator()]; !ok {
		d.Order = append(d.Order, val.GetOperator())
	}
	d.Rewards[val.GetOperator()] = d.Rewards[val.GetOperator()].Add(tokens...)
	d.Allocations++
	return nil
}

// FundCommunityPool implements the distribution keeper method.
func (d *Distribution) FundCommunityPool(_ context.Context, amount sdk.Coins, sender sdk.AccAddress) error {
	if err := d.Bank.Send(sender, authtypes.NewModuleAddress(distrtypes.ModuleName), amount); err != nil {
		return err
	}
	d.Community = d.Community.Add(sdk.NewDecCoinsFromCoins(amount...)...)
	return nil
}

// AllocateTokens pays the whole fee collector balance to the validators of the last commit by
// voting power, like x/distribution with no community tax (all to the pool at zero power).
func (d *Distribution) AllocateTokens(ctx context.Context, totalPower int64, votes []abci.VoteInfo) error {
	feeAddr := authtypes.NewModuleAddress(authtypes.FeeCollectorName)
	collected := d.Bank.Balances[string(feeAddr)]
	if err := d.Bank.Send(feeAddr, authtypes.NewModuleAddress(distrtypes.ModuleName), collected); err != nil {
		return err
	}
	d.ProportionalCalls++
	remaining := sdk.NewDecCoinsFromCoins(collected...)
	if totalPower == 0 {
		d.Community = d.Community.Add(remaining...)
		return nil
	}
	for _, v := range votes {
		val, err := d.Staking.ValidatorByConsAddr(ctx, v.Validator.Address)
		if err != nil {
			return err
		}
		frac := math.LegacyNewDec(v.Validator.Power).QuoTruncate(math.LegacyNewDec(totalPower))
		reward := sdk.NewDecCoinsFromCoins(collected...).MulDecTruncate(frac)
		if err := d.AllocateTokensToValidator(ctx, val, reward); err != nil {
			return err
		}
		remaining = remaining.Sub(reward)
	}
	d.Community = d.Community.Add(remaining...)
	return nil
}

// CommunityPool returns the community pool in Denom, truncated.
func (d *Distribution) CommunityPool() math.Int {
	return d.Community.AmountOf(Denom).TruncateInt()
}

// Reward returns the operator's allocated rewards in Denom, truncated.
func (d *Distribution) Reward(operator string) math.Int {
	return d.Rewards[operator].AmountOf(Denom).TruncateInt()
}

// TotalRewards sums every validator's rewards.
func (d *Distribution) TotalRewards() math.Int {
	sum := math.ZeroInt()
	for _, op := range d.Order {
		sum = sum.Add(d.Reward(op))
	}
	return sum
}

// ---------------------------------------------------------------------------
// x/gov

// Gov stores proposals like x/gov's Proposals map (the marketplace's GovProposals).
type Gov struct {
	Proposals map[uint64]govv1.Proposal
}

// NewGov returns a gov store with no proposals.
func NewGov() *Gov { return &Gov{Proposals: map[uint64]govv1.Proposal{}} }

// Get returns a proposal, collections.ErrNotFound when there is none.
func (g *Gov) Get(_ context.Context, id uint64) (govv1.Proposal, error) {
	p, ok := g.Proposals[id]
	if !ok {
		return govv1.Proposal{}, errorsmod.Wrapf(collections.ErrNotFound, "proposal %d", id)
	}
	return p, nil
}

// ---------------------------------------------------------------------------
// x/marketplace

// Marketplace holds listings in memory, counts holds and slashes collateral out of the
// "marketplace" module account through Bank, the way the real keeper does.
type Marketplace struct {
	Bank     *Bank
	Listings map[uint64]marketplacetypes.Listing
	// Holds counts the open holds per listing.
	Holds map[uint64]int
	// Slashes records each accepted slash as "id:fraction:destination:slashed"; Reasons their
	// reasons.
	Slashes []string
	Reasons []string
	// BurnedRegistrationFees and BurnedSlashes are what BurnedTotals reports.
	BurnedRegistrationFees, BurnedSlashes math.Int
	// History are the status points recorded by AddListing, SetStatus and SlashAndSuspend, in
	// time order per listing. StatusBefore judges a listing without points from its fields.
	History map[uint64][]StatusPoint
}

// StatusPoint is a listing's status from At on.
type StatusPoint struct {
	At     time.Time
	Status marketplacetypes.ListingStatus
}

// AddListing stores a listing and its first status point, at its status_changed_at (or
// created_at).
func (m *Marketplace) AddListing(l marketplacetypes.Listing) {
	m.Listings[l.Id] = l
	m.History[l.Id] = []StatusPoint{{At: l.StatusSince(), Status: l.Status}}
}

// SetStatus changes a listing's status at time at, as the marketplace keeper does: status,
// updated_at and status_changed_at, and a status point.
func (m *Marketplace) SetStatus(id uint64, status marketplacetypes.ListingStatus, at time.Time) {
	points := m.points(id)
	l := m.Listings[id]
	l.Status, l.UpdatedAt, l.StatusChangedAt = status, at, at
	m.Listings[id] = l
	m.History[id] = append(points, StatusPoint{At: at, Status: status})
}

// points returns a listing's recorded points; a listing stored without them (straight into
// Listings) has had its current status since status_changed_at (or created_at).
func (m *Marketplace) points(id uint64) []StatusPoint {
	if points, ok := m.History[id]; ok {
		return points
	}
	l, ok := m.Listings[id]
	if !ok {
		return nil
	}
	return []StatusPoint{{At: l.StatusSince(), Status: l.Status}}
}

// StatusBefore implements the marketplace keeper method from the recorded points: the status of
// the last point strictly before t.
func (m *Marketplace) StatusBefore(_ context.Context, id uint64, t time.Time) (marketplacetypes.ListingStatus, bool, error) {
	points := m.points(id)
	var status marketplacetypes.ListingStatus
	found := false
	for _, p := range points {
		if !p.At.Before(t) {
			break
		}
		status, found = p.Status, true
	}
	return status, found, nil
}

// NewMarketplace returns a marketplace with no listings; bank may be nil when nothing slashes.
func NewMarketplace(bank *Bank) *Marketplace {
	return &Marketplace{
		Bank: bank, Listings: map[uint64]marketplacetypes.Listing{}, Holds: map[uint64]int{},
		BurnedRegistrationFees: math.ZeroInt(), BurnedSlashes: math.ZeroInt(), History: map[uint64][]StatusPoint{},
	}
}

// GetListing implements the marketplace keeper method: a missing listing wraps
// ErrListingNotFound.
func (m *Marketplace) GetListing(_ context.Context, id uint64) (marketplacetypes.Listing, error) {
	l, ok := m.Listings[id]
	if !ok {
		return marketplacetypes.Listing{}, errorsmod.Wrapf(marketplacetypes.ErrListingNotFound, "no listing with id %d", id)
	}
	return l, nil
}

// Hold implements the marketplace keeper method: it returns the collateral at this moment.
func (m *Marketplace) Hold(ctx context.Context, id uint64) (sdk.Coin, error) {
	l, err := m.GetListing(ctx, id)
	if err != nil {
		return sdk.Coin{}, err
	}
	m.Holds[id]++
	return l.Collateral, nil
}

// Release implements the marketplace keeper method.
func (m *Marketplace) Release(_ context.Context, id uint64) error {
	if m.Holds[id] == 0 {
		return fmt.Errorf("listing %d is not held", id)
	}
	m.Holds[id]--
	if m.Holds[id] == 0 {
		delete(m.Holds, id)
	}
	return nil
}

// WalkFlagHolds implements the marketplace keeper method: the fake takes no proposal holds,
// so every hold is a flag's.
func (m *Marketplace) WalkFlagHolds(_ context.Context, fn func(listingID, holds uint64) error) error {
	ids := make([]uint64, 0, len(m.Holds))
	for id := range m.Holds {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if err := fn(id, uint64(m.Holds[id])); err != nil {
			return err
		}
	}
	return nil
}

// SlashAndSuspend implements the marketplace keeper method: min(fraction × base, collateral)
// moves from the "marketplace" account to destination and the listing is SUSPENDED.
func (m *Marketplace) SlashAndSuspend(ctx context.Context, id uint64, fraction math.LegacyDec, base math.Int, destination, reason string) (sdk.Coin, error) {
	l, err := m.GetListing(ctx, id)
	if err != nil {
		return sdk.Coin{}, err
	}
	if l.Status == marketplacetypes.ListingStatusSuspended || l.Status == marketplacetypes.ListingStatusRetired {
		return sdk.Coin{}, marketplacetypes.ErrInvalidStatus
	}
	if len(reason) > marketplacetypes.MaxReasonLength || !utf8.ValidString(reason) {
		return sdk.Coin{}, errorsmod.Wrapf(marketplacetypes.ErrInvalidListing, "reason %q", reason)
	}
	slashed := sdk.NewCoin(l.Collateral.Denom, math.MinInt(fraction.MulInt(base).TruncateInt(), l.Collateral.Amount))
	if err := m.Bank.SendCoinsFromModuleToModule(ctx, marketplacetypes.ModuleName, destination, sdk.NewCoins(slashed)); err != nil {
		return sdk.Coin{}, err
	}
	l.Collateral = l.Collateral.Sub(slashed)
	m.Listings[id] = l
	m.SetStatus(id, marketplacetypes.ListingStatusSuspended, sdk.UnwrapSDKContext(ctx).BlockTime())
	m.Slashes = append(m.Slashes, fmt.Sprintf("%d:%s:%s:%s", id, fraction, destination, slashed))
	m.Reasons = append(m.Reasons, reason)
	return slashed, nil
}

// BurnedTotals implements the marketplace keeper method x/emission reads.
func (m *Marketplace) BurnedTotals(context.Context) (registrationFees, slashes math.Int, err error) {
	return m.BurnedRegistrationFees, m.BurnedSlashes, nil
}

// ---------------------------------------------------------------------------
// x/curation

// bondChange is a curator's bond from the end of block height on.
type bondChange struct {
	height int64
	bond   math.Int
}

// Curation keeps every curator's bond history by block height, as x/curation's checkpoints do:
// a change made in block h is the bond at the end of block h.
type Curation struct {
	history map[string][]bondChange
	// Completed are the results of completed scoring epochs not yet released, by epoch.
	Completed map[uint64]curationtypes.EpochResults
	// Pending are ended epochs not completed yet.
	Pending map[uint64]bool
}

// NewCuration returns a curation keeper with no curators and no completed epoch.
func NewCuration() *Curation {
	return &Curation{history: map[string][]bondChange{}, Completed: map[uint64]curationtypes.EpochResults{}, Pending: map[uint64]bool{}}
}

// EpochAwaitingResults implements the curation keeper method.
func (c *Curation) EpochAwaitingResults(_ context.Context, epoch uint64) (bool, error) {
	_, completed := c.Completed[epoch]
	return completed || c.Pending[epoch], nil
}

// CompleteEpoch records a completed epoch's results, as x/curation does at the epoch's end.
func (c *Curation) CompleteEpoch(res curationtypes.EpochResults) {
	delete(c.Pending, res.Epoch)
	c.Completed[res.Epoch] = res
}

// NextCompletedEpoch implements the curation keeper method: the lowest completed epoch whose
// results were not released.
func (c *Curation) NextCompletedEpoch(context.Context) (uint64, bool, error) {
	found, lowest := false, uint64(0)
	for e := range c.Completed {
		if !found || e < lowest {
			found, lowest = true, e
		}
	}
	return lowest, found, nil
}

// TakeEpochResults implements the curation keeper method: up to limit of the epoch's results
// left, listings first, in the order they were recorded.
func (c *Curation) TakeEpochResults(_ context.Context, epoch uint64, limit uint32) (curationtypes.EpochResults, bool, error) {
	res, ok := c.Completed[epoch]
	if !ok {
		return curationtypes.EpochResults{}, false, errorsmod.Wrapf(curationtypes.ErrEpochNotCompleted, "epoch %d", epoch)
	}
	out := curationtypes.EpochResults{Epoch: epoch}
	n := min(int(limit), len(res.Listings))
	out.Listings, res.Listings = res.Listings[:n:n], res.Listings[n:]
	m := min(int(limit)-n, len(res.Curators))
	out.Curators, res.Curators = res.Curators[:m:m], res.Curators[m:]
	c.Completed[epoch] = res
	return out, len(res.Listings)+len(res.Curators) > 0, nil
}

// ReleaseEpochResults implements the curation keeper method.
func (c *Curation) ReleaseEpochResults(_ context.Context, epoch uint64) error {
	if _, ok := c.Completed[epoch]; !ok {
		return errorsmod.Wrapf(curationtypes.ErrEpochNotCompleted, "epoch %d", epoch)
	}
	delete(c.Completed, epoch)
	return nil
}

// SetBond records the curator's bond as changed in block height.
func (c *Curation) SetBond(curator sdk.AccAddress, height int64, amt math.Int) {
	h := c.history[curator.String()]
	if n := len(h); n > 0 && h[n-1].height == height {
		h[n-1].bond = amt
	} else {
		h = append(h, bondChange{height: height, bond: amt})
	}
	c.history[curator.String()] = h
}

// at returns the bond at the end of block height (zero before the first bond).
func (c *Curation) at(curator string, height int64) math.Int {
	bond := math.ZeroInt()
	for _, ch := range c.history[curator] {
		if ch.height > height {
			break
		}
		bond = ch.bond
	}
	return bond
}

// Bond returns the curator's latest bond.
func (c *Curation) Bond(curator sdk.AccAddress) math.Int {
	h := c.history[curator.String()]
	if len(h) == 0 {
		return math.ZeroInt()
	}
	return h[len(h)-1].bond
}

// GetCurator implements the curation keeper method: an unknown or unbonded address gets a
// zero-bond record with the starting reputation and found=false.
func (c *Curation) GetCurator(_ context.Context, curator sdk.AccAddress, canon string) (curationtypes.Curator, bool, error) {
	if b := c.Bond(curator); b.IsPositive() {
		return curationtypes.Curator{Address: canon, Bond: b, Reputation: math.LegacyOneDec()}, true, nil
	}
	return curationtypes.Curator{Address: canon, Bond: math.ZeroInt(), Reputation: math.LegacyNewDecWithPrec(5, 1)}, false, nil
}

// BondAt implements the curation keeper method (the bond at the end of block height-1).
func (c *Curation) BondAt(_ context.Context, curator sdk.AccAddress, height int64) (math.Int, error) {
	return c.at(curator.String(), height-1), nil
}

// TotalBondedAt implements the curation keeper method.
func (c *Curation) TotalBondedAt(_ context.Context, height int64) (math.Int, error) {
	curators := make([]string, 0, len(c.history))
	for a := range c.history {
		curators = append(curators, a)
	}
	sort.Strings(curators)
	t := math.ZeroInt()
	for _, a := range curators {
		t = t.Add(c.at(a, height-1))
	}
	return t, nil
}

// VotingWeight implements the curation keeper method: min(bond then, bond now).
func (c *Curation) VotingWeight(_ context.Context, curator sdk.AccAddress, openedHeight int64) (math.Int, error) {
	return math.MinInt(c.at(curator.String(), openedHeight-1), c.Bond(curator)), nil
}
