package cas

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
	"github.com/stretchr/testify/require"
)

// TestCIDKnownVectors checks against CIDs every IPFS implementation gives for these bytes
// (`ipfs add --raw-leaves --cid-version 1`, `ipfs block put`).
func TestCIDKnownVectors(t *testing.T) {
	for data, want := range map[string]string{
		"":            "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
		"hello world": "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e",
	} {
		c, err := CID([]byte(data))
		require.NoError(t, err)
		require.Equal(t, want, c.String())
	}
}

// TestCIDByHand rebuilds the CID from its definition: multibase 'b' (base32, lower case, no
// padding) of <version 1><codec raw 0x55><sha2-256 0x12><length 32><digest>.
func TestCIDByHand(t *testing.T) {
	data := []byte(`{"choices":[{"text":"BalanceAI"}]}`)
	sum := sha256.Sum256(data)
	raw := append([]byte{0x01, 0x55, 0x12, 0x20}, sum[:]...)
	want := "b" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw))
	c, err := CID(data)
	require.NoError(t, err)
	require.Equal(t, want, c.String())
}

func TestStoreAndTrustlessGateway(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	require.NoError(t, err)
	data := []byte("hello world")
	c, err := s.Put(data)
	require.NoError(t, err)
	again, err := s.Put(data)
	require.NoError(t, err)
	require.Equal(t, c, again)
	got, err := s.Get(c)
	require.NoError(t, err)
	require.Equal(t, data, got)

	srv := httptest.NewServer(s)
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/ipfs/"+c.String(), nil)
	req.Header.Set("Accept", "application/vnd.ipld.raw")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "application/vnd.ipld.raw", res.Header.Get("Content-Type"))
	require.Equal(t, `"`+c.String()+`.raw"`, res.Header.Get("Etag"))
	require.Equal(t, data, body)
	sum, err := c.Prefix().Sum(body)
	require.NoError(t, err)
	require.True(t, sum.Equals(c), "the bytes served verify against the CID")

	missing, _ := CID([]byte("not stored"))
	for path, status := range map[string]int{
		"/ipfs/" + missing.String():           http.StatusNotFound,
		"/ipfs/not-a-cid":                     http.StatusBadRequest,
		"/ipfs/" + c.String() + "?format=car": http.StatusNotAcceptable,
		"/ipfs/" + c.String() + "?format=raw": http.StatusOK,
	} {
		res, err := http.Get(srv.URL + path)
		require.NoError(t, err)
		res.Body.Close()
		require.Equal(t, status, res.StatusCode, path)
	}

	// A CID of another kind is not held (and never becomes a file name): an identity multihash
	// of 300 bytes would make a name too long, whose error named the store's directory.
	ident, err := mh.Sum(bytes.Repeat([]byte("a"), 300), mh.IDENTITY, -1)
	require.NoError(t, err)
	for _, other := range []cid.Cid{cid.NewCidV1(cid.Raw, ident), cid.NewCidV0(c.Hash()), cid.NewCidV1(cid.DagProtobuf, c.Hash())} {
		res, err := http.Get(srv.URL + "/ipfs/" + other.String())
		require.NoError(t, err)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		require.Equal(t, http.StatusNotFound, res.StatusCode, other.String())
		require.NotContains(t, string(body), dir)
	}

	// A block altered on disk is refused, not served, and the answer does not name the
	// store's directory.
	require.NoError(t, os.WriteFile(filepath.Join(dir, c.String()), []byte("hello w0rld"), 0o600))
	_, err = s.Get(c)
	require.ErrorContains(t, err, "corrupt")
	res, err = http.Get(srv.URL + "/ipfs/" + c.String())
	require.NoError(t, err)
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	require.Equal(t, http.StatusInternalServerError, res.StatusCode)
	require.NotContains(t, string(body), dir)
}

func TestPinnerTalksKuboRPC(t *testing.T) {
	data := []byte("pin me")
	c, _ := CID(data)
	var gotQuery string
	var gotBody []byte
	kubo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotQuery = r.URL.RawQuery
		f, _, err := r.FormFile("file")
		require.NoError(t, err)
		gotBody, _ = io.ReadAll(f)
		_, _ = w.Write([]byte(`{"Key":"` + c.String() + `","Size":6}`))
	}))
	defer kubo.Close()
	require.NoError(t, Pinner{API: kubo.URL}.Put(t.Context(), c, data))
	require.Contains(t, gotQuery, "cid-codec=raw")
	require.Contains(t, gotQuery, "pin=true")
	require.Contains(t, gotQuery, "allow-big-block=true", "a body over 1 MiB is one block too")
	require.Equal(t, data, gotBody)
}

func TestPruneRemovesOldBlocksOnly(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	require.NoError(t, err)
	put := func(data string) string {
		c, err := s.Put([]byte(data))
		require.NoError(t, err)
		return c.String()
	}
	old, kept, fresh, renewed := put("old"), put("kept"), put("fresh"), put("renewed")
	crashed := filepath.Join(dir, ".put-123")
	require.NoError(t, os.WriteFile(crashed, []byte("half a block"), 0o600))
	long := time.Now().Add(-48 * time.Hour)
	for _, name := range []string{old, kept, renewed, ".put-123"} {
		require.NoError(t, os.Chtimes(filepath.Join(dir, name), long, long))
	}
	// Put again, an old block is as new.
	require.Equal(t, renewed, put("renewed"))

	removed, size, err := s.Prune(context.Background(), time.Now().Add(-24*time.Hour), func(c string) bool { return c == kept })
	require.NoError(t, err)
	require.Equal(t, 1, removed)
	require.Equal(t, int64(len("old")), size)
	for name, want := range map[string]bool{old: false, kept: true, fresh: true, renewed: true, ".put-123": false} {
		_, err := os.Stat(filepath.Join(dir, name))
		require.Equal(t, want, err == nil, name)
	}
	c, err := cid.Decode(old)
	require.NoError(t, err)
	_, err = s.Get(c)
	require.ErrorIs(t, err, ErrNotFound)

	// A cancelled sweep stops.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err = s.Prune(ctx, time.Now().Add(time.Hour), func(string) bool { return false })
	require.ErrorIs(t, err, context.Canceled)
	_, err = os.Stat(filepath.Join(dir, fresh))
	require.NoError(t, err)
}

func TestConcurrentReadsBounded(t *testing.T) {
	s, err := Open(t.TempDir())
	require.NoError(t, err)
	c, err := s.Put([]byte("block"))
	require.NoError(t, err)
	srv := httptest.NewServer(s)
	defer srv.Close()
	get := func() *http.Response {
		res, err := http.Get(srv.URL + "/ipfs/" + c.String())
		require.NoError(t, err)
		res.Body.Close()
		return res
	}
	// Every read slot taken (as by blocks being served).
	for range MaxConcurrentReads {
		s.reads <- struct{}{}
	}
	res := get()
	require.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
	require.Equal(t, "1", res.Header.Get("Retry-After"))
	<-s.reads
	require.Equal(t, http.StatusOK, get().StatusCode)
}

// TestConcurrentSendsBounded: answers in progress are bounded (callers that take a block and
// read nothing hold their slot until they go); past the bound a caller is told to retry, and a
// slot frees once a caller goes.
func TestConcurrentSendsBounded(t *testing.T) {
	s, err := Open(t.TempDir())
	require.NoError(t, err)
	require.Equal(t, MaxConcurrentSends, cap(s.sends))
	s.sends = make(chan struct{}, 3)
	data := make([]byte, 32<<20)
	c, err := s.Put(data)
	require.NoError(t, err)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close) // after the connections slowGet opened are closed
	addr := strings.TrimPrefix(srv.URL, "http://")
	slow := make([]net.Conn, 0, 3)
	for range 3 {
		slow = append(slow, slowGet(t, addr, "/ipfs/"+c.String()))
	}
	res, err := http.Get(srv.URL + "/ipfs/" + c.String())
	require.NoError(t, err)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	require.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
	require.Equal(t, "1", res.Header.Get("Retry-After"))
	require.Contains(t, string(body), "sending 3 blocks, the limit")

	require.NoError(t, slow[0].Close())
	require.Eventually(t, func() bool {
		res, err := http.Get(srv.URL + "/ipfs/" + c.String())
		if err != nil {
			return false
		}
		n, _ := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode == http.StatusOK && n == int64(len(data))
	}, 20*time.Second, 50*time.Millisecond)
}

// TestOnlyRegularFilesAreBlocks: a symbolic link or a directory under a block's name is not a
// block the store holds, even a link to a file whose bytes match the CID.
func TestOnlyRegularFilesAreBlocks(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	require.NoError(t, err)
	data := []byte("a block reached through a link")
	c, err := CID(data)
	require.NoError(t, err)
	outside := filepath.Join(t.TempDir(), "outside")
	require.NoError(t, os.WriteFile(outside, data, 0o600))
	require.NoError(t, os.Symlink(outside, filepath.Join(dir, c.String())))
	other := []byte("a directory")
	d, err := CID(other)
	require.NoError(t, err)
	require.NoError(t, os.Mkdir(filepath.Join(dir, d.String()), 0o700))
	srv := httptest.NewServer(s)
	defer srv.Close()
	for _, k := range []cid.Cid{c, d} {
		_, err = s.Get(k)
		require.ErrorIs(t, err, ErrNotFound)
		res, err := http.Get(srv.URL + "/ipfs/" + k.String())
		require.NoError(t, err)
		res.Body.Close()
		require.Equal(t, http.StatusNotFound, res.StatusCode)
	}
}

// TestPutRewritesABlockACrashCutShort: blocks are not synced, so a crash can leave a block's
// file short; putting the same bytes again writes it whole.
func TestPutRewritesABlockACrashCutShort(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	require.NoError(t, err)
	data := []byte("a block the page cache lost")
	c, err := s.Put(data)
	require.NoError(t, err)
	require.NoError(t, os.Truncate(filepath.Join(dir, c.String()), 0))
	_, err = s.Get(c)
	require.Error(t, err, "a cut block fails its hash check")
	_, err = s.Put(data)
	require.NoError(t, err)
	got, err := s.Get(c)
	require.NoError(t, err)
	require.Equal(t, data, got)
}

// slowGet asks for path on a raw connection and reads the answer's status line and headers
// only, leaving the block unread.
func slowGet(t *testing.T, addr, path string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	_, err = fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", path, addr)
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(30*time.Second)))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, res.StatusCode)
	return conn
}

// TestSlowReadersHoldNoReadSlot: callers that take a large block and do not read it (more of
// them than there are read slots) keep no one else from being served.
func TestSlowReadersHoldNoReadSlot(t *testing.T) {
	s, err := Open(t.TempDir())
	require.NoError(t, err)
	s.perClient = MaxConcurrentSends // the callers here are one client: its share is not tested
	data := make([]byte, 32<<20)
	_, err = rand.Read(data)
	require.NoError(t, err)
	c, err := s.Put(data)
	require.NoError(t, err)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close) // after the connections slowGet opened are closed
	addr := strings.TrimPrefix(srv.URL, "http://")
	for range 2 * MaxConcurrentReads {
		slowGet(t, addr, "/ipfs/"+c.String())
	}
	require.Empty(t, s.reads, "no read slot is held while a block is sent")
	res, err := http.Get(srv.URL + "/ipfs/" + c.String())
	require.NoError(t, err)
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.True(t, bytes.Equal(data, body))
}

// TestSlowReaderCutOff: a caller that does not read its block within the send deadline has its
// connection closed before the block is through.
func TestSlowReaderCutOff(t *testing.T) {
	s, err := Open(t.TempDir())
	require.NoError(t, err)
	s.sendGrace, s.minSendRate = 300*time.Millisecond, 1<<40
	data := make([]byte, 32<<20)
	c, err := s.Put(data)
	require.NoError(t, err)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close) // after the connections slowGet opened are closed
	conn := slowGet(t, strings.TrimPrefix(srv.URL, "http://"), "/ipfs/"+c.String())
	time.Sleep(time.Second) // reading nothing, past the deadline
	n, err := io.Copy(io.Discard, conn)
	require.NoError(t, err, "the server closed the connection")
	require.Less(t, n, int64(len(data)), "the block was cut short")
}

// TestOneClientHoldsAShareOfTheSendSlots: a client (one remote address) holding its share of
// the answers in progress (callers that take a block and read nothing) is told to retry, while
// another client is served.
func TestOneClientHoldsAShareOfTheSendSlots(t *testing.T) {
	s, err := Open(t.TempDir())
	require.NoError(t, err)
	data := make([]byte, 32<<20)
	c, err := s.Put(data)
	require.NoError(t, err)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close) // after the connections slowGet opened are closed
	for range MaxSendsPerClient {
		slowGet(t, strings.TrimPrefix(srv.URL, "http://"), "/ipfs/"+c.String())
	}
	res, err := http.Get(srv.URL + "/ipfs/" + c.String())
	require.NoError(t, err)
	body, _ := io.ReadAll(io.LimitReader(res.Body, 1<<10))
	res.Body.Close()
	require.Equal(t, http.StatusServiceUnavailable, res.StatusCode, "the client holding its share is told to retry")
	require.Equal(t, "1", res.Header.Get("Retry-After"))
	require.Contains(t, string(body), "the limit per client")

	// The test server's callers are all 127.0.0.1: another address is asked straight.
	for remote, want := range map[string]int{
		"127.0.0.1:40000":         http.StatusServiceUnavailable,
		"[::ffff:127.0.0.1]:4000": http.StatusServiceUnavailable,
		"192.0.2.7:40000":         http.StatusOK,
		"[2001:db8::1]:40000":     http.StatusOK,
	} {
		req := httptest.NewRequest(http.MethodGet, "/ipfs/"+c.String(), nil)
		req.RemoteAddr = remote
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		require.Equal(t, want, rec.Code, remote)
		if want == http.StatusOK {
			require.Equal(t, len(data), rec.Body.Len(), remote)
		}
	}
}

// TestClientKey: a client is its IP address, an IPv4 address however written, and for IPv6
// its /64 (one subscriber's block).
func TestClientKey(t *testing.T) {
	for remote, want := range map[string]string{
		"192.0.2.7:40000":            "192.0.2.7",
		"[::ffff:192.0.2.7]:40000":   "192.0.2.7",
		"[2001:db8:1:2:3:4:5:6]:443": "2001:db8:1:2::/64",
		"[2001:db8:1:2:ffff::1]:80":  "2001:db8:1:2::/64",
		"[2001:db8:1:3::1]:80":       "2001:db8:1:3::/64",
		"[fe80::1%eth0]:80":          "fe80::/64",
		"not an address":             "not an address",
	} {
		require.Equal(t, want, ClientKey(remote), remote)
	}
}

// TestStalledReaderLosesItsSlot: a caller that stops reading frees its slot once sendGrace
// passes with nothing sent to it, long before the whole block's deadline.
func TestStalledReaderLosesItsSlot(t *testing.T) {
	s, err := Open(t.TempDir())
	require.NoError(t, err)
	s.sendGrace, s.minSendRate = 300*time.Millisecond, 1<<10 // the whole block: over 9 hours
	data := make([]byte, 32<<20)
	c, err := s.Put(data)
	require.NoError(t, err)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close) // after the connections slowGet opened are closed
	conn := slowGet(t, strings.TrimPrefix(srv.URL, "http://"), "/ipfs/"+c.String())
	require.Eventually(t, func() bool { return len(s.sends) == 0 }, 10*time.Second, 20*time.Millisecond,
		"the stalled caller's slot is freed")
	n, err := io.Copy(io.Discard, conn)
	require.NoError(t, err, "the server closed the connection")
	require.Less(t, n, int64(len(data)), "the block was cut short")
}

// TestCheckedBlockNotHashedAgain: a block's file is read and hashed against its CID once; asking
// for it again (GET, HEAD, a range, a revalidation) serves the checked file without hashing it
// whole again, so repeated cheap requests for a large public block cost no disk reads. A file
// changed since its check (rewritten in place, or replaced) is checked again, and a corrupt one
// is refused; a file changed moments ago is checked every time.
func TestCheckedBlockNotHashedAgain(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	require.NoError(t, err)
	data := bytes.Repeat([]byte("block "), 1000)
	c, err := s.Put(data)
	require.NoError(t, err)
	path := filepath.Join(dir, c.String())
	srv := httptest.NewServer(s)
	defer srv.Close()
	do := func(method string, header map[string]string) int {
		req, err := http.NewRequest(method, srv.URL+"/ipfs/"+c.String(), nil)
		require.NoError(t, err)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_, _ = io.ReadAll(res.Body)
		res.Body.Close()
		return res.StatusCode
	}

	// Just written: checked on every request.
	require.Equal(t, http.StatusOK, do(http.MethodGet, nil))
	require.Equal(t, http.StatusOK, do(http.MethodHead, nil))
	require.EqualValues(t, 2, s.hashed.Load())

	old := time.Now().Add(-time.Hour)
	require.NoError(t, os.Chtimes(path, old, old))
	require.Equal(t, http.StatusOK, do(http.MethodGet, nil))
	require.Equal(t, http.StatusOK, do(http.MethodHead, nil))
	require.Equal(t, http.StatusPartialContent, do(http.MethodGet, map[string]string{"Range": "bytes=0-0"}))
	require.Equal(t, http.StatusNotModified, do(http.MethodGet, map[string]string{"If-None-Match": `"` + c.String() + `.raw"`}))
	got, err := s.Get(c)
	require.NoError(t, err)
	require.Equal(t, data, got)
	require.EqualValues(t, 3, s.hashed.Load(), "the old file is hashed once")

	// Rewritten in place: its time moves, it is checked again and refused.
	bad := bytes.Clone(data)
	bad[0] = 'B'
	require.NoError(t, os.WriteFile(path, bad, 0o600))
	require.Equal(t, http.StatusInternalServerError, do(http.MethodHead, nil))
	require.EqualValues(t, 4, s.hashed.Load())

	// Replaced by another file with the old time: another file, checked again.
	tmp := path + ".new"
	require.NoError(t, os.WriteFile(tmp, data, 0o600))
	require.NoError(t, os.Chtimes(tmp, old, old))
	require.NoError(t, os.Rename(tmp, path))
	require.Equal(t, http.StatusOK, do(http.MethodGet, nil))
	require.Equal(t, http.StatusOK, do(http.MethodGet, nil))
	require.EqualValues(t, 5, s.hashed.Load())
}
