package app

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/core/address"

	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
)

// The remembering codec converts as the SDK's bech32 codec does, the first time and every time
// after; a caller changing the bytes it got changes no later answer; a refused string is refused
// again with the same error; the remembered conversions stay bounded.
func TestAddressCodecConvertsAsTheSDKCodec(t *testing.T) {
	c := newAddressCodec(Bech32PrefixAccAddr)
	sdkCodec := addresscodec.NewBech32Codec(Bech32PrefixAccAddr)
	for i := 0; i < 20; i++ {
		bz := secp256k1.GenPrivKey().PubKey().Address().Bytes()
		if i%2 == 1 {
			bz = append(bz, make([]byte, 12)...) // 32-byte module and contract addresses
		}
		want, err := sdkCodec.BytesToString(bz)
		require.NoError(t, err)
		for round := 0; round < 2; round++ {
			got, err := c.BytesToString(bz)
			require.NoError(t, err)
			require.Equal(t, want, got)
			back, err := c.StringToBytes(want)
			require.NoError(t, err)
			require.Equal(t, bz, back)
			back[0] ^= 0xff // the caller's own copy
		}
	}

	refused := []string{
		"", "   ", "bai1", "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu",
		"bai1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xx", // checksum
	}
	for _, text := range refused {
		_, wantErr := sdkCodec.StringToBytes(text)
		require.Error(t, wantErr, text)
		for round := 0; round < 2; round++ {
			_, err := c.StringToBytes(text)
			require.EqualError(t, err, wantErr.Error(), text)
		}
	}
	empty, err := c.BytesToString(nil)
	require.NoError(t, err)
	require.Empty(t, empty)

	require.LessOrEqual(t, c.bytes.len(), 2*addressConversionsPerGeneration)
	require.Equal(t, 20, c.bytes.len())
	require.Equal(t, 20, c.strings.len())

	// Addresses of other lengths (up to the SDK's 255 bytes, made up by anyone in a query)
	// convert as the SDK's, and are not remembered: the bound above holds in bytes too.
	for _, n := range []int{1, 19, 21, 31, 33, 64, 255} {
		bz := make([]byte, n)
		bz[0] = byte(n)
		want, err := sdkCodec.BytesToString(bz)
		require.NoError(t, err)
		got, err := c.BytesToString(bz)
		require.NoError(t, err)
		require.Equal(t, want, got)
		back, err := c.StringToBytes(want)
		require.NoError(t, err)
		require.Equal(t, bz, back)
	}
	require.Equal(t, 20, c.bytes.len())
	require.Equal(t, 20, c.strings.len())
}

// RemembersConversions reports whether c is the app's remembering address codec.
func RemembersConversions(c address.Codec) bool {
	_, ok := c.(*addressCodec)
	return ok
}
