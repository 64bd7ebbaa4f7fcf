package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module name; also the name of its module account (Minter, Burner).
	ModuleName = "emission"
	// StoreKey is the KV store key.
	StoreKey = ModuleName
)

var (
	// ParamsKey holds the Params item.
	ParamsKey = collections.NewPrefix(0)
	// StateKey holds the State item.
	StateKey = collections.NewPrefix(1)
	// RecordedBurnsKey holds the RecordedBurns map: source -> total burned of the mint denom, for
	// the modules that keep no total of their own (x/staking, x/gov).
	RecordedBurnsKey = collections.NewPrefix(2)
)
