//go:build unix

package cas

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestFIFOIsNotABlock: a FIFO under a block's name is not held, and asking for it does not wait
// for a writer (opening a FIFO would).
func TestFIFOIsNotABlock(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	require.NoError(t, err)
	c, err := CID([]byte("never written"))
	require.NoError(t, err)
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, c.String()), 0o600))
	srv := httptest.NewServer(s)
	defer srv.Close()
	client := http.Client{Timeout: 10 * time.Second}
	res, err := client.Get(srv.URL + "/ipfs/" + c.String())
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusNotFound, res.StatusCode)
	_, err = s.Get(c)
	require.ErrorIs(t, err, ErrNotFound)
	require.Empty(t, s.reads, "no read slot is held")
}
