package cmd

import (
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"

	serverconfig "github.com/cosmos/cosmos-sdk/server/config"

	"github.com/balanceai/balanceai/app"
	"github.com/balanceai/balanceai/dashboard"
)

// DefaultMinGasPrices is the minimum gas price every new node's app.toml asks for.
const DefaultMinGasPrices = "0.0025" + app.BondDenom

// DefaultQueryGasLimit bounds the store reads of one query over gRPC, REST or CometBFT's
// abci_query (app.toml query-gas-limit; the SDK's default, 0, is no bound): at 3 gas a byte
// read (and 30 an entry walked), about 100 MB of keys and values, some 800,000 accounts or
// usage records, under half a second from a warm store. A count_total (which a list query
// without a limit asks for, as in the SDK) or a filter over more records is refused ("Query gas
// limit exceeded") instead of walked; over abci_query that walk would hold the lock block
// execution takes.
const DefaultQueryGasLimit = 300_000_000

// DefaultTimeoutCommit is the commit timeout of generated configs: with the ~1 s the consensus
// rounds take on a real network it gives the 12 s blocks of mainnet and testnet.
const DefaultTimeoutCommit = 11 * time.Second

// initCometBFTConfig returns the CometBFT config of new nodes.
func initCometBFTConfig() *cmtcfg.Config {
	cfg := cmtcfg.DefaultConfig()
	cfg.Consensus.TimeoutCommit = DefaultTimeoutCommit
	return cfg
}

// AppConfig is app.toml: the SDK's server config and BalanceAI's own sections.
type AppConfig struct {
	serverconfig.Config `mapstructure:",squash"`

	SigCache app.SigCacheConfig `mapstructure:"sig-cache"`

	Invariants app.InvariantsConfig `mapstructure:"invariants"`

	Dashboard dashboard.Config `mapstructure:"dashboard"`
}

// initAppConfig returns the app.toml template and defaults of new nodes: API, gRPC and the
// gRPC-gateway on, a non-zero minimum gas price, queries bounded, the verified-signature cache
// on, the invariants query bounded and the BAI dashboard served at /dashboard/.
func initAppConfig() (string, interface{}) {
	srvCfg := serverconfig.DefaultConfig()
	srvCfg.MinGasPrices = DefaultMinGasPrices
	srvCfg.QueryGasLimit = DefaultQueryGasLimit
	srvCfg.API.Enable = true
	srvCfg.API.Swagger = true
	srvCfg.API.EnableUnsafeCORS = false
	srvCfg.GRPC.Enable = true
	srvCfg.GRPCWeb.Enable = true
	return serverconfig.DefaultConfigTemplate + app.SigCacheConfigTemplate + app.InvariantsConfigTemplate + dashboard.ConfigTemplate,
		AppConfig{Config: *srvCfg, SigCache: app.DefaultSigCacheConfig(), Invariants: app.DefaultInvariantsConfig(), Dashboard: dashboard.DefaultConfig()}
}
