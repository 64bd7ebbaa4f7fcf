package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/cosmos/gogoproto/proto"
)

// RPC is a CometBFT JSON-RPC client over HTTP.
type RPC struct {
	URL    string
	client *http.Client
	id     atomic.Int64
}

// NewRPC returns a client of the node at addr ("tcp://127.0.0.1:26657" or "http://...") keeping
// up to conns connections open.
func NewRPC(addr string, conns int) *RPC {
	url := strings.Replace(addr, "tcp://", "http://", 1)
	if !strings.HasPrefix(url, "http://") && !strings.HasPrefix(url, "https://") {
		url = "http://" + url
	}
	tr := &http.Transport{MaxIdleConns: conns + 8, MaxIdleConnsPerHost: conns + 8, IdleConnTimeout: time.Minute}
	return &RPC{URL: strings.TrimRight(url, "/"), client: &http.Client{Transport: tr, Timeout: 60 * time.Second}}
}

type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    string `json:"data"`
}

func (e *rpcError) Error() string {
	return fmt.Sprintf("rpc error %d: %s %s", e.Code, e.Message, e.Data)
}

// Call runs method with params and decodes its result into out.
func (r *RPC) Call(ctx context.Context, method string, params map[string]any, out any) error {
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": r.id.Add(1), "method": method, "params": params})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := r.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	var env struct {
		Result json.RawMessage `json:"result"`
		Error  *rpcError       `json:"error"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return fmt.Errorf("%s: %w (%.200s)", method, err, raw)
	}
	if env.Error != nil {
		return fmt.Errorf("%s: %w", method, env.Error)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(env.Result, out)
}

// BroadcastResult is broadcast_tx_sync's answer (CheckTx).
type BroadcastResult struct {
	Code      uint32 `json:"code"`
	Codespace string `json:"codespace"`
	Log       string `json:"log"`
	Hash      string `json:"hash"`
}

// BroadcastSync sends tx with broadcast_tx_sync.
func (r *RPC) BroadcastSync(ctx context.Context, tx []byte) (BroadcastResult, error) {
	var res BroadcastResult
	err := r.Call(ctx, "broadcast_tx_sync", map[string]any{"tx": base64.StdEncoding.EncodeToString(tx)}, &res)
	return res, err
}

// Status is the node's latest height and chain id.
func (r *RPC) Status(ctx context.Context) (int64, string, error) {
	var st struct {
		NodeInfo struct {
			Network string `json:"network"`
		} `json:"node_info"`
		SyncInfo struct {
			LatestBlockHeight string `json:"latest_block_height"`
		} `json:"sync_info"`
	}
	if err := r.Call(ctx, "status", map[string]any{}, &st); err != nil {
		return 0, "", err
	}
	h, err := strconv.ParseInt(st.SyncInfo.LatestBlockHeight, 10, 64)
	return h, st.NodeInfo.Network, err
}

// Unconfirmed is the number of txs in the node's mempool.
func (r *RPC) Unconfirmed(ctx context.Context) (int, error) {
	var res struct {
		Total string `json:"total"`
	}
	if err := r.Call(ctx, "num_unconfirmed_txs", map[string]any{}, &res); err != nil {
		return 0, err
	}
	return strconv.Atoi(res.Total)
}

// RawBlock is a block's header time and txs, with each tx's result code.
type RawBlock struct {
	Height int64
	Time   time.Time
	Txs    [][]byte
	Codes  []uint32
}

// Block fetches the block at height and its tx results.
func (r *RPC) Block(ctx context.Context, height int64) (RawBlock, error) {
	h := strconv.FormatInt(height, 10)
	var b struct {
		Block struct {
			Header struct {
				Time time.Time `json:"time"`
			} `json:"header"`
			Data struct {
				Txs [][]byte `json:"txs"`
			} `json:"data"`
		} `json:"block"`
	}
	if err := r.Call(ctx, "block", map[string]any{"height": h}, &b); err != nil {
		return RawBlock{}, err
	}
	var res struct {
		TxsResults []struct {
			Code uint32 `json:"code"`
		} `json:"txs_results"`
	}
	if err := r.Call(ctx, "block_results", map[string]any{"height": h}, &res); err != nil {
		return RawBlock{}, err
	}
	out := RawBlock{Height: height, Time: b.Block.Header.Time, Txs: b.Block.Data.Txs}
	for _, t := range res.TxsResults {
		out.Codes = append(out.Codes, t.Code)
	}
	if len(out.Codes) != len(out.Txs) {
		return RawBlock{}, fmt.Errorf("block %d: %d txs but %d results", height, len(out.Txs), len(out.Codes))
	}
	return out, nil
}

// TxResult is the committed result of one tx (kv indexer).
type TxResult struct {
	Height string `json:"height"`
	Result struct {
		Code uint32 `json:"code"`
		Log  string `json:"log"`
		Data []byte `json:"data"`
	} `json:"tx_result"`
}

// Tx looks a committed tx up by its bytes.
func (r *RPC) Tx(ctx context.Context, tx []byte) (TxResult, error) {
	var res TxResult
	sum := sha256.Sum256(tx)
	err := r.Call(ctx, "tx", map[string]any{"hash": base64.StdEncoding.EncodeToString(sum[:])}, &res)
	return res, err
}

// Query runs an ABCI gRPC query (path "/pkg.Service/Method") on the latest state.
func (r *RPC) Query(ctx context.Context, path string, req, out proto.Message) error {
	bz, err := proto.Marshal(req)
	if err != nil {
		return err
	}
	var res struct {
		Response struct {
			Code  uint32 `json:"code"`
			Log   string `json:"log"`
			Value []byte `json:"value"`
		} `json:"response"`
	}
	if err := r.Call(ctx, "abci_query", map[string]any{"path": path, "data": hex.EncodeToString(bz)}, &res); err != nil {
		return err
	}
	if res.Response.Code != 0 {
		return fmt.Errorf("query %s: code %d: %s", path, res.Response.Code, res.Response.Log)
	}
	return proto.Unmarshal(res.Response.Value, out)
}

// TxHash is the upper-case hex SHA-256 of a tx, as CometBFT names it.
func TxHash(tx []byte) string {
	sum := sha256.Sum256(tx)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}
