package app

import (
	"strings"
	"sync"

	"cosmossdk.io/core/address"

	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
)

// addressConversionsPerGeneration bounds each direction of an address codec's remembered
// conversions: at most two generations of this many addresses (about 100 bytes each with the
// maps' overhead), under 4 MB per direction.
const addressConversionsPerGeneration = 16_384

// rememberedAddress reports whether a conversion of an address of n bytes is remembered: the
// lengths accounts and validators have (20 bytes; 32 for module-derived accounts). Any other
// length the SDK accepts (up to 255 bytes) is converted each time, so that addresses anyone
// can make up in a query cannot take more than the bound above.
func rememberedAddress(n int) bool { return n == 20 || n == 32 }

// addressCodec is the SDK's bech32 codec with its conversions remembered. Every transaction
// turns the same few addresses from bech32 back into bytes several times: its signers (the
// transaction decoder asks each message for them), a bank send's sender and recipient, an
// account the ante handler writes. Each conversion checks a bech32 checksum. A conversion is a
// function of its input alone, so a remembered one gives exactly what converting again would;
// only successful conversions are remembered (an error is produced again each time), and every
// caller gets its own copy of the bytes.
// Node-local memory, never state; safe for concurrent use.
type addressCodec struct {
	inner addresscodec.Bech32Codec

	mu      sync.Mutex
	bytes   generations[[]byte]
	strings generations[string]
}

var _ address.Codec = (*addressCodec)(nil)

// newAddressCodec returns a remembering bech32 codec for the human-readable part prefix.
func newAddressCodec(prefix string) *addressCodec {
	return &addressCodec{
		inner:   addresscodec.Bech32Codec{Bech32Prefix: prefix},
		bytes:   newGenerations[[]byte](addressConversionsPerGeneration, 0),
		strings: newGenerations[string](addressConversionsPerGeneration, 0),
	}
}

// StringToBytes implements address.Codec.
func (c *addressCodec) StringToBytes(text string) ([]byte, error) {
	c.mu.Lock()
	bz, ok := c.bytes.getString(text)
	c.mu.Unlock()
	if ok {
		return append([]byte(nil), bz...), nil
	}
	bz, err := c.inner.StringToBytes(text)
	if err != nil || !rememberedAddress(len(bz)) {
		return bz, err
	}
	c.mu.Lock()
	// Cloned: text may be part of a larger string the cache must not keep alive.
	c.bytes.put(strings.Clone(text), append([]byte(nil), bz...))
	c.mu.Unlock()
	return bz, nil
}

// BytesToString implements address.Codec.
func (c *addressCodec) BytesToString(bz []byte) (string, error) {
	c.mu.Lock()
	text, ok := c.strings.get(bz)
	c.mu.Unlock()
	if ok {
		return text, nil
	}
	text, err := c.inner.BytesToString(bz)
	if err != nil || !rememberedAddress(len(bz)) {
		return text, err
	}
	c.mu.Lock()
	c.strings.put(string(bz), text)
	c.mu.Unlock()
	return text, nil
}

// addressCodecs are the app's account, validator and consensus address codecs, shared by the
// transaction decoder's signing context and the keepers.
type addressCodecs struct {
	acc, val, cons *addressCodec
}

func newAddressCodecs() addressCodecs {
	return addressCodecs{
		acc:  newAddressCodec(Bech32PrefixAccAddr),
		val:  newAddressCodec(Bech32PrefixValAddr),
		cons: newAddressCodec(Bech32PrefixConsAddr),
	}
}
