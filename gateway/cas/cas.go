// Package cas is the AI node's content-addressed store: every request and response body is
// kept as an IPFS raw block under its CIDv1 (raw codec, sha2-256), the same identifier any IPFS
// implementation computes for those bytes, and served back in the trustless-gateway format.
package cas

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/balanceai/balanceai/gateway/slots"
)

// CID returns the CIDv1 (raw codec, sha2-256) of data, in its default base32 string form.
func CID(data []byte) (cid.Cid, error) {
	sum, err := mh.Sum(data, mh.SHA2_256, -1)
	if err != nil {
		return cid.Undef, err
	}
	return cid.NewCidV1(cid.Raw, sum), nil
}

// Store keeps blocks as files named by their CID in one directory.
type Store struct {
	dir string
	// mu orders Put's reuse of a block already stored (which renews its time) with Prune's
	// removal of it, so that a block Put returns is never one Prune is removing.
	mu sync.Mutex
	// reads bounds the blocks being checked against their CIDs at once (each read whole).
	reads chan struct{}
	// sends bounds the /ipfs/ answers in progress (each holds an open file and a connection
	// until its block is through or its deadline passes).
	sends chan struct{}
	// clients counts the /ipfs/ answers in progress per client (ClientKey), at most perClient
	// each, so that one client cannot take every send slot.
	clients   slots.PerKey
	perClient int
	// A block must be sent within sendGrace plus its length at minSendRate, and a caller that
	// takes none of it for sendGrace is cut off (see pacedBlock).
	sendGrace   time.Duration
	minSendRate int64
	// checked remembers the block files whose bytes were checked against their CIDs, so that
	// asking for a block again (a HEAD, a range, a revalidation, the same GET) does not read
	// and hash it whole again: at most maxChecked of them, forgotten all at once past that.
	checkedMu sync.Mutex
	checked   map[string]os.FileInfo
	// hashed counts the blocks read and hashed to be checked.
	hashed atomic.Int64
}

// maxChecked bounds the checked files a store remembers (about 200 bytes each).
const maxChecked = 65_536

// checkedAge is how old a file's modification time must be for its check to be remembered. A
// file's times move in coarse ticks, so a file rewritten in place within the tick of its last
// change could keep its size and time; one last changed checkedAge ago gets a new time if it
// is changed now.
const checkedAge = 2 * time.Second

// MaxConcurrentReads is how many /ipfs/ requests a store checks at once (a block is read from
// disk and hashed before any of it is sent, unless its file was checked before: see checked);
// more are answered 503 with Retry-After. Sending a
// block holds no slot: it streams from the checked file, so a caller that reads slowly keeps
// nobody else waiting.
const MaxConcurrentReads = 16

// MaxConcurrentSends is how many /ipfs/ answers a store has in progress at once, checking or
// sending; more are answered 503 with Retry-After. Each holds an open file and a connection
// until its block is through or its send deadline passes, so callers that read slowly cannot
// take every file descriptor of the process.
const MaxConcurrentSends = 128

// MaxSendsPerClient is how many of those answers one client has in progress at once; more are
// answered 503 with Retry-After. A client is a remote IP address, or an IPv6 /64 (see
// ClientKey): without the bound, one client opening MaxConcurrentSends connections and reading
// nothing would have every other /ipfs/ request refused.
const MaxSendsPerClient = 8

// A block must reach its caller within SendGrace plus its length at MinSendRate, and no
// SendGrace may pass with none of it sent; a caller that reads slower, or stops reading, has its
// connection closed.
const (
	SendGrace   = 10 * time.Second
	MinSendRate = 256 << 10 // bytes per second
)

// Open opens (creating it if needed) the store in dir.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	return &Store{
		dir:         dir,
		reads:       make(chan struct{}, MaxConcurrentReads),
		sends:       make(chan struct{}, MaxConcurrentSends),
		perClient:   MaxSendsPerClient,
		sendGrace:   SendGrace,
		minSendRate: MinSendRate,
		checked:     map[string]os.FileInfo{},
	}, nil
}

// Put stores data and returns its CID. Writing is atomic (a temporary file renamed into
// place), so a block is whole or absent. It is not synced: a block outlives the process at
// once (the page cache) and reaches the disk with the kernel's writeback; only the receipt
// queue pays for a sync on the request path.
func (s *Store) Put(data []byte) (cid.Cid, error) {
	c, err := CID(data)
	if err != nil {
		return cid.Undef, err
	}
	path := filepath.Join(s.dir, c.String())
	s.mu.Lock()
	info, err := os.Stat(path)
	// A file of another size is a block a crash cut short (blocks are not synced): written again.
	if err == nil && info.Size() == int64(len(data)) {
		// Stored already: its time restarts, as for a block written now (see Prune).
		now := time.Now()
		err = os.Chtimes(path, now, now)
		s.mu.Unlock()
		if err != nil {
			return cid.Undef, err
		}
		return c, nil
	}
	s.mu.Unlock()
	tmp, err := os.CreateTemp(s.dir, ".put-*")
	if err != nil {
		return cid.Undef, err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return cid.Undef, err
	}
	if err := tmp.Close(); err != nil {
		return cid.Undef, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return cid.Undef, err
	}
	return c, nil
}

// Prune removes the blocks last written (or put again) before cutoff, except those keep names
// (by CID string), and temporary files a crash left behind. It reads the directory in chunks
// and stops early when ctx ends. It returns how many blocks it removed and their size.
func (s *Store) Prune(ctx context.Context, cutoff time.Time, keep func(cid string) bool) (removed int, size int64, err error) {
	dir, err := os.Open(s.dir)
	if err != nil {
		return 0, 0, err
	}
	defer dir.Close()
	for ctx.Err() == nil {
		entries, rerr := dir.ReadDir(256)
		for _, e := range entries {
			name := e.Name()
			if !strings.HasPrefix(name, ".put-") && keep(name) {
				continue
			}
			n, ok, perr := s.removeIfOlder(filepath.Join(s.dir, name), cutoff)
			if perr != nil {
				return removed, size, perr
			}
			if ok && !strings.HasPrefix(name, ".") {
				removed++
				size += n
			}
		}
		if errors.Is(rerr, io.EOF) {
			return removed, size, nil
		}
		if rerr != nil {
			return removed, size, rerr
		}
	}
	return removed, size, ctx.Err()
}

// removeIfOlder removes the regular file at path if its time is before cutoff.
func (s *Store) removeIfOlder(path string, cutoff time.Time) (int64, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	if !info.Mode().IsRegular() || !info.ModTime().Before(cutoff) {
		return 0, false, nil
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return 0, false, err
	}
	return info.Size(), true, nil
}

// ErrNotFound is returned for a CID the store does not hold.
var ErrNotFound = errors.New("block not found")

// Get returns the block of c, verified against its hash.
func (s *Store) Get(c cid.Cid) ([]byte, error) {
	if !holdable(c) {
		return nil, ErrNotFound
	}
	f, size, err := s.openChecked(c)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data := make([]byte, size)
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, err
	}
	return data, nil
}

// ServeHTTP answers GET and HEAD /ipfs/<cid> with the raw block (application/vnd.ipld.raw), as
// an IPFS trustless gateway does, so `curl -H 'Accept: application/vnd.ipld.raw'` or any IPFS
// client can fetch the bytes and check them against the CID.
func (s *Store) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "only GET and HEAD", http.StatusMethodNotAllowed)
		return
	}
	const prefix = "/ipfs/"
	if len(r.URL.Path) <= len(prefix) || r.URL.Path[:len(prefix)] != prefix {
		http.Error(w, "expected /ipfs/<cid>", http.StatusBadRequest)
		return
	}
	c, err := cid.Decode(r.URL.Path[len(prefix):])
	if err != nil {
		http.Error(w, "invalid CID: "+err.Error(), http.StatusBadRequest)
		return
	}
	if f := r.URL.Query().Get("format"); f != "" && f != "raw" {
		http.Error(w, "this gateway serves raw blocks only (format=raw, Accept: application/vnd.ipld.raw)", http.StatusNotAcceptable)
		return
	}
	if !holdable(c) {
		http.Error(w, "block "+c.String()+" is not held by this node (it holds CIDv1 raw sha2-256 blocks)", http.StatusNotFound)
		return
	}
	// The client's share first: a client at its bound takes no slot from the others.
	client := ClientKey(r.RemoteAddr)
	if !s.clients.Take(client, s.perClient) {
		w.Header().Set("Retry-After", "1")
		http.Error(w, fmt.Sprintf("sending %d blocks to this client, the limit per client; retry shortly", s.perClient), http.StatusServiceUnavailable)
		return
	}
	defer s.clients.Done(client)
	select {
	case s.sends <- struct{}{}:
		defer func() { <-s.sends }()
	default:
		w.Header().Set("Retry-After", "1")
		http.Error(w, fmt.Sprintf("sending %d blocks, the limit; retry shortly", cap(s.sends)), http.StatusServiceUnavailable)
		return
	}
	select {
	case s.reads <- struct{}{}:
	default:
		w.Header().Set("Retry-After", "1")
		http.Error(w, fmt.Sprintf("checking %d blocks, the limit; retry shortly", MaxConcurrentReads), http.StatusServiceUnavailable)
		return
	}
	f, size, err := s.openChecked(c)
	<-s.reads
	if f != nil {
		defer f.Close()
	}
	if errors.Is(err, ErrNotFound) {
		http.Error(w, "block "+c.String()+" is not held by this node", http.StatusNotFound)
		return
	}
	if err != nil {
		// The error names the store's directory: not for callers.
		http.Error(w, "block "+c.String()+" cannot be read on this node", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/vnd.ipld.raw")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", c.String()+".bin"))
	h.Set("Cache-Control", "public, max-age=29030400, immutable")
	h.Set("Etag", fmt.Sprintf("%q", c.String()+".raw"))
	h.Set("X-Ipfs-Path", "/ipfs/"+c.String())
	h.Set("X-Ipfs-Roots", c.String())
	// The file's bytes are the ones checked: a block is never rewritten in place (Put renames a
	// new file over it, Prune unlinks it), so the open file keeps them.
	now := time.Now()
	p := &pacedBlock{
		f:        f,
		rc:       http.NewResponseController(w),
		grace:    s.sendGrace,
		deadline: now.Add(s.sendGrace + time.Duration(size/s.minSendRate)*time.Second),
	}
	p.extend(now)
	http.ServeContent(w, r, "", time.Time{}, p)
}

// pacedBlock is a block's file as ServeContent reads it to send it. Before each piece is read
// (the piece before it is through to the connection by then) the connection's write deadline
// moves to grace from now, never past the whole block's deadline: a caller that stops reading
// loses its connection, and its slots, grace after the last piece it took, not at the end of
// the block's time, while one reading steadily at the minimum rate or faster gets the block.
// It has no WriteTo or ReadFrom, so every piece goes through Read (the file is not handed to
// sendfile whole).
type pacedBlock struct {
	f        *os.File
	rc       *http.ResponseController
	grace    time.Duration
	deadline time.Time // the whole block's
}

// sendPiece is the most of a block pacedBlock gives at once: the deadline moves at least that
// often.
const sendPiece = 32 << 10

func (p *pacedBlock) Read(b []byte) (int, error) {
	p.extend(time.Now())
	if len(b) > sendPiece {
		b = b[:sendPiece]
	}
	return p.f.Read(b)
}

func (p *pacedBlock) Seek(offset int64, whence int) (int64, error) {
	return p.f.Seek(offset, whence)
}

// extend sets the write deadline to grace after now, or the block's deadline if sooner. A
// writer without deadlines (a test's recorder) is left as it is.
func (p *pacedBlock) extend(now time.Time) {
	d := now.Add(p.grace)
	if d.After(p.deadline) {
		d = p.deadline
	}
	_ = p.rc.SetWriteDeadline(d)
}

// ClientKey names the client of a request by its connection's remote address (a header such as
// X-Forwarded-For is whatever the caller wrote): the IP address, an IPv4-mapped IPv6 address as
// its IPv4 one, and an IPv6 address by its /64, the block one subscriber is usually given whole
// (counting single addresses, one such client could use as many as it likes). An address that
// does not parse is its own key.
func ClientKey(remoteAddr string) string {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	ip = ip.Unmap()
	if ip.Is6() {
		if p, err := ip.Prefix(64); err == nil {
			return p.String()
		}
	}
	return ip.String()
}

// holdable reports whether c is of the one kind the store holds, a CIDv1 raw sha2-256 (CID):
// any other CID is not here, and is never turned into a file name (an identity multihash could
// make one of any length).
func holdable(c cid.Cid) bool {
	p := c.Prefix()
	return p.Version == 1 && p.Codec == cid.Raw && p.MhType == mh.SHA2_256
}

// openChecked opens the block file of c (a holdable CID) and checks its bytes against the
// CID, reading it in chunks; it returns the file at its start, and its size. Only a regular file
// is a block: anything else under a block's name (a symbolic link, a FIFO, which would block the
// open, a directory) is not held, and what is opened must be a regular file too.
func (s *Store) openChecked(c cid.Cid) (*os.File, int64, error) {
	path := filepath.Join(s.dir, c.String())
	info, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) || (err == nil && !info.Mode().IsRegular()) {
		return nil, 0, ErrNotFound
	}
	if err != nil {
		return nil, 0, err
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, ErrNotFound
	}
	if err != nil {
		return nil, 0, err
	}
	opened, err := f.Stat()
	if err != nil || !opened.Mode().IsRegular() {
		f.Close()
		if err != nil {
			return nil, 0, err
		}
		return nil, 0, ErrNotFound
	}
	if s.wasChecked(c, opened) {
		return f, opened.Size(), nil
	}
	s.hashed.Add(1)
	h := sha256.New()
	size, err := io.Copy(h, f)
	if err == nil {
		var dm *mh.DecodedMultihash
		if dm, err = mh.Decode(c.Hash()); err == nil && !bytes.Equal(h.Sum(nil), dm.Digest) {
			err = fmt.Errorf("block %s is corrupt on disk", c)
		}
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	s.rememberChecked(c, opened)
	return f, size, nil
}

// wasChecked reports whether the opened file of c is one whose bytes were checked: the same
// file (a block replaced by Put is a new file), of the same size and modification time.
func (s *Store) wasChecked(c cid.Cid, opened os.FileInfo) bool {
	s.checkedMu.Lock()
	defer s.checkedMu.Unlock()
	prev, ok := s.checked[c.String()]
	return ok && os.SameFile(prev, opened) && prev.Size() == opened.Size() && prev.ModTime().Equal(opened.ModTime())
}

// rememberChecked notes that the opened file of c was checked, if it was last changed
// checkedAge ago or earlier.
func (s *Store) rememberChecked(c cid.Cid, opened os.FileInfo) {
	if time.Since(opened.ModTime()) < checkedAge {
		return
	}
	s.checkedMu.Lock()
	defer s.checkedMu.Unlock()
	if len(s.checked) >= maxChecked {
		clear(s.checked)
	}
	s.checked[c.String()] = opened
}

// Pinner puts blocks on a Kubo node over its HTTP RPC (`/api/v0/block/put`, pinned).
type Pinner struct {
	API    string // base URL, e.g. http://127.0.0.1:5001
	Client *http.Client
}

// Put sends the block and pins it; the CID Kubo answers must equal c.
func (p Pinner) Put(ctx context.Context, c cid.Cid, data []byte) error {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, err := mw.CreateFormFile("file", c.String())
	if err != nil {
		return err
	}
	if _, err := part.Write(data); err != nil {
		return err
	}
	if err := mw.Close(); err != nil {
		return err
	}
	// Kubo refuses a block over 1 MiB unless allowed: a call's body or answer may be larger.
	q := url.Values{"cid-codec": {"raw"}, "mhtype": {"sha2-256"}, "pin": {"true"}, "allow-big-block": {"true"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.API+"/api/v0/block/put?"+q.Encode(), &body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	client := p.Client
	if client == nil {
		client = http.DefaultClient
	}
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("kubo block/put: %s: %s", res.Status, bytes.TrimSpace(out))
	}
	if !bytes.Contains(out, []byte(c.String())) {
		return fmt.Errorf("kubo block/put answered another CID: %s", bytes.TrimSpace(out))
	}
	return nil
}
