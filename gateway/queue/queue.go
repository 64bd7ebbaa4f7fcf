// Package queue is the AI node's durable receipt queue. A served request's usage record is
// written to disk before the caller gets its response; records are grouped into signed batches
// (one MsgRecordUsage transaction each) and a batch is deleted only once its transaction is
// known to be committed. Every step is a synced file write or an atomic rename, so a crash at
// any point leaves either the records or the batch that holds them, never neither and never
// both in a way that is sent twice (see Open).
package queue

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Record is one served request.
type Record struct {
	Seq         uint64    `json:"seq"`
	ListingID   uint64    `json:"listing_id"`
	User        string    `json:"user"`
	RequestCID  string    `json:"request_cid"`
	ResponseCID string    `json:"response_cid"`
	Units       uint64    `json:"units"`
	ServedAt    time.Time `json:"served_at"`
}

// Batch is a signed MsgRecordUsage transaction and the records it carries.
type Batch struct {
	ID        uint64    `json:"id"`
	ListingID uint64    `json:"listing_id"`
	Records   []Record  `json:"records"`
	TxBytes   []byte    `json:"tx_bytes"`
	TxHash    string    `json:"tx_hash"`
	Timeout   time.Time `json:"timeout"`
	CreatedAt time.Time `json:"created_at"`
	// Refusal is the reason the node refused the transaction at CheckTx, if it did.
	Refusal string `json:"refusal,omitempty"`
}

// Rejected is a record the chain refused for a reason of its own (the user lost access, say).
type Rejected struct {
	Record Record `json:"record"`
	Reason string `json:"reason"`
	// TxHash is the refused transaction; empty when the chain refused the record when the
	// batch was simulated, before any transaction was signed.
	TxHash string `json:"tx_hash,omitempty"`
}

// Queue is the on-disk queue in one directory: pending/<seq>.json, batches/<id>.json and
// rejected/<seq>.json.
type Queue struct {
	mu      sync.Mutex
	dir     string
	pending map[uint64]Record
	// minPending is the smallest pending sequence number (0: none pending), so that Counts
	// does not walk the pending records: sequence numbers are given in serving order.
	minPending uint64
	batches    map[uint64]Batch
	nextSeq    uint64
	nextID     uint64
}

// addPending puts r in the pending set. Callers hold mu.
func (q *Queue) addPending(r Record) {
	q.pending[r.Seq] = r
	if q.minPending == 0 || r.Seq < q.minPending {
		q.minPending = r.Seq
	}
}

// removePending takes the records of seqs out of the pending set. Callers hold mu.
func (q *Queue) removePending(seqs ...uint64) {
	for _, seq := range seqs {
		delete(q.pending, seq)
	}
	if _, ok := q.pending[q.minPending]; ok {
		return
	}
	// The oldest left (0 when none is).
	q.minPending = 0
	for seq := range q.pending {
		if q.minPending == 0 || seq < q.minPending {
			q.minPending = seq
		}
	}
}

const (
	pendingDir  = "pending"
	batchesDir  = "batches"
	rejectedDir = "rejected"
)

// Open opens the queue in dir, creating it if needed. A record that is both pending and in a
// batch (a crash between writing the batch and removing the records) stays in the batch only:
// the batch's transaction may already be on chain. A record that is both pending and rejected (a
// crash between the two steps of Reject) stays rejected: a rejected record is never pending
// again.
func Open(dir string) (*Queue, error) {
	q := &Queue{dir: dir, pending: map[uint64]Record{}, batches: map[uint64]Batch{}, nextSeq: 1, nextID: 1}
	for _, d := range []string{pendingDir, batchesDir, rejectedDir} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o750); err != nil {
			return nil, err
		}
	}
	if err := loadDir(filepath.Join(dir, batchesDir), func(id uint64, bz []byte) error {
		var b Batch
		if err := json.Unmarshal(bz, &b); err != nil {
			return err
		}
		q.batches[id] = b
		q.nextID = max(q.nextID, id+1)
		for _, r := range b.Records {
			q.nextSeq = max(q.nextSeq, r.Seq+1)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	settled := map[uint64]bool{} // in a batch or rejected
	for _, b := range q.batches {
		for _, r := range b.Records {
			settled[r.Seq] = true
		}
	}
	if err := listDir(filepath.Join(dir, rejectedDir), func(seq uint64, _ string) error {
		q.nextSeq = max(q.nextSeq, seq+1)
		settled[seq] = true
		return nil
	}); err != nil {
		return nil, err
	}
	if err := loadDir(filepath.Join(dir, pendingDir), func(seq uint64, bz []byte) error {
		q.nextSeq = max(q.nextSeq, seq+1)
		if settled[seq] {
			return removeSynced(filepath.Join(dir, pendingDir, name(seq)))
		}
		var r Record
		if err := json.Unmarshal(bz, &r); err != nil {
			return err
		}
		q.addPending(r)
		return nil
	}); err != nil {
		return nil, err
	}
	return q, nil
}

func name(n uint64) string { return fmt.Sprintf("%020d.json", n) }

// loadDir calls each with the number and the content of every <n>.json file of dir.
func loadDir(dir string, each func(n uint64, bz []byte) error) error {
	return listDir(dir, func(n uint64, path string) error {
		bz, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := each(n, bz); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		return nil
	})
}

// listDir calls each with the number and the path of every <n>.json file of dir, and removes
// the temporary files of interrupted writes.
func listDir(dir string, each func(n uint64, path string) error) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp-") && !e.IsDir() {
			// A temporary file of a write a crash interrupted: never renamed, so never part of
			// the queue (Open runs before any write of this process).
			if err := removeFile(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
			continue
		}
		base, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || e.IsDir() {
			continue
		}
		n, err := strconv.ParseUint(base, 10, 64)
		if err != nil {
			continue
		}
		if err := each(n, filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// writeSynced writes v as JSON to path atomically and durably.
func writeSynced(path string, v any) error {
	bz, err := json.Marshal(v)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(bz); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

func removeSynced(path string) error {
	if err := removeFile(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return syncDir(filepath.Dir(path))
}

// removeFile and syncDir are the queue's file removal and directory sync; tests replace them
// to make one fail.
var (
	removeFile = os.Remove
	syncDir    = func(dir string) error {
		d, err := os.Open(dir)
		if err != nil {
			return err
		}
		defer d.Close()
		return d.Sync()
	}
)

// removePendingFiles removes the pending files of records that are in a batch or rejected,
// those a failed removal left (none, usually), and syncs the directory once: a pending file must
// not outlive the batch that holds its record, or the next Open would take the record for a new
// one and record it again. Callers hold mu.
func (q *Queue) removePendingFiles(recs []Record) error {
	for _, r := range recs {
		if err := removeFile(filepath.Join(q.dir, pendingDir, name(r.Seq))); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	// Synced even when every file was gone already: the failure that left one may have been
	// the sync of its removal.
	return syncDir(filepath.Join(q.dir, pendingDir))
}

// Append assigns the record a sequence number and writes it durably. Appends run their syncs
// in parallel: the lock only covers the sequence number and the in-memory set.
func (q *Queue) Append(r Record) (Record, error) {
	q.mu.Lock()
	r.Seq = q.nextSeq
	q.nextSeq++
	q.mu.Unlock()
	path := filepath.Join(q.dir, pendingDir, name(r.Seq))
	if err := writeSynced(path, r); err != nil {
		// The file may be in place already (the directory's sync failed after the rename): it
		// is removed, since the caller is told it is not charged and the next start would
		// otherwise record the call. Nothing else knows its sequence number.
		_ = removeSynced(path)
		return Record{}, err
	}
	q.mu.Lock()
	q.addPending(r)
	q.mu.Unlock()
	return r, nil
}

// Pending returns the pending records, oldest first.
func (q *Queue) Pending() []Record {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]Record, 0, len(q.pending))
	for _, r := range q.pending {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}

// Uncommitted returns every record not yet committed: the pending ones and those of batches in
// flight, read under one lock, so that a record moving between the two (Seal, Requeue) is in
// the result either way.
func (q *Queue) Uncommitted() []Record {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]Record, 0, len(q.pending))
	for _, r := range q.pending {
		out = append(out, r)
	}
	for _, b := range q.batches {
		out = append(out, b.Records...)
	}
	return out
}

// Batches returns the batches in flight, oldest first.
func (q *Queue) Batches() []Batch {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]Batch, 0, len(q.batches))
	for _, b := range q.batches {
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Seal writes a batch of pending records with its signed transaction, then removes the records
// from the pending set. The batch must be sealed before its transaction is broadcast.
func (q *Queue) Seal(b Batch) (Batch, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, r := range b.Records {
		if _, ok := q.pending[r.Seq]; !ok {
			return Batch{}, fmt.Errorf("record %d is not pending", r.Seq)
		}
	}
	b.ID = q.nextID
	if err := writeSynced(filepath.Join(q.dir, batchesDir, name(b.ID)), b); err != nil {
		return Batch{}, err
	}
	q.nextID++
	q.batches[b.ID] = b
	// The batch holds the records now: none stays pending in memory, even if removing a file
	// fails (Open skips a pending file whose record is in a batch, and Committed and Requeue
	// remove it before the batch), or a later batch would carry it again.
	seqs := make([]uint64, len(b.Records))
	for i, r := range b.Records {
		seqs[i] = r.Seq
	}
	q.removePending(seqs...)
	var firstErr error
	for _, r := range b.Records {
		if err := removeSynced(filepath.Join(q.dir, pendingDir, name(r.Seq))); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return b, firstErr
}

// Update rewrites a batch in flight (to note a refusal).
func (q *Queue) Update(b Batch) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if _, ok := q.batches[b.ID]; !ok {
		return fmt.Errorf("batch %d is not in flight", b.ID)
	}
	if err := writeSynced(filepath.Join(q.dir, batchesDir, name(b.ID)), b); err != nil {
		return err
	}
	q.batches[b.ID] = b
	return nil
}

// Committed removes a batch whose transaction is committed with code 0, after any pending file
// of its records that Seal failed to remove.
func (q *Queue) Committed(id uint64) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if b, ok := q.batches[id]; ok {
		if err := q.removePendingFiles(b.Records); err != nil {
			return err
		}
	}
	if err := removeSynced(filepath.Join(q.dir, batchesDir, name(id))); err != nil {
		return err
	}
	delete(q.batches, id)
	return nil
}

// Requeue returns the records of a batch whose transaction can never be committed (it failed,
// or its timeout passed) to the pending set, except those in reject, which are kept in
// rejected/ with their reason (and lose any pending file Seal failed to remove). The records are
// written before the batch is removed.
func (q *Queue) Requeue(id uint64, reject map[uint64]string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	b, ok := q.batches[id]
	if !ok {
		return fmt.Errorf("batch %d is not in flight", id)
	}
	var rejected []Record
	for _, r := range b.Records {
		if reason, bad := reject[r.Seq]; bad {
			if err := writeSynced(filepath.Join(q.dir, rejectedDir, name(r.Seq)),
				Rejected{Record: r, Reason: reason, TxHash: b.TxHash}); err != nil {
				return err
			}
			rejected = append(rejected, r)
			continue
		}
		if err := writeSynced(filepath.Join(q.dir, pendingDir, name(r.Seq)), r); err != nil {
			return err
		}
	}
	if len(rejected) > 0 {
		if err := q.removePendingFiles(rejected); err != nil {
			return err
		}
	}
	if err := removeSynced(filepath.Join(q.dir, batchesDir, name(id))); err != nil {
		return err
	}
	delete(q.batches, id)
	for _, r := range b.Records {
		if _, bad := reject[r.Seq]; !bad {
			q.addPending(r)
		}
	}
	return nil
}

// Reject moves a pending record the chain refuses (its simulation names it) to rejected/ with
// the reason.
func (q *Queue) Reject(seq uint64, reason string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	r, ok := q.pending[seq]
	if !ok {
		return fmt.Errorf("record %d is not pending", seq)
	}
	if err := writeSynced(filepath.Join(q.dir, rejectedDir, name(seq)), Rejected{Record: r, Reason: reason}); err != nil {
		return err
	}
	if err := removeSynced(filepath.Join(q.dir, pendingDir, name(seq))); err != nil {
		return err
	}
	q.removePending(seq)
	return nil
}

// EachRejected calls each with the records in rejected/ whose files were written at or after
// since, in no particular order: a record is written there when the chain refuses it, after it
// was served, so an older file holds a record served before since. A file that does not parse
// is left alone and counted in bad (the folder is the node's record of refusals; one damaged
// file must not keep the node from starting).
func (q *Queue) EachRejected(since time.Time, each func(Rejected)) (bad int, err error) {
	err = listDir(filepath.Join(q.dir, rejectedDir), func(_ uint64, path string) error {
		info, err := os.Stat(path)
		if err != nil {
			return err
		}
		if info.ModTime().Before(since) {
			return nil
		}
		bz, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var r Rejected
		if err := json.Unmarshal(bz, &r); err != nil {
			bad++
			return nil
		}
		each(r)
		return nil
	})
	return bad, err
}

// Counts returns the number of pending records, of records in flight and the served time of the
// oldest record not yet committed (zero when there is none; for pending records, the one served
// first). It walks only the batches in flight, not the pending records.
func (q *Queue) Counts() (pending, inFlight int, oldest time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	consider := func(t time.Time) {
		if oldest.IsZero() || t.Before(oldest) {
			oldest = t
		}
	}
	if r, ok := q.pending[q.minPending]; ok {
		consider(r.ServedAt)
	}
	for _, b := range q.batches {
		inFlight += len(b.Records)
		for _, r := range b.Records {
			consider(r.ServedAt)
		}
	}
	return len(q.pending), inFlight, oldest
}
