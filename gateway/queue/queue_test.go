package queue

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func rec(user string) Record {
	return Record{ListingID: 1, User: user, RequestCID: "req-" + user, ResponseCID: "resp-" + user, Units: 1,
		ServedAt: time.Unix(1767225600, 0).UTC()}
}

func seqs(rs []Record) []uint64 {
	out := make([]uint64, len(rs))
	for i, r := range rs {
		out[i] = r.Seq
	}
	return out
}

func TestAppendSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	q, err := Open(dir)
	require.NoError(t, err)
	a, err := q.Append(rec("a"))
	require.NoError(t, err)
	b, err := q.Append(rec("b"))
	require.NoError(t, err)
	require.Equal(t, []uint64{1, 2}, []uint64{a.Seq, b.Seq})

	// A crash right after Append returned: nothing but the files is kept.
	q2, err := Open(dir)
	require.NoError(t, err)
	require.Equal(t, []Record{a, b}, q2.Pending())
	c, err := q2.Append(rec("c"))
	require.NoError(t, err)
	require.Equal(t, uint64(3), c.Seq, "sequence numbers are not reused")
}

func TestSealCommitAndCrashBetweenSealSteps(t *testing.T) {
	dir := t.TempDir()
	q, _ := Open(dir)
	a, _ := q.Append(rec("a"))
	b, _ := q.Append(rec("b"))
	c, _ := q.Append(rec("c"))
	batch, err := q.Seal(Batch{ListingID: 1, Records: []Record{a, b}, TxBytes: []byte{1, 2}, TxHash: "H1"})
	require.NoError(t, err)
	require.Equal(t, []uint64{3}, seqs(q.Pending()))

	// Simulate a crash after the batch was written but before its records were removed from
	// pending: put the pending files back.
	for _, r := range []Record{a, b} {
		bz, _ := json.Marshal(r)
		require.NoError(t, os.WriteFile(filepath.Join(dir, pendingDir, name(r.Seq)), bz, 0o600))
	}
	q2, err := Open(dir)
	require.NoError(t, err)
	require.Equal(t, []uint64{c.Seq}, seqs(q2.Pending()), "records of a sealed batch are never pending twice")
	require.Len(t, q2.Batches(), 1)
	require.Equal(t, "H1", q2.Batches()[0].TxHash)
	_, err = os.Stat(filepath.Join(dir, pendingDir, name(a.Seq)))
	require.ErrorIs(t, err, os.ErrNotExist)

	require.NoError(t, q2.Committed(batch.ID))
	q3, _ := Open(dir)
	require.Empty(t, q3.Batches())
	require.Equal(t, []uint64{c.Seq}, seqs(q3.Pending()))
	p, f, oldest := q3.Counts()
	require.Equal(t, 1, p)
	require.Zero(t, f)
	require.Equal(t, c.ServedAt, oldest)
}

func TestRequeueKeepsAllButTheRejected(t *testing.T) {
	dir := t.TempDir()
	q, _ := Open(dir)
	a, _ := q.Append(rec("a"))
	b, _ := q.Append(rec("b"))
	batch, _ := q.Seal(Batch{ListingID: 1, Records: []Record{a, b}, TxHash: "H1"})
	require.NoError(t, q.Requeue(batch.ID, map[uint64]string{b.Seq: "record 1: access denied"}))
	require.Equal(t, []Record{a}, q.Pending())
	require.Empty(t, q.Batches())
	bz, err := os.ReadFile(filepath.Join(dir, rejectedDir, name(b.Seq)))
	require.NoError(t, err)
	var rej Rejected
	require.NoError(t, json.Unmarshal(bz, &rej))
	require.Equal(t, b, rej.Record)
	require.Equal(t, "H1", rej.TxHash)

	// After a restart the rejected record is neither pending nor reused.
	q2, _ := Open(dir)
	require.Equal(t, []Record{a}, q2.Pending())
	n, _ := q2.Append(rec("n"))
	require.Equal(t, uint64(3), n.Seq)
}

func TestCrashDuringRequeue(t *testing.T) {
	dir := t.TempDir()
	q, _ := Open(dir)
	a, _ := q.Append(rec("a"))
	batch, _ := q.Seal(Batch{ListingID: 1, Records: []Record{a}, TxHash: "H1"})
	// Crash after the record was written back to pending, before the batch was removed: the
	// batch stays authoritative (its transaction is looked up again before anything is resent).
	bz, _ := json.Marshal(a)
	require.NoError(t, os.WriteFile(filepath.Join(dir, pendingDir, name(a.Seq)), bz, 0o600))
	q2, _ := Open(dir)
	require.Empty(t, q2.Pending())
	require.Equal(t, []uint64{batch.ID}, []uint64{q2.Batches()[0].ID})
}

func TestSealRefusesRecordsNotPending(t *testing.T) {
	q, _ := Open(t.TempDir())
	a, _ := q.Append(rec("a"))
	_, err := q.Seal(Batch{Records: []Record{a}})
	require.NoError(t, err)
	_, err = q.Seal(Batch{Records: []Record{a}})
	require.ErrorContains(t, err, "not pending")
}

// TestSealWhoseFileRemovalFails: when removing a sealed record's pending file fails, the records
// of the batch still leave the pending set, so no later batch carries them again.
func TestSealWhoseFileRemovalFails(t *testing.T) {
	dir := t.TempDir()
	q, _ := Open(dir)
	a, _ := q.Append(rec("a"))
	b, _ := q.Append(rec("b"))
	c, _ := q.Append(rec("c"))
	d, _ := q.Append(rec("d"))
	// The first record's file cannot be removed: a non-empty directory in its place.
	path := filepath.Join(dir, pendingDir, name(a.Seq))
	require.NoError(t, os.Remove(path))
	require.NoError(t, os.MkdirAll(filepath.Join(path, "stuck"), 0o700))

	_, err := q.Seal(Batch{ListingID: 1, Records: []Record{a, b, c}, TxBytes: []byte{1}, TxHash: "H1"})
	require.Error(t, err)
	require.Equal(t, []uint64{d.Seq}, seqs(q.Pending()), "every sealed record left the pending set")
	require.Len(t, q.Batches(), 1)
	for _, r := range []Record{b, c} {
		_, err := os.Stat(filepath.Join(dir, pendingDir, name(r.Seq)))
		require.ErrorIs(t, err, os.ErrNotExist, "the other records' files were removed")
	}
}

// TestCountsFollowTheOldestRecord: the oldest record not yet committed moves as records are
// sealed, committed, rejected and requeued (Counts does not walk the pending records).
func TestCountsFollowTheOldestRecord(t *testing.T) {
	q, _ := Open(t.TempDir())
	at := func(i int) time.Time { return time.Unix(1767225600+int64(i), 0).UTC() }
	var rs []Record
	for i := range 4 {
		r := rec(fmt.Sprintf("u%d", i))
		r.ServedAt = at(i)
		r, err := q.Append(r)
		require.NoError(t, err)
		rs = append(rs, r)
	}
	oldest := func() time.Time { _, _, o := q.Counts(); return o }
	require.Equal(t, at(0), oldest())

	b1, err := q.Seal(Batch{ListingID: 1, Records: rs[:2], TxHash: "H1"})
	require.NoError(t, err)
	p, f, o := q.Counts()
	require.Equal(t, []any{2, 2, at(0)}, []any{p, f, o}, "sealed but not committed")
	require.NoError(t, q.Committed(b1.ID))
	require.Equal(t, at(2), oldest())

	require.NoError(t, q.Reject(rs[2].Seq, "refused"))
	require.Equal(t, at(3), oldest())

	b2, err := q.Seal(Batch{ListingID: 1, Records: rs[3:], TxHash: "H2"})
	require.NoError(t, err)
	p, f, _ = q.Counts()
	require.Equal(t, []int{0, 1}, []int{p, f})
	r4, err := q.Append(rec("u4"))
	require.NoError(t, err)
	require.NoError(t, q.Requeue(b2.ID, nil))
	p, f, o = q.Counts()
	require.Equal(t, []any{2, 0, at(3)}, []any{p, f, o}, "a requeued record is the oldest again")
	require.NoError(t, q.Reject(rs[3].Seq, "refused"))
	require.Equal(t, r4.ServedAt, oldest())
	require.NoError(t, q.Reject(r4.Seq, "refused"))
	require.True(t, oldest().IsZero())
}

// TestOpenRemovesInterruptedWrites: a temporary file a crash left in the queue is removed at
// the next start and is not taken for a record.
func TestOpenRemovesInterruptedWrites(t *testing.T) {
	dir := t.TempDir()
	q, _ := Open(dir)
	a, err := q.Append(rec("a"))
	require.NoError(t, err)
	var leftovers []string
	for _, d := range []string{pendingDir, batchesDir, rejectedDir} {
		p := filepath.Join(dir, d, ".tmp-123456")
		require.NoError(t, os.WriteFile(p, []byte(`{"half":`), 0o600))
		leftovers = append(leftovers, p)
	}
	q2, err := Open(dir)
	require.NoError(t, err)
	require.Equal(t, []Record{a}, q2.Pending())
	for _, p := range leftovers {
		_, err := os.Stat(p)
		require.ErrorIs(t, err, os.ErrNotExist, p)
	}
}

// TestUncommittedWhileRecordsMove: records moving between the pending set and batches (Seal,
// Requeue) at the same time as Uncommitted is read are always in its result: the content
// store's sweep keeps their blocks.
func TestUncommittedWhileRecordsMove(t *testing.T) {
	q, err := Open(t.TempDir())
	require.NoError(t, err)
	a, err := q.Append(rec("a"))
	require.NoError(t, err)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 300 {
			batch, err := q.Seal(Batch{ListingID: 1, Records: []Record{a}, TxHash: "H"})
			if err != nil {
				t.Error(err)
				return
			}
			if err := q.Requeue(batch.ID, nil); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for {
		select {
		case <-done:
			return
		default:
		}
		recs := q.Uncommitted()
		require.Len(t, recs, 1)
		require.Equal(t, a.RequestCID, recs[0].RequestCID)
	}
}

// failOnce makes the next removal of path (remove) or sync of dir (sync) fail, once.
func failOnce(t *testing.T, remove, sync string) {
	t.Helper()
	origRemove, origSync := removeFile, syncDir
	t.Cleanup(func() { removeFile, syncDir = origRemove, origSync })
	injected := errors.New("injected failure")
	removeFile = func(path string) error {
		if remove != "" && path == remove {
			remove = ""
			return injected
		}
		return origRemove(path)
	}
	syncDir = func(dir string) error {
		if sync != "" && dir == sync {
			sync = ""
			return injected
		}
		return origSync(dir)
	}
}

// TestLeftoverPendingFileDoesNotOutliveItsBatch: a pending file Seal failed to remove is
// removed when its batch commits (or its record is rejected), so the next start does not take
// the record for a new one and record it a second time.
func TestLeftoverPendingFileDoesNotOutliveItsBatch(t *testing.T) {
	for _, end := range []string{"committed", "rejected"} {
		t.Run(end, func(t *testing.T) {
			dir := t.TempDir()
			q, _ := Open(dir)
			a, _ := q.Append(rec("a"))
			b, _ := q.Append(rec("b"))
			failOnce(t, filepath.Join(dir, pendingDir, name(a.Seq)), "")
			batch, err := q.Seal(Batch{ListingID: 1, Records: []Record{a, b}, TxBytes: []byte{1}, TxHash: "H1"})
			require.ErrorContains(t, err, "injected failure")
			require.FileExists(t, filepath.Join(dir, pendingDir, name(a.Seq)), "the leftover")
			require.Empty(t, q.Pending())

			if end == "committed" {
				require.NoError(t, q.Committed(batch.ID))
			} else {
				require.NoError(t, q.Requeue(batch.ID, map[uint64]string{a.Seq: "record 0: access denied"}))
			}
			q2, err := Open(dir)
			require.NoError(t, err)
			require.Empty(t, q2.Batches())
			if end == "committed" {
				require.Empty(t, q2.Pending(), "a committed record is not pending again")
			} else {
				require.Equal(t, []Record{b}, q2.Pending(), "a rejected record is not pending again")
			}
		})
	}
}

// TestAppendThatFailsLeavesNoRecord: when an Append fails after its file was renamed into place
// (the directory's sync fails), the file is removed: the call is answered as not charged, and
// the next start does not record it.
func TestAppendThatFailsLeavesNoRecord(t *testing.T) {
	dir := t.TempDir()
	q, _ := Open(dir)
	failOnce(t, "", filepath.Join(dir, pendingDir))
	_, err := q.Append(rec("a"))
	require.ErrorContains(t, err, "injected failure")
	require.Empty(t, q.Pending())
	q2, err := Open(dir)
	require.NoError(t, err)
	require.Empty(t, q2.Pending(), "a record its Append failed is not recorded after a restart")
}

// TestPendingAndRejectedStaysRejected: a crash between writing a rejected record and removing
// its pending file leaves both; the next start keeps the record rejected only.
func TestPendingAndRejectedStaysRejected(t *testing.T) {
	dir := t.TempDir()
	q, _ := Open(dir)
	a, _ := q.Append(rec("a"))
	b, _ := q.Append(rec("b"))
	require.NoError(t, q.Reject(a.Seq, "refused"))
	bz, _ := json.Marshal(a)
	require.NoError(t, os.WriteFile(filepath.Join(dir, pendingDir, name(a.Seq)), bz, 0o600))
	q2, err := Open(dir)
	require.NoError(t, err)
	require.Equal(t, []Record{b}, q2.Pending())
	require.NoFileExists(t, filepath.Join(dir, pendingDir, name(a.Seq)))
}
