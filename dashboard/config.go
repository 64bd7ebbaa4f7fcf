package dashboard

import (
	"fmt"
	"strings"

	sdkmath "cosmossdk.io/math"
	"github.com/spf13/cast"

	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// App.toml keys of the dashboard.
const (
	FlagEnable     = "dashboard.enable"
	FlagRPCAddress = "dashboard.rpc-address"
	// flagRPCListen is config.toml's rpc.laddr (the server's options hold both files).
	flagRPCListen = "rpc.laddr"
)

// Config is the [dashboard] section of app.toml.
type Config struct {
	// Enable serves the dashboard at /dashboard/ on the API server.
	Enable bool `mapstructure:"enable"`
	// RPCAddress is the CometBFT RPC URL browsers should use (empty: the host name the page was
	// requested with and the port of rpc.laddr).
	RPCAddress string `mapstructure:"rpc-address"`
}

// DefaultConfig is the dashboard on, with the RPC address derived from each request.
func DefaultConfig() Config {
	return Config{Enable: true}
}

// ConfigTemplate is the app.toml template of the [dashboard] section; it reads a config struct
// with a Dashboard field.
const ConfigTemplate = `
###############################################################################
###                           BAI dashboard                                 ###
###############################################################################

[dashboard]

# Serve the BAI dashboard (a web app embedded in baid) at /dashboard/ on the API server (the
# [api] section must be enabled). It reads the same REST API the server answers.
enable = {{ .Dashboard.Enable }}

# The CometBFT RPC address browsers should use, e.g. "https://rpc.example.com". Empty: the
# host name the page was requested with and the port of config.toml's rpc.laddr.
rpc-address = "{{ .Dashboard.RPCAddress }}"
`

// Options is what the dashboard handler needs from the node.
type Options struct {
	Config
	// RPCListen is config.toml's rpc.laddr (tcp://host:port).
	RPCListen string
	// ChainID returns the chain id (read at each request).
	ChainID func() string
	// GasPrice is what the dashboard's transactions pay per unit of gas: GasPrice, or this
	// node's minimum-gas-prices in Denom when it asks for more (else the node would refuse them).
	GasPrice string
}

// flagMinGasPrices is app.toml's minimum-gas-prices.
const flagMinGasPrices = "minimum-gas-prices"

// gasPriceFor is the higher of GasPrice and the Denom entry of a node's minimum gas prices
// ("0.01ubai,1uother"), as CosmJS reads a gas price ("0.01ubai").
func gasPriceFor(minGasPrices string) string {
	def := sdkmath.LegacyMustNewDecFromStr(strings.TrimSuffix(GasPrice, Denom))
	prices, err := sdk.ParseDecCoins(minGasPrices)
	if err != nil {
		return GasPrice
	}
	if p := prices.AmountOf(Denom); p.GT(def) {
		amount := strings.TrimRight(strings.TrimRight(p.String(), "0"), ".")
		return amount + Denom
	}
	return GasPrice
}

// OptionsFromAppOptions reads the [dashboard] section and rpc.laddr; a missing key keeps its
// default (so an app.toml written before the section existed serves the dashboard).
func OptionsFromAppOptions(appOpts servertypes.AppOptions) (Options, error) {
	cfg := DefaultConfig()
	if v := appOpts.Get(FlagEnable); v != nil {
		enable, err := cast.ToBoolE(v)
		if err != nil {
			return Options{}, fmt.Errorf("app.toml %s: %w", FlagEnable, err)
		}
		cfg.Enable = enable
	}
	if v := appOpts.Get(FlagRPCAddress); v != nil {
		addr, err := cast.ToStringE(v)
		if err != nil {
			return Options{}, fmt.Errorf("app.toml %s: %w", FlagRPCAddress, err)
		}
		cfg.RPCAddress = addr
	}
	return Options{Config: cfg, RPCListen: cast.ToString(appOpts.Get(flagRPCListen)),
		GasPrice: gasPriceFor(cast.ToString(appOpts.Get(flagMinGasPrices)))}, nil
}
