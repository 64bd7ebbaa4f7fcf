package app

import (
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
