package cmd

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/spf13/viper"
	"github.com/stretchr/testify/require"

	serverconfig "github.com/cosmos/cosmos-sdk/server/config"

	"github.com/balanceai/balanceai/app"
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
