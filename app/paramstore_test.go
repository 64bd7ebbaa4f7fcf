package app

import (
	"reflect"
	"testing"
	"time"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"
)

// ConsensusParamsDecodes is how many times BaseApp's consensus parameter store decoded the
// stored parameters.
func (app *App) ConsensusParamsDecodes() uint64 { return app.consensusParams.decodes.Load() }

// A clone has every field of the original and shares nothing with it. The original sets every
// field of ConsensusParams, so a field added to it fails here until the clone copies it.
func TestCloneConsensusParamsCopiesEverything(t *testing.T) {
	cp := cmtproto.ConsensusParams{
		Block:     &cmtproto.BlockParams{MaxBytes: 1, MaxGas: 2},
		Evidence:  &cmtproto.EvidenceParams{MaxAgeNumBlocks: 3, MaxAgeDuration: time.Hour, MaxBytes: 4},
		Validator: &cmtproto.ValidatorParams{PubKeyTypes: []string{"ed25519", "secp256k1"}},
		Version:   &cmtproto.VersionParams{App: 5},
		Abci:      &cmtproto.ABCIParams{VoteExtensionsEnableHeight: 6},
	}
	v := reflect.ValueOf(cp)
	for i := 0; i < v.NumField(); i++ {
		require.False(t, v.Field(i).IsZero(), "the original sets %s", v.Type().Field(i).Name)
	}
	clone := cloneConsensusParams(cp)
	require.Equal(t, cp, clone)
	c := reflect.ValueOf(clone)
	for i := 0; i < v.NumField(); i++ {
		require.NotEqual(t, v.Field(i).Pointer(), c.Field(i).Pointer(), "%s is shared", v.Type().Field(i).Name)
	}
	clone.Validator.PubKeyTypes[0] = "changed"
	require.Equal(t, "ed25519", cp.Validator.PubKeyTypes[0])
	require.Equal(t, cmtproto.ConsensusParams{}, cloneConsensusParams(cmtproto.ConsensusParams{}))
}
