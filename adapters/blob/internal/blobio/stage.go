package blobio

import (
	"context"
	"errors"
	"io"
)

// stageBufferSize is the buffer Stage reads into: big enough that a store
// writes in large pieces whatever the size of the reads its source gives.
const stageBufferSize = 256 << 10

// Stage copies src to dst as Reader reads it (at most maxBytes, ≤ 0: no
// limit; stopping at the next read once ctx ends) and returns how many bytes
// dst took. Unlike Copy it hands dst the bytes read before a failure of src
// or of ctx too: a stage keeps what arrived. It hashes nothing (the caller
// of a stage keeps the hash of what it counted).
func Stage(ctx context.Context, dst io.Writer, src io.Reader, maxBytes int64) (int64, error) {
	rd := &Reader{ctx: ctx, src: src, max: maxBytes}
	buf := make([]byte, stageBufferSize)
	var written int64
	for {
		n, rerr := Fill(rd, buf)
		if n > 0 {
			w, werr := dst.Write(buf[:n])
			written += int64(w)
			if werr != nil {
				return written, werr
			}
		}
		if errors.Is(rerr, io.EOF) {
			return written, nil
		}
		if rerr != nil {
			return written, rerr
		}
	}
}
