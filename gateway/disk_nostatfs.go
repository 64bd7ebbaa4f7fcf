//go:build !linux && !darwin

package gateway

import "errors"

// freeBytes is not known on this system: min-free-disk is not checked.
func freeBytes(string) (uint64, error) {
	return 0, errors.New("free disk space is not known on this system")
}
