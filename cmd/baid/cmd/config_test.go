package cmd

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/spf13/viper"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/server"
	serverconfig "github.com/cosmos/cosmos-sdk/server/config"

	"github.com/balanceai/balanceai/app"
	"github.com/balanceai/balanceai/dashboard"
)

// A new node's app.toml has the [sig-cache] section, on by default, and the app reads it back.
func TestAppTomlSigCacheSection(t *testing.T) {
	tmpl, cfgAny := initAppConfig()
	cfg, ok := cfgAny.(AppConfig)
	require.True(t, ok)
	require.Equal(t, app.DefaultSigCacheConfig(), cfg.SigCache)
	require.Equal(t, DefaultMinGasPrices, cfg.MinGasPrices)

	path := filepath.Join(t.TempDir(), "app.toml")
	serverconfig.SetConfigTemplate(tmpl)
	serverconfig.WriteConfigFile(path, &cfg)
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Contains(t, string(raw), "[sig-cache]")

	v := viper.New()
	v.SetConfigFile(path)
	require.NoError(t, v.ReadInConfig())
	got, err := app.SigCacheConfigFromAppOptions(v)
	require.NoError(t, err)
	require.Equal(t, app.SigCacheConfig{Enable: true, Size: app.DefaultSigCacheSize}, got)
	require.Equal(t, DefaultMinGasPrices, v.GetString("minimum-gas-prices"))
	require.Equal(t, uint64(DefaultQueryGasLimit), v.GetUint64(server.FlagQueryGasLimit))

	// An operator turning it off.
	cfg.SigCache.Enable = false
	serverconfig.WriteConfigFile(path, &cfg)
	v = viper.New()
	v.SetConfigFile(path)
	require.NoError(t, v.ReadInConfig())
	cache, err := app.NewSigCacheFromAppOptions(v)
	require.NoError(t, err)
	require.Nil(t, cache)
}

// A new node's app.toml has the [dashboard] section, on by default, and the app reads it back.
func TestAppTomlDashboardSection(t *testing.T) {
	tmpl, cfgAny := initAppConfig()
	cfg, ok := cfgAny.(AppConfig)
	require.True(t, ok)
	require.Equal(t, dashboard.DefaultConfig(), cfg.Dashboard)

	path := filepath.Join(t.TempDir(), "app.toml")
	serverconfig.SetConfigTemplate(tmpl)
	serverconfig.WriteConfigFile(path, &cfg)
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Contains(t, string(raw), "[dashboard]")

	v := viper.New()
	v.SetConfigFile(path)
	require.NoError(t, v.ReadInConfig())
	got, err := dashboard.OptionsFromAppOptions(v)
	require.NoError(t, err)
	require.True(t, got.Enable)
	require.Empty(t, got.RPCAddress)

	// An operator turning it off and naming the public RPC address.
	cfg.Dashboard = dashboard.Config{Enable: false, RPCAddress: "https://rpc.example.org"}
	serverconfig.WriteConfigFile(path, &cfg)
	v = viper.New()
	v.SetConfigFile(path)
	require.NoError(t, v.ReadInConfig())
	got, err = dashboard.OptionsFromAppOptions(v)
	require.NoError(t, err)
	require.False(t, got.Enable)
	require.Equal(t, "https://rpc.example.org", got.RPCAddress)
}
