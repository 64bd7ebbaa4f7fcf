package types

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"

	errorsmod "cosmossdk.io/errors"
	"golang.org/x/crypto/sha3"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// zeroEthAddress is refused as a recipient: wBAI minted there would be burned for ever.
const zeroEthAddress = "0x0000000000000000000000000000000000000000"

// isHex reports whether s is made of hex digits only (either case).
func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// ChecksumEthAddress returns the EIP-55 form of a 0x address whose 40 hex digits are valid.
// The case of each letter is upper when the matching nibble of keccak256(lowercase hex) >= 8.
func ChecksumEthAddress(addr string) string {
	lower := strings.ToLower(addr[2:])
	h := sha3.NewLegacyKeccak256()
	h.Write([]byte(lower))
	digest := h.Sum(nil)
	out := []byte(lower)
	for i := range out {
		if out[i] < 'a' {
			continue
		}
		nibble := digest[i/2]
		if i%2 == 0 {
			nibble >>= 4
		}
		if nibble&0x0f >= 8 {
			out[i] -= 'a' - 'A'
		}
	}
	return "0x" + string(out)
}

// NormalizeEthAddress validates an Ethereum address and returns its EIP-55 form.
// All-lowercase and all-uppercase hex are accepted as unchecksummed; mixed case must match the
// EIP-55 checksum exactly, which catches most typos.
func NormalizeEthAddress(addr string) (string, error) {
	if len(addr) != 42 || addr[0] != '0' || addr[1] != 'x' {
		return "", errorsmod.Wrapf(ErrInvalidEthAddress, "%q must be 0x followed by 40 hex digits", addr)
	}
	body := addr[2:]
	if !isHex(body) {
		return "", errorsmod.Wrapf(ErrInvalidEthAddress, "%q contains a non-hex character", addr)
	}
	sum := ChecksumEthAddress(addr)
	if body != strings.ToLower(body) && body != strings.ToUpper(body) && addr != sum {
		return "", errorsmod.Wrapf(ErrInvalidEthAddress, "%q has a wrong EIP-55 checksum; expected %s", addr, sum)
	}
	return sum, nil
}

// ValidateEthRecipient validates a wBAI recipient: a valid address that is not the zero address.
func ValidateEthRecipient(addr string) (string, error) {
	sum, err := NormalizeEthAddress(addr)
	if err != nil {
		return "", err
	}
	if strings.EqualFold(sum, zeroEthAddress) {
		return "", errorsmod.Wrap(ErrInvalidEthAddress, "the zero address cannot receive wBAI")
	}
	return sum, nil
}

// NormalizeEthTxHash validates a 0x + 64 hex transaction hash and returns it in lowercase.
func NormalizeEthTxHash(hash string) (string, error) {
	if len(hash) != 66 || hash[0] != '0' || hash[1] != 'x' || !isHex(hash[2:]) {
		return "", errorsmod.Wrapf(ErrInvalidEthTxHash, "%q", hash)
	}
	return strings.ToLower(hash), nil
}

// DeriveClaimID returns the inbound claim id: lowercase hex of
// SHA-256( ethereum_chain_id as 8-byte big-endian || tx hash as its 32 raw bytes ||
// log_index as 8-byte big-endian ), 48 bytes hashed in all. The tx hash is the 0x + 64 hex
// string decoded (case-insensitive), so every spelling of one Ethereum event maps to one id.
func DeriveClaimID(chainID uint64, ethTxHash string, logIndex uint64) (string, error) {
	norm, err := NormalizeEthTxHash(ethTxHash)
	if err != nil {
		return "", err
	}
	txBytes, err := hex.DecodeString(norm[2:])
	if err != nil {
		return "", errorsmod.Wrap(ErrInvalidEthTxHash, err.Error())
	}
	buf := make([]byte, 0, 48)
	buf = binary.BigEndian.AppendUint64(buf, chainID)
	buf = append(buf, txBytes...)
	buf = binary.BigEndian.AppendUint64(buf, logIndex)
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:]), nil
}

// appendLenPrefixed appends an 8-byte big-endian length and then b.
func appendLenPrefixed(buf, b []byte) []byte {
	buf = binary.BigEndian.AppendUint64(buf, uint64(len(b)))
	return append(buf, b...)
}

// ClaimContentHash returns the lowercase hex SHA-256 of an inbound claim's full content:
// claim id (32 raw bytes) || eth_block BE8 || eth_sender (20 raw bytes) ||
// len-prefixed recipient address bytes || len-prefixed denom || len-prefixed decimal amount,
// with every length as 8-byte big-endian. Inputs must already be validated.
func ClaimContentHash(claimID string, ethBlock uint64, ethSender string, recipient sdk.AccAddress, amount sdk.Coin) (string, error) {
	idBytes, err := hex.DecodeString(claimID)
	if err != nil || len(idBytes) != sha256.Size {
		return "", fmt.Errorf("claim id %q is not 32 bytes of hex", claimID)
	}
	senderBytes, err := hex.DecodeString(strings.ToLower(ethSender[2:]))
	if err != nil {
		return "", errorsmod.Wrap(ErrInvalidEthAddress, err.Error())
	}
	buf := make([]byte, 0, 160)
	buf = append(buf, idBytes...)
	buf = binary.BigEndian.AppendUint64(buf, ethBlock)
	buf = append(buf, senderBytes...)
	buf = appendLenPrefixed(buf, recipient)
	buf = appendLenPrefixed(buf, []byte(amount.Denom))
	buf = appendLenPrefixed(buf, []byte(amount.Amount.String()))
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:]), nil
}
