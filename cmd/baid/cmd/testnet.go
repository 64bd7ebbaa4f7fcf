package cmd

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	cmtconfig "github.com/cometbft/cometbft/config"
	cmttime "github.com/cometbft/cometbft/types/time"
	"github.com/spf13/cobra"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	srvconfig "github.com/cosmos/cosmos-sdk/server/config"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"github.com/cosmos/cosmos-sdk/x/genutil"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/balanceai/balanceai/app"
	emissiontypes "github.com/balanceai/balanceai/x/emission/types"
)

const (
	flagNumValidators   = "v"
	flagOutputDir       = "output-dir"
	flagStartingIP      = "starting-ip-address"
	flagSingleHost      = "single-host"
	flagHostnamePrefix  = "hostname-prefix"
	flagValidatorStake  = "validator-stake"
	flagAccountBalance  = "account-balance"
	flagCommitTimeout   = "commit-timeout"
	flagMinGasPrices    = "minimum-gas-prices"
	defaultLocalChainID = "balanceai-localnet"
)

// Port layout of node i on a single host: every port moves by 100 per node.
const (
	baseP2PPort  = 26656
	baseRPCPort  = 26657
	baseAPIPort  = 1317
	baseGRPCPort = 9090
	basePprof    = 6060
	portStep     = 100
)

type testnetArgs struct {
	outputDir      string
	chainID        string
	keyringBackend string
	algo           string
	startingIP     string
	hostnamePrefix string
	singleHost     bool
	numValidators  int
	validatorStake math.Int
	accountBalance math.Int
	commitTimeout  time.Duration
	minGasPrices   string
}

// NewTestnetCmd returns `baid testnet`, which generates the files of a multi-validator network.
func NewTestnetCmd(basics module.BasicManager) *cobra.Command {
	cmd := &cobra.Command{
		Use:                        "testnet",
		Short:                      "Generate the files of a local multi-validator network",
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(testnetInitFilesCmd(basics))
	return cmd
}

func testnetInitFilesCmd(basics module.BasicManager) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "init-files",
		Short: "Initialise the home folders, keys and shared genesis of N validators",
		Long: `Creates one home folder per validator (<output-dir>/node0, node1, ...) with its node and
validator keys, a test keyring holding the validator's account (mnemonic in key_seed.json),
config.toml/app.toml, and one genesis in which every validator has the same stake.

With --single-host (the default) every node listens on 127.0.0.1 and node i uses
P2P 26656+100*i, RPC 26657+100*i, REST 1317+100*i and gRPC 9090+100*i. Without it every node
uses the default ports and peers reach each other at <hostname-prefix><i> (docker-compose).`,
		Example: `  baid testnet init-files --v 4 --output-dir ./.localnet --chain-id balanceai-localnet
  baid testnet init-files --v 4 --output-dir ./build/docker --single-host=false --hostname-prefix node --commit-timeout 1s`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			f := cmd.Flags()
			args := testnetArgs{}
			args.outputDir, _ = f.GetString(flagOutputDir)
			args.chainID, _ = f.GetString(flags.FlagChainID)
			args.keyringBackend, _ = f.GetString(flags.FlagKeyringBackend)
			args.algo, _ = f.GetString(flags.FlagKeyType)
			args.startingIP, _ = f.GetString(flagStartingIP)
			args.hostnamePrefix, _ = f.GetString(flagHostnamePrefix)
			args.singleHost, _ = f.GetBool(flagSingleHost)
			args.numValidators, _ = f.GetInt(flagNumValidators)
			args.commitTimeout, _ = f.GetDuration(flagCommitTimeout)
			args.minGasPrices, _ = f.GetString(flagMinGasPrices)
			stake, _ := f.GetString(flagValidatorStake)
			balance, _ := f.GetString(flagAccountBalance)
			var ok bool
			if args.validatorStake, ok = math.NewIntFromString(stake); !ok || !args.validatorStake.IsPositive() {
				return fmt.Errorf("--%s must be a positive integer amount of %s, got %q", flagValidatorStake, app.BondDenom, stake)
			}
			if args.accountBalance, ok = math.NewIntFromString(balance); !ok || args.accountBalance.LT(args.validatorStake) {
				return fmt.Errorf("--%s must be an integer amount of %s of at least the validator stake, got %q", flagAccountBalance, app.BondDenom, balance)
			}
			if args.numValidators < 1 {
				return fmt.Errorf("--%s must be at least 1", flagNumValidators)
			}
			if args.validatorStake.LT(sdk.DefaultPowerReduction) {
				return fmt.Errorf("--%s %s%s gives no voting power: a validator needs at least %s%s (1 BAI)",
					flagValidatorStake, args.validatorStake, app.BondDenom, sdk.DefaultPowerReduction, app.BondDenom)
			}
			if total := args.accountBalance.MulRaw(int64(args.numValidators)); total.GT(emissiontypes.MaxSupply) {
				return fmt.Errorf("%d accounts of %s%s hold %s%s, above the %s%s (21,000,000 BAI) supply cap: lower --%s or --%s",
					args.numValidators, args.accountBalance, app.BondDenom, total, app.BondDenom, emissiontypes.MaxSupply, app.BondDenom,
					flagAccountBalance, flagNumValidators)
			}
			if args.chainID == "" {
				args.chainID = defaultLocalChainID
			}
			return initTestnetFiles(cmd, clientCtx, basics, args)
		},
	}
	f := cmd.Flags()
	f.Int(flagNumValidators, 4, "number of validators")
	f.String(flagOutputDir, "./.localnet", "folder that receives node0, node1, ...")
	f.String(flags.FlagChainID, defaultLocalChainID, "chain id")
	f.String(flags.FlagKeyringBackend, keyring.BackendTest, "keyring backend of the validator keys (os|file|test)")
	f.String(flags.FlagKeyType, string(hd.Secp256k1Type), "key signing algorithm")
	f.String(flagStartingIP, "127.0.0.1", "IP address of node0 when not on a single host (incremented per node)")
	f.Bool(flagSingleHost, true, "run every node on 127.0.0.1 with ports offset by 100 per node")
	f.String(flagHostnamePrefix, "", "with --single-host=false, peers are addressed as <prefix><i> instead of IP addresses")
	f.String(flagValidatorStake, "100000000000", "self-delegation of each validator, in ubai (equal for all)")
	f.String(flagAccountBalance, "1000000000000", "genesis balance of each validator account, in ubai")
	f.Duration(flagCommitTimeout, DefaultTimeoutCommit, "consensus timeout_commit of the generated configs")
	f.String(flagMinGasPrices, DefaultMinGasPrices, "minimum gas prices of the generated app.toml")
	return cmd
}

func nodeHost(a testnetArgs, i int) (string, error) {
	if a.singleHost {
		return "127.0.0.1", nil
	}
	if a.hostnamePrefix != "" {
		return fmt.Sprintf("%s%d", a.hostnamePrefix, i), nil
	}
	ip := net.ParseIP(a.startingIP).To4()
	if ip == nil {
		return "", fmt.Errorf("--%s %q is not an IPv4 address", flagStartingIP, a.startingIP)
	}
	ip = append(net.IP(nil), ip...)
	ip[3] += byte(i)
	return ip.String(), nil
}

func portOffset(a testnetArgs, i int) int {
	if a.singleHost {
		return portStep * i
	}
	return 0
}

func initTestnetFiles(cmd *cobra.Command, clientCtx client.Context, basics module.BasicManager, a testnetArgs) error {
	nodeIDs := make([]string, a.numValidators)
	nodeConfigs := make([]*cmtconfig.Config, a.numValidators)
	valPubKeys := make([]cryptotypes.PubKey, a.numValidators)
	var genAccounts []authtypes.GenesisAccount
	var genBalances []banktypes.Balance
	var genFiles []string
	inBuf := bufio.NewReader(cmd.InOrStdin())
	gentxsDir := filepath.Join(a.outputDir, "gentxs")

	appTemplate, appCfgAny := initAppConfig()
	appCfg := appCfgAny.(AppConfig)
	appCfg.MinGasPrices = a.minGasPrices

	for i := 0; i < a.numValidators; i++ {
		name := fmt.Sprintf("node%d", i)
		nodeDir := filepath.Join(a.outputDir, name)
		host, err := nodeHost(a, i)
		if err != nil {
			return err
		}
		off := portOffset(a, i)
		listen := "0.0.0.0"
		if a.singleHost {
			listen = "127.0.0.1"
		}

		nodeConfig := initCometBFTConfig()
		nodeConfig.SetRoot(nodeDir)
		nodeConfig.Moniker = name
		nodeConfig.Consensus.TimeoutCommit = a.commitTimeout
		nodeConfig.P2P.ListenAddress = fmt.Sprintf("tcp://%s:%d", listen, baseP2PPort+off)
		nodeConfig.RPC.ListenAddress = fmt.Sprintf("tcp://%s:%d", listen, baseRPCPort+off)
		nodeConfig.RPC.PprofListenAddress = fmt.Sprintf("127.0.0.1:%d", basePprof+off)
		nodeConfig.P2P.AddrBookStrict = false
		nodeConfig.P2P.AllowDuplicateIP = true
		nodeConfig.Instrumentation.Prometheus = false
		nodeConfigs[i] = nodeConfig

		if err := os.MkdirAll(filepath.Join(nodeDir, "config"), 0o755); err != nil {
			return err
		}
		nodeIDs[i], valPubKeys[i], err = genutil.InitializeNodeValidatorFiles(nodeConfig)
		if err != nil {
			return err
		}
		memo := fmt.Sprintf("%s@%s:%d", nodeIDs[i], host, baseP2PPort+off)
		genFiles = append(genFiles, nodeConfig.GenesisFile())

		kb, err := keyring.New(sdk.KeyringServiceName(), a.keyringBackend, nodeDir, inBuf, clientCtx.Codec)
		if err != nil {
			return err
		}
		keyringAlgos, _ := kb.SupportedAlgorithms()
		algo, err := keyring.NewSigningAlgoFromString(a.algo, keyringAlgos)
		if err != nil {
			return err
		}
		addr, secret, err := testutil.GenerateSaveCoinKey(kb, name, "", true, algo)
		if err != nil {
			return err
		}
		seed, err := json.Marshal(map[string]string{"name": name, "address": addr.String(), "secret": secret})
		if err != nil {
			return err
		}
		if err := writeFile(filepath.Join(nodeDir, "key_seed.json"), seed); err != nil {
			return err
		}

		genBalances = append(genBalances, banktypes.Balance{
			Address: addr.String(),
			Coins:   sdk.NewCoins(sdk.NewCoin(app.BondDenom, a.accountBalance)),
		})
		genAccounts = append(genAccounts, authtypes.NewBaseAccount(addr, nil, 0, 0))

		valAddr, err := clientCtx.TxConfig.SigningContext().ValidatorAddressCodec().BytesToString(addr)
		if err != nil {
			return err
		}
		createValMsg, err := stakingtypes.NewMsgCreateValidator(
			valAddr, valPubKeys[i], sdk.NewCoin(app.BondDenom, a.validatorStake),
			stakingtypes.NewDescription(name, "", "", "", ""),
			stakingtypes.NewCommissionRates(math.LegacyNewDecWithPrec(10, 2), math.LegacyNewDecWithPrec(20, 2), math.LegacyNewDecWithPrec(1, 2)),
			math.OneInt(),
		)
		if err != nil {
			return err
		}
		txBuilder := clientCtx.TxConfig.NewTxBuilder()
		if err := txBuilder.SetMsgs(createValMsg); err != nil {
			return err
		}
		txBuilder.SetMemo(memo)
		txFactory := tx.Factory{}.
			WithChainID(a.chainID).
			WithMemo(memo).
			WithKeybase(kb).
			WithTxConfig(clientCtx.TxConfig)
		if err := tx.Sign(cmd.Context(), txFactory, name, txBuilder, true); err != nil {
			return err
		}
		txBz, err := clientCtx.TxConfig.TxJSONEncoder()(txBuilder.GetTx())
		if err != nil {
			return err
		}
		if err := writeFile(filepath.Join(gentxsDir, name+".json"), txBz); err != nil {
			return err
		}

		nodeAppCfg := appCfg
		nodeAppCfg.API.Address = fmt.Sprintf("tcp://%s:%d", listen, baseAPIPort+off)
		nodeAppCfg.GRPC.Address = fmt.Sprintf("%s:%d", listen, baseGRPCPort+off)
		srvconfig.SetConfigTemplate(appTemplate)
		srvconfig.WriteConfigFile(filepath.Join(nodeDir, "config", "app.toml"), &nodeAppCfg)
	}

	if err := initGenFiles(clientCtx, basics, a.chainID, genAccounts, genBalances, genFiles); err != nil {
		return err
	}
	if err := collectGenFiles(clientCtx, a, nodeConfigs, nodeIDs, valPubKeys, gentxsDir); err != nil {
		return err
	}
	cmd.PrintErrf("Successfully initialized %d node directories in %s\n", a.numValidators, a.outputDir)
	return nil
}

// initGenFiles writes the same genesis, with every account and balance, to every node.
func initGenFiles(
	clientCtx client.Context, basics module.BasicManager, chainID string,
	genAccounts []authtypes.GenesisAccount, genBalances []banktypes.Balance, genFiles []string,
) error {
	appGenState := basics.DefaultGenesis(clientCtx.Codec)

	var authGenState authtypes.GenesisState
	clientCtx.Codec.MustUnmarshalJSON(appGenState[authtypes.ModuleName], &authGenState)
	accounts, err := authtypes.PackAccounts(genAccounts)
	if err != nil {
		return err
	}
	authGenState.Accounts = accounts
	appGenState[authtypes.ModuleName] = clientCtx.Codec.MustMarshalJSON(&authGenState)

	var bankGenState banktypes.GenesisState
	clientCtx.Codec.MustUnmarshalJSON(appGenState[banktypes.ModuleName], &bankGenState)
	bankGenState.Balances = banktypes.SanitizeGenesisBalances(genBalances)
	supply := sdk.NewCoins()
	for _, b := range bankGenState.Balances {
		supply = supply.Add(b.Coins...)
	}
	bankGenState.Supply = supply
	appGenState[banktypes.ModuleName] = clientCtx.Codec.MustMarshalJSON(&bankGenState)

	appGenStateJSON, err := json.MarshalIndent(appGenState, "", "  ")
	if err != nil {
		return err
	}
	genDoc := genutiltypes.NewAppGenesisWithVersion(chainID, appGenStateJSON)
	for _, f := range genFiles {
		if err := genDoc.SaveAs(f); err != nil {
			return err
		}
	}
	return nil
}

// collectGenFiles adds the gentxs to every node's genesis and sets the persistent peers.
func collectGenFiles(clientCtx client.Context, a testnetArgs, nodeConfigs []*cmtconfig.Config, nodeIDs []string, valPubKeys []cryptotypes.PubKey, gentxsDir string) error {
	var appState json.RawMessage
	genTime := cmttime.Now()
	valAddrCodec := clientCtx.TxConfig.SigningContext().ValidatorAddressCodec()

	for i := 0; i < a.numValidators; i++ {
		nodeConfig := nodeConfigs[i]
		initCfg := genutiltypes.NewInitConfig(a.chainID, gentxsDir, nodeIDs[i], valPubKeys[i])
		appGenesis, err := genutiltypes.AppGenesisFromFile(nodeConfig.GenesisFile())
		if err != nil {
			return err
		}
		nodeAppState, err := genutil.GenAppStateFromConfig(
			clientCtx.Codec, clientCtx.TxConfig, nodeConfig, initCfg, appGenesis,
			banktypes.GenesisBalancesIterator{}, genutiltypes.DefaultMessageValidator, valAddrCodec,
		)
		if err != nil {
			return err
		}
		if appState == nil {
			// Every node gets node0's app state, so all genesis files are identical.
			appState = nodeAppState
		}
		if err := genutil.ExportGenesisFileWithTime(nodeConfig.GenesisFile(), a.chainID, nil, appState, genTime); err != nil {
			return err
		}
		cmtconfig.WriteConfigFile(filepath.Join(nodeConfig.RootDir, "config", "config.toml"), nodeConfig)
	}
	return nil
}

func writeFile(path string, contents []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, contents, 0o600)
}
