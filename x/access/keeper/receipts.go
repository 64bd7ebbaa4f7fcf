package keeper

import (
	"context"
	"encoding/binary"
	"fmt"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/balanceai/balanceai/internal/chainutil"
	"github.com/balanceai/balanceai/x/access/types"
)

// Receipts are stored a batch at a time: the records of one MsgRecordUsage are one
// ReceiptBatch value under the batch's first receipt id, with one BatchesByListing entry and
// one BatchesByUser entry per distinct user. Writing a record therefore writes no key of its
// own, which is what makes a usage record much cheaper than a transaction. Queries expand
// batches into Receipts; pruning deletes whole batches, oldest first.

// batchUser is one distinct user of a batch and how many of the batch's records are theirs.
type batchUser struct {
	addr    sdk.AccAddress
	records uint64
}

// lastReceiptID is the receipt id of the batch's last record.
func lastReceiptID(b types.ReceiptBatch) uint64 {
	return b.FirstReceiptId + uint64(len(b.Records)) - 1
}

// receiptAt is the Receipt of record i of the batch.
func receiptAt(b types.ReceiptBatch, i int) types.Receipt {
	rec := b.Records[i]
	return types.Receipt{
		Id: b.FirstReceiptId + uint64(i), ListingId: b.ListingId, Operator: b.Operator, User: rec.User,
		RequestCid: rec.RequestCid, ResponseCid: rec.ResponseCid, Units: rec.Units,
		Time: b.Time, Height: b.Height,
	}
}

// Receipts expands a batch into its receipts, in id order.
func Receipts(b types.ReceiptBatch) []types.Receipt {
	out := make([]types.Receipt, len(b.Records))
	for i := range b.Records {
		out[i] = receiptAt(b, i)
	}
	return out
}

// batchUsers returns the distinct users of a batch (by address bytes: one address may be
// spelled in upper- or lower-case bech32) in the order of their first record, with their
// record counts. The map is only looked up, never iterated.
func (k Keeper) batchUsers(b types.ReceiptBatch) ([]batchUser, error) {
	var users []batchUser
	pos := map[string]int{}
	for i, rec := range b.Records {
		bz, err := k.addressCodec.StringToBytes(rec.User)
		if err != nil {
			return nil, fmt.Errorf("receipt %d: user %q: %w", b.FirstReceiptId+uint64(i), rec.User, err)
		}
		j, seen := pos[string(bz)]
		if !seen {
			j = len(users)
			pos[string(bz)] = j
			users = append(users, batchUser{addr: bz})
		}
		users[j].records++
	}
	return users, nil
}

// setBatch stores a batch and its index entries; users are batchUsers(b). The batch's ids
// have never been used (they come from the sequence, or from a validated genesis), so
// nothing is read first.
func (k Keeper) setBatch(ctx context.Context, b types.ReceiptBatch, users []batchUser) error {
	if err := k.ReceiptBatches.Set(ctx, b.FirstReceiptId, b); err != nil {
		return err
	}
	if err := k.BatchesByListing.Set(ctx, collections.Join(b.ListingId, b.FirstReceiptId), uint64(len(b.Records))); err != nil {
		return err
	}
	for _, u := range users {
		if err := k.BatchesByUser.Set(ctx, collections.Join(collections.Join(b.ListingId, u.addr), b.FirstReceiptId), u.records); err != nil {
			return err
		}
	}
	return nil
}

// batchEntries is the number of store entries a batch with these distinct users holds: itself,
// its listing index entry and one index entry per user.
func batchEntries(users []batchUser) int { return 2 + len(users) }

// removeBatch deletes a batch and its index entries; users are batchUsers(b).
func (k Keeper) removeBatch(ctx context.Context, b types.ReceiptBatch, users []batchUser) error {
	for _, u := range users {
		if err := k.BatchesByUser.Remove(ctx, collections.Join(collections.Join(b.ListingId, u.addr), b.FirstReceiptId)); err != nil {
			return err
		}
	}
	if err := k.BatchesByListing.Remove(ctx, collections.Join(b.ListingId, b.FirstReceiptId)); err != nil {
		return err
	}
	return k.ReceiptBatches.Remove(ctx, b.FirstReceiptId)
}

// pageReceipts pages through the receipts of the batches one index reference lists (a
// listing's, or a (listing, user)'s), in receipt id order (reversed on request), keeping the
// records keep accepts (nil keeps all; an index entry's value counts the records keep
// accepts in its batch). next_key is the 8-byte big-endian id of the next receipt, as for
// every list query; offset and count_total count receipts and are answered from the index
// values, without reading the batches they pass over.
func pageReceipts[R any](
	ctx context.Context,
	k Keeper,
	idx collections.Map[collections.Pair[R, uint64], uint64],
	ref R,
	req *query.PageRequest,
	keep func(types.UsageRecord) (bool, error),
) ([]types.Receipt, *query.PageResponse, error) {
	req, err := chainutil.CheckPageRequest(req)
	if err != nil {
		return nil, nil, err
	}
	res := &query.PageResponse{}
	if req.CountTotal && req.Key == nil {
		err := idx.Walk(ctx, collections.NewPrefixedPairRange[R, uint64](ref), func(_ collections.Pair[R, uint64], n uint64) (bool, error) {
			res.Total += n
			return false, nil
		})
		if err != nil {
			return nil, nil, status.Error(codes.Internal, err.Error())
		}
	}

	rng := collections.NewPrefixedPairRange[R, uint64](ref)
	var from uint64 // with a key: the first receipt id of the page (the last one, reversed)
	if req.Key != nil {
		from = binary.BigEndian.Uint64(req.Key)
		if req.Reverse {
			rng = rng.EndInclusive(from)
		} else {
			// Start at the batch holding from: the last one that starts at or before it.
			start := from
			iter, err := idx.Iterate(ctx, collections.NewPrefixedPairRange[R, uint64](ref).EndInclusive(from).Descending())
			if err != nil {
				return nil, nil, status.Error(codes.Internal, err.Error())
			}
			if iter.Valid() {
				kv, err := iter.Key()
				if err != nil {
					iter.Close()
					return nil, nil, status.Error(codes.Internal, err.Error())
				}
				start = kv.K2()
			}
			iter.Close()
			rng = rng.StartInclusive(start)
		}
	}
	if req.Reverse {
		rng = rng.Descending()
	}

	skip := req.Offset
	out := make([]types.Receipt, 0, min(req.Limit, 100))
	err = idx.Walk(ctx, rng, func(key collections.Pair[R, uint64], n uint64) (bool, error) {
		if req.Key == nil && skip >= n {
			skip -= n
			return false, nil
		}
		b, err := k.ReceiptBatches.Get(ctx, key.K2())
		if err != nil {
			return true, fmt.Errorf("batch %d is indexed but cannot be read: %w", key.K2(), err)
		}
		for j := range b.Records {
			i := j
			if req.Reverse {
				i = len(b.Records) - 1 - j
			}
			id := b.FirstReceiptId + uint64(i)
			if req.Key != nil && ((!req.Reverse && id < from) || (req.Reverse && id > from)) {
				continue
			}
			if keep != nil {
				ok, err := keep(b.Records[i])
				if err != nil {
					return true, err
				}
				if !ok {
					continue
				}
			}
			if skip > 0 {
				skip--
				continue
			}
			if uint64(len(out)) == req.Limit {
				res.NextKey = binary.BigEndian.AppendUint64(nil, id)
				return true, nil
			}
			out = append(out, receiptAt(b, i))
		}
		return false, nil
	})
	if err != nil {
		return nil, nil, status.Error(codes.Internal, err.Error())
	}
	return out, res, nil
}
