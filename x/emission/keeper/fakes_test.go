package keeper_test

import (
	"context"
	"fmt"

	abci "github.com/cometbft/cometbft/abci/types"

	"cosmossdk.io/core/address"
	"cosmossdk.io/math"

	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/balanceai/balanceai/x/emission/types"
	marketplacetypes "github.com/balanceai/balanceai/x/marketplace/types"
)

// testFunds are the grant fund accounts the fixture's keeper is given (the app declares its own).
var testFunds = marketplacetypes.GrantFunds{Model: "models_fund", Agent: "agents_fund"}

// moduleNames are the module accounts the fake auth keeper knows.
var moduleNames = []string{types.ModuleName, testFunds.Model, testFunds.Agent, authtypes.FeeCollectorName, distrtypes.ModuleName}

// fakeAccountKeeper resolves module addresses like x/auth does.
type fakeAccountKeeper struct{ known map[string]bool }

func newFakeAccountKeeper(names ...string) fakeAccountKeeper {
	k := fakeAccountKeeper{known: map[string]bool{}}
	for _, n := range names {
		k.known[n] = true
	}
	return k
}

func (fakeAccountKeeper) AddressCodec() address.Codec { return addresscodec.NewBech32Codec("bai") }

func (k fakeAccountKeeper) GetModuleAddress(name string) sdk.AccAddress {
	if !k.known[name] {
		return nil
	}
	return authtypes.NewModuleAddress(name)
}

// fakeBank tracks balances and supply; minting and burning are only allowed for the emission
// module (the only one with Minter/Burner in this chain).
type fakeBank struct {
	balances map[string]sdk.Coins
	supply   sdk.Coins
}

func newFakeBank() *fakeBank { return &fakeBank{balances: map[string]sdk.Coins{}} }

func (b *fakeBank) GetBalance(_ context.Context, addr sdk.AccAddress, denom string) sdk.Coin {
	return sdk.NewCoin(denom, b.balances[addr.String()].AmountOf(denom))
}

func (b *fakeBank) GetSupply(_ context.Context, denom string) sdk.Coin {
	return sdk.NewCoin(denom, b.supply.AmountOf(denom))
}

func (b *fakeBank) MintCoins(_ context.Context, module string, amt sdk.Coins) error {
	if module != types.ModuleName {
		return fmt.Errorf("module %s cannot mint", module)
	}
	b.add(authtypes.NewModuleAddress(module), amt)
	b.supply = b.supply.Add(amt...)
	return nil
}

func (b *fakeBank) BurnCoins(_ context.Context, module string, amt sdk.Coins) error {
	if module != types.ModuleName {
		return fmt.Errorf("module %s cannot burn", module)
	}
	if err := b.sub(authtypes.NewModuleAddress(module), amt); err != nil {
		return err
	}
	b.supply = b.supply.Sub(amt...)
	return nil
}

func (b *fakeBank) SendCoinsFromModuleToModule(_ context.Context, from, to string, amt sdk.Coins) error {
	return b.send(authtypes.NewModuleAddress(from), authtypes.NewModuleAddress(to), amt)
}

func (b *fakeBank) send(from, to sdk.AccAddress, amt sdk.Coins) error {
	if err := b.sub(from, amt); err != nil {
		return err
	}
	b.add(to, amt)
	return nil
}

func (b *fakeBank) add(addr sdk.AccAddress, amt sdk.Coins) {
	b.balances[addr.String()] = b.balances[addr.String()].Add(amt...)
}

func (b *fakeBank) sub(addr sdk.AccAddress, amt sdk.Coins) error {
	bal := b.balances[addr.String()]
	if !bal.IsAllGTE(amt) {
		return fmt.Errorf("insufficient funds: %s < %s", bal, amt)
	}
	b.balances[addr.String()] = bal.Sub(amt...)
	return nil
}

// setGenesisBalance credits an account as genesis would (supply included).
func (b *fakeBank) setGenesisBalance(addr sdk.AccAddress, amt sdk.Coins) {
	b.add(addr, amt)
	b.supply = b.supply.Add(amt...)
}

func (b *fakeBank) moduleBalance(name string) math.Int {
	return b.balances[authtypes.NewModuleAddress(name).String()].AmountOf(types.DefaultMintDenom)
}

// fakeDistr books validator rewards and the community pool; tokens move through the fake bank
// exactly as x/distribution moves them.
type fakeDistr struct {
	bank    *fakeBank
	staking *fakeStaking
	// proportionalCalls counts AllocateTokens calls (PROPORTIONAL mode).
	proportionalCalls int
	rewards           map[string]sdk.DecCoins // operator -> allocated
	order             []string
	community         sdk.DecCoins
	allocations       int
}

func newFakeDistr(b *fakeBank, s *fakeStaking) *fakeDistr {
	return &fakeDistr{bank: b, staking: s, rewards: map[string]sdk.DecCoins{}}
}

func (d *fakeDistr) AllocateTokensToValidator(_ context.Context, val stakingtypes.ValidatorI, tokens sdk.DecCoins) error {
	if _, ok := d.rewards[val.GetOperator()]; !ok {
		d.order = append(d.order, val.GetOperator())
	}
	d.rewards[val.GetOperator()] = d.rewards[val.GetOperator()].Add(tokens...)
	d.allocations++
	return nil
}

func (d *fakeDistr) FundCommunityPool(_ context.Context, amount sdk.Coins, sender sdk.AccAddress) error {
	if err := d.bank.send(sender, authtypes.NewModuleAddress(distrtypes.ModuleName), amount); err != nil {
		return err
	}
	d.community = d.community.Add(sdk.NewDecCoinsFromCoins(amount...)...)
	return nil
}

// AllocateTokens pays the fee collector by power like x/distribution (with no community tax).
func (d *fakeDistr) AllocateTokens(ctx context.Context, totalPower int64, votes []abci.VoteInfo) error {
	feeAddr := authtypes.NewModuleAddress(authtypes.FeeCollectorName)
	collected := d.bank.balances[feeAddr.String()]
	if err := d.bank.send(feeAddr, authtypes.NewModuleAddress(distrtypes.ModuleName), collected); err != nil {
		return err
	}
	d.proportionalCalls++
	remaining := sdk.NewDecCoinsFromCoins(collected...)
	if totalPower == 0 {
		d.community = d.community.Add(remaining...)
		return nil
	}
	for _, v := range votes {
		val, err := d.staking.ValidatorByConsAddr(ctx, v.Validator.Address)
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
	d.community = d.community.Add(remaining...)
	return nil
}

func (d *fakeDistr) communityPool() math.Int {
	return d.community.AmountOf(types.DefaultMintDenom).TruncateInt()
}

func (d *fakeDistr) reward(operator string) math.Int {
	return d.rewards[operator].AmountOf(types.DefaultMintDenom).TruncateInt()
}

// totalRewards sums all validator rewards.
func (d *fakeDistr) totalRewards() math.Int {
	sum := math.ZeroInt()
	for _, op := range d.order {
		sum = sum.Add(d.reward(op))
	}
	return sum
}

// fakeStaking maps consensus addresses to validators.
type fakeStaking struct {
	byCons map[string]stakingtypes.ValidatorI
}

func (s *fakeStaking) ValidatorByConsAddr(_ context.Context, addr sdk.ConsAddress) (stakingtypes.ValidatorI, error) {
	v, ok := s.byCons[string(addr)]
	if !ok {
		return nil, stakingtypes.ErrNoValidatorFound
	}
	return v, nil
}
