package cmd

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	vestingtypes "github.com/cosmos/cosmos-sdk/x/auth/vesting/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/balanceai/balanceai/app"
)

// GenesisSupply is the BAI every public network starts with: 5,880,000 BAI in ubai. A genesis
// allocation must add up to exactly this amount.
var GenesisSupply = math.NewInt(5_880_000_000_000)

// AllocationEntry is one line of a genesis allocation: an account, its ubai and, optionally,
// the vesting of that amount. With only VestingEnd the whole amount is locked until then
// (delayed vesting); with VestingStart too it unlocks linearly between the two (continuous
// vesting).
type AllocationEntry struct {
	Label        string
	Address      string
	Amount       math.Int
	VestingStart *time.Time
	VestingEnd   *time.Time
}

// allocationJSON is the JSON form of an entry: {"address", "amount", "label"?, "vesting"?}.
type allocationJSON struct {
	Label   string `json:"label,omitempty"`
	Address string `json:"address"`
	Amount  string `json:"amount"`
	Vesting *struct {
		Start string `json:"start,omitempty"`
		End   string `json:"end"`
	} `json:"vesting,omitempty"`
}

// ReadAllocationFile reads a CSV (header: address,amount[,vesting_start,vesting_end][,label])
// or JSON (an array of entries, or {"accounts": [...]}) allocation file. Amounts are integers
// in ubai (a trailing "ubai" is accepted); times are RFC 3339. Lines of a CSV starting with #
// are comments.
func ReadAllocationFile(path string) ([]AllocationEntry, error) {
	bz, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read allocation file: %w", err)
	}
	trimmed := bytes.TrimSpace(bz)
	if strings.EqualFold(filepath.Ext(path), ".json") || (len(trimmed) > 0 && (trimmed[0] == '[' || trimmed[0] == '{')) {
		return parseAllocationJSON(trimmed)
	}
	return parseAllocationCSV(bz)
}

func parseAllocationJSON(bz []byte) ([]AllocationEntry, error) {
	var raw []allocationJSON
	if len(bz) > 0 && bz[0] == '{' {
		var wrapped struct {
			Accounts []allocationJSON `json:"accounts"`
		}
		dec := json.NewDecoder(bytes.NewReader(bz))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&wrapped); err != nil {
			return nil, fmt.Errorf("allocation JSON: %w", err)
		}
		raw = wrapped.Accounts
	} else {
		dec := json.NewDecoder(bytes.NewReader(bz))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("allocation JSON: %w", err)
		}
	}
	entries := make([]AllocationEntry, 0, len(raw))
	for i, r := range raw {
		where := fmt.Sprintf("allocation entry %d", i+1)
		start, end := "", ""
		if r.Vesting != nil {
			start, end = r.Vesting.Start, r.Vesting.End
			if end == "" {
				return nil, fmt.Errorf("%s: vesting needs an end time", where)
			}
		}
		e, err := newAllocationEntry(where, r.Label, r.Address, r.Amount, start, end)
		if err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	return entries, nil
}

func parseAllocationCSV(bz []byte) ([]AllocationEntry, error) {
	r := csv.NewReader(bytes.NewReader(bz))
	r.Comment = '#'
	r.TrimLeadingSpace = true
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("allocation CSV is empty: it needs a header line address,amount[,vesting_start,vesting_end][,label]")
	}
	if err != nil {
		return nil, fmt.Errorf("allocation CSV: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		switch name {
		case "address", "amount", "vesting_start", "vesting_end", "label":
		default:
			return nil, fmt.Errorf("allocation CSV header: unknown column %q (known: address, amount, vesting_start, vesting_end, label)", h)
		}
		if _, dup := col[name]; dup {
			return nil, fmt.Errorf("allocation CSV header: column %q appears twice", name)
		}
		col[name] = i
	}
	for _, need := range []string{"address", "amount"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("allocation CSV header lacks the %q column (header: address,amount[,vesting_start,vesting_end][,label])", need)
		}
	}
	field := func(rec []string, name string) string {
		i, ok := col[name]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	var entries []AllocationEntry
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("allocation CSV: %w", err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) > len(header) {
			return nil, fmt.Errorf("allocation CSV line %d: %d fields, the header has %d", line, len(rec), len(header))
		}
		e, err := newAllocationEntry(fmt.Sprintf("allocation CSV line %d", line),
			field(rec, "label"), field(rec, "address"), field(rec, "amount"), field(rec, "vesting_start"), field(rec, "vesting_end"))
		if err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	return entries, nil
}

func newAllocationEntry(where, label, address, amount, vestingStart, vestingEnd string) (AllocationEntry, error) {
	e := AllocationEntry{Label: label, Address: strings.TrimSpace(address)}
	acc, err := sdk.AccAddressFromBech32(e.Address)
	if err != nil {
		return e, fmt.Errorf("%s: address %q is not a %s1... account address: %w", where, e.Address, app.Bech32PrefixAccAddr, err)
	}
	e.Address = acc.String()
	amt, ok := math.NewIntFromString(strings.TrimSuffix(strings.TrimSpace(amount), app.BondDenom))
	if !ok || !amt.IsPositive() {
		return e, fmt.Errorf("%s: amount %q must be a positive integer amount of %s (1 BAI = 1000000 ubai)", where, amount, app.BondDenom)
	}
	e.Amount = amt
	parse := func(name, v string) (*time.Time, error) {
		if v == "" {
			return nil, nil
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return nil, fmt.Errorf("%s: %s %q is not an RFC 3339 time (e.g. 2026-01-01T00:00:00Z)", where, name, v)
		}
		t = t.UTC()
		return &t, nil
	}
	if e.VestingStart, err = parse("vesting_start", vestingStart); err != nil {
		return e, err
	}
	if e.VestingEnd, err = parse("vesting_end", vestingEnd); err != nil {
		return e, err
	}
	if e.VestingStart != nil && e.VestingEnd == nil {
		return e, fmt.Errorf("%s: vesting_start without vesting_end; give both (linear vesting) or only vesting_end (locked until then)", where)
	}
	if e.VestingStart != nil && !e.VestingStart.Before(*e.VestingEnd) {
		return e, fmt.Errorf("%s: vesting_start %s must be before vesting_end %s", where, e.VestingStart.Format(time.RFC3339), e.VestingEnd.Format(time.RFC3339))
	}
	return e, nil
}

// formatBAI writes an amount of ubai in BAI with up to six decimals: 1 -> "0.000001".
func formatBAI(ubai math.Int) string {
	neg := ubai.IsNegative()
	abs := ubai.Abs()
	unit := math.NewInt(1_000_000)
	whole, frac := abs.Quo(unit), abs.Mod(unit)
	s := whole.String()
	if !frac.IsZero() {
		s += "." + strings.TrimRight(fmt.Sprintf("%06d", frac.Int64()), "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}

// CheckAllocation refuses an allocation that has duplicate accounts or a module account's
// address, vests past nothing or does not sum to exactly the genesis supply (with the
// difference in ubai and BAI).
func CheckAllocation(entries []AllocationEntry, genesisTime time.Time) error {
	if len(entries) == 0 {
		return errors.New("the allocation has no accounts")
	}
	seen := map[string]int{}
	sum := math.ZeroInt()
	modules := app.ModuleAccountNames()
	for i, e := range entries {
		if name, ok := modules[e.Address]; ok {
			return fmt.Errorf("allocation entry %d: %s is the %s module account, which a genesis account cannot be (the chain would not start); allocate to another address",
				i+1, e.Address, name)
		}
		if j, dup := seen[e.Address]; dup {
			return fmt.Errorf("allocation entries %d and %d are both for %s: merge them into one", j+1, i+1, e.Address)
		}
		seen[e.Address] = i
		if e.VestingEnd != nil && !e.VestingEnd.After(genesisTime) {
			return fmt.Errorf("allocation entry %d (%s): vesting_end %s is not after the genesis time %s", i+1, e.Address,
				e.VestingEnd.Format(time.RFC3339), genesisTime.Format(time.RFC3339))
		}
		sum = sum.Add(e.Amount)
	}
	if diff := sum.Sub(GenesisSupply); !diff.IsZero() {
		way := "short of"
		fix := "add"
		if diff.IsPositive() {
			way, fix = "over", "remove"
		}
		return fmt.Errorf("the allocation sums to %s ubai (%s BAI), %s ubai (%s BAI) %s the genesis supply of %s ubai (5,880,000 BAI): %s %s ubai",
			sum, formatBAI(sum), diff.Abs(), formatBAI(diff.Abs()), way, GenesisSupply, fix, diff.Abs())
	}
	return nil
}

// allocationAccounts turns checked entries into genesis accounts and balances, in file order.
func allocationAccounts(entries []AllocationEntry) ([]authtypes.GenesisAccount, []banktypes.Balance, error) {
	accounts := make([]authtypes.GenesisAccount, 0, len(entries))
	balances := make([]banktypes.Balance, 0, len(entries))
	for _, e := range entries {
		addr := sdk.MustAccAddressFromBech32(e.Address)
		coins := sdk.NewCoins(sdk.NewCoin(app.BondDenom, e.Amount))
		base := authtypes.NewBaseAccount(addr, nil, 0, 0)
		var acc authtypes.GenesisAccount = base
		var err error
		switch {
		case e.VestingStart != nil:
			acc, err = vestingtypes.NewContinuousVestingAccount(base, coins, e.VestingStart.Unix(), e.VestingEnd.Unix())
		case e.VestingEnd != nil:
			acc, err = vestingtypes.NewDelayedVestingAccount(base, coins, e.VestingEnd.Unix())
		}
		if err != nil {
			return nil, nil, fmt.Errorf("vesting account %s: %w", e.Address, err)
		}
		if err := acc.Validate(); err != nil {
			return nil, nil, fmt.Errorf("account %s: %w", e.Address, err)
		}
		accounts = append(accounts, acc)
		balances = append(balances, banktypes.Balance{Address: e.Address, Coins: coins})
	}
	return accounts, balances, nil
}
