package app

import (
	"fmt"

	"github.com/spf13/cast"

	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

const (
	// AppName is the name of the application, reported by `baid version` and ABCI Info.
	AppName = "BalanceAI"

	// BondDenom is the base denomination of BAI: 1 BAI = 10^6 ubai.
	BondDenom = "ubai"
	// DisplayDenom is the human-facing denomination.
	DisplayDenom = "bai"
	// DenomExponent is the number of decimals between DisplayDenom and BondDenom.
	DenomExponent = 6

	// CoinType is the BIP-44 coin type used to derive keys.
	CoinType = 118

	// Bech32PrefixAccAddr is the human-readable part of account addresses.
	Bech32PrefixAccAddr = "bai"
)

var (
	// Bech32PrefixAccPub is the prefix of account public keys.
	Bech32PrefixAccPub = Bech32PrefixAccAddr + sdk.PrefixPublic
	// Bech32PrefixValAddr is the prefix of validator operator addresses.
	Bech32PrefixValAddr = Bech32PrefixAccAddr + sdk.PrefixValidator + sdk.PrefixOperator
	// Bech32PrefixValPub is the prefix of validator operator public keys.
	Bech32PrefixValPub = Bech32PrefixAccAddr + sdk.PrefixValidator + sdk.PrefixOperator + sdk.PrefixPublic
	// Bech32PrefixConsAddr is the prefix of validator consensus addresses.
	Bech32PrefixConsAddr = Bech32PrefixAccAddr + sdk.PrefixValidator + sdk.PrefixConsensus
	// Bech32PrefixConsPub is the prefix of validator consensus public keys.
	Bech32PrefixConsPub = Bech32PrefixAccAddr + sdk.PrefixValidator + sdk.PrefixConsensus + sdk.PrefixPublic
)

func init() {
	SetConfig()
}

// SetConfig installs the BalanceAI address prefixes, coin type and default bond denom in the
// global SDK config. It is idempotent and runs when the package is loaded, so every binary and
// test that imports the app uses the same prefixes.
func SetConfig() {
	cfg := sdk.GetConfig()
	if cfg.GetBech32AccountAddrPrefix() == Bech32PrefixAccAddr {
		return
	}
	cfg.SetBech32PrefixForAccount(Bech32PrefixAccAddr, Bech32PrefixAccPub)
	cfg.SetBech32PrefixForValidator(Bech32PrefixValAddr, Bech32PrefixValPub)
	cfg.SetBech32PrefixForConsensusNode(Bech32PrefixConsAddr, Bech32PrefixConsPub)
	cfg.SetCoinType(CoinType)
	cfg.SetPurpose(44)
	sdk.DefaultBondDenom = BondDenom
}

// FlagEagerStoreBranches is an app.toml key (not in the template) that gives every transaction
// the SDK's branches of the stores, which make a cache for each mounted store at once, instead
// of the lazy ones (lazystore.go). Results are the same either way; it is a diagnostic switch.
const FlagEagerStoreBranches = "eager-store-branches"

// App.toml keys of the verified-signature cache.
const (
	FlagSigCacheEnable = "sig-cache.enable"
	FlagSigCacheSize   = "sig-cache.size"
)

const (
	// DefaultSigCacheSize is the default number of verified signatures a node remembers: well
	// above what a full mempool and a few blocks hold, about 15 MB (some 150 bytes an entry).
	DefaultSigCacheSize = 100_000
	// MaxSigCacheSize caps sig-cache.size (about 300 MB of memory).
	MaxSigCacheSize = 2_000_000
)

// SigCacheConfig is the [sig-cache] section of app.toml.
type SigCacheConfig struct {
	// Enable turns the verified-signature cache on.
	Enable bool `mapstructure:"enable"`
	// Size is the number of verified signatures kept (least recently used evicted first).
	Size int `mapstructure:"size"`
}

// DefaultSigCacheConfig is the cache on, with DefaultSigCacheSize entries.
func DefaultSigCacheConfig() SigCacheConfig {
	return SigCacheConfig{Enable: true, Size: DefaultSigCacheSize}
}

// SigCacheConfigTemplate is the app.toml template of the [sig-cache] section; it reads a
// config struct with a SigCache field.
const SigCacheConfigTemplate = `
###############################################################################
###                     Verified-signature cache                            ###
###############################################################################

[sig-cache]

# Remember the transaction signatures this node verified successfully (in CheckTx), so a
# transaction is not verified a second time when its block is finalized. Node-local memory
# only: results, gas and state are the same with it on or off.
enable = {{ .SigCache.Enable }}

# Number of verified signatures kept, least recently used evicted first: about 150 bytes
# each (100000 is about 15 MB); at most 2000000.
size = {{ .SigCache.Size }}
`

// SigCacheConfigFromAppOptions reads the [sig-cache] section; a missing key keeps its default
// (so an app.toml written before the section existed runs with the cache on).
func SigCacheConfigFromAppOptions(appOpts servertypes.AppOptions) (SigCacheConfig, error) {
	cfg := DefaultSigCacheConfig()
	if v := appOpts.Get(FlagSigCacheEnable); v != nil {
		enable, err := cast.ToBoolE(v)
		if err != nil {
			return cfg, fmt.Errorf("app.toml %s: %w", FlagSigCacheEnable, err)
		}
		cfg.Enable = enable
	}
	if v := appOpts.Get(FlagSigCacheSize); v != nil {
		size, err := cast.ToIntE(v)
		if err != nil {
			return cfg, fmt.Errorf("app.toml %s: %w", FlagSigCacheSize, err)
		}
		cfg.Size = size
	}
	if cfg.Enable && (cfg.Size <= 0 || cfg.Size > MaxSigCacheSize) {
		return cfg, fmt.Errorf("app.toml %s must be between 1 and %d when %s is true, got %d",
			FlagSigCacheSize, MaxSigCacheSize, FlagSigCacheEnable, cfg.Size)
	}
	return cfg, nil
}

// FlagInvariantsQueryGasLimit is the app.toml key that bounds one run of the invariants query.
const FlagInvariantsQueryGasLimit = "invariants.query-gas-limit"

// DefaultInvariantsQueryGasLimit bounds the store reads of one invariants query: some 150,000
// records read (1,000 gas a read, 30 a step of an iteration, 3 a byte).
const DefaultInvariantsQueryGasLimit = 150_000_000

// InvariantsConfig is the [invariants] section of app.toml.
type InvariantsConfig struct {
	// QueryGasLimit bounds the store reads of one run of the invariants query; 0 is no bound.
	QueryGasLimit uint64 `mapstructure:"query-gas-limit"`
}

// DefaultInvariantsConfig is a run bounded by DefaultInvariantsQueryGasLimit.
func DefaultInvariantsConfig() InvariantsConfig {
	return InvariantsConfig{QueryGasLimit: DefaultInvariantsQueryGasLimit}
}

// InvariantsConfigTemplate is the app.toml template of the [invariants] section; it reads a
// config struct with an Invariants field.
const InvariantsConfigTemplate = `
###############################################################################
###                     Invariants query                                    ###
###############################################################################

[invariants]

# Gas that one run of the invariants query (baid q invariants, GET
# /balanceai/invariants/v1/invariants) may spend reading the store: the invariants walk every
# module's records and anyone who reaches this node's gRPC, REST or RPC can ask. A state that
# needs more is refused (ResourceExhausted) instead of walked. 0 is no bound.
query-gas-limit = {{ .Invariants.QueryGasLimit }}
`

// InvariantsConfigFromAppOptions reads the [invariants] section; a missing key keeps its default.
func InvariantsConfigFromAppOptions(appOpts servertypes.AppOptions) (InvariantsConfig, error) {
	cfg := DefaultInvariantsConfig()
	if v := appOpts.Get(FlagInvariantsQueryGasLimit); v != nil {
		limit, err := cast.ToUint64E(v)
		if err != nil {
			return cfg, fmt.Errorf("app.toml %s: %w", FlagInvariantsQueryGasLimit, err)
		}
		cfg.QueryGasLimit = limit
	}
	return cfg, nil
}

// NewSigCacheFromAppOptions returns the signature cache app.toml asks for, or nil when it is off.
func NewSigCacheFromAppOptions(appOpts servertypes.AppOptions) (*SigCache, error) {
	cfg, err := SigCacheConfigFromAppOptions(appOpts)
	if err != nil || !cfg.Enable {
		return nil, err
	}
	return NewSigCache(cfg.Size), nil
}
